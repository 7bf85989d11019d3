"""Validate: check a built dataset against the SHACL shapes of ``ontology/shapes.ttl`` with pyshacl.

``cmkg add`` validates only what the new documents change (:func:`validate_changes`). That is sound for
the shapes of ``ontology/shapes.ttl`` because each of them is a node shape whose result for a focus node
depends only on (1) the focus node's own triples in the union graph (its class, the values of
``sh:path``, ``sh:lessThan`` and ``sh:or`` over its properties), (2) the ``rdf:type`` of the nodes
those triples point to (``sh:class``) and (3) the ``rdfs:subClassOf`` triples of the ontology. So a focus
node's result can change only if a triple of which it is the subject or the object was added or removed
(its own triples; whether it is named, which decides if its reference triples are in the union), or if
a node it points to changed type. Every other node keeps the result of the previous validation; a change
to the ontology or reference graph, or to the shapes, validates everything again. A new shape that looks
further (``sh:node``, property paths of more than one step, SPARQL constraints) breaks this argument:
:data:`LOCAL_SHAPE_KEYS` lists what the shapes may use, and :func:`local_shapes` checks it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, RDFS, Dataset, Graph, Namespace, URIRef
from rdflib.term import Node

from graph.errors import ReferenceDataError
from graph.iri import ONTOLOGY_GRAPH, REFERENCE_GRAPH

log = logging.getLogger(__name__)
SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Violation:
    """One SHACL result: the focus node, the path, and the shape's message."""

    focus: str
    path: str | None
    message: str
    severity: str


def union_graph(ds: Dataset) -> Graph:
    """All triples of every graph of a dataset in one graph (SHACL validates a single graph).

    Of the reference graph (the gazetteer, thousands of entities), only the entities that the rest of the
    dataset names are kept: they are what a build adds; the gazetteer as a whole is checked by its tests.
    """
    reference = [g for g in ds.graphs() if str(g.identifier).endswith("/" + REFERENCE_GRAPH)]
    others = [g for g in ds.graphs() if not str(g.identifier).endswith("/" + REFERENCE_GRAPH)]
    union = Graph()
    named: set = set()
    for g in others:
        for triple in g:
            union.add(triple)
            named.add(triple[0])
            named.add(triple[2])
    for g in reference:
        for triple in g:
            if triple[0] in named:
                union.add(triple)
    return union


def read_shapes(shapes_path: Path) -> Graph:
    """The SHACL shapes graph of ``shapes_path``."""
    shapes = Graph()
    try:
        shapes.parse(shapes_path, format="turtle")
    except (OSError, SyntaxError, ValueError) as exc:
        raise ReferenceDataError(f"{shapes_path}: cannot parse shapes: {str(exc).splitlines()[0]}") from exc
    return shapes


def validate_dataset(ds: Dataset, shapes_path: Path) -> list[Violation]:
    """SHACL violations of the dataset's union graph, sorted by focus node."""
    return _validate(union_graph(ds), read_shapes(shapes_path))


def _validate(data: Graph, shapes: Graph) -> list[Violation]:
    from pyshacl import validate

    # in place: ``data`` is a graph made for this validation, so pyshacl need not copy it first
    _, report, _ = validate(data, shacl_graph=shapes, inference="none", advanced=True, inplace=True)
    violations = []
    for result in report.subjects(SH.resultSeverity, None):
        path = report.value(result, SH.resultPath)
        violations.append(
            Violation(
                focus=str(report.value(result, SH.focusNode)),
                path=str(path) if path is not None else None,
                message=str(report.value(result, SH.resultMessage) or ""),
                severity=str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
            )
        )
    return sorted(violations, key=lambda v: (v.focus, v.path or "", v.message))


#: The SHACL terms a shape may use for :func:`validate_changes` to be sound (see the module docstring).
LOCAL_SHAPE_KEYS = frozenset(
    SH[k]
    for k in (
        "targetClass property path minCount maxCount class datatype nodeKind minLength pattern minInclusive "
        "maxInclusive lessThan or message"
    ).split()
)


def local_shapes(shapes: Graph) -> bool:
    """Whether every SHACL predicate of ``shapes`` is in :data:`LOCAL_SHAPE_KEYS` and every ``sh:path`` is
    one predicate (no property path), so a node's result depends on its own triples and its values' types.
    """
    used = {p for p in shapes.predicates() if str(p).startswith(str(SH))}
    simple_paths = all(isinstance(o, URIRef) for o in shapes.objects(None, SH.path))
    return used <= LOCAL_SHAPE_KEYS and simple_paths


def changed_quads(prefixes: list[str], blocks: dict[str, list[str]], others: dict) -> list[tuple]:
    """The quads ``(s, p, o, graph IRI)`` of TriG ``blocks`` (header line → triple strings, as
    :func:`graph.export.formats.read_trig_blocks` gives them) whose triple string is not in the same graph of
    ``others`` (header line → triple strings, a list or, looked up as it is, a set or a dict). Raises SyntaxError or ValueError when those strings do not parse.

    >>> blocks = {"<http://example.org/g> {": ["    <http://example.org/s> <http://example.org/p> 1 ."]}
    >>> changed_quads([], blocks, {})[0][2]
    rdflib.term.Literal('1', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))
    >>> changed_quads([], blocks, blocks)
    []
    """
    lines = list(prefixes)
    for header, body in blocks.items():
        other = others.get(header, ())
        if other == body:  # the usual case in a grown build: one comparison of two lists, in C
            continue
        changed = set(body).difference(other)
        if changed:
            lines += ["", header, *sorted(changed), "}"]
    if len(lines) == len(prefixes):
        return []
    parsed = Dataset()
    parsed.parse(data="\n".join(lines) + "\n", format="trig")
    return [(s, p, o, _graph_id(c)) for s, p, o, c in parsed.quads((None, None, None, None))]


