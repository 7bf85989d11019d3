"""The triple store: the one module of cmkg that talks to Oxigraph's on-disk store.

A build writes its dataset (``out/graph.trig``) into a new store with :func:`write_store`;
everything else opens the store read-only, so an ``oxigraph serve-read-only`` server can run
beside it.
:func:`run_query` answers SPARQL queries with the union of all graphs as default graph (see
docs/model.md) and refuses updates; :func:`format_result` renders an answer as a table, SPARQL JSON
or CSV.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal

import pyoxigraph as ox
import rdflib

from graph.errors import QueryError, StoreError
from graph.extract.reference import ENTITY_CLASSES
from graph.iri import CMKG, DCT, DEFAULT_BASE, PROV, SCHEMA, SKOS, WD

logger = logging.getLogger(__name__)

ResultKind = Literal["select", "ask", "graph"]
TermKind = Literal["uri", "literal", "bnode", "triple"]

DATASET_FORMATS: dict[str, ox.RdfFormat] = {
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
    ".nquads": ox.RdfFormat.N_QUADS,
}
"""Formats :func:`write_store` reads, by file suffix."""

LOAD_FORMATS: dict[str, ox.RdfFormat] = {
    **DATASET_FORMATS,
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
}
"""Formats :func:`load_files` reads, by file suffix (each may also be gzipped: ``.nq.gz``)."""

DUMP_FORMATS: dict[str, ox.RdfFormat] = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}
"""Formats :func:`dump_store` writes, by name."""

RESULT_FORMATS: tuple[str, ...] = ("table", "json", "csv")
"""Formats :func:`format_result` renders."""


READ_ONLY_MESSAGE = "updates are refused: the store is read-only"

UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})
"""Words that open a SPARQL 1.1 Update operation (after the prologue)."""

GRAPH_VARIABLES = ["subject", "predicate", "object"]
"""Column names of CONSTRUCT and DESCRIBE answers."""

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
CLAIM_SEGMENT = "/claim/"

# Strings, IRIs and comments are blanked out before looking for an update keyword, so that
# ``<http://example.org/#INSERT>`` or ``"DROP"`` never count.
_OPAQUE_TOKENS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n]*",
    re.DOTALL,
)
_FIRST_KEYWORD = re.compile(r"\s*(?:(?:PREFIX\s+[^\s:]*:|BASE)\s*)*([A-Za-z]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Term:
    """One RDF term of a query answer.

    ``kind`` is the SPARQL JSON type: ``uri``, ``literal``, ``bnode`` or ``triple``. ``value`` is
    the IRI, the literal's lexical form, the blank node's id (without ``_:``) or, for a quoted
    triple, its N-Triples text; ``parts`` holds a quoted triple's subject, predicate and object.
    ``datatype`` is None for plain and language-tagged strings.

    >>> Term("literal", "Chine", lang="fr").text
    'Chine'
    >>> Term("bnode", "b0").text
    '_:b0'
    """

    kind: TermKind
    value: str
    datatype: str | None = None
    lang: str | None = None
    parts: tuple[Term, Term, Term] | None = None

    @property
    def text(self) -> str:
        """The term rendered as plain text: IRIs as themselves, literals as their lexical value."""
        return f"_:{self.value}" if self.kind == "bnode" else self.value


Row = dict[str, str | None]


@dataclass(frozen=True)
class QueryResult:
    """The answer to a SPARQL query, detached from the store.

    ``kind`` is ``select``, ``ask`` or ``graph`` (CONSTRUCT and DESCRIBE). A graph answer has the
    variables ``subject``, ``predicate``, ``object`` and one binding per triple, so every answer but
    ASK is a table. ``boolean`` is set only for ASK.
    """

    kind: ResultKind
    variables: list[str] = field(default_factory=list)
    bindings: list[dict[str, Term]] = field(default_factory=list)
    boolean: bool | None = None

    @property
    def rows(self) -> list[Row]:
        """One dict per solution, every variable a key, terms rendered as text, unbound as None."""
        return [
            {name: (binding[name].text if name in binding else None) for name in self.variables}
            for binding in self.bindings
        ]

    @property
    def triples(self) -> list[tuple[Term, Term, Term]]:
        """The triples of a graph answer (empty for SELECT and ASK)."""
        if self.kind != "graph":
            return []
        return [(b["subject"], b["predicate"], b["object"]) for b in self.bindings]


def _one_line(error: BaseException) -> str:
    """The message of ``error`` on one line."""
    return " ".join(str(error).split())


def has_store(store_dir: Path) -> bool:
    """Whether ``store_dir`` holds an Oxigraph store (RocksDB keeps a ``CURRENT`` file in it)."""
    return (Path(store_dir) / "CURRENT").is_file()


def require_store(store_dir: Path) -> None:
    """Raise :class:`StoreError` unless ``store_dir`` holds an Oxigraph store."""
    if not has_store(store_dir):
        raise StoreError(f"no store at {store_dir}")


def write_store(dataset_path: Path, store_dir: Path) -> int:
    """Bulk-load a TriG or N-Quads file into a new on-disk store and return its number of quads.

    ``store_dir`` must not exist or be empty; the caller handles temporary directories and renames.
    The store is closed on return. On failure, whatever this call wrote is removed.

    Raises
    ------
    StoreError
        If the file is missing, has an unknown suffix or does not parse (the message names the file
        and the parser's position), or if ``store_dir`` is not empty or cannot be written.
    """
    dataset_path, store_dir = Path(dataset_path), Path(store_dir)
    if not dataset_path.is_file():
        raise StoreError(f"{dataset_path}: no such file")
    rdf_format = DATASET_FORMATS.get(dataset_path.suffix.lower())
    if rdf_format is None:
        known = ", ".join(DATASET_FORMATS)
        raise StoreError(f"{dataset_path}: unknown dataset format (expected {known})")
    if store_dir.exists() and (not store_dir.is_dir() or any(store_dir.iterdir())):
        raise StoreError(f"{store_dir} is not empty: a store is written into a new directory")
    created = not store_dir.exists()
    try:
        count = _bulk_load(dataset_path, rdf_format, store_dir)
    except SyntaxError as error:
        _discard(store_dir, created)
        raise StoreError(f"{dataset_path}: {_one_line(error)}") from error
    except OSError as error:
        _discard(store_dir, created)
        raise StoreError(f"cannot write the store at {store_dir}: {_one_line(error)}") from error
    logger.info("loaded %d quads from %s into %s", count, dataset_path, store_dir)
    return count


def grow_store(
    old_dir: Path,
    store_dir: Path,
    removed: Iterable[tuple],
    added: Iterable[tuple],
    replaced: dict[str, Iterable[tuple]] | None = None,
) -> int:
    """Copy the store at ``old_dir`` into the new directory ``store_dir`` and change the copy: remove the
    quads ``removed``, replace each graph of ``replaced`` (graph IRI → its triples) and add the quads ``added``
    (quads ``(s, p, o, graph IRI)`` and triples of rdflib IRIs and literals: no blank node). What ``cmkg add``
    does instead of loading its whole dataset again. Returns the store's number of quads. ``old_dir`` is only
    read; on failure ``store_dir`` is removed.

    The new quads go in through Oxigraph's bulk loader (``bulk_extend``: sorted table files ingested, three
    times faster than an update at an add's 25,000 quads), whose lack of a transaction does not matter in a
    store that nothing else has open and that is removed on failure.

    Raises
    ------
    StoreError
        If there is no store at ``old_dir``, ``store_dir`` exists, or a term is not valid RDF.
    """
    old_dir, store_dir = Path(old_dir), Path(store_dir)
    require_store(old_dir)
    if store_dir.exists():
        raise StoreError(f"{store_dir} exists: a store is grown into a new directory")
    try:
        copy_store_files(old_dir, store_dir)
        store = ox.Store(str(store_dir))
        try:
            quad = _oxigraph_quads()
            for q in removed:
                store.remove(quad(q))
            new = [quad(q) for q in added]
            for graph, triples in (replaced or {}).items():
                store.remove_graph(ox.NamedNode(graph))
                new += [quad((*t, graph)) for t in triples]
            store.bulk_extend(new)
            store.flush()
            count = len(store)
        finally:
            del store  # closes RocksDB now
    except (SyntaxError, ValueError) as error:
        shutil.rmtree(store_dir, ignore_errors=True)
        raise StoreError(f"cannot change the store copied from {old_dir}: {_one_line(error)}") from error
    except OSError as error:
        shutil.rmtree(store_dir, ignore_errors=True)
        raise StoreError(f"cannot write the store at {store_dir}: {_one_line(error)}") from error
    logger.info("grew the store of %s into %s: %d quads", old_dir, store_dir, count)
    return count


def _oxigraph_quads() -> Callable[[tuple], ox.Quad]:
    """A function that makes the pyoxigraph quad of ``(s, p, o, graph IRI)`` of rdflib IRIs and literals, each
    term made once (the same IRIs recur in thousands of quads)."""
    made: dict = {}

    def term(t) -> ox.NamedNode | ox.Literal:
        found = made.get(t)
        if found is None:
            if isinstance(t, rdflib.Literal):
                if t.language:
                    found = ox.Literal(str(t), language=t.language)
                else:
                    found = ox.Literal(str(t), datatype=ox.NamedNode(t.datatype or XSD_STRING))
            elif isinstance(t, rdflib.URIRef):
                found = ox.NamedNode(str(t))
            else:
                raise ValueError(f"{t!r}: only IRIs and literals can be added to a grown store")
            made[t] = found
        return found

    def quad(q: tuple) -> ox.Quad:
        s, p, o, g = q
        return ox.Quad(term(s), term(p), term(o), term(rdflib.URIRef(str(g))))

    return quad


def copy_store_files(old_dir: Path, store_dir: Path) -> None:
    """Make ``store_dir`` a copy of the closed store at ``old_dir`` in which its table files are hard links.

    RocksDB never changes a table file (``*.sst``) once written: it only writes new ones and deletes old ones
    (a deleted link leaves the other in place). Linking them costs nothing where copying the store's hundred
    megabytes took most of an add's store update; every other file (the log, the manifest, ``CURRENT``,
    the options) is written to in place and is copied. ``LOCK`` is left out; a table file that cannot be
    linked (another file system) is copied.
    """

    def link_or_copy(source: str, target: str) -> str:
        if source.endswith(".sst"):
            try:
                os.link(source, target)
                return target
            except OSError:
                pass
        return shutil.copy2(source, target)

    shutil.copytree(old_dir, store_dir, ignore=shutil.ignore_patterns("LOCK"), copy_function=link_or_copy)


def _bulk_load(dataset_path: Path, rdf_format: ox.RdfFormat, store_dir: Path) -> int:
    """Bulk-load ``dataset_path`` into a new read-write store, close it, return its quad count."""
    store = ox.Store(str(store_dir))
    try:
        store.bulk_load(path=str(dataset_path), format=rdf_format)
        store.flush()
        return len(store)
    finally:
        del store  # closes RocksDB now, even if a traceback keeps this frame alive


def _discard(store_dir: Path, created: bool) -> None:
    """Remove what a failed :func:`write_store` left in ``store_dir``."""
    if not store_dir.exists():
        return
    if created:
        shutil.rmtree(store_dir)
        return
    for child in store_dir.iterdir():
        if child.is_dir():
            shutil.rmtree(child)
        else:
            child.unlink()


def open_store(store_dir: Path, read_only: bool = True) -> ox.Store:
    """Open the store at ``store_dir``, read-only by default so a server can run beside it.

    Raises
    ------
    StoreError
        If ``store_dir`` holds no store or the store cannot be opened.
    """
    store_dir = Path(store_dir)
    require_store(store_dir)
    try:
        return ox.Store.read_only(str(store_dir)) if read_only else ox.Store(str(store_dir))
    except OSError as error:
        raise StoreError(f"cannot open the store at {store_dir}: {_one_line(error)}") from error


def is_update(sparql: str) -> bool:
    """Whether ``sparql`` is a SPARQL Update request (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE...).

    Only the first keyword after the prologue counts; strings, IRIs and comments are ignored.

    >>> is_update("PREFIX ex: <http://example.org/#SELECT> INSERT DATA { ex:a ex:b ex:c }")
    True
    >>> is_update("# DROP ALL\\nSELECT * WHERE { ?s ?p 'DELETE' }")
    False
    >>> is_update("clear all")
    True
    """
    match = _FIRST_KEYWORD.match(_OPAQUE_TOKENS.sub(" ", sparql))
    return match is not None and match.group(1).upper() in UPDATE_KEYWORDS


def _term(term: object) -> Term:
    """Convert a pyoxigraph term to a :class:`Term`."""
    if isinstance(term, ox.NamedNode):
        return Term("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if term.language is not None:
            return Term("literal", term.value, lang=term.language)
        if datatype == XSD_STRING:
            return Term("literal", term.value)
        return Term("literal", term.value, datatype=datatype)
    if isinstance(term, ox.Triple):
        parts = (_term(term.subject), _term(term.predicate), _term(term.object))
        return Term("triple", str(term), parts=parts)
    raise QueryError(f"unexpected term in a query answer: {term!r}")


def _answer(answer: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> QueryResult:
    """Read a pyoxigraph answer to the end and return it as a :class:`QueryResult`."""
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(answer))
    if isinstance(answer, ox.QueryTriples):
        bindings = [dict(zip(GRAPH_VARIABLES, (_term(t.subject), _term(t.predicate), _term(t.object)))) for t in answer]
        return QueryResult("graph", variables=list(GRAPH_VARIABLES), bindings=bindings)
    variables = [variable.value for variable in answer.variables]
    bindings: list[dict[str, Term]] = []
    for solution in answer:
        binding: dict[str, Term] = {}
        for name in variables:
            value = solution[name]
            if value is not None:
                binding[name] = _term(value)
        bindings.append(binding)
    return QueryResult("select", variables=variables, bindings=bindings)


def run_query(store_dir: Path, sparql: str, union_default_graph: bool = True) -> QueryResult:
    """Answer a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE) from the store at ``store_dir``.

    With ``union_default_graph`` (the default) the default graph is the union of all named graphs,
    so a plain pattern sees every fact; ``GRAPH ?g { ... }`` still reaches single graphs.

    Raises
    ------
    QueryError
        If the query is malformed (the message carries the parser's), fails while evaluated, or
        is an update (``updates are refused: the store is read-only``).
    StoreError
        If there is no store at ``store_dir`` or it cannot be read.
    """
    store = open_store(store_dir)
    logger.debug("query on %s: %s", store_dir, sparql)
    try:
        result = _answer(store.query(sparql, use_default_graph_as_union=union_default_graph))
    except SyntaxError as error:
        if is_update(sparql):
            raise QueryError(READ_ONLY_MESSAGE) from error
        raise QueryError(f"malformed query: {_one_line(error)}") from error
    except OSError as error:
        raise StoreError(f"cannot read the store at {store_dir}: {_one_line(error)}") from error
    except RuntimeError as error:
        raise QueryError(f"query failed: {_one_line(error)}") from error
    logger.debug("%s answer with %d bindings", result.kind, len(result.bindings))
    return result


def _json_term(term: Term) -> dict[str, object]:
    """A term in the SPARQL 1.1 Query Results JSON format."""
    if term.kind == "triple" and term.parts is not None:
        subject, predicate, obj = (_json_term(part) for part in term.parts)
        value = {"subject": subject, "predicate": predicate, "object": obj}
        return {"type": "triple", "value": value}
    encoded: dict[str, object] = {"type": term.kind, "value": term.value}
    if term.lang is not None:
        encoded["xml:lang"] = term.lang
    elif term.datatype is not None and term.datatype not in (XSD_STRING, RDF_LANG_STRING):
        encoded["datatype"] = term.datatype
    return encoded


def _format_json(result: QueryResult) -> str:
    """The answer in the SPARQL 1.1 Query Results JSON format."""
    if result.kind == "ask":
        document: dict[str, object] = {"head": {}, "boolean": result.boolean}
    else:
        bindings = [
            {name: _json_term(binding[name]) for name in result.variables if name in binding}
            for binding in result.bindings
        ]
        document = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _format_csv(result: QueryResult) -> str:
    """The answer in the SPARQL 1.1 Query Results CSV format (CRLF line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if result.kind == "ask":
        writer.writerow(["true" if result.boolean else "false"])
        return buffer.getvalue()
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if row[name] is None else row[name] for name in result.variables])
    return buffer.getvalue()


