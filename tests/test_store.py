"""Tests of graph.sparql.store against a real on-disk Oxigraph store loaded from tests/fixtures/sample.trig."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pyoxigraph
import pytest
import rdflib

from graph.errors import QueryError, StoreError
from graph.sparql.store import (
    READ_ONLY_MESSAGE,
    count_quads,
    dump_store,
    format_result,
    grow_store,
    is_update,
    open_store,
    run_query,
    stats,
    write_store,
)

SAMPLE = Path(__file__).parent / "fixtures" / "sample.trig"
ID = "https://w3id.org/cmkg/id/"
PREFIXES = """
PREFIX cmkg: <https://w3id.org/cmkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""
STATES_QUERY = (
    PREFIXES
    + """
SELECT ?state ?label WHERE {
  ?state a cmkg:State ; skos:prefLabel ?label .
  FILTER(lang(?label) = "en")
} ORDER BY ?state
"""
)
STATES_ROWS = [
    {"state": f"{ID}China", "label": "China"},
    {"state": f"{ID}Japan", "label": "Japan"},
    {"state": f"{ID}United_States", "label": "United States"},
]
PROVENANCE_QUERY = (
    PREFIXES
    + """
SELECT ?claim ?document ?method ?confidence WHERE {
  GRAPH ?claim { ?agreement a cmkg:Agreement ; cmkg:party <https://w3id.org/cmkg/id/Japan> }
  GRAPH <https://w3id.org/cmkg/graph/provenance> {
    ?claim prov:wasDerivedFrom ?document ; cmkg:method ?method ; cmkg:confidence ?confidence
  }
}
"""
)


def rdflib_quads(path: Path, rdf_format: str) -> set[tuple[object, ...]]:
    """The quads rdflib reads from ``path``, literals compared by value (Oxigraph writes 92.0 as 92)."""
    dataset = rdflib.Dataset()
    dataset.parse(path, format=rdf_format)
    return {
        (s, p, (o.toPython(), o.datatype, o.language) if isinstance(o, rdflib.Literal) else o, g)
        for s, p, o, g in dataset.quads((None, None, None, None))
    }


