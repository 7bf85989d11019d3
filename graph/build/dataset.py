"""Build: turn extracted facts into an RDF dataset with one named graph per claim, and a JSON summary.

Facts told by several sentences or documents become one node (their IRI is minted from what identifies
them: an agreement's parties and kind, a share's actor, mineral, stage and value...). Each sentence's
claim is its own named graph, described in the provenance graph with the document, the verbatim quote,
its offsets in the source file, the method and the confidence.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rdflib import RDF, RDFS, XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.exceptions import ParserError
from rdflib.term import Node

from graph.analysis.wording import LANGUAGES, Words, agreement_name, words_of
from graph.build.quads import Quads
from graph.errors import ReferenceDataError, StoreError
from graph.extract.facts import (
    AgreementFact,
    Amount,
    DateRef,
    Evidence,
    Extraction,
)
from graph.extract.reference import Reference, reference_files
from graph.extract.relations import GENERIC_AGREEMENT_KINDS, KIND_PRIORITY
from graph.extract.text import fold
from graph.ingest import Document
from graph.iri import (
    CMKG,
    DCT,
    DEFAULT_BASE,
    DOCUMENTS_GRAPH,
    ONTOLOGY_GRAPH,
    PROV,
    PROVENANCE_GRAPH,
    REFERENCE_GRAPH,
    SCHEMA,
    claim_iri,
    document_iri,
    fact_iri,
    graph_iri,
)

log = logging.getLogger(__name__)

_XSD_DATE = {"date": XSD.date, "gYearMonth": XSD.gYearMonth, "gYear": XSD.gYear}
_DATE_RANK = {"date": 0, "gYearMonth": 1, "gYear": 2}
MEASURE_CLASSES = ("ExportControl", "Tariff", "PriceFloor", "Stockpiling", "Law")
FIRST_LINE_MAX = 100  # characters of a document's first line kept for an untitled document


class _Terms:
    """The terms of a namespace, each made once: an rdflib namespace makes (and checks) a new IRI at every
    access, and a build asks for the same few predicates and classes hundreds of thousands of times."""

    def __init__(self, namespace) -> None:
        self._namespace = namespace
        self._made: dict[str, URIRef] = {}

    def __getattr__(self, name: str) -> URIRef:
        term = self._made.get(name)
        if term is None:
            term = self._made[name] = self._namespace[name]
        return term

    __getitem__ = __getattr__


_C, _RDF, _RDFS, _DCT, _XSD, _SCHEMA = (_Terms(ns) for ns in (CMKG, RDF, RDFS, DCT, XSD, SCHEMA))


@dataclass
class FactRecord:
    """One fact node of the summary, gathered over every claim that asserts it."""

    iri: str
    kind: str
    fields: dict = field(default_factory=dict)
    evidence: list[str] = field(default_factory=list)
    dates: list[DateRef] = field(default_factory=list)
    documents: set[str] = field(default_factory=set)


@dataclass
class Built:
    """The dataset (:class:`graph.build.quads.Quads`) and what the summary and the console report need."""

    dataset: Quads
    records: dict[str, dict[str, FactRecord]]
    entity_documents: dict[str, set[str]]
    claims: int


def _decimal_literal(value: Decimal) -> Literal:
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    return Literal(text, datatype=XSD.decimal)


def _date_literal(date: DateRef) -> Literal:
    return Literal(date.iso, datatype=_XSD_DATE[date.datatype])


def quote_of(doc: Document, evidence: Evidence) -> tuple[str, int, int]:
    """The verbatim source text of an evidence span, with its source offsets."""
    start, end = doc.clean.source_span(evidence.start, evidence.end)
    return doc.raw[start:end], start, end


class _Writer:
    """Adds claims to a dataset; one per (document, sentence, fact). Retracted claims are left out,
    accepted ones get confidence 1 and say so in their method.

    The terms that recur over thousands of claims (document IRIs, methods, confidences, offsets) are made
    once and reused: equal terms, so the same dataset, with less of rdflib's per-term work."""

    def __init__(
        self,
        ds: Quads,
        documents: dict[str, Document],
        base: str,
        retracted: set[str] = frozenset(),
        accepted: set[str] = frozenset(),
    ) -> None:
        self.ds = ds
        self.documents = documents
        self.base = base
        self.provenance = ds.graph(URIRef(graph_iri(PROVENANCE_GRAPH, base)))
        self.claims = 0
        self.retracted = retracted
        self.accepted = accepted
        self._spans: dict[tuple[str, int, int], tuple[str, int, int]] = {}
        self._terms: dict[tuple[str, object], Node] = {}
        self._iris: dict[str, URIRef] = {}

    def span(self, evidence: Evidence) -> tuple[str, int, int]:
        """The quote and source offsets of ``evidence`` (:func:`quote_of`), computed once per span."""
        key = (evidence.doc_id, evidence.start, evidence.end)
        found = self._spans.get(key)
        if found is None:
            found = self._spans[key] = quote_of(self.documents[evidence.doc_id], evidence)
        return found

    def term(self, kind: str, value: object) -> Node:
        """The term ``kind`` of ``value`` (a document IRI, a plain literal, a confidence), made once."""
        key = (kind, value)
        found = self._terms.get(key)
        if found is None:
            if kind == "document":
                found = URIRef(document_iri(value, self.base))
            elif kind == "confidence":
                found = _decimal_literal(Decimal(str(round(value, 2))))
            else:
                found = Literal(value)
            self._terms[key] = found
        return found

    def iri(self, value: str) -> URIRef:
        """The IRI ``value`` as a term, made once (rdflib checks every IRI it makes, character by character)."""
        found = self._iris.get(value)
        if found is None:
            found = self._iris[value] = URIRef(value)
        return found

    def claim_iri(self, key: str, evidence: Evidence) -> URIRef:
        """The IRI of the claim that ``evidence`` makes about ``key``."""
        _, start, end = self.span(evidence)
        return URIRef(claim_iri(f"{key}|{evidence.doc_id}|{start}|{end}|{evidence.method.split('+')[0]}", self.base))

    def kept(self, key: str, evidence: Evidence) -> bool:
        """Whether the claim is written (not retracted by the curation file)."""
        return str(self.claim_iri(key, evidence)) not in self.retracted

    def claim(self, key: str, about: str, evidence: Evidence, triples: list[tuple]) -> str | None:
        quote, start, end = self.span(evidence)
        iri = self.claim_iri(key, evidence)
        if str(iri) in self.retracted:
            return None
        if str(iri) in self.accepted:
            evidence = Evidence(
                evidence.doc_id, evidence.start, evidence.end, f"{evidence.method}+curation:accepted", 1.0
            )
        g = self.ds.graph(iri)
        if len(g) == 0:
            self.claims += 1
        g.add_all(triples)
        self.provenance.add_all(
            (
                (iri, _TYPE, _CLAIM),
                (iri, _DERIVED_FROM, self.term("document", evidence.doc_id)),
                (iri, _QUOTE, self.term("literal", quote)),
                (iri, _START, self.term("literal", start)),
                (iri, _END, self.term("literal", end)),
                (iri, _METHOD, self.term("literal", evidence.method)),
                (iri, _CONFIDENCE, self.term("confidence", evidence.confidence)),
                (iri, _ABOUT, self.iri(about)),
            )
        )
        return quote


