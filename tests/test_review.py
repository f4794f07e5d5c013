"""Check your answers: each person of "my team" with their answers, each with its own Change."""

from __future__ import annotations

import re

from tests.test_web_conversation import answer, begin, walk_to_review
from tests.web.browser import Browser


async def test_each_person_in_a_list_shows_their_answers_with_change_links(
    browser: Browser,
) -> None:
    await begin(browser)
    await walk_to_review(browser)
    page = browser.page
    assert page is not None and page.heading == "Check your answers"
    # A nested list: the person, then each of their answers, read in order.
    assert re.search(
        r'<ul class="item-answers">\s*<li><span class="item-title">Anna</span>\s*<ul>', page.html
    )
    for question, said in (
        ("What is the name or role of a person who helps you?", "Anna"),
        ("What does Anna help you with?", "Shopping"),
        ("Should Anna come to the meeting?", "Yes"),
    ):
        assert f"{question} {said} Change {question}" in page.text
    change = page.link("Change What does Anna help you with?")
    assert change == "/q/team.helps-with?item=i1&return=review"
    form = await browser.get(change)
    assert form.heading.endswith("What does Anna help you with?") and "Shopping" in form.html
    await answer(browser, {"answer": "Shopping and cooking"})
    review = await browser.get("/review")
    assert "What does Anna help you with? Shopping and cooking Change" in review.text
