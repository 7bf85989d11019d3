"""Curation: a researcher's corrections, kept in a CSV file and applied on every build.

Each row of ``ontology/curation.csv`` (columns ``action,subject,predicate,object,document,source,quote,note``)
is one correction:

``retract``  drop an extracted claim: ``subject`` is its IRI or the hash at its end.
``accept``   confirm an extracted claim (its confidence becomes 1 and its method says so).
``relink``   link a mention to another entity: ``subject`` is the text as written ("Washington"),
             ``object`` the entity (IRI or name), ``document`` limits it to one document (optional).
``merge``    merge the entity ``subject`` into the entity ``object`` everywhere.
``add``      assert a fact the pipeline missed: ``subject predicate object`` (names, IRIs or ``cmkg:``
             terms; an object that names no entity is a literal), with the ``source`` (a URL or a
             document id) and the ``quote`` that supports it.

Every curated claim carries ``cmkg:method "curation…"`` and ``dcterms:source`` the curation file, so
`cmkg explain`, SPARQL and the HTML panel show it as curated.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass, field, replace
from pathlib import Path

from rdflib import RDF, XSD, Dataset, Literal, URIRef

from graph.errors import CmkgError
from graph.extract.facts import Extraction
from graph.extract.reference import Reference
from graph.extract.text import fold
from graph.iri import CMKG, DCT, DEFAULT_BASE, PROV, PROVENANCE_GRAPH, claim_iri, document_iri, graph_iri

log = logging.getLogger(__name__)

COLUMNS = ("action", "subject", "predicate", "object", "document", "source", "quote", "note")
ACTIONS = ("retract", "accept", "relink", "merge", "add")


class CurationError(CmkgError):
    """A curation file cannot be read or one of its rows is malformed."""


@dataclass
class Curation:
    """The corrections of one curation file."""

    path: Path | None = None
    rows: list[dict[str, str]] = field(default_factory=list)

    def of(self, action: str) -> list[dict[str, str]]:
        return [r for r in self.rows if r["action"] == action]


def load_curation(path: Path | None) -> Curation:
    """Read a curation CSV; a missing file is an empty curation."""
    if path is None or not path.exists():
        return Curation(path)
    rows: list[dict[str, str]] = []
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in ("action", "subject") if c not in (reader.fieldnames or [])]
            if missing:
                raise CurationError(f"{path}: missing column(s) {', '.join(missing)}")
            for n, row in enumerate(reader, start=2):
                row = {c: (row.get(c) or "").strip() for c in COLUMNS}
                if not row["action"] or row["action"].startswith("#"):
                    continue
                if row["action"] not in ACTIONS:
                    raise CurationError(f"{path}:{n}: unknown action {row['action']!r} (one of {', '.join(ACTIONS)})")
                if not row["subject"]:
                    raise CurationError(f"{path}:{n}: {row['action']} needs a subject")
                if row["action"] in ("relink", "merge", "add") and not row["object"]:
                    raise CurationError(f"{path}:{n}: {row['action']} needs an object")
                if row["action"] == "add" and not row["predicate"]:
                    raise CurationError(f"{path}:{n}: add needs a predicate")
                rows.append(row)
    except OSError as exc:
        raise CurationError(f"{path}: cannot read: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise CurationError(f"{path}: not valid UTF-8") from exc
    return Curation(path, rows)


def append_rows(path: Path, rows: list[dict[str, str]]) -> None:
    """Add rows to a curation file, creating it with its header if needed (written through a temp file)."""
    from graph.export.formats import atomic_write_text

    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    if not existing.strip():
        writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in COLUMNS})
    if existing and not existing.endswith("\n"):
        existing += "\n"
    atomic_write_text(path, existing + buffer.getvalue())


class EntityNames:
    """Resolves a name, alias or IRI of the curation file to an entity IRI."""

    def __init__(self, reference: Reference, extraction: Extraction | None = None, base: str = DEFAULT_BASE) -> None:
        self.base = base
        self.keys: dict[str, str] = {}
        for entity in reference.entities.values():
            for label in [entity.name, *entity.aliases]:
                self.keys.setdefault(fold(label).strip(), entity.iri)
        for iri, (name, _) in (extraction.candidates if extraction else {}).items():
            self.keys.setdefault(fold(name).strip(), iri)
        self.known = set(self.keys.values())

    def __call__(self, name: str) -> str | None:
        if name.startswith(("http://", "https://")):
            return name
        if name.startswith("id:"):
            return f"{self.base}id/{name[3:]}"
        return self.keys.get(fold(name).strip())


def relinks(
    curation: Curation, names: EntityNames
) -> tuple[dict[tuple[str | None, str], str], dict[str, tuple[str, str]]]:
    """(document id or None, folded surface text) → entity, for the extraction's mention finder, and the
    new entities the curation introduces (a relink to an unknown name whose ``predicate`` is its class).
    """
    from graph.extract.reference import ENTITY_CLASSES
    from graph.iri import entity_iri

    table: dict[tuple[str | None, str], str] = {}
    created: dict[str, tuple[str, str]] = {}
    for row in curation.of("relink"):
        entity = names(row["object"])
        if entity is None:
            if row["predicate"] not in ENTITY_CLASSES:
                raise CurationError(
                    f"{curation.path}: relink to unknown entity {row['object']!r}: give its class "
                    f"({', '.join(ENTITY_CLASSES)}) in the predicate column to create it"
                )
            entity = entity_iri(row["object"], names.base)
            created[entity] = (row["object"], row["predicate"])
        table[(row["document"] or None, fold(row["subject"]).strip())] = entity
    return table, created


def apply_merges(extraction: Extraction, curation: Curation, names: EntityNames) -> Extraction:
    """A copy of the extraction with every merged entity replaced by the one it merges into."""
    mapping: dict[str, str] = {}
    for row in curation.of("merge"):
        source, target = names(row["subject"]), names(row["object"])
        if source is None or target is None:
            raise CurationError(f"{curation.path}: merge of unknown entity {row['subject']!r} or {row['object']!r}")
        mapping[source] = target
    if not mapping:
        return extraction

    def sub(iri):
        return mapping.get(iri, iri) if isinstance(iri, str) else iri

    def subs(iris):
        return tuple(dict.fromkeys(sub(i) for i in iris))

    def touched(fact, *iris) -> bool:
        return any(i in mapping for i in iris if isinstance(i, str))

    def curated(evidence):
        return replace(evidence, method=f"{evidence.method}+curation:merge")

    out = Extraction(
        candidates={k: v for k, v in extraction.candidates.items() if k not in mapping}, sentences=extraction.sentences
    )
    for m in extraction.mentions:
        out.mentions.append(
            replace(m, entity=sub(m.entity), evidence=curated(m.evidence)) if m.entity in mapping else m
        )
    for r in extraction.roles:
        out.roles.append(
            replace(r, person=sub(r.person), affiliation=sub(r.affiliation), evidence=curated(r.evidence))
            if touched(r, r.person, r.affiliation)
            else r
        )
    for a in extraction.agreements:
        out.agreements.append(
            replace(a, parties=tuple(sorted(subs(a.parties))), minerals=subs(a.minerals), evidence=curated(a.evidence))
            if touched(a, *a.parties, *a.minerals)
            else a
        )
    for s in extraction.shares:
        out.shares.append(
            replace(
                s, actor=sub(s.actor), mineral=sub(s.mineral), consumer=sub(s.consumer), evidence=curated(s.evidence)
            )
            if touched(s, s.actor, s.mineral, s.consumer)
            else s
        )
    for m in extraction.measures:
        out.measures.append(
            replace(
                m,
                imposer=sub(m.imposer),
                targets=subs(m.targets),
                minerals=subs(m.minerals),
                evidence=curated(m.evidence),
            )
            if touched(m, m.imposer, *m.targets, *m.minerals)
            else m
        )
    for p in extraction.projects:
        out.projects.append(
            replace(
                p,
                location=sub(p.location),
                participants=subs(p.participants),
                minerals=subs(p.minerals),
                evidence=curated(p.evidence),
            )
            if touched(p, p.location, *p.participants, *p.minerals)
            else p
        )
    return out


def claim_decisions(curation: Curation, base: str = DEFAULT_BASE) -> tuple[set[str], set[str]]:
    """The IRIs of the claims the curation retracts, and of those it accepts."""

    def iri(ident: str) -> str:
        return ident if ident.startswith("http") else f"{base}claim/{ident}"

    return {iri(r["subject"]) for r in curation.of("retract")}, {iri(r["subject"]) for r in curation.of("accept")}


def add_claims(ds: Dataset, curation: Curation, names: EntityNames, base: str = DEFAULT_BASE) -> int:
    """Assert the curation's added facts, each as a claim with curated provenance; returns how many."""
    provenance = ds.graph(URIRef(graph_iri(PROVENANCE_GRAPH, base)))
    source_file = Literal(curation.path.name if curation.path else "curation")
    added = 0
    for row in curation.of("add"):
        subject = _term(row["subject"], names, base)
        if not isinstance(subject, URIRef):
            raise CurationError(f"{curation.path}: add: subject {row['subject']!r} names no entity")
        predicate = _predicate(row["predicate"])
        obj = _term(row["object"], names, base)
        claim = URIRef(claim_iri(f"curation|{row['subject']}|{row['predicate']}|{row['object']}|{row['source']}", base))
        ds.graph(claim).add((subject, predicate, obj))
        source = row["source"]
        if source.startswith(("http://", "https://")):
            origin = URIRef(source)
        else:
            origin = URIRef(document_iri(source, base) if source else f"{base}curation")
        quote = row["quote"] or row["note"] or "(curated)"
        for p, o in (
            (RDF.type, CMKG.Claim),
            (PROV.wasDerivedFrom, origin),
            (CMKG.quote, Literal(quote)),
            (CMKG.startOffset, Literal(0)),
            (CMKG.endOffset, Literal(len(quote))),
            (CMKG.method, Literal("curation")),
            (CMKG.confidence, Literal("1", datatype=XSD.decimal)),
            (CMKG.about, subject),
            (DCT.source, source_file),
        ):
            provenance.add((claim, p, o))
        added += 1
    return added


def _predicate(text: str) -> URIRef:
    if text.startswith(("http://", "https://")):
        return URIRef(text)
    return CMKG[text.removeprefix("cmkg:")]


def _term(text: str, names: EntityNames, base: str):
    if text.startswith(("fact:", "claim:")):
        return URIRef(f"{base}{text.replace(':', '/', 1)}")
    if text.startswith("cmkg:"):
        return CMKG[text[5:]]
    iri = names(text)
    return URIRef(iri) if iri else Literal(text)
