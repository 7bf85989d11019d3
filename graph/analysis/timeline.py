"""Dated facts in order: when agreements were signed, measures imposed, projects started, shares stated.

A fact's date is its own (``dcterms:date``) when it has one, else the publication date of the earliest
document that tells it: the rule of :func:`graph.analysis.subsets.as_of` (``--as-of``), so that the timeline
and the analyses restricted to a date agree. A market share's ``cmkg:year`` (the year a figure refers
to) is not a date of the fact.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import networkx as nx

from graph.analysis.measures import node_label
from graph.analysis.projection import FACT_GROUPS, fact_values
from graph.analysis.subsets import parse_date
from graph.analysis.wording import default_words, fact_line, fact_view


def fact_date(G: nx.Graph, node: Any) -> tuple[str | None, str | None]:
    """The date of a fact as written (``2025``, ``2025-10``, ``2025-10-28``) and what gives it.

    Returns ``(date, "fact")`` for the fact's own date (``date``; the earliest if several, a day
    rather than the month or year it refines),
    ``(date, "publication")`` for the earliest publication date of its documents, else ``(None, None)``.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("deal", facts=[{"property": "date", "value": "2025-10"}], evidence=[])
    >>> G.add_node("ban", facts=[], evidence=[{"date": "2026-02-07"}, {"date": "2025-10-28"}])
    >>> G.add_node("plan", facts=[], evidence=[{"date": None}])
    >>> fact_date(G, "deal"), fact_date(G, "ban"), fact_date(G, "plan")
    (('2025-10', 'fact'), ('2025-10-28', 'publication'), (None, None))
    >>> G.nodes["deal"]["facts"].append({"property": "date", "value": "2025-10-28"})
    >>> fact_date(G, "deal")
    ('2025-10-28', 'fact')
    """
    data = G.nodes[node]
    own = {f["value"] for f in data.get("facts", ()) if f.get("property") == "date" and parse_date(f["value"])}
    # "2025-10" and "2025-10-28" from two sentences: the day refines the month.
    own = {value for value in own if not any(other != value and other.startswith(value) for other in own)}
    if own:
        return min(own, key=lambda value: (parse_date(value), len(value))), "fact"
    published = [e["date"] for e in data.get("evidence", ()) if e.get("date") and parse_date(e["date"])]
    if published:
        return min(published, key=lambda value: (parse_date(value), len(value))), "publication"
    return None, None


def timeline(
    G: nx.MultiDiGraph, entity: Any = None, lang: str = "en", include_undated: bool = False
) -> list[dict[str, Any]]:
    """The facts of ``G`` (about ``entity`` when given) in date order.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`graph.analysis.projection.project`; it is not modified.
    entity : node, optional
        Only the facts linked to this node (a party, imposer, target, participant, supplier, mineral…).
    lang : str
        Language of the labels.
    include_undated : bool
        Also list, last, the facts with neither a date nor a dated document.

    Returns
    -------
    list of dict
        Rows ``{"date", "dated_by", "fact", "label", "line", "group", "kind", "entities", "quote", "document",
        "title", "evidence_count"}`` sorted by date (a year or a month counts from its first day and
        comes before the days in it), then label; ``dated_by`` is ``fact`` or ``publication``;
        ``entities`` are the labels of what the fact links to; ``quote``, ``document`` and ``title``
        come from its first evidence; ``line`` is the fact in one line of ``lang``
        (:func:`graph.analysis.wording.fact_line`).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("deal", group="Agreement", cls="Agreement", label_en="US-Japan framework", evidence=[],
    ...            facts=[{"property": "date", "value": "2025-10-28"}])
    >>> G.add_node("ban", group="Measure", cls="ExportControl", label_en="Export controls", facts=[],
    ...            evidence=[{"date": "2023-07-03", "quote": "Beijing restricts gallium.", "document": "d1"}])
    >>> G.add_nodes_from(["USA", "Japan", "China"], group="State")
    >>> for u, v in [("deal", "USA"), ("deal", "Japan"), ("ban", "China")]:
    ...     _ = G.add_edge(u, v, key="party")
    >>> [(r["date"], r["dated_by"], r["label"]) for r in timeline(G)]
    [('2023-07-03', 'publication', 'Export controls'), ('2025-10-28', 'fact', 'US-Japan framework')]
    >>> [r["label"] for r in timeline(G, "Japan")]
    ['US-Japan framework']
    """
    if entity is not None:
        facts = {u for u, _ in G.in_edges(entity)} | {v for _, v in G.out_edges(entity)}
        if G.nodes[entity].get("group") in FACT_GROUPS:
            facts.add(entity)
    else:
        facts = set(G)
    words = G.graph.get("words") or default_words()
    rows = []
    for node in facts:
        data = G.nodes[node]
        if data.get("group") not in FACT_GROUPS:
            continue
        date, dated_by = fact_date(G, node)
        if date is None and not include_undated:
            continue
        linked = sorted({node_label(G, v, lang) for _, v in G.out_edges(node)})
        evidence = data.get("evidence") or [{}]
        if dated_by == "publication":
            evidence = [e for e in evidence if e.get("date") == date] or evidence
        values = fact_values(G, node)
        rows.append(
            {
                "date": date,
                "dated_by": dated_by,
                "fact": node,
                "label": node_label(G, node, lang),
                "line": fact_line(fact_view(G, node, lang), lang, words),
                "group": data.get("group"),
                "kind": values.get("agreementKind") or data.get("cls"),
                "entities": linked,
                "quote": " ".join((evidence[0].get("quote") or "").split()) or None,
                "document": evidence[0].get("document"),
                "title": evidence[0].get("title"),
                "evidence_count": len(data.get("evidence") or []),
            }
        )
    far = dt.date.max
    rows.sort(
        key=lambda r: (
            parse_date(r["date"]) or far if r["date"] else far,
            len(r["date"] or ""),
            r["label"],
            str(r["fact"]),
        )
    )
    return rows
