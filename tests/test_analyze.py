"""Tests of graph.analysis.projection: the RDF to networkx projection, its views, and the measures it re-exports."""

from __future__ import annotations

import copy
import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from rdflib import Dataset, Literal, URIRef

from graph.analysis.projection import (
    betweenness_centrality,
    broader_minerals,
    centrality_table,
    coagreement_graph,
    degree_centrality,
    narrower_minerals,
    node_sizes,
    project,
    supply_graph,
    supply_graphs,
    supply_links,
    world_shares,
)
from graph.export.tables import write_csv
from graph.iri import CMKG

FIXTURE = Path(__file__).parent / "fixtures" / "mini.trig"
ID = "https://w3id.org/cmkg/id/"
DOC = "https://w3id.org/cmkg/doc/"
AGREEMENT = "https://w3id.org/cmkg/fact/agreement/abc"
SHARE = "https://w3id.org/cmkg/fact/share/def"
MEASURE = "https://w3id.org/cmkg/fact/measure/ghi"
MINE = "https://w3id.org/cmkg/fact/project/jkl"


def load_mini() -> Dataset:
    ds = Dataset()
    ds.parse(FIXTURE, format="trig")
    return ds


@pytest.fixture(scope="module")
def mini() -> nx.MultiDiGraph:
    return project(load_mini())


def snapshot(G: nx.Graph) -> Any:
    """Everything a function could change in G, deep-copied."""
    return copy.deepcopy((dict(G.graph), list(G.nodes(data=True)), list(G.edges(keys=True, data=True))))


def test_analyze_project_counts(mini: nx.MultiDiGraph) -> None:
    assert (mini.number_of_nodes(), mini.number_of_edges()) == (11, 12)


@pytest.mark.parametrize(
    "iri, cls, group",
    [
        (ID + "United_States", "State", "State"),
        (ID + "Rare_earth_elements", "Mineral", "Mineral"),
        (ID + "JOGMEC", "GovernmentBody", "GovernmentBody"),
        (AGREEMENT, "Agreement", "Agreement"),
        (SHARE, "MarketShare", "MarketShare"),
        (MEASURE, "ExportControl", "Measure"),
        (MINE, "Mine", "Project"),
    ],
)
def test_analyze_project_classes_and_groups(mini: nx.MultiDiGraph, iri: str, cls: str, group: str) -> None:
    assert (mini.nodes[iri]["cls"], mini.nodes[iri]["group"]) == (cls, group)


@pytest.mark.parametrize(
    "iri, label_en, label_fr, wikidata",
    [
        (ID + "China", "China", "Chine", "Q148"),
        (ID + "United_States", "United States", "États-Unis", "Q30"),
        (ID + "Rare_earth_elements", "rare earth elements", "terres rares", None),
        (MINE, "Mount Weld", "Mount Weld", None),
        (
            SHARE,
            "China · rare earth elements · refining · 90.0%",
            "Chine · terres rares · refining · 90.0%",
            None,
        ),
    ],
)
def test_analyze_project_labels(
    mini: nx.MultiDiGraph, iri: str, label_en: str, label_fr: str, wikidata: str | None
) -> None:
    node = mini.nodes[iri]
    assert (node["label_en"], node["label_fr"], node["wikidata"]) == (label_en, label_fr, wikidata)


def test_analyze_project_agreement_has_evidence_from_two_documents(mini: nx.MultiDiGraph) -> None:
    evidence = mini.nodes[AGREEMENT]["evidence"]
    assert [e["document"] for e in evidence] == [DOC + "001_us_japan_framework", DOC + "002_terres_rares"]
    assert evidence[0] == {
        "claim": "https://w3id.org/cmkg/claim/a000000000000001",
        "quote": "The United States and Japan signed a framework agreement on critical minerals and rare earths.",
        "document": DOC + "001_us_japan_framework",
        "title": "United States and Japan sign critical minerals framework",
        "publisher": "Example Wire",
        "date": "2025-10-28",
        "url": "https://example.org/news/us-japan-framework",
        "method": "pattern:agreement",
        "confidence": 0.8,
    }
    assert evidence[1]["quote"] == "Les Etats-Unis et le Japon ont signé un accord-cadre sur les terres rares."


