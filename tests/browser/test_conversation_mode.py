"""The conversation mode: the same steps as a transcript, over the JSON API, finished with the
keyboard alone, and as accessible as the plain pages."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import axe, save
from tests.browser.test_keyboard import focused, tab_to
from tests.browser.walk import prepare

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
        if steps == 3:  # a wrong answer: an error, read out with the field, focus kept there
            page.keyboard.type("x" * 5001 if kind == "textarea" else "x" * 81)
            tab_to(page, {"tag": "button", "value": "continue"})
            with page.expect_response(lambda r: "/api/v1/steps/" in r.url) as refused:
                page.keyboard.press("Enter")
            assert refused.value.status == 422
            # The script writes the message after the response arrives: wait for it.
            # A function, not an expression: Playwright evaluates an expression again on every
            # poll, which our CSP (no 'unsafe-eval') refuses once the first check is false.
            page.wait_for_function("() => document.querySelector('#c-errors').textContent !== ''")
            assert page.locator("#c-errors").inner_text().split(" ")[0] in (
                "Error:",
                "Virhe:",
                "Fel:",
            )
            assert focused(page)["id"] == "c-answer"
            page.keyboard.press("Control+A")
            page.keyboard.press("Delete")
        if now["id"] == "c-day":
            page.keyboard.type("1")
            page.keyboard.press("Tab")
            page.keyboard.type("3")
            page.keyboard.press("Tab")
            page.keyboard.type(str(date.today().year + 1))  # the meeting is never in the past
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
        # On an information step focus is on Continue already: tabbing from there would go
        # round the whole transcript, which a long dialogue makes longer than MAX_TABS.
        here = focused(page)
        if (here["tag"], here.get("value")) != ("button", "continue"):
            tab_to(page, {"tag": "button", "value": "continue"})
        with page.expect_response(lambda r: "/api/v1/steps/" in r.url) as sent:
            page.keyboard.press("Enter")
        assert sent.value.status == 200, (
            f"step {steps}: {sent.value.status} {page.locator('#c-errors').inner_text()}"
        )
        shown = page.wait_for_function(
            """(n) => location.pathname === '/review' ? 'review'
                     : document.querySelectorAll('ol.transcript > li').length > n && 'next'""",
            arg=count,
        ).json_value()
        if shown == "review":  # the script went on to the check-answers page
            break
        # "Show as a page" leads to the plain page of the question now asked.
        assert page.locator("a.mode-plain").get_attribute("href") == sent.value.json()["url"]
        messages = page.locator("ol.transcript > li")
        last = messages.last
        assert last.locator(".sender").inner_text().strip() != ""  # the sender is named in text
        assert page.locator("[aria-live=polite]").count() == 1
    page.wait_for_url("**/review")
    assert "Vastaus" in page.content()


def test_repeat_where_and_answered_stay_in_the_transcript(page: Page) -> None:
    """A braille display drops live-region announcements: each command's answer must be a
    lasting message, its sender named in text, announced once by itself, and focus must stay
    on the command the person pressed."""
    prepare(page)
    page.goto("/q/lives-with")
    question = page.locator("h1").inner_text()
    caption = page.locator("#caption").inner_text()  # "My everyday life, question 7 of about 34"
    tab_to(page, {"cls": "button button-secondary mode-toggle"}, backwards=True)
    page.keyboard.press("Enter")
    page.wait_for_selector("ol.transcript > li")
    messages = page.locator("ol.transcript > li")
    assert messages.first.locator(".words").inner_text().startswith(question)  # this page's step
    live = page.locator("[aria-live=polite]")
    expected = {
        "Toista kysymys": question,
        "Missä olen?": caption,
        "Mihin olen vastannut?": "Mihin olen vastannut?",
    }
    for command, words in expected.items():
        count = messages.count()
        tab_to(page, {"tag": "button", "text": command})
        page.keyboard.press("Enter")
        messages.nth(count).wait_for(timeout=5000)
        assert messages.count() == count + 1
        new = messages.nth(count)
        assert new.locator(".sender").inner_text() == "Oma ääni:"
        assert new.locator(".words").inner_text().startswith(words)
        # The live region says the new message only, never the history before it.
        page.wait_for_function(
            "(words) => document.querySelector('[aria-live=polite]').textContent.startsWith(words)",
            arg=words,
        )
        assert page.locator("[aria-live=polite]").count() == 1
        assert messages.first.inner_text() not in live.inner_text() or command == "Toista kysymys"
        assert focused(page)["text"] == command, f"focus moved away from {command}: {focused(page)}"
    answered = messages.last.inner_text()
    assert "Huumorintajuni <script>alert(1)</script>" in answered and "Anna" in answered
    assert "Huumorintajuni" in live.inner_text()  # the answers are read with the message
    # From the commands, Shift+Tab goes back to the answer's buttons and fields.
    tab_to(page, {"type": "radio"}, backwards=True)
    assert page.evaluate("document.activeElement.closest('.conversation-input') !== null")


def test_an_answered_question_shows_its_answer_in_the_conversation(page: Page) -> None:
    """Opened on a question answered before (after "back", or a change from the review), the
    conversation's input holds that answer, as the plain page's does."""
    prepare(page)  # the walk has answered the first questions on the plain pages
    for path, selector in (("/q/liked-for", "#c-answer"), ("/q/services-now", "input:checked")):
        page.goto(path)
        plain = (
            page.locator("#answer").input_value()
            if selector == "#c-answer"
            else page.locator("input[name=answer]:checked").get_attribute("value")
        )
        assert plain, path
        page.locator(".mode-toggle").click()
        page.wait_for_selector(".conversation-form")
        shown = (
            page.locator(selector).input_value()
            if selector == "#c-answer"
            else page.locator(f".conversation-form {selector}").get_attribute("value")
        )
        assert shown == plain, path
        page.locator("a.mode-plain").click()