def _format_table(result: QueryResult) -> str:
    """The answer as aligned plain-text columns under a header and a rule."""
    if result.kind == "ask":
        return ("true" if result.boolean else "false") + "\n"
    header = result.variables
    cells = [[("" if row[name] is None else row[name]).replace("\n", "\\n") for name in header] for row in result.rows]
    widths = [max([len(name)] + [len(line[i]) for line in cells]) for i, name in enumerate(header)]
    lines = [header, ["-" * width for width in widths], *cells]
    return "".join("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() + "\n" for line in lines)


def format_result(result: QueryResult, fmt: str) -> str:
    """Render an answer as ``table`` (aligned columns), ``json`` (SPARQL 1.1 JSON) or ``csv``.

    Graph answers render as a table of subject, predicate, object; an ASK answer in table or CSV
    is ``true`` or ``false``.

    >>> answer = QueryResult("select", ["state", "label"],
    ...                      [{"state": Term("uri", "https://w3id.org/cmkg/id/China"),
    ...                        "label": Term("literal", "China", lang="en")}])
    >>> print(format_result(answer, "table"), end="")
    state                           label
    ------------------------------  -----
    https://w3id.org/cmkg/id/China  China
    >>> format_result(answer, "csv")
    'state,label\\r\\nhttps://w3id.org/cmkg/id/China,China\\r\\n'

    Raises
    ------
    QueryError
        If ``fmt`` is not one of :data:`RESULT_FORMATS`.
    """
    if fmt == "table":
        return _format_table(result)
    if fmt == "json":
        return _format_json(result)
    if fmt == "csv":
        return _format_csv(result)
    raise QueryError(f"unknown result format {fmt!r} (expected {', '.join(RESULT_FORMATS)})")


def count_quads(store_dir: Path) -> int:
    """Number of quads in the store at ``store_dir``.

    Raises
    ------
    StoreError
        If there is no store at ``store_dir`` or it cannot be read.
    """
    store = open_store(store_dir)
    try:
        return len(store)
    except OSError as error:
        raise StoreError(f"cannot read the store at {store_dir}: {_one_line(error)}") from error


def _entity_query() -> str:
    """SPARQL counting the distinct entities of each class of :data:`ENTITY_CLASSES`."""
    values = " ".join(f"<{CMKG[name]}>" for name in ENTITY_CLASSES)
    return (
        "SELECT ?class (COUNT(DISTINCT ?entity) AS ?n) WHERE { "
        f"VALUES ?class {{ {values} }} ?entity a ?class }} GROUP BY ?class"
    )


def stats(store_dir: Path) -> dict[str, object]:
    """Counts describing the store: quads, named graphs, claims and entities by class.

    Returns ``{"quads": int, "named_graphs": int, "claims": int, "entities": {class: int}}``, where
    claims are the named graphs whose IRI contains ``/claim/`` and ``entities`` maps every local
    name of :data:`ENTITY_CLASSES` (``State``, ``Mineral``...) to its number of distinct instances.

    Raises
    ------
    StoreError
        If there is no store at ``store_dir`` or it cannot be read.
    """
    store = open_store(store_dir)
    try:
        graphs = [graph.value for graph in store.named_graphs()]
        quads = len(store)
        answer = _answer(store.query(_entity_query(), use_default_graph_as_union=True))
    except OSError as error:
        raise StoreError(f"cannot read the store at {store_dir}: {_one_line(error)}") from error
    entities = dict.fromkeys(ENTITY_CLASSES, 0)
    for binding in answer.bindings:
        entities[binding["class"].value.removeprefix(str(CMKG))] = int(binding["n"].value)
    return {
        "quads": quads,
        "named_graphs": len(graphs),
        "claims": sum(CLAIM_SEGMENT in graph for graph in graphs),
        "entities": entities,
    }


def dump_prefixes(base: str = DEFAULT_BASE) -> dict[str, str]:
    """Prefixes of TriG dumps: the fixed vocabularies and the data namespaces under ``base``.

    >>> dump_prefixes("https://example.org/")["claim"]
    'https://example.org/claim/'
    """
    return {
        "cmkg": str(CMKG),
        "id": f"{base}id/",
        "doc": f"{base}doc/",
        "claim": f"{base}claim/",
        "prov": str(PROV),
        "skos": str(SKOS),
        "dcterms": str(DCT),
        "schema": str(SCHEMA),
        "wd": str(WD),
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "owl": "http://www.w3.org/2002/07/owl#",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
    }


def dump_store(store_dir: Path, path: Path, fmt: str = "trig", base: str = DEFAULT_BASE) -> int:
    """Write the whole store to ``path`` as ``trig`` or ``nquads`` and return the number of quads.

    N-Quads lines are sorted, so equal stores without blank nodes give byte-identical files.

    Raises
    ------
    StoreError
        If ``fmt`` is unknown, there is no store at ``store_dir``, or reading or writing fails.
    """
    rdf_format = DUMP_FORMATS.get(fmt)
    if rdf_format is None:
        raise StoreError(f"unknown dump format {fmt!r} (expected {', '.join(DUMP_FORMATS)})")
    store = open_store(store_dir)
    path = Path(path)
    try:
        if rdf_format == ox.RdfFormat.N_QUADS:
            lines = store.dump(format=rdf_format).decode("utf-8").splitlines(keepends=True)
            data = "".join(sorted(lines)).encode("utf-8")
        else:
            data = store.dump(format=rdf_format, prefixes=dump_prefixes(base))
        count = len(store)
        path.write_bytes(data)
    except OSError as error:
        message = f"cannot dump the store at {store_dir} to {path}: {_one_line(error)}"
        raise StoreError(message) from error
    logger.info("dumped %d quads from %s to %s", count, store_dir, path)
    return count


Progress = Callable[[int, int], None]
"""A progress callback: ``progress(done, total)``."""


class _CountingReader(io.RawIOBase):
    """A binary file that reports how many bytes were read from it."""

    def __init__(self, raw: IO[bytes], on_read: Callable[[int], None]) -> None:
        super().__init__()
        self._raw = raw
        self._on_read = on_read

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        count = self._raw.readinto(buffer)  # type: ignore[attr-defined]
        self._on_read(count or 0)
        return count or 0


def load_format(path: Path) -> ox.RdfFormat:
    """The RDF format of a dump, from its suffix, a trailing ``.gz`` aside.

    >>> load_format(Path("dump.nq.gz")) == ox.RdfFormat.N_QUADS
    True

    Raises
    ------
    StoreError
        If the suffix is not one of :data:`LOAD_FORMATS`.
    """
    suffixes = [suffix.lower() for suffix in Path(path).suffixes]
    if suffixes[-1:] == [".gz"]:
        suffixes.pop()
    rdf_format = LOAD_FORMATS.get(suffixes[-1] if suffixes else "")
    if rdf_format is None:
        known = ", ".join(LOAD_FORMATS)
        raise StoreError(f"{path}: unknown RDF format (expected {known}, or one of them .gz)")
    return rdf_format


def load_files(
    paths: list[Path],
    store_dir: Path,
    graph: str | None = None,
    progress: Progress | None = None,
) -> int:
    """Load RDF dumps into a new store that replaces ``store_dir``; return its number of quads.

    TriG and N-Quads keep their graphs; the triples of Turtle and N-Triples files go to the named
    graph ``graph``, or to the default graph (which the union default graph of queries includes).
    Files are streamed, gzipped or not, and ``progress(bytes_read, total_bytes)`` is called as
    they are read. The new store is written beside ``store_dir`` and swapped in at the end: if a
    file does not parse, the previous store is left as it was.

    Raises
    ------
    StoreError
        If a file is missing, has an unknown suffix or does not parse (the message names the file
        and the parser's position), if ``graph`` is given for a TriG or N-Quads file, if
        ``store_dir`` exists and is not a store, or if the store cannot be written.
    """
    paths = [Path(path) for path in paths]
    store_dir = Path(store_dir)
    formats = []
    for path in paths:
        if not path.is_file():
            raise StoreError(f"{path}: no such file")
        rdf_format = load_format(path)
        if graph is not None and rdf_format.supports_datasets:
            raise StoreError(f"{path}: --graph applies to triple files (.ttl, .nt), not to datasets")
        formats.append(rdf_format)
    if store_dir.exists() and not has_store(store_dir) and (not store_dir.is_dir() or any(store_dir.iterdir())):
        raise StoreError(f"{store_dir} exists and is not a store: not replacing it")
    total = sum(path.stat().st_size for path in paths)
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, total)

    store_dir.parent.mkdir(parents=True, exist_ok=True)
    new_dir = Path(tempfile.mkdtemp(dir=store_dir.parent, prefix=f".{store_dir.name}.load-"))
    try:
        store = ox.Store(str(new_dir))
        try:
            for path, rdf_format in zip(paths, formats):
                _load_one(store, path, rdf_format, graph, advance)
            store.flush()
            count = len(store)
        finally:
            del store  # closes RocksDB before the directory moves
        _replace_directory(new_dir, store_dir)
    finally:
        shutil.rmtree(new_dir, ignore_errors=True)
    logger.info("loaded %d quads from %d files into %s", count, len(paths), store_dir)
    return count


