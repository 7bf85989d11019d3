"""Text folding shared by the matchers: case, accents, apostrophes and hyphens, one character for one.

Folding keeps the length of the text, so an offset in the folded text is an offset in the clean text.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"
_APOSTROPHES = "\u2019\u2018\u02bc`\u00b4"


@lru_cache(maxsize=8192)
def _fold_char(ch: str, keep_case: bool) -> str:
    if ch in _DASHES:
        return " "
    if ch in _APOSTROPHES:
        return "'"
    if ch.isspace():
        return " "
    base = unicodedata.normalize("NFD", ch)[0]
    if not keep_case:
        low = base.lower()
        base = low if len(low) == 1 else base
    return base


def fold(text: str, keep_case: bool = False) -> str:
    """Fold ``text`` for matching: no accents, no case (unless ``keep_case``), hyphens as spaces.

    >>> fold("Pékin et les États-Unis d’Amérique")
    "pekin et les etats unis d'amerique"
    >>> fold("l'UE", keep_case=True)
    "l'UE"
    >>> len(fold("İstanbul")) == len("İstanbul")
    True
    """
    table = _TABLES[keep_case]
    missing = set(text).difference(_SEEN[keep_case])
    if missing:
        table.update({ord(c): _fold_char(c, keep_case) for c in missing})
        _SEEN[keep_case].update(missing)
    return text.translate(table)


_TABLES: dict[bool, dict[int, str]] = {False: {}, True: {}}
_SEEN: dict[bool, set[str]] = {False: set(), True: set()}


def is_word_char(ch: str) -> bool:
    """True for letters and digits: what may not touch either end of a match."""
    return ch.isalnum()
