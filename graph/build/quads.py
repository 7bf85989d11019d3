"""The dataset a build assembles, held as plain sets of rdflib terms: named graphs without a triple store.

A build adds half a million quads and then reads them a few times in full (TriG, the projection, SHACL) and
looks up a few thousand nodes (SHACL of what an add changed). rdflib's ``Dataset`` keeps three indexes and
each triple's graphs up to date on every ``add`` and sends an event for each, and its ``quads`` walks them
through generators of contexts: most of the time a build spent in its dataset. :class:`Quads` keeps each graph as an
insertion-ordered set of ``(s, p, o)`` and builds an index over every graph only when a look-up asks for
it (:meth:`Quads.quads` with a subject or an object). It offers the part of ``Dataset``'s interface
that the build's stages use (``graph``, ``graphs``, ``quads``, ``remove_graph``, ``bind``,
``namespace_manager``), so that :func:`graph.export.formats.trig_lines`,
:func:`graph.analysis.projection.project` and :mod:`graph.build.validate` read it as they read a
``Dataset``; :meth:`Quads.to_dataset` gives the rdflib one with the same quads and prefixes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

Triple = tuple[Node, Node, Node]
Quad = tuple[Node, Node, Node, URIRef]


class NamedGraph:
    """One graph of a :class:`Quads`: its IRI (``identifier``) and its triples, each once, in the order added.

    ``triples``, ``subjects``, ``objects`` and ``in`` answer as an rdflib ``Graph`` does (through one made
    on the first such question, again after a change): what :func:`graph.analysis.wording.words_of` asks of
    the ontology graph.
    """

    def __init__(self, identifier: URIRef, indexes: dict) -> None:
        self.identifier = identifier
        self._triples: dict[Triple, None] = {}
        self._indexes = indexes  # its dataset's, emptied on a change (the dataset itself would make a cycle)
        self._graph: Graph | None = None

    def add(self, triple: Triple) -> NamedGraph:
        """Add ``triple`` (once: a graph is a set)."""
        if triple not in self._triples:
            self._triples[triple] = None
            self._indexes.clear()
            self._graph = None
        return self

    def add_all(self, triples: Iterable[Triple]) -> NamedGraph:
        """Add each of ``triples`` (those already in the graph stay where they are)."""
        self._triples.update(dict.fromkeys(triples))
        self._indexes.clear()
        self._graph = None
        return self

    def __iter__(self) -> Iterator[Triple]:
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)

    def __contains__(self, triple: Triple) -> bool:
        if any(t is None for t in triple):
            return any(True for _ in self.triples(triple))
        return triple in self._triples

    def graph(self) -> Graph:
        """This graph as an rdflib ``Graph`` (made once until the graph changes)."""
        if self._graph is None:
            self._graph = Graph(identifier=self.identifier)
            for triple in self._triples:
                self._graph.add(triple)
        return self._graph

    def triples(self, pattern: tuple) -> Iterator[Triple]:
        """The triples matching ``pattern`` (None for any term)."""
        return self.graph().triples(pattern)

    def subjects(self, predicate: Node | None = None, obj: Node | None = None) -> Iterator[Node]:
        """The subjects of the triples with ``predicate`` and ``obj``."""
        return self.graph().subjects(predicate, obj)

    def objects(self, subject: Node | None = None, predicate: Node | None = None) -> Iterator[Node]:
        """The objects of the triples with ``subject`` and ``predicate``."""
        return self.graph().objects(subject, predicate)


class Quads:
    """Named graphs of rdflib terms, see the module docstring."""

    def __init__(self) -> None:
        self._graphs: dict[URIRef, NamedGraph] = {}
        self._prefixes = Dataset()  # holds only the prefixes, bound as a Dataset binds them
        self.namespace_manager: NamespaceManager = self._prefixes.namespace_manager
        self._indexes: dict[int, dict[int, list[Quad]]] = {}

    def bind(self, prefix: str, namespace) -> None:
        """Bind ``prefix`` to ``namespace`` for TriG."""
        self._prefixes.bind(prefix, namespace)

    def graph(self, identifier: URIRef) -> NamedGraph:
        """The graph ``identifier``, made empty when there is none yet."""
        found = self._graphs.get(identifier)
        if found is None:
            found = self._graphs[identifier] = NamedGraph(identifier, self._indexes)
        return found

    def graphs(self) -> Iterator[NamedGraph]:
        """Every graph, in the order they were made (empty ones included)."""
        return iter(list(self._graphs.values()))

    def remove_graph(self, g: NamedGraph | Graph) -> None:
        """Remove the graph ``g`` (its IRI) and its triples."""
        if self._graphs.pop(g.identifier, None) is not None:
            self._indexes.clear()

    def __len__(self) -> int:
        return sum(len(g) for g in self._graphs.values())

    def _all(self) -> Iterator[Quad]:
        for name, g in self._graphs.items():
            for s, p, o in g._triples:
                yield s, p, o, name

    def _index(self) -> dict[int, dict[int, list[Quad]]]:
        """The quads by the hash of their subject (0) and of their object (2), made in one pass on the first
        look-up. The key is str's hash of the term (rdflib's terms are strings): rdflib's own hash of a literal
        and its == are Python calls, made hundreds of thousands of times here, and equal terms are often
        different objects; :meth:`quads` compares the terms of the quads found."""
        if not self._indexes:
            key = str.__hash__
            subjects: dict[int, list[Quad]] = defaultdict(list)
            objects: dict[int, list[Quad]] = defaultdict(list)
            for name, g in self._graphs.items():
                for s, p, o in g._triples:
                    quad = (s, p, o, name)
                    subjects[key(s)].append(quad)
                    objects[key(o)].append(quad)
            self._indexes.update({0: dict(subjects), 2: dict(objects)})
        return self._indexes

    def quads(self, pattern: tuple = (None, None, None, None)) -> Iterator[Quad]:
        """The quads ``(s, p, o, graph IRI)`` matching ``pattern`` (None for any term; a graph IRI or None
        fourth), through the index of its subject or else its object when it gives one."""
        s, p, o = pattern[:3]
        g = pattern[3] if len(pattern) > 3 else None
        g = getattr(g, "identifier", g)
        if s is None and p is None and o is None:
            if g is None:
                return self._all()
            return ((*t, g) for t in (self._graphs[g]._triples if g in self._graphs else ()))
        if s is None and o is None:  # a predicate alone: one pass, tested by a set of one (an IRI's hash is str's)
            wanted = {p}
            graphs = self._graphs.items() if g is None else [(g, self._graphs[g])] if g in self._graphs else []
            return iter([(ts, tp, to, name) for name, graph in graphs for ts, tp, to in graph._triples if tp in wanted])
        if s is not None:
            found: Iterable[Quad] = self._index()[0].get(str.__hash__(s), ())
        else:
            found = self._index()[2].get(str.__hash__(o), ())
        return (
            quad
            for quad in found
            if (s is None or quad[0] is s or quad[0] == s)
            and (p is None or quad[1] is p or quad[1] == p)
            and (o is None or quad[2] is o or quad[2] == o)
            and (g is None or quad[3] == g)
        )

    @classmethod
    def of(cls, ds: Dataset) -> Quads:
        """The :class:`Quads` of the quads and prefixes of an rdflib ``Dataset`` (its default graph included)."""
        quads = cls()
        for prefix, namespace in ds.namespace_manager.namespaces():
            quads.bind(prefix, namespace)
        for s, p, o, g in ds.quads((None, None, None, None)):
            quads.graph(g if g is not None else ds.default_graph.identifier).add((s, p, o))
        return quads

    def to_dataset(self) -> Dataset:
        """The rdflib ``Dataset`` of the same quads and prefixes."""
        ds = Dataset()
        for prefix, namespace in self.namespace_manager.namespaces():
            ds.bind(prefix, namespace, replace=True)
        for name, g in self._graphs.items():
            target = ds.graph(name)
            for triple in g._triples:
                target.add(triple)
        return ds
