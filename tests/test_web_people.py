"""Whose words are whose: who is answering is told on every question, and "you" on the review
means whoever reads it. Starting again never strands answers nobody can reach."""

from __future__ import annotations

import re
import sqlite3

from assistant.settings import Settings
from tests.test_resume import saved_code
from tests.test_web_conversation import answer, begin
from tests.web.browser import Browser


async def test_every_question_says_who_is_answering_when_it_is_not_the_client_alone(
    browser: Browser,
) -> None:
    await begin(browser, "proxy", "my son")
    await answer(browser)
    page = browser.page
    assert page is not None
    assert (
        "Answering for the client: my son. Write what the client has told or shown you."
        in page.text
    )
    # Read once above the question, not again each time focus lands on it: the heading's
    # description is the caption alone.
    assert re.search(r'<h1[^>]*aria-describedby="caption"', page.html)
    assert page.link("Change who is answering") == "/respondent"


async def test_a_helper_is_named_each_time_focus_lands_on_the_question(browser: Browser) -> None:
    await begin(browser, "helped", "my son")
    await answer(browser)
    page = browser.page
    assert page is not None and "Answering: the client, with help from my son." in page.text
    assert re.search(r'<h1[^>]*aria-describedby="caption answering"', page.html)


async def test_the_client_alone_sees_no_note(browser: Browser) -> None:
    await begin(browser)
    await answer(browser)
    assert browser.page and 'id="answering"' not in browser.page.html


async def test_the_review_names_the_client_when_a_relative_reads_it(browser: Browser) -> None:
    await begin(browser)
    await answer(browser)
    await answer(browser, {"answer": "Aino"})
    await browser.get("/respondent")
    await browser.submit({"role": "proxy", "who": "my sister"})
    page = await browser.get("/q/name")
    # The client's answer is shown beside the question, named as the client's.
    assert "Aino (The client's own answer)" in page.text
    await browser.submit({"answer": "Aino Virtanen"})
    review = await browser.get("/review")
    assert "Aino (The client's own answer)" in review.text
    assert "Aino Virtanen (Answered for the client by my sister)" in review.text
    # The client reading the same review is "you" again.
    await browser.get("/respondent")
    await browser.submit({"role": "client"})
    review = await browser.get("/review")
    assert "Aino (Your own answer)" in review.text
    assert "Aino Virtanen (Answered for you by my sister)" in review.text


def conversations_in(settings: Settings) -> int:
    """How many conversations the store holds, asked of the database itself."""
    if settings.database_url:
        import psycopg

        with psycopg.connect(settings.database_url) as pg:
            row = pg.execute("select count(*) from conversations").fetchone()
            return int(row[0]) if row else 0
    with sqlite3.connect(settings.data_dir / "oma-aani.sqlite3") as db:
        return int(db.execute("select count(*) from conversations").fetchone()[0])


async def test_starting_again_deletes_answers_nobody_could_reach(
    browser: Browser, settings: Settings
) -> None:
    await begin(browser)
    await answer(browser)
    await answer(browser, {"answer": "Aino"})
    page = await browser.get("/")
    assert "Starting again deletes the answers saved on this device" in page.text
    page = await browser.submit({"role": "client"}, button="Start again")
    assert page.heading.endswith("Before we start")
    assert conversations_in(settings) == 1  # only the new one: no stranded answers
    review = await browser.get("/review")
    assert "Aino" not in review.text


async def test_starting_again_keeps_answers_a_code_still_opens(
    browser: Browser, settings: Settings
) -> None:
    code, _spoken = await saved_code(browser)  # Aino's answers, with a code
    await browser.get("/")
    await browser.submit({"role": "client"}, button="Start again")
    assert conversations_in(settings) == 2
    await browser.get("/resume")
    await browser.submit({"code": code})
    assert "Aino" in (await browser.get("/review")).text


async def test_continuing_with_another_code_leaves_the_answers_on_this_device(
    browser: Browser, settings: Settings
) -> None:
    code, _spoken = await saved_code(browser)  # Aino's answers, with a code
    # On the same browser, a new conversation with no code, then the first one's code.
    await browser.get("/")
    await browser.submit({"role": "client"}, button="Start again")
    await answer(browser)
    await answer(browser, {"answer": "Bertta"})
    page = await browser.get("/resume")
    assert "Continuing with a code leaves the answers saved on this device" in page.text
    await browser.submit({"code": code})
    assert "Aino" in (await browser.get("/review")).text
    assert conversations_in(settings) == 1  # Bertta's answers, reachable by no code, are gone
