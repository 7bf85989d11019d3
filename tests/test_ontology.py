"""Checks of the files under ontology/: the OWL ontology, the SHACL shapes and the reference entities."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import owlready2
import pytest
from pyshacl import validate
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, SKOS

from graph.iri import CMKG, slug

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_DIR = ROOT / "ontology"
MODEL_DOC = ROOT / "docs" / "model.md"
ID = Namespace("https://w3id.org/cmkg/id/")
WD = "http://www.wikidata.org/entity/"

ENTITY_CLASSES = frozenset(
    CMKG[name]
    for name in (
        "State",
        "InternationalOrganization",
        "GovernmentBody",
        "Company",
        "Person",
        "Mineral",
        "Place",
    )
)
RARE_EARTH_SYMBOLS = frozenset("Sc Y La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb Lu".split())
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


def _parse(name: str) -> Graph:
    return Graph().parse(ONTOLOGY_DIR / name, format="turtle")


def _normalise(label: str) -> str:
    """Fold case, accents and apostrophes, as a matcher comparing labels would."""
    decomposed = unicodedata.normalize("NFKD", label.replace("\u2019", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def _cmkg_terms(g: Graph) -> set[URIRef]:
    return {
        node
        for triple in g
        for node in triple
        if isinstance(node, URIRef) and str(node).startswith(str(CMKG)) and node != URIRef(str(CMKG))
    }


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return _parse("cmkg.ttl")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return _parse("shapes.ttl")


@pytest.fixture(scope="module")
def entities() -> Graph:
    return _parse("entities.ttl")


@pytest.fixture(scope="module")
def entity_iris(entities: Graph) -> list[URIRef]:
    return sorted({s for s in entities.subjects() if isinstance(s, URIRef) and s.startswith(str(ID))})


@pytest.fixture(scope="module")
def declared_terms(ontology: Graph) -> set[URIRef]:
    return {
        s
        for kind in TERM_TYPES
        for s in ontology.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and s.startswith(str(CMKG))
    }


@pytest.mark.parametrize("name", ["cmkg.ttl", "shapes.ttl", "entities.ttl"])
def test_ontology_file_parses(name: str) -> None:
    assert len(_parse(name)) > 0


def test_ontology_loads_in_owlready2(ontology: Graph, tmp_path: Path) -> None:
    owl_file = tmp_path / "cmkg.owl"
    ontology.serialize(owl_file, format="xml")
    world = owlready2.World()
    onto = world.get_ontology(owl_file.as_uri()).load()
    class_names = {c.name for c in onto.classes()}
    assert {str(c).removeprefix(str(CMKG)) for c in ENTITY_CLASSES} <= class_names
    assert onto.party.domain == [onto.Agreement]


@pytest.mark.parametrize("source", ["entities.ttl", "shapes.ttl", "docs/model.md"])
def test_ontology_declares_every_term_used_in(source: str, declared_terms: set[URIRef]) -> None:
    if source.endswith(".md"):
        used = {CMKG[name] for name in re.findall(r"\bcmkg:([A-Za-z]\w*)", MODEL_DOC.read_text("utf-8"))}
    else:
        used = _cmkg_terms(_parse(source))
    assert sorted(used - declared_terms) == []


@pytest.mark.parametrize("predicate", [RDFS.label, SKOS.definition], ids=["label", "definition"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_ontology_term_has_text_in_language(
    ontology: Graph, declared_terms: set[URIRef], predicate: URIRef, lang: str
) -> None:
    missing = [
        term
        for term in sorted(declared_terms)
        if not any(isinstance(o, Literal) and o.language == lang for o in ontology.objects(term, predicate))
    ]
    assert missing == []


def test_ontology_entity_has_exactly_one_entity_type(entities: Graph, entity_iris: list[URIRef]) -> None:
    wrong = {e: types for e in entity_iris if len(types := set(entities.objects(e, RDF.type)) & ENTITY_CLASSES) != 1}
    assert wrong == {}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_ontology_entity_has_one_pref_label_in_language(entities: Graph, entity_iris: list[URIRef], lang: str) -> None:
    wrong = [e for e in entity_iris if sum(1 for o in entities.objects(e, SKOS.prefLabel) if o.language == lang) != 1]
    assert wrong == []


def test_ontology_entity_iri_is_slug_of_a_label(entities: Graph, entity_iris: list[URIRef]) -> None:
    wrong = [
        e
        for e in entity_iris
        if e.removeprefix(str(ID))
        not in {slug(str(o)) for p in (SKOS.prefLabel, SKOS.altLabel) for o in entities.objects(e, p)}
    ]
    assert wrong == []


def test_ontology_labels_do_not_collide(entities: Graph, entity_iris: list[URIRef]) -> None:
    owners: dict[str, set[URIRef]] = defaultdict(set)
    for e in entity_iris:
        for p in (SKOS.prefLabel, SKOS.altLabel):
            for label in entities.objects(e, p):
                owners[_normalise(str(label))].add(e)
    collisions = {label: sorted(es) for label, es in owners.items() if len(es) > 1}
    assert collisions == {}


def test_ontology_ambiguous_label_is_a_label_of_its_entity(entities: Graph) -> None:
    wrong = [
        (e, str(label))
        for e, label in entities.subject_objects(CMKG.ambiguousLabel)
        if _normalise(str(label))
        not in {_normalise(str(o)) for p in (SKOS.prefLabel, SKOS.altLabel) for o in entities.objects(e, p)}
    ]
    assert wrong == []


def test_ontology_wikidata_ids_are_unique_and_well_formed(entities: Graph) -> None:
    qids = [str(o) for o in entities.objects(None, SKOS.exactMatch)]
    assert all(re.fullmatch(re.escape(WD) + r"Q[1-9]\d*", q) for q in qids), qids
    assert len(qids) == len(set(qids))


def test_ontology_state_has_one_unique_iso_code(entities: Graph) -> None:
    states = sorted(entities.subjects(RDF.type, CMKG.State))
    codes = {s: [str(o) for o in entities.objects(s, CMKG.isoCode)] for s in states}
    assert {s: c for s, c in codes.items() if len(c) != 1 or not re.fullmatch(r"[A-Z]{2}", c[0])} == {}
    flat = [c[0] for c in codes.values()]
    assert len(flat) == len(set(flat))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_ontology_demonym_has_language(entities: Graph, lang: str) -> None:
    holders = set(entities.subjects(CMKG.demonym, None))
    missing = sorted(h for h in holders if not any(o.language == lang for o in entities.objects(h, CMKG.demonym)))
    assert missing == []
    if lang == "fr":
        assert all(str(o) == str(o).lower() for o in entities.objects(None, CMKG.demonym) if o.language == "fr")


def test_ontology_rare_earths_are_the_seventeen_elements(entities: Graph) -> None:
    members = set(entities.subjects(SKOS.broader, ID.Rare_earth_elements))
    symbols = {str(entities.value(m, CMKG.chemicalSymbol)) for m in members}
    assert len(members) == 17
    assert symbols == RARE_EARTH_SYMBOLS
    assert all((m, RDF.type, CMKG.Mineral) in entities for m in members)


def test_ontology_chemical_symbols_are_unique(entities: Graph) -> None:
    symbols = [str(o) for o in entities.objects(None, CMKG.chemicalSymbol)]
    assert len(symbols) == len(set(symbols))


SHAPES_PREFIXES = """
@prefix cmkg: <https://w3id.org/cmkg/ontology#> .
@prefix id:   <https://w3id.org/cmkg/id/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix ex:   <https://example.org/> .
"""

VALID_DATA = """
id:Japan a cmkg:State ; skos:prefLabel "Japan"@en .
id:United_States a cmkg:State ; skos:prefLabel "United States"@en .
id:Neodymium a cmkg:Mineral ; skos:prefLabel "Neodymium"@en .
ex:agreement a cmkg:Agreement ; cmkg:party id:Japan , id:United_States .
ex:share a cmkg:MarketShare ; cmkg:actor id:Japan ; cmkg:mineral id:Neodymium ;
    cmkg:percent "90"^^xsd:decimal .
