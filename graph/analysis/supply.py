"""Supply dependencies and exposure, read from the supply graph of :func:`graph.analysis.projection.supply_graph`.

- :func:`concentration`: for each mineral, stage and market (the world, or one consumer's imports), the
  suppliers with a stated share, the Herfindahl–Hirschman index of the shares known, and how much of
  the market no document attributes.
- :func:`single_points_of_failure`: the nodes whose removal cuts a consumer off from every supplier
  (dominators of the consumer, the suppliers being the nodes with a world share and the nodes nothing
  supplies), and :func:`supply_articulation_points`.
- :func:`exposure`: who depends on a supplier (directly, downstream, or through a project whose
  output goes to it), and which agreements and projects offer alternatives, each line with its
  sentences.

Every function takes the projected graph first, never changes it and returns plain dicts and lists.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

import networkx as nx

from graph.analysis.projection import (
    ACTOR_GROUPS,
    IMPORTS,
    PROJECT_STAGE,
    broader_minerals,
    fact_values,
    narrower_minerals,
    node_label,
    related,
    supply_graph,
    supply_graphs,
    supply_links,
    world_shares,
)

log = logging.getLogger(__name__)

_ROOT = ("cmkg", "every supplier")


def _evidence(G: nx.Graph, facts: list[Any]) -> list[dict[str, Any]]:
    """The evidence entries of ``facts`` (their claims), in order, each sentence of a document once."""
    seen: set[tuple[Any, str]] = set()
    entries = []
    for fact in facts:
        for entry in G.nodes[fact].get("evidence", ()):
            key = (entry.get("document"), " ".join((entry.get("quote") or "").split()))
            if key not in seen:
                seen.add(key)
                entries.append(entry)
    return entries


def figure_date(G: nx.Graph, fact: Any) -> str:
    """When a figure was true: its year, else its date, else its earliest document's date ("" if none)."""
    values = fact_values(G, fact)
    if values.get("year") or values.get("date"):
        return str(values.get("year") or values.get("date"))
    dates = [e["date"] for e in G.nodes[fact].get("evidence", ()) if e.get("date")]
    return min(dates, default="")


def herfindahl(shares: list[float]) -> float:
    """Herfindahl–Hirschman index of market shares given in percent: the sum of their squares (0–10,000).

    >>> herfindahl([50, 30, 20])
    3800.0
    >>> herfindahl([])
    0.0
    """
    return float(sum(share * share for share in shares))


def herfindahl_bounds(shares: list[float]) -> tuple[float, float]:
    """The lowest and highest HHI compatible with the known ``shares`` (percent) and an unknown rest.

    The rest spread over countless small suppliers adds nothing (lowest); the rest held by the
    largest known supplier, or by one new supplier when none is known, adds the most (highest).

    >>> herfindahl_bounds([90])
    (8100.0, 10000.0)
    >>> herfindahl_bounds([50, 30])
    (3400.0, 5800.0)
    >>> herfindahl_bounds([])
    (0.0, 10000.0)
    """
    low = herfindahl(shares)
    rest = max(0.0, 100.0 - sum(shares))
    largest = max(shares, default=0.0)
    return low, low - largest * largest + (largest + rest) ** 2


