"""Cleaning: remove what is not the article while keeping a map back to the source.

Cleaning removes what is not the article: site menus, related-article lists, share and subscription
prompts (cue phrases from ``ontology/patterns/boilerplate.csv``), price and phone tables, lines repeated
on the page, PDF footnotes and page footers, and footnote numbers glued to words. It re-joins PDF hard
line wraps and normalises typographic apostrophes and quotes. Every character of the clean text maps back
to a character of the source file, so a quote found in the clean text is located verbatim in the source.
"""

from __future__ import annotations

import bisect
import csv
import logging
import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import ReferenceDataError

log = logging.getLogger(__name__)

# One-to-one character substitutions: typographic apostrophes and quotes, exotic spaces.
_TRANSLATION = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u2007": " ",
        "\t": " ",
        "\r": " ",
        "\u000b": " ",
        "\u000c": " ",
        "\u2028": " ",
        "\u2029": " ",
    }
)
_TERMINAL = (".", "!", "?", "»", '"', "…", ")", ":", ";")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_SPACE_RUN = re.compile(r"\s+")
_FOOTNOTE_RULE = re.compile(r"^[ \t\u00a0]{20,}$")
_FOOTNOTE_LINE = re.compile(r"^(\d{1,3})\s+\S")
_PAGE_RESUME = re.compile(r"^[ \t]+[^\s\d]")
#: A sentence's full stop glued to the next sentence's capital (*…jeudi, à Toronto.LG Energy Solution a conclu…*,
#: as pages that lost their line breaks write it): two lower-case letters before the stop, a capital and a
#: letter after it (not *U.S.*, *Inc.*, *3.5*).
_GLUED_SENTENCES = re.compile(r"(?<=[a-zà-ÿ]{2}[.!?])(?=[A-ZÀ-Þ][A-Za-zà-ÿ])")
_BULLET = re.compile(r"^[•·▪◦\-–*]\s+")


@dataclass(frozen=True)
class Segment:
    """A run of clean text: copied from ``source_start`` in the source, or synthetic when it is -1."""

    clean_start: int
    source_start: int
    length: int


