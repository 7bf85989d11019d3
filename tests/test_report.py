"""Tests of graph.analysis.report on the hand-written TriG fixture: one run, its tables, its report and its RDF."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF, XSD

from graph.analysis.projection import project
from graph.analysis.report import (
    TABLES,
    analysis_graph,
    analyze_into,
    report_markdown,
    run_analysis,
    store_analysis,
    write_tables,
)
from graph.export.formats import write_trig
from graph.iri import CMKG, DCT
from graph.sparql import store

FIXTURE = Path(__file__).parent / "fixtures" / "mini.trig"
ID = "https://w3id.org/cmkg/id/"
RUN = URIRef("https://w3id.org/cmkg/graph/analysis")
AGREEMENT = "https://w3id.org/cmkg/fact/agreement/abc"


def load_mini() -> Dataset:
    ds = Dataset()
    ds.parse(FIXTURE, format="trig")
    return ds


@pytest.fixture(scope="module")
def mini() -> nx.MultiDiGraph:
    return project(load_mini())


@pytest.fixture(scope="module")
def analysis(mini: nx.MultiDiGraph):
    return run_analysis(mini)


@pytest.fixture()
def build(tmp_path: Path) -> Path:
    """A build folder of the fixture: graph.trig and store/."""
    out = tmp_path / "out"
    out.mkdir()
    shutil.copy(FIXTURE, out / "graph.trig")
    store.write_store(out / "graph.trig", out / "store")
    return out


def test_report_parameters(analysis) -> None:
    p = analysis.parameters
    assert (p["run_date"], p["as_of"], p["nodes"], p["edges"], p["facts"], p["facts_left_out"]) == (
        "2025-10-30",
        None,
        11,
        12,
        4,
        0,
    )
    assert (p["betweenness"], p["closeness"], p["seed"], p["eigenvector_converged"]) == ("exact", "exact", 42, True)


@pytest.mark.parametrize("date, facts, left_out", [("2025-10-29", 2, 2), ("2025-10-30", 4, 0), ("2025-01-01", 0, 4)])
def test_report_as_of(mini: nx.MultiDiGraph, date: str, facts: int, left_out: int) -> None:
    p = run_analysis(mini, as_of=date).parameters
    assert (p["as_of"], p["facts"], p["facts_left_out"]) == (date, facts, left_out)


def test_report_sampled_parameters(mini: nx.MultiDiGraph) -> None:
    p = run_analysis(mini, exact_below=5, k=3).parameters
    assert p["betweenness"] == "sampled from 3 sources"


def test_report_tables_of_the_fixture(analysis) -> None:
    communities = [(r["community"], r["central"]) for r in analysis.communities]
    assert communities == [(1, ["Japan", "United States"])]
    assert analysis.membership == {ID + "United_States": 1, ID + "Japan": 1}
    [market] = analysis.dependencies
    assert (market["mineral_label"], market["stage"], market["hhi"], market["unknown_share"]) == (
        "rare earth elements",
        "refining",
        8100.0,
        10.0,
    )
    assert [(r["supplier_label"], r["label"], r["how"]) for r in analysis.exposure] == [
        ("China", "United States", "direct")
    ]
    assert [r["label"] for r in analysis.alternatives] == ["US-Japan critical minerals framework"]
    rows = {r["iri"]: r for r in analysis.centrality}
    assert rows[ID + "Japan"]["community"] == 1 and rows[AGREEMENT]["community"] is None


def test_report_top_and_node_sizes(analysis) -> None:
    assert [r["label"] for r in analysis.top("betweenness", 2)] == ["United States", "Japan"]
    sizes = analysis.node_sizes("degree")
    assert len(sizes) == 11 and sizes[AGREEMENT] == pytest.approx(0.3)


def test_report_analysis_graph(analysis) -> None:
    g = analysis_graph(analysis)
    assert g.identifier == RUN
    assert (RUN, RDF.type, CMKG.AnalysisRun) in g
    assert g.value(RUN, DCT.date) == Literal("2025-10-30", datatype=XSD.date)
    assert g.value(RUN, CMKG.randomSeed) == Literal(42)
    assert g.value(RUN, CMKG.asOf) is None
    japan = URIRef(ID + "Japan")
    for prop in ("degree", "weightedDegree", "betweenness", "pagerank", "eigenvector", "closeness"):
        value = g.value(japan, CMKG[prop])
        assert value is not None and value.datatype == XSD.double, prop
    assert g.value(japan, CMKG.community) == Literal(1)
    assert len(list(g.subjects(CMKG.betweenness, None))) == 11


def test_report_analysis_graph_records_as_of(mini: nx.MultiDiGraph) -> None:
    g = analysis_graph(run_analysis(mini, as_of="2025-10-29", run_date="2026-01-01"))
    assert (g.value(RUN, CMKG.asOf), g.value(RUN, DCT.date)) == (
        Literal("2025-10-29", datatype=XSD.date),
        Literal("2026-01-01", datatype=XSD.date),
    )


def test_report_analysis_graph_is_deterministic(mini: nx.MultiDiGraph) -> None:
    first, second = analysis_graph(run_analysis(mini)), analysis_graph(run_analysis(mini))
    assert sorted(first) == sorted(second)


def test_report_markdown_quotes_the_evidence(analysis) -> None:
    text = report_markdown(analysis)
    assert "### rare earth elements — refining (world)" in text
    assert (
        "> La Chine raffine près de 90 % des terres rares. — Les terres rares, arme de la Chine, Le Quotidien" in text
    )
    assert "HHI 8,100 (at most 10,000)" in text
    assert "Pékin a restreint ses exportations de gallium vers les Etats-Unis." in text
    assert "- **1** (2 actors, 1 agreements among them): Japan, United States" in text


def test_report_write_tables(analysis, tmp_path: Path) -> None:
    paths = write_tables(analysis, tmp_path / "analysis")
    assert sorted(p.name for p in paths) == sorted(TABLES)
    with (tmp_path / "analysis" / "centrality.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == [
            "iri",
            "label",
            "group",
            "degree",
            "weighted_degree",
            "betweenness",
            "pagerank",
            "eigenvector",
            "closeness",
            "community",
        ]
        assert len(list(reader)) == 11
    with (tmp_path / "analysis" / "exposure.csv").open(encoding="utf-8", newline="") as handle:
        [row] = list(csv.DictReader(handle))
    assert (row["supplier_label"], row["label"], row["minerals"]) == ("China", "United States", "gallium")
    assert row["quote"] == "Pékin a restreint ses exportations de gallium vers les Etats-Unis."


BETWEENNESS = """PREFIX cmkg: <https://w3id.org/cmkg/ontology#>
SELECT ?node ?betweenness WHERE { ?node cmkg:betweenness ?betweenness } ORDER BY DESC(?betweenness) ?node"""


def test_report_store_analysis_is_queryable(analysis, build: Path) -> None:
    ds = load_mini()
    count = store_analysis(analysis_graph(analysis), ds, build / "graph.trig", build / "store")
    assert count == len(analysis_graph(analysis))
    rows = store.run_query(build / "store", BETWEENNESS).rows
    assert len(rows) == 11
    assert rows[0]["node"] == AGREEMENT
    assert float(rows[0]["betweenness"]) >= float(rows[1]["betweenness"])


def test_report_store_analysis_replaces_the_previous_run(analysis, mini: nx.MultiDiGraph, build: Path) -> None:
    ds = load_mini()
    store_analysis(analysis_graph(analysis), ds, build / "graph.trig", build / "store")
    quads = store.count_quads(build / "store")
    again = analysis_graph(run_analysis(mini, as_of="2025-10-29", run_date="2026-01-01"))
    store_analysis(again, ds, build / "graph.trig", build / "store")
    dates = store.run_query(
        build / "store",
        "PREFIX dcterms: <http://purl.org/dc/terms/> SELECT ?d WHERE { "
        "<https://w3id.org/cmkg/graph/analysis> dcterms:date ?d }",
    ).rows
    assert dates == [{"d": "2026-01-01"}]
    assert store.count_quads(build / "store") == quads - len(analysis_graph(analysis)) + len(again)


def test_report_graph_trig_holds_the_run_and_projects_the_same(analysis, build: Path) -> None:
    ds = load_mini()
    store_analysis(analysis_graph(analysis), ds, build / "graph.trig", build / "store")
    reread = Dataset()
    reread.parse(build / "graph.trig", format="trig")
    assert len(reread.graph(RUN)) == len(analysis_graph(analysis))
    G = project(reread)
    assert (G.number_of_nodes(), G.number_of_edges()) == (11, 12)
    assert "betweenness" not in {f["property"] for f in G.nodes[ID + "Japan"]["facts"]}


def test_report_analyze_into_writes_everything(mini: nx.MultiDiGraph, build: Path) -> None:
    result = analyze_into(mini, build, load_mini(), run_date="2026-01-01")
    assert sorted(p.name for p in result.files) == sorted(TABLES)
    assert all(p.is_file() and p.stat().st_size > 0 for p in result.files)
    assert result.quads == len(analysis_graph(result))
    before = (build / "graph.trig").read_bytes()
    analyze_into(mini, build, load_mini(), run_date="2026-01-01")
    assert (build / "graph.trig").read_bytes() == before


def test_report_does_not_mutate_graph(mini: nx.MultiDiGraph) -> None:
    import copy

    before = copy.deepcopy((list(mini.nodes(data=True)), list(mini.edges(keys=True, data=True))))
    run_analysis(mini, as_of="2025-10-29")
    assert copy.deepcopy((list(mini.nodes(data=True)), list(mini.edges(keys=True, data=True)))) == before


def test_report_write_trig_keeps_graphs_sorted(analysis, tmp_path: Path) -> None:
    ds = load_mini()
    store_path = tmp_path / "store"
    store.write_store(FIXTURE, store_path)
    store_analysis(analysis_graph(analysis), ds, tmp_path / "graph.trig", store_path)
    again = tmp_path / "again.trig"
    write_trig(ds, again)
    assert again.read_bytes() == (tmp_path / "graph.trig").read_bytes()
