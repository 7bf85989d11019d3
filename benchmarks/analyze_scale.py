"""Scale of the analysis: every measure on a generated graph of 50,000 nodes and 200,000 edges.

The graph has the shape of a projected cmkg build (:func:`graph.analysis.projection.project`): 5,000 entities
(states, organisations, bodies, companies, persons; 60 minerals under 10 broader ones) and 45,000 facts
(agreements, projects, measures, market shares) pointing to them, the actors chosen with Zipf-like
popularity so a few states are hubs, as in the news. Every fact has a sentence from one of 2,000
documents dated 2015–2026. Nothing is read from disk.

It prints the time of each measure on that graph (betweenness and closeness estimated from 500
sources, seed 42, as :mod:`graph.analysis.measures` does above 2,000 nodes), then exact versus sampled
betweenness: the exact run on 50,000 nodes takes hours on one core, so its time is extrapolated from
the sampled run (Brandes' algorithm costs the same per source), and the comparison of values is made
on a graph of 5,000 nodes and 20,000 edges from the same generator, where the exact run is feasible:
time ratio, Spearman rank correlation on the exact top 100, overlap of the two top-100 sets and the
largest absolute error. ``--exact-full`` runs the exact betweenness of the full graph instead (hours).

Run: python benchmarks/analyze_scale.py [--nodes 50000] [--edges 200000] [--compare-nodes 5000]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
from scipy.stats import spearmanr

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from graph.analysis import measures, subsets, supply  # noqa: E402
from graph.analysis.projection import coagreement_graph, supply_graph  # noqa: E402
from graph.analysis.timeline import timeline  # noqa: E402

ACTOR_SHARES = (
    ("State", 0.04),
    ("InternationalOrganization", 0.012),
    ("GovernmentBody", 0.1),
    ("Company", 0.6),
    ("Person", 0.248),
)
FACT_SHARES = (("Agreement", 0.35), ("Project", 0.2), ("Measure", 0.2), ("MarketShare", 0.25))
PROJECT_CLASSES = ("Mine", "Mine", "Refinery", "Plant", "Project", "Stockpile", "Fund")
MEASURE_CLASSES = ("ExportControl", "ExportControl", "Tariff", "Law", "PriceFloor")
STAGES = ("extraction", "refining", "processing", "magnets")
MINERALS, PARENT_MINERALS, DOCUMENTS = 60, 10, 2000


def generate(nodes: int = 50_000, edges: int = 200_000, seed: int = 7) -> nx.MultiDiGraph:
    """A projected-graph look-alike with exactly ``nodes`` nodes and ``edges`` edges."""
    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    entities = max(nodes // 10, MINERALS + 50)
    minerals = [f"id/Mineral_{i}" for i in range(MINERALS)]
    for i, mineral in enumerate(minerals):
        G.add_node(
            mineral,
            group="Mineral",
            cls="Mineral",
            label_en=f"Mineral {i}",
            label_fr=None,
            facts=[],
            evidence=[],
            documents=[],
        )
    actors: list[str] = []
    for group, share in ACTOR_SHARES:
        for i in range(max(1, round((entities - MINERALS) * share))):
            node = f"id/{group}_{i}"
            actors.append(node)
            G.add_node(
                node,
                group=group,
                cls=group,
                label_en=f"{group} {i}",
                label_fr=None,
                facts=[],
                evidence=[],
                documents=[],
            )
    states = [a for a in actors if a.startswith("id/State_")]
    actor_weights = _cumulative([1 / (rank + 1) ** 0.9 for rank in range(len(actors))])
    state_weights = _cumulative([1 / (rank + 1) ** 0.9 for rank in range(len(states))])
    mineral_weights = _cumulative([1 / (rank + 1) ** 0.7 for rank in range(MINERALS)])
    documents = [
        (f"doc/{i}", f"{rng.randint(2015, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
        for i in range(DOCUMENTS)
    ]
    budget = edges
    for child in minerals[PARENT_MINERALS:]:
        G.add_edge(
            child,
            rng.choice(minerals[:PARENT_MINERALS]),
            key="broader",
            relation="broader",
            claims=[],
            evidence=[],
            evidence_count=0,
        )
        budget -= 1

    facts = nodes - G.number_of_nodes()
    kinds = rng.choices([k for k, _ in FACT_SHARES], weights=[w for _, w in FACT_SHARES], k=facts)
    growable: list[tuple[str, str]] = []
    for i, kind in enumerate(kinds):
        node = f"fact/{kind}/{i}"
        document, date = rng.choice(documents)
        evidence = [
            {
                "claim": f"claim/{i}",
                "quote": f"Sentence {i}.",
                "document": document,
                "title": None,
                "publisher": None,
                "date": date,
                "url": None,
                "method": "pattern",
                "confidence": 0.8,
            }
        ]
        own: list[dict[str, Any]] = []
        links: list[tuple[str, str]] = [(rng.choices(minerals, cum_weights=mineral_weights)[0], "mineral")]
        if kind == "Agreement":
            cls = "Agreement"
            links += [(a, "party") for a in _distinct(rng, actors, actor_weights, 2)]
            if rng.random() < 0.5:
                own.append({"property": "date", "value": date[:7], "lang": None})
            growable.append((node, "party"))
        elif kind == "Project":
            cls = rng.choice(PROJECT_CLASSES)
            links += [
                (rng.choices(states, cum_weights=state_weights)[0], "location"),
                (rng.choices(actors, cum_weights=actor_weights)[0], "participant"),
            ]
            growable.append((node, "participant"))
        elif kind == "Measure":
            cls = rng.choice(MEASURE_CLASSES)
            links.append((rng.choices(states, cum_weights=state_weights)[0], "imposer"))
            if cls in ("ExportControl", "Tariff"):
                links.append((rng.choices(states, cum_weights=state_weights)[0], "target"))
                growable.append((node, "target"))
        else:
            cls = "MarketShare"
            stage = rng.choice(STAGES)
            links.append((rng.choices(states, cum_weights=state_weights)[0], "actor"))
            if rng.random() < 0.4:
                stage = "imports"
                links.append((rng.choices(states, cum_weights=state_weights)[0], "consumer"))
            own += [
                {"property": "stage", "value": stage, "lang": None},
                {"property": "percent", "value": str(rng.randint(1, 60)), "lang": None},
            ]
        G.add_node(
            node, group=kind, cls=cls, label_en=f"{cls} {i}", label_fr=None, facts=own, evidence=evidence, documents=[]
        )
        for target, relation in links:
            if not G.has_edge(node, target, key=relation):
                G.add_edge(
                    node,
                    target,
                    key=relation,
                    relation=relation,
                    claims=[evidence[0]["claim"]],
                    evidence=evidence,
                    evidence_count=rng.randint(1, 3),
                )
    count = G.number_of_edges()
    while count < edges:
        node, relation = rng.choice(growable)
        target = rng.choices(
            states if relation == "target" else actors,
            cum_weights=state_weights if relation == "target" else actor_weights,
        )[0]
        if not G.has_edge(node, target, key=relation):
            evidence = G.nodes[node]["evidence"]
            G.add_edge(
                node,
                target,
                key=relation,
                relation=relation,
                claims=[evidence[0]["claim"]],
                evidence=evidence,
                evidence_count=1,
            )
            count += 1
    excess = G.number_of_edges() - edges
    if excess > 0:
        raise SystemExit(f"generator overshot by {excess} edges: lower the required edges per fact")
    return G


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def _distinct(rng: random.Random, population: list[str], cum_weights: list[float], k: int) -> list[str]:
    chosen: list[str] = []
    while len(chosen) < k:
        pick = rng.choices(population, cum_weights=cum_weights)[0]
        if pick not in chosen:
            chosen.append(pick)
    return chosen


def timed(function: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def top_comparison(exact: dict[Any, float], sampled: dict[Any, float], n: int = 100) -> tuple[float, int, float]:
    """Spearman correlation of the two scores over the exact top ``n``, overlap of the two top-``n`` sets,
    and the largest absolute error over all nodes."""
    top_exact = sorted(exact, key=lambda node: (-exact[node], str(node)))[:n]
    top_sampled = sorted(sampled, key=lambda node: (-sampled[node], str(node)))[:n]
    rho = spearmanr([exact[node] for node in top_exact], [sampled[node] for node in top_exact]).statistic
    return float(rho), len(set(top_exact) & set(top_sampled)), max(abs(exact[v] - sampled[v]) for v in exact)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=50_000)
    parser.add_argument("--edges", type=int, default=200_000)
    parser.add_argument(
        "--compare-nodes",
        type=int,
        default=5_000,
        help="Size of the graph where exact and sampled betweenness are compared (edges: 4 per node).",
    )
    parser.add_argument("--k", type=int, default=measures.SAMPLE_SIZE, help="Sampled sources.")
    parser.add_argument("--seed", type=int, default=measures.SEED)
    parser.add_argument("--exact-full", action="store_true", help="Also run the exact betweenness of the full graph.")
    args = parser.parse_args()

    G, seconds = timed(lambda: generate(args.nodes, args.edges))
    print(
        f"generated graph: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges "
        f"({sum(1 for _, g in G.nodes(data='group') if g in ('Agreement', 'Project', 'Measure', 'MarketShare')):,} "
        f"facts) in {seconds:.1f} s"
    )
    exact_below, k, seed = measures.EXACT_BELOW, args.k, args.seed
    print(f"betweenness and closeness: exact below {exact_below:,} nodes, else {k} sampled sources (seed {seed})\n")

    H = coagreement_graph(G)
    S = supply_graph(G)
    top_supplier = supply.top_suppliers(G, 1)[0]
    steps: list[tuple[str, Callable[[], Any], str]] = [
        ("co-agreement graph", lambda: coagreement_graph(G), f"{H.number_of_edges():,} pairs of co-signatories"),
        ("supply graph", lambda: supply_graph(G), f"{S.number_of_edges():,} supply links"),
        ("degree", lambda: measures.degree_centrality(G), ""),
        ("weighted degree", lambda: measures.weighted_degree(G), ""),
        ("betweenness (sampled)", lambda: measures.betweenness_centrality(G, exact_below, k, seed), f"k = {k}"),
        ("pagerank", lambda: measures.pagerank(G), ""),
        ("eigenvector", lambda: measures.eigenvector_centrality(G), ""),
        ("closeness (sampled)", lambda: measures.closeness_centrality(G, exact_below, k, seed), f"k = {k}"),
        ("communities (Louvain)", lambda: measures.communities(H, seed=seed), "co-agreement graph"),
        ("concentration (HHI)", lambda: supply.concentration(G), ""),
        ("single points of failure", lambda: supply.single_point_table(G), f"{MINERALS} minerals"),
        ("exposure", lambda: supply.exposure(G, top_supplier), f"top supplier {G.nodes[top_supplier]['label_en']}"),
        ("as of 2020-12-31", lambda: subsets.as_of(G, "2020-12-31"), ""),
        ("timeline", lambda: timeline(G), "every fact"),
    ]
    print(f"{'measure':<26} {'seconds':>9}  result")
    results: dict[str, Any] = {}
    for name, function, note in steps:
        result, seconds = timed(function)
        results[name] = result
        size = (
            f"{len(result):,} rows"
            if isinstance(result, (list, dict))
            else (f"{result.number_of_nodes():,} nodes" if isinstance(result, nx.Graph) else "")
        )
        if name == "eigenvector" and not result:
            size = "did not converge"
        if name == "communities (Louvain)":
            size = f"{len(set(result.values())):,} communities"
        if name == "exposure":
            size = f"{len(result['dependants']):,} dependants, {len(result['alternatives']):,} alternatives"
        print(f"{name:<26} {seconds:>9.2f}  {size}{' · ' + note if note else ''}")
        if name == "betweenness (sampled)":
            sampled_seconds = seconds

    n = G.number_of_nodes()
    print(f"\nexact versus sampled betweenness on the {n:,}-node graph")
    if args.exact_full:
        exact, exact_seconds = timed(lambda: measures.betweenness_centrality(G, exact_below=n + 1))
        rho, overlap, error = top_comparison(exact, results["betweenness (sampled)"])
        print(
            f"  exact {exact_seconds:.1f} s, sampled {sampled_seconds:.1f} s: ratio {exact_seconds / sampled_seconds:.0f}x; "
            f"top 100: Spearman {rho:.3f}, overlap {overlap}/100; largest error {error:.4f}"
        )
    else:
        print(
            f"  sampled ({k} sources): {sampled_seconds:.1f} s; exact (all {n:,} sources), extrapolated: "
            f"{sampled_seconds * n / k:,.0f} s ({sampled_seconds * n / k / 3600:.1f} h): ratio {n / k:.0f}x"
        )

    small = generate(args.compare_nodes, 4 * args.compare_nodes, seed=11)
    m = small.number_of_nodes()
    print(f"\nexact versus sampled on a {m:,}-node, {small.number_of_edges():,}-edge graph of the same generator")
    exact, exact_seconds = timed(lambda: measures.betweenness_centrality(small, exact_below=m + 1))
    sampled, sampled_seconds = timed(lambda: measures.betweenness_centrality(small, exact_below=0, k=k, seed=seed))
    rho, overlap, error = top_comparison(exact, sampled)
    print(
        f"  betweenness: exact {exact_seconds:.1f} s, sampled {sampled_seconds:.1f} s (ratio "
        f"{exact_seconds / sampled_seconds:.1f}x); exact top 100: Spearman {rho:.3f}, overlap {overlap}/100; "
        f"largest absolute error {error:.4f} (Hoeffding bound at 95 %: {measures_bound(k):.3f})"
    )
    exact, exact_seconds = timed(lambda: measures.closeness_centrality(small, exact_below=m + 1))
    sampled, sampled_seconds = timed(lambda: measures.closeness_centrality(small, exact_below=0, k=k, seed=seed))
    rho, overlap, error = top_comparison(exact, sampled)
    print(
        f"  closeness:   exact {exact_seconds:.1f} s, sampled {sampled_seconds:.1f} s (ratio "
        f"{exact_seconds / sampled_seconds:.1f}x); exact top 100: Spearman {rho:.3f}, overlap {overlap}/100; "
        f"largest absolute error {error:.4f}"
    )


def measures_bound(k: int, delta: float = 0.05) -> float:
    """Hoeffding's half-width for a mean of ``k`` samples in [0, 1] at confidence ``1 - delta``."""
    import math

    return math.sqrt(math.log(2 / delta) / (2 * k))


if __name__ == "__main__":
    main()