def rdflib_quad_count(path: Path, rdf_format: str) -> int:
    """Number of quads rdflib reads from ``path``."""
    dataset = rdflib.Dataset()
    dataset.parse(path, format=rdf_format)
    return sum(1 for _ in dataset.quads((None, None, None, None)))


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store loaded from the sample dataset, shared by the read-only tests of this module."""
    path = tmp_path_factory.mktemp("sample") / "store"
    write_store(SAMPLE, path)
    return path


@pytest.mark.parametrize("suffix, rdflib_format", [(".trig", "trig"), (".nq", "nquads")])
def test_store_write_counts_quads_like_rdflib(tmp_path: Path, suffix: str, rdflib_format: str) -> None:
    dataset_path = tmp_path / f"sample{suffix}"
    dataset = rdflib.Dataset()
    dataset.parse(SAMPLE, format="trig")
    dataset.serialize(dataset_path, format=rdflib_format)
    expected = rdflib_quad_count(SAMPLE, "trig")

    written = write_store(dataset_path, tmp_path / "store")

    assert written == expected == rdflib_quad_count(dataset_path, rdflib_format)
    assert count_quads(tmp_path / "store") == expected


def test_store_select_sees_union_default_graph(store_dir: Path) -> None:
    result = run_query(store_dir, STATES_QUERY)

    assert result.kind == "select"
    assert result.variables == ["state", "label"]
    assert result.rows == STATES_ROWS


def test_store_select_without_union_sees_empty_default_graph(store_dir: Path) -> None:
    assert run_query(store_dir, STATES_QUERY, union_default_graph=False).rows == []


def test_store_graph_pattern_reaches_provenance(store_dir: Path) -> None:
    result = run_query(store_dir, PROVENANCE_QUERY)

    assert result.rows == [
        {
            "claim": "https://w3id.org/cmkg/claim/0f3a5c2e9b1d4a77",
            "document": "https://w3id.org/cmkg/doc/004_111536c8444e29a3",
            "method": "pattern:agreement",
            "confidence": "0.8",
        }
    ]
    assert result.bindings[0]["confidence"].datatype == "http://www.w3.org/2001/XMLSchema#decimal"


def test_store_unbound_variable_is_none(store_dir: Path) -> None:
    query = (
        PREFIXES
        + """
    SELECT ?state ?alt WHERE {
      ?state a cmkg:State . OPTIONAL { ?state skos:altLabel ?alt FILTER(lang(?alt) = "en") }
    } ORDER BY ?state
    """
    )
    assert [row["alt"] for row in run_query(store_dir, query).rows] == ["Beijing", None, None]


@pytest.mark.parametrize(
    "query, expected",
    [
        (PREFIXES + "ASK { ?s a cmkg:MarketShare ; cmkg:percent 92.0 }", True),
        (PREFIXES + "ASK { ?s a cmkg:MarketShare ; cmkg:percent 10.0 }", False),
    ],
)
def test_store_ask_answers_boolean(store_dir: Path, query: str, expected: bool) -> None:
    result = run_query(store_dir, query)

    assert (result.kind, result.boolean) == ("ask", expected)


def test_store_construct_answers_triples(store_dir: Path) -> None:
    query = PREFIXES + "CONSTRUCT { ?s skos:prefLabel ?l } WHERE { ?s a cmkg:Mineral ; skos:prefLabel ?l }"
    result = run_query(store_dir, query)

    assert result.kind == "graph"
    assert sorted((s.value, p.value, o.value, o.lang) for s, p, o in result.triples) == [
        (f"{ID}Rare_earth_elements", "http://www.w3.org/2004/02/skos/core#prefLabel", label, lang)
        for label, lang in [("Rare earth elements", "en"), ("Terres rares", "fr")]
    ]


def parse_table(text: str) -> list[list[str]]:
    """Split an aligned table into cells on runs of two or more spaces (none in the sample values)."""
    return [re.split(r"\s{2,}", line.strip()) for line in text.splitlines()]


def test_store_format_table_aligns_columns(store_dir: Path) -> None:
    text = format_result(run_query(store_dir, STATES_QUERY), "table")
    lines = text.splitlines()

    assert parse_table(text)[0] == ["state", "label"]
    assert set(lines[1]) <= {"-", " "}
    assert parse_table(text)[2:] == [[row["state"], row["label"]] for row in STATES_ROWS]
    assert len({re.match(r"\S+\s{2,}", line).end() for line in lines}) == 1  # column 2 aligned


def test_store_format_json_is_sparql_results(store_dir: Path) -> None:
    document = json.loads(format_result(run_query(store_dir, STATES_QUERY), "json"))

    assert document["head"] == {"vars": ["state", "label"]}
    assert document["results"]["bindings"][0] == {
        "state": {"type": "uri", "value": f"{ID}China"},
        "label": {"type": "literal", "value": "China", "xml:lang": "en"},
    }
    assert len(document["results"]["bindings"]) == 3


def test_store_format_json_matches_oxigraph_serializer(store_dir: Path) -> None:
    """Our JSON carries the same bindings as pyoxigraph's own SPARQL JSON serializer."""
    ours = json.loads(format_result(run_query(store_dir, PROVENANCE_QUERY), "json"))
    store = open_store(store_dir)
    answer = store.query(PROVENANCE_QUERY, use_default_graph_as_union=True)
    theirs = json.loads(answer.serialize(format=pyoxigraph.QueryResultsFormat.JSON))

    assert ours == theirs


def test_store_format_csv_parses(store_dir: Path) -> None:
    text = format_result(run_query(store_dir, STATES_QUERY), "csv")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))

    assert text.endswith("\r\n")
    assert rows == STATES_ROWS


@pytest.mark.parametrize("fmt, expected", [("table", "true\n"), ("csv", "true\r\n")])
def test_store_format_ask_is_true_or_false(store_dir: Path, fmt: str, expected: str) -> None:
    assert format_result(run_query(store_dir, "ASK { ?s ?p ?o }"), fmt) == expected


def test_store_format_json_ask(store_dir: Path) -> None:
    assert json.loads(format_result(run_query(store_dir, "ASK {}"), "json")) == {
        "head": {},
        "boolean": True,
    }


