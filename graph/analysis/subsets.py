"""Subsets of the projected graph: what the documents say, a neighbourhood, a mineral, a date, a degree.

Every function takes a graph from :func:`graph.analysis.projection.project` first, never changes it, and returns a
new graph (nodes and edges keep their attribute dicts, copied one level deep; lists inside them are
replaced, never edited). Fact nodes (agreements, projects, measures, market shares) sit between the
entities they link, so "one step" from a state to its partner crosses a fact: :func:`focus` counts
steps between entities, and the facts on the way come along.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from typing import Any

import networkx as nx

from graph.errors import CmkgError
from graph.extract.text import fold

#: Groups of n-ary fact nodes (docs/model.md); every other group is an entity.
FACT_GROUPS = frozenset({"Agreement", "Project", "Measure", "MarketShare"})

_ARTICLE = re.compile(r"^(?:la|le|les|l'|the)\s*", re.IGNORECASE)


def is_fact(G: nx.Graph, node: Any) -> bool:
    """True if ``node`` is an n-ary fact (agreement, project, measure or market share)."""
    return G.nodes[node].get("group") in FACT_GROUPS


def mentioned_only(G: nx.Graph) -> list[Any]:
    """The entities of ``G`` that are only mentioned, in IRI order: no relation in ``G`` and no role.

    A relation is any edge (a party to an agreement, a participant in a project, the imposer or target
    of a measure, the actor of a market share, an affiliation); a person's role is a relation too,
    even without the body it is held in. Facts are never "only mentioned".

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([("a", {"group": "Agreement"}), ("cn", {"group": "State"}), ("x", {"group": "State"})])
    >>> G.add_node("p", group="Person", facts=[{"property": "role", "value": "ministre"}])
    >>> G.add_node("q", group="Person", facts=[{"property": "altLabel", "value": "Q."}])
    >>> G.add_node("f", group="Agreement")
    >>> _ = G.add_edge("a", "cn", key="party")
    >>> mentioned_only(G)
    ['q', 'x']
    """
    return sorted(
        (
            node
            for node, data in G.nodes(data=True)
            if data.get("group") not in FACT_GROUPS
            and G.degree(node) == 0
            and not any(fact.get("property") == "role" for fact in data.get("facts", ()))
        ),
        key=str,
    )


def _new_graph(G: nx.Graph, nodes: Iterable[Any], edges: Iterable[tuple[Any, Any, Any, dict]]) -> nx.MultiDiGraph:
    """A new graph of the same type as ``G`` with ``nodes`` (attributes copied) and the given edges."""
    H = G.__class__()
    H.graph.update(G.graph)
    H.add_nodes_from((node, dict(G.nodes[node])) for node in nodes)
    for u, v, key, data in edges:
        if u in H and v in H:
            H.add_edge(u, v, key=key, **data)
    return H


def _induced(G: nx.Graph, nodes: set[Any]) -> nx.MultiDiGraph:
    """The subgraph of ``G`` on ``nodes``, as a new graph in ``G``'s node order."""
    keep = [node for node in G if node in nodes]
    return _new_graph(G, keep, ((u, v, k, dict(d)) for u, v, k, d in G.edges(keys=True, data=True)))


