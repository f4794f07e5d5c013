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
from tests.browser.walk import ERROR_PAGES, OTHER_PAGES, STEP_PAGES, csrf, prepare

pytestmark = pytest.mark.browser
SNAPSHOTS = Path(__file__).parent / "aria"
VNU = PROJECT_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.mark.parametrize(("name", "path"), STEP_PAGES, ids=[n for n, _ in STEP_PAGES])
def test_aria_snapshot_of_each_step_kind(page: Page, name: str, path: str) -> None:
    prepare(page, "en")  # the source language: snapshots do not move when translations do
    page.goto(path)
    snapshot = page.locator("main").aria_snapshot()
    golden = SNAPSHOTS / f"{name}.yml"
    if os.environ.get("UPDATE_GOLDEN") or not golden.exists():
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(snapshot + "\n", encoding="utf-8")
    assert snapshot + "\n" == golden.read_text(encoding="utf-8"), (
        f"{name}: the accessibility tree changed; review and run with UPDATE_GOLDEN=1"
    )


def test_every_page_is_valid_html(page: Page, tmp_path: Path) -> None:
    prepare(page, "fi")
    for name, path in STEP_PAGES + OTHER_PAGES:
        (tmp_path / f"{name}.html").write_text(page.request.get(path).text(), encoding="utf-8")
    for name, path, fields in ERROR_PAGES:
        response = page.request.post(
            path, form={"csrf": csrf(page.context), "action": "continue", **fields}
        )
        (tmp_path / f"{name}.html").write_text(response.text(), encoding="utf-8")
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
