"""RSS and Atom feeds (graph.ingest.feeds), and `cmkg add --feed` / `cmkg add URL` against a local web site."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.errors import FetchError
from graph.ingest.feeds import feed_links, new_links
from graph.ingest.fetch import USER_AGENT, page_id
from graph.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology"
WEB = ROOT / "tests" / "fixtures" / "web"
FIRST = "Le Chili et la Corée du Sud ont signé un accord sur le lithium à Séoul en mars 2025.\n"


def _summary(out: Path) -> dict:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


def _snapshot(folder: Path) -> dict[Path, bytes]:
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(
    "feed, paths",
    [
        ("atom.xml", ["/articles/terres-rares.html", "/articles/lithium.html"]),
        ("rss.xml", ["/articles/nickel.html", "/old/terres-rares", "/private/abonnes.html"]),
    ],
)
def test_feeds_links_of_atom_and_rss(feed, paths):
    base = "http://127.0.0.1:8000"
    data = (WEB / feed).read_text(encoding="utf-8").replace("{base}", base).encode("utf-8")
    assert feed_links(data, f"{base}/{feed}") == [base + p for p in paths]


def test_feeds_not_a_feed():
    with pytest.raises(FetchError, match=r"^https://ex.org/page: not an RSS or Atom feed"):
        feed_links(b"<html><body><p>Bonjour</p></body></html>", "https://ex.org/page")


def test_feeds_new_links_keep_the_order():
    assert new_links(["b", "a", "c"], {"a"}) == ["b", "c"]


def _add(out: Path, *args: str):
    return CliRunner().invoke(cli, ["add", *args, "--out", str(out), "--ontology", str(ONTOLOGY)])


@pytest.fixture(scope="module")
def base_build(tmp_path_factory) -> Path:
    """A build of one text file, to add feeds and addresses to."""
    folder = tmp_path_factory.mktemp("feeds")
    (folder / "docs").mkdir()
    (folder / "docs" / "seoul.txt").write_text(FIRST, encoding="utf-8")
    out = folder / "out"
    build([folder / "docs"], out, ontology_dir=ONTOLOGY)
    return out


@pytest.fixture(scope="module")
def grown(base_build, web_site, tmp_path_factory):
    """The build after `add --feed atom.xml`, then the same again, then `add --feed rss.xml --keep-going`:
    (out, the three results, the summary and files after each step)."""
    out = tmp_path_factory.mktemp("grown") / "out"
    shutil.copytree(base_build, out)
    steps = []
    for args in (["--feed", web_site.url("/atom.xml")], ["--feed", web_site.url("/atom.xml")]):
        result = _add(out, *args)
        steps.append((result, _summary(out), _snapshot(out / "documents")))
    result = _add(out, "--feed", web_site.url("/rss.xml"), "--keep-going")
    steps.append((result, _summary(out), _snapshot(out / "documents")))
    return out, steps


def test_feeds_add_reads_the_feeds_entries(grown, web_site):
    out, steps = grown
    result, summary, _ = steps[0]
    assert result.exit_code == 0, result.output
    french, english = (
        page_id(web_site.url("/articles/terres-rares.html")),
        page_id(web_site.url("/articles/lithium.html")),
    )
    assert [d["id"] for d in summary["documents"]] == sorted(["seoul", french, english])
    titles = {d["id"]: d["title"] for d in summary["documents"]}
    assert titles[english] == "Chile and South Korea sign a lithium agreement"
    china = [e for e in summary["entities"] if e["name"] == "China"]
    assert china and french in china[0]["documents"]
    assert "documents   3" in result.output


def test_feeds_second_add_of_the_same_feed_adds_nothing(grown, web_site):
    _, steps = grown
    result, summary, files = steps[1]
    assert result.exit_code == 0, result.output
    assert summary == steps[0][1]
    assert files == steps[0][2]
    for path in ("/articles/terres-rares.html", "/articles/lithium.html"):
        assert f"{web_site.url(path)}: already in the build, skipped" in result.output
    assert "what changed in the build:" in result.output


def test_feeds_add_groups_a_page_read_under_two_addresses(grown, web_site):
    out, steps = grown
    result, summary, files = steps[2]
    assert result.exit_code == 0, result.output
    old, new = web_site.url("/old/terres-rares"), web_site.url("/articles/terres-rares.html")
    nickel = page_id(web_site.url("/articles/nickel.html"))
    ids = [d["id"] for d in summary["documents"]]
    assert nickel in ids and len(ids) == 4
    kept, other = sorted([page_id(old), page_id(new)])
    entry = next(d for d in summary["documents"] if d["id"] == kept)
    assert [d["id"] for d in entry["duplicates"]] == [other]
    assert entry["duplicates"][0]["source_file"] == f"{other}.html"
    assert other not in ids
    assert Path(f"{other}.txt") in files  # kept in the cache, not read twice
    assert not (out / "extraction" / f"{other}.json").exists()
    addresses = {json.loads(p.read_text("utf-8"))["address"] for p in (out / "sources").glob("*.meta.json")}
    assert {old, new} <= addresses
    assert summary["skipped"] == [
        {
            "source": web_site.url("/private/abonnes.html"),
            "reason": f"forbidden by the site's robots.txt for {USER_AGENT}",
        }
    ]
    assert f"  {kept}: also {other}" in result.output


def test_feeds_add_of_a_failed_address_leaves_the_build(base_build, web_site, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(base_build, out)
    before = _snapshot(out)
    missing = web_site.url("/articles/absent.html")
    result = _add(out, missing)
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [f"Error: {missing}: HTTP 404"]
    assert _snapshot(out) == before
    result = _add(out, missing, "--keep-going")
    assert result.exit_code == 1
    assert f"skipped {missing}: HTTP 404" in result.output
    assert "no document could be read, nothing added (1 skipped)" in result.output
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_feeds_add_of_a_bad_feed(base_build, web_site, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(base_build, out)
    feed = web_site.url("/articles/nickel.html")
    result = _add(out, "--feed", feed)
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].startswith(f"Error: {feed}: not an RSS or Atom feed")


def test_feeds_add_needs_something_to_add(base_build):
    result = _add(base_build)
    assert result.exit_code == 2
    assert "name files, folders or addresses to add" in result.output
