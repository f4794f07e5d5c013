"""Accessibility-tree snapshots of each step kind (a change to names, roles or states shows up
in review), and the HTML of every page type through the Nu HTML checker."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page

from assistant.settings import PROJECT_ROOT
from tests.browser.conftest import LiveServer
from tests.browser.test_keyboard import tab_to
from tests.browser.walk import (
    CONVERSATION_PAGES,
    ERROR_PAGES,
    OTHER_PAGES,
    STEP_PAGES,
    prepare,
    show_deleted,
    show_errors,
    show_refused,
    show_saved_code,
    visit,
)

pytestmark = pytest.mark.browser
SNAPSHOTS = Path(__file__).parent / "aria"
VNU = PROJECT_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def accessibility_tree(page: Page) -> list[tuple[str, str]]:
    """(role, name) of every node Chromium exposes to screen readers and braille displays."""
    session = page.context.new_cdp_session(page)
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    session.detach()
    return [
        (node["role"]["value"], node.get("name", {}).get("value", ""))
        for node in nodes
        if not node.get("ignored")
    ]


def audio_players(page: Page) -> list[str]:
    """The audio players as snapshot lines: the ARIA snapshot leaves them out (an <audio> has
    no ARIA role), yet they are what a reader hears."""
    return [f'- audio "{name}"' for role, name in accessibility_tree(page) if role == "Audio"]


@pytest.mark.parametrize(("name", "path"), STEP_PAGES, ids=[n for n, _ in STEP_PAGES])
def test_aria_snapshot_of_each_step_kind(page: Page, name: str, path: str) -> None:
    prepare(page, "en")  # the source language: snapshots do not move when translations do
    page.goto(path)
    snapshot = "\n".join([page.locator("main").aria_snapshot(), *audio_players(page)])
    golden = SNAPSHOTS / f"{name}.yml"
    if os.environ.get("UPDATE_GOLDEN") or not golden.exists():
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(snapshot + "\n", encoding="utf-8")
    assert snapshot + "\n" == golden.read_text(encoding="utf-8"), (
        f"{name}: the accessibility tree changed; review and run with UPDATE_GOLDEN=1"
    )


def test_listening_is_announced_once_and_works_by_keyboard(page: Page) -> None:
    """ "Listen to the question" is the Listen button's name and nothing else in the tree says
    it (neither the hidden label, the hidden player nor the fallback link inside <audio>); Tab
    reaches the button and Enter plays the question."""
    prepare(page, "en")
    page.goto("/q/liked-for")
    said = [
        role
        for role, name in accessibility_tree(page)
        # An InlineTextBox is a line of a text node, not read by itself.
        if role != "InlineTextBox" and "Listen to the question" in name
    ]
    assert said == ["button", "StaticText"]  # the button and its own text, once
    tab_to(page, {"tag": "button", "text": "Listen to the question"})
    page.keyboard.press("Enter")
    page.wait_for_function("() => !document.querySelector('#listen').paused", timeout=10_000)


def test_every_page_is_valid_html(page: Page, server: LiveServer, tmp_path: Path) -> None:
    """The HTML the server sends for every page type and state, and the DOM the conversation
    mode builds, through the Nu HTML checker in one call."""
    prepare(page, "fi")
    pages = {name: page.request.get(path).text() for name, path in STEP_PAGES + OTHER_PAGES}
    for name, path, fields in ERROR_PAGES:
        pages[name] = show_errors(page, path, fields).text()
    pages["saved-code"] = show_saved_code(page).text()
    for name, response in show_refused(page, server):
        pages[name] = response.text()
    for name, path in CONVERSATION_PAGES:
        visit(page, name, path)
        pages[name] = page.content()
    pages["deleted"] = show_deleted(page).text()
    for name, html in pages.items():
        (tmp_path / f"{name}.html").write_text(html, encoding="utf-8")
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    problems = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')}" for m in messages
    ]
    assert problems == []
