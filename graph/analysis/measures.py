"""Centrality and communities of a graph: who is central, and who clusters with whom.

Every function takes a networkx graph first, never changes it, and returns plain dicts or rows. They
run on the *undirected simple view* of the graph they are given: the direction of a projected edge
(a fact points to its parties) says nothing about importance, and two facts linking the same pair count
once for the hop-based measures (degree, betweenness, closeness). The weighted measures (weighted
degree, PageRank, eigenvector) add up parallel edges: an edge weighs its ``weight`` attribute
(``evidence_count`` on the projected graph: how many sentences state it), and at least 1, so a
relation of the reference data that no sentence states still counts once.

Sizes and errors
----------------
Betweenness and closeness are exact below :data:`EXACT_BELOW` nodes (2,000: the exact betweenness
of a 2,000-node, 8,000-edge graph takes about 7 s, four times the sampled one). Above it both are
estimated from :data:`SAMPLE_SIZE` source nodes (500) drawn with the fixed seed :data:`SEED`, so the
same graph gives the same scores on every run:

- betweenness: Brandes and Pich's estimator (networkx's ``k``), unbiased; by Hoeffding's
  inequality each normalised score is within ``sqrt(ln(2/δ) / (2k))`` of the exact one with
  probability ``1 - δ``, i.e. ±0.061 at 95 % for ``k = 500``. Scores that small are rarely apart by
  that much, so what the estimate keeps is the *ranking* of the central nodes;
  ``benchmarks/analyze_scale.py`` measures it: on a generated 5,000-node, 20,000-edge graph the
  largest error was 0.011 and the exact top 100 kept a Spearman correlation of 0.91 (76 of the 100
  in the sampled top 100), 14 times faster; on 50,000 nodes and 200,000 edges the sampled run takes
  minutes where the exact one would take hours.
- closeness: Eppstein and Wang's estimator: a node's mean distance to the others is its mean
  distance to the sampled sources of its component (breadth-first searches from the sources
  only); the same bound holds on the mean distance in units of the component's diameter.
  Components smaller than the threshold are computed exactly.

Examples
--------
>>> G = nx.MultiDiGraph([("deal", "Japan"), ("deal", "USA"), ("ban", "USA"), ("ban", "China")])
>>> scores = centrality_scores(G)
>>> max(scores["betweenness"], key=scores["betweenness"].get)
'USA'
"""

from __future__ import annotations

import logging
import random
from collections.abc import Iterable
from typing import Any

import networkx as nx

from graph.errors import AnalysisError

log = logging.getLogger(__name__)

#: Graphs (and, for closeness, components) with fewer nodes get exact betweenness and closeness.
EXACT_BELOW = 2000
#: Number of sampled source nodes above :data:`EXACT_BELOW`.
SAMPLE_SIZE = 500
#: Seed of every sample and of community detection.
SEED = 42
#: The centrality measures, in the order tables and reports show them.
MEASURES: tuple[str, ...] = ("degree", "weighted_degree", "betweenness", "pagerank", "eigenvector", "closeness")
#: Groups of the projected graph that are actors (docs/model.md: subclasses of ``cmkg:Actor``).
ACTOR_GROUPS: frozenset[str] = frozenset({"State", "InternationalOrganization", "GovernmentBody", "Company", "Person"})


def undirected_view(G: nx.Graph, weight: str | None = None) -> nx.Graph:
    """A new simple undirected graph with ``G``'s nodes (in order) and its distinct neighbour pairs.

    Self-loops are dropped. With ``weight``, a pair's ``weight`` is the sum over every edge between
    the two nodes, both directions, of ``max(1, edge[weight])`` (an edge without it weighs 1).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("a", "b", evidence_count=3)
    >>> _ = G.add_edge("b", "a", evidence_count=0)
    >>> _ = G.add_edge("b", "b")
    >>> H = undirected_view(G, weight="evidence_count")
    >>> list(H.edges(data="weight"))
    [('a', 'b', 4.0)]
    """
    H = nx.Graph()
    H.add_nodes_from(G)
    if weight is None:
        H.add_edges_from((u, v) for u, v in G.edges() if u != v)
        return H
    for u, v, value in G.edges(data=weight):
        if u == v:
            continue
        w = 1.0 if value is None else max(1.0, float(value))
        if H.has_edge(u, v):
            H[u][v]["weight"] += w
        else:
            H.add_edge(u, v, weight=w)
    return H


