"""Human-readable documentation of the ontology (pyLODE), one HTML file with no outside resource."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from graph.errors import CmkgError
from graph.export.formats import atomic_write_text

_OUTSIDE = re.compile(r'<(?:script|link|img)\b[^>]*(?:src|href)\s*=\s*["\'](?:https?:|//)', re.I)


def write_ontology_docs(ontology: Path, path: Path) -> None:
    """Write pyLODE's documentation of ``ontology`` (Turtle) to ``path``."""
    from pylode import OntPub
    from rdflib import Graph

    try:
        g = Graph().parse(ontology, format="turtle")
    except Exception as exc:  # rdflib's parsers raise many kinds of errors for bad Turtle
        raise CmkgError(f"{ontology}: cannot parse: {str(exc).splitlines()[0]}") from exc
    logging.getLogger("root").setLevel(logging.WARNING)
    try:
        html = OntPub(ontology=g).make_html()
    except Exception as exc:  # pyLODE raises bare exceptions for ontologies it cannot document
        raise CmkgError(f"{ontology}: pyLODE cannot document it: {exc}") from exc
    if _OUTSIDE.search(html):
        raise CmkgError(f"{ontology}: the documentation would load outside resources")
    atomic_write_text(path, html)
