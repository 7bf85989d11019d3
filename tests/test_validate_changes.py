"""SHACL of only what changed (`cmkg add`) gives the violations of a whole validation."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Dataset, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph

from graph.build.quads import Quads
from graph.build.validate import affected_nodes, changed_quads, validate_changes, validate_dataset
from graph.export.formats import trig_blocks, trig_prefixes
from graph.iri import CMKG, DEFAULT_BASE, ONTOLOGY_GRAPH, REFERENCE_GRAPH, graph_iri

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"
SHAPES = ONTOLOGY / "shapes.ttl"
ID = f"{DEFAULT_BASE}id/"
AGREEMENT, OTHER, COMPANY, STATE = (URIRef(ID + n) for n in ("agreement", "other-agreement", "company", "state"))
UNNAMED = URIRef(ID + "unnamed-state")

# Claims: name → triples. Each becomes a named graph of its own.
CLAIMS = {
    "party-state": [(AGREEMENT, RDF.type, CMKG.Agreement), (AGREEMENT, CMKG.party, STATE)],
    "party-company": [(OTHER, RDF.type, CMKG.Agreement), (OTHER, CMKG.party, COMPANY)],
    "company-typed": [(COMPANY, RDF.type, CMKG.Company), (COMPANY, RDFS.label, Literal("Lynas"))],
    "agreement-alone": [(AGREEMENT, RDF.type, CMKG.Agreement)],
    "other-to-unnamed": [(OTHER, CMKG.party, UNNAMED)],
}


def _dataset(claims: list[str]) -> Dataset:
    """The ontology, a reference graph with one labelled and one unlabelled state, and ``claims``."""
    ds = Dataset()
    ontology = ds.graph(URIRef(graph_iri(ONTOLOGY_GRAPH)))
    for triple in to_canonical_graph(Graph().parse(ONTOLOGY / "cmkg.ttl", format="turtle")):
        ontology.add(triple)  # blank nodes labelled canonically, as a build does
    reference = ds.graph(URIRef(graph_iri(REFERENCE_GRAPH)))
    reference.add((STATE, RDF.type, CMKG.State))
    reference.add((STATE, RDFS.label, Literal("Japan")))
    reference.add((UNNAMED, RDF.type, CMKG.State))  # no label: a violation once something names it
    for name in claims:
        g = ds.graph(URIRef(f"{DEFAULT_BASE}claim/{name}"))
        for triple in CLAIMS[name]:
            g.add(triple)
    return ds


def _changes(before: Dataset, after: Dataset) -> tuple[list, list]:
    old = dict(trig_blocks(before).values())
    new = dict(trig_blocks(after).values())
    prefixes = trig_prefixes(after)
    return changed_quads(prefixes, old, new), changed_quads(prefixes, new, old)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # the company gets its type from a new claim: the agreement that names it, untouched, becomes valid
        (["party-state", "party-company"], ["party-state", "party-company", "company-typed"]),
        # the claim that gave an agreement its party goes: the agreement, now without one, violates
        (["party-state", "agreement-alone", "party-company", "company-typed"], ["agreement-alone"]),
        # a reference state named for the first time comes into the union graph, without its label
        (["party-company", "company-typed"], ["party-company", "company-typed", "other-to-unnamed"]),
        # and back: the reference state is named no more
        (["party-company", "company-typed", "other-to-unnamed"], ["party-company", "company-typed"]),
    ],
)
def test_validate_changes_equals_a_whole_validation(before, after):
    old, new = _dataset(before), _dataset(after)
    previous, expected = validate_dataset(old, SHAPES), validate_dataset(new, SHAPES)
    assert previous != expected  # the change matters, so the test can fail
    removed, added = _changes(old, new)
    assert validate_changes(new, SHAPES, previous, removed, added) == expected
    # the same on the dataset a build holds (graph.build.quads), which answers the look-ups from its indexes
    assert validate_dataset(Quads.of(new), SHAPES) == expected
    assert validate_changes(Quads.of(new), SHAPES, previous, removed, added) == expected


def test_validate_changes_leaves_untouched_nodes_out():
    old = _dataset(["party-state", "party-company", "company-typed"])
    new = _dataset(["party-state", "party-company", "company-typed", "other-to-unnamed"])
    nodes = affected_nodes(new, *_changes(old, new))
    assert OTHER in nodes and UNNAMED in nodes
    assert AGREEMENT not in nodes and STATE not in nodes


def test_validate_changes_of_the_ontology_validates_everything():
    old, new = _dataset(["party-state"]), _dataset(["party-state"])
    new.graph(URIRef(graph_iri(ONTOLOGY_GRAPH))).remove((CMKG.State, RDFS.subClassOf, CMKG.Actor))
    assert affected_nodes(new, *_changes(old, new)) is None
    assert validate_changes(new, SHAPES, [], *_changes(old, new)) == validate_dataset(new, SHAPES)
