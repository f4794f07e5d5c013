"""The browser matrix over every dialogue, not only the shipped one the main walk knows by
heart: each other dialogue is walked to its draft through the real pages in Chromium, and every
kind of page it shows is checked once with axe-core (WCAG 2.2 AA) and for reflow at 320 px
under every text size, contrast and 200 % browser text. One walk per dialogue, each page
checked where the walk already is."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from assistant.settings import Settings
from assistant.web.urls import url
from tests.browser.conftest import AXE, LiveServer, axe
from tests.browser.reflow import sideways
from tests.every_dialogue import DIALOGUE_FILES

pytestmark = pytest.mark.browser
# wishes-and-needs has the full matrix of its own (walk.py); every-kind is the web tests'.
OTHERS = [p for p in DIALOGUE_FILES if p.stem not in ("wishes-and-needs", "every-kind")]
MAX_PAGES = 120


@pytest.fixture(params=OTHERS, ids=lambda p: p.stem)
def walked(
    request: pytest.FixtureRequest, browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Page, Path]]:
    path: Path = request.param
    settings = Settings.from_env(
        data_dir=tmp_path_factory.mktemp(path.stem),
        dialogues_dir=path.parent,
        default_dialogue=path.stem,
        speech=False,
    )
    server = LiveServer(settings)
    server.start()
    context = browser.new_context(base_url=server.url, viewport={"width": 320, "height": 800})
    context.add_init_script(path=str(AXE))
    try:
        yield context.new_page(), path
    finally:
        context.close()
        server.stop()


def answer(page: Page, kind: str, added: int) -> None:
    """A plausible answer for any kind of step, as a person would give it."""
    if kind in ("short-text", "long-text"):
        page.fill("#answer", "In my own words.")
    elif kind == "number":
        page.fill("#answer", "2")
    elif kind == "date":
        page.fill("#day", "1")
        page.fill("#month", "3")
        page.fill("#year", str(date.today().year + 1))
    elif kind in ("single-choice", "yes-no", "scale", "multiple-choice"):
        page.locator("input[name=answer]").first.check()
    elif kind == "list":
        page.locator(f"input[name=add][value={'yes' if added == 0 else 'no'}]").check()


def checked(page: Page, what: str, problems: list[str]) -> None:
    problems += [f"{what}: axe {v['id']} {v['nodes']}" for v in axe(page)]
    problems += [f"{what}: {wide}" for wide in sideways(page)]


def test_every_dialogue_walks_to_its_draft_accessibly(walked: tuple[Page, Path]) -> None:
    page, path = walked
    page.goto("/")
    problems: list[str] = []
    checked(page, "start", problems)
    page.locator("input[name=role][value=client]").check()
    page.locator(f"form[action='{url('begin')}'] button[type=submit]").click()
    seen: set[str] = set()
    lists_added: dict[str, int] = {}
    for _ in range(MAX_PAGES):
        if "/review" in page.url:
            break
        form = page.locator("form.step-form")
        kind = form.get_attribute("data-kind") or ""
        if kind not in seen:  # each kind of page once: the same markup checks the same
            seen.add(kind)
            checked(page, f"{path.stem} {kind} {page.url}", problems)
        list_key = page.url.split("/q/")[1].split("?")[0]
        answer(page, kind, lists_added.get(list_key, 0))
        if kind == "list":
            lists_added[list_key] = lists_added.get(list_key, 0) + 1
        page.locator("button[name=action][value=continue]").click()
        page.wait_for_load_state()
    else:
        pytest.fail(f"{path.stem}: the walk did not reach the review in {MAX_PAGES} pages")
    assert "information" in seen or len(seen) > 2
    checked(page, f"{path.stem} review", problems)
    page.goto("/draft")
    checked(page, f"{path.stem} draft", problems)
    assert page.locator("article.draft h3").count() >= 1
    assert problems == []
