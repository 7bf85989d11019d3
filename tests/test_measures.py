"""Tests of graph.analysis.measures on tiny hand-built graphs, against values computed by hand."""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from typing import Any

import networkx as nx
import pytest

from graph.analysis.measures import (
    MEASURES,
    betweenness_centrality,
    centrality_scores,
    centrality_table,
    closeness_centrality,
    communities,
    community_table,
    degree_centrality,
    eigenvector_centrality,
    node_sizes,
    pagerank,
    top_by_group,
    top_nodes,
    undirected_view,
    weighted_degree,
)
from graph.errors import AnalysisError

SQRT2 = math.sqrt(2)


def snapshot(G: nx.Graph) -> Any:
    return copy.deepcopy((dict(G.graph), list(G.nodes(data=True)), list(G.edges(data=True))))


def path3() -> nx.MultiDiGraph:
    """a - b - c, with a parallel edge and an edge back: the simple view is the path."""
    return nx.MultiDiGraph([("a", "b"), ("a", "b"), ("c", "b"), ("b", "c")])


def star5() -> nx.MultiDiGraph:
    return nx.MultiDiGraph([("hub", leaf) for leaf in "wxyz"])


def path4() -> nx.MultiDiGraph:
    return nx.MultiDiGraph([("a", "b"), ("b", "c"), ("d", "c")])


def two_pairs() -> nx.MultiDiGraph:
    return nx.MultiDiGraph([("a", "b"), ("c", "d")])


def evidence() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    G.add_edge("a", "b", evidence_count=3)
    G.add_edge("b", "a", evidence_count=0)
    G.add_edge("b", "c")
    return G


@pytest.mark.parametrize(
    "make, expected",
    [
        (path3, {"a": 2.0, "b": 4.0, "c": 2.0}),
        (evidence, {"a": 4.0, "b": 5.0, "c": 1.0}),
        (star5, {"hub": 4.0, "w": 1.0, "x": 1.0, "y": 1.0, "z": 1.0}),
    ],
)
def test_measures_weighted_degree(make: Callable[[], nx.Graph], expected: dict) -> None:
    assert weighted_degree(make()) == pytest.approx(expected)


@pytest.mark.parametrize(
    "make, expected",
    [
        # leaves: a = 0.05 + 0.85 b / 2; centre: b = 0.05 + 0.85 (a + c)  =>  a = 0.07125 / 0.2775
        (path3, {"a": 0.07125 / 0.2775, "b": 0.05 + 1.7 * 0.07125 / 0.2775, "c": 0.07125 / 0.2775}),
        # hub h = 0.03 + 0.85 * 4 l, leaf l = 0.03 + 0.85 h / 4  =>  l = 0.036375 / 0.2775
        (star5, {"hub": 0.03 + 3.4 * 0.036375 / 0.2775, **dict.fromkeys("wxyz", 0.036375 / 0.2775)}),
        (two_pairs, dict.fromkeys("abcd", 0.25)),
    ],
)
def test_measures_pagerank(make: Callable[[], nx.Graph], expected: dict) -> None:
    assert pagerank(make()) == pytest.approx(expected, abs=1e-5)


@pytest.mark.parametrize(
    "make, expected",
    [
        (path3, {"a": 0.5, "b": 1 / SQRT2, "c": 0.5}),
        (star5, {"hub": 1 / SQRT2, **dict.fromkeys("wxyz", 1 / (2 * SQRT2))}),
    ],
)
def test_measures_eigenvector(make: Callable[[], nx.Graph], expected: dict) -> None:
    assert eigenvector_centrality(make()) == pytest.approx(expected, abs=1e-5)


def test_measures_eigenvector_matches_networkx() -> None:
    G = nx.barabasi_albert_graph(200, 2, seed=5)
    assert eigenvector_centrality(G) == pytest.approx(nx.eigenvector_centrality(G, max_iter=1000), abs=1e-9)


@pytest.mark.parametrize("G", [nx.MultiDiGraph(), nx.empty_graph(3, create_using=nx.MultiDiGraph)])
def test_measures_eigenvector_without_edges_is_empty(G: nx.Graph) -> None:
    assert eigenvector_centrality(G) == {}