def test_store_format_unknown_raises_query_error(store_dir: Path) -> None:
    with pytest.raises(QueryError, match="unknown result format 'xml'"):
        format_result(run_query(store_dir, "ASK {}"), "xml")


@pytest.mark.parametrize(
    "query",
    ["SELECT ?s WHERE { ?s ?p }", "SELEC * WHERE { ?s ?p ?o }", PREFIXES + "SELECT * { ?s a cmkg: "],
)
def test_store_malformed_query_raises_query_error(store_dir: Path, query: str) -> None:
    with pytest.raises(QueryError) as caught:
        run_query(store_dir, query)

    message = str(caught.value)
    assert message.startswith("malformed query: error at ")
    assert "\n" not in message


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }",
        PREFIXES + "DELETE WHERE { ?s a cmkg:State }",
        "# a comment\nprefix ex: <http://example.org/> delete { ?s ?p ?o } where { ?s ?p ?o }",
        "LOAD <http://example.org/data.ttl>",
        "CLEAR ALL",
        "DROP GRAPH <https://w3id.org/cmkg/graph/provenance>",
        "CREATE GRAPH <http://example.org/g>",
    ],
)
def test_store_update_refused(store_dir: Path, update: str) -> None:
    before = count_quads(store_dir)

    with pytest.raises(QueryError) as caught:
        run_query(store_dir, update)

    assert str(caught.value) == READ_ONLY_MESSAGE
    assert count_quads(store_dir) == before


@pytest.mark.parametrize(
    "sparql, expected",
    [
        ("SELECT * WHERE { ?s ?p 'INSERT' }", False),
        ("PREFIX insert: <http://example.org/> SELECT * WHERE { ?s insert:p ?o }", False),
        ("BASE <http://example.org/#DROP> CLEAR DEFAULT", True),
        ('''SELECT * WHERE { ?s ?p """DELETE\n""" }''', False),
    ],
)
def test_store_is_update(sparql: str, expected: bool) -> None:
    assert is_update(sparql) is expected


@pytest.mark.parametrize(
    "call",
    [
        lambda d: run_query(d, "ASK {}"),
        count_quads,
        stats,
        open_store,
        lambda d: dump_store(d, d.parent / "dump.trig"),
    ],
    ids=["run_query", "count_quads", "stats", "open_store", "dump_store"],
)
@pytest.mark.parametrize("make_dir", [False, True], ids=["missing", "empty"])
def test_store_missing_store_raises_store_error(tmp_path: Path, call, make_dir: bool) -> None:
    store_dir = tmp_path / "store"
    if make_dir:
        store_dir.mkdir()

    with pytest.raises(StoreError, match=f"^no store at {re.escape(str(store_dir))}$"):
        call(store_dir)


def test_store_write_parse_error_names_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.trig"
    broken.write_text('<http://example.org/g> { <http://example.org/a> <http://example.org/b> "x }\n')
    store_dir = tmp_path / "store"

    with pytest.raises(StoreError) as caught:
        write_store(broken, store_dir)

    message = str(caught.value)
    assert message.startswith(f"{broken}: ")
    assert "line 1" in message
    assert "\n" not in message
    assert not store_dir.exists()


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("absent.trig", None, "no such file"),
        ("sample.ttl", "", "unknown dataset format"),
    ],
)
def test_store_write_rejects_bad_input(tmp_path: Path, name: str, content: str | None, expected: str) -> None:
    dataset_path = tmp_path / name
    if content is not None:
        dataset_path.write_text(content)

    with pytest.raises(StoreError, match=expected):
        write_store(dataset_path, tmp_path / "store")


