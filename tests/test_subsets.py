"""Tests of graph.analysis.subsets: tiny graphs with hand-computed answers, then the seeds' build."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from graph.analysis import projection as analyze
from graph.analysis import subsets
from graph.errors import CmkgError
from graph.pipeline import load_build

D1 = {"claim": "c1", "document": "d1", "date": "2024-05-01", "quote": "Japan and Chile sign a lithium deal."}
D2 = {"claim": "c2", "document": "d2", "date": "2025-03-01", "quote": "Chile and Japan extend the deal."}
D3 = {"claim": "c3", "document": "d3", "date": None, "quote": "Nobody knows when this was written."}


def entity(G: nx.MultiDiGraph, node: str, group: str, *, documents: tuple[str, ...] = (), **labels: Any) -> None:
    G.add_node(
        node,
        group=group,
        cls=group,
        label_en=labels.get("en", node),
        label_fr=labels.get("fr", node),
        facts=labels.get("facts", []),
        evidence=[],
        documents=list(documents),
    )


def fact(
    G: nx.MultiDiGraph, node: str, links: dict[str, list[str]], evidence: list[dict], date: str | None = None
) -> None:
    facts = [{"property": "date", "value": date, "lang": None}] if date else []
    G.add_node(
        node,
        group="Agreement",
        cls="Agreement",
        label_en=node,
        label_fr=node,
        facts=facts,
        evidence=list(evidence),
        documents=[],
    )
    for relation, targets in links.items():
        for target in targets:
            G.add_edge(
                node,
                target,
                key=relation,
                relation=relation,
                evidence=list(evidence),
                claims=[e["claim"] for e in evidence],
                evidence_count=len(evidence),
            )


@pytest.fixture
def world() -> nx.MultiDiGraph:
    """Japan and Chile in a lithium deal (two documents, 2024 and 2025), the US and China in a dated
    ban on neodymium (a rare earth), a plan told by an undated document, Peru only in the reference
    data, and a person whose office comes from the reference data."""
    G = nx.MultiDiGraph()
    entity(
        G,
        "Japan",
        "State",
        documents=("d1", "d2"),
        en="Japan",
        fr="Japon",
        facts=[{"property": "altLabel", "value": "Tokyo", "lang": "fr"}],
    )
    entity(G, "Chile", "State", documents=("d1",), en="Chile", fr="Chili")
    entity(
        G,
        "USA",
        "State",
        documents=("d2",),
        en="United States",
        fr="États-Unis",
        facts=[{"property": "altLabel", "value": "la Maison-Blanche", "lang": "fr"}],
    )
    entity(G, "China", "State", documents=("d2",), en="China", fr="Chine")
    entity(G, "Peru", "State", en="Peru", fr="Pérou")
    entity(G, "Lithium", "Mineral", documents=("d1",), en="lithium", fr="lithium")
    entity(G, "REE", "Mineral", documents=("d2",), en="rare earth elements", fr="terres rares")
    entity(G, "Nd", "Mineral", en="neodymium", fr="néodyme")
    entity(G, "Someone", "Person", documents=("d2",))
    G.add_edge("Nd", "REE", key="broader", relation="broader", evidence=[], claims=[], evidence_count=0)
    G.add_edge(
        "Someone", "USA", key="affiliatedWith", relation="affiliatedWith", evidence=[], claims=[], evidence_count=0
    )
    fact(G, "deal", {"party": ["Japan", "Chile"], "mineral": ["Lithium"]}, [D1, D2])
    fact(G, "ban", {"party": ["USA", "China"], "mineral": ["Nd"]}, [D2], date="2023-07")
    fact(G, "plan", {"party": ["Peru"]}, [D3])
    return G


def snapshot(G: nx.Graph) -> Any:
    return copy.deepcopy((dict(G.graph), list(G.nodes(data=True)), list(G.edges(keys=True, data=True))))


@pytest.mark.parametrize(
    "call",
    [
        lambda G: subsets.attested(G),
        lambda G: subsets.focus(G, "Japan", 2),
        lambda G: subsets.by_mineral(G, "REE"),
        lambda G: subsets.as_of(G, "2024-12-31"),
        lambda G: subsets.min_degree(G, 2),
    ],
)
def test_subsets_never_change_the_graph(world: nx.MultiDiGraph, call: Callable) -> None:
    before = snapshot(world)
    result = call(world)
    assert result is not world
    assert snapshot(world) == before


def test_subsets_attested_keeps_what_documents_say(world: nx.MultiDiGraph) -> None:
    H = subsets.attested(world)
    # Nd and Peru are named by no document, but a sentence links a fact to each of them.
    assert set(H) == {
        "China",
        "Chile",
        "Japan",
        "Lithium",
        "REE",
        "Someone",
        "USA",
        "ban",
        "deal",
        "plan",
        "Nd",
        "Peru",
    }
    assert all(data["evidence"] for _, _, data in H.edges(data=True))
    assert H.number_of_edges() == 7
    assert ("Someone", "USA", "affiliatedWith") not in H.edges(keys=True)
    assert H.graph["broader"] == {"Nd": ["REE"]}


def test_subsets_attested_keeps_the_mineral_hierarchy() -> None:
    G = nx.MultiDiGraph()
    for node in ("Nd", "REE", "Minerals"):
        entity(G, node, "Mineral", documents=("d1",))
    G.add_edge("Nd", "REE", key="broader", evidence=[])
    G.add_edge("REE", "Minerals", key="broader", evidence=[])
    H = subsets.attested(G)
    assert H.number_of_edges() == 0
    assert H.graph["broader"] == {"Nd": ["Minerals", "REE"], "REE": ["Minerals"]}


@pytest.mark.parametrize(
    "start, depth, expected",
    [
        ("Japan", 0, {"Japan"}),
        ("Japan", 0.5, {"Japan", "deal"}),
        ("Japan", 1, {"Japan", "deal", "Chile", "Lithium"}),
        ("USA", 1, {"USA", "ban", "China", "Nd", "Someone"}),
        ("Nd", 1, {"Nd", "ban", "USA", "China", "REE"}),
        ("deal", 0.5, {"deal", "Japan", "Chile", "Lithium"}),
    ],
)
def test_subsets_focus_counts_steps_between_entities(
    world: nx.MultiDiGraph, start: str, depth: float, expected: set[str]
) -> None:
    H = subsets.focus(world, start, depth)
    assert set(H) == expected
    assert set(H.edges(keys=True)) == {e for e in world.edges(keys=True) if e[0] in expected and e[1] in expected}


def test_subsets_focus_unknown_node(world: nx.MultiDiGraph) -> None:
    with pytest.raises(nx.NodeNotFound, match="Atlantis"):
        subsets.focus(world, "Atlantis", 1)


@pytest.mark.parametrize(
    "mineral, expected",
    [
        ("REE", {"REE", "Nd", "ban", "USA", "China"}),
        ("Nd", {"Nd", "ban", "USA", "China"}),
        ("Lithium", {"Lithium", "deal", "Japan", "Chile"}),
    ],
)
def test_subsets_by_mineral_takes_in_narrower_minerals(
    world: nx.MultiDiGraph, mineral: str, expected: set[str]
) -> None:
    assert set(subsets.by_mineral(world, mineral)) == expected


def test_subsets_by_mineral_reads_the_hierarchy_of_an_attested_graph(world: nx.MultiDiGraph) -> None:
    attested = subsets.attested(world)
    assert ("Nd", "REE", "broader") not in attested.edges(keys=True)
    assert set(subsets.by_mineral(attested, "REE")) == {"REE", "Nd", "ban", "USA", "China"}


@pytest.mark.parametrize(
    "k, expected",
    [
        (0, 12),
        (2, {"USA", "Nd", "deal", "ban"}),
        (3, {"deal", "ban"}),
        (4, set()),
    ],
)
def test_subsets_min_degree(world: nx.MultiDiGraph, k: int, expected: int | set[str]) -> None:
    H = subsets.min_degree(world, k)
    assert (H.number_of_nodes() if isinstance(expected, int) else set(H)) == expected


@pytest.mark.parametrize(
    "date, nodes, deal_documents",
    [
        # Before any document: only the dated ban (2023-07) and what it links; Peru is reference data.
        ("2023-12-31", {"ban", "USA", "China", "Nd", "REE", "Peru", "Someone"}, None),
        # The 2024 document tells the deal; the 2025 one does not count yet.
        (
            "2024-12-31",
            {"ban", "USA", "China", "Nd", "REE", "Peru", "Someone", "deal", "Japan", "Chile", "Lithium"},
            ["d1"],
        ),
        (
            "2025-03-01",
            {"ban", "USA", "China", "Nd", "REE", "Peru", "Someone", "deal", "Japan", "Chile", "Lithium"},
            ["d1", "d2"],
        ),
    ],
)
def test_subsets_as_of(world: nx.MultiDiGraph, date: str, nodes: set[str], deal_documents: list[str] | None) -> None:
    H = subsets.as_of(world, date)
    assert set(H) == nodes
    assert "plan" not in H  # told only by an undated document
    if deal_documents is None:
        return
    assert [e["document"] for e in H.nodes["deal"]["evidence"]] == deal_documents
    edge = H.edges["deal", "Japan", "party"]
    assert [e["document"] for e in edge["evidence"]] == deal_documents
    assert edge["evidence_count"] == len(deal_documents)
    assert H.nodes["Japan"]["documents"] == deal_documents


def test_subsets_as_of_dated_fact_keeps_all_its_evidence(world: nx.MultiDiGraph) -> None:
    H = subsets.as_of(world, dt.date(2023, 8, 1))
    assert H.nodes["ban"]["evidence"] == [D2]  # dated July 2023, reported in 2025
    assert "Someone" in H and ("Someone", "USA", "affiliatedWith") in H.edges(keys=True)


@pytest.mark.parametrize("date", ["2025-13-01", "soon", "2025/01/01"])
def test_subsets_as_of_refuses_a_bad_date(world: nx.MultiDiGraph, date: str) -> None:
    with pytest.raises(CmkgError, match="not a date"):
        subsets.as_of(world, date)


@pytest.mark.parametrize(
    "name, groups, expected",
    [
        ("Japon", None, "Japan"),
        ("JAPAN", None, "Japan"),
        ("tokyo", None, "Japan"),
        ("etats-unis", None, "USA"),
        ("la Maison-Blanche", None, "USA"),
        ("Maison Blanche", None, "USA"),
        ("terres rares", {"Mineral"}, "REE"),
        ("Néodyme", {"Mineral"}, "Nd"),
    ],
)
def test_subsets_find_node(world: nx.MultiDiGraph, name: str, groups: set[str] | None, expected: str) -> None:
    assert subsets.find_node(world, name, groups) == expected


@pytest.mark.parametrize(
    "name, groups, message",
    [
        ("Japn", None, "no node named 'Japn' in the graph; did you mean .*'Japan'"),
        ("Japon", {"Mineral"}, "no mineral named 'Japon'"),
        ("Atlantis", {"State", "Company"}, "no entity named 'Atlantis' in the graph$"),
    ],
)
def test_subsets_find_node_errors(world: nx.MultiDiGraph, name: str, groups: set[str] | None, message: str) -> None:
    with pytest.raises(CmkgError, match=message):
        subsets.find_node(world, name, groups)


def test_subsets_seeds_as_of_keeps_only_what_was_known(seeds_build: tuple[Path, Any]) -> None:
    out, _ = seeds_build
    G = subsets.attested(analyze.project(load_build(out)))
    cutoff = dt.date(2025, 12, 31)
    H = subsets.as_of(G, cutoff)
    assert 0 < H.number_of_nodes() < G.number_of_nodes()
    published = subsets.document_dates(G)
    for _node, data in H.nodes(data=True):
        if data["group"] not in subsets.FACT_GROUPS:
            continue
        own = subsets.claim_date(data)
        if own is not None:
            assert own <= cutoff
        else:
            assert data["evidence"] and all(published[e["document"]] <= cutoff for e in data["evidence"])
    # The 2026 document told facts that are gone, unless they carry an earlier date of their own.
    later = [
        n
        for n, d in G.nodes(data=True)
        if d["group"] in subsets.FACT_GROUPS
        and subsets.claim_date(d) is None
        and all(published.get(e["document"], dt.date.max) > cutoff for e in d["evidence"])
    ]
    assert later and not set(later) & set(H)
