"""Tests of graph.export.html and ``cmkg export html``: the offline page, opened in a real headless
Chromium that refuses every request leaving the file."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner
from offline_page import Visit, open_offline
from playwright.sync_api import Browser, Page, sync_playwright
from rdflib import Dataset

from graph.analysis import projection as analyze
from graph.analysis import subsets
from graph.analysis.measures import MEASURES, node_sizes
from graph.cli import cli
from graph.errors import CmkgError
from graph.export.html import write_html
from graph.pipeline import build, load_build

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "fixtures" / "mini.trig"
ID = "https://w3id.org/cmkg/id/"
AGREEMENT = "https://w3id.org/cmkg/fact/agreement/abc"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOSTILE_LABEL = "<img src=x onerror=alert(1)>"
HOSTILE_QUOTE = "</script><script>alert(1)</script>"
HOSTILE_NODE = ID + "Evil_href"
HOSTILE_SENTENCE = "Pékin et <img src=x onerror=alert(1)> signent un accord sur les terres rares avec Tokyo."
HOSTILE_META = {
    "title": "</script><script>alert(1)</script>",
    "date": "2025-03-04",
    "publisher": "<img src=x onerror=alert(4)> \"Presse\" 'libre'",
    "author": "<svg onload=alert(5)>",
    "url": "javascript:alert(1)",
    "language": "fr",
    "kind": "web page",
}
HOSTILE_FIRST_LINE = "<script>alert(7)</script> Cobalt <img src=x onerror=alert(8)> : la RDC suspend"
UNTITLED_TEXT = f"""{HOSTILE_FIRST_LINE}

Pékin et Kinshasa discutent du cobalt.
"""
HOSTILE_TEXT = f"""Terres rares : un accord sous le signe du "soupçon"

{HOSTILE_SENTENCE}

Le 3 mars 2025, l'entreprise "Evil" 'Quote' Mining a annoncé une mine de lithium au Chili.

Washington impose des contrôles à l'exportation sur le gallium visant Pékin <b onmouseover=alert(3)>ici</b>.
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def visit(browser: Browser) -> Iterator[Callable[[Path], Visit]]:
    """Open a file in a fresh context that refuses and records every non-file request."""
    contexts = []

    def open_file(path: Path) -> Visit:
        result = open_offline(browser, path, contexts, width=1400)
        result.page.wait_for_function("window.cmkgReady === true", timeout=15_000)
        return result

    yield open_file
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def seeds(seeds_build: tuple[Path, Any]) -> tuple[Path, nx.MultiDiGraph]:
    """The seeds' page and the graph it must draw: what the documents say."""
    out, _ = seeds_build
    return out / "graph.html", subsets.attested(analyze.project(load_build(out)))


@pytest.fixture(scope="module")
def mini() -> nx.MultiDiGraph:
    ds = Dataset()
    ds.parse(FIXTURE, format="trig")
    return analyze.project(ds)


