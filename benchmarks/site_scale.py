"""Time to write the static site of a 2,000-document corpus, and time until its index page is interactive.

A real 2,000-document build takes hours of extraction here, so the site is written from a synthetic
build of that size instead: the projection-shaped graph of ``benchmarks/html_scale.py`` (5,000 nodes:
2,000 entities and 3,000 facts, 15,000 fact-to-entity edges with a few hubs; one to three sentences per
fact), its sentences spread over 2,000 documents whose cleaned texts are made of those sentences, with
each claim's offsets. Centrality is the degree (the build's own scores come from ``analysis/``, which
the site only reads) and communities are Louvain's on the co-agreement graph, as in a build.

It times :func:`graph.export.site.site_files` plus writing the files (one process; graph.html
included), then opens ``index.html`` in headless Chromium with every outside request refused and
reports the time from navigation start to the end of the load event (the search script has run and
``window.cmkgReady`` is set), and the time of one search. Targets: written in under 60 s, interactive
in under 1 s. Reading ``graph.trig`` back (:func:`graph.export.site.load_site_input`) is not timed: it
is the same for every command that reads a build.

With ``--build DIR`` the site is written from a real build instead (for example the 2,000-document
build of ``benchmarks/corpus_scale.py --keep DIR``, whose build is ``DIR/out``); reading it back is still
not timed.

Run: python benchmarks/site_scale.py [--documents 2000] [--nodes 5000] [--edges 15000] [--build DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import zlib
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
for folder in (ROOT, ROOT / "benchmarks"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from html_scale import CHROMIUM_ARGS, synthetic_graph  # noqa: E402

from graph.analysis.measures import communities, degree_centrality  # noqa: E402
from graph.analysis.projection import coagreement_graph  # noqa: E402
from graph.export.site import SiteInput, load_site_input, site_files  # noqa: E402

WRITE_TARGET_S = 60.0
INTERACTIVE_TARGET_S = 1.0


def synthetic_site(documents: int, nodes: int, edges: int) -> SiteInput:
    """A :class:`graph.export.site.SiteInput` of ``documents`` documents over :func:`html_scale.synthetic_graph`."""
    G = synthetic_graph(nodes, edges)
    entries = {}
    for _, data in G.nodes(data=True):
        for entry in data.get("evidence", ()):
            entries[entry["claim"]] = entry
    texts: dict[str, list[str]] = {}
    spans: dict[str, dict[str, tuple[int, int]]] = {}
    meta: dict[str, dict[str, str]] = {}
    for claim in sorted(entries):
        entry = entries[claim]
        number = zlib.crc32(claim.encode()) % documents
        iri = f"https://w3id.org/cmkg/doc/d{number:05d}"
        old = entry["document"]
        entry["document"] = iri  # the same dict sits on the fact's edges too
        parts = texts.setdefault(iri, [f"Dépêche {number} ({old.rsplit('/', 1)[-1]})", ""])
        start = sum(len(p) + 1 for p in parts)
        parts.append(entry["quote"])
        spans.setdefault(iri, {})[claim] = (start, start + len(entry["quote"]))
        meta[iri] = {
            "title": entry["title"],
            "date": entry["date"],
            "publisher": entry["publisher"],
            "url": entry["url"],
        }
    for _, data in G.nodes(data=True):
        data["documents"] = sorted({e["document"] for e in data.get("evidence", ())})
    docs = [
        {
            **meta.get(iri, {"title": None, "date": None, "publisher": None, "url": None}),
            "iri": iri,
            "id": iri.rsplit("/", 1)[-1],
            "language": "fr",
            "author": None,
            "text": "\n".join(texts.get(iri, [f"Dépêche {i}"])),
            "spans": spans.get(iri, {}),
        }
        for i, iri in enumerate(f"https://w3id.org/cmkg/doc/d{n:05d}" for n in range(documents))
    ]
    degree = degree_centrality(G)
    scores = {str(n): {"betweenness": v, "degree": v} for n, v in degree.items()}
    membership = {str(k): v for k, v in communities(coagreement_graph(G)).items()}
    return SiteInput(G, docs, scores, membership)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--edges", type=int, default=15000)
    parser.add_argument("--build", type=Path, default=None, help="Write the site of this build folder instead.")
    args = parser.parse_args()

    if args.build is not None:
        site = load_site_input(args.build)
        args.documents = len(site.documents)
    else:
        site = synthetic_site(args.documents, args.nodes, args.edges)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "site"
        started = time.perf_counter()
        files = site_files(site, "en")
        for name, data in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        written = time.perf_counter() - started
        pages = sum(1 for name in files if name.endswith(".html"))
        size = sum(len(data) for data in files.values()) / 1e6

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
            page.goto((folder / "index.html").as_uri(), wait_until="load")
            page.wait_for_function("window.cmkgReady === true")
            interactive = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd") / 1000
            search = page.evaluate(
                "() => { const t = performance.now(); window.cmkgSearch('state 1'); return performance.now() - t; }"
            )
            index_kb = (folder / "site-index.js").stat().st_size / 1e3
            browser.close()

    kind = f"build {args.build}" if args.build is not None else "synthetic build"
    print(f"{kind}: {args.documents} documents, {site.G.number_of_nodes()} nodes, {site.G.number_of_edges()} edges")
    print("one process; pages rendered with Jinja2, graph.html included")
    print(
        f"written      {written:6.1f} s   {pages} pages, {size:.0f} MB   target < {WRITE_TARGET_S:.0f} s  "
        f"(ratio to target {written / WRITE_TARGET_S:.2f})"
    )
    print(
        f"interactive  {interactive:6.2f} s   index page, site-index.js {index_kb:.0f} kB   "
        f"target < {INTERACTIVE_TARGET_S:.0f} s  (ratio to target {interactive / INTERACTIVE_TARGET_S:.2f})"
    )
    print(f"one search   {search:6.1f} ms")


if __name__ == "__main__":
    main()
