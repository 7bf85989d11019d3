"""Tests of graph.export.site and ``cmkg site``: the static site of a build, read as files and opened in a
real headless Chromium that refuses every request leaving the disk."""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markupsafe
import networkx as nx
import pytest
from click.testing import CliRunner
from offline_page import Visit, open_offline
from playwright.sync_api import Browser, sync_playwright

from graph.analysis.wording import fact_line, fact_view
from graph.cli import cli
from graph.errors import CmkgError
from graph.export.site import CSP, SiteInput, clean_spans, load_site_input, page_paths, site_files, write_site
from graph.ingest import clean_text
from graph.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
CHINA = "https://w3id.org/cmkg/id/China"
HOSTILE_FIRST_LINE = 'Terres rares <script>alert(1)</script> et "soupçons"'
HOSTILE_SENTENCE = "Pékin et <img src=x onerror=alert(2)> signent un accord sur les terres rares avec Tokyo."
HOSTILE_TEXT = f"""{HOSTILE_FIRST_LINE}

{HOSTILE_SENTENCE}

Washington impose des contrôles à l'exportation sur le gallium visant Pékin <b onmouseover=alert(3)>ici</b></script>.
"""
HOSTILE_META = {
    "date": "2025-03-04",
    "publisher": "<svg onload=alert(4)> Presse",
    "url": "javascript:alert(5)",
    "language": "fr",
}


@pytest.fixture(scope="module")
def seeds_site(seeds_build: tuple[Path, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out, _ = seeds_build
    path, _ = write_site(out, tmp_path_factory.mktemp("site") / "site")
    return path


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real pipeline and site run on an untitled document whose text and metadata carry markup."""
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "src").mkdir()
    (folder / "src" / "evil.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    (folder / "src" / "evil.meta.json").write_text(json.dumps(HOSTILE_META), encoding="utf-8")
    build([folder / "src"], folder / "out", ontology_dir=ROOT / "ontology")
    path, _ = write_site(folder / "out")
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def visit(browser: Browser) -> Iterator[Callable[..., Visit]]:
    """Open a file in a fresh context that refuses and records every request off the disk."""
    contexts = []

    def open_file(path: Path, bypass_csp: bool = False, width: int = 1280) -> Visit:
        return open_offline(browser, path, contexts, width=width, bypass_csp=bypass_csp)

    yield open_file
    for context in contexts:
        context.close()


class _Links(HTMLParser):
    """The links, script sources and element ids of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        for name in ("href", "src"):
            if values.get(name) is not None:
                self.links.append(str(values[name]))


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name != "graph.html")


# -- pure pieces ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "span", "expected"),
    [
        ("Une phrase.\n\nPékin signe.", (13, 25), "Pékin signe."),
        (
            "Accueil\n\nLa Chine raffine l’essentiel des terres rares du monde, selon le rapport publié hier.\n",
            (9, 64),
            "La Chine raffine l'essentiel des terres rares du monde,",
        ),
    ],
)
def test_site_clean_spans_follow_the_source_offsets(
    boilerplate, raw: str, span: tuple[int, int], expected: str
) -> None:
    clean = clean_text(raw, boilerplate)
    start, end = clean_spans(clean, {"c": span})["c"]
    assert clean.text[start:end] == expected


@pytest.mark.parametrize("lang", ["de", "xx"])
def test_site_unknown_language_is_refused(seeds_build: tuple[Path, Any], lang: str) -> None:
    out, _ = seeds_build
    with pytest.raises(CmkgError, match="unsupported site language"):
        site_files(load_site_input(out), lang, graph_page=False)


def test_site_paths_are_readable_and_unique(seeds_build: tuple[Path, Any]) -> None:
    site = load_site_input(seeds_build[0])
    paths = page_paths(site.G, [d["iri"] for d in site.documents])
    assert paths[CHINA] == "entity/china.html"
    assert len(set(paths.values())) == len(paths)
    assert {p.split("/")[0] for p in paths.values()} == {
        "entity",
        "agreement",
        "project",
        "measure",
        "share",
        "document",
    }


def _evidence(claim: str, document: str, quote: str) -> dict[str, Any]:
    return {"claim": claim, "quote": quote, "document": document, "title": None, "date": None, "publisher": None}