@pytest.fixture(scope="module")
def mini_html(mini: nx.MultiDiGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "mini.html"
    write_html(mini, path, "Critical minerals", subtitle="mini fixture", size_by=node_sizes(mini))
    return path


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, nx.MultiDiGraph]:
    """The real pipeline run on a document whose text and metadata carry markup and script."""
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "src").mkdir()
    (folder / "src" / "evil.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    (folder / "src" / "evil.meta.json").write_text(json.dumps(HOSTILE_META), encoding="utf-8")
    (folder / "src" / "untitled.txt").write_text(UNTITLED_TEXT, encoding="utf-8")
    build([folder / "src"], folder / "out", ontology_dir=ROOT / "ontology")
    return folder / "out" / "graph.html", subsets.attested(analyze.project(load_build(folder / "out")))


def hostile_graph() -> nx.MultiDiGraph:
    evidence = {
        "claim": "https://w3id.org/cmkg/claim/evil",
        "quote": HOSTILE_QUOTE,
        "document": "https://w3id.org/cmkg/doc/evil",
        "title": "<b>bold</b> href=javascript:alert(1)",
        "publisher": "<script>alert(2)</script>",
        "date": "2025-01-01",
        "url": "javascript:alert(1)",
        "method": "ner",
        "confidence": 0.5,
    }
    G = nx.MultiDiGraph()
    G.add_node(
        HOSTILE_NODE,
        cls="Company",
        group="Company",
        label_en=HOSTILE_LABEL,
        label_fr=HOSTILE_LABEL,
        wikidata='Q1"><script>alert(3)</script>',
        facts=[{"property": "role", "value": "<a href='javascript:alert(4)'>x</a>", "lang": None}],
        evidence=[evidence],
        documents=["https://w3id.org/cmkg/doc/evil"],
    )
    G.add_node(ID + "China", cls="State", group="State", label_en="China", label_fr="Chine", facts=[], evidence=[])
    G.add_node(
        ID + "Odd",
        cls="<i>Odd</i>",
        group="<b onclick=alert(6)>Odd</b>",
        label_en="Odd",
        facts=[],
        evidence=[],
        documents=[],
    )
    G.add_node(
        "__proto__", cls="constructor", group="constructor", label_en="toString", facts=[], evidence=[], documents=[]
    )
    G.add_edge(
        HOSTILE_NODE,
        ID + "China",
        key="affiliatedWith",
        relation="affiliatedWith",
        claims=[evidence["claim"]],
        evidence=[evidence],
        evidence_count=1,
    )
    return G


def panel_text(page: Page) -> str:
    return page.locator("#cmkg-panel").inner_text()


def page_data(path: Path) -> dict[str, Any]:
    """The JSON data block of a written page."""
    text = path.read_text(encoding="utf-8")
    match = re.search(r'<script type="application/json" id="cmkg-data">(.*?)</script>', text, re.DOTALL)
    assert match is not None
    return json.loads(match.group(1))


def search(page: Page, query: str) -> list[str]:
    """Type ``query`` into the search box and return the suggestions shown."""
    box = page.locator("#cmkg-search-ts-control")
    box.fill("")
    box.type(query)
    options = page.locator(".ts-wrapper:has(#cmkg-search-ts-control) .ts-dropdown .option")
    options.first.wait_for(timeout=5_000)
    return options.all_inner_texts()


def visible_nodes(page: Page) -> list[str]:
    return page.evaluate("network.body.nodeIndices.slice()")


def click_node(page: Page, node: str) -> None:
    point = page.evaluate("id => network.canvasToDOM(network.getPositions([id])[id])", node)
    box = page.locator("#cmkg-network").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


def quote_text(text: str) -> str:
    return " ".join(text.split())


# --- The seeds' page -------------------------------------------------------------------------------


def test_export_html_seeds_load_offline_and_draw_the_whole_graph(
    seeds: tuple[Path, nx.MultiDiGraph], visit: Callable[[Path], Visit]
) -> None:
    path, G = seeds
    seen = visit(path)
    assert seen.outside == []
    assert seen.errors == []
    drawn = G.number_of_nodes() - len(subsets.mentioned_only(G))  # the entities only mentioned wait hidden
    assert seen.page.evaluate("window.cmkgStats") == {"nodes": drawn, "edges": G.number_of_edges()}
    assert seen.page.evaluate("network.physics.options.enabled") is False
    # Every entity drawn is one the documents mention or state something about; every edge has a sentence.
    data = page_data(path)
    assert all(n["evidence"] or n["documents"] or n["group"] in subsets.FACT_GROUPS for n in data["nodes"])
    assert all(e["evidence"] for e in data["edges"])
    # Entity labels are drawn at the default zoom: 24 px labels at least 9 px on screen.
    assert seen.page.evaluate("network.getScale()") * 24 >= 9
    legend = seen.page.locator("#cmkg-legend").inner_text()
    assert f"State {sum(1 for _, d in G.nodes(data=True) if d['group'] == 'State')}" in legend
    header = seen.page.locator("#cmkg-header").inner_text()
    assert "5 documents" in header and "newest 2026-02-07" in header and "How to read this" in header
    (ROOT / "out").mkdir(exist_ok=True)
    seen.page.screenshot(path=ROOT / "out" / "graph.png")


def test_export_html_seeds_file_is_self_contained(seeds: tuple[Path, nx.MultiDiGraph]) -> None:
    path, _ = seeds
    text = path.read_text(encoding="utf-8")
    outside_data = text.replace(re.search(r'<script type="application/json".*?</script>', text, re.DOTALL).group(0), "")
    assert not re.search(r"<script\b[^>]*\bsrc\s*=", text, re.IGNORECASE)
    assert not re.search(r"<link\b", text, re.IGNORECASE)
    assert not re.search(r"""\b(src|href)\s*=\s*["']?https?:""", outside_data, re.IGNORECASE)
    for word in ("node_modules", "cdn.jsdelivr.net", "cdnjs.cloudflare.com", "bootstrap"):
        assert word not in outside_data
    assert "vis-network" in text and "Tom Select" in text  # both libraries inlined
    assert "default-src 'none'" in text and "'unsafe-inline'" not in text.split("script-src")[1].split(";")[0]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("Japon", "Japan"),
        ("japan", "Japan"),
        ("JAPON", "Japan"),
        ("etats-unis", "United States"),
        ("Pekin", "Beijing"),
        ("chine", "China"),
    ],
)
def test_export_html_seeds_search_ignores_case_and_accents(
    seeds: tuple[Path, nx.MultiDiGraph], visit: Callable[[Path], Visit], query: str, expected: str
) -> None:
    path, _ = seeds
    seen = visit(path)
    suggestions = search(seen.page, query)
    assert suggestions[0].startswith("\u25cf" + expected + " \u00b7 ")
    seen.page.keyboard.press("Enter")
    assert seen.page.locator("#cmkg-panel h2").inner_text() == expected
    assert seen.errors == [] and seen.outside == []


