"""Tests of graph.sparql.store.replace_graph: one named graph of the store replaced in one transaction."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import StoreError
from graph.sparql import store

DATA = """<http://example.org/kept> { <http://example.org/s> <http://example.org/p> "kept" . }
<http://example.org/g> { <http://example.org/s> <http://example.org/p> "old" . }
"""
TRIPLES = """<http://example.org/s> <http://example.org/p> "nouveau"@fr .
<http://example.org/s> <http://example.org/q> "0.5"^^<http://www.w3.org/2001/XMLSchema#double> ."""
OBJECTS = "SELECT ?g ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g ?o"


@pytest.fixture()
def store_dir(tmp_path: Path) -> Path:
    (tmp_path / "data.trig").write_text(DATA, encoding="utf-8")
    store.write_store(tmp_path / "data.trig", tmp_path / "store")
    return tmp_path / "store"


@pytest.mark.parametrize(
    "graph, ntriples, count, objects",
    [
        (
            "http://example.org/g",
            TRIPLES,
            2,
            [("http://example.org/g", "0.5"), ("http://example.org/g", "nouveau"), ("http://example.org/kept", "kept")],
        ),
        ("http://example.org/g", "", 0, [("http://example.org/kept", "kept")]),
        (
            "http://example.org/new",
            TRIPLES,
            2,
            [
                ("http://example.org/g", "old"),
                ("http://example.org/kept", "kept"),
                ("http://example.org/new", "0.5"),
                ("http://example.org/new", "nouveau"),
            ],
        ),
    ],
)
def test_store_replace_graph(store_dir: Path, graph: str, ntriples: str, count: int, objects: list) -> None:
    assert store.replace_graph(store_dir, graph, ntriples) == count
    assert [(r["g"], r["o"]) for r in store.run_query(store_dir, OBJECTS).rows] == objects


def test_store_replace_graph_twice_does_not_duplicate(store_dir: Path) -> None:
    store.replace_graph(store_dir, "http://example.org/g", TRIPLES)
    store.replace_graph(store_dir, "http://example.org/g", TRIPLES)
    assert store.count_quads(store_dir) == 3


def test_store_replace_graph_bad_triples_keep_the_old_graph(store_dir: Path) -> None:
    with pytest.raises(StoreError, match="cannot replace graph <http://example.org/g>"):
        store.replace_graph(store_dir, "http://example.org/g", "<http://example.org/s> not n-triples")
    assert ("http://example.org/g", "old") in [(r["g"], r["o"]) for r in store.run_query(store_dir, OBJECTS).rows]


@pytest.mark.parametrize("graph", ["", "http://example.org/a b", "http://example.org/>"])
def test_store_replace_graph_bad_iri(store_dir: Path, graph: str) -> None:
    with pytest.raises(StoreError, match="not a graph IRI"):
        store.replace_graph(store_dir, graph, TRIPLES)


def test_store_replace_graph_without_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store"):
        store.replace_graph(tmp_path / "nothing", "http://example.org/g", TRIPLES)
