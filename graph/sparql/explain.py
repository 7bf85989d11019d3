"""Explain: every fact the build holds about one entity, each with its sentence and its document."""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.errors import QueryError
from graph.extract.text import fold
from graph.sparql import store

PREFIXES = """PREFIX cmkg: <https://w3id.org/cmkg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


@dataclass
class Fact:
    """One claim about the entity: what it asserts, and where it was read."""

    claim: str
    about: str
    statement: str
    quote: str
    document: str
    title: str | None
    date: str | None
    method: str
    confidence: float


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def find_entity(store_dir, name: str) -> tuple[str, str]:
    """The IRI and English label of the entity one of whose labels is ``name``, compared folded
    (case, accents, hyphens) and without a leading article: "Japon", "la Maison-Blanche", "l'UE"."""
    query = (
        PREFIXES
        + """SELECT ?e ?l ?en WHERE {
      ?e skos:prefLabel|skos:altLabel|rdfs:label ?l .
      FILTER(isIRI(?e) && !STRSTARTS(STR(?e), "https://w3id.org/cmkg/ontology"))
      OPTIONAL { ?e skos:prefLabel ?en FILTER(lang(?en) = "en") }
    } ORDER BY ?e"""
    )
    wanted = {_key(name), _key(re.sub(r"^(?:la|le|les|l')\s*", "", name, flags=re.IGNORECASE))}
    for row in store.run_query(store_dir, query).rows:
        if _key(row["l"]) in wanted:
            return row["e"], row["en"] or row["l"]
    raise QueryError(f"no entity named {name!r} in the build")


def _key(label: str) -> str:
    return " ".join(fold(label).replace("'", " ").split())


def explain(store_dir, name: str) -> tuple[str, str, list[Fact]]:
    """Every claim that names the entity, as readable statements with their sentence and source."""
    iri, label = find_entity(store_dir, name)
    query = (
        PREFIXES
        + f"""SELECT ?claim ?about ?quote ?doc ?title ?date ?method ?confidence
           (GROUP_CONCAT(DISTINCT ?line; SEPARATOR="; ") AS ?statement) WHERE {{
      GRAPH ?claim {{ {{ <{iri}> ?p0 ?o0 }} UNION {{ ?s0 ?p0 <{iri}> }} }}
      GRAPH ?claim {{ ?s ?p ?o }}
      ?claim prov:wasDerivedFrom ?doc ; cmkg:quote ?quote ; cmkg:method ?method ; cmkg:confidence ?confidence ;
             cmkg:about ?about .
      OPTIONAL {{ ?doc dcterms:title ?title }}
      OPTIONAL {{ ?doc dcterms:date ?date }}
      OPTIONAL {{ ?s skos:prefLabel ?sl FILTER(lang(?sl) = "en") }} OPTIONAL {{ ?s rdfs:label ?sl2 FILTER(lang(?sl2) IN ("en", "")) }}
      OPTIONAL {{ ?o skos:prefLabel ?ol FILTER(lang(?ol) = "en") }} OPTIONAL {{ ?o rdfs:label ?ol2 FILTER(lang(?ol2) IN ("en", "")) }}
      BIND(REPLACE(STR(?p), "^.*[#/]", "") AS ?pn)
      FILTER(?pn != "label")
      BIND(CONCAT(COALESCE(?sl, ?sl2, REPLACE(STR(?s), "^.*/", "")), " ", ?pn, " ",
                  COALESCE(?ol, ?ol2, IF(isIRI(?o), REPLACE(STR(?o), "^.*[#/]", ""), STR(?o)))) AS ?line)
    }} GROUP BY ?claim ?about ?quote ?doc ?title ?date ?method ?confidence
    ORDER BY ?date ?doc ?claim"""
    )
    facts = [
        Fact(
            claim=r["claim"],
            about=r["about"],
            statement=r["statement"],
            quote=" ".join(r["quote"].split()),
            document=r["doc"].rsplit("/", 1)[-1],
            title=r["title"],
            date=r["date"],
            method=r["method"],
            confidence=float(r["confidence"]),
        )
        for r in store.run_query(store_dir, query).rows
    ]
    facts.sort(key=lambda f: (f.method in ("gazetteer", "ner"), f.date or "", f.document, f.claim))
    return iri, label, facts
