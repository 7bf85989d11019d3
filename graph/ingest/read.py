"""Reading: load documents (text, Markdown, saved web pages, PDF) and their metadata, then clean them."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import DocumentError
from graph.ingest.clean import BoilerplateRules, CleanText, clean_text

log = logging.getLogger(__name__)


TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
PDF_SUFFIXES = (".pdf",)
DOCUMENT_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + PDF_SUFFIXES
META_FIELDS = ("title", "date", "publisher", "author", "url", "language", "kind", "address", "fetched")


@dataclass
class Document:
    """A source document: its raw text, metadata and cleaned text."""

    id: str
    path: Path
    raw: str
    meta: dict[str, str | None]
    clean: CleanText
    #: Near-duplicates read as this document (id, source file, address each; :mod:`graph.ingest.duplicates`).
    duplicates: list[dict[str, str | None]] = field(default_factory=list)

    @property
    def title(self) -> str | None:
        return self.meta.get("title")

    @property
    def date(self) -> str | None:
        return self.meta.get("date")


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise DocumentError(f"{path}: no such file or folder")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read: {exc.strerror}") from exc
    if not data.strip():
        raise DocumentError(f"{path}: the file is empty")
    return data


def read_source(path: Path) -> str:
    """Read a text file as UTF-8, raising :class:`DocumentError` naming the file for unusable input."""
    data = _read_bytes(path)
    if b"\x00" in data[:8192]:
        raise DocumentError(f"{path}: binary file, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"{path}: not valid UTF-8 (byte {exc.start})") from exc
    return text.removeprefix("\ufeff")


def read_html(path: Path) -> tuple[str, dict[str, str | None]]:
    """The article text of a saved web page (trafilatura) and the metadata the page declares.

    The text, not the HTML, is the document's source: offsets and quotes refer to it.
    """
    import trafilatura

    data = _read_bytes(path)
    extracted = trafilatura.bare_extraction(
        data, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
    )
    text = getattr(extracted, "text", None) if extracted is not None else None
    if not text or not text.strip():
        raise DocumentError(f"{path}: no article text found in the page")
    meta = {
        "title": extracted.title,
        "date": extracted.date,
        "url": extracted.url,
        "publisher": extracted.sitename,
        "author": extracted.author,
        "kind": "web page",
    }
    return text, {k: v for k, v in meta.items() if v}


def read_pdf(path: Path) -> tuple[str, dict[str, str | None]]:
    """The text of a PDF (pypdf), pages separated by blank lines, and its declared title and author."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    _read_bytes(path)
    try:
        reader = PdfReader(path)
        text = "\n\n".join(page.extract_text() or "" for page in reader.pages)
        info = reader.metadata or {}
    except (PdfReadError, ValueError, KeyError) as exc:
        raise DocumentError(f"{path}: not a readable PDF ({exc})") from exc
    if not text.strip():
        raise DocumentError(f"{path}: the PDF has no text layer")
    meta = {"title": info.get("/Title"), "author": info.get("/Author"), "kind": "PDF extraction"}
    return text, {k: str(v) for k, v in meta.items() if v}


