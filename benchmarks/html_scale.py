"""Time to interactive of the offline HTML page on a big graph, against a default pyvis export.

Builds a synthetic graph shaped like a cmkg projection (5,000 nodes: 2,000 entities and 3,000 facts;
15,000 fact-to-entity edges with preferential attachment, so a few states and minerals are hubs; every
fact and edge with sentences from 300 dated documents), writes it (1) with ``graph.export.html.write_html``
and (2) as a default pyvis export of the same nodes and edges (``Network(directed=True)`` + ``from_nx``,
pyvis's own template and physics; only ``cdn_resources="in_line"`` so that it opens offline too), opens
each in headless Chromium with every outside request refused, and prints the time to interactive of
each: from navigation start until the network has drawn and no node has moved for 200 ms, or the cap.
Then their ratio (target >= 10) and the file sizes.

Run: python benchmarks/html_scale.py [--nodes 5000] [--edges 15000] [--cap 120]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx
from playwright.sync_api import sync_playwright
from pyvis.network import Network

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from graph.analysis.measures import node_sizes  # noqa: E402
from graph.export.html import write_html  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ENTITY_GROUPS = (
    ("State", 200),
    ("InternationalOrganization", 60),
    ("GovernmentBody", 240),
    ("Company", 700),
    ("Person", 400),
    ("Mineral", 100),
    ("Place", 300),
)
FACT_GROUPS = ("Agreement", "Project", "Measure", "MarketShare")
RELATIONS = {"Agreement": "party", "Project": "participant", "Measure": "imposer", "MarketShare": "actor"}
WORDS = (
    "accord",
    "terres rares",
    "lithium",
    "cobalt",
    "raffinage",
    "exportations",
    "contrôles",
    "partenariat",
    "mine",
    "fonds",
    "stocks",
    "minerais critiques",
    "approvisionnement",
    "chaîne de valeur",
    "dépendance",
)

# Runs in every page before its own scripts: every 100 ms, once ``window.network`` exists and its canvas
# has pixels on it, compare the node positions with the previous look; the page is interactive at the
# first look after which nothing moved for 200 ms.
PROBE = """
(() => {
  let previous = null, stableSince = null;
  window.__tti = null;
  window.__drawn = null;
  const timer = setInterval(() => {
    const network = window.network;
    if (!network || !network.canvas || !network.body) { return; }
    const canvas = network.canvas.frame.canvas;
    if (!canvas.width || !canvas.height) { return; }
    const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let drawn = false;
    for (let i = 3; i < pixels.length; i += 4 * 97) { if (pixels[i] !== 0) { drawn = true; break; } }
    const now = performance.now();
    if (!drawn) { previous = null; stableSince = null; return; }
    if (window.__drawn === null) { window.__drawn = now; }
    const positions = network.getPositions();
    let moved = previous === null;
    if (!moved) {
      for (const id in positions) {
        const p = positions[id], q = previous[id];
        if (!q || Math.abs(p.x - q.x) > 0.5 || Math.abs(p.y - q.y) > 0.5) { moved = true; break; }
      }
    }
    if (moved) { stableSince = now; }
    else if (now - stableSince >= 200) { window.__tti = stableSince; clearInterval(timer); }
    previous = positions;
  }, 100);
})();
"""


def synthetic_graph(nodes: int, edges: int, seed: int = 7) -> nx.MultiDiGraph:
    """A projection-shaped graph: entities, facts linking them, sentences from dated documents."""
    rng = random.Random(seed)
    documents = [
        {
            "document": f"https://w3id.org/cmkg/doc/s{i:04d}",
            "title": f"Minerais critiques : dépêche n° {i}",
            "publisher": rng.choice(("Agence A", "Journal B", "Revue C")),
            "date": f"202{rng.randint(3, 5)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "url": f"https://example.org/depeches/{i}",
        }
        for i in range(300)
    ]
    G = nx.MultiDiGraph()
    scale = nodes / 5000
    entities: list[str] = []
    for group, count in ENTITY_GROUPS:
        for i in range(max(1, round(count * scale))):
            node = f"https://w3id.org/cmkg/id/{group}_{i}"
            G.add_node(
                node,
                cls=group,
                group=group,
                label_en=f"{group} {i}",
                label_fr=f"{group} {i} (fr)",
                wikidata=None,
                facts=[],
                evidence=[],
                documents=sorted(d["document"] for d in rng.sample(documents, rng.randint(1, 3))),
            )
            entities.append(node)
    facts = nodes - len(entities)
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(entities))]  # a few hubs, many leaves
    per_fact, extra = divmod(edges, facts)

    def sentence() -> tuple[dict, str]:
        doc = rng.choice(documents)
        words = " ".join(rng.choice(WORDS) for _ in range(14))
        return doc, f"Selon la dépêche, {words}, ont annoncé les parties."

    for i in range(facts):
        group = FACT_GROUPS[i % len(FACT_GROUPS)]
        node = f"https://w3id.org/cmkg/fact/{group.lower()}/{i:05d}"
        evidence = []
        for j in range(rng.randint(1, 3)):
            doc, quote = sentence()
            evidence.append(
                {
                    "claim": f"https://w3id.org/cmkg/claim/{i}-{j}",
                    "quote": quote,
                    **doc,
                    "method": f"pattern:{group.lower()}",
                    "confidence": 0.8,
                }
            )
        G.add_node(
            node,
            cls=group,
            group=group,
            label_en=f"{group} {i}",
            label_fr=f"{group} {i}",
            wikidata=None,
            facts=[{"property": "status", "value": "signed", "lang": None}],
            evidence=evidence,
            documents=[],
        )
        targets: set[str] = set()
        while len(targets) < per_fact + (1 if i < extra else 0):
            targets.add(rng.choices(entities, weights)[0])
        for target in sorted(targets):
            relation = "mineral" if G.nodes[target]["group"] == "Mineral" else RELATIONS[group]
            G.add_edge(
                node,
                target,
                key=relation,
                relation=relation,
                evidence=[rng.choice(evidence)],
                claims=[],
                evidence_count=1,
            )
    return G


def write_pyvis_default(G: nx.MultiDiGraph, path: Path) -> None:
    """The same nodes and edges through pyvis's defaults: its template, barnesHut physics, no positions."""
    plain = nx.MultiDiGraph()
    plain.add_nodes_from(
        (node, {"label": data["label_en"], "group": data["group"]}) for node, data in G.nodes(data=True)
    )
    plain.add_edges_from((u, v, key, {"title": data["relation"]}) for u, v, key, data in G.edges(keys=True, data=True))
    net = Network(directed=True, cdn_resources="in_line")
    net.from_nx(plain)
    path.write_text(net.generate_html(), encoding="utf-8")