_TYPE, _CLAIM, _QUOTE, _START, _END = RDF.type, CMKG.Claim, CMKG.quote, CMKG.startOffset, CMKG.endOffset
_METHOD, _CONFIDENCE, _ABOUT, _DERIVED_FROM = CMKG.method, CMKG.confidence, CMKG.about, PROV.wasDerivedFrom


def _parse_into(ds: Quads, name: str, path, base: str) -> None:
    """Copy a Turtle file into a named graph, with blank nodes relabelled canonically (stable output)."""
    g = ds.graph(URIRef(graph_iri(name, base)))
    for triple in turtle_triples(path):
        g.add(triple)
    g.add((g.identifier, DCT.source, Literal(str(path.name))))


def parse_turtle(path: Path) -> list[tuple[Node, Node, Node]]:
    """The triples of a Turtle file in the parser's order, blank nodes relabelled canonically."""
    parsed = Graph()
    try:
        parsed.parse(path, format="turtle")
    except (OSError, ParserError, SyntaxError, ValueError) as exc:
        raise ReferenceDataError(f"{path}: cannot parse: {str(exc).splitlines()[0]}") from exc
    has_blank_nodes = any(isinstance(term, BNode) for triple in parsed for term in triple)
    return list(to_canonical_graph(parsed) if has_blank_nodes else parsed)


TURTLE_CACHE_FORMAT = "1"
"""The version of :func:`term_to_json`'s encoding; part of the key of the triples kept."""