def test_export_html_seeds_class_filter_hides_the_others(
    seeds: tuple[Path, nx.MultiDiGraph], visit: Callable[[Path], Visit]
) -> None:
    path, G = seeds
    seen = visit(path)
    seen.page.click("#cmkg-none")
    assert visible_nodes(seen.page) == []
    seen.page.check("#cmkg-legend input[value=State]")
    mentioned = set(subsets.mentioned_only(G))
    states = {n for n, d in G.nodes(data=True) if d["group"] == "State"}
    assert set(visible_nodes(seen.page)) == states - mentioned
    assert seen.page.evaluate("network.body.edgeIndices.length") == 0
    seen.page.click("#cmkg-mentioned-toggle")
    assert set(visible_nodes(seen.page)) == states
    seen.page.click("#cmkg-all")
    assert len(visible_nodes(seen.page)) == G.number_of_nodes()


def test_export_html_seeds_mineral_and_country_filters(
    seeds: tuple[Path, nx.MultiDiGraph], visit: Callable[[Path], Visit]
) -> None:
    path, G = seeds
    seen = visit(path)
    japan, ree = ID + "Japan", ID + "Rare_earth_elements"
    box = seen.page.locator("#cmkg-country-ts-control")
    box.click()
    box.type("japan")
    seen.page.keyboard.press("Enter")
    assert set(visible_nodes(seen.page)) == set(subsets.focus(G, japan, 1))
    seen.page.evaluate("id => window.cmkg.filter({country: '', mineral: id})", ree)
    mentioned = set(subsets.mentioned_only(G))  # hidden until the toggle shows them, whatever the filter
    assert set(visible_nodes(seen.page)) == set(subsets.by_mineral(G, ree)) - mentioned
    seen.page.click("#cmkg-reset")
    assert len(visible_nodes(seen.page)) == G.number_of_nodes() - len(subsets.mentioned_only(G))


def test_export_html_seeds_us_japan_agreement_shows_both_documents(
    seeds: tuple[Path, nx.MultiDiGraph], visit: Callable[[Path], Visit]
) -> None:
    path, G = seeds
    framework = [
        n
        for n, d in G.nodes(data=True)
        if d["group"] == "Agreement"
        and {ID + "Japan", ID + "United_States"} <= set(G.successors(n))
        and len({e["document"] for e in d["evidence"]}) >= 2
    ]
    assert len(framework) == 1
    node = framework[0]
    evidence = G.nodes[node]["evidence"]
    seen = visit(path)
    click_node(seen.page, node)
    seen.page.wait_for_function(f"document.querySelectorAll('#cmkg-panel blockquote').length >= {len(evidence)}")
    assert seen.page.locator("#cmkg-panel h2").inner_text() == G.nodes[node]["label_en"]
    # The fact's line (graph.analysis.wording), set as text under the heading.
    assert seen.page.locator("#cmkg-panel .cmkg-line").inner_text() == (
        "Japan and United States — framework on critical minerals and rare earth elements, signed (2025-10-28)"
    )
    line = seen.page.locator("#cmkg-panel .cmkg-line").bounding_box()
    assert line is not None and line["width"] > 300  # the panel's width, not the legend swatch's 18 px
    quotes = [quote_text(q) for q in seen.page.locator("#cmkg-panel h2 ~ ol blockquote").all_inner_texts()]
    assert quotes == [quote_text(e["quote"]) for e in evidence]
    text = panel_text(seen.page)
    assert "Etats-Unis et Japon signent un accord sur les terres rares" in text  # document 004's title
    assert "Français Fois (Le Monde avec AFP), 2025-10-28" in text
    # Document 003 has no title: its first line stands in, marked, with its id.
    assert "untitled: Fin octobre 2025, lors d'une visite à Tokyo" in text
    assert "003_bd6bbf2148b67aeb" in text
    assert "method: pattern:agreement" in text and "confidence: 0." in text
    # The click also lit up its neighbourhood: the parties keep their colour, far nodes fade.
    colours = seen.page.evaluate(
        "ids => ids.map(id => network.body.data.nodes.get(id).color)", [ID + "Japan", ID + "Brazil"]
    )
    assert colours[0] != "#e4e4e4" and colours[1] == "#e4e4e4"
    # The README's picture (docs/graph.png) is a copy of this one.
    (ROOT / "out").mkdir(exist_ok=True)
    seen.page.screenshot(path=ROOT / "out" / "graph-agreement.png")


