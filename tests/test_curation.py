"""Curation: retract, accept, relink, merge and add, applied on every build and shown as curated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, URIRef

from graph.build.curation import CurationError, append_rows, load_curation
from graph.cli import cli
from graph.iri import CMKG
from graph.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
TEXT = (
    "Washington a signé un accord-cadre sur les terres rares avec le Japon.\n\n"
    "La Chine assure 90 % du raffinage des terres rares.\n\n"
    "Pékin contrôle environ 70 % de l'extraction mondiale des terres rares.\n"
)
PROVENANCE = URIRef("https://w3id.org/cmkg/graph/provenance")


def _build(tmp_path: Path, rows: list[dict]) -> tuple[dict, Dataset]:
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "note.txt").write_text(TEXT, encoding="utf-8")
    curation = tmp_path / "curation.csv"
    curation.unlink(missing_ok=True)
    if rows:
        append_rows(curation, rows)
    out = tmp_path / "out"
    build([docs], out, ontology_dir=ROOT / "ontology", curation_path=curation)
    ds = Dataset()
    ds.parse(out / "graph.trig", format="trig")
    return json.loads((out / "summary.json").read_text(encoding="utf-8")), ds


def _share_claims(ds: Dataset) -> dict[str, str]:
    prov = ds.graph(PROVENANCE)
    return {
        str(c): str(prov.value(c, CMKG.quote))
        for c in prov.subjects(CMKG.method, None)
        if str(prov.value(c, CMKG.method)).startswith("pattern:share")
    }


def test_curation_retract_removes_the_claim_and_the_fact(tmp_path):
    summary, ds = _build(tmp_path, [])
    claims = _share_claims(ds)
    refining = next(c for c, q in claims.items() if "90 %" in q)
    summary, ds = _build(tmp_path, [{"action": "retract", "subject": refining.rsplit("/", 1)[-1], "note": "test"}])
    assert refining not in _share_claims(ds)
    assert not any(s["percent"] == 90 for s in summary["shares"])
    assert any(s["percent"] == 70 for s in summary["shares"])


def test_curation_accept_marks_the_claim(tmp_path):
    _, ds = _build(tmp_path, [])
    claim = next(iter(_share_claims(ds)))
    _, ds = _build(tmp_path, [{"action": "accept", "subject": claim}])
    prov = ds.graph(PROVENANCE)
    assert str(prov.value(URIRef(claim), CMKG.method)).endswith("+curation:accepted")
    assert float(prov.value(URIRef(claim), CMKG.confidence)) == 1.0


def test_curation_relink_to_a_new_entity(tmp_path):
    summary, _ = _build(
        tmp_path,
        [
            {
                "action": "relink",
                "subject": "Washington",
                "predicate": "Place",
                "object": "Washington (state)",
                "document": "note",
            }
        ],
    )
    names = {e["name"]: e for e in summary["entities"]}
    assert names["Washington (state)"]["type"] == "Place"
    agreement = summary["agreements"]
    assert all("United States" not in a["parties"] for a in agreement)


def test_curation_merge_replaces_an_entity_everywhere(tmp_path):
    summary, ds = _build(tmp_path, [{"action": "merge", "subject": "China", "object": "Japan"}])
    assert "China" not in {e["name"] for e in summary["entities"]}
    assert {s["actor"] for s in summary["shares"]} == {"Japan"}
    methods = {str(o) for o in ds.graph(PROVENANCE).objects(None, CMKG.method)}
    assert any(m.endswith("+curation:merge") for m in methods)


def test_curation_add_asserts_a_curated_fact(tmp_path):
    summary, ds = _build(
        tmp_path,
        [
            {
                "action": "add",
                "subject": "Japan",
                "predicate": "cmkg:affiliatedWith",
                "object": "G7",
                "source": "https://example.org/g7",
                "quote": "Le Japon est membre du G7.",
            }
        ],
    )
    prov = ds.graph(PROVENANCE)
    curated = [c for c in prov.subjects(CMKG.method, None) if str(prov.value(c, CMKG.method)) == "curation"]
    assert len(curated) == 1
    assert (
        URIRef("https://w3id.org/cmkg/id/Japan"),
        CMKG.affiliatedWith,
        URIRef("https://w3id.org/cmkg/id/G7"),
    ) in ds.graph(curated[0])
    assert str(prov.value(curated[0], CMKG.quote)) == "Le Japon est membre du G7."


@pytest.mark.parametrize(
    "content, message",
    [
        ("action,subject\nexplode,x\n", "unknown action 'explode'"),
        ("action,subject,object\nmerge,China,\n", "merge needs an object"),
        ("subject\nx\n", r"missing column\(s\) action"),
    ],
)
def test_curation_bad_file_names_file_and_line(tmp_path, content, message):
    path = tmp_path / "curation.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CurationError, match=message) as info:
        load_curation(path)
    assert "curation.csv" in str(info.value)


def test_curation_review_lists_and_writes(tmp_path):
    _build(tmp_path, [])
    out = tmp_path / "out"
    curation = tmp_path / "curation.csv"
    runner = CliRunner()
    listed = runner.invoke(cli, ["review", "--out", str(out), "--threshold", "1.0", "--json"])
    assert listed.exit_code == 0, listed.output
    items = json.loads(listed.output)
    assert items["claims"], items
    claim = items["claims"][0]["claim"]
    result = runner.invoke(
        cli, ["review", "--out", str(out), "--curation", str(curation), "--reject", claim, "--note", "wrong"]
    )
    assert result.exit_code == 0, result.output
    rows = load_curation(curation).rows
    assert rows[-1]["action"] == "retract" and rows[-1]["subject"] == claim


def test_curation_review_unknown_claim(tmp_path):
    _build(tmp_path, [])
    result = CliRunner().invoke(
        cli, ["review", "--out", str(tmp_path / "out"), "--curation", str(tmp_path / "c.csv"), "--accept", "nope"]
    )
    assert result.exit_code == 1
    assert "no claim" in result.output
