"""Fetching: read web addresses into saved pages, so that a build never needs the network again.

Contract, before any code:

- An address is fetched with httpx, following redirects, with a timeout, a size cap (the body is read in
  chunks and refused past ``max_bytes``), a clear ``User-Agent`` (:data:`USER_AGENT`) and retries with
  exponential backoff on timeouts, connection errors, 429 and 5xx answers (never on 4xx). The host's
  ``robots.txt`` (parsed with Protego, fetched once per host and run) is obeyed for that user agent; a
  missing ``robots.txt`` allows everything.
- What was read is saved as it came (HTML, PDF or plain text; other content types are refused) under a
  stable id derived from the address asked for (:func:`page_id`), with a ``<id>.meta.json`` sidecar: the
  address, the final url after redirects, the canonical url the page declares (which becomes ``url``), the
  fetch time (``fetched``, UTC), and the title, date, publisher and author the page declares (trafilatura).
  The saved page and its sidecar are an ordinary document for :func:`graph.ingest.read.load_document`.
- Every failure is a :class:`graph.errors.FetchError` whose message is one line: the address, then the
  reason (``https://example.org/a: HTTP 404``). Text of the page is data: nothing in it is executed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from graph import __version__
from graph.errors import FetchError

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

PROJECT_URL = "https://w3id.org/cmkg"
USER_AGENT = f"cmkg/{__version__} (+{PROJECT_URL})"
#: Content types kept, and the suffix a saved page of each type gets.
SUFFIXES = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "application/pdf": ".pdf",
    "text/plain": ".txt",
}
#: Answers worth asking again after a pause.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
ID_SLUG_MAX = 60


@dataclass(frozen=True)
class FetchSettings:
    """How addresses are fetched: timeout (seconds, per attempt), size cap, retries after the first attempt
    and the first pause between attempts (doubled after each one)."""

    timeout: float = 20.0
    max_bytes: int = 10_000_000
    retries: int = 2
    backoff: float = 1.0
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class Fetched:
    """One answer read in full: the address asked for, where it ended after redirects, its content type
    (without parameters), its bytes and when it was read (ISO 8601, UTC)."""

    address: str
    final_url: str
    content_type: str
    body: bytes
    fetched: str


def is_address(text: str) -> bool:
    """Whether a command-line source is a web address rather than a file.

    >>> is_address("https://example.org/a"), is_address("seeds/a.txt")
    (True, False)
    """
    return text.lower().startswith(("http://", "https://"))


def page_id(address: str) -> str:
    """The stable document id of an address: host and last path segment as a slug, then a digest of the whole
    address (so that two addresses never share an id and one address always gets the same).

    >>> page_id("https://www.example.org/news/terres-rares.html?x=1")
    'example-org-terres-rares-4bf5fc55'
    """
    parts = urlsplit(address)
    host = parts.hostname or "page"
    host = host.removeprefix("www.")
    last = [segment for segment in parts.path.split("/") if segment]
    stem = re.sub(r"\.(html?|php|aspx?)$", "", last[-1]) if last else ""
    slug = re.sub(r"[^a-z0-9]+", "-", f"{host} {stem}".lower()).strip("-")[:ID_SLUG_MAX].strip("-")
    return f"{slug}-{hashlib.sha1(address.encode('utf-8')).hexdigest()[:8]}"


def read_address_list(path: Path) -> list[str]:
    """The addresses of a text file, one a line; blank lines and lines starting with ``#`` are ignored.
    A line that is not an http(s) address raises :class:`FetchError` naming the file and line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise FetchError(f"{path}: cannot read the list of addresses ({exc})") from exc
    addresses = []
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not is_address(line):
            raise FetchError(f"{path}:{number}: not an http(s) address: {line[:80]}")
        addresses.append(line)
    return addresses


def page_metadata(fetched: Fetched) -> dict[str, str | None]:
    """What the sidecar of a fetched page says: address, final url, canonical url (as ``url``), fetch time,
    and, for an HTML page, the title, date, publisher and author it declares (trafilatura)."""
    meta: dict[str, str | None] = {
        "address": fetched.address,
        "final_url": fetched.final_url,
        "url": fetched.final_url,
        "fetched": fetched.fetched,
        "kind": "web page" if SUFFIXES.get(fetched.content_type) == ".html" else None,
    }
    if SUFFIXES.get(fetched.content_type) == ".html":
        from trafilatura.metadata import extract_metadata

        declared = extract_metadata(fetched.body.decode("utf-8", errors="replace"), default_url=fetched.final_url)
        if declared is not None:
            meta.update(
                {
                    "url": declared.url or fetched.final_url,
                    "title": declared.title,
                    "date": declared.date,
                    "publisher": declared.sitename,
                    "author": declared.author,
                }
            )
    return {k: v for k, v in meta.items() if v}


def save_page(fetched: Fetched, folder: Path) -> Path:
    """Write a fetched page as ``folder/<id><suffix>`` with its ``<id>.meta.json``; return the page's path."""
    suffix = SUFFIXES.get(fetched.content_type)
    if suffix is None:
        raise FetchError(f"{fetched.address}: unsupported content type {fetched.content_type or 'none'}")
    folder.mkdir(parents=True, exist_ok=True)
    doc_id = page_id(fetched.address)
    path = folder / f"{doc_id}{suffix}"
    path.write_bytes(fetched.body)
    sidecar = folder / f"{doc_id}.meta.json"
    sidecar.write_text(json.dumps(page_metadata(fetched), ensure_ascii=False, indent=1, sort_keys=True) + "\n", "utf-8")
    return path