def test_analyze_project_agreement_facts(mini: nx.MultiDiGraph) -> None:
    facts = {f["property"]: f["value"] for f in mini.nodes[AGREEMENT]["facts"]}
    assert facts == {"agreementKind": "framework", "date": "2025-10", "status": "signed"}


@pytest.mark.parametrize("party", ["United_States", "Japan"])
def test_analyze_project_party_edges_go_from_fact_to_entity(mini: nx.MultiDiGraph, party: str) -> None:
    assert not mini.has_edge(ID + party, AGREEMENT)
    edge = mini.edges[AGREEMENT, ID + party, "party"]
    assert edge["relation"] == "party"
    assert edge["claims"] == [
        "https://w3id.org/cmkg/claim/a000000000000001",
        "https://w3id.org/cmkg/claim/a000000000000002",
    ]
    assert edge["evidence_count"] == 2
    assert len({e["document"] for e in edge["evidence"]}) == 2


def test_analyze_project_market_share(mini: nx.MultiDiGraph) -> None:
    assert sorted((v, key) for _, v, key in mini.out_edges(SHARE, keys=True)) == [
        (ID + "China", "actor"),
        (ID + "Rare_earth_elements", "mineral"),
    ]
    facts = {f["property"]: f["value"] for f in mini.nodes[SHARE]["facts"]}
    assert (facts["stage"], float(facts["percent"])) == ("refining", 90.0)
    assert mini.edges[SHARE, ID + "China", "actor"]["evidence"][0]["quote"] == (
        "La Chine raffine près de 90 % des terres rares."
    )


@pytest.mark.parametrize(
    "source, target, relation, evidence_count",
    [
        (MEASURE, ID + "China", "imposer", 1),
        (MEASURE, ID + "United_States", "target", 1),
        (MEASURE, ID + "Gallium", "mineral", 1),
        (MINE, ID + "Australia", "location", 1),
        (MINE, ID + "Australia", "participant", 1),
        (ID + "JOGMEC", ID + "Japan", "affiliatedWith", 0),
    ],
)
def test_analyze_project_other_edges(
    mini: nx.MultiDiGraph, source: str, target: str, relation: str, evidence_count: int
) -> None:
    assert mini.edges[source, target, relation]["evidence_count"] == evidence_count


def test_analyze_project_mentions_are_documents_not_edges(mini: nx.MultiDiGraph) -> None:
    assert mini.nodes[ID + "Japan"]["documents"] == [DOC + "001_us_japan_framework", DOC + "002_terres_rares"]
    assert mini.nodes[ID + "China"]["documents"] == [DOC + "002_terres_rares"]
    assert not any(key == "mentions" for *_, key in mini.edges(keys=True))
    assert not any(node.startswith(DOC) for node in mini)


def test_analyze_project_ignores_analysis_graph() -> None:
    ds = load_mini()
    ds.graph(URIRef("https://w3id.org/cmkg/graph/analysis")).add((URIRef(ID + "China"), CMKG.betweenness, Literal(0.5)))
    facts = project(ds).nodes[ID + "China"]["facts"]
    assert [f["property"] for f in facts] == ["isoCode"]


def test_analyze_project_is_deterministic() -> None:
    first, second = project(load_mini()), project(load_mini())
    assert snapshot(first) == snapshot(second)


def path3() -> nx.MultiDiGraph:
    return nx.MultiDiGraph([("a", "b"), ("c", "b"), ("a", "b")])


def star5() -> nx.MultiDiGraph:
    return nx.MultiDiGraph([("hub", leaf) for leaf in "wxyz"])