def term_to_json(term: Node) -> list:
    """An IRI, blank node or literal as JSON: ``["u", iri]``, ``["b", id]``, ``["l", lexical, lang, datatype]``.

    >>> term_to_json(Literal("1", datatype=XSD.integer))
    ['l', '1', None, 'http://www.w3.org/2001/XMLSchema#integer']
    """
    if isinstance(term, Literal):
        return ["l", str(term), term.language, str(term.datatype) if term.datatype is not None else None]
    return ["b" if isinstance(term, BNode) else "u", str(term)]


def term_from_json(data: list) -> Node:
    """The term :func:`term_to_json` wrote.

    >>> term_from_json(["l", "Chine", "fr", None]) == Literal("Chine", lang="fr")
    True
    """
    if data[0] == "l":
        return Literal(data[1], lang=data[2], datatype=URIRef(data[3]) if data[3] is not None else None)
    return BNode(data[1]) if data[0] == "b" else URIRef(data[1])


def turtle_triples(path: Path) -> list[tuple[Node, Node, Node]]:
    """:func:`parse_turtle` of ``path``, from the user cache (:mod:`graph.cache`) when it holds the triples of a
    file of the same bytes parsed by the same rdflib; else parsed and kept there. Parsing the ontology and the
    reference files took half a second on every build and every add."""
    import rdflib

    from graph.cache import digest, read_cached, write_cached

    try:
        data = path.read_bytes()
    except OSError:
        return parse_turtle(path)  # which names the error
    name, key = f"turtle-{path.name}", digest(TURTLE_CACHE_FORMAT, rdflib.__version__, data)
    kept = read_cached(name, key)
    if isinstance(kept, list):
        try:
            return [(term_from_json(s), term_from_json(p), term_from_json(o)) for s, p, o in kept]
        except (IndexError, TypeError, ValueError):
            pass
    triples = parse_turtle(path)
    write_cached(name, key, [[term_to_json(t) for t in triple] for triple in triples])
    return triples


def first_line(text: str, limit: int = FIRST_LINE_MAX) -> str | None:
    """The first non-blank line of ``text``, spaces collapsed, cut to ``limit`` characters with an ellipsis.

    What stands for the title of a document that has none (``dcterms:description`` of the documents
    graph, ``first_line`` of summary.json).

    >>> first_line("\\n  Cobalt :   la RDC suspend  \\nses exportations")
    'Cobalt : la RDC suspend'
    >>> first_line("Le " + "très " * 30 + "long titre", limit=12)
    'Le très trè…'
    >>> first_line(" \\n\\t\\n") is None
    True
    """
    for line in text.splitlines():
        words = " ".join(line.split())
        if words:
            return words if len(words) <= limit else words[: limit - 1].rstrip() + "\u2026"
    return None


def _untitled_first_line(doc: Document) -> str | None:
    """The first line of a document without a title (None when it has one)."""
    return None if doc.meta.get("title") else first_line(doc.clean.text)


def _add_documents(ds: Quads, documents: list[Document], base: str) -> None:
    g = ds.graph(URIRef(graph_iri(DOCUMENTS_GRAPH, base)))
    for doc in documents:
        d = URIRef(document_iri(doc.id, base))
        g.add((d, RDF.type, CMKG.Document))
        g.add((d, CMKG.sourceFile, Literal(doc.path.name)))
        meta = doc.meta
        for key, prop in (
            ("title", DCT.title),
            ("publisher", DCT.publisher),
            ("author", DCT.creator),
            ("language", DCT.language),
            ("kind", CMKG.documentKind),
        ):
            if meta.get(key):
                g.add((d, prop, Literal(meta[key])))
        if meta.get("date"):
            date = str(meta["date"])
            kind = "date" if len(date) == 10 else "gYearMonth" if len(date) == 7 else "gYear"
            g.add((d, DCT.date, Literal(date, datatype=_XSD_DATE[kind])))
        if meta.get("url"):
            g.add((d, SCHEMA.url, Literal(meta["url"], datatype=XSD.anyURI)))
        line = _untitled_first_line(doc)
        if line:
            g.add((d, DCT.description, Literal(line)))
        for duplicate in doc.duplicates:  # the same story elsewhere, read once (graph.ingest.duplicates)
            other = URIRef(document_iri(duplicate["id"], base))
            g.add((d, DCT.hasVersion, other))
            g.add((other, CMKG.sourceFile, Literal(duplicate["source_file"])))
            if duplicate.get("url"):
                g.add((other, SCHEMA.url, Literal(duplicate["url"], datatype=XSD.anyURI)))