def degree_centrality(G: nx.Graph) -> dict[Any, float]:
    """Degree centrality of every node: its number of distinct neighbours divided by ``n - 1``.

    Parameters
    ----------
    G : networkx.Graph
        Any graph, usually from :func:`graph.analysis.projection.project`; it is not modified.

    Returns
    -------
    dict
        ``{node: score}`` with scores in ``[0, 1]``.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b"), ("a", "b"), ("b", "c")])
    >>> degree_centrality(G)
    {'a': 0.5, 'b': 1.0, 'c': 0.5}
    """
    return nx.degree_centrality(undirected_view(G))


def weighted_degree(G: nx.Graph, weight: str = "evidence_count") -> dict[Any, float]:
    """Weighted degree (strength) of every node: the sum of the weights of its neighbour pairs.

    On the projected graph it counts the sentences that state a node's relations, each relation at
    least once.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("deal", "Japan", evidence_count=2)
    >>> _ = G.add_edge("deal", "USA", evidence_count=0)
    >>> weighted_degree(G)
    {'deal': 3.0, 'Japan': 2.0, 'USA': 1.0}
    """
    return dict(undirected_view(G, weight).degree(weight="weight"))


def betweenness_centrality(
    G: nx.Graph, exact_below: int = EXACT_BELOW, k: int = SAMPLE_SIZE, seed: int = SEED
) -> dict[Any, float]:
    """Normalised betweenness centrality of every node, exact or estimated (module docstring).

    Parameters
    ----------
    G : networkx.Graph
        Any graph; it is not modified.
    exact_below : int
        Graphs with fewer nodes get the exact value; larger ones are estimated from ``k`` sources.
    k : int
        Number of sampled source nodes for large graphs.
    seed : int
        Seed of the source sample, so an estimate is the same on every run.

    Returns
    -------
    dict
        ``{node: score}``; for a path ``a - b - c`` the middle node scores 1.0.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b"), ("c", "b")])
    >>> betweenness_centrality(G)
    {'a': 0.0, 'b': 1.0, 'c': 0.0}
    >>> betweenness_centrality(nx.path_graph(4), exact_below=2, k=2, seed=1) == betweenness_centrality(
    ...     nx.path_graph(4), exact_below=2, k=2, seed=1)
    True
    """
    H = undirected_view(G)
    n = H.number_of_nodes()
    if n < exact_below:
        return nx.betweenness_centrality(H, normalized=True)
    log.info("estimating betweenness of %d nodes from %d sources (seed %d)", n, min(k, n), seed)
    return nx.betweenness_centrality(H, k=min(k, n), normalized=True, seed=seed)


def pagerank(G: nx.Graph, alpha: float = 0.85, weight: str = "evidence_count") -> dict[Any, float]:
    """PageRank of every node on the weighted undirected view; the scores sum to 1.

    Examples
    --------
    >>> scores = pagerank(nx.star_graph(3))
    >>> round(scores[0], 3), round(sum(scores.values()), 6)
    (0.48, 1.0)
    """
    H = undirected_view(G, weight)
    if H.number_of_nodes() == 0:
        return {}
    return nx.pagerank(H, alpha=alpha, weight="weight")


def eigenvector_centrality(
    G: nx.Graph, weight: str = "evidence_count", max_iter: int = 1000, tol: float = 1e-06
) -> dict[Any, float]:
    """Eigenvector centrality on the weighted undirected view, or ``{}`` where it does not converge.

    The power iteration of :func:`networkx.eigenvector_centrality` (with ``A + I``, so bipartite
    graphs such as facts and entities converge too; same start, norm and stopping rule), run on a
    sparse matrix so that it takes seconds, not minutes, on 200,000 edges. On a disconnected graph the
    scores concentrate on the component with the largest eigenvalue.

    Examples
    --------
    >>> scores = eigenvector_centrality(nx.path_graph(3))
    >>> round(scores[1], 4), round(scores[0], 4)
    (0.7071, 0.5)
    >>> eigenvector_centrality(nx.path_graph(30), max_iter=2)
    {}
    """
    import numpy as np

    H = undirected_view(G, weight)
    n = H.number_of_nodes()
    if H.number_of_edges() == 0:
        return {}
    nodes = list(H)
    A = nx.to_scipy_sparse_array(H, nodelist=nodes, weight="weight", format="csr")
    x = np.ones(n) / n
    for _ in range(max_iter):
        last = x
        x = A @ last + last
        norm = np.linalg.norm(x) or 1.0
        x = x / norm
        if np.abs(x - last).sum() < n * tol:
            return dict(zip(nodes, x.tolist()))
    log.warning("eigenvector centrality did not converge in %d iterations", max_iter)
    return {}