def test_export_html_seeds_mentioned_only_entities_wait_hidden_behind_a_toggle(
    seeds: tuple[Path, nx.MultiDiGraph], visit: Callable[[Path], Visit]
) -> None:
    path, G = seeds
    data = page_data(path)
    mentioned = sorted(n["id"] for n in data["nodes"] if n["onlyMentioned"])
    assert mentioned == sorted(subsets.mentioned_only(G)) and len(mentioned) > 10
    # Drawn apart: every one of them under every other node.
    y = {n["id"]: n["y"] for n in data["vis"]["nodes"]}
    assert min(y[n] for n in mentioned) > max(y[n] for n in y if n not in mentioned)
    seen = visit(path)
    page = seen.page
    line = page.locator("#cmkg-mentioned")
    assert line.inner_text() == f"{len(mentioned)} entities only mentioned \u2014 hidden show"
    shown = set(visible_nodes(page))
    assert shown == set(G) - set(mentioned)
    scale = page.evaluate("network.getScale()")
    # A button, reached and pressed from the keyboard.
    toggle = page.locator("#cmkg-mentioned-toggle")
    assert toggle.evaluate("b => b.tagName") == "BUTTON" and toggle.get_attribute("aria-pressed") == "false"
    toggle.focus()
    page.keyboard.press("Enter")
    assert set(visible_nodes(page)) == set(G)
    assert page.evaluate("network.getScale()") < scale  # the view makes room for them; hidden, they took none
    assert line.inner_text() == f"{len(mentioned)} entities only mentioned \u2014 shown hide"
    assert toggle.get_attribute("aria-pressed") == "true"
    page.keyboard.press("Space")
    assert set(visible_nodes(page)) == shown
    # Looking one up shows them again, so that it can be seen.
    assert page.evaluate("id => window.cmkg.select(id)", mentioned[0]) is True
    assert mentioned[0] in visible_nodes(page) and toggle.get_attribute("aria-pressed") == "true"
    assert seen.errors == [] and seen.outside == []


@pytest.mark.parametrize(
    "lang, hidden, shown, button",
    [
        ("en", "entities only mentioned \u2014 hidden", "entities only mentioned \u2014 shown", "show"),
        ("fr", "entités seulement citées \u2014 masquées", "entités seulement citées \u2014 affichées", "afficher"),
    ],
)
def test_export_html_mentioned_only_line_in_the_language(
    seeds: tuple[Path, nx.MultiDiGraph],
    tmp_path: Path,
    visit: Callable[[Path], Visit],
    lang: str,
    hidden: str,
    shown: str,
    button: str,
) -> None:
    _, G = seeds
    path = tmp_path / "page.html"
    write_html(G, path, "t", lang=lang)
    count = sum(1 for n in page_data(path)["nodes"] if n["onlyMentioned"])
    seen = visit(path)
    assert seen.page.locator("#cmkg-mentioned-line").inner_text() == f"{count} {hidden}"
    assert seen.page.locator("#cmkg-mentioned-toggle").inner_text() == button
    seen.page.click("#cmkg-mentioned-toggle")
    assert seen.page.locator("#cmkg-mentioned-line").inner_text() == f"{count} {shown}"


def test_export_html_without_mentioned_only_entities_has_no_toggle(
    mini: nx.MultiDiGraph, tmp_path: Path, visit: Callable[[Path], Visit]
) -> None:
    H = subsets.min_degree(mini, 1)
    assert subsets.mentioned_only(H) == []
    path = tmp_path / "page.html"
    write_html(H, path, "t")
    assert not any(n["onlyMentioned"] for n in page_data(path)["nodes"])
    seen = visit(path)
    assert seen.page.locator("#cmkg-mentioned, #cmkg-mentioned-toggle").count() == 0
    seen.page.click("#cmkg-reset")
    assert len(visible_nodes(seen.page)) == H.number_of_nodes()
    assert seen.errors == []