#: Kinds that an investment between the same parties is part of (a stake bought is the acquisition); an
#: investment beside an offtake or a framework is a deal of its own.
EQUITY_AGREEMENT_KINDS = ("joint_venture", "acquisition")


def _canonical_agreement_kinds(agreements: list[AgreementFact]) -> dict[tuple[str, ...], str]:
    """For each document, set of parties and kind a claim gives (keyed ``(doc_id, *parties, kind)``), the kind
    of the agreement it belongs to: a bare "accord" or "partnership" (*the partnership with the UK*, of a
    roadmap and a memorandum) joins the most specific kind its own document gives the same parties, else the
    most specific any document gives (a document that calls the parties' memorandum "an agreement" speaks of
    that memorandum, not of a framework another document reports); an investment joins the parties'
    acquisition or joint venture (*took a 42% stake … subject to a US$10m investment*); other kinds are their
    own."""
    given: dict[tuple[str, ...], set[str]] = {}
    in_document: dict[tuple[str, ...], set[str]] = {}
    for a in agreements:
        given.setdefault(a.parties, set()).add(a.kind)
        in_document.setdefault((a.evidence.doc_id, *a.parties), set()).add(a.kind)
    kinds: dict[tuple[str, ...], str] = {}
    for (doc_id, *parties), kinds_given in in_document.items():
        specific = [k for k in kinds_given if k not in GENERIC_AGREEMENT_KINDS] or given[tuple(parties)]
        most_specific = min(specific, key=KIND_PRIORITY.index)
        every = given[tuple(parties)]
        equity = min((k for k in every if k in EQUITY_AGREEMENT_KINDS), key=KIND_PRIORITY.index, default=None)
        for kind in kinds_given:
            if kind in GENERIC_AGREEMENT_KINDS:
                kinds[(doc_id, *parties, kind)] = most_specific
            elif kind == "investment" and equity:
                kinds[(doc_id, *parties, kind)] = equity
            else:
                kinds[(doc_id, *parties, kind)] = kind
    return kinds


def _name(reference: Reference, extraction: Extraction, iri: str | None, lang: str = "en") -> str | None:
    if iri is None:
        return None
    if iri in reference.entities:
        entity = reference.entities[iri]
        return (entity.name_fr or entity.name) if lang == "fr" else entity.name
    return extraction.candidates.get(iri, (iri.rsplit("/", 1)[-1],))[0]


def _agreement_labels(
    extraction: Extraction,
    kinds: dict[tuple[str, ...], str],
    w: _Writer,
    words: Words,
    name: Callable[[str, str], str | None],
    base: str,
) -> dict[str, dict[str, str]]:
    """The English and French labels of every agreement (:func:`graph.analysis.wording.agreement_name`): its
    kind and parties, and the minerals and best date of all its claims that are kept, so that every claim
    writes the same labels."""
    gathered: dict[str, tuple[tuple[str, ...], str, set[str], list[DateRef]]] = {}
    for a in extraction.agreements:
        kind = kinds[(a.evidence.doc_id, *a.parties, a.kind)]
        iri = fact_iri("agreement", "|".join(a.parties) + f"|{kind}", base)
        _, _, minerals, dates = gathered.setdefault(iri, (a.parties, kind, set(), []))
        if w.kept(f"agreement|{iri}", a.evidence):
            minerals.update(a.minerals)
            dates.extend([a.date] if a.date else [])
    return {
        iri: {
            lang: agreement_name(
                [name(p, lang) for p in parties], kind, [name(m, lang) for m in minerals], best_date(dates), lang, words
            )
            for lang in LANGUAGES
        }
        for iri, (parties, kind, minerals, dates) in gathered.items()
    }


