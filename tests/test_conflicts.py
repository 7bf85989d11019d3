"""`cmkg conflicts` and graph.analysis.conflicts: where documents disagree, every value with its sources."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from click.testing import CliRunner

from graph.analysis.conflicts import agreement_conflicts, share_conflicts
from graph.analysis.report import load_graph
from graph.analysis.supply import concentration
from graph.cli import cli

EXTRACTION = "China · Rare earth elements · extraction · world"


@pytest.fixture(scope="module")
def seeds_conflicts(seeds_build) -> list[dict]:
    result = CliRunner().invoke(cli, ["conflicts", "--out", str(seeds_build[0]), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _documents(value: dict) -> set[str]:
    return {s["document"].rsplit("/", 1)[-1][:3] for s in value["sources"]}


def test_conflicts_china_rare_earth_extraction_is_given_differently(seeds_conflicts):
    [row] = [r for r in seeds_conflicts if r["label"] == EXTRACTION]
    values = {v["value"]: v for v in row["values"]}
    assert {60.0, 70.0} <= set(values)  # the seeds' gold: 000 says 70 %, 002 and 004 say 60 %
    assert "000" in _documents(values[70.0])
    assert {"002", "004"} <= _documents(values[60.0])
    for percent, value in values.items():
        for source in value["sources"]:
            assert f"{percent:g}" in source["quote"], source
    dates = {s["document"].rsplit("/", 1)[-1][:3]: s["date"] for v in row["values"] for s in v["sources"]}
    assert dates["000"] == "2026-02-07" and dates["004"] == "2025-10-28"


def test_conflicts_chosen_value_is_the_one_the_analysis_uses(seeds_conflicts, seeds_build):
    [row] = [r for r in seeds_conflicts if r["label"] == EXTRACTION]
    [chosen] = [v["value"] for v in row["values"] if v["chosen"]]
    G = load_graph(seeds_build[0])
    [market] = [
        m for m in concentration(G) if m["mineral_label"] == "Rare earth elements" and m["stage"] == "extraction"
    ]
    [china] = [s for s in market["suppliers"] if s["label"] == "China"]
    assert chosen == china["share"] == 70.0  # the most recent document (2026-02-07) gives 70 %


def test_conflicts_table_marks_the_chosen_value(seeds_build):
    result = CliRunner().invoke(cli, ["conflicts", "--out", str(seeds_build[0])])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].endswith("disagreements between documents")
    start = lines.index(next(line for line in lines if line.startswith(f"share: {EXTRACTION}")))
    block = lines[start + 1 : start + 12]
    assert "  * 70" in block and "    60" in block


def _deal(claims: list[tuple[str, str]]) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    evidence = [{"claim": f"c{i}", "document": doc, "date": None, "quote": "…"} for i, (doc, _) in enumerate(claims)]
    G.add_node(
        "deal", group="Agreement", facts=[{"property": "agreementKind", "value": "agreement"}], evidence=evidence
    )
    G.add_edge("deal", "Australia", key="party")
    G.add_edge("deal", "South Korea", key="party")
    return G


@pytest.mark.parametrize(
    "claims, disagree",
    [
        ([("a", "2020"), ("a", "2021")], False),  # one document, two dates: two agreements, not a disagreement
        ([("a", "2025-10"), ("b", "2025-10-28")], False),  # the day refines the month
        ([("a", "2025-10"), ("b", "2024-03")], True),
        ([("a", "2025-10-28"), ("b", None)], False),  # an undated claim gives no date
    ],
)
def test_conflicts_agreement_dates(claims, disagree):
    G = _deal(claims)
    dates = {("deal", f"c{i}"): date for i, (_, date) in enumerate(claims) if date}
    rows = agreement_conflicts(G, dates)
    assert bool(rows) is disagree
    if rows:
        assert rows[0]["label"] == "agreement: Australia, South Korea"
        assert [v["value"] for v in rows[0]["values"] if v["chosen"]] == ["2024-03"]


@pytest.mark.parametrize("documents, disagree", [(("a", "a"), False), (("a", "b"), True)])
def test_conflicts_shares_only_between_documents(documents, disagree):
    G = nx.MultiDiGraph()
    for fact, percent, doc in [("s1", "70", documents[0]), ("s2", "60", documents[1])]:
        G.add_node(
            fact,
            group="MarketShare",
            facts=[{"property": "stage", "value": "refining"}, {"property": "percent", "value": percent}],
            evidence=[{"document": doc, "date": None, "quote": "…"}],
        )
        G.add_edge(fact, "China", key="actor")
        G.add_edge(fact, "Gallium", key="mineral")
    assert bool(share_conflicts(G)) is disagree


def test_conflicts_without_a_build(tmp_path):
    result = CliRunner().invoke(cli, ["conflicts", "--out", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "no build here" in result.output