def untitled_graph(first_line: str) -> nx.MultiDiGraph:
    """One state mentioned by one document without a title, whose first line is ``first_line``."""
    document = "https://w3id.org/cmkg/doc/untitled"
    G = nx.MultiDiGraph()
    G.add_node(ID + "China", group="State", label_en="China", facts=[], evidence=[], documents=[document])
    G.graph["documents"] = {
        document: {"title": None, "publisher": "Presse", "date": None, "url": None, "first_line": first_line}
    }
    return G


@pytest.mark.parametrize("lang, marker", [("en", "untitled:"), ("fr", "sans titre :")])
def test_export_html_untitled_document_shows_its_first_line(
    tmp_path: Path, visit: Callable[[Path], Visit], lang: str, marker: str
) -> None:
    path = tmp_path / "page.html"
    write_html(untitled_graph("Le cobalt congolais, un an après"), path, "t", lang=lang)
    seen = visit(path)
    source = seen.page.locator("#cmkg-panel li .cmkg-meta")
    assert source.inner_text() == f"{marker} Le cobalt congolais, un an après \u2014 untitled, Presse"
    italic = seen.page.locator("#cmkg-panel .cmkg-untitled")
    assert italic.inner_text() == "Le cobalt congolais, un an après"
    assert italic.evaluate("e => getComputedStyle(e).fontStyle") == "italic"


# --- Safety -----------------------------------------------------------------------------------------


def test_export_html_hostile_document_stays_text(
    hostile_build: tuple[Path, nx.MultiDiGraph], visit: Callable[[Path], Visit]
) -> None:
    path, G = hostile_build
    raw = path.read_text(encoding="utf-8")
    for text in (
        HOSTILE_SENTENCE,
        HOSTILE_META["title"],
        HOSTILE_META["publisher"],
        "<b onmouseover",
        "<script>alert(7)",
    ):
        assert text not in raw
    seen = visit(path)
    assert HOSTILE_META["title"] in panel_text(seen.page)  # the sources listed at load
    # The untitled document's first line, marked, as text.
    assert f"untitled: {HOSTILE_FIRST_LINE} \u2014 untitled" in panel_text(seen.page)
    assert seen.page.locator("#cmkg-panel .cmkg-untitled").inner_text() == HOSTILE_FIRST_LINE
    agreement = next(n for n, d in G.nodes(data=True) if d["group"] == "Agreement")
    assert seen.page.evaluate("id => window.cmkgShow(id)", agreement) is True
    text = panel_text(seen.page)
    assert HOSTILE_SENTENCE in text
    assert HOSTILE_META["title"] in text and HOSTILE_META["publisher"] in text
    assert HOSTILE_SENTENCE not in seen.page.locator("#cmkg-panel .cmkg-line").inner_text()
    measure = next(n for n, d in G.nodes(data=True) if d["group"] == "Measure")
    seen.page.evaluate("id => window.cmkgShow(id)", measure)
    assert "<b onmouseover=alert(3)>ici</b>" in panel_text(seen.page)
    assert "Quote' Mining" in " ".join(search(seen.page, "quote"))
    hrefs = seen.page.eval_on_selector_all("a", "links => links.map(a => a.getAttribute('href') || '')")
    assert all(href.startswith(("https://", "http://")) for href in hrefs)
    assert seen.page.locator("img, svg, b").count() == 0
    assert seen.dialogs == [] and seen.errors == [] and seen.outside == []