def _graph_id(context) -> str:
    return str(getattr(context, "identifier", context))


def _is_reference(context) -> bool:
    return _graph_id(context).endswith("/" + REFERENCE_GRAPH)


def _union_quads(ds: Dataset, subject: Node | None, predicate: Node | None, obj: Node | None) -> Iterator:
    """The quads of ``ds`` matching a pattern, over every graph."""
    return ds.quads((subject, predicate, obj, None))


def is_named(ds: Dataset, node: Node, unchanged: set | None = None) -> bool:
    """Whether a graph other than the reference graph names ``node`` (as subject or object); with
    ``unchanged``, only its quads that are not in that set of added ``(s, p, o, graph)`` count as well."""
    for pattern in ((node, None, None), (None, None, node)):
        for s, p, o, c in _union_quads(ds, *pattern):
            if not _is_reference(c) and (unchanged is None or (s, p, o, _graph_id(c)) not in unchanged):
                return True
    return False


def _node_triples(ds: Dataset, node: Node, predicate: Node | None = None) -> Iterator[tuple]:
    """The triples of ``node`` (with ``predicate``, if given) in the union graph of :func:`union_graph`."""
    named = None
    for s, p, o, c in _union_quads(ds, node, predicate, None):
        if _is_reference(c):
            named = is_named(ds, node) if named is None else named
            if not named:
                continue
        yield s, p, o


def _kept_triple(ds: Dataset, triple: tuple, added: set) -> bool:
    """Whether a graph other than the reference graph holds ``triple`` before and after the change (in a
    quad that was not ``added``), so that the union graph has it both times."""
    return any(not _is_reference(c) and (*triple, _graph_id(c)) not in added for *_, c in _union_quads(ds, *triple))


def affected_nodes(ds: Dataset, removed: Iterable[tuple], added: Iterable[tuple]) -> set[Node] | None:
    """The focus nodes whose SHACL result may differ after quads ``(s, p, o, graph IRI)`` were ``removed``
    from and ``added`` to ``ds`` (which holds the result): the subjects and objects of those quads, and the
    nodes that point to a node whose types in the union graph may have changed. None when the ontology or
    reference graph changed: then every node may have changed."""
    removed, added = list(removed), list(added)
    if any(g.endswith("/" + ONTOLOGY_GRAPH) or g.endswith("/" + REFERENCE_GRAPH) for *_, g in removed + added):
        return None
    touched = {t for s, _, o, _ in removed + added for t in (s, o) if isinstance(t, URIRef)}
    added_set = set(added)
    retyped = {s for s, p, o, _ in removed + added if p == RDF.type and not _kept_triple(ds, (s, p, o), added_set)}
    for node in touched - retyped:
        has_reference_type = any(_is_reference(c) for *_, c in _union_quads(ds, node, RDF.type, None))
        if has_reference_type and not is_named(ds, node, unchanged=added_set):
            retyped.add(node)  # named now but not before, or the other way round: its reference types come or go
    pointing = {s for node in retyped for s, _, _, _ in _union_quads(ds, None, None, node)}
    return touched | retyped | pointing


def node_graph(ds: Dataset, nodes: set[Node]) -> Graph:
    """What SHACL needs to validate ``nodes`` as in :func:`union_graph`: their triples, the ``rdf:type`` of
    the nodes they point to, and the ontology (for ``rdfs:subClassOf``)."""
    triples: dict[tuple, None] = {}  # each once: a fact node told by hundreds of claims has its triples as often
    for context in ds.graphs():
        if _graph_id(context).endswith("/" + ONTOLOGY_GRAPH):
            triples.update(dict.fromkeys(context))
    for s, p, o, c in _union_quads(ds, None, RDFS.subClassOf, None):
        if not _is_reference(c) or is_named(ds, s):
            triples[(s, p, o)] = None
    types: dict[Node, list[tuple]] = {}  # the same values (classes, minerals, documents) recur
    for node in nodes:
        for s, p, o in _node_triples(ds, node):
            triples[(s, p, o)] = None
            if isinstance(o, URIRef) and o not in types:
                types[o] = list(_node_triples(ds, o, RDF.type))
                triples.update(dict.fromkeys(types[o]))
    g = Graph()
    for triple in triples:
        g.add(triple)
    return g


def validate_changes(
    ds: Dataset,
    shapes_path: Path,
    previous: list[Violation],
    removed: Iterable[tuple],
    added: Iterable[tuple],
) -> list[Violation]:
    """The SHACL violations of ``ds``, given those of the dataset it was before quads were ``removed`` and
    ``added`` (see :func:`affected_nodes`): the affected nodes are validated again, the others keep their
    ``previous`` results. Equal to :func:`validate_dataset` (see the module docstring for why)."""
    shapes = read_shapes(shapes_path)
    nodes = affected_nodes(ds, removed, added) if local_shapes(shapes) else None
    if nodes is None:
        log.info("SHACL: the ontology, reference graph or shapes changed; validating everything")
        return _validate(union_graph(ds), shapes)
    focus = {str(n) for n in nodes}
    log.info("SHACL: validating %d nodes that the change touches", len(focus))
    again = [v for v in _validate(node_graph(ds, nodes), shapes) if v.focus in focus]
    kept = [v for v in previous if v.focus not in focus]
    return sorted(kept + again, key=lambda v: (v.focus, v.path or "", v.message))