def concentration(
    G: nx.MultiDiGraph, mineral: Any = None, stage: str | None = None, lang: str = "en"
) -> list[dict[str, Any]]:
    """Suppliers and concentration of every market the shares of ``G`` describe.

    A market is a mineral, a stage and either the world (shares without a consumer: "China refines
    90 % of rare earths") or one consumer (shares of its imports or of its supply: "half of the United
    States' imports come from China"). When several figures give the same supplier's share of one
    market, the most recent one counts (a figure's year, else its date, else the date of its first
    document; ties go to the larger share) and the others are listed.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`graph.analysis.projection.project`; it is not modified.
    mineral : node, optional
        Only markets of this mineral or a narrower one.
    stage : str, optional
        Only markets of this stage (exactly).
    lang : str
        Language of the labels.

    Returns
    -------
    list of dict
        One row per market, sorted by mineral, stage and market label: ``mineral``, ``mineral_label``,
        ``stage``, ``market`` (the consumer's IRI, None for the world), ``market_label``, ``suppliers``
        (``{"iri", "label", "share", "fact", "figures"}``, largest first), ``known_share`` and
        ``unknown_share`` (percent of the market attributed or not, the latter 0 when the figures add
        up to more than 100, which ``overstated`` flags), ``hhi`` (on the known shares) and
        ``hhi_max`` (if the unknown rest were held by the largest supplier), ``import_dependence`` (for
        a consumer's imports: the share of its consumption it imports, if stated) and ``evidence``.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> for fact, actor, percent in [("s1", "China", "90"), ("s2", "Malaysia", "5")]:
    ...     G.add_node(fact, group="MarketShare", evidence=[],
    ...                facts=[{"property": "stage", "value": "refining"}, {"property": "percent", "value": percent}])
    ...     _ = G.add_edge(fact, actor, key="actor"); _ = G.add_edge(fact, "REE", key="mineral")
    >>> [row] = concentration(G)
    >>> [(s["label"], s["share"]) for s in row["suppliers"]], row["hhi"], row["unknown_share"], row["hhi_max"]
    ([('China', 90.0), ('Malaysia', 5.0)], 8125.0, 5.0, 9050.0)
    """
    family = narrower_minerals(G, mineral) if mineral is not None else None
    figures: dict[tuple[Any, str, Any], dict[Any, list[tuple[str, float, Any]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    dependence: dict[tuple[Any, str, Any], list[tuple[str, float, Any]]] = defaultdict(list)

    def keep(m: Any, s: str | None) -> bool:
        return (family is None or m in family) and (stage is None or s == stage)

    for row in world_shares(G):
        if row["share"] is None or not row["stage"]:
            continue
        for m in row["minerals"]:
            if not keep(m, row["stage"]):
                continue
            figure = (figure_date(G, row["fact"]), row["share"], row["fact"])
            if row["stage"] == IMPORTS:
                dependence[(m, IMPORTS, row["actor"])].append(figure)
            else:
                figures[(m, row["stage"], None)][row["actor"]].append(figure)
    for link in supply_links(G):
        if link["kind"] != "share" or link["share"] is None or not link["stage"]:
            continue
        for m in link["minerals"]:
            if keep(m, link["stage"]):
                figures[(m, link["stage"], link["consumer"])][link["supplier"]].append(
                    (figure_date(G, link["fact"]), link["share"], link["fact"])
                )

    rows = []
    for market in set(figures) | set(dependence):
        m, s, consumer = market
        suppliers = []
        for supplier, found in figures.get(market, {}).items():
            ranked = sorted(found, key=lambda f: (f[0], f[1], str(f[2])), reverse=True)
            suppliers.append(
                {
                    "iri": supplier,
                    "label": node_label(G, supplier, lang),
                    "share": ranked[0][1],
                    "fact": ranked[0][2],
                    "figures": [{"share": share, "date": date or None, "fact": fact} for date, share, fact in ranked],
                }
            )
        suppliers.sort(key=lambda sup: (-sup["share"], sup["label"], str(sup["iri"])))
        shares = [sup["share"] for sup in suppliers]
        known = float(sum(shares))
        low, high = herfindahl_bounds(shares)
        stated = sorted(dependence.get(market, []), key=lambda f: (f[0], f[1], str(f[2])), reverse=True)
        facts = [f["fact"] for sup in suppliers for f in sup["figures"]] + [f[2] for f in stated]
        rows.append(
            {
                "mineral": m,
                "mineral_label": node_label(G, m, lang),
                "stage": s,
                "market": consumer,
                "market_label": node_label(G, consumer, lang) if consumer is not None else "world",
                "suppliers": suppliers,
                "known_share": known,
                "unknown_share": max(0.0, 100.0 - known),
                "overstated": known > 100.0,
                "hhi": low,
                "hhi_max": high,
                "import_dependence": stated[0][1] if stated else None,
                "evidence": _evidence(G, facts),
            }
        )
    rows.sort(
        key=lambda r: (r["mineral_label"], r["stage"], r["market"] is not None, r["market_label"], str(r["mineral"]))
    )
    return rows


def _simple(H: nx.MultiDiGraph) -> nx.DiGraph:
    """The simple directed view of a supply graph, without self-loops."""
    D = nx.DiGraph()
    D.add_nodes_from(H)
    D.add_edges_from((u, v) for u, v in H.edges() if u != v)
    return D


def _cut_off(H: nx.MultiDiGraph) -> dict[Any, list[Any]]:
    """Single points of failure of a supply graph ``H`` (see :func:`single_points_of_failure`)."""
    D = _simple(H)
    sources = {n for n in D if D.in_degree(n) == 0 and D.out_degree(n) > 0}
    sources |= {n for n, data in H.nodes(data=True) if data.get("world_shares")}
    consumers = [n for n in D if D.in_degree(n) > 0]
    D.add_node(_ROOT)
    D.add_edges_from((_ROOT, s) for s in sorted(sources, key=str))
    idom = nx.immediate_dominators(D, _ROOT)
    cut: dict[Any, set[Any]] = defaultdict(set)
    for consumer in consumers:
        node = idom.get(consumer)
        while node is not None and node != _ROOT:
            cut[node].add(consumer)
            node = idom.get(node)
    return {node: sorted(cut[node], key=str) for node in sorted(cut, key=str)}


def _joints(H: nx.MultiDiGraph) -> list[Any]:
    """Articulation points of a supply graph, direction ignored."""
    U = nx.Graph()
    U.add_nodes_from(H)
    U.add_edges_from((u, v) for u, v in H.edges() if u != v)
    return sorted(nx.articulation_points(U), key=str)


def single_points_of_failure(G: nx.MultiDiGraph, mineral: Any = None, stage: str | None = None) -> dict[Any, list[Any]]:
    """Nodes whose removal cuts a consumer off from every supplier: ``{node: [consumers]}``.

    On the supply graph of ``mineral`` and ``stage`` (:func:`graph.analysis.projection.supply_graph`; without
    ``mineral`` every supply link counts as one commodity), the suppliers are the nodes with a stated
    world share and the nodes that nothing supplies. A node is a single point of failure of a consumer
    when every path from every supplier to the consumer goes through it: it dominates the consumer in
    the graph where one root feeds every supplier. A sole supplier is its consumers' single point of
    failure; a consumer with a world share of its own has none.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("mine", group="Project", cls="Mine", facts=[])
    >>> G.add_node("ban", group="Measure", cls="ExportControl", facts=[])
    >>> for u, v, key in [("mine", "China", "participant"), ("ban", "China", "imposer"),
    ...                   ("ban", "USA", "target"), ("ban", "Japan", "target")]:
    ...     _ = G.add_edge(u, v, key=key)
    >>> single_points_of_failure(G)
    {'China': ['Japan', 'USA'], 'mine': ['China', 'Japan', 'USA']}
    """
    return _cut_off(supply_graph(G, mineral, stage))


def supply_articulation_points(G: nx.MultiDiGraph, mineral: Any = None, stage: str | None = None) -> list[Any]:
    """Articulation points of the supply graph, direction ignored: nodes whose removal splits it.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("ban", group="Measure", cls="ExportControl", facts=[])
    >>> for u, v, key in [("ban", "China", "imposer"), ("ban", "USA", "target"), ("ban", "Japan", "target")]:
    ...     _ = G.add_edge(u, v, key=key)
    >>> supply_articulation_points(G)
    ['China']
    """
    return _joints(supply_graph(G, mineral, stage))


def single_point_table(G: nx.MultiDiGraph, lang: str = "en") -> list[dict[str, Any]]:
    """Single points of failure and articulation points of each mineral's supply graph, as rows.

    Rows ``{"mineral", "mineral_label", "node", "label", "group", "consumers", "consumer_labels",
    "articulation"}`` sorted by mineral, then by number of consumers cut off (most first), then label.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("ban", group="Measure", cls="ExportControl", facts=[])
    >>> for u, v, key in [("ban", "China", "imposer"), ("ban", "USA", "target"), ("ban", "Ga", "mineral")]:
    ...     _ = G.add_edge(u, v, key=key)
    >>> [(r["mineral"], r["node"], r["consumers"], r["articulation"]) for r in single_point_table(G)]
    [('Ga', 'China', ['USA'], False)]
    """
    rows = []
    for m, H in supply_graphs(G).items():
        if H.number_of_edges() == 0:
            continue
        cut = _cut_off(H)
        joints = set(_joints(H))
        for node in set(cut) | joints:
            consumers = cut.get(node, [])
            rows.append(
                {
                    "mineral": m,
                    "mineral_label": node_label(G, m, lang),
                    "node": node,
                    "label": node_label(G, node, lang),
                    "group": G.nodes[node].get("group"),
                    "consumers": consumers,
                    "consumer_labels": [node_label(G, c, lang) for c in consumers],
                    "articulation": node in joints,
                }
            )
    rows.sort(key=lambda r: (r["mineral_label"], -len(r["consumers"]), r["label"], str(r["node"])))
    return rows


def _join(labels: list[str]) -> str:
    return ", ".join(labels) if labels else "unstated minerals"


def _describe(G: nx.Graph, edge: dict[str, Any], supplier: Any, lang: str) -> str:
    """One line saying how a consumer depends on ``supplier`` through one supply link."""
    minerals = _join([node_label(G, m, lang) for m in edge["minerals"]])
    name = node_label(G, supplier, lang)
    if edge["kind"] == "share":
        share = f"{edge['share']:g} %" if edge["share"] is not None else "a share"
        return f"{share} of its {edge['stage'] or 'supply'} of {minerals} from {name}"
    if edge["kind"] == "export control":
        return f"target of {name}'s export control on {minerals}"
    if edge["kind"] == "tariff":
        return f"taxes its imports of {minerals} from {name}"
    return f"receives the output of {name} ({minerals})"


def exposure(
    G: nx.MultiDiGraph,
    supplier: Any,
    mineral: Any = None,
    stage: str | None = None,
    lang: str = "en",
    max_hops: int = 2,
) -> dict[str, Any]:
    """Who depends on ``supplier``, and which agreements and projects offer alternatives.

    Dependants, on the supply graph of ``mineral`` and ``stage`` (:func:`graph.analysis.projection.supply_graph`):

    - *direct*: a consumer of one of the supplier's links (its share of the consumer's imports, an
      export control of the supplier aimed at it, its tariff on the supplier);
    - *downstream*: a consumer of a direct dependant, and so on up to ``max_hops`` links from the
      supplier (``via`` names who is in between);
    - *through a project*: a project whose output goes to the supplier (a mine whose production is
      refined there) and the project's other participants and host state (``via`` the project).

    Alternatives are the agreements and projects of the dependant actors in which the supplier takes
    no part (and, for projects, whose output does not go to it), about the mineral, a narrower or a
    broader one, or stating no mineral (``match`` says which: ``stated``, ``broader``, ``unstated``;
    ``any`` without ``mineral``); with ``stage``, projects of another stage are left out.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`graph.analysis.projection.project`; it is not modified.
    supplier : node
        The supplier, e.g. ``https://w3id.org/cmkg/id/China``.
    mineral : node, optional
        Only supply links about this mineral (or a narrower one).
    stage : str, optional
        Only supply links of this stage, of no stated stage, or of imports.
    lang : str
        Language of the labels.
    max_hops : int
        How far downstream dependants are followed (1: direct dependants only).

    Returns
    -------
    dict
        ``{"supplier", "label", "mineral", "stage", "dependants", "alternatives"}``. A dependant row
        has ``dependant``, ``label``, ``group``, ``how`` (``direct``, ``downstream`` or ``project``),
        ``via`` (IRIs), ``facts`` (IRIs), ``kind``, ``share``, ``stage``, ``minerals``, ``line`` (a
        readable sentence) and ``evidence`` (entries of :func:`graph.analysis.projection.project`). An alternative
        row has ``alternative``, ``label``, ``group``, ``kind``, ``for`` (dependant IRIs), ``partners``
        (the other parties or participants), ``minerals``, ``match``, ``date`` and ``evidence``.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("ban", group="Measure", cls="ExportControl", facts=[], evidence=[{"claim": "c1", "quote": "..."}])
    >>> G.add_node("deal", group="Agreement", cls="Agreement", facts=[], evidence=[])
    >>> G.add_nodes_from(["China", "USA", "Australia"], group="State")
    >>> for u, v, key in [("ban", "China", "imposer"), ("ban", "USA", "target"), ("ban", "Ga", "mineral"),
    ...                   ("deal", "USA", "party"), ("deal", "Australia", "party")]:
    ...     _ = G.add_edge(u, v, key=key)
    >>> found = exposure(G, "China", mineral="Ga")
    >>> [(d["dependant"], d["how"], d["line"]) for d in found["dependants"]]
    [('USA', 'direct', "target of China's export control on Ga")]
    >>> [(a["alternative"], a["for"], a["partners"], a["match"]) for a in found["alternatives"]]
    [('deal', ['USA'], ['Australia'], 'unstated')]
    """
    H = supply_graph(G, mineral, stage)
    rows: list[dict[str, Any]] = []

    def row(node: Any, how: str, via: list[Any], facts: list[Any], edge: dict[str, Any] | None, line: str) -> None:
        rows.append(
            {
                "dependant": node,
                "label": node_label(G, node, lang),
                "group": G.nodes[node].get("group"),
                "how": how,
                "via": via,
                "facts": facts,
                "kind": edge["kind"] if edge else "project",
                "share": edge["share"] if edge else None,
                "stage": edge["stage"] if edge else None,
                "minerals": edge["minerals"] if edge else related(G, facts[0], "mineral"),
                "line": line,
                "evidence": _evidence(G, facts),
            }
        )

    feeding: set[Any] = set()
    if supplier in H:
        for _, consumer, key, edge in sorted(
            H.out_edges(supplier, keys=True, data=True), key=lambda e: (str(e[1]), str(e[2]))
        ):
            row(consumer, "direct", [], [key], edge, _describe(G, edge, supplier, lang))
        D = nx.DiGraph()
        D.add_nodes_from(H)
        D.add_edges_from((u, v) for u, v in H.edges() if u != v)
        paths = nx.single_source_shortest_path(D, supplier, cutoff=max_hops)
        for node, path in sorted(paths.items(), key=lambda item: str(item[0])):
            if len(path) < 3:
                continue
            facts = [sorted(H[u][v], key=str)[0] for u, v in zip(path, path[1:])]
            last = H.edges[path[-2], path[-1], facts[-1]]
            via = path[1:-1]
            line = f"{_describe(G, last, path[-2], lang)}, which depends on {node_label(G, supplier, lang)}"
            row(node, "downstream", via, facts, last, line)
        for project, _, _key in sorted(H.in_edges(supplier, keys=True), key=lambda e: (str(e[0]), str(e[2]))):
            if G.nodes[project].get("group") != "Project" or project in feeding:
                continue
            feeding.add(project)
            name, target = node_label(G, project, lang), node_label(G, supplier, lang)
            row(project, "project", [], [project], None, f"its output goes to {target}")
            hosts = [p for p in related(G, project, "location") if G.nodes[p].get("group") in ACTOR_GROUPS]
            for other in sorted(set(related(G, project, "participant")) | set(hosts), key=str):
                if other != supplier:
                    role = "participant in" if other in related(G, project, "participant") else "host of"
                    row(other, "project", [project], [project], None, f"{role} {name}, whose output goes to {target}")
    how_rank = {"direct": 0, "downstream": 1, "project": 2}
    rows.sort(
        key=lambda r: (
            how_rank[r["how"]],
            r["label"],
            -(r["share"] if r["share"] is not None else -1),
            [str(f) for f in r["facts"]],
        )
    )
    return {
        "supplier": supplier,
        "label": node_label(G, supplier, lang) if supplier in G else str(supplier),
        "mineral": mineral,
        "stage": stage,
        "dependants": rows,
        "alternatives": _alternatives(G, supplier, rows, feeding, mineral, stage, lang),
    }


def _alternatives(
    G: nx.MultiDiGraph,
    supplier: Any,
    dependants: list[dict[str, Any]],
    feeding: set[Any],
    mineral: Any,
    stage: str | None,
    lang: str,
) -> list[dict[str, Any]]:
    """Agreements and projects of the dependant actors without the supplier (see :func:`exposure`)."""
    actors = {r["dependant"] for r in dependants if r["group"] in ACTOR_GROUPS}
    narrower = narrower_minerals(G, mineral) if mineral is not None else set()
    broader = broader_minerals(G, mineral) if mineral is not None else set()

    def match(minerals: list[Any]) -> str | None:
        if mineral is None:
            return "any"
        if narrower.intersection(minerals):
            return "stated"
        if broader.intersection(minerals):
            return "broader"
        return None if minerals else "unstated"

    candidates = {
        fact
        for actor in actors
        for fact, _, key in G.in_edges(actor, keys=True)
        if key in ("party", "participant", "location")
    }
    rows = []
    for fact in sorted(candidates, key=str):
        data = G.nodes[fact]
        group, cls = data.get("group"), data.get("cls")
        if group == "Agreement":
            members = related(G, fact, "party")
            kind = fact_values(G, fact).get("agreementKind") or "agreement"
        elif group == "Project":
            participants = related(G, fact, "participant")
            if supplier in participants or fact in feeding:
                continue
            if stage is not None and PROJECT_STAGE.get(cls) not in (None, stage):
                continue
            hosts = [p for p in related(G, fact, "location") if G.nodes[p].get("group") in ACTOR_GROUPS]
            members = sorted(set(participants) | set(hosts), key=str)
            kind = cls
        else:
            continue
        served = [m for m in members if m in actors]
        found = match(related(G, fact, "mineral"))
        if supplier in members or not served or found is None:
            continue
        values = fact_values(G, fact)
        rows.append(
            {
                "alternative": fact,
                "label": node_label(G, fact, lang),
                "group": group,
                "kind": kind,
                "for": served,
                "partners": [m for m in members if m not in actors],
                "minerals": related(G, fact, "mineral"),
                "match": found,
                "date": values.get("date"),
                "evidence": _evidence(G, [fact]),
            }
        )
    rank = {"stated": 0, "any": 0, "broader": 1, "unstated": 2}
    rows.sort(key=lambda r: (rank[r["match"]], r["group"], r["label"], str(r["alternative"])))
    return rows


def top_suppliers(G: nx.MultiDiGraph, n: int | None = None) -> list[Any]:
    """The actors that supply someone (every mineral together), those with the most distinct direct
    consumers first, ties in IRI order; the first ``n`` if given.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("ban", group="Measure", cls="ExportControl", facts=[])
    >>> G.add_nodes_from(["China", "USA", "Japan"], group="State")
    >>> _ = G.add_edge("ban", "China", key="imposer"); _ = G.add_edge("ban", "USA", key="target")
    >>> _ = G.add_edge("ban", "Japan", key="target")
    >>> top_suppliers(G)
    ['China']
    """
    consumers: dict[Any, set[Any]] = defaultdict(set)
    for link in supply_links(G):
        if G.nodes[link["supplier"]].get("group") in ACTOR_GROUPS:
            consumers[link["supplier"]].add(link["consumer"])
    ranked = sorted(consumers, key=lambda s: (-len(consumers[s]), str(s)))
    return ranked if n is None else ranked[:n]
