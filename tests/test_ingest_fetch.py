"""Fetching web addresses (graph.ingest.fetch) against a local web site, and `cmkg build URL…`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph import __version__
from graph.cli import cli
from graph.errors import FetchError
from graph.ingest import load_document
from graph.ingest.fetch import (
    USER_AGENT,
    Fetcher,
    FetchSettings,
    fetch_pages,
    page_id,
    read_address_list,
    save_page,
    saved_addresses,
)
from graph.pipeline import language_markers

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = str(ROOT / "ontology")
QUICK = FetchSettings(timeout=0.5, retries=1, backoff=0.01)


def _fetcher(settings: FetchSettings = QUICK) -> Fetcher:
    return Fetcher(settings, sleep=lambda seconds: None)


def _asked(site, path: str) -> int:
    return sum(1 for p, _ in site.requests if p == path)


@pytest.mark.parametrize(
    "address, expected",
    [
        ("https://www.example.org/news/terres-rares.html", "example-org-terres-rares-"),
        ("http://127.0.0.1:8000/", "127-0-0-1-"),
    ],
)
def test_fetch_page_id_is_a_stable_slug_and_digest(address, expected):
    assert page_id(address).startswith(expected)
    assert page_id(address) == page_id(address)
    assert page_id(address) != page_id(address + "?page=2")


def test_fetch_reads_a_page_with_our_user_agent(web_site):
    with _fetcher() as fetcher:
        page = fetcher.fetch(web_site.url("/articles/terres-rares.html"))
    assert page.content_type == "text/html"
    assert "La Chine domine le raffinage des terres rares." in page.body.decode("utf-8")
    assert page.fetched.endswith("+00:00")
    agents = {agent for path, agent in web_site.requests if path == "/articles/terres-rares.html"}
    assert agents == {USER_AGENT}
    assert USER_AGENT == f"cmkg/{__version__} (+https://w3id.org/cmkg)"
    assert _asked(web_site, "/robots.txt") >= 1


def test_fetch_saves_the_page_and_its_metadata(web_site, tmp_path, boilerplate, reference):
    address = web_site.url("/old/terres-rares")
    with _fetcher() as fetcher:
        path = save_page(fetcher.fetch(address), tmp_path)
    assert path == tmp_path / f"{page_id(address)}.html"
    meta = json.loads(path.with_name(path.stem + ".meta.json").read_text(encoding="utf-8"))
    assert meta["address"] == address
    assert meta["final_url"] == web_site.url("/articles/terres-rares.html")
    assert meta["url"] == "https://journal-des-metaux.example/2025/04/terres-rares"
    assert meta["title"] == "La Chine resserre son emprise sur les terres rares"
    assert (meta["date"], meta["publisher"], meta["author"]) == ("2025-04-12", "Le Journal des Métaux", "Claire Martin")
    assert saved_addresses(tmp_path) == {address: path}
    doc = load_document(path, boilerplate, markers=language_markers(reference))
    assert doc.meta["url"] == meta["url"] and doc.meta["fetched"] == meta["fetched"]
    assert doc.meta["language"] == "fr"
    assert "Accueil" not in doc.raw and "Pékin contrôle environ 90 %" in doc.raw


@pytest.mark.parametrize(
    "path, settings, reason, attempts",
    [
        ("/missing.html", QUICK, "HTTP 404", 1),
        ("/slow.html", QUICK, "no answer within 0.5 s", 2),
        ("/private/abonnes.html", QUICK, "forbidden by the site's robots.txt", 0),
        ("/articles/lithium.html", FetchSettings(max_bytes=200, retries=0), "larger than the 200-byte cap", 1),
    ],
)
def test_fetch_failure_is_one_line_naming_the_address(web_site, path, settings, reason, attempts):
    before = _asked(web_site, path)
    with _fetcher(settings) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.fetch(web_site.url(path))
    message = str(caught.value)
    assert message.startswith(f"{web_site.url(path)}: {reason}")
    assert "\n" not in message
    assert _asked(web_site, path) - before == attempts


def test_fetch_retries_with_exponential_backoff_when_no_one_answers():
    pauses: list[float] = []
    settings = FetchSettings(timeout=0.5, retries=3, backoff=0.5)
    with Fetcher(settings, sleep=pauses.append) as fetcher, pytest.raises(FetchError, match="cannot connect"):
        fetcher.fetch("http://127.0.0.1:9/article.html")  # the discard port: nothing listens
    assert pauses == [0.5, 1.0, 2.0]


def test_fetch_refuses_a_content_type_it_cannot_read(web_site, tmp_path):
    with _fetcher() as fetcher:
        page = fetcher.fetch(web_site.url("/image.png"))
        with pytest.raises(FetchError, match="unsupported content type image/png"):
            save_page(page, tmp_path)
        pages, failed = fetch_pages(
            [web_site.url("/image.png"), web_site.url("/articles/nickel.html")], tmp_path, fetcher, keep_going=True
        )
    assert [p.name for p in pages] == [f"{page_id(web_site.url('/articles/nickel.html'))}.html"]
    assert failed == [(web_site.url("/image.png"), "unsupported content type image/png")]


def test_fetch_reads_a_list_of_addresses(tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text("# à lire\nhttps://ex.org/a\n\n  https://ex.org/b  \n", encoding="utf-8")
    assert read_address_list(listing) == ["https://ex.org/a", "https://ex.org/b"]
    listing.write_text("https://ex.org/a\nex.org/b\n", encoding="utf-8")
    with pytest.raises(FetchError, match=r"urls.txt:2: not an http\(s\) address: ex.org/b"):
        read_address_list(listing)


@pytest.fixture(scope="module")
def web_build(web_site, tmp_path_factory):
    """`cmkg build` of the French and the English article by address: (result, out)."""
    out = tmp_path_factory.mktemp("web") / "out"
    urls = [web_site.url("/articles/terres-rares.html"), web_site.url("/articles/lithium.html")]
    result = CliRunner().invoke(cli, ["build", *urls, "--out", str(out), "--ontology", ONTOLOGY])
    return result, out


def _summary(out: Path) -> dict:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


def test_fetch_build_reads_addresses_and_keeps_the_pages(web_build, web_site):
    result, out = web_build
    assert result.exit_code == 0, result.output
    french, english = (
        page_id(web_site.url("/articles/terres-rares.html")),
        page_id(web_site.url("/articles/lithium.html")),
    )
    documents = {d["id"]: d for d in _summary(out)["documents"]}
    assert set(documents) == {french, english}
    assert documents[french]["title"] == "La Chine resserre son emprise sur les terres rares"
    assert (documents[french]["date"], documents[french]["language"]) == ("2025-04-12", "fr")
    assert documents[french]["url"] == "https://journal-des-metaux.example/2025/04/terres-rares"
    assert (documents[english]["date"], documents[english]["language"]) == ("2025-03-18", "en")
    china = [e for e in _summary(out)["entities"] if e["name"] == "China"]
    assert china and french in china[0]["documents"]
    assert sorted(p.name for p in (out / "sources").iterdir()) == sorted(
        [f"{french}.html", f"{french}.meta.json", f"{english}.html", f"{english}.meta.json"]
    )
    meta = json.loads((out / "sources" / f"{english}.meta.json").read_text(encoding="utf-8"))
    assert meta["address"] == web_site.url("/articles/lithium.html") and meta["fetched"]


def test_fetch_rebuild_from_the_kept_pages_needs_no_network(web_build, web_site, tmp_path):
    _, built = web_build
    out = tmp_path / "out"
    shutil.copytree(built, out)
    asked = len(web_site.requests)
    result = CliRunner().invoke(cli, ["build", str(out / "sources"), "--out", str(out), "--ontology", ONTOLOGY])
    assert result.exit_code == 0, result.output
    assert len(web_site.requests) == asked
    assert _summary(out) == _summary(built)
    assert sorted(p.name for p in (out / "sources").iterdir()) == sorted(p.name for p in (built / "sources").iterdir())


def test_fetch_failed_address_stops_the_build_and_leaves_it(web_build, web_site, tmp_path):
    _, built = web_build
    out = tmp_path / "out"
    shutil.copytree(built, out)
    before = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    missing = web_site.url("/articles/absent.html")
    result = CliRunner().invoke(cli, ["build", missing, "--out", str(out), "--ontology", ONTOLOGY])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [f"Error: {missing}: HTTP 404"]
    assert {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_fetch_keep_going_skips_a_failed_address_from_a_list(web_site, tmp_path):
    listing = tmp_path / "urls.txt"
    forbidden, nickel = web_site.url("/private/abonnes.html"), web_site.url("/articles/nickel.html")
    listing.write_text(f"{forbidden}\n{nickel}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["build", "--urls", str(listing), "--out", str(out), "--ontology", ONTOLOGY, "--keep-going"]
    )
    assert result.exit_code == 0, result.output
    assert [d["id"] for d in _summary(out)["documents"]] == [page_id(nickel)]
    assert _summary(out)["skipped"] == [
        {"source": forbidden, "reason": f"forbidden by the site's robots.txt for {USER_AGENT}"}
    ]
    assert f"  {forbidden}: forbidden by the site's robots.txt" in result.output