@pytest.mark.parametrize(
    "make, expected",
    [
        (path3, {"a": 2 / 3, "b": 1.0, "c": 2 / 3}),
        (path4, {"a": 0.5, "b": 0.75, "c": 0.75, "d": 0.5}),
        # two components of two nodes in four: (r - 1)/(n - 1) * (r - 1)/total = 1/3 * 1
        (two_pairs, dict.fromkeys("abcd", 1 / 3)),
        (star5, {"hub": 1.0, **dict.fromkeys("wxyz", 4 / 7)}),
    ],
)
def test_measures_closeness(make: Callable[[], nx.Graph], expected: dict) -> None:
    assert closeness_centrality(make()) == pytest.approx(expected)


@pytest.mark.parametrize("make", [path4, star5, two_pairs, lambda: nx.grid_2d_graph(5, 6)])
def test_measures_sampled_closeness_with_every_source_is_exact(make: Callable[[], nx.Graph]) -> None:
    G = make()
    assert closeness_centrality(G, exact_below=2, k=G.number_of_nodes()) == pytest.approx(closeness_centrality(G))


@pytest.mark.parametrize("k, seed", [(30, 42), (50, 7)])
def test_measures_sampled_closeness_is_deterministic_and_close(k: int, seed: int) -> None:
    G = nx.grid_2d_graph(10, 10)
    first = closeness_centrality(G, exact_below=50, k=k, seed=seed)
    assert first == closeness_centrality(G, exact_below=50, k=k, seed=seed)
    exact = closeness_centrality(G)
    assert max(abs(first[n] - exact[n]) for n in G) < 0.05


def test_measures_sampled_closeness_keeps_small_components_exact() -> None:
    G = nx.disjoint_union(nx.path_graph(30), nx.path_graph(3))
    estimate = closeness_centrality(G, exact_below=10, k=5, seed=1)
    assert [estimate[n] for n in (30, 31, 32)] == pytest.approx([2 / 3 * 2 / 32, 2 / 32, 2 / 3 * 2 / 32])


def test_measures_undirected_view_weights() -> None:
    H = undirected_view(evidence(), weight="evidence_count")
    assert sorted(H.edges(data="weight")) == [("a", "b", 4.0), ("b", "c", 1.0)]


@pytest.mark.parametrize(
    "G, expected",
    [
        (
            nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"), ("x", "z"), ("c", "x")]),
            {"a": 1, "b": 1, "c": 1, "x": 2, "y": 2, "z": 2},
        ),
        (
            nx.Graph(
                [
                    ("a", "b", {"weight": 10}),
                    ("b", "c", {"weight": 1}),
                    ("c", "d", {"weight": 10}),
                    ("d", "a", {"weight": 1}),
                ]
            ),
            {"a": 1, "b": 1, "c": 2, "d": 2},
        ),
        (nx.Graph([("p", "q")]), {"p": 1, "q": 1}),
    ],
)
def test_measures_communities(G: nx.Graph, expected: dict) -> None:
    assert communities(G) == expected


def test_measures_communities_are_deterministic() -> None:
    G = nx.les_miserables_graph()
    assert communities(G, seed=3) == communities(G, seed=3)


def test_measures_community_table_describes_members_and_minerals() -> None:
    G = nx.MultiDiGraph()
    G.add_nodes_from(["USA", "Japan", "India", "Chile", "EU"], group="State")
    G.add_nodes_from(["REE", "Li"], group="Mineral")
    links = [
        ("d1", "USA", "party"),
        ("d1", "Japan", "party"),
        ("d1", "REE", "mineral"),
        ("d2", "USA", "party"),
        ("d2", "Japan", "party"),
        ("d2", "India", "party"),
        ("d3", "Chile", "party"),
        ("d3", "EU", "party"),
        ("d3", "Li", "mineral"),
        ("mine", "Chile", "participant"),
        ("mine", "Li", "mineral"),
    ]
    for u, v, key in links:
        G.add_edge(u, v, key=key)
    for fact in ("d1", "d2", "d3"):
        G.nodes[fact]["group"] = "Agreement"
    G.nodes["mine"]["group"] = "Project"
    H = nx.Graph(
        [
            ("USA", "Japan", {"weight": 2}),
            ("USA", "India", {"weight": 1}),
            ("Japan", "India", {"weight": 1}),
            ("Chile", "EU", {"weight": 1}),
        ]
    )
    rows = community_table(G, H, top=2)
    assert [(r["community"], r["size"], r["central"], r["minerals"], r["agreements"]) for r in rows] == [
        (1, 3, ["Japan", "USA"], [["REE", 1]], 2),
        (2, 2, ["Chile", "EU"], [["Li", 2]], 1),
    ]
    assert rows[0]["members"] == ["India", "Japan", "USA"]


