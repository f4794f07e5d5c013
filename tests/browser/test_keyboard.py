"""The whole shipped conversation with the keyboard alone: Tab, Shift+Tab, Space, Enter and the
arrow keys, asserting where focus lands after every step."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.walk import prepare

pytestmark = pytest.mark.browser
MAX_TABS = 60


def focused(page: Page) -> dict[str, str]:
    return page.evaluate(
        """() => { const e = document.activeElement;
                   return {tag: e.tagName.toLowerCase(), id: e.id || '', type: e.type || '', name: e.name || '',
                           value: e.value || '', href: e.getAttribute('href') || '', cls: e.className || '',
                           text: e.tagName === 'BUTTON' ? e.textContent.trim() : ''}; }"""
    )


def tab_to(page: Page, wanted: dict[str, str], backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches; fail if it is unreachable."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        now = focused(page)
        if all(now.get(k) == v for k, v in wanted.items()):
            return
    raise AssertionError(f"could not reach {wanted} with the keyboard on {page.url}")


def continue_button(page: Page) -> None:
    tab_to(page, {"tag": "button", "name": "action", "value": "continue"})
    with page.expect_navigation():
        page.keyboard.press("Enter")


def focus_lands_on(page: Page, element_id: str) -> bool:
    """Whether focus arrives on the element: `autofocus` is applied at the next rendering
    after the page loads, which on a busy machine can be a moment after Playwright sees it."""
    try:
        page.wait_for_function(
            "(id) => document.activeElement.id === id", arg=element_id, timeout=3000
        )
    except PlaywrightTimeout:
        return False
    return True


def assert_on_question(page: Page) -> None:
    assert focus_lands_on(page, "question"), (
        f"focus is not on the question on {page.url}: {focused(page)}"
    )


def answer_step(page: Page, kind: str, number: int) -> None:
    if kind in ("short-text", "long-text"):
        tab_to(page, {"id": "answer"})
        page.keyboard.type(f"Vastaus {number}: näin on.")
    elif kind == "number":
        tab_to(page, {"id": "answer"})
        page.keyboard.type("12,5")
    elif kind == "date":
        tab_to(page, {"id": "day"})
        page.keyboard.type("1")
        page.keyboard.press("Tab")
        page.keyboard.type("3")
        page.keyboard.press("Tab")
        page.keyboard.type(str(date.today().year + 1))  # the meeting is never in the past
    elif kind in ("single-choice", "yes-no", "scale"):
        tab_to(page, {"type": "radio"})
        page.keyboard.press("ArrowDown")  # the second choice: arrow keys move and select
        page.keyboard.press("ArrowUp")
        page.keyboard.press("Space")
    elif kind == "multiple-choice":
        tab_to(page, {"type": "checkbox"})
        page.keyboard.press("Space")
        page.keyboard.press("Tab")
        page.keyboard.press("Space")
    elif kind == "list":
        tab_to(page, {"name": "add", "type": "radio"})
        choice = "yes" if "Anna" not in page.content() else "no"
        if choice == "no":
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Space")


def test_the_whole_conversation_with_the_keyboard_alone(page: Page) -> None:
    page.goto("/")
    assert_on_question(page)  # the start page's heading
    tab_to(page, {"tag": "button", "type": "submit", "cls": "button"})
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_on_question(page)
    seen = 0
    named = False
    erred = False
    while "/review" not in page.url:
        seen += 1
        assert seen < 80, "the conversation did not end"
        kind = page.locator("form.step-form").get_attribute("data-kind") or page.locator(
            "form"
        ).last.get_attribute("data-kind")
        if kind == "number" and not erred:
            # One error on the way (an empty Continue is a skip, so a word where a number
            # goes): focus must land on the error summary, and its link lead to the box.
            tab_to(page, {"id": "answer"})
            page.keyboard.type("lots")
            continue_button(page)
            assert "error-summary" in focused(page)["cls"], focused(page)
            tab_to(page, {"href": "#answer"})
            page.keyboard.press("Enter")
            assert focused(page)["id"] == "answer", focused(page)
            page.keyboard.press("Control+A")
            page.keyboard.press("Delete")
            erred = True
        if kind == "short-text" and "team.name" in page.url and not named:
            tab_to(page, {"id": "answer"})
            page.keyboard.type("Anna")
            named = True
        else:
            answer_step(page, kind or "", seen)
        continue_button(page)
        if "/review" not in page.url:
            assert_on_question(page)
    assert erred, "the walk met no number question to make its error on"
    assert_on_question(page)
    assert "Anna" in page.content()
    tab_to(page, {"href": "/draft"})
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_on_question(page)
    assert "Vastaus 2: näin on." in page.content()
    # From the question, Shift+Tab reaches the skip link; the skip link leads into main.
    page.goto("/privacy")
    assert_on_question(page)
    tab_to(page, {"cls": "skip-link"}, backwards=True)
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_after_change_focus_returns_to_the_changed_row(page: Page) -> None:
    """From the review, "Change" and Continue lead back to that row: the address names it, the
    row says "Answer changed" and has focus, so the next Tab goes on from there."""
    prepare(page)
    page.goto("/review")
    page.locator("#answer-liked-for a").click()
    page.locator("#answer").fill("Ystävällisyyteni")
    continue_button(page)
    assert page.evaluate("location.hash") == "#answer-liked-for"
    assert focus_lands_on(page, "answer-liked-for"), focused(page)
    row = page.locator("#answer-liked-for")
    assert "Ystävällisyyteni" in row.inner_text() and "Vastaus muutettu" in row.inner_text()
    page.keyboard.press("Tab")  # on to the row's own Change link
    assert focused(page)["href"] == "/q/liked-for?return=review"