def path4() -> nx.MultiDiGraph:
    return nx.MultiDiGraph([("a", "b"), ("b", "c"), ("d", "c")])


@pytest.mark.parametrize(
    "make, expected",
    [
        (path3, {"a": 0.5, "b": 1.0, "c": 0.5}),
        (star5, {"hub": 1.0, "w": 0.25, "x": 0.25, "y": 0.25, "z": 0.25}),
        (path4, {"a": 1 / 3, "b": 2 / 3, "c": 2 / 3, "d": 1 / 3}),
    ],
)
def test_analyze_degree_centrality(make: Callable[[], nx.MultiDiGraph], expected: dict[str, float]) -> None:
    assert degree_centrality(make()) == pytest.approx(expected)


@pytest.mark.parametrize(
    "make, expected",
    [
        (path3, {"a": 0.0, "b": 1.0, "c": 0.0}),
        (star5, {"hub": 1.0, "w": 0.0, "x": 0.0, "y": 0.0, "z": 0.0}),
        (path4, {"a": 0.0, "b": 2 / 3, "c": 2 / 3, "d": 0.0}),
    ],
)
def test_analyze_betweenness_centrality(make: Callable[[], nx.MultiDiGraph], expected: dict[str, float]) -> None:
    assert betweenness_centrality(make()) == pytest.approx(expected)


@pytest.mark.parametrize("k, seed", [(5, 42), (10, 7)])
def test_analyze_sampled_betweenness_is_deterministic(k: int, seed: int) -> None:
    G = nx.MultiDiGraph(nx.barabasi_albert_graph(40, 2, seed=1))
    first = betweenness_centrality(G, exact_below=10, k=k, seed=seed)
    assert first == betweenness_centrality(G, exact_below=10, k=k, seed=seed)
    assert set(first) == set(G)


def test_analyze_sampled_betweenness_with_every_source_is_exact() -> None:
    G = nx.MultiDiGraph(nx.barabasi_albert_graph(30, 2, seed=3))
    assert betweenness_centrality(G, exact_below=10, k=30) == pytest.approx(betweenness_centrality(G))


@pytest.mark.parametrize(
    "measure",
    [
        degree_centrality,
        betweenness_centrality,
        centrality_table,
        coagreement_graph,
        supply_graph,
        supply_graphs,
        supply_links,
        world_shares,
        node_sizes,
    ],
)
def test_analyze_measures_do_not_mutate_graph(mini: nx.MultiDiGraph, measure: Callable[[nx.Graph], Any]) -> None:
    before = snapshot(mini)
    measure(mini)
    assert snapshot(mini) == before


def test_analyze_centrality_table_rows(mini: nx.MultiDiGraph) -> None:
    rows = centrality_table(mini)
    assert len(rows) == 11
    assert set(rows[0]) == {
        "iri",
        "label",
        "group",
        "degree",
        "weighted_degree",
        "betweenness",
        "pagerank",
        "eigenvector",
        "closeness",
    }
    assert rows[0]["iri"] == AGREEMENT
    keys = [(-row["betweenness"], row["label"]) for row in rows]
    assert keys == sorted(keys)
    zero = [row["label"] for row in rows if row["betweenness"] == 0.0]
    assert zero == ["Australia", "JOGMEC", "gallium"]


@pytest.mark.parametrize("lang, label", [("en", "China"), ("fr", "Chine")])
def test_analyze_centrality_table_language(mini: nx.MultiDiGraph, lang: str, label: str) -> None:
    rows = {row["iri"]: row for row in centrality_table(mini, lang=lang)}
    assert rows[ID + "China"]["label"] == label


def test_analyze_centrality_table_writes_as_csv(mini: nx.MultiDiGraph, tmp_path: Path) -> None:
    rows = centrality_table(mini)
    path = tmp_path / "centrality.csv"
    write_csv(rows, path)
    with path.open(encoding="utf-8", newline="") as handle:
        read = list(csv.DictReader(handle))
    assert [row["iri"] for row in read] == [row["iri"] for row in rows]
    assert float(read[0]["betweenness"]) == pytest.approx(rows[0]["betweenness"])
    assert [p.name for p in tmp_path.iterdir()] == ["centrality.csv"]


