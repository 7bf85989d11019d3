"""Feeds: the entries of an RSS or Atom feed, as addresses to fetch.

The feed is fetched like a page (:class:`graph.ingest.fetch.Fetcher`: robots.txt, timeout, size cap,
retries) and parsed with feedparser; nothing of the feed is kept but its entries' links, resolved against
the feed's address. Which entries a build already holds is remembered by the build itself: every fetched
page's sidecar names its address (:func:`graph.ingest.fetch.saved_addresses`), so a second ``cmkg add
--feed`` of the same feed fetches only the entries that are new.
"""

from __future__ import annotations

import logging

from graph.errors import FetchError
from graph.ingest.fetch import Fetcher, is_address

log = logging.getLogger(__name__)


def feed_links(data: bytes, address: str) -> list[str]:
    """The http(s) links of a feed's entries, in the feed's order, without repeats; raise :class:`FetchError`
    when ``data`` is not an RSS or Atom feed.

    >>> feed_links(b'<rss version="2.0"><channel><title>t</title><item><link>https://ex.org/a</link></item>'
    ...            b'</channel></rss>', "https://ex.org/feed")
    ['https://ex.org/a']
    """
    import feedparser

    parsed = feedparser.parse(data, response_headers={"content-location": address})
    if not parsed.get("version"):
        reason = parsed.get("bozo_exception")
        raise FetchError(f"{address}: not an RSS or Atom feed" + (f" ({reason})" if reason else ""))
    links = []
    for entry in parsed.entries:
        link = entry.get("link")
        if link and is_address(link):
            links.append(link)
        else:
            log.info("%s: entry without an http(s) link skipped (%s)", address, entry.get("title"))
    return list(dict.fromkeys(links))


def read_feed(address: str, fetcher: Fetcher) -> list[str]:
    """Fetch the feed at ``address`` and return its entries' links (:func:`feed_links`)."""
    return feed_links(fetcher.fetch(address).body, address)


def new_links(links: list[str], held: set[str]) -> list[str]:
    """The links not yet in a build (``held``: the addresses it already read), in order.

    >>> new_links(["https://ex.org/a", "https://ex.org/b"], {"https://ex.org/a"})
    ['https://ex.org/b']
    """
    return [link for link in links if link not in held]