def closeness_centrality(
    G: nx.Graph, exact_below: int = EXACT_BELOW, k: int = SAMPLE_SIZE, seed: int = SEED
) -> dict[Any, float]:
    """Closeness centrality of every node (Wasserman and Faust's, for disconnected graphs).

    A node reaching ``r - 1`` others at a total distance ``d`` scores ``(r - 1)² / ((n - 1) d)``,
    as :func:`networkx.closeness_centrality` does. Components of at least ``exact_below`` nodes are
    estimated from ``k`` sampled sources (module docstring); the others are exact.

    Examples
    --------
    >>> closeness_centrality(nx.path_graph(3))
    {0: 0.6666666666666666, 1: 1.0, 2: 0.6666666666666666}
    >>> G = nx.path_graph(40)
    >>> estimate = closeness_centrality(G, exact_below=10, k=40)
    >>> all(abs(estimate[n] - value) < 1e-12 for n, value in nx.closeness_centrality(G).items())
    True
    """
    H = undirected_view(G)
    n = H.number_of_nodes()
    if n < exact_below:
        return nx.closeness_centrality(H)
    rng = random.Random(seed)
    order = {node: i for i, node in enumerate(H)}
    scores: dict[Any, float] = {}
    for component in nx.connected_components(H):
        members = sorted(component, key=order.__getitem__)
        size = len(members)
        if size == 1:
            scores[members[0]] = 0.0
            continue
        if size < exact_below:
            sources: Iterable[Any] = members
            samples = size
        else:
            samples = min(k, size)
            sources = rng.sample(members, samples)
            log.info("estimating closeness of %d nodes from %d sources (seed %d)", size, samples, seed)
        total = dict.fromkeys(members, 0)
        for source in sources:
            for node, distance in nx.single_source_shortest_path_length(H, source).items():
                total[node] += distance
        sampled = set(sources) if samples < size else None
        for node in members:
            others = samples - (1 if sampled is None or node in sampled else 0)
            mean = total[node] / others if others else 0.0
            scores[node] = (size - 1) / (n - 1) / mean if mean > 0 else 0.0
    return {node: scores[node] for node in H}


def centrality_scores(
    G: nx.Graph, exact_below: int = EXACT_BELOW, k: int = SAMPLE_SIZE, seed: int = SEED
) -> dict[str, dict[Any, float]]:
    """Every measure of :data:`MEASURES` for every node: ``{measure: {node: score}}``.

    ``eigenvector`` is ``{}`` when the power iteration does not converge.

    Examples
    --------
    >>> scores = centrality_scores(nx.path_graph(3))
    >>> list(scores) == list(MEASURES), scores["betweenness"][1], scores["weighted_degree"][1]
    (True, 1.0, 2.0)
    """
    return {
        "degree": degree_centrality(G),
        "weighted_degree": weighted_degree(G),
        "betweenness": betweenness_centrality(G, exact_below, k, seed),
        "pagerank": pagerank(G),
        "eigenvector": eigenvector_centrality(G),
        "closeness": closeness_centrality(G, exact_below, k, seed),
    }


def node_label(G: nx.Graph, node: Any, lang: str = "en") -> str:
    """The label of ``node`` in ``lang`` (``label_en`` / ``label_fr``), else English, else its IRI tail.

    >>> G = nx.Graph()
    >>> G.add_node("https://w3id.org/cmkg/id/Japan", label_en="Japan", label_fr="Japon")
    >>> G.add_node("https://w3id.org/cmkg/id/Peru")
    >>> node_label(G, "https://w3id.org/cmkg/id/Japan", "fr"), node_label(G, "https://w3id.org/cmkg/id/Peru")
    ('Japon', 'Peru')
    """
    data = G.nodes[node]
    return data.get(f"label_{lang}") or data.get("label_en") or str(node).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def centrality_table(
    G: nx.Graph, lang: str = "en", scores: dict[str, dict[Any, float]] | None = None
) -> list[dict[str, Any]]:
    """One row per node with every centrality measure, most between first.

    Parameters
    ----------
    G : networkx.Graph
        A graph from :func:`graph.analysis.projection.project`; it is not modified.
    lang : str
        ``"en"`` or ``"fr"``: which label attribute names the node.
    scores : dict, optional
        The result of :func:`centrality_scores` on ``G``, if already computed.

    Returns
    -------
    list of dict
        Rows ``{"iri", "label", "group", "degree", "weighted_degree", "betweenness", "pagerank",
        "eigenvector", "closeness"}`` (``eigenvector`` None where it did not converge) sorted by
        betweenness (descending), then label, then IRI.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("x", label_en="X", group="State")
    >>> G.add_node("y", label_en="Y", group="Mineral")
    >>> G.add_node("f", label_en="F", group="Agreement")
    >>> _ = G.add_edge("f", "x", key="party")
    >>> _ = G.add_edge("f", "y", key="mineral")
    >>> [(row["label"], row["betweenness"], row["degree"]) for row in centrality_table(G)]
    [('F', 1.0, 1.0), ('X', 0.0, 0.5), ('Y', 0.0, 0.5)]
    """
    scores = scores if scores is not None else centrality_scores(G)
    rows = []
    for node, data in G.nodes(data=True):
        row: dict[str, Any] = {"iri": str(node), "label": node_label(G, node, lang), "group": data.get("group")}
        for measure in MEASURES:
            row[measure] = scores[measure].get(node)
        rows.append(row)
    rows.sort(key=lambda row: (-row["betweenness"], row["label"], row["iri"]))
    return rows


