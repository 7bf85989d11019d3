"""Disagreements between documents: different figures for one market share, different dates for one agreement.

Contract. A disagreement is reported only between documents: two values differ and at least two different
documents give them (one document giving two dates for the same parties usually tells of two agreements).

- A share is known by its actor, mineral, stage, scope and consumer (the identity of
  :mod:`graph.build.diff`); its documents disagree when they give different percentages.
- An agreement is known by its kind and its parties; its documents disagree when they give dates that
  do not refine one another (``2025-10`` and ``2025-10-28`` agree: the day refines the month).

Every value comes with each document that gives it, the document's date and the sentence. The value the
analysis uses is marked ``chosen``, by the rule the analysis already applies:

- for a share, :func:`graph.analysis.supply.concentration`'s rule: the most recent figure counts (its
  year, else its date, else the date of its earliest document), ties going to the larger share;
- for an agreement, :func:`graph.analysis.timeline.fact_date`'s rule: the earliest date, a day rather
  than the month or year it refines.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Dataset

from graph.analysis.measures import node_label
from graph.analysis.projection import fact_values, related
from graph.analysis.subsets import parse_date
from graph.analysis.supply import figure_date
from graph.iri import DCT

SHARE_RULE = "the most recent figure (its year, else its date, else its earliest document's date); ties: the larger"
AGREEMENT_RULE = "the earliest date, a day rather than the month or year it refines"


def claim_dates(ds: Dataset) -> dict[tuple[str, str], str]:
    """The date each claim gives each fact: ``(fact IRI, claim IRI) → date`` (claims are named graphs)."""
    return {(str(s), str(g)): str(o) for s, _, o, g in ds.quads((None, DCT.date, None, None)) if g is not None}


def _source(entry: dict[str, Any]) -> dict[str, Any]:
    return {"document": entry.get("document"), "date": entry.get("date"), "quote": entry.get("quote")}


def _disagree(values: dict[Any, list[dict[str, Any]]], compatible) -> bool:
    """Whether two incompatible values come from two different documents."""
    items = list(values.items())
    for i, (a, sources_a) in enumerate(items):
        for b, sources_b in items[i + 1 :]:
            if compatible(a, b):
                continue
            if any(x["document"] != y["document"] for x in sources_a for y in sources_b):
                return True
    return False


def _refines(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a)


def share_conflicts(G: nx.MultiDiGraph, lang: str = "en") -> list[dict[str, Any]]:
    """The shares whose documents give different percentages (see the module docstring).

    Returns
    -------
    list of dict
        ``{"kind": "share", "label", "rule", "values": [{"value", "chosen", "sources": [{"document",
        "date", "quote"}]}]}``, sorted by label; values sorted by percentage.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> for fact, percent, doc, date in [("s1", "70", "a", "2026-02-07"), ("s2", "60", "b", "2025-10-28")]:
    ...     G.add_node(fact, group="MarketShare", facts=[{"property": "stage", "value": "extraction"},
    ...                {"property": "percent", "value": percent}], evidence=[{"document": doc, "date": date, "quote": "…"}])
    ...     _ = G.add_edge(fact, "China", key="actor"); _ = G.add_edge(fact, "REE", key="mineral")
    >>> [row] = share_conflicts(G)
    >>> row["label"], [(v["value"], v["chosen"]) for v in row["values"]]
    ('China · REE · extraction · world', [(60.0, False), (70.0, True)])
    """
    groups: dict[tuple, list[Any]] = defaultdict(list)
    for fact, data in G.nodes(data=True):
        if data.get("group") != "MarketShare":
            continue
        values = fact_values(G, fact)
        identity = (
            tuple(related(G, fact, "actor")),
            tuple(related(G, fact, "mineral")),
            values.get("stage"),
            tuple(related(G, fact, "scope")),
            tuple(related(G, fact, "consumer")),
        )
        groups[identity].append(fact)
    rows = []
    for (actors, minerals, stage, scope, consumer), facts in groups.items():
        by_value: dict[float, list[dict[str, Any]]] = defaultdict(list)
        ranked: list[tuple[str, float]] = []
        for fact in facts:
            try:
                percent = float(fact_values(G, fact)["percent"])
            except (KeyError, ValueError):
                continue
            by_value[percent] += [_source(e) for e in G.nodes[fact].get("evidence", ())]
            ranked.append((figure_date(G, fact), percent))
        if len(by_value) < 2 or not _disagree(by_value, lambda a, b: a == b):
            continue
        chosen = max(ranked)[1]
        names = [", ".join(node_label(G, n, lang) for n in part) for part in (actors, minerals)]
        label = " · ".join([*names, stage or "-", ", ".join(node_label(G, n, lang) for n in scope) or "world"])
        if consumer:
            label += " → " + ", ".join(node_label(G, n, lang) for n in consumer)
        rows.append(
            {
                "kind": "share",
                "label": label,
                "rule": SHARE_RULE,
                "values": [
                    {"value": value, "chosen": value == chosen, "sources": by_value[value]}
                    for value in sorted(by_value)
                ],
            }
        )
    return sorted(rows, key=lambda row: row["label"])


def agreement_conflicts(G: nx.MultiDiGraph, dates: dict[tuple[str, str], str], lang: str = "en") -> list[dict]:
    """The agreements whose documents give dates that do not refine one another (see the module docstring);
    ``dates`` is :func:`claim_dates` of the dataset ``G`` was projected from. Rows as
    :func:`share_conflicts`, with ``kind`` ``agreement date`` and dates as values.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("deal", group="Agreement", facts=[{"property": "agreementKind", "value": "mou"}],
    ...            evidence=[{"claim": "c1", "document": "a", "date": None, "quote": "…"},
    ...                      {"claim": "c2", "document": "b", "date": None, "quote": "…"},
    ...                      {"claim": "c3", "document": "c", "date": None, "quote": "…"}])
    >>> _ = G.add_edge("deal", "Japan", key="party"); _ = G.add_edge("deal", "USA", key="party")
    >>> [row] = agreement_conflicts(G, {("deal", "c1"): "2025-10", ("deal", "c2"): "2025-10-28",
    ...                                 ("deal", "c3"): "2024-03"})
    >>> row["label"], [(v["value"], v["chosen"]) for v in row["values"]]
    ('mou: Japan, USA', [('2024-03', True), ('2025-10', False), ('2025-10-28', False)])
    """
    groups: dict[tuple, list[Any]] = defaultdict(list)
    for fact, data in G.nodes(data=True):
        if data.get("group") == "Agreement":
            kind = fact_values(G, fact).get("agreementKind") or data.get("cls") or "agreement"
            groups[(kind, tuple(related(G, fact, "party")))].append(fact)
    rows = []
    for (kind, parties), facts in groups.items():
        by_value: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for fact in facts:
            for entry in G.nodes[fact].get("evidence", ()):
                date = dates.get((str(fact), str(entry.get("claim"))))
                if date and parse_date(date):
                    by_value[date].append(_source(entry))
        if len(by_value) < 2 or not _disagree(by_value, _refines):
            continue
        kept = {d for d in by_value if not any(o != d and o.startswith(d) for o in by_value)}
        chosen = min(kept, key=lambda d: (parse_date(d), len(d)))
        rows.append(
            {
                "kind": "agreement date",
                "label": f"{kind}: " + ", ".join(node_label(G, p, lang) for p in parties),
                "rule": AGREEMENT_RULE,
                "values": [
                    {"value": value, "chosen": value == chosen, "sources": by_value[value]}
                    for value in sorted(by_value)
                ],
            }
        )
    return sorted(rows, key=lambda row: row["label"])


def conflicts_of(out: Path) -> list[dict[str, Any]]:
    """Every disagreement of the build in ``out``: shares first, then agreement dates."""
    from graph.analysis.projection import project
    from graph.build.dataset import load_build

    ds = load_build(out)
    G = project(ds)
    return share_conflicts(G) + agreement_conflicts(G, claim_dates(ds))
