"""Tests of graph.analysis.supply on tiny hand-built graphs: concentration, single points of failure, exposure."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import networkx as nx
import pytest

from graph.analysis.supply import (
    concentration,
    exposure,
    herfindahl,
    herfindahl_bounds,
    single_point_table,
    single_points_of_failure,
    supply_articulation_points,
    top_suppliers,
)

STATES = ("China", "USA", "Japan", "Australia", "Kyrgyzstan", "Malaysia")


def graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    G.add_nodes_from(STATES, group="State", facts=[], evidence=[])
    G.add_nodes_from(["REE", "Nd", "Ga", "Li"], group="Mineral", facts=[], evidence=[])
    G.add_edge("Nd", "REE", key="broader")
    return G


def fact(
    G: nx.MultiDiGraph,
    name: str,
    group: str,
    cls: str,
    links: list[tuple[str, str]],
    documents: tuple[tuple[str, str | None], ...] = (),
    **values: str,
) -> None:
    """Add a fact node with its literal values, its links and one evidence entry per (document, date)."""
    evidence = [
        {
            "claim": f"{name}/{i}",
            "quote": f"Sentence {i} about {name}.",
            "document": document,
            "date": date,
            "title": None,
            "publisher": None,
        }
        for i, (document, date) in enumerate(documents)
    ]
    G.add_node(
        name,
        group=group,
        cls=cls,
        label_en=name,
        evidence=evidence,
        facts=[{"property": k, "value": v, "lang": None} for k, v in values.items()],
    )
    for target, key in links:
        G.add_edge(name, target, key=key, evidence=evidence, evidence_count=len(evidence))


def share(
    G: nx.MultiDiGraph,
    name: str,
    actor: str,
    mineral: str,
    stage: str,
    percent: float,
    consumer: str | None = None,
    date: str | None = None,
    **values: str,
) -> None:
    links = [(actor, "actor"), (mineral, "mineral")] + ([(consumer, "consumer")] if consumer else [])
    fact(
        G,
        name,
        "MarketShare",
        "MarketShare",
        links,
        documents=(("doc", date),),
        stage=stage,
        percent=str(percent),
        **values,
    )


@pytest.mark.parametrize(
    "shares, expected", [([100], 10000.0), ([50, 50], 5000.0), ([50, 30, 20], 3800.0), ([], 0.0), ([12.5], 156.25)]
)
def test_supply_herfindahl(shares: list[float], expected: float) -> None:
    assert herfindahl(shares) == pytest.approx(expected)


@pytest.mark.parametrize(
    "shares, expected",
    [
        ([90], (8100.0, 10000.0)),
        ([50, 30], (3400.0, 5800.0)),
        ([60, 60], (7200.0, 7200.0)),
        ([], (0.0, 10000.0)),
        ([40, 40, 20], (3600.0, 3600.0)),
    ],
)
def test_supply_herfindahl_bounds(shares: list[float], expected: tuple[float, float]) -> None:
    assert herfindahl_bounds(shares) == pytest.approx(expected)


def market() -> nx.MultiDiGraph:
    G = graph()
    share(G, "cn-refining-old", "China", "REE", "refining", 92, date="2025-10-28")
    share(G, "cn-refining-new", "China", "REE", "refining", 90, date="2026-02-07")
    share(G, "my-refining", "Malaysia", "REE", "refining", 4, date="2025-01-01")
    share(G, "cn-nd-imports", "China", "Nd", "imports", 50, consumer="USA", date="2026-02-07")
    share(G, "us-imports", "USA", "Nd", "imports", 80, date="2026-02-07")
    share(G, "cn-ga", "China", "Ga", "production", 98, year="2023")
    return G


def test_supply_concentration_of_a_world_market() -> None:
    rows = {(r["mineral"], r["stage"], r["market"]): r for r in concentration(market())}
    row = rows[("REE", "refining", None)]
    assert [(s["label"], s["share"]) for s in row["suppliers"]] == [("China", 90.0), ("Malaysia", 4.0)]
    assert [f["share"] for f in row["suppliers"][0]["figures"]] == [90.0, 92.0]
    assert (row["known_share"], row["unknown_share"], row["hhi"], row["hhi_max"]) == pytest.approx(
        (94.0, 6.0, 8116.0, 96**2 + 16)
    )
    assert row["market_label"] == "world" and row["import_dependence"] is None
    assert {e["quote"] for e in row["evidence"]} == {
        "Sentence 0 about cn-refining-new.",
        "Sentence 0 about cn-refining-old.",
        "Sentence 0 about my-refining.",
    }


def test_supply_concentration_of_a_consumers_imports() -> None:
    rows = {(r["mineral"], r["stage"], r["market"]): r for r in concentration(market())}
    row = rows[("Nd", "imports", "USA")]
    assert [(s["label"], s["share"]) for s in row["suppliers"]] == [("China", 50.0)]
    assert (row["hhi"], row["unknown_share"], row["import_dependence"]) == (2500.0, 50.0, 80.0)


@pytest.mark.parametrize(
    "mineral, stage, markets",
    [
        (None, None, [("Ga", "production", None), ("Nd", "imports", "USA"), ("REE", "refining", None)]),
        ("REE", None, [("Nd", "imports", "USA"), ("REE", "refining", None)]),
        ("Nd", None, [("Nd", "imports", "USA")]),
        (None, "refining", [("REE", "refining", None)]),
        ("Li", None, []),
    ],
)
def test_supply_concentration_filters(mineral: str | None, stage: str | None, markets: list) -> None:
    assert [(r["mineral"], r["stage"], r["market"]) for r in concentration(market(), mineral, stage)] == markets


def test_supply_concentration_flags_overstated_markets() -> None:
    G = graph()
    share(G, "a", "China", "REE", "refining", 70)
    share(G, "b", "Malaysia", "REE", "refining", 40)
    [row] = concentration(G)
    assert (row["known_share"], row["unknown_share"], row["overstated"]) == (110.0, 0.0, True)


def chain() -> nx.MultiDiGraph:
    """A mine feeds China, which supplies the USA and Japan (export control on gallium)."""
    G = graph()
    G.add_node("Kutessay", group="Project", cls="Mine", facts=[], evidence=[])
    fact(
        G,
        "Kutessay",
        "Project",
        "Mine",
        [("China", "participant"), ("Kyrgyzstan", "participant"), ("Ga", "mineral")],
        documents=(("doc2", "2025-02-01"),),
    )
    fact(
        G,
        "ban",
        "Measure",
        "ExportControl",
        [("China", "imposer"), ("USA", "target"), ("Japan", "target"), ("Ga", "mineral")],
        documents=(("doc1", "2025-10-30"),),
    )
    return G


def test_supply_single_points_of_a_chain() -> None:
    assert single_points_of_failure(chain()) == {
        "China": ["Japan", "USA"],
        "Kutessay": ["China", "Japan", "Kyrgyzstan", "USA"],
    }


def test_supply_a_second_supplier_removes_the_single_point() -> None:
    G = chain()
    fact(G, "lynas", "Project", "Refinery", [("Japan", "participant"), ("Ga", "mineral")])
    cut = single_points_of_failure(G)
    assert cut["China"] == ["USA"]


def test_supply_a_consumer_with_its_own_production_has_no_single_point() -> None:
    G = chain()
    share(G, "us-ga", "USA", "Ga", "production", 5)
    assert single_points_of_failure(G)["China"] == ["Japan"]


def test_supply_a_world_share_makes_a_supplier() -> None:
    G = chain()
    share(G, "cn-ga", "China", "Ga", "production", 98)
    assert single_points_of_failure(G) == {"China": ["Japan", "USA"], "Kutessay": ["Kyrgyzstan"]}


@pytest.mark.parametrize(
    "mineral, expected", [("Ga", ["China", "Kutessay"]), ("Li", []), (None, ["China", "Kutessay"])]
)
def test_supply_articulation_points(mineral: str | None, expected: list) -> None:
    assert supply_articulation_points(chain(), mineral) == expected


def test_supply_single_point_table() -> None:
    rows = single_point_table(chain())
    assert [(r["mineral"], r["node"], r["consumers"], r["articulation"]) for r in rows] == [
        ("Ga", "Kutessay", ["China", "Japan", "Kyrgyzstan", "USA"], True),
        ("Ga", "China", ["Japan", "USA"], True),
    ]


def test_supply_exposure_direct_and_through_a_project() -> None:
    found = exposure(chain(), "China")
    lines = [(r["dependant"], r["how"], r["via"], r["line"]) for r in found["dependants"]]
    assert lines == [
        ("Japan", "direct", [], "target of China's export control on Ga"),
        ("USA", "direct", [], "target of China's export control on Ga"),
        ("Kutessay", "project", [], "its output goes to China"),
        ("Kyrgyzstan", "project", ["Kutessay"], "participant in Kutessay, whose output goes to China"),
    ]
    assert found["dependants"][1]["evidence"][0]["quote"] == "Sentence 0 about ban."


def test_supply_exposure_downstream() -> None:
    G = chain()
    share(G, "jp-to-my", "Japan", "Ga", "imports", 30, consumer="Malaysia")
    rows = [r for r in exposure(G, "China")["dependants"] if r["how"] == "downstream"]
    assert [(r["dependant"], r["via"], r["facts"]) for r in rows] == [("Malaysia", ["Japan"], ["ban", "jp-to-my"])]
    assert exposure(G, "China", max_hops=1)["dependants"][0]["how"] == "direct"
    assert not [r for r in exposure(G, "China", max_hops=1)["dependants"] if r["how"] == "downstream"]


def test_supply_exposure_share_line_and_evidence() -> None:
    found = exposure(market(), "China")
    [row] = found["dependants"]
    assert (row["dependant"], row["kind"], row["share"], row["line"]) == (
        "USA",
        "share",
        50.0,
        "50 % of its imports of Nd from China",
    )
    assert row["evidence"][0]["quote"] == "Sentence 0 about cn-nd-imports."


def alternatives_graph() -> nx.MultiDiGraph:
    G = chain()
    fact(
        G,
        "us-au",
        "Agreement",
        "Agreement",
        [("USA", "party"), ("Australia", "party"), ("Ga", "mineral")],
        agreementKind="framework",
    )
    fact(G, "us-jp", "Agreement", "Agreement", [("USA", "party"), ("Japan", "party")])
    fact(G, "us-cn", "Agreement", "Agreement", [("USA", "party"), ("China", "party"), ("Ga", "mineral")])
    fact(G, "jp-li", "Agreement", "Agreement", [("Japan", "party"), ("Australia", "party"), ("Li", "mineral")])
    fact(G, "mine", "Project", "Mine", [("Australia", "participant"), ("USA", "participant"), ("Ga", "mineral")])
    fact(G, "refinery", "Project", "Refinery", [("Japan", "participant")])
    return G


@pytest.mark.parametrize(
    "mineral, stage, expected",
    [
        (None, None, [("jp-li", "any"), ("us-au", "any"), ("us-jp", "any"), ("mine", "any"), ("refinery", "any")]),
        ("Ga", None, [("us-au", "stated"), ("mine", "stated"), ("us-jp", "unstated"), ("refinery", "unstated")]),
        ("Ga", "extraction", [("us-au", "stated"), ("mine", "stated"), ("us-jp", "unstated")]),
    ],
)
def test_supply_exposure_alternatives(mineral: str | None, stage: str | None, expected: list) -> None:
    found = exposure(alternatives_graph(), "China", mineral, stage)
    assert [(r["alternative"], r["match"]) for r in found["alternatives"]] == expected


def test_supply_exposure_alternative_fields() -> None:
    rows = {r["alternative"]: r for r in exposure(alternatives_graph(), "China", "Ga")["alternatives"]}
    assert (rows["us-au"]["kind"], rows["us-au"]["for"], rows["us-au"]["partners"]) == (
        "framework",
        ["USA"],
        ["Australia"],
    )
    assert rows["mine"]["for"] == ["USA"]


def test_supply_exposure_of_a_broader_mineral_counts() -> None:
    G = market()
    fact(G, "deal", "Agreement", "Agreement", [("USA", "party"), ("Japan", "party"), ("REE", "mineral")])
    rows = exposure(G, "China", "Nd")["alternatives"]
    assert [(r["alternative"], r["match"]) for r in rows] == [("deal", "broader")]


def test_supply_exposure_of_an_unknown_supplier_is_empty() -> None:
    found = exposure(chain(), "Australia")
    assert (found["dependants"], found["alternatives"]) == ([], [])


def test_supply_top_suppliers() -> None:
    G = chain()
    share(G, "jp-to-my", "Japan", "Ga", "imports", 30, consumer="Malaysia")
    assert top_suppliers(G) == ["China", "Japan"]
    assert top_suppliers(G, 1) == ["China"]


def snapshot(G: nx.Graph) -> Any:
    return copy.deepcopy((dict(G.graph), list(G.nodes(data=True)), list(G.edges(keys=True, data=True))))


@pytest.mark.parametrize(
    "function",
    [
        concentration,
        single_points_of_failure,
        supply_articulation_points,
        single_point_table,
        top_suppliers,
        lambda G: exposure(G, "China", "Ga"),
    ],
)
def test_supply_functions_do_not_mutate_graph(function: Callable[[nx.MultiDiGraph], Any]) -> None:
    G = alternatives_graph()
    share(G, "cn-ga", "China", "Ga", "production", 98)
    before = snapshot(G)
    function(G)
    assert snapshot(G) == before