def build_dataset(
    documents: list[Document],
    extraction: Extraction,
    reference: Reference,
    base: str = DEFAULT_BASE,
    retracted: set[str] = frozenset(),
    accepted: set[str] = frozenset(),
) -> Built:
    """Assemble the RDF dataset: ontology, reference entities, documents, claims and provenance.

    Claims whose IRI is in ``retracted`` are left out; those in ``accepted`` are marked curated. The dataset
    is a :class:`graph.build.quads.Quads` (``to_dataset()`` gives the rdflib one).
    """
    ds = Quads()
    for prefix, ns in (("cmkg", CMKG), ("prov", PROV), ("dcterms", DCT), ("schema", SCHEMA)):
        ds.bind(prefix, ns)
    ds.bind("id", f"{base}id/")
    ds.bind("doc", f"{base}doc/")
    ds.bind("claim", f"{base}claim/")
    _parse_into(ds, ONTOLOGY_GRAPH, reference.ontology_dir / "cmkg.ttl", base)
    for path in reference_files(reference.ontology_dir):
        _parse_into(ds, REFERENCE_GRAPH, path, base)
    _add_documents(ds, documents, base)
    by_id = {d.id: d for d in documents}
    w = _Writer(ds, by_id, base, retracted, accepted)
    uri = w.iri
    records: dict[str, dict[str, FactRecord]] = defaultdict(dict)
    entity_documents: dict[str, set[str]] = defaultdict(set)
    name = lambda iri: _name(reference, extraction, iri)  # noqa: E731

    mentions = _SCHEMA.mentions
    for m in extraction.mentions:
        doc = w.term("document", m.evidence.doc_id)
        e = uri(m.entity)
        triples = [(doc, mentions, e)]
        if m.candidate_name:
            triples += [
                (e, _RDF.type, _C[m.candidate_class]),
                (e, _RDFS.label, Literal(m.candidate_name)),
                (e, _C.candidate, Literal(True)),
            ]
        if w.claim(f"mention|{m.entity}", m.entity, m.evidence, triples) is not None:
            entity_documents[m.entity].add(m.evidence.doc_id)

    for r in extraction.roles:
        p = uri(r.person)
        triples = [(p, _C.role, Literal(r.role, lang="fr"))]
        if r.affiliation:
            triples.append((p, _C.affiliatedWith, uri(r.affiliation)))
        w.claim(f"role|{r.person}|{r.role}|{r.affiliation}", r.person, r.evidence, triples)

    kinds = _canonical_agreement_kinds(extraction.agreements)
    words = words_of(ds.graph(URIRef(graph_iri(ONTOLOGY_GRAPH, base))))
    labels = _agreement_labels(
        extraction, kinds, w, words, lambda iri, lang: _name(reference, extraction, iri, lang), base
    )
    for a in extraction.agreements:
        kind = kinds[(a.evidence.doc_id, *a.parties, a.kind)]
        iri = fact_iri("agreement", "|".join(a.parties) + f"|{kind}", base)
        node = uri(iri)
        label = labels[iri]["en"]
        triples = [(node, _RDF.type, _C.Agreement), (node, _C.agreementKind, Literal(kind))]
        triples += [(node, _RDFS.label, Literal(text, lang=lang)) for lang, text in sorted(labels[iri].items())]
        triples += [(node, _C.party, uri(p)) for p in a.parties]
        triples += [(node, _C.mineral, uri(m)) for m in a.minerals]
        if a.status:
            triples.append((node, _C.status, Literal(a.status)))
        if a.date:
            triples.append((node, _DCT.date, _date_literal(a.date)))
        if a.amount:
            triples += _amount_triples(node, a.amount, base)
        quote = w.claim(f"agreement|{iri}", iri, a.evidence, triples)
        if quote is None:
            continue
        rec = records["agreements"].setdefault(
            iri, FactRecord(iri, kind, {"name": label, "parties": [], "minerals": [], "status": None})
        )
        _merge(
            rec,
            a.evidence.doc_id,
            quote,
            a.date,
            parties=[name(p) for p in a.parties],
            minerals=[name(m) for m in a.minerals],
        )
        if a.status == "signed" or rec.fields["status"] is None:
            rec.fields["status"] = a.status

    for s in extraction.shares:
        key = f"{s.actor}|{s.mineral}|{s.stage}|{s.percent}|{s.consumer}" + (f"|{s.scope}" if s.scope else "")
        iri = fact_iri("share", key, base)
        node = uri(iri)
        label = f"{name(s.actor)}: {s.percent} % of {s.stage} ({name(s.mineral)})"
        triples = [
            (node, _RDF.type, _C.MarketShare),
            (node, _RDFS.label, Literal(label, lang="en")),
            (node, _C.actor, uri(s.actor)),
            (node, _C.mineral, uri(s.mineral)),
            (node, _C.stage, Literal(s.stage)),
            (node, _C.percent, _decimal_literal(s.percent)),
        ]
        if s.consumer:
            triples.append((node, _C.consumer, uri(s.consumer)))
        if s.scope:
            triples.append((node, _C.scope, uri(s.scope)))
        if s.qualifier:
            triples.append((node, _C.qualifier, Literal(s.qualifier)))
        if s.year:
            triples.append((node, _C.year, Literal(s.year, datatype=_XSD.gYear)))
        quote = w.claim(f"share|{iri}", iri, s.evidence, triples)
        if quote is None:
            continue
        rec = records["shares"].setdefault(
            iri,
            FactRecord(
                iri,
                "share",
                {
                    "actor": name(s.actor),
                    "mineral": name(s.mineral),
                    "stage": s.stage,
                    "percent": float(s.percent),
                    "consumer": name(s.consumer),
                    "qualifier": s.qualifier,
                    "year": s.year,
                    "scope": name(s.scope) if s.scope else "world",
                },
            ),
        )
        _merge(rec, s.evidence.doc_id, quote, None)

    for m in extraction.measures:
        key = f"{m.kind}|{m.imposer}|{m.name or ''}|{m.date.iso if m.date else ''}"
        iri = fact_iri("measure", key, base)
        node = uri(iri)
        label = m.name or f"{m.kind} by {name(m.imposer) or 'unknown'}"
        triples = [(node, _RDF.type, _C[m.kind]), (node, _RDFS.label, Literal(label))]
        if m.imposer:
            triples.append((node, _C.imposer, uri(m.imposer)))
        triples += [(node, _C.target, uri(t)) for t in m.targets]
        triples += [(node, _C.mineral, uri(x)) for x in m.minerals]
        if m.date:
            triples.append((node, _DCT.date, _date_literal(m.date)))
        if m.status:
            triples.append((node, _C.status, Literal(m.status)))
        quote = w.claim(f"measure|{iri}", iri, m.evidence, triples)
        if quote is None:
            continue
        rec = records["measures"].setdefault(
            iri,
            FactRecord(
                iri, m.kind, {"name": label, "imposer": name(m.imposer), "target": None, "targets": [], "minerals": []}
            ),
        )
        _merge(
            rec,
            m.evidence.doc_id,
            quote,
            m.date,
            targets=[name(t) for t in m.targets],
            minerals=[name(x) for x in m.minerals],
        )
        rec.fields["target"] = rec.fields["targets"][0] if rec.fields["targets"] else None

    for p in extraction.projects:
        key = fold(p.name) if p.name else f"{p.kind}|{p.location}|{'|'.join(p.participants)}|{p.amount}"
        iri = fact_iri("project", key, base)
        node = uri(iri)
        known = records["projects"].get(iri)
        label = (
            known.fields["name"]
            if known
            else (p.name or f"{p.kind} ({', '.join(name(x) for x in p.participants) or name(p.location) or 'unnamed'})")
        )
        triples = [(node, _RDF.type, _C[p.kind]), (node, _RDFS.label, Literal(label))]
        if p.location:
            triples.append((node, _C.location, uri(p.location)))
        triples += [(node, _C.participant, uri(x)) for x in p.participants]
        triples += [(node, _C.mineral, uri(x)) for x in p.minerals]
        if p.amount:
            triples += _amount_triples(node, p.amount, base)
        if p.date:
            triples.append((node, _DCT.date, _date_literal(p.date)))
        quote = w.claim(f"project|{iri}", iri, p.evidence, triples)
        if quote is None:
            continue
        rec = records["projects"].setdefault(
            iri,
            FactRecord(
                iri,
                p.kind,
                {"name": label, "location": name(p.location), "participants": [], "minerals": [], "amount": None},
            ),
        )
        _merge(
            rec,
            p.evidence.doc_id,
            quote,
            p.date,
            participants=[name(x) for x in p.participants],
            minerals=[name(x) for x in p.minerals],
        )
        if p.amount and rec.fields["amount"] is None:
            rec.fields["amount"] = {"value": float(p.amount.value), "currency": p.amount.currency or None}
        if rec.fields["location"] is None and p.location:
            rec.fields["location"] = name(p.location)

    return Built(ds, dict(records), dict(entity_documents), w.claims)


