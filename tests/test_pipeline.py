"""The whole build on the seeds: outputs, provenance, verbatim quotes, determinism, and bad input."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import DCTERMS

from graph.errors import DocumentError
from graph.iri import CMKG, PROV
from graph.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
PROVENANCE = URIRef("https://w3id.org/cmkg/graph/provenance")


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


@pytest.fixture(scope="module")
def dataset(seeds_dataset):
    return seeds_dataset


@pytest.mark.parametrize(
    "name", ["graph.trig", "graph.html", "summary.json", "store/CURRENT", "analysis/centrality.csv"]
)
def test_pipeline_writes_every_output(seeds_build, name):
    out, _ = seeds_build
    assert (out / name).is_file()
    assert (out / name).stat().st_size > 0


def test_pipeline_report_counts(seeds_build):
    _, report = seeds_build
    assert report.documents == 5
    assert report.sentences > 150
    assert report.claims > 200
    assert report.quads > 3000


def test_pipeline_every_claim_has_provenance(dataset):
    claims = [g.identifier for g in dataset.graphs() if "/claim/" in str(g.identifier)]
    assert len(claims) > 200
    prov = dataset.graph(PROVENANCE)
    for claim in claims:
        assert prov.value(claim, PROV.wasDerivedFrom) is not None, claim
        for prop in (CMKG.quote, CMKG.startOffset, CMKG.endOffset, CMKG.method, CMKG.confidence):
            assert prov.value(claim, prop) is not None, (claim, prop)
        assert 0 <= float(prov.value(claim, CMKG.confidence)) <= 1


def test_pipeline_quotes_are_verbatim_at_their_offsets(dataset):
    prov = dataset.graph(PROVENANCE)
    sources = {}
    checked = 0
    for claim in set(prov.subjects(PROV.wasDerivedFrom, None)):
        doc = str(prov.value(claim, PROV.wasDerivedFrom)).rsplit("/", 1)[-1]
        raw = sources.setdefault(doc, (ROOT / "seeds" / f"{doc}.txt").read_text(encoding="utf-8"))
        start, end = int(prov.value(claim, CMKG.startOffset)), int(prov.value(claim, CMKG.endOffset))
        assert raw[start:end] == str(prov.value(claim, CMKG.quote))
        checked += 1
    assert checked > 200


def test_pipeline_summary_contract(seeds_summary):
    assert [d["id"] for d in seeds_summary["documents"]] == sorted(p.stem for p in (ROOT / "seeds").glob("*.txt"))
    types = {"State", "InternationalOrganization", "GovernmentBody", "Company", "Person", "Mineral", "Place"}
    assert {e["type"] for e in seeds_summary["entities"]} <= types
    corpus = " ".join(_norm(p.read_text(encoding="utf-8")) for p in (ROOT / "seeds").glob("*.txt"))
    for kind in ("agreements", "projects", "shares", "measures"):
        for fact in seeds_summary[kind]:
            assert fact["evidence"], fact
            for quote in fact["evidence"]:
                assert _norm(quote) in corpus


@pytest.mark.parametrize(
    "doc_id, first_line",
    [
        ("000_dfca6d0f0ab30567", None),  # titled: no first line
        (
            "001_0f0c2d2dd870c47b",
            "À Washington, une réunion internationale sans précédent réunit plus d'une cinquantaine de pays pour\u2026",
        ),
        (
            "003_bd6bbf2148b67aeb",
            "Fin octobre 2025, lors d'une visite à Tokyo, le président des États-Unis, Donald Trump, et la Premi\u2026",
        ),
    ],
)
def test_pipeline_untitled_document_keeps_its_first_line(seeds_summary, seeds_dataset, doc_id, first_line):
    summary = next(d for d in seeds_summary["documents"] if d["id"] == doc_id)
    assert summary["first_line"] == first_line
    assert (summary["title"] is None) == (first_line is not None)
    documents = seeds_dataset.graph(URIRef("https://w3id.org/cmkg/graph/documents"))
    described = documents.value(URIRef(f"https://w3id.org/cmkg/doc/{doc_id}"), DCTERMS.description)
    assert (str(described) if described is not None else None) == first_line


@pytest.mark.parametrize(
    "name, documents",
    [
        ("China", 5),
        ("United States", 5),
        ("Japan", 3),
        ("European Union", 3),
    ],
)
def test_pipeline_entities_list_their_documents(seeds_summary, name, documents):
    entity = next(e for e in seeds_summary["entities"] if e["name"] == name)
    assert len(entity["documents"]) >= documents


def test_pipeline_us_japan_framework_is_one_node_with_two_sources(seeds_summary):
    framework = [
        a
        for a in seeds_summary["agreements"]
        if set(a["parties"]) == {"United States", "Japan"} and a["kind"] == "framework"
    ]
    assert len(framework) == 1
    assert "Rare earth elements" in framework[0]["minerals"]
    sources = {_norm(q)[:40] for q in framework[0]["evidence"]}
    assert len(sources) >= 2


def test_pipeline_is_deterministic(tmp_path, seeds_build):
    out, _ = seeds_build
    again = tmp_path / "again"
    build([ROOT / "seeds"], again, ontology_dir=ROOT / "ontology")
    for name in ("graph.trig", "summary.json", "graph.html", "analysis/centrality.csv"):
        first = hashlib.sha256((out / name).read_bytes()).hexdigest()
        assert hashlib.sha256((again / name).read_bytes()).hexdigest() == first, name


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "no such file"),
        (b"", "empty"),
        (b"\x00\x01\x02binary\x00", "binary"),
        (b"Caf\xe9", "not valid UTF-8"),
    ],
)
def test_pipeline_bad_input_keeps_previous_output(tmp_path, seeds_build, content, message):
    out, _ = seeds_build
    previous = tmp_path / "out"
    shutil.copytree(out, previous)
    before = {p.relative_to(previous): p.read_bytes() for p in previous.rglob("*") if p.is_file()}
    bad = tmp_path / "bad.txt"
    if content is not None:
        bad.write_bytes(content)
    with pytest.raises(DocumentError, match=message) as info:
        build([bad], previous, ontology_dir=ROOT / "ontology")
    assert str(bad) in str(info.value)
    after = {p.relative_to(previous): p.read_bytes() for p in previous.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in tmp_path.iterdir() if re.match(r"\.out\.tmp-", p.name)]


def test_pipeline_a_bare_partnership_joins_the_parties_specific_agreement(tmp_path):
    from graph.build.dataset import _canonical_agreement_kinds
    from graph.extract.facts import AgreementFact, Evidence

    evidence = Evidence("d", 0, 1, "pattern:agreement", 0.8)
    facts = [
        AgreementFact(("KZ", "UK"), (), "partnership", None, None, evidence),
        AgreementFact(("KZ", "UK"), (), "mou", None, None, evidence),
        AgreementFact(("JP", "KZ"), (), "partnership", None, None, evidence),
    ]
    assert _canonical_agreement_kinds(facts) == {
        ("d", "KZ", "UK", "partnership"): "mou",
        ("d", "KZ", "UK", "mou"): "mou",
        ("d", "JP", "KZ", "partnership"): "partnership",
    }


def test_pipeline_a_bare_agreement_joins_its_own_documents_memorandum_before_another_documents_framework():
    from graph.build.dataset import _canonical_agreement_kinds
    from graph.extract.facts import AgreementFact, Evidence

    in_2024, in_2026, only_generic = (Evidence(d, 0, 1, "pattern:agreement", 0.8) for d in ("a", "b", "c"))
    facts = [
        AgreementFact(("AR", "US"), (), "mou", None, None, in_2024),
        AgreementFact(("AR", "US"), (), "agreement", None, None, in_2024),
        AgreementFact(("AR", "US"), (), "framework", None, None, in_2026),
        AgreementFact(("AR", "US"), (), "agreement", None, None, only_generic),
    ]
    kinds = _canonical_agreement_kinds(facts)
    assert kinds[("a", "AR", "US", "agreement")] == "mou"
    assert kinds[("b", "AR", "US", "framework")] == "framework"
    # a document that gives no specific kind joins the most specific any document gives
    assert kinds[("c", "AR", "US", "agreement")] == "framework"


def test_pipeline_an_investment_joins_an_acquisition_but_not_an_offtake():
    from graph.build.dataset import _canonical_agreement_kinds
    from graph.extract.facts import AgreementFact, Evidence

    evidence = Evidence("d", 0, 1, "pattern:agreement", 0.8)
    facts = [
        AgreementFact(("Buyer", "Miner"), (), "acquisition", None, None, evidence),
        AgreementFact(("Buyer", "Miner"), (), "investment", None, None, evidence),
        AgreementFact(("Carmaker", "Miner"), (), "offtake", None, None, evidence),
        AgreementFact(("Carmaker", "Miner"), (), "investment", None, None, evidence),
    ]
    kinds = _canonical_agreement_kinds(facts)
    assert kinds[("d", "Buyer", "Miner", "investment")] == "acquisition"
    assert kinds[("d", "Carmaker", "Miner", "investment")] == "investment"


def test_paused_gc_enables_the_collector_again_even_after_an_error():
    import gc

    from graph.pipeline import paused_gc

    @paused_gc
    def fails() -> None:
        assert not gc.isenabled()
        raise ValueError("stop")

    assert gc.isenabled()
    with pytest.raises(ValueError):
        fails()
    assert gc.isenabled()
    gc.disable()  # a caller that had it disabled keeps it so
    try:
        paused_gc(lambda: None)()
        assert not gc.isenabled()
    finally:
        gc.enable()