ex:claim a cmkg:Claim ; prov:wasDerivedFrom ex:doc ; cmkg:quote "Le Japon et les Etats-Unis ont signé." ;
    cmkg:startOffset 10 ; cmkg:endOffset 46 ; cmkg:method "pattern:agreement" ;
    cmkg:confidence "0.8"^^xsd:decimal .
"""


def _conforms(extra: str, drop: str = "") -> tuple[bool, str]:
    data = Graph().parse(data=SHAPES_PREFIXES + VALID_DATA.replace(drop, "") + extra, format="turtle")
    data += _parse("cmkg.ttl")
    conforms, _, text = validate(data, shacl_graph=_parse("shapes.ttl"))
    return conforms, text


def test_ontology_shapes_accept_valid_data() -> None:
    conforms, text = _conforms("")
    assert conforms, text


@pytest.mark.parametrize(
    ("extra", "drop"),
    [
        ("ex:a2 a cmkg:Agreement .", ""),
        ("ex:a3 a cmkg:Agreement ; cmkg:party id:Neodymium .", ""),
        (
            'ex:s2 a cmkg:MarketShare ; cmkg:actor id:Japan ; cmkg:mineral id:Neodymium ; cmkg:percent "120"^^xsd:decimal .',
            "",
        ),
        (
            'ex:s3 a cmkg:MarketShare ; cmkg:actor id:Japan , id:United_States ; cmkg:mineral id:Neodymium ; cmkg:percent "5"^^xsd:decimal .',
            "",
        ),
        ('ex:s4 a cmkg:MarketShare ; cmkg:actor id:Japan ; cmkg:percent "5"^^xsd:decimal .', ""),
        ('ex:claim cmkg:confidence "1.5"^^xsd:decimal .', ""),
        ("ex:claim prov:wasDerivedFrom ex:other_doc .", ""),
        ("", "cmkg:startOffset 10 ; "),
        ("ex:claim cmkg:startOffset 99 .", "cmkg:startOffset 10 ; "),
        ('ex:claim cmkg:method "guess" .', 'cmkg:method "pattern:agreement" ; '),
        ("id:Nowhere a cmkg:Place .", ""),
    ],
    ids=[
        "agreement-without-party",
        "agreement-party-not-actor",
        "percent-above-100",
        "two-actors",
        "share-without-mineral",
        "confidence-above-1",
        "two-sources",
        "claim-without-start",
        "start-after-end",
        "unknown-method",
        "entity-without-label",
    ],
)
def test_ontology_shapes_reject_invalid_data(extra: str, drop: str) -> None:
    conforms, text = _conforms(extra, drop)
    assert not conforms, text
