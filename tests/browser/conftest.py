"""A real headless Chromium (Debian's, via Playwright) against the real server on 127.0.0.1.

Sync Playwright owns the main thread's event loop, so the aiohttp server runs in a thread of
its own with its own loop. axe-core is injected from node_modules with page.evaluate, which
works under our strict CSP where a script tag would not.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from assistant.app import create_app
from assistant.conversations import utc_now
from assistant.settings import PROJECT_ROOT, Settings

CHROMIUM = os.environ.get("OMA_CHROMIUM", "/usr/bin/chromium")
AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
PAGES = ARTIFACTS / "pages"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


class LiveServer:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.hours_ahead = 0  # the server's clock runs ahead of the real one: see next_hour
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.url = ""
        self.thread = threading.Thread(target=self._run, daemon=True, name="live-server")

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        runner = web.AppRunner(create_app(self.settings, clock=self.now))
        self.loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        self.loop.run_until_complete(site.start())
        port = runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"
        self.runner = runner
        self.ready.set()
        self.loop.run_forever()
        self.loop.run_until_complete(runner.cleanup())

    def now(self) -> datetime:
        return utc_now() + timedelta(hours=self.hours_ahead)

    def next_hour(self) -> None:
        """Move the server's clock on an hour, so hourly limits (resume-code tries, which the
        tests use up to show the "too many tries" page) start again for the next test."""
        self.hours_ahead += 1

    def start(self) -> None:
        self.thread.start()
        assert self.ready.wait(30), "the server did not start"

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(30)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    settings = Settings.from_env(data_dir=tmp_path_factory.mktemp("browser-data"), speech=True)
    live = LiveServer(settings)
    live.start()
    yield live
    live.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    assert shutil.which(CHROMIUM) or Path(CHROMIUM).exists(), (
        "Chromium is missing: run `make test` (as root it installs Debian's chromium)"
    )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--autoplay-policy=no-user-gesture-required",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser: Browser, server: LiveServer) -> Iterator[BrowserContext]:
    context = browser.new_context(
        base_url=server.url, viewport={"width": 1280, "height": 900}, locale="fi-FI"
    )
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext, server: LiveServer) -> Iterator[Page]:
    page = context.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith(server.url) and not request.url.startswith("data:")
            else None
        ),
    )
    yield page
    assert outside == [], f"requests to another origin: {outside}"


# Rules whose result depends on layout and colour, not only on the DOM: at another width the
# DOM is the same, so only these need to run again.
LAYOUT_RULES = ["color-contrast", "target-size", "scrollable-region-focusable"]
# The same for a colour theme (high contrast, the dark scheme), which changes nothing but
# colours: on the same DOM in another theme only these can find anything new.
THEME_RULES = [*LAYOUT_RULES, "link-in-text-block"]


@pytest.fixture
def axe_page(context: BrowserContext, page: Page) -> Page:
    """A page with axe-core loaded into every document it opens. An init script is not subject
    to the page's CSP, and it spares evaluating axe's source after each navigation."""
    context.add_init_script(path=str(AXE))
    return page


def axe(
    page: Page, *, only: list[str] | None = None, enhanced_contrast: bool = False
) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.x A/AA violations on the page as it is now; `only` narrows the run to
    those rules; `enhanced_contrast` adds the 7:1 rule of WCAG 1.4.6 (AAA)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    enhanced = ["color-contrast-enhanced"] if enhanced_contrast else []
    # With a list of rules, axe runs those alone: the 7:1 rule must be in the list to run.
    run_only = (
        {"type": "rule", "values": [*only, *enhanced]}
        if only
        else {"type": "tag", "values": WCAG_TAGS}
    )
    rules = {rule: {"enabled": True} for rule in enhanced}
    result = page.evaluate(
        "async (options) => (await axe.run(document, {...options, resultTypes: ['violations']})).violations",
        {"runOnly": run_only, "rules": rules},
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result
    ]


def add_css(page: Page, css: str) -> None:
    """Apply a user style sheet as a reader's own settings would. A constructed sheet is
    applied under our CSP, where a <style> element made by script is silently refused."""
    page.evaluate(
        """(css) => { const sheet = new CSSStyleSheet(); sheet.replaceSync(css);
                      document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]; }""",
        css,
    )


def save(page: Page, name: str, screenshot: bool = True) -> None:
    """The page's HTML for the Nu validator, and a screenshot for a person to look at."""
    html, png = PAGES / f"{name}.html", SCREENSHOTS / f"{name}.png"
    html.parent.mkdir(parents=True, exist_ok=True)
    html.write_text(page.content(), encoding="utf-8")
    if screenshot:
        png.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(png), full_page=True)