# --- views ------------------------------------------------------------------------------------------


def test_analyze_coagreement_graph_links_the_parties(mini: nx.MultiDiGraph) -> None:
    H = coagreement_graph(mini)
    assert sorted(H) == [ID + "Japan", ID + "United_States"]
    assert H.edges[ID + "United_States", ID + "Japan"] == {"weight": 1, "agreements": [AGREEMENT]}
    assert H.nodes[ID + "Japan"] == {"label_en": "Japan", "label_fr": "Japon", "group": "State"}


def agreements(*parties: tuple[str, ...]) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    for i, members in enumerate(parties):
        G.add_node(f"deal{i}", group="Agreement")
        for member in members:
            G.add_node(member, group="State")
            G.add_edge(f"deal{i}", member, key="party")
    return G


@pytest.mark.parametrize(
    "parties, expected",
    [
        ([("a", "b")], {("a", "b"): 1}),
        ([("a", "b"), ("b", "a")], {("a", "b"): 2}),
        ([("a", "b", "c")], {("a", "b"): 1, ("a", "c"): 1, ("b", "c"): 1}),
        ([("a", "b", "c"), ("a", "c"), ("d",)], {("a", "b"): 1, ("a", "c"): 2, ("b", "c"): 1}),
    ],
)
def test_analyze_coagreement_graph_weights(parties: list[tuple[str, ...]], expected: dict) -> None:
    H = coagreement_graph(agreements(*parties))
    assert {tuple(sorted((u, v))): w for u, v, w in H.edges(data="weight")} == expected
    assert set(H) == {p for members in parties for p in members}


def test_analyze_supply_links_of_the_fixture(mini: nx.MultiDiGraph) -> None:
    links = [(s["supplier"], s["consumer"], s["kind"], s["minerals"], s["stage"]) for s in supply_links(mini)]
    assert links == [
        (ID + "China", ID + "United_States", "export control", [ID + "Gallium"], None),
        (MINE, ID + "Australia", "project", [ID + "Rare_earth_elements"], "extraction"),
    ]


def test_analyze_world_shares_of_the_fixture(mini: nx.MultiDiGraph) -> None:
    assert world_shares(mini) == [
        {
            "actor": ID + "China",
            "fact": SHARE,
            "minerals": [ID + "Rare_earth_elements"],
            "stage": "refining",
            "share": 90.0,
        }
    ]


def market() -> nx.MultiDiGraph:
    """China and Australia supply the United States; a tariff, a mine and a world share."""
    G = nx.MultiDiGraph()
    G.add_nodes_from(["China", "USA", "Australia"], group="State")
    G.add_nodes_from(["REE", "Nd", "Li"], group="Mineral")
    G.add_edge("Nd", "REE", key="broader")

    def fact(name: str, group: str, cls: str, links: list[tuple[str, str]], **values: str) -> None:
        G.add_node(name, group=group, cls=cls, facts=[{"property": k, "value": v} for k, v in values.items()])
        for target, key in links:
            G.add_edge(name, target, key=key)

    fact(
        "imports",
        "MarketShare",
        "MarketShare",
        [("China", "actor"), ("USA", "consumer"), ("Nd", "mineral")],
        stage="imports",
        percent="50",
    )
    fact(
        "world", "MarketShare", "MarketShare", [("China", "actor"), ("REE", "mineral")], stage="refining", percent="90"
    )
    fact("tariff", "Measure", "Tariff", [("USA", "imposer"), ("China", "target"), ("Li", "mineral")])
    fact("mine", "Project", "Refinery", [("Australia", "participant"), ("USA", "participant"), ("REE", "mineral")])
    fact("fund", "Project", "Fund", [("USA", "participant"), ("REE", "mineral")])
    return G


