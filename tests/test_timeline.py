"""Tests of graph.analysis.timeline and of the --as-of rule (graph.analysis.subsets.as_of) the analysis relies on."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset

from graph.analysis.projection import project
from graph.analysis.subsets import as_of
from graph.analysis.timeline import fact_date, timeline
from graph.errors import CmkgError

FIXTURE = Path(__file__).parent / "fixtures" / "mini.trig"
ID = "https://w3id.org/cmkg/id/"
AGREEMENT = "https://w3id.org/cmkg/fact/agreement/abc"
SHARE = "https://w3id.org/cmkg/fact/share/def"
MEASURE = "https://w3id.org/cmkg/fact/measure/ghi"
MINE = "https://w3id.org/cmkg/fact/project/jkl"


@pytest.fixture(scope="module")
def mini() -> nx.MultiDiGraph:
    ds = Dataset()
    ds.parse(FIXTURE, format="trig")
    return project(ds)


def dated() -> nx.MultiDiGraph:
    """Facts dated by themselves, by their documents, or not at all."""
    G = nx.MultiDiGraph()
    G.add_nodes_from(["China", "USA", "Japan"], group="State", facts=[], evidence=[], documents=[])

    def fact(
        name: str, group: str, links: list[str], own: dict[str, str], documents: list[tuple[str, str | None]]
    ) -> None:
        evidence = [
            {"claim": f"{name}{i}", "quote": f"About {name}, {date}.", "document": doc, "date": date}
            for i, (doc, date) in enumerate(documents)
        ]
        G.add_node(
            name,
            group=group,
            cls=group,
            label_en=name,
            evidence=evidence,
            facts=[{"property": k, "value": v, "lang": None} for k, v in own.items()],
        )
        for target in links:
            G.add_edge(name, target, key="party", evidence=evidence, evidence_count=len(evidence))

    fact("ban-2023", "Measure", ["China"], {"date": "2023"}, [("d3", "2025-03-01")])
    fact("deal-oct", "Agreement", ["USA", "Japan"], {"date": "2025-10"}, [("d1", "2025-10-28")])
    fact("deal-28", "Agreement", ["USA", "Japan"], {"date": "2025-10-28"}, [("d1", "2025-10-28")])
    fact("share-2024", "MarketShare", ["China"], {"year": "2024"}, [("d5", "2024-05-02")])
    fact("told-2025", "Agreement", ["China", "USA"], {}, [("d4", "2026-01-15"), ("d3", "2025-03-01")])
    fact("undated", "Agreement", ["Japan"], {}, [("d2", None)])
    return G


@pytest.mark.parametrize(
    "node, expected",
    [
        ("ban-2023", ("2023", "fact")),
        ("deal-oct", ("2025-10", "fact")),
        ("share-2024", ("2024-05-02", "publication")),
        ("told-2025", ("2025-03-01", "publication")),
        ("undated", (None, None)),
    ],
)
def test_timeline_fact_date(node: str, expected: tuple) -> None:
    assert fact_date(dated(), node) == expected


def test_timeline_orders_by_date_coarse_first() -> None:
    rows = timeline(dated())
    assert [(r["date"], r["fact"]) for r in rows] == [
        ("2023", "ban-2023"),
        ("2024-05-02", "share-2024"),
        ("2025-03-01", "told-2025"),
        ("2025-10", "deal-oct"),
        ("2025-10-28", "deal-28"),
    ]
    assert rows[2]["dated_by"] == "publication" and rows[2]["quote"] == "About told-2025, 2025-03-01."


@pytest.mark.parametrize(
    "entity, facts",
    [("China", ["ban-2023", "share-2024", "told-2025"]), ("Japan", ["deal-oct", "deal-28"]), ("deal-28", ["deal-28"])],
)
def test_timeline_about_an_entity(entity: str, facts: list[str]) -> None:
    assert [r["fact"] for r in timeline(dated(), entity)] == facts


@pytest.mark.parametrize(
    "dates, expected",
    [
        (["2025-10", "2025-10-28"], "2025-10-28"),
        (["2025", "2025-10"], "2025-10"),
        (["2025-11", "2025-10-28"], "2025-10-28"),
        (["2024", "2025-10-28"], "2024"),
    ],
)
def test_timeline_fact_date_prefers_a_day_to_the_month_it_refines(dates: list[str], expected: str) -> None:
    G = nx.MultiDiGraph()
    G.add_node("deal", evidence=[], facts=[{"property": "date", "value": d} for d in dates])
    assert fact_date(G, "deal") == (expected, "fact")


def test_timeline_lists_undated_facts_last_on_request() -> None:
    rows = timeline(dated(), include_undated=True)
    assert (rows[-1]["fact"], rows[-1]["date"], rows[-1]["dated_by"]) == ("undated", None, None)
    assert "undated" not in [r["fact"] for r in timeline(dated())]


def test_timeline_of_the_fixture(mini: nx.MultiDiGraph) -> None:
    rows = timeline(mini, ID + "Japan")
    assert [(r["date"], r["dated_by"], r["label"]) for r in rows] == [
        ("2025-10", "fact", "US-Japan critical minerals framework")
    ]
    assert rows[0]["entities"] == ["Japan", "United States", "rare earth elements"]


@pytest.mark.parametrize(
    "lang, line",
    [
        ("en", "Japan and United States — framework on rare earth elements, signed (2025-10)"),
        ("fr", "États-Unis et Japon — accord-cadre (terres rares), signé (2025-10)"),
    ],
)
def test_timeline_rows_carry_the_facts_line(mini: nx.MultiDiGraph, lang: str, line: str) -> None:
    assert [r["line"] for r in timeline(mini, ID + "Japan", lang=lang)] == [line]


# --- the --as-of rule --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "date, kept",
    [
        # a fact's own date counts from its first day (2023 → 2023-01-01); else its first document's date
        # (a share's year is not a date of the fact)
        ("2022-12-31", set()),
        ("2023-01-01", {"ban-2023"}),
        ("2024-05-01", {"ban-2023"}),
        ("2024-06-30", {"ban-2023", "share-2024"}),
        ("2025-03-01", {"ban-2023", "share-2024", "told-2025"}),
        ("2025-10-01", {"ban-2023", "share-2024", "told-2025", "deal-oct"}),
        ("2030-01-01", {"ban-2023", "share-2024", "told-2025", "deal-oct", "deal-28"}),
    ],
)
def test_timeline_as_of_keeps_dated_or_published_facts(date: str, kept: set) -> None:
    facts = {n for n, g in as_of(dated(), date).nodes(data="group") if g != "State"}
    assert facts == kept


def test_timeline_as_of_drops_facts_with_neither_date() -> None:
    assert "undated" in dated()
    assert "undated" not in as_of(dated(), "2100-01-01")


def test_timeline_as_of_keeps_only_earlier_evidence_of_undated_facts() -> None:
    H = as_of(dated(), "2025-12-31")
    assert [e["document"] for e in H.nodes["told-2025"]["evidence"]] == ["d3"]


@pytest.mark.parametrize(
    "date, facts",
    [
        ("2025-09-30", set()),
        ("2025-10-01", {AGREEMENT}),
        ("2025-10-29", {AGREEMENT, MINE}),
        ("2025-10-30", {AGREEMENT, MINE, SHARE, MEASURE}),
    ],
)
def test_timeline_as_of_on_the_fixture(mini: nx.MultiDiGraph, date: str, facts: set) -> None:
    H = as_of(mini, date)
    assert {n for n, g in H.nodes(data="group") if g in ("Agreement", "Project", "Measure", "MarketShare")} == facts


@pytest.mark.parametrize("date", ["yesterday", "2025-13-01", "2025/10/01"])
def test_timeline_as_of_rejects_a_bad_date(date: str) -> None:
    with pytest.raises(CmkgError, match="not a date"):
        as_of(dated(), date)
