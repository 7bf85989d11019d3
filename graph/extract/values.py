"""Values read out of a sentence: percentages (numbers and words), money, and dates.

Dates are resolved against the document's date when the text leaves the year out ("mardi 28 octobre")
or names only a weekday ("dimanche"). Words (months, scales, currencies, fractions) come from the lexicon.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from graph.extract.reference import Lexicon
from graph.extract.text import fold

_NUMBER = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"
_PERCENT = re.compile(rf"({_NUMBER})\s?(?:%|pour\s?cent\b|percent\b|per cent\b)", re.IGNORECASE)
#: A range before a percentage: *entre 8 et 10 %*, *between 8 and 10%*, *8 à 10 %*, *8-10%*.
_RANGE = re.compile(rf"(?:(entre|between)\s+)?({_NUMBER})\s*(?:%\s*)?(?:et|and|à|to|-|–)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Percent:
    """A share in percent at ``[start, end)`` of the sentence, with its qualifier (``environ``…)."""

    value: Decimal
    start: int
    end: int
    qualifier: str | None


@dataclass(frozen=True)
class Money:
    """An amount of money: ``value`` in units of ``currency``."""

    value: Decimal
    currency: str
    start: int
    end: int


@dataclass(frozen=True)
class DateValue:
    """A date as an ISO string with its XSD type (``date``, ``gYearMonth`` or ``gYear``)."""

    iso: str
    datatype: str
    start: int
    end: int


def parse_number(text: str) -> Decimal | None:
    """Read a French or English number: ``1,8`` / ``11,04`` / ``131 000,00`` / ``2.6``.

    >>> parse_number("11,04"), parse_number("131 000,00"), parse_number("2.6")
    (Decimal('11.04'), Decimal('131000.00'), Decimal('2.6'))
    """
    cleaned = re.sub(r"[ \u00a0\u202f]", "", text).replace(",", ".")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def _alternation(phrases: list[str]) -> str:
    return _cached_alternation(tuple(phrases))


@lru_cache(maxsize=256)
def _cached_alternation(phrases: tuple[str, ...]) -> str:
    return "|".join(re.escape(fold(p)) for p in sorted(phrases, key=len, reverse=True))


def find_percents(sentence: str, lexicon: Lexicon) -> list[Percent]:
    """Percentages in a sentence, numeric (``70 %``) or in words (``la moitié``), with qualifiers.

    >>> from graph.extract.reference import Lexicon
    >>> lex = Lexicon({"qualifier": [("environ", "", "fr")], "number_word": [("la moitié", "50", "fr")]})
    >>> [(str(p.value), p.qualifier) for p in find_percents("environ 70 % et environ la moitié", lex)]
    [('70', 'environ'), ('50', 'environ')]
    """
    folded = fold(sentence)
    qualifiers = list(lexicon.folded("qualifier"))
    qualifier_re = re.compile(rf"(?:^|\W)({_alternation(qualifiers)})\s*$") if qualifiers else None
    found: list[Percent] = []
    spans: list[tuple[int, int, Decimal]] = []
    ranges: dict[int, str] = {}
    for m in _PERCENT.finditer(sentence):
        value = parse_number(m.group(1))
        if value is None or value > 100:
            continue
        low = _RANGE.search(sentence[max(0, m.start() - 30) : m.start()])
        low_value = parse_number(low.group(2)) if low else None
        if low and low_value is not None and low_value < value and (low.group(1) or "%" not in low.group(0)):
            # a range is its middle, qualified by its words (*entre 8 et 10 %* → 9, "entre 8 et 10 %"); *from 5%
            # to 7%* is a change, not a range
            start = max(0, m.start() - 30) + low.start()
            ranges[start] = sentence[start : m.end()]
            spans = [span for span in spans if span[0] < start]
            spans.append((start, m.end(), (low_value + value) / 2))
            continue
        spans.append((m.start(), m.end(), value))
    words = {p: v for p, v in lexicon.folded("number_word").items() if v}
    if words:
        for m in re.finditer(rf"(?<!\w)({_alternation(list(words))})(?!\w)", folded):
            if not any(s <= m.start() < e for s, e, _ in spans):
                spans.append((m.start(), m.end(), Decimal(words[m.group(1)])))
    for start, end, value in sorted(spans):
        qualifier = None
        if qualifier_re:
            window = max(0, start - 25)
            q = qualifier_re.search(folded[window:start])
            qualifier = sentence[window + q.start(1) : window + q.end(1)].lower() if q else None
        found.append(Percent(value, start, end, ranges.get(start, qualifier)))
    return found


def find_money(sentence: str, lexicon: Lexicon) -> list[Money]:
    """Amounts of money: ``12 milliards de dollars``, ``1,8 milliard``, ``150 millions de dollars``.

    An amount without a currency word is kept only with a scale word, in the currency of the nearest
    amount of the same sentence, or none.

    >>> from graph.extract.reference import Lexicon
    >>> lex = Lexicon({"scale": [("milliards", "1000000000", "fr"), ("milliard", "1000000000", "fr")],
    ...                "currency": [("dollars", "USD", "fr"), ("euros", "EUR", "fr")]})
    >>> [(str(m.value), m.currency) for m in find_money("dotée de 12 milliards de dollars et 11,04 milliards d'euros", lex)]
    [('12000000000', 'USD'), ('11040000000.00', 'EUR')]
    """
    folded = fold(sentence)
    scales = {p: Decimal(v) for p, v in lexicon.folded("scale").items()}
    currencies = lexicon.folded("currency")
    scale_re = _alternation(list(scales)) or "(?!)"
    currency_re = _alternation(list(currencies)) or "(?!)"
    signs = "|".join(re.escape(fold(p)) for p in sorted(lexicon.folded("currency_sign"), key=len, reverse=True))
    pattern = re.compile(
        rf"(?:({signs or '(?!)'})\s*)?(?<![\w,.])({_NUMBER})\s*({scale_re})?(?!\w)\s*(?:(?:de|d')\s*)?"
        rf"({currency_re})?(?!\w)"
    )
    found: list[Money] = []
    for m in pattern.finditer(folded):
        sign, scale, currency = m.group(1), m.group(3), m.group(4)
        if sign and not currency:
            # *$9.8 bn*, *US$ 300 mn*, *€216 M*: the currency written before the amount
            currency = sign
            currencies = {**currencies, sign: lexicon.folded("currency_sign")[sign]}
        if not scale and not currency:
            continue
        if scale and len(scale) <= 3 and not currency:
            continue
        value = parse_number(sentence[m.start(2) : m.end(2)])
        if value is None:
            continue
        amount = value * scales[scale] if scale else value
        found.append(Money(amount, currencies.get(currency or "", ""), m.start(), m.end()))
    known = [f.currency for f in found if f.currency]
    return [Money(f.value, f.currency or (known[0] if known else ""), f.start, f.end) for f in found]


def find_dates(sentence: str, lexicon: Lexicon, document_date: str | None) -> list[DateValue]:
    """Dates in a sentence, resolved with the document's date where the year or the day is missing.

    >>> from graph.extract.reference import Lexicon
    >>> lex = Lexicon({"month": [("octobre", "10", "fr"), ("décembre", "12", "fr")],
    ...                "weekday": [("mardi", "1", "fr"), ("dimanche", "6", "fr")]})
    >>> [(d.iso, d.datatype) for d in find_dates("mardi 28 octobre, après décembre 2024 et dimanche", lex, "2025-10-28")]
    [('2025-10-28', 'date'), ('2024-12', 'gYearMonth'), ('2025-10-26', 'date')]
    """
    folded = fold(sentence)
    months = {p: int(v) for p, v in lexicon.folded("month").items()}
    weekdays = {p: int(v) for p, v in lexicon.folded("weekday").items()}
    ref = _parse_iso(document_date)
    found: list[DateValue] = []
    taken: list[tuple[int, int]] = []

    def add(iso: str, datatype: str, start: int, end: int) -> None:
        if not any(start < e and s < end for s, e in taken):
            taken.append((start, end))
            found.append(DateValue(iso, datatype, start, end))

    if months:
        month_re = _alternation(list(months))
        weekday_re = _alternation(list(weekdays)) or "(?!)"
        for m in re.finditer(
            rf"(?<!\w)(?:(?:{weekday_re})\s+)?(\d{{1,2}})(?:er)?\s+({month_re})(?:,?\s+(\d{{4}}))?(?!\w)", folded
        ):
            day, month = int(m.group(1)), months[m.group(2)]
            year = int(m.group(3)) if m.group(3) else _nearest_year(ref, month, day)
            if year and _valid(year, month, day):
                add(f"{year:04d}-{month:02d}-{day:02d}", "date", m.start(), m.end())
        for m in re.finditer(rf"(?<!\w)({month_re})\s+(\d{{1,2}}),\s+(\d{{4}})(?!\w)", folded):
            month, day, year = months[m.group(1)], int(m.group(2)), int(m.group(3))
            if _valid(year, month, day):
                add(f"{year:04d}-{month:02d}-{day:02d}", "date", m.start(), m.end())
        for m in re.finditer(rf"(?<!\w)({month_re})\s+(\d{{4}})(?!\w)", folded):
            add(f"{int(m.group(2)):04d}-{months[m.group(1)]:02d}", "gYearMonth", m.start(), m.end())
        past = _alternation(list(lexicon.folded("past_marker"))) or "(?!)"
        for m in re.finditer(rf"(?<!\w)(?:({month_re})\s+(?:{past})|(?:{past})\s+({month_re}))(?!\w)", folded):
            # *décembre dernier*, *last December*: the last such month before the document's
            month = months[m.group(1) or m.group(2)]
            if ref:
                year = ref.year if month < ref.month else ref.year - 1
                add(f"{year:04d}-{month:02d}", "gYearMonth", m.start(), m.end())
        at = _alternation(list(lexicon.folded("month_preposition"))) or "(?!)"
        for m in re.finditer(rf"(?<!\w)(?:{at})\s+({month_re})(?!\s*\d)", folded):
            # *en décembre*, *since December*: that month nearest the document's date
            month = months[m.group(1)]
            year = _nearest_year(ref, month, 15)
            if year:
                add(f"{year:04d}-{month:02d}", "gYearMonth", m.start(1), m.end())
    if weekdays and ref:
        for m in re.finditer(rf"(?<!\w)({_alternation(list(weekdays))})(?!\w)(?!\s+\d)", folded):
            back = (ref.weekday() - weekdays[m.group(1)]) % 7  # *jeudi* in a Thursday's news is that day
            day = ref - dt.timedelta(days=back)
            add(day.isoformat(), "date", m.start(), m.end())
    for m in re.finditer(r"(?<![\w,.])((?:19|20)\d{2})(?![\w%]|\s?%|,\d)", sentence):
        add(m.group(1), "gYear", m.start(), m.end())
    return sorted(found, key=lambda d: d.start)


def _parse_iso(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _valid(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _nearest_year(ref: dt.date | None, month: int, day: int) -> int | None:
    """The year that puts ``day month`` closest to the reference date (news tells of recent days)."""
    if ref is None:
        return None
    candidates = [y for y in (ref.year - 1, ref.year, ref.year + 1) if _valid(y, month, day)]
    return min(candidates, key=lambda y: abs((dt.date(y, month, day) - ref).days), default=None)