def time_to_interactive(browser, path: Path, cap: float) -> tuple[float, bool, float | None]:
    """Seconds from navigation start to interactive (see PROBE), whether the cap was reached first, and
    seconds to the first drawing (None if never drawn)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.add_init_script(PROBE)
    page = context.new_page()
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://") else route.abort())
    page.goto(path.as_uri(), wait_until="commit", timeout=cap * 1000)
    deadline = time.monotonic() + cap
    tti = drawn = None
    while time.monotonic() < deadline:
        try:
            tti, drawn = page.evaluate("[window.__tti, window.__drawn]")
        except Exception:  # the page is busy or still navigating: look again
            tti = None
        if tti is not None:
            break
        time.sleep(0.25)
    context.close()
    first = None if drawn is None else drawn / 1000
    return (cap, True, first) if tti is None else (tti / 1000, False, first)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--edges", type=int, default=15000)
    parser.add_argument("--cap", type=float, default=120.0, help="Seconds to wait for a page before giving up.")
    args = parser.parse_args()

    G = synthetic_graph(args.nodes, args.edges)
    with tempfile.TemporaryDirectory() as tmp:
        ours, default = Path(tmp) / "cmkg.html", Path(tmp) / "pyvis-default.html"
        started = time.perf_counter()
        write_html(G, ours, "Synthetic critical-minerals graph", size_by=node_sizes(G, "degree"))
        ours_write = time.perf_counter() - started
        started = time.perf_counter()
        write_pyvis_default(G, default)
        default_write = time.perf_counter() - started

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
            ours_tti, ours_capped, ours_drawn = time_to_interactive(browser, ours, args.cap)
            default_tti, default_capped, default_drawn = time_to_interactive(browser, default, args.cap)
            browser.close()
        sizes = ours.stat().st_size / 1e6, default.stat().st_size / 1e6

    def shown(seconds: float, capped: bool, drawn: float | None) -> str:
        if not capped:
            return f"{seconds:.1f} s"
        first = "never drawn" if drawn is None else f"first drawn at {drawn:.1f} s, still moving"
        return f">= {seconds:.0f} s (cap; {first})"

    print(f"graph             {G.number_of_nodes()} nodes, {G.number_of_edges()} edges (synthetic, seed 7)")
    print(
        f"cmkg page         {sizes[0]:.1f} MB, written in {ours_write:.1f} s, "
        f"interactive in {shown(ours_tti, ours_capped, ours_drawn)}"
    )
    print(
        f"pyvis default     {sizes[1]:.1f} MB, written in {default_write:.1f} s, "
        f"interactive in {shown(default_tti, default_capped, default_drawn)}"
    )
    ratio = default_tti / ours_tti if ours_tti else float("inf")
    print(f"ratio             {'>= ' if default_capped else ''}{ratio:.1f}  (pyvis default / cmkg, target >= 10)")


if __name__ == "__main__":
    main()
