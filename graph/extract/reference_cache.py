"""The reference data through the user cache (:mod:`graph.cache`): parsing the gazetteer's Turtle files with
rdflib takes about a second, on every build and every add, for a result that changes only with the files.

The cache is keyed by the names and bytes of the files :func:`graph.extract.reference.load_reference` reads
(``entities.ttl``, ``generated/*.ttl``, ``patterns/lexicon.csv``), the source of the module that parses them
and rdflib's version, so an edited file, new parsing code or another rdflib gives another key, and the
reference is parsed again. What is kept is what parsing gives, in the same order: equal to a fresh load.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import rdflib

from graph.cache import digest, read_cached, write_cached
from graph.extract import reference as reference_module
from graph.extract.reference import Entity, Lexicon, Reference, default_ontology_dir, load_reference, reference_files

CACHE_NAME = "reference"


def reference_key(ontology_dir: Path) -> str:
    """The digest of everything :func:`load_reference` of ``ontology_dir`` depends on."""
    files = [*reference_files(ontology_dir), ontology_dir / "patterns" / "lexicon.csv"]
    parts: list[str | bytes] = [rdflib.__version__, Path(reference_module.__file__).read_bytes()]
    for path in files:
        parts += [path.relative_to(ontology_dir).as_posix(), path.read_bytes()]
    return digest(*parts)


def reference_to_dict(reference: Reference) -> dict:
    """What the cache keeps of a reference: its entities in order and its lexicon's entries."""
    return {
        "entities": [asdict(entity) for entity in reference.entities.values()],
        "lexicon": {category: [list(row) for row in rows] for category, rows in reference.lexicon.entries.items()},
    }


def reference_from_dict(data: dict, ontology_dir: Path) -> Reference:
    """The reference kept by :func:`reference_to_dict`, read from ``ontology_dir``."""
    entities = {e["iri"]: Entity(**e) for e in data["entities"]}
    entries = {category: [tuple(row) for row in rows] for category, rows in data["lexicon"].items()}
    return Reference(entities=entities, lexicon=Lexicon(entries), ontology_dir=ontology_dir)


def cached_reference(ontology_dir: Path | None = None) -> Reference:
    """:func:`graph.extract.reference.load_reference` of ``ontology_dir``, from the user cache when it holds
    the reference of the same files, code and rdflib; else loaded and kept there."""
    folder = ontology_dir or default_ontology_dir()
    try:
        key = reference_key(folder)
    except OSError:  # a file missing or unreadable: load_reference names it
        return load_reference(folder)
    kept = read_cached(CACHE_NAME, key)
    if kept is not None:
        try:
            return reference_from_dict(kept, folder)
        except (KeyError, TypeError, ValueError):
            pass
    reference = load_reference(folder)
    write_cached(CACHE_NAME, key, reference_to_dict(reference))
    return reference