@pytest.mark.parametrize(("first", "second", "shown"), [("signed", "suspended", True), ("signed", "signed", False)])
def test_site_disagreements_side_by_side(first: str, second: str, shown: bool) -> None:
    doc = "https://w3id.org/cmkg/doc/"
    deal = "https://w3id.org/cmkg/fact/agreement/d1"
    G = nx.MultiDiGraph()
    G.add_node(CHINA, group="State", cls="State", label_en="China", label_fr="Chine", facts=[], evidence=[])
    evidence = [_evidence("c1", doc + "a", "Pékin a signé l'accord."), _evidence("c2", doc + "b", "L'accord est gelé.")]
    facts = [{"property": "status", "value": v, "lang": None} for v in sorted({first, second})]
    G.add_node(deal, group="Agreement", cls="Agreement", label_en="deal", facts=facts, evidence=evidence)
    G.add_edge(deal, CHINA, key="party", relation="party", evidence=evidence[:1])
    documents = [
        {"iri": doc + name, "id": name, "title": f"Dépêche {name}", "text": quote, "spans": {claim: (0, len(quote))}}
        for name, claim, quote in (("a", "c1", evidence[0]["quote"]), ("b", "c2", evidence[1]["quote"]))
    ]
    site = SiteInput(G, documents, values_by_claim={deal: [("c1", "status", first), ("c2", "status", second)]})
    page = site_files(site, "en", graph_page=False)["agreement/d1.html"].decode("utf-8")
    assert ("Where the documents disagree" in page) is shown
    if shown:
        columns = re.findall(r'<div class="column">\s*<p class="value"><strong>(\w+)</strong>', page)
        assert columns == [first, second]
        assert page.index("Pékin a signé") < page.index("L&#39;accord est gelé")


# -- the seeds' site -----------------------------------------------------------------------------------


def test_site_seeds_every_internal_link_resolves(seeds_site: Path) -> None:
    pages = _pages(seeds_site)
    assert len(pages) > 150
    parsed = {page: _parse(page) for page in pages}
    reached = {seeds_site / "index.html"}
    for page, links in parsed.items():
        for link in links.links:
            if link.startswith(("https://", "http://")):
                continue
            assert not re.match(r"^[a-z]+:", link), (page, link)
            target, _, anchor = link.partition("#")
            path = (page.parent / target).resolve() if target else page
            assert path.is_file(), (page, link)
            if anchor:
                assert anchor in parsed[path].ids, (page, link)
            reached.add(path)
    assert set(pages) <= reached  # every page is linked from another one
    assert (seeds_site / "graph.html").is_file() and (seeds_site / "site-index.js").is_file()


def test_site_seeds_graph_page_links_every_node_to_its_page(seeds_site: Path, seeds_build: tuple[Path, Any]) -> None:
    text = (seeds_site / "graph.html").read_text(encoding="utf-8")
    match = re.search(r'<script type="application/json" id="cmkg-data">(.*?)</script>', text, re.DOTALL)
    assert match is not None
    pages = {n["id"]: n.get("page") for n in json.loads(match.group(1))["nodes"]}
    site = load_site_input(seeds_build[0])
    expected = page_paths(site.G, [d["iri"] for d in site.documents])
    assert pages == {str(node): expected[str(node)] for node in site.G}
    assert pages[CHINA] == "entity/china.html"
    assert all((seeds_site / page).is_file() for page in pages.values())


def test_site_graph_page_opens_china_from_the_search(seeds_site: Path, visit: Callable[..., Visit]) -> None:
    seen = visit(seeds_site / "graph.html")
    page = seen.page
    page.wait_for_function("window.cmkgReady === true", timeout=15_000)
    box = page.locator("#cmkg-search-ts-control")  # the page's own search, from the keyboard
    box.type("chine")
    page.locator(".ts-wrapper:has(#cmkg-search-ts-control) .ts-dropdown .option").first.wait_for(timeout=5_000)
    page.keyboard.press("Enter")
    assert page.locator("#cmkg-panel h2").inner_text() == "China"
    link = page.locator("#cmkg-panel .cmkg-page a")
    assert link.inner_text() == "Open its page" and link.get_attribute("href") == "entity/china.html"
    assert link.evaluate("a => a.tabIndex") == 0  # in the tab order, as a real link is
    link.focus()
    assert page.evaluate("document.activeElement.textContent") == "Open its page"
    page.keyboard.press("Enter")
    page.wait_for_url("**/entity/china.html", timeout=5_000)
    assert page.locator("h1").inner_text() == "China"
    assert seen.errors == [] and seen.outside == [] and seen.dialogs == []


def test_site_seeds_pages_carry_the_policy_and_no_outside_script(seeds_site: Path) -> None:
    for page in _pages(seeds_site):
        text = page.read_text(encoding="utf-8")
        assert f'content="{markupsafe.escape(CSP)}"' in text, page
        assert "<style" not in text and " style=" not in text and "<script>" not in text, page
        assert all(src in ("site-index.js", "site.js") for src in re.findall(r'<script src="([^"]+)"', text)), page