def test_export_html_hostile_graph_stays_text(tmp_path: Path, visit: Callable[[Path], Visit]) -> None:
    path = tmp_path / "hostile.html"
    write_html(hostile_graph(), path, "<script>alert(5)</script>", subtitle=HOSTILE_LABEL)
    seen = visit(path)
    page = seen.page
    assert page.locator("#cmkg-header h1").inner_text() == "<script>alert(5)</script>"
    assert page.locator("#cmkg-subtitle").inner_text() == HOSTILE_LABEL
    assert "<b onclick=alert(6)>Odd</b>" in page.locator("#cmkg-legend").inner_text()
    assert page.evaluate("window.cmkgShow('__proto__')") is True
    assert page.locator("#cmkg-panel h2").inner_text() == "toString"
    assert page.evaluate("id => window.cmkgShow(id)", HOSTILE_NODE) is True
    assert page.locator("#cmkg-panel h2").inner_text() == HOSTILE_LABEL
    assert "<a href='javascript:alert(4)'>x</a>" in panel_text(page)
    assert HOSTILE_QUOTE in panel_text(page)
    assert search(page, "onerror") == ["\u25cf" + HOSTILE_LABEL + " \u00b7 Company"]
    page.keyboard.press("Escape")
    # The tooltip is text too.
    page.evaluate(
        "id => network.moveTo({scale: 1, position: network.getPositions([id])[id], animation: false})", HOSTILE_NODE
    )
    point = page.evaluate("id => network.canvasToDOM(network.getPositions([id])[id])", HOSTILE_NODE)
    box = page.locator("#cmkg-network").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=5_000)
    assert tooltip.inner_text().startswith(HOSTILE_LABEL)
    # vis-network sets the title as innerText: line breaks become <br>, nothing else becomes markup.
    assert tooltip.evaluate("element => [...element.querySelectorAll('*')].map(e => e.tagName)") == ["BR", "BR"]
    hrefs = page.eval_on_selector_all("a", "links => links.map(a => a.getAttribute('href') || '')")
    assert not [href for href in hrefs if href.strip().lower().startswith("javascript:")]
    assert page.locator("img, i, b").count() == 0
    assert seen.dialogs == [] and seen.errors == [] and seen.outside == []


