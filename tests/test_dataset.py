"""The ontology and reference files copied into a build's dataset through the user cache (graph.build.dataset)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import XSD, BNode, Literal, URIRef

from graph.build import dataset as dataset_module
from graph.build.dataset import parse_turtle, term_from_json, term_to_json, turtle_triples

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"


def _exact(term) -> tuple:
    """A term with everything that tells two terms apart: class, N3, datatype, language and Python value."""
    return (
        type(term),
        term.n3(),
        getattr(term, "datatype", None),
        getattr(term, "language", None),
        repr(term.toPython()),
    )


@pytest.mark.parametrize(
    "term",
    [
        URIRef("https://w3id.org/cmkg/id/China"),
        BNode("cb0"),
        Literal("Chine", lang="fr"),
        Literal("12.5", datatype=XSD.decimal),
        Literal("2025-10-28", datatype=XSD.date),
        Literal("ligne\nsuivante « guillemets »"),
        Literal("true", datatype=XSD.boolean),
    ],
    ids=["iri", "blank", "lang", "decimal", "date", "multiline", "boolean"],
)
def test_dataset_term_reads_back_as_written(term):
    assert _exact(term_from_json(term_to_json(term))) == _exact(term)


@pytest.mark.parametrize("name", ["cmkg.ttl", "shapes.ttl", "entities.ttl", "generated/states.ttl"])
def test_dataset_turtle_kept_equals_parsed(monkeypatch, tmp_path, name):
    monkeypatch.setenv("CMKG_CACHE_DIR", str(tmp_path))
    path = ONTOLOGY / name
    parsed = parse_turtle(path)
    made = turtle_triples(path)  # parsed and kept
    assert list(tmp_path.glob(f"turtle-{path.name}-*.json"))
    kept = turtle_triples(path)  # read back
    expected = {tuple(map(_exact, t)) for t in parsed}
    assert {tuple(map(_exact, t)) for t in made} == expected
    assert {tuple(map(_exact, t)) for t in kept} == expected
    assert len(kept) == len(parsed)


def test_dataset_turtle_edited_is_parsed_again(monkeypatch, tmp_path):
    monkeypatch.setenv("CMKG_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "entities.ttl"
    shutil.copy(ONTOLOGY / "entities.ttl", path)
    before = turtle_triples(path)
    path.write_text(
        path.read_text(encoding="utf-8") + '\nid:Testland a cmkg:State ; skos:prefLabel "Testland"@en .\n',
        encoding="utf-8",
    )
    after = turtle_triples(path)
    assert len(after) == len(before) + 2
    assert set(after) == set(parse_turtle(path))


def test_dataset_turtle_kept_is_read_without_parsing(monkeypatch, tmp_path):
    monkeypatch.setenv("CMKG_CACHE_DIR", str(tmp_path))
    path = ONTOLOGY / "cmkg.ttl"
    expected = set(turtle_triples(path))

    def unreachable(path):
        raise AssertionError("parsed again")

    monkeypatch.setattr(dataset_module, "parse_turtle", unreachable)
    assert set(turtle_triples(path)) == expected
