"""Shared fixtures: the reference data, the spaCy model and one build of the seeds, each made once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.extract import load_nlp
from graph.extract.reference import load_reference
from graph.ingest import load_boilerplate_rules
from graph.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
ONTOLOGY = ROOT / "ontology"


def pytest_configure(config):
    """The tests keep their user cache (graph.cache) in a folder of their own, not in the user's home: set
    before any fixture or subprocess runs, removed when the session ends."""
    import os
    import tempfile

    if "CMKG_CACHE_DIR" not in os.environ:
        config._cmkg_cache = tempfile.mkdtemp(prefix="cmkg-test-cache-")
        os.environ["CMKG_CACHE_DIR"] = config._cmkg_cache


def pytest_unconfigure(config):
    import os
    import shutil

    folder = getattr(config, "_cmkg_cache", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        os.environ.pop("CMKG_CACHE_DIR", None)


@pytest.fixture(scope="session")
def reference():
    return load_reference(ONTOLOGY)


@pytest.fixture(scope="session")
def boilerplate():
    return load_boilerplate_rules(ONTOLOGY / "patterns" / "boilerplate.csv")


@pytest.fixture(scope="session")
def nlp():
    return load_nlp()


@pytest.fixture(scope="session")
def seeds_build(tmp_path_factory):
    """The seeds built once for the whole session: (out folder, build report)."""
    out = tmp_path_factory.mktemp("seeds") / "out"
    report = build([SEEDS], out, ontology_dir=ONTOLOGY)
    return out, report


@pytest.fixture(scope="session")
def seeds_summary(seeds_build):
    out, _ = seeds_build
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seeds_dataset(seeds_build):
    """The seeds build's graph.trig parsed back with rdflib."""
    from rdflib import Dataset

    out, _ = seeds_build
    ds = Dataset()
    ds.parse(out / "graph.trig", format="trig")
    return ds


WEB = Path(__file__).resolve().parent / "fixtures" / "web"


class WebSite:
    """A small web site on 127.0.0.1 serving the pages of ``tests/fixtures/web``: articles under
    ``/articles/``, a redirect (``/old/terres-rares``), a 404, a slow page (``/slow.html``, 3 s), a page
    forbidden by ``robots.txt`` (``/private/``), a feed of each kind, and a log of the requests it answered."""

    ROUTES = {
        "/robots.txt": ("robots.txt", "text/plain"),
        "/atom.xml": ("atom.xml", "application/atom+xml"),
        "/rss.xml": ("rss.xml", "application/rss+xml"),
        "/private/abonnes.html": ("nickel.html", "text/html; charset=utf-8"),
        "/slow.html": ("lithium.html", "text/html; charset=utf-8"),
        "/image.png": (None, "image/png"),
    }
    REDIRECTS = {"/old/terres-rares": "/articles/terres-rares.html"}
    SLOW_SECONDS = 3.0

    def __init__(self) -> None:
        import http.server
        import threading

        site = self
        self.requests: list[tuple[str, str]] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                site.requests.append((self.path, self.headers.get("User-Agent", "")))
                status, headers, body = site.answer(self.path)
                if self.path == "/slow.html":
                    import time

                    time.sleep(site.SLOW_SECONDS)
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def answer(self, path: str) -> tuple[int, dict[str, str], bytes]:
        """Status, headers and body of ``path``."""
        if path in self.REDIRECTS:
            return 301, {"Location": self.REDIRECTS[path]}, b""
        if path.startswith("/articles/") and (WEB / path.removeprefix("/articles/")).is_file():
            return (
                200,
                {"Content-Type": "text/html; charset=utf-8"},
                (WEB / path.removeprefix("/articles/")).read_bytes(),
            )
        if path in self.ROUTES:
            name, content_type = self.ROUTES[path]
            body = (
                (WEB / name).read_text(encoding="utf-8").replace("{base}", self.base).encode() if name else b"\x89PNG"
            )
            return 200, {"Content-Type": content_type}, body
        return 404, {"Content-Type": "text/plain"}, b"not found"

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture(scope="session")
def web_site():
    """The local web site (:class:`WebSite`), started once for the session and stopped after it."""
    site = WebSite()
    site.thread.start()
    yield site
    site.server.shutdown()
    site.server.server_close()
