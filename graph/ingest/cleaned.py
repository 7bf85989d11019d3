"""What a build keeps of each document's cleaning, so that `cmkg add` cleans only the documents it reads.

A build writes ``documents/cleaned.json``: for every document it holds (near-duplicates included), the
SHA-256 of its raw text, its clean text with the map back to the source (:class:`graph.ingest.CleanText`)
and its MinHash signature (:func:`graph.ingest.duplicates.signature`, None for a text without words). The
file is keyed by :func:`cleaning_key`, the digest of the boilerplate rules of the code that cleans and signs
and of the datasketch version, so a changed rules file or a new version of that code makes `cmkg add` clean every document again.
A document whose raw text differs from the one recorded is cleaned again too. Only what the same rules
and code would give again is reused, so the outcome is the same as cleaning everything.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from graph.ingest import clean as clean_module
from graph.ingest import duplicates as duplicates_module
from graph.ingest.clean import CleanText, Segment

log = logging.getLogger(__name__)

CLEANED_FILE = "cleaned.json"


@dataclass(frozen=True)
class Cleaned:
    """A document's cleaning as a build kept it: the digest of its raw text, its clean text and its
    MinHash signature (its hash values, None when the text has no word)."""

    raw_sha256: str
    clean: CleanText
    signature: np.ndarray | None


def raw_digest(raw: str) -> str:
    """The SHA-256 of a raw text, in hexadecimal."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def cleaning_key(rules_path: Path) -> str:
    """The digest of what decides a clean text and its signature: the boilerplate rules file and the source
    of the modules that clean (:mod:`graph.ingest.clean`) and sign (:mod:`graph.ingest.duplicates`)."""
    from importlib.metadata import version

    digest = hashlib.sha256(f"datasketch {version('datasketch')}\0".encode())
    for path in (rules_path, Path(clean_module.__file__), Path(duplicates_module.__file__)):
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _entry(cleaned: Cleaned) -> dict:
    return {
        "raw_sha256": cleaned.raw_sha256,
        "text": cleaned.clean.text,
        "segments": [[s.clean_start, s.source_start, s.length] for s in cleaned.clean.segments],
        "signature": None if cleaned.signature is None else cleaned.signature.astype("<u8").tobytes().hex(),
    }


def _cleaned(entry: dict) -> Cleaned:
    signature = entry["signature"]
    return Cleaned(
        entry["raw_sha256"],
        CleanText(entry["text"], [Segment(*s) for s in entry["segments"]]),
        None if signature is None else np.frombuffer(bytes.fromhex(signature), dtype="<u8").astype(np.uint64),
    )


def write_cleaned(path: Path, key: str, cleaned: dict[str, Cleaned]) -> None:
    """Write the cleaning of each document (document id → :class:`Cleaned`) under ``key``."""
    from graph.export.formats import atomic_write_text

    record = {"key": key, "documents": {doc_id: _entry(c) for doc_id, c in sorted(cleaned.items())}}
    atomic_write_text(path, json.dumps(record, ensure_ascii=False, separators=(",", ":")))


def read_cleaned(path: Path, key: str) -> dict[str, Cleaned]:
    """The cleaning kept in ``path`` (document id → :class:`Cleaned`); none when there is no such file, when it
    cannot be read, or when it was written under another key (other rules or code)."""
    if not path.is_file():
        return {}
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        if record.get("key") != key:
            log.info("%s: written with other cleaning rules or code, every document is cleaned again", path)
            return {}
        return {doc_id: _cleaned(entry) for doc_id, entry in record["documents"].items()}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.info("%s: cannot be read (%s), every document is cleaned again", path, exc)
        return {}
