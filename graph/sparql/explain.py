"""Explain: every fact the build holds about one entity, each with its sentence and its document."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef

from graph.analysis.projection import GROUP_OF_CLASS
from graph.analysis.wording import FactView, Words, default_words, fact_line, words_of
from graph.errors import QueryError
from graph.extract.text import fold
from graph.sparql import store

PREFIXES = """PREFIX cmkg: <https://w3id.org/cmkg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
"""


@dataclass
class Fact:
    """One claim about the entity: the line of the fact it states (``statement``), and where it was read."""

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


def _words(store_dir) -> Words:
    """The ontology's words for coded values, read from the build's ontology graph."""
    answer = store.run_query(
        store_dir,
        PREFIXES
        + """CONSTRUCT { ?s ?p ?o } WHERE {
      { ?s skos:inScheme ?scheme } UNION { ?s a <http://www.w3.org/2002/07/owl#Class> }
      ?s ?p ?o FILTER(STRSTARTS(STR(?s), "https://w3id.org/cmkg/ontology#"))
    }""",
    )
    g = Graph()
    for s, p, o in answer.triples:
        obj = URIRef(o.value) if o.kind == "uri" else Literal(o.value, lang=o.lang, datatype=o.datatype)
        g.add((URIRef(s.value), URIRef(p.value), obj))
    words = words_of(g)
    return words if words.labels else default_words()


def _views(store_dir, abouts: list[str], lang: str) -> dict[str, FactView]:
    """The :class:`~graph.analysis.wording.FactView` of every fact in ``abouts``, names in ``lang``."""
    if not abouts:
        return {}
    values = " ".join(f"<{a}>" for a in abouts)
    query = (
        PREFIXES
        + f"""SELECT DISTINCT ?about ?p ?o ?name WHERE {{
      VALUES ?about {{ {values} }}
      ?about ?p ?o .
      OPTIONAL {{ ?o skos:prefLabel ?l1 FILTER(lang(?l1) = "{lang}") }}
      OPTIONAL {{ ?o skos:prefLabel ?l2 FILTER(lang(?l2) = "en") }}
      OPTIONAL {{ ?o rdfs:label ?l3 FILTER(lang(?l3) IN ("{lang}", "")) }}
      OPTIONAL {{ ?o rdfs:label ?l4 }}
      OPTIONAL {{ ?o schema:value ?amount }}
      BIND(COALESCE(?l1, ?l2, ?l3, ?l4, ?amount) AS ?name)
    }} ORDER BY ?about ?p ?o ?name"""
    )
    classes: dict[str, set[str]] = {a: set() for a in abouts}
    links: dict[str, dict[str, set[str]]] = {a: {} for a in abouts}
    literals: dict[str, dict[str, set[str]]] = {a: {} for a in abouts}
    names: dict[str, str] = {}
    for row in store.run_query(store_dir, query).rows:
        about, prop, value = row["about"], _local(row["p"]), row["o"]
        if prop == "type":
            classes[about].add(_local(value))
        elif prop == "label":
            if row["o"] and (about not in names or lang == "en"):
                names.setdefault(about, value)
        elif prop in ("prefLabel", "altLabel", "mentions", "exactMatch", "broader", "candidate", "sector"):
            continue
        elif row["name"] is not None or prop in (
            "party",
            "mineral",
            "actor",
            "consumer",
            "scope",
            "imposer",
            "target",
            "participant",
            "location",
            "affiliatedWith",
        ):
            links[about].setdefault(prop, set()).add(row["name"] or _local(value))
        else:
            literals[about].setdefault(prop, set()).add(value)
    views = {}
    for about in abouts:
        cls = min(
            (c for c in classes[about] if c in GROUP_OF_CLASS), default="", key=lambda c: (GROUP_OF_CLASS[c] == c, c)
        )
        group = GROUP_OF_CLASS.get(cls, "")
        values_of = {k: min(v) for k, v in literals[about].items()}
        dates = literals[about].get("date", set())
        dates = {d for d in dates if not any(o != d and o.startswith(d) for o in dates)}
        if dates:
            values_of["date"] = min(dates)
        if "amount" in links[about]:
            values_of["amount"] = " ".join(sorted(links[about].pop("amount")))
        name = ""
        label = _label(store_dir, about, lang)
        if group == "Project" or (
            group == "Measure" and not re.fullmatch(rf"{cls} by .*", _label(store_dir, about, "en"))
        ):
            name = label
        if group not in ("Agreement", "MarketShare", "Project", "Measure"):
            group, name = ("Role" if "role" in values_of else "Mention"), label
        views[about] = FactView(group, cls, name, {k: sorted(v) for k, v in links[about].items()}, values_of)
    return views


def _label(store_dir, iri: str, lang: str) -> str:
    query = (
        PREFIXES
        + f"""SELECT ?l WHERE {{
      {{ <{iri}> skos:prefLabel ?l }} UNION {{ <{iri}> rdfs:label ?l }}
    }} ORDER BY DESC(lang(?l) = "{lang}") DESC(lang(?l) = "en") ?l LIMIT 1"""
    )
    rows = store.run_query(store_dir, query).rows
    return rows[0]["l"] if rows else _local(iri)


def _local(iri: str | None) -> str:
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def explain(store_dir, name: str, lang: str = "en") -> tuple[str, str, list[Fact]]:
    """Every claim that names the entity, each with the line of the fact it states
    (:func:`graph.analysis.wording.fact_line`, in ``lang``) and its sentence and source.

    Claims of the same fact come together: the facts first (by date, document), then plain mentions.
    """
    iri, label = find_entity(store_dir, name)
    query = (
        PREFIXES
        + f"""SELECT DISTINCT ?claim ?about ?quote ?doc ?title ?date ?method ?confidence WHERE {{
      GRAPH ?claim {{ {{ <{iri}> ?p0 ?o0 }} UNION {{ ?s0 ?p0 <{iri}> }} }}
      ?claim prov:wasDerivedFrom ?doc ; cmkg:quote ?quote ; cmkg:method ?method ; cmkg:confidence ?confidence ;
             cmkg:about ?about .
      OPTIONAL {{ ?doc dcterms:title ?title }}
      OPTIONAL {{ ?doc dcterms:date ?date }}
    }} ORDER BY ?date ?doc ?claim"""
    )
    rows = store.run_query(store_dir, query).rows
    abouts = sorted({r["about"] for r in rows})
    views = _views(store_dir, abouts, lang)
    words = _words(store_dir)
    lines = {about: fact_line(view, lang, words) for about, view in views.items()}
    facts = [
        Fact(
            claim=r["claim"],
            about=r["about"],
            statement=fact_line(FactView("Mention", name=_label(store_dir, iri, lang)), lang, words)
            if r["method"].split("+")[0] in ("gazetteer", "ner")
            else lines[r["about"]],
            quote=" ".join(r["quote"].split()),
            document=r["doc"].rsplit("/", 1)[-1],
            title=r["title"],
            date=r["date"],
            method=r["method"],
            confidence=float(r["confidence"]),
        )
        for r in rows
    ]
    first: dict[tuple[str, str], tuple[str, str, str]] = {}
    for fact in sorted(facts, key=lambda f: (f.date or "", f.document, f.claim)):
        first.setdefault((fact.about, fact.statement), (fact.date or "", fact.document, fact.claim))
    facts.sort(key=lambda f: (f.method.split("+")[0] in ("gazetteer", "ner"), first[(f.about, f.statement)], f.claim))
    return iri, _label(store_dir, iri, lang) if lang != "en" else label, facts
