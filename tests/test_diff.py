"""`cmkg diff` and graph.build.diff: what a new build adds, removes or changes, and what `cmkg add` added."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.build.diff import CATEGORIES, KINDS, Change, changes_as_json, changes_as_lines, compare_summaries
from graph.cli import cli
from graph.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology"
FIFTH = "004_111536c8444e29a3"


def _gold(doc_id: str) -> dict:
    return json.loads((ROOT / "tests" / "gold" / f"{doc_id}.json").read_text(encoding="utf-8"))


def _only_in_fifth(category: str, identity) -> set:
    """The identities of ``category`` that the fifth seed's gold holds and no other seed's gold does."""
    others = set()
    for path in (ROOT / "tests" / "gold").glob("0*.json"):
        if path.stem != FIFTH:
            others |= {identity(x) for x in _gold(path.stem).get(category, [])}
    return {identity(x) for x in _gold(FIFTH)[category]} - others


def _seed_files(folder: Path, stems: list[str]) -> None:
    folder.mkdir(parents=True)
    for stem in stems:
        for path in (ROOT / "seeds").glob(f"{stem}.*"):
            shutil.copy(path, folder)


@pytest.fixture(scope="module")
def four_seeds(tmp_path_factory) -> Path:
    """A build of the four seeds other than the fifth."""
    folder = tmp_path_factory.mktemp("four")
    _seed_files(folder / "docs", sorted(p.stem for p in (ROOT / "seeds").glob("*.txt") if p.stem != FIFTH))
    build([folder / "docs"], folder / "out", ontology_dir=ONTOLOGY)
    return folder / "out"


@pytest.fixture(scope="module")
def four_to_five(four_seeds, seeds_build) -> dict:
    result = CliRunner().invoke(cli, ["diff", str(four_seeds), str(seeds_build[0]), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_diff_fifth_document_is_added_and_nothing_else_is(four_to_five):
    documents = four_to_five["documents"]
    assert [d["identity"]["id"] for d in documents["added"]] == [FIFTH]
    assert documents["removed"] == [] and documents["changed"] == []
    assert documents["added"][0]["values"]["date"] == "2025-10-28"
    assert set(four_to_five) == set(CATEGORIES)
    assert all(set(four_to_five[c]) == set(KINDS) for c in CATEGORIES)


def test_diff_adds_an_entity_only_the_fifth_document_names(four_to_five):
    only = _only_in_fifth("entities", lambda e: e["name"])
    assert only, "the gold of the fifth seed names entities no other seed names"
    added = {e["values"]["name"] for e in four_to_five["entities"]["added"]}
    assert added & only, (added, only)


def test_diff_shows_a_share_only_the_fifth_document_gives(four_to_five):
    only = _only_in_fifth("shares", lambda s: (s["actor"], s["mineral"], s["stage"], float(s["percent"])))
    assert only
    shown = set()
    for entry in four_to_five["shares"]["added"] + four_to_five["shares"]["changed"]:
        identity = entry["identity"]
        new = entry["values"] if "values" in entry else entry["new"]
        old = entry.get("old", {}).get("percent")
        percents = new.get("percent") if isinstance(new.get("percent"), list) else [new.get("percent")]
        for percent in percents:
            if percent is not None and not (old == percent or (isinstance(old, list) and percent in old)):
                shown.add((identity["actor"], identity["mineral"], identity["stage"], percent))
    assert shown & only, (shown, only)


def test_diff_of_a_build_with_itself_reports_no_change(seeds_build):
    out = str(seeds_build[0])
    result = CliRunner().invoke(cli, ["diff", out, out])
    assert result.exit_code == 0, result.output
    assert result.output == "no change\n"
    as_json = CliRunner().invoke(cli, ["diff", out, out, "--json"])
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.output) == {c: {k: [] for k in KINDS} for c in CATEGORIES}


def test_diff_table_groups_by_category(four_seeds, seeds_build):
    result = CliRunner().invoke(cli, ["diff", str(four_seeds), str(seeds_build[0])])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "documents (1 added)"
    assert lines[1].startswith(f"  + {FIFTH}   title ")
    headings = [line.split(" (")[0] for line in lines if not line.startswith(" ")]
    assert headings == [c for c in CATEGORIES if c in headings]
    assert "entities" in headings


def test_diff_add_prints_what_it_added(four_seeds, seeds_build, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(four_seeds, out)
    result = CliRunner().invoke(
        cli, ["add", str(ROOT / "seeds" / f"{FIFTH}.txt"), "--out", str(out), "--ontology", str(ONTOLOGY)]
    )
    assert result.exit_code == 0, result.output
    printed = result.output.split("what changed in the build:\n", 1)[1].splitlines()
    expected = CliRunner().invoke(cli, ["diff", str(four_seeds), str(seeds_build[0])]).output.splitlines()
    assert [line.removeprefix("  ") for line in printed] == expected


@pytest.mark.parametrize(
    "args, message",
    [
        (["missing-old", "missing-new"], "missing-old: no summary.json here"),
    ],
)
def test_diff_names_a_folder_that_is_not_a_build(tmp_path, args, message):
    result = CliRunner().invoke(cli, ["diff", *(str(tmp_path / a) for a in args)])
    assert result.exit_code == 1
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1


SHARE = {"actor": "China", "mineral": "Gallium", "stage": "refining", "scope": "world", "consumer": None}
DEAL = {"kind": "framework", "parties": ["Japan", "United States"], "minerals": ["Gallium"], "status": "signed"}


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (
            {"shares": [SHARE | {"percent": 94.0}]},
            {"shares": [SHARE | {"percent": 98.0}]},
            [Change("shares", "changed", SHARE, {"percent": 94.0}, {"percent": 98.0})],
        ),
        (
            {"shares": [SHARE | {"percent": 94.0}]},
            {"shares": [SHARE | {"percent": 94.0}, SHARE | {"percent": 98.0}]},
            [Change("shares", "changed", SHARE, {"percent": 94.0}, {"percent": [94.0, 98.0]})],
        ),
        (
            {"agreements": [DEAL]},
            {"agreements": [DEAL | {"parties": ["United States", "Japan"], "minerals": ["Gallium"]}]},
            [],
        ),
        (
            {"agreements": [DEAL]},
            {"agreements": [DEAL | {"status": "proposed"}]},
            [
                Change(
                    "agreements",
                    "changed",
                    {"kind": "framework", "parties": ["Japan", "United States"]},
                    {"status": "signed"},
                    {"status": "proposed"},
                )
            ],
        ),
        (
            {"agreements": [DEAL]},
            {"agreements": [DEAL | {"parties": ["Japan"]}]},
            [
                Change(
                    "agreements",
                    "added",
                    {"kind": "framework", "parties": ["Japan"]},
                    {},
                    {"status": "signed", "date": None, "minerals": ["Gallium"]},
                ),
                Change(
                    "agreements",
                    "removed",
                    {"kind": "framework", "parties": ["Japan", "United States"]},
                    {"status": "signed", "date": None, "minerals": ["Gallium"]},
                    {},
                ),
            ],
        ),
    ],
    ids=["share-percent", "share-second-figure", "party-order", "agreement-status", "agreement-parties"],
)
def test_diff_compare_summaries(old, new, expected):
    assert compare_summaries(old, new) == expected


def test_diff_lines_and_json_of_a_changed_share():
    changes = compare_summaries({"shares": [SHARE | {"percent": 94.0}]}, {"shares": [SHARE | {"percent": 98.0}]})
    assert changes_as_lines(changes) == [
        "shares (1 changed)",
        "  ~ China · Gallium · refining · world   percent: 94 → 98",
    ]
    assert changes_as_json(changes)["shares"]["changed"] == [
        {
            "label": "China · Gallium · refining · world",
            "identity": SHARE,
            "old": {"percent": 94.0},
            "new": {"percent": 98.0},
        }
    ]