def _amount_triples(node: URIRef, amount: Amount, base: str) -> list[tuple]:
    a = URIRef(fact_iri("amount", f"{amount.value}|{amount.currency}", base))
    triples = [
        (node, _C.amount, a),
        (a, _RDF.type, _SCHEMA.MonetaryAmount),
        (a, _SCHEMA.value, _decimal_literal(amount.value)),
    ]
    if amount.currency:
        triples.append((a, _SCHEMA.currency, Literal(amount.currency)))
    return triples


def _merge(rec: FactRecord, doc_id: str, quote: str, date: DateRef | None, **lists: list) -> None:
    rec.documents.add(doc_id)
    if quote not in rec.evidence:
        rec.evidence.append(quote)
    if date:
        rec.dates.append(date)
    for key, values in lists.items():
        for v in values:
            if v and v not in rec.fields[key]:
                rec.fields[key].append(v)


def best_date(dates: list[DateRef]) -> str | None:
    """The most precise date among those the claims give, the earliest on ties."""
    if not dates:
        return None
    return min(dates, key=lambda d: (_DATE_RANK[d.datatype], d.iso)).iso


def summarize(built: Built, documents: list[Document], reference: Reference, extraction: Extraction) -> dict:
    """The ``summary.json`` contract: documents, mentioned entities, and every fact with its evidence."""
    docs = [
        {
            "id": d.id,
            "title": d.meta.get("title"),
            "first_line": _untitled_first_line(d),
            "date": d.meta.get("date"),
            "language": d.meta.get("language"),
            "url": d.meta.get("url"),
            "duplicates": d.duplicates,
        }
        for d in documents
    ]
    entities = []
    for iri, doc_ids in sorted(built.entity_documents.items()):
        if iri in reference.entities:
            e = reference.entities[iri]
            entities.append(
                {
                    "name": e.name,
                    "type": e.cls,
                    "aliases": sorted(set(e.aliases) - {e.name}),
                    "iri": iri,
                    "wikidata": e.wikidata,
                    "documents": sorted(doc_ids),
                }
            )
        else:
            cand_name, cls = extraction.candidates[iri]
            entities.append(
                {
                    "name": cand_name,
                    "type": cls,
                    "aliases": [],
                    "iri": iri,
                    "wikidata": None,
                    "documents": sorted(doc_ids),
                    "candidate": True,
                }
            )
    entities.sort(key=lambda e: (e["type"], e["name"]))

    def rows(kind: str, shape) -> list[dict]:
        return sorted((shape(r) for r in built.records.get(kind, {}).values()), key=lambda x: json_key(x))

    agreements = rows(
        "agreements",
        lambda r: {
            "name": r.fields["name"],
            "parties": sorted(r.fields["parties"]),
            "minerals": sorted(r.fields["minerals"]),
            "date": best_date(r.dates),
            "kind": r.kind,
            "status": r.fields["status"],
            "iri": r.iri,
            "documents": sorted(r.documents),
            "evidence": r.evidence,
        },
    )
    projects = rows(
        "projects",
        lambda r: {
            "name": r.fields["name"],
            "kind": r.kind,
            "location": r.fields["location"],
            "participants": sorted(r.fields["participants"]),
            "minerals": sorted(r.fields["minerals"]),
            "amount": r.fields["amount"],
            "date": best_date(r.dates),
            "iri": r.iri,
            "documents": sorted(r.documents),
            "evidence": r.evidence,
        },
    )
    shares = rows(
        "shares", lambda r: {**r.fields, "iri": r.iri, "documents": sorted(r.documents), "evidence": r.evidence}
    )
    measures = rows(
        "measures",
        lambda r: {
            "kind": r.kind,
            "name": r.fields["name"],
            "imposer": r.fields["imposer"],
            "target": r.fields["target"],
            "targets": sorted(r.fields["targets"]),
            "minerals": sorted(r.fields["minerals"]),
            "date": best_date(r.dates),
            "iri": r.iri,
            "documents": sorted(r.documents),
            "evidence": r.evidence,
        },
    )
    return {
        "documents": docs,
        "entities": entities,
        "agreements": agreements,
        "projects": projects,
        "shares": shares,
        "measures": measures,
    }


def json_key(row: dict) -> str:
    """A stable sort key for summary rows."""
    import json

    return json.dumps(row, sort_keys=True, ensure_ascii=False, default=str)


def load_build(out: Path) -> Dataset:
    """The dataset of a build, read back from its ``graph.trig``."""
    path = out / "graph.trig"
    if not path.is_file():
        raise StoreError(f"{path}: no build here; run `cmkg build` first")
    ds = Dataset()
    ds.parse(path, format="trig")
    return ds