def top_nodes(
    rows: list[dict[str, Any]], measure: str, n: int = 10, groups: Iterable[str] | None = ACTOR_GROUPS
) -> list[dict[str, Any]]:
    """The ``n`` rows of :func:`centrality_table` with the highest ``measure``, among ``groups``.

    Ties go by label, then IRI; rows without a score (eigenvector not converged) are left out.

    Examples
    --------
    >>> rows = [{"iri": "a", "label": "A", "group": "State", "degree": 0.5},
    ...         {"iri": "f", "label": "F", "group": "Agreement", "degree": 1.0},
    ...         {"iri": "b", "label": "B", "group": "Company", "degree": 0.5}]
    >>> [r["label"] for r in top_nodes(rows, "degree", 2)], [r["label"] for r in top_nodes(rows, "degree", 1, None)]
    (['A', 'B'], ['F'])
    """
    allowed = set(groups) if groups is not None else None
    kept = [r for r in rows if r.get(measure) is not None and (allowed is None or r.get("group") in allowed)]
    return sorted(kept, key=lambda r: (-r[measure], r["label"], r["iri"]))[:n]


def top_by_group(rows: list[dict[str, Any]], measure: str, n: int = 5) -> dict[str, list[dict[str, Any]]]:
    """The ``n`` highest rows of ``measure`` in each node group: ``{group: rows}``, groups sorted.

    Examples
    --------
    >>> rows = [{"iri": "a", "label": "A", "group": "State", "degree": 0.5},
    ...         {"iri": "f", "label": "F", "group": "Agreement", "degree": 1.0},
    ...         {"iri": "b", "label": "B", "group": "State", "degree": 0.7}]
    >>> {g: [r["label"] for r in top] for g, top in top_by_group(rows, "degree", 1).items()}
    {'Agreement': ['F'], 'State': ['B']}
    """
    groups = sorted({r.get("group") or "" for r in rows})
    return {group: top_nodes(rows, measure, n, {group}) for group in groups}


def node_sizes(G: nx.Graph, measure: str = "betweenness") -> dict[Any, float]:
    """Scores of ``measure`` (one of :data:`MEASURES`) to size the nodes of a drawing: ``{node: value}``.

    Every node of ``G`` gets a value (0.0 where the measure is undefined, e.g. eigenvector centrality
    that did not converge), so a drawing can scale them directly.

    Raises
    ------
    AnalysisError
        If ``measure`` is not one of :data:`MEASURES`.

    Examples
    --------
    >>> node_sizes(nx.path_graph(3), "degree")
    {0: 0.5, 1: 1.0, 2: 0.5}
    """
    functions = {
        "degree": degree_centrality,
        "weighted_degree": weighted_degree,
        "betweenness": betweenness_centrality,
        "pagerank": pagerank,
        "eigenvector": eigenvector_centrality,
        "closeness": closeness_centrality,
    }
    if measure not in functions:
        raise AnalysisError(f"unknown centrality {measure!r}: use one of {', '.join(MEASURES)}")
    scores = functions[measure](G)
    return {node: float(scores.get(node) or 0.0) for node in G}


