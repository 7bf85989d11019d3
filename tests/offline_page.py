"""Pages opened from disk in headless Chromium with every other request refused and recorded: the helper the
browser tests of graph.html and of the static site share."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, Route


@dataclass
class Visit:
    """An opened page and what happened while it loaded."""

    page: Page
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def open_offline(
    browser: Browser, path: Path, contexts: list[BrowserContext], width: int = 1280, bypass_csp: bool = False
) -> Visit:
    """Open ``path`` in a fresh context (appended to ``contexts`` for the caller to close) that lets only
    ``file://`` requests through and records the others, console errors, page errors and dialogs."""
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=bypass_csp)
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
    return result
