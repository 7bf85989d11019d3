"""Tests of graph.export.html: the offline page, opened in a real headless Chromium."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import pytest
from playwright.sync_api import Browser, Page, Route, sync_playwright
from rdflib import Dataset

from graph.analyze import betweenness_centrality, project
from graph.errors import CmkgError
from graph.export.html import write_html

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


@dataclass
class Visit:
    """An opened page and what happened while it loaded."""

    page: Page
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


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
        context = browser.new_context()
        contexts.append(context)
        page = context.new_page()
        result = Visit(page)

        def route(route: Route) -> None:
            if route.request.url.startswith("file://"):
                route.continue_()
            else:
                result.outside.append(route.request.url)
                route.abort()

        page.route("**/*", route)
        page.on("console", lambda message: result.errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: result.errors.append(str(error)))
        page.on("dialog", lambda dialog: (result.dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(path.as_uri())
        page.wait_for_function("window.cmkgStats !== undefined", timeout=10_000)
        return result

    yield open_file
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def mini() -> nx.MultiDiGraph:
    ds = Dataset()
    ds.parse(FIXTURE, format="trig")
    return project(ds)


@pytest.fixture(scope="module")
def mini_html(mini: nx.MultiDiGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "mini.html"
    write_html(mini, path, "Critical minerals", subtitle="mini fixture", size_by=betweenness_centrality(mini))
    return path


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
        wikidata="Q1\"><script>alert(3)</script>",
        facts=[{"property": "role", "value": "<a href='javascript:alert(4)'>x</a>", "lang": None}],
        evidence=[evidence],
        documents=["https://w3id.org/cmkg/doc/evil"],
    )
    G.add_node(ID + "China", cls="State", group="State", label_en="China", label_fr="Chine", facts=[], evidence=[])
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


def test_export_html_mini_loads_offline(mini: nx.MultiDiGraph, mini_html: Path, visit: Callable[[Path], Visit]) -> None:
    seen = visit(mini_html)
    assert seen.outside == []
    assert seen.errors == []
    assert seen.page.evaluate("window.cmkgStats") == {"nodes": mini.number_of_nodes(), "edges": mini.number_of_edges()}
    assert seen.page.evaluate("[network.body.data.nodes.length, network.body.data.edges.length]") == [11, 12]
    assert seen.page.evaluate("network.physics.options.enabled") is False


def test_export_html_file_references_nothing_outside(mini_html: Path) -> None:
    text = mini_html.read_text(encoding="utf-8")
    assert not re.search(r"<script\b[^>]*\bsrc\s*=", text, re.IGNORECASE)
    assert not re.search(r"<link\b", text, re.IGNORECASE)
    assert not re.search(r"""\b(src|href)\s*=\s*["']?https?:""", text, re.IGNORECASE)
    assert "node_modules" not in text
    assert "cdn.jsdelivr.net" not in text
    assert text.count('<script type="application/json" id="cmkg-data">') == 1


def test_export_html_agreement_panel_shows_both_quotes(mini_html: Path, visit: Callable[[Path], Visit]) -> None:
    seen = visit(mini_html)
    assert seen.page.evaluate("id => window.cmkgShow(id)", AGREEMENT) is True
    text = panel_text(seen.page)
    assert "The United States and Japan signed a framework agreement on critical minerals and rare earths." in text
    assert "Les Etats-Unis et le Japon ont signé un accord-cadre sur les terres rares." in text
    assert "Example Wire" in text and "Le Quotidien" in text
    hrefs = seen.page.eval_on_selector_all("#cmkg-panel a", "links => links.map(a => a.getAttribute('href'))")
    assert hrefs == ["https://example.org/news/us-japan-framework", "https://example.fr/terres-rares"]