def test_store_write_refuses_non_empty_dir(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    store_dir.mkdir()
    (store_dir / "keep.txt").write_text("mine")

    with pytest.raises(StoreError, match="is not empty: a store is written into a new directory"):
        write_store(SAMPLE, store_dir)
    assert (store_dir / "keep.txt").read_text() == "mine"


def test_store_stats(store_dir: Path) -> None:
    assert stats(store_dir) == {
        "quads": rdflib_quad_count(SAMPLE, "trig"),
        "named_graphs": 6,
        "claims": 2,
        "entities": {
            "State": 3,
            "InternationalOrganization": 0,
            "GovernmentBody": 0,
            "Company": 0,
            "Person": 0,
            "Mineral": 1,
            "Place": 0,
        },
    }


@pytest.mark.parametrize("fmt, rdflib_format", [("trig", "trig"), ("nquads", "nquads")])
def test_store_dump_round_trips(store_dir: Path, tmp_path: Path, fmt: str, rdflib_format: str) -> None:
    path = tmp_path / f"dump.{fmt}"

    written = dump_store(store_dir, path, fmt)

    assert written == rdflib_quad_count(path, rdflib_format) == rdflib_quad_count(SAMPLE, "trig")
    assert rdflib_quads(path, rdflib_format) == rdflib_quads(SAMPLE, "trig")


def test_store_dump_nquads_is_sorted(store_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "dump.nq"
    dump_store(store_dir, path, "nquads")
    lines = path.read_text(encoding="utf-8").splitlines()

    assert lines == sorted(lines)


def test_store_dump_unknown_format_raises_store_error(store_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="unknown dump format 'xml'"):
        dump_store(store_dir, tmp_path / "dump.xml", "xml")


GROW_QUADS = [
    (
        rdflib.URIRef(f"{ID}China"),
        rdflib.RDFS.label,
        rdflib.Literal("Chine", lang="fr"),
        "https://w3id.org/cmkg/claim/1",
    ),
    (
        rdflib.URIRef(f"{ID}China"),
        rdflib.RDFS.comment,
        rdflib.Literal('a "quote"\nand a line'),
        "https://w3id.org/cmkg/claim/1",
    ),
    (
        rdflib.URIRef(f"{ID}China"),
        rdflib.URIRef(f"{ID}share"),
        rdflib.Literal("0.90", datatype=rdflib.XSD.decimal),
        "https://w3id.org/cmkg/claim/2",
    ),
    (
        rdflib.URIRef(f"{ID}China"),
        rdflib.URIRef(f"{ID}p"),
        rdflib.URIRef(f"{ID}Japan"),
        "https://w3id.org/cmkg/claim/2",
    ),
]


def _nquads(store_dir: Path) -> list[str]:
    out = io.BytesIO()
    pyoxigraph.Store.read_only(str(store_dir)).dump(out, format=pyoxigraph.RdfFormat.N_QUADS)
    return sorted(out.getvalue().decode("utf-8").splitlines())


@pytest.mark.parametrize("removed", [0, 1])
def test_store_grow_equals_a_load_of_the_same_quads(tmp_path: Path, removed: int) -> None:
    ds = rdflib.Dataset()
    for s, p, o, g in GROW_QUADS[:2]:
        ds.graph(rdflib.URIRef(g)).add((s, p, o))
    (tmp_path / "old.trig").write_text(ds.serialize(format="trig"), encoding="utf-8")
    write_store(tmp_path / "old.trig", tmp_path / "old")
    before = _nquads(tmp_path / "old")
    analysis = "https://w3id.org/cmkg/graph/analysis"
    replaced = {analysis: [(rdflib.URIRef(f"{ID}China"), rdflib.URIRef(f"{ID}score"), rdflib.Literal(0.5))]}
    count = grow_store(tmp_path / "old", tmp_path / "new", GROW_QUADS[:removed], GROW_QUADS[2:], replaced)
    expected = rdflib.Dataset()
    for s, p, o, g in GROW_QUADS[removed:] + [(*t, analysis) for t in replaced[analysis]]:
        expected.graph(rdflib.URIRef(g)).add((s, p, o))
    (tmp_path / "expected.nq").write_text(expected.serialize(format="nquads"), encoding="utf-8")
    write_store(tmp_path / "expected.nq", tmp_path / "expected")
    assert _nquads(tmp_path / "new") == _nquads(tmp_path / "expected")
    assert count == len(GROW_QUADS) - removed + 1
    assert _nquads(tmp_path / "old") == before  # the old store, whose table files the new one links, is unchanged
