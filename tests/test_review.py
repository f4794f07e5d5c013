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
    await answer(browser)  # the engine leads on through Anna's other questions, kept as they were
    await answer(browser, {"add": "no"})  # and the list of people, then back to the review
    # Back at the row of the last question answered (the list), which says it was changed and
    # has focus.
    review = browser.page
    assert review is not None and review.path == "/review?changed=team"
    assert re.search(
        r'<div class="summary-row changed" id="answer-team" tabindex="-1" autofocus>', review.html
    )
    assert "Shopping and cooking" in review.text and "Answer changed Change" in review.text
    assert review.html.count("autofocus") == 1  # the heading does not take focus this time
    again = await browser.get("/review")
    assert "What does Anna help you with? Shopping and cooking Change" in again.text


async def test_after_change_the_review_opens_at_that_row_with_focus(browser: Browser) -> None:
    await begin(browser)
    await walk_to_review(browser)
    page = browser.page
    assert page is not None
    await browser.get(page.link("Change What would you like us to call you?"))
    assert browser.page is not None
    kept = [(n, v) for n, v, kind, _ in browser.page.form().fields if n and n != "answer"]
    response = await browser.client.post(
        "/q/name",
        data=[*kept, ("answer", "Aino V."), ("action", "continue")],
        allow_redirects=False,
    )
    assert response.status == 303
    assert response.headers["Location"] == "/review?changed=name#answer-name"
    review = await browser.get(response.headers["Location"])
    assert re.search(
        r'<div class="summary-row changed" id="answer-name" tabindex="-1" autofocus>', review.html
    )
    assert "What would you like us to call you? Aino V. Answer changed Change" in review.text
    assert re.search(
        r'<h1 class="question" id="question" tabindex="-1">', review.html
    )  # no autofocus
