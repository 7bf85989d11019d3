"""Validate: check a built dataset against the SHACL shapes of ``ontology/shapes.ttl`` with pyshacl."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, Namespace

from graph.errors import ReferenceDataError
from graph.iri import REFERENCE_GRAPH

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


def validate_dataset(ds: Dataset, shapes_path: Path) -> list[Violation]:
    """SHACL violations of the dataset's union graph, sorted by focus node."""
    from pyshacl import validate

    shapes = Graph()
    try:
        shapes.parse(shapes_path, format="turtle")
    except (OSError, SyntaxError, ValueError) as exc:
        raise ReferenceDataError(f"{shapes_path}: cannot parse shapes: {str(exc).splitlines()[0]}") from exc
    _, report, _ = validate(union_graph(ds), shacl_graph=shapes, inference="none", advanced=True)
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