def test_export_html_policy_blocks_injected_scripts(mini_html: Path, visit: Callable[[Path], Visit]) -> None:
    seen = visit(mini_html)
    ran = seen.page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.injected = true";
        document.body.appendChild(script);
        return window.injected === true;
    }""")
    assert ran is False
    assert any("Content Security Policy" in error for error in seen.errors)


# --- The mini fixture: panel, language, determinism -----------------------------------------------------


def test_export_html_mini_edge_panel(mini_html: Path, visit: Callable[[Path], Visit]) -> None:
    seen = visit(mini_html)
    edge_id = seen.page.evaluate(
        "([from, to]) => network.body.data.edges.get().find(e => e.from === from && e.to === to).id",
        [AGREEMENT, ID + "Japan"],
    )
    assert seen.page.evaluate("id => window.cmkgShow(id)", edge_id) is True
    assert seen.page.locator("#cmkg-panel blockquote").count() == 2
    hrefs = seen.page.eval_on_selector_all("#cmkg-panel a", "links => links.map(a => a.getAttribute('href'))")
    assert hrefs == ["https://example.org/news/us-japan-framework", "https://example.fr/terres-rares"]


@pytest.mark.parametrize(
    "lang, line", [("en", "framework on rare earth elements, signed (2025-10)"), ("fr", "accord-cadre (terres rares)")]
)
def test_export_html_fact_line_in_the_language(mini: nx.MultiDiGraph, tmp_path: Path, lang: str, line: str) -> None:
    path = tmp_path / "page.html"
    write_html(mini, path, "t", lang=lang)
    assert line in next(n["line"] for n in page_data(path)["nodes"] if n["id"] == AGREEMENT)


@pytest.mark.parametrize("lang, label, legend", [("en", "China", "State"), ("fr", "Chine", "État")])
def test_export_html_language(
    mini: nx.MultiDiGraph, tmp_path: Path, visit: Callable[[Path], Visit], lang: str, label: str, legend: str
) -> None:
    path = tmp_path / "page.html"
    write_html(mini, path, "Minerais critiques", lang=lang)
    seen = visit(path)
    seen.page.evaluate("id => window.cmkgShow(id)", ID + "China")
    assert seen.page.locator("#cmkg-panel h2").inner_text() == label
    assert seen.page.evaluate("document.documentElement.lang") == lang
    assert legend in seen.page.locator("#cmkg-legend").inner_text()


# --- Links to pages: only when the static site passes them ---------------------------------------------


def test_export_html_seeds_stand_alone_page_links_to_no_page(
    seeds: tuple[Path, nx.MultiDiGraph], visit: Callable[[Path], Visit]
) -> None:
    path, _ = seeds  # the build's own graph.html: no site beside it
    assert not [n["id"] for n in page_data(path)["nodes"] if "page" in n]
    seen = visit(path)
    assert seen.page.evaluate("id => window.cmkg.select(id)", ID + "China") is True
    assert seen.page.locator("#cmkg-panel h2").inner_text() == "China"
    assert seen.page.locator("#cmkg-panel .cmkg-page").count() == 0
    hrefs = seen.page.eval_on_selector_all("#cmkg-panel a", "links => links.map(a => a.getAttribute('href'))")
    assert hrefs and all(href.startswith("https://") for href in hrefs)  # Wikidata and sources only


@pytest.mark.parametrize("lang, words", [("en", "Open its page"), ("fr", "Ouvrir sa page")])
def test_export_html_pages_link_the_panel_in_the_language(
    mini: nx.MultiDiGraph, tmp_path: Path, visit: Callable[[Path], Visit], lang: str, words: str
) -> None:
    path = tmp_path / "graph.html"
    write_html(mini, path, "t", lang=lang, pages={ID + "China": "entity/china.html"})
    assert [n["id"] for n in page_data(path)["nodes"] if "page" in n] == [ID + "China"]
    seen = visit(path)
    seen.page.evaluate("id => window.cmkgShow(id)", ID + "Japan")
    assert seen.page.locator("#cmkg-panel .cmkg-page").count() == 0  # no page given, no link
    seen.page.evaluate("id => window.cmkgShow(id)", ID + "China")
    link = seen.page.locator("#cmkg-panel .cmkg-page a")
    assert link.inner_text() == words
    assert link.get_attribute("href") == "entity/china.html"
    assert link.get_attribute("target") is None  # the site's own page, in the same tab
    assert seen.errors == [] and seen.outside == []


def test_export_html_double_click_opens_the_page(
    mini: nx.MultiDiGraph, tmp_path: Path, visit: Callable[[Path], Visit]
) -> None:
    (tmp_path / "entity").mkdir()
    (tmp_path / "entity" / "china.html").write_text("<title>China's page</title>", encoding="utf-8")
    path = tmp_path / "graph.html"
    write_html(mini, path, "t", pages={ID + "China": "entity/china.html"})
    seen = visit(path)
    point = seen.page.evaluate("id => network.canvasToDOM(network.getPositions([id])[id])", ID + "China")
    box = seen.page.locator("#cmkg-network").bounding_box()
    assert box is not None
    seen.page.mouse.dblclick(box["x"] + point["x"], box["y"] + point["y"])
    seen.page.wait_for_url("**/entity/china.html", timeout=5_000)
    assert seen.page.title() == "China's page"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)//x.html",
        "https://example.org/entity/china.html",
        "//example.org/china.html",
        "/etc/china.html",
        "entity/../../china.html",
        "entity/china.html?q=1",
        'entity/china.html"><b>',
        "entity/china",
    ],
)
def test_export_html_pages_must_be_relative_html_paths(mini: nx.MultiDiGraph, tmp_path: Path, url: str) -> None:
    with pytest.raises(CmkgError, match="not a relative page URL"):
        write_html(mini, tmp_path / "graph.html", "t", pages={ID + "China": url})
    assert not (tmp_path / "graph.html").exists()


def test_export_html_page_script_links_no_url_the_data_did_not_pass(
    mini: nx.MultiDiGraph, tmp_path: Path, visit: Callable[[Path], Visit]
) -> None:
    """Data edited after writing (the policy hashes scripts, not data) still cannot make a javascript: link."""
    path = tmp_path / "graph.html"
    write_html(mini, path, "t", pages={ID + "China": "entity/china.html"})
    text = path.read_text(encoding="utf-8")
    assert text.count('"page": "entity/china.html"') == 1
    path.write_text(text.replace('"page": "entity/china.html"', '"page": "javascript:alert(1)//.html"'), "utf-8")
    seen = visit(path)
    seen.page.evaluate("id => window.cmkgShow(id)", ID + "China")
    assert seen.page.locator("#cmkg-panel h2").inner_text() == "China"
    assert seen.page.locator("#cmkg-panel .cmkg-page").count() == 0
    assert seen.errors == [] and seen.dialogs == []


def test_export_html_is_deterministic_and_leaves_graph_alone(mini: nx.MultiDiGraph, tmp_path: Path) -> None:
    before = (list(mini.nodes(data=True)), list(mini.edges(keys=True, data=True)))
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    write_html(mini, first, "t")
    write_html(mini, second, "t")
    assert first.read_bytes() == second.read_bytes()
    assert (list(mini.nodes(data=True)), list(mini.edges(keys=True, data=True))) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html", "b.html"]


def test_export_html_same_bytes_in_every_python_process(tmp_path: Path) -> None:
    """Layouts depend on node order; set order changes with the hash seed of each process."""
    script = """
import sys
import networkx as nx
from graph.export.html import write_html
G = nx.MultiDiGraph()
for i in range(40):
    G.add_node(f"id/n{i}", group="State" if i % 2 else "Agreement", label_en=f"Node {i}", facts=[], evidence=[])
for i in range(39):
    if i % 4 != 3:
        G.add_edge(f"id/n{i}", f"id/n{i + 1}", key="party", relation="party", evidence=[])