def test_site_seeds_entity_page(seeds_site: Path, seeds_build: tuple[Path, Any]) -> None:
    text = (seeds_site / "entity" / "china.html").read_text(encoding="utf-8")
    assert "<h1>China</h1>" in text and '<dd lang="fr">Chine</dd>' in text
    assert 'href="https://www.wikidata.org/wiki/Q148"' in text
    assert "<svg" in text and text.count('href="../entity/') > 5
    site = load_site_input(seeds_build[0])
    G = site.G
    words = G.graph["words"]
    facts = sorted({u for u, _ in G.in_edges(CHINA) if G.nodes[u]["group"] == "Measure"})
    assert facts
    for fact in facts:  # every measure China is in reads as wording renders it, linked to its page
        line = fact_line(fact_view(G, fact, "en"), "en", words)
        assert line.replace("'", "&#39;") in text, line
    assert "Timeline" in text and "Centrality and community" in text


def test_site_seeds_document_page_highlights_the_facts(seeds_site: Path, seeds_build: tuple[Path, Any]) -> None:
    site = load_site_input(seeds_build[0])
    untitled = next(d for d in site.documents if not d["title"])
    page = seeds_site / "document" / f"{untitled['id']}.html"
    text = page.read_text(encoding="utf-8")
    first = next(line.strip() for line in untitled["text"].splitlines() if line.strip())
    assert "first line; the document has no title" in text
    assert first[:60].replace("'", "&#39;") in text
    claims = {
        e["claim"]
        for _, data in site.G.nodes(data=True)
        if data["group"] in ("Agreement", "Project", "Measure", "MarketShare")
        for e in data["evidence"]
        if e["document"] == untitled["iri"]
    }
    marks = re.findall(r'<a class="mark" id="(claim-[^"]+)" href="\.\./(\w+)/', text)
    assert claims and {f"claim-{c.rsplit('/', 1)[-1]}" for c in claims} >= {anchor for anchor, _ in marks}
    assert marks and {kind for _, kind in marks} <= {"agreement", "project", "measure", "share"}
    titled = (seeds_site / "document" / "000_dfca6d0f0ab30567.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<a class="mark" id="claim-', titled)) >= 10


def test_site_seeds_mineral_page_shows_supply(seeds_site: Path) -> None:
    text = (seeds_site / "entity" / "rare_earth_elements.html").read_text(encoding="utf-8")
    assert '<h2 id="supply-heading">Supply</h2>' in text
    assert re.search(r'href="\.\./entity/china\.html">China</a> \d+', text)


def test_site_seeds_in_french(seeds_build: tuple[Path, Any]) -> None:
    files = site_files(load_site_input(seeds_build[0]), "fr", graph_page=False)
    text = files["entity/china.html"].decode("utf-8")
    assert '<html lang="fr">' in text and "<h1>Chine</h1>" in text and "Chronologie" in text
    assert "Accords" in text and "Agreements" not in text


def test_site_is_deterministic(seeds_build: tuple[Path, Any]) -> None:
    site = load_site_input(seeds_build[0])
    first = site_files(site, "en", graph_page=False)
    again = site_files(load_site_input(seeds_build[0]), "en", graph_page=False)
    assert first == again


def test_site_index_loads_and_search_finds_china(seeds_site: Path, visit: Callable[..., Visit]) -> None:
    seen = visit(seeds_site / "index.html")
    page = seen.page
    page.wait_for_function("window.cmkgReady === true", timeout=5000)
    page.fill("#search", "Pékin")
    results = page.locator("#search-results a")
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert "entity/china.html" in hrefs
    results.nth(hrefs.index("entity/china.html")).click()
    page.wait_for_url("**/entity/china.html")
    assert page.locator("h1").inner_text() == "China"
    assert seen.errors == [] and seen.outside == [] and seen.dialogs == []


def test_site_entity_page_on_a_phone_and_its_screenshot(seeds_site: Path, visit: Callable[..., Visit]) -> None:
    seen = visit(seeds_site / "entity" / "china.html", width=390)
    page = seen.page
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")  # no sideways scrolling
    assert seen.errors == [] and seen.outside == []
    # The README's picture (docs/site-entity.png) is a copy of this one.
    page.set_viewport_size({"width": 1100, "height": 1300})
    (ROOT / "out").mkdir(exist_ok=True)
    page.screenshot(path=ROOT / "out" / "site-entity.png")


def test_site_readme_documents_the_command_and_shows_the_screenshot() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "](docs/site-entity.png)" in readme
    assert (ROOT / "docs" / "site-entity.png").stat().st_size > 10_000
    assert "### `cmkg site" in (ROOT / "docs" / "usage.md").read_text(encoding="utf-8")


def test_site_keyboard_reaches_search_and_results(seeds_site: Path, visit: Callable[..., Visit]) -> None:
    page = visit(seeds_site / "index.html").page
    page.wait_for_function("window.cmkgReady === true", timeout=5000)
    page.locator("#search").focus()
    page.keyboard.type("chine")
    page.keyboard.press("Enter")
    page.wait_for_url("**/entity/china.html")


# -- hostile documents ---------------------------------------------------------------------------------


def test_site_hostile_document_is_inert_on_every_page(hostile_site: Path, visit: Callable[..., Visit]) -> None:
    shown = []
    for page in _pages(hostile_site):
        raw = page.read_text(encoding="utf-8")
        for text in ("<script>alert", "<img src=x", "<b onmouseover", "<svg onload", 'href="javascript:'):
            assert text not in raw, (page, text)
        if "alert(" in raw:
            shown.append(page)
    names = {p.relative_to(hostile_site).as_posix() for p in shown}
    assert "index.html" in names and any(n.startswith("document/") for n in names)
    assert any(n.startswith("agreement/") for n in names)
    for page in shown:
        seen = visit(page)
        body = seen.page.locator("body").text_content() or ""
        assert "alert(" in body, page  # the markup is there, as text
        hostile = seen.page.evaluate(
            """() => [...document.querySelectorAll('*')].filter(e =>
                 e.tagName === 'IMG' || e.tagName === 'B' || (e.tagName === 'SCRIPT' && !e.src) ||
                 [...e.attributes].some(a => a.name.startsWith('on')) ||
                 (e.getAttribute('href') || '').trim().toLowerCase().startsWith('javascript:')).length"""
        )
        assert hostile == 0, page
        assert seen.dialogs == [] and seen.errors == [] and seen.outside == [], page
    document = next(p for p in shown if p.parent.name == "document")
    seen = visit(document)
    assert HOSTILE_SENTENCE in seen.page.locator(".text").inner_text()
    assert HOSTILE_FIRST_LINE in seen.page.locator("h1").inner_text()
    assert "javascript:alert(5)" in seen.page.locator("dl.meta").inner_text()


# -- accessibility -------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core's browser build, as the ``axe-playwright-python`` package ships it (a test extra)."""
    import axe_playwright_python

    return Path(axe_playwright_python.__file__).parent / "axe.min.js"


@pytest.mark.parametrize("page", ["index.html", "entity/china.html", "document/000_dfca6d0f0ab30567.html"])
@pytest.mark.parametrize("width", [1280, 390], ids=["laptop", "phone"])
def test_site_passes_axe(
    seeds_site: Path, visit: Callable[..., Visit], axe_script: Path, page: str, width: int
) -> None:
    seen = visit(seeds_site / page, bypass_csp=True, width=width)  # axe is injected as an inline script
    seen.page.add_script_tag(path=str(axe_script))
    violations = seen.page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations'], preload: false})).violations
             .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length}))"""
    )
    assert [v for v in violations if v["impact"] in ("serious", "critical")] == []
    assert seen.errors == [] and seen.outside == []


# -- the command ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_site_cli_writes_folder_and_zip(seeds_build: tuple[Path, Any], tmp_path: Path, lang: str) -> None:
    out, _ = seeds_build
    runner = CliRunner()
    result = runner.invoke(cli, ["site", "--out", str(out), "--to", str(tmp_path / "s"), "--lang", lang])
    assert result.exit_code == 0, result.output
    pages = int(result.output.split()[0])
    assert pages == len(list((tmp_path / "s").rglob("*.html")))
    assert f'<html lang="{lang}">' in (tmp_path / "s" / "index.html").read_text(encoding="utf-8")
    result = runner.invoke(cli, ["site", "--out", str(out), "--to", str(tmp_path / "z"), "--lang", lang, "--zip"])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "z").exists()
    with zipfile.ZipFile(tmp_path / "z.zip") as archive:
        names = archive.namelist()
        assert names == sorted(names) and "z/index.html" in names and "z/entity/china.html" in names
        assert archive.read("z/index.html") == (tmp_path / "s" / "index.html").read_bytes()


def test_site_cli_without_a_build(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["site", "--out", str(tmp_path / "nothing")])
    assert result.exit_code == 1
    assert "no build here" in result.output and "cmkg build" in result.output