def _load_one(
    store: ox.Store, path: Path, rdf_format: ox.RdfFormat, graph: str | None, advance: Callable[[int], None]
) -> None:
    """Stream one (maybe gzipped) file into ``store``."""
    to_graph = ox.NamedNode(graph) if graph is not None else None
    try:
        with path.open("rb") as raw:
            counted = io.BufferedReader(_CountingReader(raw, advance), buffer_size=1 << 20)
            stream: IO[bytes] = gzip.GzipFile(fileobj=counted) if path.suffix.lower() == ".gz" else counted
            store.bulk_load(stream, format=rdf_format, base_iri=path.resolve().as_uri(), to_graph=to_graph)
    except SyntaxError as error:
        raise StoreError(f"{path}: {_one_line(error)}") from error
    except (OSError, EOFError) as error:
        raise StoreError(f"cannot load {path}: {_one_line(error)}") from error
    except ValueError as error:
        raise StoreError(f"{path}: {_one_line(error)}") from error


def _replace_directory(new_dir: Path, target: Path) -> None:
    """Put ``new_dir`` in the place of ``target`` with renames; the old one is removed last."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.replace(target, old)
    os.replace(new_dir, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


@dataclass(frozen=True)
class GraphDump:
    """One graph of the store as N-Triples: ``name`` is its IRI, None for the default graph."""

    name: str | None
    triples: int
    data: bytes


def graph_names(store_dir: Path) -> list[str]:
    """The IRIs of the store's named graphs, sorted.

    Raises
    ------
    StoreError
        If there is no store at ``store_dir`` or it cannot be read.
    """
    store = open_store(store_dir)
    try:
        return sorted(graph.value for graph in store.named_graphs() if isinstance(graph, ox.NamedNode))
    except OSError as error:
        raise StoreError(f"cannot read the store at {store_dir}: {_one_line(error)}") from error


def dump_graphs(store_dir: Path, names: list[str] | None = None) -> Iterator[GraphDump]:
    """Each graph of the store as N-Triples: the default graph first if it holds triples, then
    the named graphs ``names`` (default: all of them, sorted).

    Raises
    ------
    StoreError
        If there is no store at ``store_dir`` or it cannot be read.
    """
    store = open_store(store_dir)
    if names is None:
        names = graph_names(store_dir)
    try:
        default = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        if default:
            yield GraphDump(None, default.count(b"\n"), default)
        for name in names:
            data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name))
            yield GraphDump(name, data.count(b"\n"), data)
    except OSError as error:
        raise StoreError(f"cannot read the store at {store_dir}: {_one_line(error)}") from error


def replace_graph(store_dir: Path, graph_iri: str, ntriples: str) -> int:
    """Replace the named graph ``graph_iri`` of the store by the triples of ``ntriples`` (N-Triples text).

    The old triples go and the new ones come in one transaction, so a reader sees the one graph or
    the other, never a mix; an empty text removes the graph. Returns the graph's number of triples.
    ``cmkg analyze`` writes its results this way (the analysis graph of docs/model.md).

    Raises
    ------
    StoreError
        If there is no store at ``store_dir``, it cannot be written, or ``ntriples`` does not parse.
    """
    if not graph_iri or any(c in graph_iri for c in '<>"{}|^`\\ \n'):
        raise StoreError(f"not a graph IRI: {graph_iri!r}")
    store = open_store(store_dir, read_only=False)
    name = ox.NamedNode(graph_iri)
    try:
        store.update(f"DROP SILENT GRAPH <{graph_iri}> ;\nINSERT DATA {{ GRAPH <{graph_iri}> {{\n{ntriples}\n}} }}")
        store.flush()
        count = sum(1 for _ in store.quads_for_pattern(None, None, None, name))
    except SyntaxError as error:
        raise StoreError(f"cannot replace graph <{graph_iri}>: {_one_line(error)}") from error
    except OSError as error:
        raise StoreError(f"cannot write the store at {store_dir}: {_one_line(error)}") from error
    finally:
        del store  # closes RocksDB now
    logger.info("replaced graph <%s> of %s with %d triples", graph_iri, store_dir, count)
    return count