@dataclass
class CleanText:
    """Clean text of a document with the map from clean offsets back to source offsets."""

    text: str
    segments: list[Segment]
    _starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._starts = [s.clean_start for s in self.segments]

    def source_offset(self, clean_offset: int, end: bool = False) -> int:
        """Map a clean offset to a source offset (an exclusive end offset when ``end``)."""
        probe = clean_offset - 1 if end else clean_offset
        i = max(bisect.bisect_right(self._starts, probe) - 1, 0)
        seg = self.segments[i]
        if seg.source_start < 0:  # synthetic separator: snap to the next copied character
            nxt = next((s for s in self.segments[i + 1 :] if s.source_start >= 0), None)
            return nxt.source_start if nxt else self.segments[i - 1].source_start + self.segments[i - 1].length
        delta = probe - seg.clean_start
        return seg.source_start + delta + (1 if end else 0)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map the clean span ``[start, end)`` to the source span that holds the same words."""
        return self.source_offset(start), self.source_offset(end, end=True)


@dataclass(frozen=True)
class BoilerplateRules:
    """Cue phrases that end the article body (``end``) or mark one line as page furniture (``drop``)."""

    end: tuple[re.Pattern[str], ...]
    drop: tuple[re.Pattern[str], ...]


def load_boilerplate_rules(path: Path) -> BoilerplateRules:
    """Read boilerplate cue patterns from a CSV file with columns ``action,pattern,description``."""
    end: list[re.Pattern[str]] = []
    drop: list[re.Pattern[str]] = []
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            for n, row in enumerate(csv.DictReader(fh), start=2):
                try:
                    pattern = re.compile(row["pattern"].translate(_TRANSLATION), re.IGNORECASE)
                except (re.error, KeyError, AttributeError) as exc:
                    raise ReferenceDataError(f"{path}:{n}: bad pattern: {exc}") from exc
                {"end": end, "drop": drop}.get(row.get("action", ""), []).append(pattern)
    except OSError as exc:
        raise ReferenceDataError(f"{path}: cannot read: {exc.strerror}") from exc
    return BoilerplateRules(tuple(end), tuple(drop))


@dataclass
class _Line:
    start: int
    end: int
    text: str


def _lines(raw: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    for chunk in raw.splitlines(keepends=True):
        body = chunk.rstrip("\r\n")
        out.append(_Line(pos, pos + len(body), body))
        pos += len(chunk)
    return out


def _is_hard_wrapped(lines: list[_Line]) -> bool:
    """True for PDF-like text whose lines are cut at a fixed width rather than at paragraph ends."""
    lengths = sorted(len(ln.text.strip()) for ln in lines if ln.text.strip())
    if len(lengths) < 20:
        return False
    p90 = lengths[int(len(lengths) * 0.9)]
    return p90 <= 200 and statistics.median(lengths) >= 0.75 * p90


def _footnote_zones(lines: list[_Line]) -> tuple[set[int], list[tuple[int, int]]]:
    """Indices of footnote lines (after a long blank rule, until the next page resumes) and their numbers.

    Returns the set of line indices and a list of ``(note number, index of the rule line)``.
    """
    zone: set[int] = set()
    notes: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        if _FOOTNOTE_RULE.match(lines[i].text):
            rule = i
            zone.add(i)
            i += 1
            while i < len(lines) and not _PAGE_RESUME.match(lines[i].text):
                zone.add(i)
                m = _FOOTNOTE_LINE.match(lines[i].text)
                if m:
                    notes.append((int(m.group(1)), rule))
                i += 1
            continue
        i += 1
    return zone, notes


def _footnote_markers(raw: str, lines: list[_Line], zone: set[int], notes: list[tuple[int, int]]) -> set[int]:
    """Source offsets of footnote numbers glued to words in the body (``JOGMEC4`` → the ``4``)."""
    body_spans = [(ln.start, ln.end) for i, ln in enumerate(lines) if i not in zone]
    markers: set[int] = set()
    cursor = 0
    for number, rule in sorted(notes):
        limit = lines[rule].start
        digits = str(number)
        pattern = re.compile(rf"(?<=\S){digits}(?!\d)")
        best: tuple[int, int] | None = None
        for start, end in body_spans:
            if end <= cursor or start >= limit:
                continue
            for m in pattern.finditer(raw, max(start, cursor), min(end, limit)):
                before = raw[m.start() - 1]
                rank = 1 if before.isdigit() else 0
                if before in "-/,.:" and raw[m.start() - 2 : m.start() - 1].isdigit():
                    continue
                if best is None or rank < best[0]:
                    best = (rank, m.start())
                if rank == 0:
                    break
            if best and best[0] == 0:
                break
        if best:
            markers.update(range(best[1], best[1] + len(digits)))
            cursor = best[1] + len(digits)
    return markers


def _paragraphs(lines: list[_Line], zone: set[int], hard_wrapped: bool) -> list[list[_Line]]:
    """Group lines into paragraphs: each line alone, or PDF lines joined up to a short line."""
    kept = [ln for i, ln in enumerate(lines) if i not in zone and ln.text.strip()]
    if not hard_wrapped:
        return [[ln] for ln in kept]
    lengths = sorted(len(ln.text.strip()) for ln in kept)
    width = lengths[int(len(lengths) * 0.9)] if lengths else 0
    paragraphs: list[list[_Line]] = []
    current: list[_Line] = []
    for i, ln in enumerate(lines):
        if i in zone:
            continue
        if not ln.text.strip():
            if ln.text and current:  # a line of spaces: the PDF's paragraph break
                paragraphs.append(current)
                current = []
            continue
        current.append(ln)
        if len(ln.text.strip()) < 0.7 * width:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return paragraphs


def _paragraph_text(paragraph: list[_Line]) -> str:
    return _BULLET.sub("", " ".join(ln.text.strip() for ln in paragraph).translate(_TRANSLATION).strip())


def _is_furniture(text: str) -> bool:
    """Menus, bylines, price and phone tables: short unpunctuated lines, or more digits than words."""
    stripped = _BULLET.sub("", text.strip())
    words = _WORD.findall(stripped)
    digits = sum(c.isdigit() for c in stripped)
    letters = sum(c.isalpha() for c in stripped)
    if letters == 0 or digits >= 0.3 * (digits + letters):
        return True
    return len(words) < 6 and not stripped.endswith(_TERMINAL)


def clean_text(raw: str, rules: BoilerplateRules) -> CleanText:
    """Clean a raw document into paragraphs separated by blank lines, keeping the map to the source.

    >>> rules = BoilerplateRules(end=(re.compile("^Partager"),), drop=())
    >>> c = clean_text("Menu\\nAccueil\\nLa Chine contrôle l’essentiel du raffinage mondial.\\nPartager\\nPub", rules)
    >>> c.text
    "La Chine contrôle l'essentiel du raffinage mondial."
    >>> c.source_span(3, 8)
    (16, 21)
    """
    lines = _lines(raw)
    hard_wrapped = _is_hard_wrapped(lines)
    zone, notes = _footnote_zones(lines) if hard_wrapped else (set(), [])
    markers = _footnote_markers(raw, lines, zone, notes) if notes else set()
    paragraphs = _paragraphs(lines, zone, hard_wrapped)
    texts = [_SPACE_RUN.sub(" ", _paragraph_text(p)).strip().casefold() for p in paragraphs]
    counts: dict[str, int] = {}
    for t in texts:
        counts[t] = counts.get(t, 0) + 1

    pieces: list[str] = []
    segments: list[Segment] = []
    length = 0

    def emit(text: str, source_start: int) -> None:
        nonlocal length
        segments.append(Segment(length, source_start, len(text)))
        pieces.append(text)
        length += len(text)

    for paragraph, key in zip(paragraphs, texts):
        text = _paragraph_text(paragraph).strip()
        if any(p.search(text) for p in rules.end):
            break
        if counts[key] > 1 or _is_furniture(text) or any(p.search(text) for p in rules.drop):
            continue
        if pieces:
            emit("\n\n", -1)
        first = True
        for ln in paragraph:
            stripped = ln.text.strip()
            offset = ln.start + ln.text.index(stripped[0])
            if first:
                bullet = _BULLET.match(stripped)
                if bullet:
                    offset += bullet.end()
                    stripped = stripped[bullet.end() :]
            else:
                emit(" ", -1)
            first = False
            _emit_line(raw, offset, offset + len(stripped), markers, emit)
    return CleanText("".join(pieces), segments)


def _emit_line(raw: str, start: int, end: int, markers: set[int], emit) -> None:
    """Copy ``raw[start:end]`` into the clean text, collapsing runs of spaces, skipping footnote markers and
    putting a space between two sentences that a page glued together (:data:`_GLUED_SENTENCES`)."""
    removed = [(m.start() + 1, m.end()) for m in _SPACE_RUN.finditer(raw, start, end) if m.end() - m.start() > 1]
    removed += [(i, i + 1) for i in markers if start <= i < end]
    glued = [m.end() for m in _GLUED_SENTENCES.finditer(raw, start, end)]

    def copy(first: int, last: int) -> None:
        for cut in [g for g in glued if first < g < last] + [last]:
            emit(raw[first:cut].translate(_TRANSLATION), first)
            if cut != last:
                emit(" ", -1)
            first = cut

    cursor = start
    for cut_start, cut_end in sorted(removed):
        if cursor < cut_start:
            copy(cursor, cut_start)
        cursor = max(cursor, cut_end)
    if cursor < end:
        copy(cursor, end)