def communities(
    G: nx.Graph, weight: str | None = "weight", resolution: float = 1.0, seed: int = SEED
) -> dict[Any, int]:
    """Louvain communities of the undirected view of ``G``: ``{node: community number}``.

    Communities are numbered from 1 by decreasing size, ties by their first node in ``G``'s order;
    the fixed ``seed`` makes the partition the same on every run.

    Parameters
    ----------
    G : networkx.Graph
        Any graph, e.g. :func:`graph.analysis.projection.coagreement_graph`; it is not modified.
    weight : str or None
        Edge attribute weighing the pairs (``None``: every pair weighs 1).
    resolution : float
        Louvain's resolution: above 1 favours smaller communities.
    seed : int
        Seed of Louvain's node order.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"), ("x", "z"), ("c", "x")])
    >>> communities(G)
    {'a': 1, 'b': 1, 'c': 1, 'x': 2, 'y': 2, 'z': 2}
    """
    H = undirected_view(G, weight) if weight is not None else undirected_view(G)
    if H.number_of_nodes() == 0:
        return {}
    parts = nx.community.louvain_communities(H, weight="weight" if weight else None, resolution=resolution, seed=seed)
    order = {node: i for i, node in enumerate(H)}
    ranked = sorted(parts, key=lambda part: (-len(part), min(order[node] for node in part)))
    membership = {node: number for number, part in enumerate(ranked, start=1) for node in part}
    return {node: membership[node] for node in H}


def community_table(
    G: nx.MultiDiGraph,
    H: nx.Graph,
    membership: dict[Any, int] | None = None,
    top: int = 5,
    lang: str = "en",
    seed: int = SEED,
) -> list[dict[str, Any]]:
    """Describe the communities of an actor graph ``H`` by their most central members and their minerals.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The projected graph (:func:`graph.analysis.projection.project`), where the minerals are read; not modified.
    H : networkx.Graph
        The actor graph the communities partition, e.g. :func:`graph.analysis.projection.coagreement_graph` of
        ``G``; not modified.
    membership : dict, optional
        ``{actor: community}`` from :func:`communities` on ``H`` (computed with ``seed`` if not given).
    top : int
        How many central members describe a community.

    Returns
    -------
    list of dict
        One row per community, in community order: ``community``, ``size``, ``central`` (labels of
        the ``top`` members of highest weighted degree in ``H``, ties by label), ``central_iris``,
        ``minerals`` (``[label, count]`` pairs: the minerals of the agreements and projects of its
        members, most frequent first), ``agreements`` (agreements all of whose parties, two or more,
        are members) and ``members`` (every member's label, sorted).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from(["USA", "Japan"], group="State")
    >>> G.add_node("deal", group="Agreement")
    >>> G.add_node("REE", group="Mineral", label_en="rare earths")
    >>> for u, v, key in [("deal", "USA", "party"), ("deal", "Japan", "party"), ("deal", "REE", "mineral")]:
    ...     _ = G.add_edge(u, v, key=key)
    >>> H = nx.Graph([("USA", "Japan", {"weight": 1})])
    >>> [(r["community"], r["size"], r["central"], r["minerals"], r["agreements"]) for r in community_table(G, H)]
    [(1, 2, ['Japan', 'USA'], [['rare earths', 1]], 1)]
    """
    membership = membership if membership is not None else communities(H, seed=seed)
    strength = weighted_degree(H, "weight")
    groups: dict[int, list[Any]] = {}
    for node, number in membership.items():
        groups.setdefault(number, []).append(node)
    rows = []
    for number in sorted(groups):
        members = groups[number]
        inside = set(members)
        ranked = sorted(members, key=lambda n: (-strength.get(n, 0.0), node_label(G, n, lang), str(n)))
        facts: set[Any] = set()
        for member in members:
            if member in G:
                facts.update(f for f, _, key in G.in_edges(member, keys=True) if key in ("party", "participant"))
        counts: dict[Any, int] = {}
        agreements = 0
        for fact in facts:
            for _, mineral, key in G.out_edges(fact, keys=True):
                if key == "mineral":
                    counts[mineral] = counts.get(mineral, 0) + 1
            parties = {v for _, v, key in G.out_edges(fact, keys=True) if key == "party"}
            if G.nodes[fact].get("group") == "Agreement" and len(parties) >= 2 and parties <= inside:
                agreements += 1
        minerals = sorted(counts.items(), key=lambda item: (-item[1], node_label(G, item[0], lang)))
        rows.append(
            {
                "community": number,
                "size": len(members),
                "central": [node_label(G, n, lang) for n in ranked[:top]],
                "central_iris": [str(n) for n in ranked[:top]],
                "minerals": [[node_label(G, m, lang), count] for m, count in minerals],
                "agreements": agreements,
                "members": sorted(node_label(G, n, lang) for n in members),
            }
        )
    return rows