@pytest.mark.parametrize(
    "mineral, stage, edges",
    [
        (
            None,
            None,
            [
                ("China", "USA", "imports"),
                ("China", "USA", "tariff"),
                ("mine", "Australia", "mine"),
                ("mine", "USA", "mine"),
            ],
        ),
        ("REE", None, [("China", "USA", "imports"), ("mine", "Australia", "mine"), ("mine", "USA", "mine")]),
        ("Nd", None, [("China", "USA", "imports")]),
        ("Li", None, [("China", "USA", "tariff")]),
        (
            None,
            "refining",
            [
                ("China", "USA", "imports"),
                ("China", "USA", "tariff"),
                ("mine", "Australia", "mine"),
                ("mine", "USA", "mine"),
            ],
        ),
        (None, "extraction", [("China", "USA", "imports"), ("China", "USA", "tariff")]),
    ],
)
def test_analyze_supply_graph_filters(mineral: str | None, stage: str | None, edges: list) -> None:
    H = supply_graph(market(), mineral, stage)
    assert sorted(H.edges(keys=True)) == edges


def test_analyze_supply_graph_weights_by_share() -> None:
    H = supply_graph(market())
    assert H.edges["China", "USA", "imports"]["weight"] == pytest.approx(0.5)
    assert "weight" not in H.edges["China", "USA", "tariff"]
    assert H.nodes["China"]["world_shares"] == [
        {"fact": "world", "stage": "refining", "share": 90.0, "minerals": ["REE"]}
    ]


def test_analyze_supply_graphs_per_mineral() -> None:
    graphs = supply_graphs(market())
    assert sorted(graphs) == ["Li", "Nd", "REE"]
    assert sorted(graphs["REE"].edges(keys=True)) == sorted(supply_graph(market(), "REE").edges(keys=True))


@pytest.mark.parametrize(
    "mineral, narrower, broader",
    [("REE", {"REE", "Nd"}, set()), ("Nd", {"Nd"}, {"REE"}), ("Li", {"Li"}, set())],
)
def test_analyze_mineral_hierarchy(mineral: str, narrower: set, broader: set) -> None:
    assert narrower_minerals(market(), mineral) == narrower
    assert broader_minerals(market(), mineral) == broader


def test_analyze_mineral_hierarchy_from_graph_attribute() -> None:
    G = nx.MultiDiGraph(broader={"Nd": ["REE"]})
    G.add_nodes_from(["Nd", "REE"], group="Mineral")
    assert narrower_minerals(G, "REE") == {"Nd", "REE"}


@pytest.mark.parametrize("view", [coagreement_graph, supply_graph])
def test_analyze_views_do_not_share_attribute_dicts(view: Callable[[nx.Graph], nx.Graph]) -> None:
    G = market()
    G.add_node("deal", group="Agreement")
    G.add_edge("deal", "USA", key="party")
    G.add_edge("deal", "Australia", key="party")
    before = snapshot(G)
    H = view(G)
    for node in H:
        H.nodes[node]["label_en"] = "changed"
    for *_, data in H.edges(data=True):
        data["weight"] = -1
    assert snapshot(G) == before


@pytest.mark.parametrize(
    "node, expected",
    [
        # Japan is JOGMEC's only way to the 9 other nodes: 9 of the 45 pairs.
        ("Japan", 9 / 45),
        # China: gallium's measure and the share meet only through it (2 pairs), and it carries half of
        # the 7 pairs that have one shortest path on each side (share–US, rare earths–measure...).
        ("China", (2 + 7 / 2) / 45),
        ("Australia", 0.0),
    ],
)
def test_analyze_betweenness_of_the_fixture_by_hand(mini: nx.MultiDiGraph, node: str, expected: float) -> None:
    assert betweenness_centrality(mini)[ID + node] == pytest.approx(expected)