def test_export_html_click_on_node_opens_panel(mini_html: Path, visit: Callable[[Path], Visit]) -> None:
    seen = visit(mini_html)
    point = seen.page.evaluate(
        "id => network.canvasToDOM(network.getPositions([id])[id])", AGREEMENT
    )
    box = seen.page.locator("#mynetwork").bounding_box()
    assert box is not None
    seen.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    seen.page.wait_for_function("document.querySelectorAll('#cmkg-panel blockquote').length === 2")
    assert seen.page.locator("#cmkg-panel h2").inner_text() == "US-Japan critical minerals framework"


def test_export_html_edge_panel(mini_html: Path, visit: Callable[[Path], Visit]) -> None:
    seen = visit(mini_html)
    edge_id = seen.page.evaluate(
        "([from, to]) => network.body.data.edges.get().find(e => e.from === from && e.to === to).id",
        [AGREEMENT, ID + "Japan"],
    )
    assert seen.page.evaluate("id => window.cmkgShow(id)", edge_id) is True
    assert seen.page.locator("#cmkg-panel blockquote").count() == 2


@pytest.mark.parametrize("lang, label", [("en", "China"), ("fr", "Chine")])
def test_export_html_language(
    mini: nx.MultiDiGraph, tmp_path: Path, visit: Callable[[Path], Visit], lang: str, label: str
) -> None:
    path = tmp_path / "page.html"
    write_html(mini, path, "Minerais critiques", lang=lang)
    seen = visit(path)
    seen.page.evaluate("id => window.cmkgShow(id)", ID + "China")
    assert seen.page.locator("#cmkg-panel h2").inner_text() == label
    assert seen.page.evaluate("document.documentElement.lang") == lang


def test_export_html_hostile_graph_stays_text(tmp_path: Path, visit: Callable[[Path], Visit]) -> None:
    path = tmp_path / "hostile.html"
    write_html(hostile_graph(), path, "<script>alert(5)</script>", subtitle=HOSTILE_LABEL)
    seen = visit(path)
    assert seen.page.evaluate("id => window.cmkgShow(id)", HOSTILE_NODE) is True
    assert seen.page.locator("#cmkg-panel h2").inner_text() == HOSTILE_LABEL
    assert HOSTILE_QUOTE in panel_text(seen.page)
    assert seen.page.locator("#cmkg-header h1").inner_text() == "<script>alert(5)</script>"
    hrefs = seen.page.eval_on_selector_all("a", "links => links.map(a => a.getAttribute('href') || '')")
    assert not [href for href in hrefs if href.strip().lower().startswith("javascript:")]
    assert seen.page.locator("img").count() == 0
    edge_id = seen.page.evaluate("network.body.data.edges.getIds()[0]")
    seen.page.evaluate("id => window.cmkgShow(id)", edge_id)
    assert HOSTILE_QUOTE in panel_text(seen.page)
    assert seen.dialogs == []
    assert seen.errors == []
    assert seen.outside == []


def test_export_html_tooltips_are_plain_text(tmp_path: Path) -> None:
    path = tmp_path / "hostile.html"
    write_html(hostile_graph(), path, "x")
    text = path.read_text(encoding="utf-8")
    assert "popup.innerHTML" not in text
    assert HOSTILE_QUOTE not in text
    assert HOSTILE_LABEL not in text


def test_export_html_is_deterministic_and_leaves_graph_alone(mini: nx.MultiDiGraph, tmp_path: Path) -> None:
    before = (list(mini.nodes(data=True)), list(mini.edges(keys=True, data=True)))
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    write_html(mini, first, "t")
    write_html(mini, second, "t")
    assert first.read_bytes() == second.read_bytes()
    assert (list(mini.nodes(data=True)), list(mini.edges(keys=True, data=True))) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html", "b.html"]


def test_export_html_unknown_language_is_refused(mini: nx.MultiDiGraph, tmp_path: Path) -> None:
    with pytest.raises(CmkgError, match="unsupported page language 'de'"):
        write_html(mini, tmp_path / "page.html", "t", lang="de")
