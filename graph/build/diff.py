"""What changed between two builds: the documents, entities and facts one build adds, removes or changes.

Builds are compared through their ``summary.json`` (the machine-readable contract), so a build made by
another version of cmkg, or copied from a colleague, can be compared as long as it holds one.

Identity. Every entry of a category has an identity that stays the same from one build to the next, and
values that may change:

==========  ==========================================================  =====================================
category    identity                                                    values compared
==========  ==========================================================  =====================================
documents   id                                                          title, date, language
entities    IRI (shown as name and type)                                name, type, wikidata
agreements  kind + sorted parties                                       status, date, minerals
projects    kind + name                                                 location, participants, minerals,
                                                                        amount, date
shares      actor + mineral + stage + scope + consumer                  percent, qualifier, year
measures    kind + imposer + name + sorted minerals                     date, targets
==========  ==========================================================  =====================================

Several facts of a build may share an identity (two documents give China's share of rare-earth
extraction as 70 % and 60 %): they are one entry whose value is every value they hold, sorted (``percent
[60.0, 70.0]``), so a document that adds a third figure changes the entry. Evidence, the documents
telling a fact and the fact's IRI are not compared: a fact told again by a new document is not a change.
Fact IRIs hash more than the identity, so they would report a changed date as a removal and an addition.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.errors import StoreError

#: Per category: the fields whose values make the identity (lists are sorted), and the values compared.
IDENTITY: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "documents": (("id",), ("title", "date", "language")),
    "entities": (("iri",), ("name", "type", "wikidata")),
    "agreements": (("kind", "parties"), ("status", "date", "minerals")),
    "projects": (("kind", "name"), ("location", "participants", "minerals", "amount", "date")),
    "shares": (("actor", "mineral", "stage", "scope", "consumer"), ("percent", "qualifier", "year")),
    "measures": (("kind", "imposer", "name", "minerals"), ("date", "targets")),
}
CATEGORIES = tuple(IDENTITY)
KINDS = ("added", "removed", "changed")


@dataclass(frozen=True)
class Change:
    """One entry that a new build adds, removes or changes, in a category of ``summary.json``.

    ``identity`` holds the identity fields; ``old`` and ``new`` the values compared (all of them for an
    entry added or removed, only the differing ones for an entry changed; empty on the side that lacks it).
    """

    category: str
    kind: str
    identity: dict[str, Any]
    old: dict[str, Any]
    new: dict[str, Any]

    @property
    def label(self) -> str:
        """The identity as a reader names the entry: ``framework: Japan, United States``."""
        return entry_label(self.category, self.identity, self.old or self.new)


def load_summary(build: Path) -> dict[str, Any]:
    """The ``summary.json`` of a build folder (or the file itself); :class:`StoreError` names what is missing."""
    path = build / "summary.json" if build.is_dir() else build
    if not path.is_file():
        raise StoreError(f"{build}: no summary.json here; is it a cmkg build folder?")
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise StoreError(f"{path}: not a readable summary ({exc})") from exc
    if not isinstance(summary, dict):
        raise StoreError(f"{path}: not a readable summary (a JSON object expected)")
    return summary


def _sort_key(value: Any) -> tuple:
    return (isinstance(value, str), value if isinstance(value, (int, float)) else 0, str(value))


def _canonical(value: Any) -> Any:
    """Lists sorted (their order carries no meaning in the summary), anything else as it is."""
    return sorted(value, key=_sort_key) if isinstance(value, list) else value


def _merged(values: Iterable[Any]) -> Any:
    """One value from the values of the facts sharing an identity: the value itself when they agree, the
    sorted list of the distinct values when they do not, ``None`` when none is given. List values (parties,
    minerals…) are united."""
    values = list(values)
    if any(isinstance(v, list) for v in values):
        return sorted({x for v in values if v for x in v}, key=_sort_key)
    unique = {json.dumps(v, ensure_ascii=False, sort_keys=True): v for v in values if v is not None}
    distinct = sorted(unique.values(), key=_sort_key)
    if not distinct:
        return None
    return distinct[0] if len(distinct) == 1 else distinct


def entries(summary: dict[str, Any], category: str) -> dict[tuple, tuple[dict[str, Any], dict[str, Any]]]:
    """The entries of one category of a summary: identity key → (identity fields, merged values).

    >>> summary = {"shares": [
    ...     {"actor": "China", "mineral": "Gallium", "stage": "refining", "scope": "world", "percent": 98.0},
    ...     {"actor": "China", "mineral": "Gallium", "stage": "refining", "scope": "world", "percent": 94.0}]}
    >>> [(identity["actor"], values["percent"]) for identity, values in entries(summary, "shares").values()]
    [('China', [94.0, 98.0])]
    """
    identity_fields, value_fields = IDENTITY[category]
    grouped: dict[tuple, list[dict[str, Any]]] = {}
    identities: dict[tuple, dict[str, Any]] = {}
    for item in summary.get(category) or []:
        identity = {f: _canonical(item.get(f)) for f in identity_fields}
        key = tuple(json.dumps(identity[f], ensure_ascii=False) for f in identity_fields)
        identities[key] = identity
        grouped.setdefault(key, []).append(item)
    return {
        key: (identities[key], {f: _merged(item.get(f) for item in items) for f in value_fields})
        for key, items in sorted(grouped.items())
    }


def compare_summaries(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """What ``new`` adds, removes or changes with respect to ``old``, category by category (in the order of
    :data:`CATEGORIES`), added then removed then changed, each sorted by identity.

    >>> old = {"agreements": [{"kind": "framework", "parties": ["Japan", "United States"], "status": "announced",
    ...                        "date": None, "minerals": ["Rare earth elements"]}]}
    >>> new = {"agreements": [{"kind": "framework", "parties": ["United States", "Japan"], "status": "signed",
    ...                        "date": "2025-10-28", "minerals": ["Rare earth elements"]}],
    ...        "documents": [{"id": "tokyo", "title": "Accord à Tokyo", "date": "2025-10-28", "language": "fr"}]}
    >>> [(c.category, c.kind, c.label, c.old, c.new) for c in compare_summaries(old, new)]  # doctest: +NORMALIZE_WHITESPACE
    [('documents', 'added', 'tokyo', {}, {'title': 'Accord à Tokyo', 'date': '2025-10-28', 'language': 'fr'}),
     ('agreements', 'changed', 'framework: Japan, United States', {'status': 'announced', 'date': None},
      {'status': 'signed', 'date': '2025-10-28'})]
    >>> compare_summaries(new, new)
    []
    """
    changes: list[Change] = []
    for category in CATEGORIES:
        before, after = entries(old, category), entries(new, category)
        for key in sorted(after.keys() - before.keys()):
            identity, values = after[key]
            changes.append(Change(category, "added", identity, {}, values))
        for key in sorted(before.keys() - after.keys()):
            identity, values = before[key]
            changes.append(Change(category, "removed", identity, values, {}))
        for key in sorted(before.keys() & after.keys()):
            (identity, was), (_, now) = before[key], after[key]
            differing = [f for f in was if was[f] != now[f]]
            if differing:
                changes.append(
                    Change(
                        category, "changed", identity, {f: was[f] for f in differing}, {f: now[f] for f in differing}
                    )
                )
    return changes


def entry_label(category: str, identity: dict[str, Any], values: dict[str, Any] | None = None) -> str:
    """How a reader names an entry of ``category``.

    >>> entry_label("shares", {"actor": "China", "mineral": "Gallium", "stage": "refining", "scope": "world",
    ...                        "consumer": None})
    'China · Gallium · refining · world'
    >>> entry_label("entities", {"iri": "https://w3id.org/cmkg/id/Japan"}, {"name": "Japan", "type": "State"})
    'Japan (State)'
    """
    if category == "entities" and values and values.get("name"):
        return f"{values['name']} ({values.get('type')})"
    if category == "agreements":
        return f"{identity['kind']}: {', '.join(identity['parties'] or []) or '(no party)'}"
    if category == "projects":
        return f"{identity['name']} ({identity['kind']})"
    if category == "measures":
        minerals = ", ".join(identity["minerals"] or [])
        return f"{identity['name']} ({identity['kind']}, {identity['imposer']}" + (
            f"; {minerals})" if minerals else ")"
        )
    if category == "shares":
        parts = [identity["actor"], identity["mineral"], identity["stage"], identity["scope"]]
        consumer = f" → {identity['consumer']}" if identity.get("consumer") else ""
        return " · ".join(str(p) for p in parts if p is not None) + consumer
    return " ".join(str(v) for v in identity.values())


def format_value(value: Any) -> str:
    """A value as the table prints it: ``60`` for ``60.0``, lists joined by commas, an amount with its
    currency, ``-`` for nothing.

    >>> format_value([60.0, 70.0]), format_value(None), format_value(["Gallium", "Germanium"]), format_value(92.5)
    ('60, 70', '-', 'Gallium, Germanium', '92.5')
    >>> format_value({"value": 12000000000.0, "currency": "USD"})
    '12,000,000,000 USD'
    """
    if value is None or value == []:
        return "-"
    if isinstance(value, list):
        return ", ".join(format_value(v) for v in value)
    if isinstance(value, dict) and "value" in value:
        return f"{value['value']:,.0f} {value.get('currency') or ''}".rstrip()
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def changes_as_lines(changes: list[Change]) -> list[str]:
    """A readable table, grouped by category: a heading with the counts, then ``+`` for each entry added,
    ``-`` removed and ``~`` changed (``field: old → new``)."""
    if not changes:
        return ["no change"]
    lines: list[str] = []
    marks = {"added": "+", "removed": "-", "changed": "~"}
    for category in CATEGORIES:
        found = [c for c in changes if c.category == category]
        if not found:
            continue
        counts = ", ".join(f"{sum(c.kind == k for c in found)} {k}" for k in KINDS if any(c.kind == k for c in found))
        lines.append(f"{category} ({counts})")
        for change in found:
            if change.kind == "changed":
                detail = "; ".join(
                    f"{f}: {format_value(change.old[f])} → {format_value(change.new[f])}" for f in change.old
                )
            else:
                values = change.new or change.old
                named = ("name", "type") if category == "entities" else ()  # already in the label
                detail = "; ".join(
                    f"{f} {format_value(v)}" for f, v in values.items() if v not in (None, []) and f not in named
                )
            lines.append(f"  {marks[change.kind]} {change.label}" + (f"   {detail}" if detail else ""))
    return lines


def changes_as_json(changes: list[Change]) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """The changes as one object: category → added / removed / changed → entries, every category and kind
    present (empty lists when nothing changed). An entry holds its ``label``, ``identity`` and, as they
    apply, ``values`` (added, removed) or ``old`` and ``new`` (changed).

    >>> changes_as_json([])["shares"]
    {'added': [], 'removed': [], 'changed': []}
    """
    result: dict[str, dict[str, list[dict[str, Any]]]] = {c: {k: [] for k in KINDS} for c in CATEGORIES}
    for change in changes:
        entry: dict[str, Any] = {"label": change.label, "identity": change.identity}
        if change.kind == "changed":
            entry |= {"old": change.old, "new": change.new}
        else:
            entry["values"] = change.new or change.old
        result[change.category][change.kind].append(entry)
    return result