def saved_addresses(folder: Path) -> dict[str, Path]:
    """The addresses already saved in ``folder`` (a build's ``sources/``), each with its page file."""
    found: dict[str, Path] = {}
    if not folder.is_dir():
        return found
    for sidecar in sorted(folder.glob("*.meta.json")):
        try:
            address = json.loads(sidecar.read_text(encoding="utf-8")).get("address")
        except (ValueError, OSError):
            continue
        pages = [p for p in folder.glob(sidecar.name.removesuffix(".meta.json") + ".*") if p != sidecar]
        if address and pages:
            found[address] = pages[0]
    return found


@dataclass
class Fetcher:
    """An HTTP client that obeys robots.txt; use it as a context manager (it holds connections)."""

    settings: FetchSettings = field(default_factory=FetchSettings)
    sleep: object = time.sleep
    _client: httpx.Client | None = field(default=None, init=False, repr=False)
    _robots: dict[str, object] = field(default_factory=dict, init=False, repr=False)

    def __enter__(self) -> Fetcher:
        import httpx  # imported when something is fetched: 0.1 s (with rich) that a build or an add of files spares

        self._client = httpx.Client(
            timeout=self.settings.timeout,
            follow_redirects=True,
            max_redirects=5,
            headers={"User-Agent": self.settings.user_agent},
        )
        return self

    def __exit__(self, *exc_info) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def fetch(self, address: str) -> Fetched:
        """Read ``address`` (see the module docstring); raise :class:`FetchError` with one line if it fails."""
        if not is_address(address):
            raise FetchError(f"{address}: not an http(s) address")
        if not self.allowed(address):
            raise FetchError(f"{address}: forbidden by the site's robots.txt for {self.settings.user_agent}")
        return self._get(address, for_robots=False)

    def allowed(self, address: str) -> bool:
        """Whether the host's robots.txt lets our user agent read ``address`` (read once per host)."""
        from protego import Protego

        parts = urlsplit(address)
        root = f"{parts.scheme}://{parts.netloc}"
        if root not in self._robots:
            try:
                answer = self._get(f"{root}/robots.txt", for_robots=True)
                text = answer.body.decode("utf-8", errors="replace")
            except FetchError as exc:
                log.info("no usable robots.txt at %s (%s): everything allowed", root, exc)
                text = ""
            self._robots[root] = Protego.parse(text)
        return self._robots[root].can_fetch(address, self.settings.user_agent)

    def _get(self, address: str, for_robots: bool) -> Fetched:
        settings = self.settings
        for attempt in range(settings.retries + 1):
            last = attempt == settings.retries
            try:
                return self._get_once(address)
            except _Retry as exc:
                if last or for_robots:
                    raise FetchError(f"{address}: {exc}") from None
                pause = settings.backoff * 2**attempt
                log.info("%s: %s; trying again in %.1f s", address, exc, pause)
                self.sleep(pause)
        raise AssertionError("unreachable")  # pragma: no cover

    def _get_once(self, address: str) -> Fetched:
        import httpx

        assert self._client is not None, "use Fetcher as a context manager"
        settings = self.settings
        try:
            with self._client.stream("GET", address) as response:
                if response.status_code in RETRY_STATUSES:
                    raise _Retry(f"HTTP {response.status_code}")
                if response.status_code >= 400:
                    raise FetchError(f"{address}: HTTP {response.status_code}")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > settings.max_bytes:
                    raise FetchError(f"{address}: larger than the {settings.max_bytes:,}-byte cap ({declared} bytes)")
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > settings.max_bytes:
                        raise FetchError(f"{address}: larger than the {settings.max_bytes:,}-byte cap")
                    chunks.append(chunk)
                content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
                return Fetched(
                    address=address,
                    final_url=str(response.url),
                    content_type=content_type,
                    body=b"".join(chunks),
                    fetched=dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
                )
        except httpx.TooManyRedirects as exc:
            raise FetchError(f"{address}: too many redirects") from exc
        except httpx.TimeoutException:
            raise _Retry(f"no answer within {settings.timeout:g} s") from None
        except httpx.TransportError as exc:
            raise _Retry(f"cannot connect ({type(exc).__name__}: {exc})") from None


class _Retry(Exception):
    """A failure worth another attempt (timeout, connection error, 429, 5xx); its text is the reason."""


def fetch_pages(
    addresses: list[str], folder: Path, fetcher: Fetcher, keep_going: bool = False
) -> tuple[list[Path], list[tuple[str, str]]]:
    """Fetch each address and save it into ``folder``; return the saved pages and, with ``keep_going``, the
    addresses that failed with their reasons (without it the first failure raises :class:`FetchError`)."""
    pages: list[Path] = []
    failed: list[tuple[str, str]] = []
    for address in dict.fromkeys(addresses):
        try:
            pages.append(save_page(fetcher.fetch(address), folder))
        except FetchError as exc:
            if not keep_going:
                raise
            failed.append((address, str(exc).removeprefix(f"{address}: ")))
    return pages, failed