def read_metadata(path: Path) -> dict[str, str | None]:
    """Read the ``<name>.meta.json`` sidecar of a document; every field is ``None`` when unknown."""
    meta: dict[str, str | None] = {k: None for k in META_FIELDS}
    sidecar = path.with_name(path.stem + ".meta.json")
    if sidecar.exists():
        try:
            loaded = json.loads(sidecar.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise DocumentError(f"{sidecar}: not valid JSON metadata ({exc})") from exc
        if not isinstance(loaded, dict):
            raise DocumentError(f"{sidecar}: metadata must be a JSON object")
        meta.update({k: (str(v) if v is not None else None) for k, v in loaded.items() if k in META_FIELDS})
    return meta


def find_sources(paths: list[Path]) -> list[Path]:
    """Expand files and folders into the sorted list of document files they hold."""
    for path in paths:
        if not path.exists():
            raise DocumentError(f"{path}: no such file or folder")
    return _document_files(paths)


def _document_files(paths: list[Path]) -> list[Path]:
    """The document files of ``paths`` (a missing path stays in the list, to be reported when read)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(p for p in sorted(path.iterdir()) if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES)
        else:
            found.append(path)
    if not found:
        raise DocumentError(f"{', '.join(map(str, paths))}: no .txt, .md, .html or .pdf document found")
    return sorted(dict.fromkeys(found))


def detect_language(text: str, markers: dict[str, frozenset[str]]) -> str | None:
    """The language whose common words are the most frequent in ``text`` (``markers``: language → words).

    >>> detect_language("La Chine et les États-Unis ont signé un accord.", {"fr": frozenset({"la", "et", "les"}),
    ...                 "en": frozenset({"the", "and", "of"})})
    'fr'
    """
    words = re.findall(r"[^\W\d_]+", text[:20_000].lower())
    counts = {lang: sum(1 for w in words if w in vocabulary) for lang, vocabulary in markers.items()}
    best = max(sorted(counts), key=lambda lang: counts[lang], default=None)
    return best if best and counts[best] else None


def load_document(
    path: Path,
    rules: BoilerplateRules,
    overrides: dict[str, str | None] | None = None,
    markers: dict[str, frozenset[str]] | None = None,
) -> Document:
    """Load one document: its text (from text, HTML or PDF), metadata and clean text.

    Metadata comes from the page or PDF itself, then the ``.meta.json`` sidecar, then ``overrides``
    (command-line options), each overriding the one before; the language is detected when none is given.
    """
    suffix = path.suffix.lower()
    declared: dict[str, str | None] = {}
    if suffix in HTML_SUFFIXES:
        raw, declared = read_html(path)
    elif suffix in PDF_SUFFIXES:
        raw, declared = read_pdf(path)
    else:
        raw = read_source(path)
    clean = clean_text(raw, rules)
    if not clean.text.strip():
        raise DocumentError(f"{path}: no body text left after cleaning")
    meta = {k: declared.get(k) for k in META_FIELDS}
    meta.update({k: v for k, v in read_metadata(path).items() if v is not None})
    meta.update({k: v for k, v in (overrides or {}).items() if v is not None and k in META_FIELDS})
    if meta.get("date"):
        meta["date"] = str(meta["date"])[:10]
    if not meta.get("language") and markers:
        meta["language"] = detect_language(clean.text, markers)
    return Document(id=path.stem, path=path, raw=raw, meta=meta, clean=clean)


def load_documents(
    paths: list[Path],
    rules: BoilerplateRules,
    overrides: dict[str, str | None] | None = None,
    markers: dict[str, frozenset[str]] | None = None,
) -> list[Document]:
    """Load every document found under ``paths``."""
    return [load_document(p, rules, overrides, markers) for p in find_sources(paths)]


@dataclass(frozen=True)
class Skipped:
    """A document left out of a build because it cannot be read, and why (one line)."""

    source: str
    reason: str


def load_readable_documents(
    paths: list[Path],
    rules: BoilerplateRules,
    overrides: dict[str, str | None] | None = None,
    markers: dict[str, frozenset[str]] | None = None,
) -> tuple[list[Document], list[Skipped]]:
    """Load every document under ``paths`` that can be read, and list the others (missing, empty, binary,
    not UTF-8, an unreadable PDF, a page without article text, a bad sidecar) with the reason each was
    skipped, in the order of the files. A folder that holds no document still raises
    :class:`DocumentError`."""
    documents: list[Document] = []
    skipped: list[Skipped] = []
    for path in _document_files(paths):
        try:
            documents.append(load_document(path, rules, overrides, markers))
        except DocumentError as exc:
            skipped.append(Skipped(str(path), str(exc).removeprefix(f"{path}: ")))
    return documents, skipped
