"""Exports for the tools researchers already use, each read back: GEXF and GraphML (networkx), CSV,
and RDF syntaxes (rdflib)."""

from __future__ import annotations

import csv

import networkx as nx
import pytest
from rdflib import Dataset, Graph, URIRef

from graph.analysis import projection as analyze
from graph.export.formats import (
    atomic_write_text,
    prefixed_names,
    read_trig_blocks,
    write_graph_file,
    write_node_edge_tables,
    write_rdf,
)


@pytest.fixture(scope="module")
def dataset(seeds_dataset):
    return seeds_dataset


@pytest.fixture(scope="module")
def projected(dataset):
    return analyze.project(dataset)


@pytest.mark.parametrize("fmt, read", [("gexf", nx.read_gexf), ("graphml", nx.read_graphml)])
def test_export_formats_graph_files_read_back(tmp_path, projected, fmt, read):
    scores = {node: {"degree": 0.25, "community": 3} for node in projected}
    path = tmp_path / f"graph.{fmt}"
    write_graph_file(projected, path, fmt, scores)
    back = read(path)
    assert back.number_of_nodes() == projected.number_of_nodes()
    assert back.number_of_edges() == projected.number_of_edges()
    japan = back.nodes["https://w3id.org/cmkg/id/Japan"]
    assert (japan["label"], japan["class"], japan["degree"], japan["community"]) == ("Japan", "State", 0.25, 3.0)
    relations = {d["relation"] for _, _, d in back.edges(data=True)}
    assert {"party", "mineral"} <= relations


def test_export_formats_csv_tables(tmp_path, projected):
    nodes, edges = write_node_edge_tables(projected, tmp_path)
    node_rows = list(csv.DictReader(nodes.open(encoding="utf-8")))
    edge_rows = list(csv.DictReader(edges.open(encoding="utf-8")))
    assert len(node_rows) == projected.number_of_nodes()
    assert len(edge_rows) == projected.number_of_edges()
    assert any(r["label"] == "China" and r["class"] == "State" for r in node_rows)
    assert all(r["source"] and r["target"] and r["relation"] for r in edge_rows)


@pytest.mark.parametrize(
    "fmt, named_graphs", [("trig", True), ("nq", True), ("jsonld", True), ("ttl", False), ("nt", False)]
)
def test_export_formats_rdf_round_trips(tmp_path, dataset, fmt, named_graphs):
    path = tmp_path / f"graph.{fmt}"
    write_rdf(dataset, path, fmt)
    rdf_format = {"trig": "trig", "nq": "nquads", "jsonld": "json-ld", "ttl": "turtle", "nt": "nt"}[fmt]
    if named_graphs:
        back = Dataset()
        back.parse(path, format=rdf_format)
        assert sum(1 for _ in back.quads((None, None, None, None))) == sum(
            1 for _ in dataset.quads((None, None, None, None))
        )
    else:
        back = Graph().parse(path, format=rdf_format)
        union = {t for g in dataset.graphs() for t in g}
        assert len(back) == len(union)


@pytest.mark.parametrize(
    "fmt, check",
    [
        ("gexf", lambda p: nx.read_gexf(p).nodes["https://w3id.org/cmkg/id/China"]["class"] == "State"),
        ("graphml", lambda p: "community" in nx.read_graphml(p).nodes["https://w3id.org/cmkg/id/China"]),
        ("csv", lambda p: (p / "nodes.csv").is_file() and (p / "edges.csv").is_file()),
        ("trig", lambda p: len(Dataset().parse(p, format="trig")) > 1000),
        ("ttl", lambda p: len(Graph().parse(p, format="turtle")) > 1000),
        ("nt", lambda p: len(Graph().parse(p, format="nt")) > 1000),
        ("jsonld", lambda p: len(Dataset().parse(p, format="json-ld")) > 1000),
        ("json", lambda p: "agreements" in __import__("json").loads(p.read_text(encoding="utf-8"))),
    ],
)
def test_export_formats_cli(tmp_path, seeds_build, fmt, check):
    from click.testing import CliRunner

    from graph.cli import cli

    out, _ = seeds_build
    target = tmp_path / (f"graph.{fmt}" if fmt != "csv" else "tables")
    result = CliRunner().invoke(cli, ["export", fmt, "--out", str(out), "--to", str(target)])
    assert result.exit_code == 0, result.output
    assert check(target)


def test_export_formats_cli_refuses_subsets_of_rdf(tmp_path, seeds_build):
    from click.testing import CliRunner

    from graph.cli import cli

    out, _ = seeds_build
    result = CliRunner().invoke(
        cli, ["export", "ttl", "--out", str(out), "--to", str(tmp_path / "x.ttl"), "--focus", "Japon"]
    )
    assert result.exit_code == 1
    assert "apply to html, gexf, graphml and csv" in result.output


@pytest.mark.parametrize("fmt", ["ttl", "trig", "nq"])
def test_export_formats_cli_counts_quads_and_graphs(tmp_path, seeds_build, fmt):
    from click.testing import CliRunner
    from rdflib import Dataset

    from graph.cli import cli

    out, _ = seeds_build
    target = tmp_path / f"graph.{fmt}"
    result = CliRunner().invoke(cli, ["export", fmt, "--out", str(out), "--to", str(target)])
    assert result.exit_code == 0, result.output
    ds = Dataset()
    ds.parse(out / "graph.trig", format="trig")
    quads = sum(1 for _ in ds.quads((None, None, None, None)))
    graphs = sum(1 for g in ds.graphs() if len(g))
    assert result.output == f"wrote {quads} quads in {graphs} graphs to {target}\n"