write_html(G, sys.argv[1], "t")
"""
    pages = []
    for seed in ("1", "2"):
        path = tmp_path / f"page{seed}.html"
        subprocess.run(
            [sys.executable, "-c", script, str(path)], check=True, cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": seed}
        )
        pages.append(path.read_bytes())
    assert pages[0] == pages[1]


def test_export_html_unknown_language_is_refused(mini: nx.MultiDiGraph, tmp_path: Path) -> None:
    with pytest.raises(CmkgError, match="unsupported page language 'de'"):
        write_html(mini, tmp_path / "page.html", "t", lang="de")


def test_export_html_layout_of_a_large_graph_is_quick(tmp_path: Path) -> None:
    G = nx.gnm_random_graph(3000, 6000, seed=1, directed=True)
    H = nx.MultiDiGraph()
    for node in G:
        H.add_node(
            f"n{node}",
            group="Agreement" if node % 3 == 0 else "State",
            label_en=f"Node {node}",
            facts=[],
            evidence=[],
            documents=[],
        )
    H.add_edges_from((f"n{u}", f"n{v}", "party", {"relation": "party", "evidence": []}) for u, v in G.edges())
    path = tmp_path / "large.html"
    import time

    started = time.perf_counter()
    write_html(H, path, "large")
    assert time.perf_counter() - started < 20
    data = page_data(path)
    assert len(data["vis"]["nodes"]) == 3000 and all("x" in n and "y" in n for n in data["vis"]["nodes"])
    assert data["vis"]["options"]["physics"]["enabled"] is False


# --- cmkg export html ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options, expected",
    [
        (["--focus", "Japon", "--depth", "1"], lambda G: subsets.focus(G, ID + "Japan", 1)),
        (["--mineral", "terres rares"], lambda G: subsets.by_mineral(G, ID + "Rare_earth_elements")),
        (
            ["--as-of", "2025-12-31", "--min-degree", "2"],
            lambda G: subsets.min_degree(subsets.as_of(G, "2025-12-31"), 2),
        ),
    ],
)
def test_export_html_cli_writes_the_subset(
    seeds_build: tuple[Path, Any],
    seeds: tuple[Path, nx.MultiDiGraph],
    tmp_path: Path,
    options: list[str],
    expected: Callable[[nx.MultiDiGraph], nx.MultiDiGraph],
) -> None:
    out, _ = seeds_build
    _, G = seeds
    target = tmp_path / "subset.html"
    result = CliRunner().invoke(
        cli, ["export", "html", "--out", str(out), "--to", str(target), "--lang", "fr", *options]
    )
    assert result.exit_code == 0, result.output
    want = expected(G)
    assert result.output == f"wrote {want.number_of_nodes()} nodes and {want.number_of_edges()} relations to {target}\n"
    data = page_data(target)
    assert {n["id"] for n in data["nodes"]} == set(want)
    assert len(data["edges"]) == want.number_of_edges()


@pytest.mark.parametrize(
    "options, message",
    [
        (["--focus", "Atlantis"], "Error: no node named 'Atlantis' in the graph"),
        (["--mineral", "Japon"], "Error: no mineral named 'Japon' in the graph"),
        (["--as-of", "2025-13-01"], "Error: not a date: '2025-13-01' (use YYYY-MM-DD)"),
    ],
)
def test_export_html_cli_errors(
    seeds_build: tuple[Path, Any], tmp_path: Path, options: list[str], message: str
) -> None:
    out, _ = seeds_build
    result = CliRunner().invoke(cli, ["export", "html", "--out", str(out), "--to", str(tmp_path / "x.html"), *options])
    assert result.exit_code == 1
    assert result.output.startswith(message)
    assert not (tmp_path / "x.html").exists()


def test_export_html_cli_without_a_build(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["export", "html", "--out", str(tmp_path / "none"), "--to", str(tmp_path / "x.html")]
    )
    assert result.exit_code == 1
    assert "no build here; run `cmkg build` first" in result.output


def test_export_html_cli_size_by_offers_every_measure() -> None:
    option = next(p for p in cli.commands["export"].params if p.name == "size_by")
    assert tuple(option.type.choices) == MEASURES


def test_export_html_readme_documents_the_command_and_shows_the_screenshot() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "### `cmkg export html" in (ROOT / "docs" / "usage.md").read_text(encoding="utf-8")
    assert "](docs/graph.png)" in readme
    assert (ROOT / "docs" / "graph.png").stat().st_size > 10_000
