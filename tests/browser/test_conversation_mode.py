"""The conversation mode: the same steps as a transcript, over the JSON API, finished with the
keyboard alone, and as accessible as the plain pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import axe, save
from tests.browser.test_keyboard import focused, tab_to

pytestmark = pytest.mark.browser


def test_conversation_mode_by_keyboard(page: Page) -> None:
    page.goto("/")
    tab_to(page, {"tag": "button", "type": "submit", "cls": "button"})
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, {"cls": "button button-secondary mode-toggle"}, backwards=True)
    page.keyboard.press("Enter")
    page.wait_for_selector("ol.transcript li")
    assert axe(page) == []
    steps = 0
    added = False
    while "/review" not in page.url:
        steps += 1
        assert steps < 90, "the conversation did not end"
        page.wait_for_selector(".conversation-form")
        count = page.locator("ol.transcript > li").count()
        now = focused(page)
        assert page.evaluate("document.activeElement.closest('.conversation-input') !== null"), now
        kind = now["type"] or now["tag"]
        if steps == 3:  # an empty answer: an error, read out with the field, focus kept there
            tab_to(page, {"tag": "button", "value": "continue"})
            with page.expect_response(lambda r: "/api/v1/steps/" in r.url) as refused:
                page.keyboard.press("Enter")
            assert refused.value.status == 422
            # The script writes the message after the response arrives: wait for it.
            page.wait_for_function("document.querySelector('#c-errors').textContent !== ''")
            assert page.locator("#c-errors").inner_text().split(" ")[0] in (
                "Error:",
                "Virhe:",
                "Fel:",
            )
            assert focused(page)["id"] == "c-answer"
        if now["id"] == "c-day":
            page.keyboard.type("1")
            page.keyboard.press("Tab")
            page.keyboard.type("3")
            page.keyboard.press("Tab")
            page.keyboard.type("2027")
        elif page.evaluate("document.activeElement.inputMode") == "decimal":
            page.keyboard.type("12,5")
        elif kind in ("text", "textarea"):
            page.keyboard.type(f"Vastaus {steps}")
        elif now["name"] == "add":  # add one person, then no more
            page.keyboard.press("ArrowDown" if added else "Space")
            added = True
        elif kind in ("radio", "checkbox"):
            page.keyboard.press("Space")
        if steps == 5:
            assert axe(page) == []
            save(page, "conversation-mode")
        tab_to(page, {"tag": "button", "value": "continue"})
        with page.expect_response(lambda r: "/api/v1/steps/" in r.url) as sent:
            page.keyboard.press("Enter")
        assert sent.value.status == 200, (
            f"step {steps}: {sent.value.status} {page.locator('#c-errors').inner_text()}"
        )
        page.wait_for_function(
            "(n) => document.querySelectorAll('ol.transcript > li').length > n || location.pathname === '/review'",
            arg=count,
        )
        if "/review" in page.url:
            break
        messages = page.locator("ol.transcript > li")
        last = messages.last
        assert last.locator(".sender").inner_text().strip() != ""  # the sender is named in text
        assert page.locator("[aria-live=polite]").count() == 1
    page.wait_for_url("**/review")
    assert "Vastaus" in page.content()