@pytest.mark.parametrize(
    "old_spelling", [["--build", "{out}", "--out", "{file}"], ["--out", "{file}"]], ids=["build-and-out", "out-as-file"]
)
def test_export_formats_cli_keeps_old_spellings_with_a_deprecation(tmp_path, seeds_build, monkeypatch, old_spelling):
    from click.testing import CliRunner

    from graph.cli import cli

    out, _ = seeds_build
    monkeypatch.chdir(out.parent)
    target = tmp_path / "old.gexf"
    args = [a.format(out=out.name, file=target) for a in old_spelling]
    result = CliRunner().invoke(cli, ["export", "gexf", *args])
    assert result.exit_code == 0, result.output
    assert "deprecated" in result.output
    assert target.is_file()


@pytest.mark.parametrize(
    "text, expected",
    [
        # the usual graphs: one triple a line, a blank line between graphs, an empty graph
        (
            "@prefix ex: <http://example.org/> .\n\nex:g {\n    ex:s ex:p 1 .\n    ex:s ex:p 2 .\n}\n\nex:h {\n}\n",
            (
                ["@prefix ex: <http://example.org/> ."],
                {"ex:g {": ["    ex:s ex:p 1 .", "    ex:s ex:p 2 ."], "ex:h {": []},
            ),
        ),
        # a literal with line breaks, one of them a blank line, continues its triple
        (
            'ex:g {\n    ex:s ex:p """a\n\nb""" .\n    ex:s ex:q 2 .\n}\n',
            ([], {"ex:g {": ['    ex:s ex:p """a\n\nb""" .', "    ex:s ex:q 2 ."]}),
        ),
        # the same graph twice, the last "}" without a line break
        (
            "ex:g {\n    ex:s ex:p 1 .\n}\n\nex:g {\n    ex:s ex:p 2 .\n}",
            ([], {"ex:g {": ["    ex:s ex:p 1 .", "    ex:s ex:p 2 ."]}),
        ),
        # a graph left open takes the lines to the end
        ("ex:g {\n    ex:s ex:p 1 .\n", ([], {"ex:g {": ["    ex:s ex:p 1 .\n"]})),
        # an empty line alone in a graph, and a header as the last line
        ("ex:g {\n\n}\nex:h {", ([], {"ex:g {": [""], "ex:h {": []})),
        # a first line without its four spaces still opens a triple
        ("ex:g {\nex:s ex:p 1 .\n    ex:s ex:p 2 .\n}\n", ([], {"ex:g {": ["ex:s ex:p 1 .", "    ex:s ex:p 2 ."]})),
    ],
)
def test_export_formats_read_trig_blocks_splits_graphs_and_triples(text, expected):
    assert read_trig_blocks(text) == expected


@pytest.mark.parametrize(
    "iri",
    [
        "https://w3id.org/cmkg/claim/0a1b2c3d4e5f6789",
        "https://w3id.org/cmkg/claim/f0",
        "https://w3id.org/cmkg/id/United_States",
        "https://w3id.org/cmkg/id/_x",
        "https://w3id.org/cmkg/id/Q42",
        "https://w3id.org/cmkg/id/a-b",
        "https://w3id.org/cmkg/id/a.b",
        "https://w3id.org/cmkg/id/Côte",
        "https://w3id.org/cmkg/id/",
        "https://w3id.org/cmkg/id/x/y",
        "https://w3id.org/cmkg/ontology#Agreement",
        "https://w3id.org/cmkg/fact/agreement/abc",
        "http://www.w3.org/XML/1998/namespace#lang",
        "http://example.org/unbound/x",
    ],
)
def test_export_formats_prefixed_names_are_what_n3_writes(iri):
    ds = Dataset()
    for prefix, namespace in (
        ("claim", "https://w3id.org/cmkg/claim/"),
        ("id", "https://w3id.org/cmkg/id/"),
        ("cmkg", "https://w3id.org/cmkg/ontology#"),
        ("xmlx", "http://www.w3.org/XML/1998/namespace#"),
    ):
        ds.bind(prefix, namespace)
    name = prefixed_names(ds.namespace_manager)(URIRef(iri))
    assert name is None or name == URIRef(iri).n3(ds.namespace_manager)


@pytest.mark.parametrize(
    "text",
    [
        '@prefix ex: <http://example.org/> .\n\nex:g {\n    ex:s ex:p "Pékin — 北京" .\n}\n',
        "a line\r\nkept with its carriage return\rand a lone one, no final line break",
        "",
    ],
)
def test_export_formats_atomic_write_text_writes_utf8_bytes_as_given(tmp_path, text):
    path = tmp_path / "out" / "graph.trig"
    atomic_write_text(path, "an older text that is longer than the new one " * 10)
    atomic_write_text(path, text)
    assert path.read_bytes() == text.encode("utf-8")
    assert path.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in path.parent.iterdir()] == ["graph.trig"]