def test_measures_centrality_table_columns() -> None:
    rows = centrality_table(path3())
    assert [r["iri"] for r in rows] == ["b", "a", "c"]
    assert list(rows[0]) == ["iri", "label", "group", *MEASURES]
    assert rows[0]["closeness"] == 1.0


def test_measures_centrality_scores_use_one_sample() -> None:
    G = nx.MultiDiGraph(nx.barabasi_albert_graph(60, 2, seed=2))
    first = centrality_scores(G, exact_below=10, k=15, seed=4)
    assert first == centrality_scores(G, exact_below=10, k=15, seed=4)
    assert first["betweenness"] == betweenness_centrality(G, exact_below=10, k=15, seed=4)


ROWS = [
    {"iri": "us", "label": "United States", "group": "State", "degree": 0.5, "eigenvector": None},
    {"iri": "jp", "label": "Japan", "group": "State", "degree": 0.5, "eigenvector": 0.3},
    {"iri": "deal", "label": "Deal", "group": "Agreement", "degree": 1.0, "eigenvector": 0.9},
    {"iri": "ree", "label": "REE", "group": "Mineral", "degree": 0.2, "eigenvector": 0.1},
]


@pytest.mark.parametrize(
    "measure, n, groups, expected",
    [
        ("degree", 2, None, ["deal", "jp"]),
        ("degree", 5, {"State"}, ["jp", "us"]),
        ("eigenvector", 5, {"State"}, ["jp"]),
        ("degree", 5, {"Company"}, []),
    ],
)
def test_measures_top_nodes(measure: str, n: int, groups: set | None, expected: list) -> None:
    assert [r["iri"] for r in top_nodes(ROWS, measure, n, groups)] == expected


def test_measures_top_by_group() -> None:
    assert {g: [r["iri"] for r in rows] for g, rows in top_by_group(ROWS, "degree", 1).items()} == {
        "Agreement": ["deal"],
        "Mineral": ["ree"],
        "State": ["jp"],
    }


@pytest.mark.parametrize("measure", MEASURES)
def test_measures_node_sizes_cover_every_node(measure: str) -> None:
    sizes = node_sizes(star5(), measure)
    assert set(sizes) == set(star5())
    assert max(sizes, key=sizes.get) == "hub"


def test_measures_node_sizes_without_score_are_zero() -> None:
    assert node_sizes(nx.empty_graph(2), "eigenvector") == {0: 0.0, 1: 0.0}


def test_measures_node_sizes_unknown_measure() -> None:
    with pytest.raises(AnalysisError, match="unknown centrality 'fame'"):
        node_sizes(star5(), "fame")


@pytest.mark.parametrize(
    "measure",
    [
        degree_centrality,
        weighted_degree,
        betweenness_centrality,
        pagerank,
        eigenvector_centrality,
        closeness_centrality,
        centrality_scores,
        centrality_table,
        communities,
        undirected_view,
        lambda G: community_table(G, nx.Graph(G.to_undirected())),
        lambda G: node_sizes(G, "closeness"),
    ],
)
def test_measures_do_not_mutate_graph(measure: Callable[[nx.Graph], Any]) -> None:
    G = evidence()
    G.nodes["a"]["label_en"] = "A"
    before = snapshot(G)
    measure(G)
    assert snapshot(G) == before
