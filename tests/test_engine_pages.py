"""The engine's rules as a person meets them: whole pages through the real server and SQLite,
with no JavaScript (the "If something else, what?" box is always on the page)."""

from __future__ import annotations

from tests.test_web_conversation import answer, begin
from tests.web.browser import Browser


async def test_words_typed_under_something_else_are_kept(browser: Browser) -> None:
    await begin(browser)
    await browser.get("/q/moving")
    await answer(browser, {"answer": "walk", "other": "Music"})  # "Something else" not ticked
    page = await browser.get("/review")
    assert "I walk, Music" in page.text
