"""IRIs of cmkg: the ontology namespace, and stable data IRIs minted from content.

Ontology terms live in a fixed namespace; data IRIs (entities, documents, facts, claims) live under a
configurable base, so two builds of the same documents give the same IRIs.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import Namespace

CMKG = Namespace("https://w3id.org/cmkg/ontology#")
DEFAULT_BASE = "https://w3id.org/cmkg/"
PROV = Namespace("http://www.w3.org/ns/prov#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCT = Namespace("http://purl.org/dc/terms/")
SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")

ONTOLOGY_GRAPH = "graph/ontology"
REFERENCE_GRAPH = "graph/reference"
DOCUMENTS_GRAPH = "graph/documents"
PROVENANCE_GRAPH = "graph/provenance"
ANALYSIS_GRAPH = "graph/analysis"


def slug(name: str) -> str:
    """Return a readable IRI segment for a canonical name.

    >>> slug("United States")
    'United_States'
    >>> slug("Agence internationale de l'énergie")
    'Agence_internationale_de_l_energie'
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "_", ascii_name).strip("_") or "x"


def digest(*parts: object) -> str:
    """Return a short stable hash of ``parts``, for fact and claim IRIs.

    >>> digest("a", 1) == digest("a", 1)
    True
    >>> len(digest("a"))
    16
    """
    text = "\x1f".join(str(p) for p in parts)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def entity_iri(name: str, base: str = DEFAULT_BASE) -> str:
    """IRI of an entity from its canonical English name."""
    return f"{base}id/{slug(name)}"


def document_iri(doc_id: str, base: str = DEFAULT_BASE) -> str:
    """IRI of a source document from its id (the file's stem)."""
    return f"{base}doc/{slug(doc_id)}"


def fact_iri(kind: str, key: str, base: str = DEFAULT_BASE) -> str:
    """IRI of an n-ary fact (agreement, project, share, measure) from its identity key."""
    return f"{base}fact/{kind}/{digest(key)}"


def claim_iri(key: str, base: str = DEFAULT_BASE) -> str:
    """IRI of a claim (a named graph) from its identity key."""
    return f"{base}claim/{digest(key)}"


def graph_iri(name: str, base: str = DEFAULT_BASE) -> str:
    """IRI of one of the fixed named graphs (``graph/ontology``, ``graph/reference``...)."""
    return f"{base}{name}"
