"""Ingest: read documents and their metadata (:mod:`graph.ingest.read`), clean their text while keeping a
map back to the source (:mod:`graph.ingest.clean`), fetch web addresses and feeds into saved pages
(:mod:`graph.ingest.fetch`, :mod:`graph.ingest.feeds`), and read near-duplicates once
(:mod:`graph.ingest.duplicates`)."""

from graph.ingest.clean import BoilerplateRules, CleanText, Segment, clean_text, load_boilerplate_rules
from graph.ingest.read import (
    DOCUMENT_SUFFIXES,
    META_FIELDS,
    Document,
    Skipped,
    detect_language,
    find_sources,
    load_document,
    load_documents,
    load_readable_documents,
    read_html,
    read_metadata,
    read_pdf,
    read_source,
)

__all__ = [
    "DOCUMENT_SUFFIXES",
    "META_FIELDS",
    "BoilerplateRules",
    "CleanText",
    "Document",
    "Segment",
    "Skipped",
    "clean_text",
    "detect_language",
    "find_sources",
    "load_boilerplate_rules",
    "load_document",
    "load_documents",
    "load_readable_documents",
    "read_html",
    "read_metadata",
    "read_pdf",
    "read_source",
]