def attested(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """What the documents say: the nodes a document mentions or a claim describes, and every fact.

    An edge stays when a claim asserts it (its ``evidence`` is not empty), and so do its ends;
    reference knowledge that no sentence states (a person's office, ``skos:broader`` between
    minerals) is left out. The mineral hierarchy is kept as ``H.graph["broader"]``:
    ``{mineral: [every broader mineral]}`` for the minerals that stay.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("China", group="State", evidence=[], documents=["doc1"])
    >>> G.add_node("Peru", group="State", evidence=[], documents=[])
    >>> G.add_node("deal", group="Agreement", evidence=[{"quote": "..."}], documents=[])
    >>> _ = G.add_edge("deal", "China", key="party", evidence=[{"quote": "..."}])
    >>> sorted(attested(G))
    ['China', 'deal']
    """
    keep = {
        node
        for node, data in G.nodes(data=True)
        if data.get("evidence") or data.get("documents") or data.get("group") in FACT_GROUPS
    }
    keep |= {end for u, v, data in G.edges(data=True) if data.get("evidence") for end in (u, v)}
    H = _new_graph(
        G,
        (node for node in G if node in keep),
        ((u, v, k, dict(d)) for u, v, k, d in G.edges(keys=True, data=True) if d.get("evidence")),
    )
    hierarchy = {m: sorted(b for b in parents if b in keep) for m, parents in _broader(G).items() if m in keep}
    H.graph["broader"] = {m: hierarchy[m] for m in sorted(hierarchy, key=str) if hierarchy[m]}
    return H


def _broader(G: nx.Graph) -> dict[Any, set[Any]]:
    """Every mineral's broader minerals, transitively, from ``broader`` edges or ``G.graph["broader"]``."""
    direct: dict[Any, set[Any]] = {}
    for u, v, key in G.edges(keys=True):
        if key == "broader":
            direct.setdefault(u, set()).add(v)
    for node, parents in G.graph.get("broader", {}).items():
        direct.setdefault(node, set()).update(parents)
    closure: dict[Any, set[Any]] = {}
    for node in direct:
        seen: set[Any] = set()
        stack = list(direct[node])
        while stack:
            parent = stack.pop()
            if parent not in seen and parent != node:
                seen.add(parent)
                stack.extend(direct.get(parent, ()))
        closure[node] = seen
    return closure


def focus(G: nx.MultiDiGraph, iri: Any, depth: int = 1) -> nx.MultiDiGraph:
    """The neighbourhood of ``iri`` up to ``depth`` steps between entities, edge direction ignored.

    A step between two entities crosses the fact that links them (an agreement, a measure…), so the
    facts of a state and its partners in them are one step away; a direct edge between two entities
    (a person's office) is one step too.

    Raises
    ------
    networkx.NodeNotFound
        If ``iri`` is not a node of ``G``.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from(["Japan", "USA", "China"], group="State")
    >>> G.add_nodes_from(["deal", "ban"], group="Agreement")
    >>> _ = G.add_edge("deal", "Japan", key="party"); _ = G.add_edge("deal", "USA", key="party")
    >>> _ = G.add_edge("ban", "USA", key="party"); _ = G.add_edge("ban", "China", key="party")
    >>> sorted(focus(G, "Japan", 1))
    ['Japan', 'USA', 'deal']
    >>> sorted(focus(G, "Japan", 2))
    ['China', 'Japan', 'USA', 'ban', 'deal']
    """
    if iri not in G:
        raise nx.NodeNotFound(f"{iri} is not in the graph")
    H = nx.Graph()
    H.add_nodes_from(G)
    for u, v in G.edges():
        if u != v:
            H.add_edge(u, v, weight=0.5 if is_fact(G, u) or is_fact(G, v) else 1.0)
    reached = nx.single_source_dijkstra_path_length(H, iri, cutoff=depth, weight="weight")
    return _induced(G, set(reached))


def by_mineral(G: nx.MultiDiGraph, iri: Any) -> nx.MultiDiGraph:
    """The facts about mineral ``iri`` or a narrower one (rare earths take in neodymium), whole.

    Keeps the mineral, the minerals under it (``broader`` edges, or ``G.graph["broader"]``), every
    fact linked to one of them, and everything those facts link to.

    Raises
    ------
    networkx.NodeNotFound
        If ``iri`` is not a node of ``G``.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from(["REE", "Nd", "Li"], group="Mineral")
    >>> G.add_nodes_from(["Japan", "Chile"], group="State")
    >>> G.add_nodes_from(["deal", "mine"], group="Agreement")
    >>> _ = G.add_edge("Nd", "REE", key="broader")
    >>> _ = G.add_edge("deal", "Nd", key="mineral"); _ = G.add_edge("deal", "Japan", key="party")
    >>> _ = G.add_edge("mine", "Li", key="mineral"); _ = G.add_edge("mine", "Chile", key="party")
    >>> sorted(by_mineral(G, "REE"))
    ['Japan', 'Nd', 'REE', 'deal']
    """
    if iri not in G:
        raise nx.NodeNotFound(f"{iri} is not in the graph")
    minerals = {iri} | {node for node, parents in _broader(G).items() if iri in parents}
    facts = {node for node in G if is_fact(G, node) and any(m in minerals for m in nx.all_neighbors(G, node))}
    keep = minerals | facts | {m for fact in facts for m in nx.all_neighbors(G, fact)}
    return _induced(G, keep)


def min_degree(G: nx.MultiDiGraph, k: int) -> nx.MultiDiGraph:
    """The nodes with at least ``k`` distinct neighbours in ``G`` (edge direction ignored), one pass.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b"), ("a", "b"), ("a", "c"), ("d", "a")])
    >>> sorted(min_degree(G, 2))
    ['a']
    >>> sorted(min_degree(G, 0))
    ['a', 'b', 'c', 'd']
    """
    keep = {node for node in G if len(set(nx.all_neighbors(G, node)) - {node}) >= k}
    return _induced(G, keep)


def parse_date(value: str | dt.date) -> dt.date | None:
    """The first day of an ISO date, month or year (``2025``, ``2025-10``, ``2025-10-28``), else None.

    >>> parse_date("2025-10"), parse_date("2025"), parse_date("soon")
    (datetime.date(2025, 10, 1), datetime.date(2025, 1, 1), None)
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = re.fullmatch(r"\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T.*)?\s*", str(value))
    if not match:
        return None
    year, month, day = match.group(1), match.group(2) or "01", match.group(3) or "01"
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def document_dates(G: nx.Graph) -> dict[str, dt.date]:
    """Publication date of every document an evidence entry of ``G`` cites with a readable date."""
    dates: dict[str, dt.date] = {}
    for _, data in G.nodes(data=True):
        _collect_dates(data.get("evidence", ()), dates)
    for _, _, data in G.edges(data=True):
        _collect_dates(data.get("evidence", ()), dates)
    return dates


def _collect_dates(entries: Iterable[dict[str, Any]], dates: dict[str, dt.date]) -> None:
    for entry in entries:
        day = parse_date(entry.get("date") or "")
        if entry.get("document") and day is not None:
            dates[entry["document"]] = day


def claim_date(data: dict[str, Any]) -> dt.date | None:
    """The date a fact node states (``dcterms:date``, the earliest if several), else None."""
    days = [parse_date(f["value"]) for f in data.get("facts", ()) if f.get("property") == "date"]
    return min((d for d in days if d is not None), default=None)


def as_of(G: nx.MultiDiGraph, date: str | dt.date) -> nx.MultiDiGraph:
    """What was known on ``date``: facts dated on or before it, or else told by documents published by then.

    A fact with its own date (``dcterms:date``; a month or a year counts from its first day) stays
    when that date is on or before ``date``, with all its evidence. A fact without one stays when at
    least one document published on or before ``date`` tells it, and keeps only the evidence of such
    documents; a document without a readable date never counts. Edges follow the same rule; an
    entity loses the evidence and mentions of later documents and goes when nothing is left of it,
    unless no document ever named it (reference knowledge is timeless).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`graph.analysis.projection.project` or one of this module's functions.
    date : str or datetime.date
        ``YYYY-MM-DD`` (or a date).

    Raises
    ------
    CmkgError
        If ``date`` is not a date.

    Examples
    --------
    >>> old = {"document": "d1", "date": "2024-05-01", "quote": "a"}
    >>> new = {"document": "d2", "date": "2025-03-01", "quote": "b"}
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("Chile", group="State", evidence=[], documents=["d1"])
    >>> G.add_node("deal", group="Agreement", evidence=[old, new], facts=[])
    >>> G.add_node("plan", group="Agreement", evidence=[old], facts=[{"property": "date", "value": "2025-01"}])
    >>> _ = G.add_edge("deal", "Chile", key="party", evidence=[old, new])
    >>> H = as_of(G, "2024-12-31")
    >>> sorted(H), [e["document"] for e in H.nodes["deal"]["evidence"]]
    (['Chile', 'deal'], ['d1'])
    >>> sorted(as_of(G, "2025-01-01"))
    ['Chile', 'deal', 'plan']
    """
    if isinstance(date, dt.date):
        cutoff = date.date() if isinstance(date, dt.datetime) else date
    else:
        try:
            cutoff = dt.date.fromisoformat(str(date).strip())
        except ValueError:
            raise CmkgError(f"not a date: {date!r} (use YYYY-MM-DD)") from None
    published = document_dates(G)

    def known(entries: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        return [e for e in entries if e.get("document") in published and published[e["document"]] <= cutoff]

    dated_facts: set[Any] = set()
    nodes: dict[Any, dict[str, Any]] = {}
    for node, data in G.nodes(data=True):
        own = claim_date(data) if data.get("group") in FACT_GROUPS else None
        if own is not None:
            if own <= cutoff:
                dated_facts.add(node)
                nodes[node] = dict(data)
            continue
        copy = dict(data)
        copy["evidence"] = known(data.get("evidence", ()))
        copy["documents"] = [d for d in data.get("documents", ()) if d in published and published[d] <= cutoff]
        nodes[node] = copy

    edges = []
    for u, v, key, data in G.edges(keys=True, data=True):
        if u not in nodes or v not in nodes:
            continue
        copy = dict(data)
        if u not in dated_facts and v not in dated_facts and data.get("evidence"):
            copy["evidence"] = known(data["evidence"])
            if not copy["evidence"]:
                continue
            copy["claims"] = [e["claim"] for e in copy["evidence"] if "claim" in e]
            copy["evidence_count"] = len(copy["evidence"])
        edges.append((u, v, key, copy))

    linked = {u for u, _, _, _ in edges} | {v for _, v, _, _ in edges}

    def stays(node: Any) -> bool:
        data, before = nodes[node], G.nodes[node]
        if node in dated_facts or node in linked or data.get("evidence") or data.get("documents"):
            return True
        if before.get("group") in FACT_GROUPS:
            return False
        return not (before.get("evidence") or before.get("documents"))

    H = G.__class__()
    H.graph.update(G.graph)
    H.add_nodes_from((node, nodes[node]) for node in G if node in nodes and stays(node))
    for u, v, key, data in edges:
        if u in H and v in H:
            H.add_edge(u, v, key=key, **data)
    return H


def _name_key(text: str) -> str:
    return " ".join(fold(text).replace("'", " ").split())


def find_node(G: nx.Graph, name: str, groups: Iterable[str] | None = None) -> Any:
    """The node one of whose names is ``name``: IRI, English or French label, or alias (``altLabel``).

    Names are compared folded (case, accents, hyphens) and without a leading article, so "Japon",
    "la Maison-Blanche" and "l'UE" all work. A preferred label beats an alias; ties go to the first
    node in IRI order.

    Raises
    ------
    CmkgError
        If no node (of ``groups``, when given) has that name; the message suggests close names.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("id/Japan", group="State", label_en="Japan", label_fr="Japon", facts=[])
    >>> G.add_node("id/United_States", group="State", label_en="United States", label_fr="États-Unis",
    ...            facts=[{"property": "altLabel", "value": "la Maison-Blanche"}])
    >>> find_node(G, "japon"), find_node(G, "Maison Blanche"), find_node(G, "etats-unis")
    ('id/Japan', 'id/United_States', 'id/United_States')
    """
    allowed = set(groups) if groups is not None else None
    wanted = {_name_key(name), _name_key(_ARTICLE.sub("", name.strip()))}
    best: tuple[int, str, Any] | None = None
    names: dict[str, Any] = {}
    for node, data in G.nodes(data=True):
        if allowed is not None and data.get("group") not in allowed:
            # A capital stands for its state (cmkg:actorSense): "Pékin" finds China among actors.
            senses = G.out_edges(node, keys=True) if G.is_multigraph() else ()
            sense = next((v for _, v, key in senses if key == "actorSense"), None)
            if sense is None or G.nodes[sense].get("group") not in allowed:
                continue
            node = sense  # the capital's own names, for the state it stands for
        labels = [(0, str(node)), (0, str(data.get("label_en") or "")), (0, str(data.get("label_fr") or ""))]
        labels += [(1, str(f["value"])) for f in data.get("facts", ()) if f.get("property") == "altLabel"]
        for rank, label in labels:
            if not label:
                continue
            key = _name_key(_ARTICLE.sub("", label))
            names.setdefault(label, node)
            if key in wanted or _name_key(label) in wanted:
                if best is None or (rank, str(node)) < best[:2]:
                    best = (rank, str(node), node)
    if best is not None:
        return best[2]
    kind = "node" if allowed is None else next(iter(allowed)).lower() if len(allowed) == 1 else "entity"
    close = difflib.get_close_matches(name, [n for n in names if not n.startswith("http")], n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise CmkgError(f"no {kind} named {name!r} in the graph{hint}")
