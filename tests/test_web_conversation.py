"""Whole conversations through the real server and real SQLite, with no JavaScript: the way a
person with a text browser, a screen reader or a braille display goes through it."""

from __future__ import annotations

import re
import sqlite3

from aiohttp.test_utils import TestClient

from tests.web.browser import Browser


async def begin(
    browser: Browser, role: str = "client", who: str = "", first: str = "Before we start"
) -> None:
    """A person starts in English; `first`: the heading of the dialogue's first step."""
    page = await browser.get("/")
    assert page.status == 200
    response = await browser.client.post(
        "/language", data={"csrf": csrf(browser), "language": "en", "next": "/"}
    )
    assert response.status == 200
    await browser.get("/")
    page = await browser.submit({"role": role, "who": who}, action="/start")
    assert page.heading.endswith(first), page.text[:300]


def csrf(browser: Browser) -> str:
    """The token the page now shown carries in its forms."""
    assert browser.page is not None
    match = re.search(r'name="csrf" value="([^"]+)"', browser.page.html)
    assert match
    return match.group(1)


async def fresh_csrf(browser: Browser) -> str:
    """The token for the browser's cookies now (it changes with the session), as every
    response but a static file's says in its X-CSRF-Token header."""
    return (await browser.client.get("/healthz")).headers["X-CSRF-Token"]


async def answer(
    browser: Browser, fields: dict[str, str | list[str]] | None = None, button: str = "Continue"
) -> None:
    page = await browser.submit(fields or {}, button=button)
    assert page.status == 200, page.text[:400]
    assert not page.title.startswith("Error:"), page.text[:400]


async def walk_to_review(browser: Browser) -> None:
    await answer(browser)  # information step
    assert browser.page and browser.page.heading.endswith("What would you like us to call you?")
    await answer(browser, {"answer": "Aino"})
    await answer(browser, {"answer": "Listening\nand baking"})
    await answer(browser, {"answer": "yes"})
    assert browser.page.heading.endswith("Where do you work or study, Aino?")
    await answer(browser, {"answer": "The library"})
    await answer(browser, {"answer": ["walk", "something-else"], "other": "Bicycle"})
    await answer(browser, {"answer": "family"})
    await answer(browser, button="I don't know")
    await answer(browser, {"day": "27", "month": "3", "year": "2027"})
    await answer(browser, {"answer": "12,5"})
    assert browser.page.heading.endswith("People who help you")
    await answer(browser, {"add": "yes"})
    await answer(browser, {"answer": "Anna"})
    assert browser.page.heading.endswith("What does Anna help you with?")
    await answer(browser, {"answer": "Shopping"})
    await answer(browser, {"answer": "yes"})
    assert "Anna" in browser.page.text
    await answer(browser, {"add": "no"})
    assert browser.page.heading == "Check your answers"


async def test_a_whole_conversation_reaches_the_review(browser: Browser) -> None:
    await begin(browser)
    await walk_to_review(browser)
    text = browser.page.text if browser.page else ""
    for expected in (
        "Aino",
        "Listening",
        "The library",
        "I walk",
        "Bicycle",
        "With my family",
        "I don't know",
        "27 March 2027",
        "12.5 hours a week",
        "Anna",
    ):
        assert expected in text, expected
    # Every Change link names what it changes, for screen readers.
    assert "Change What would you like us to call you?" in text


async def test_progress_section_and_question_number(browser: Browser) -> None:
    await begin(browser)
    await answer(browser)
    assert browser.page
    assert re.search(r"About me, question 1 of about \d+", browser.page.text)
    assert browser.page.parsed.autofocus == ["question"]


async def test_an_empty_continue_moves_on_and_the_review_says_not_answered(
    browser: Browser,
) -> None:
    """Every question may be left unanswered: an empty Continue is a skip, not an error."""
    await begin(browser)
    await answer(browser)
    page = await browser.submit({"answer": "   "})
    assert not page.title.startswith("Error:")
    assert page.heading.endswith("What are you good at?")
    review = await browser.get("/review")
    row = review.text.split("What would you like us to call you?")[1][:40]
    assert "Not answered" in row


async def test_an_answer_too_long_shows_an_error_and_keeps_what_was_typed(
    browser: Browser,
) -> None:
    await begin(browser)
    await answer(browser)
    page = await browser.submit({"answer": "x" * 41})
    assert page.title.startswith("Error:") and "x" * 41 in page.html
    assert "There is a problem" in page.text
    assert "“What would you like us to call you?”" in page.text
    assert page.parsed.autofocus == ["error-summary"] or "error-summary" in page.html
    assert 'href="#answer"' in page.html


async def test_back_link_goes_to_the_previous_question(browser: Browser) -> None:
    await begin(browser)
    await answer(browser)
    await answer(browser, {"answer": "Aino"})
    assert browser.page
    back = browser.page.link("Back")
    page = await browser.get(back)
    assert page.heading.endswith("What would you like us to call you?")
    assert 'value="Aino"' in page.html


async def test_change_from_review_returns_to_review_and_branches_follow(browser: Browser) -> None:
    await begin(browser)
    await walk_to_review(browser)
    assert browser.page
    page = await browser.get(browser.page.link("Change Do you work or study?"))
    assert page.heading.endswith("Do you work or study?")
    page = await browser.submit({"answer": "no"})
    assert page.heading == "Check your answers"
    assert "The library" not in page.text  # the branch is off: its answer leaves the review
    page = await browser.get(page.link("Change Do you work or study?"))
    page = await browser.submit({"answer": "yes"})
    assert page.heading == "Check your answers"
    assert "The library" in page.text  # and comes back when the branch is on again


async def test_add_another_change_and_remove(browser: Browser) -> None:
    await begin(browser)
    await walk_to_review(browser)
    page = await browser.get("/q/team")
    page = await browser.submit({"add": "yes"})
    page = await browser.submit({"answer": "Mikko"})
    page = await browser.submit({"answer": "Driving"})
    page = await browser.submit({"answer": "no"})
    assert "Anna" in page.text and "Mikko" in page.text
    page = await browser.get(page.link("Remove Anna"))
    assert page.heading == "Are you sure you want to remove Anna?"
    page = await browser.submit({"confirm": "yes"})
    assert "Anna" not in page.text and "Mikko" in page.text


async def test_save_resume_on_another_device_and_delete(browser: Browser, settings) -> None:  # type: ignore[no-untyped-def]
    await begin(browser)
    await answer(browser)
    await answer(browser, {"answer": "Aino"})
    page = await browser.get("/save")
    page = await browser.submit(action="/save")
    code = re.search(r"([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})", page.text)
    assert code, page.text
    assert "The code works until" in page.text
    # Another device: no cookies. The code is typed in lower case with spaces.
    browser.client.session.cookie_jar.clear()
    page = await browser.get("/resume")
    page = await browser.submit({"code": code.group(1).lower().replace("-", " ")})
    assert page.heading.endswith("What are you good at?"), page.text[:300]
    page = await browser.get("/review")
    assert "Aino" in page.text
    # Delete everything.
    page = await browser.get("/delete")
    page = await browser.submit(action="/delete")
    assert page.heading == "Your answers have been deleted"
    page = await browser.get("/review")
    assert page.path == "/"
    if settings.database_url:  # the PostgreSQL run (tests/conftest.py)
        import psycopg

        with psycopg.connect(settings.database_url) as pg:
            for table in ("conversations", "sessions", "resume_codes"):
                row = pg.execute(f"select count(*) from {table}").fetchone()  # type: ignore[arg-type]
                assert row is not None and row[0] == 0, table
    with sqlite3.connect(settings.data_dir / "oma-aani.sqlite3") as db:
        tables = [r[0] for r in db.execute("select name from sqlite_master where type='table'")]
        for table in tables:
            if "conversation" in table or "session" in table or "code" in table:
                assert db.execute(f'select count(*) from "{table}"').fetchone()[0] == 0, table
    # Not just unlinked: the words are in no file of the data folder (database, WAL, cache).
    for path in settings.data_dir.rglob("*"):
        if path.is_file():
            assert b"Aino" not in path.read_bytes(), path.name


async def test_wrong_codes_get_one_message_and_are_rate_limited(browser: Browser) -> None:
    page = await browser.get("/resume")  # no language chosen: Finnish, the default
    page = await browser.submit({"code": "AAAA-BBBB-CCCC"})
    assert page.title.startswith("Virhe:") and "Tämä koodi ei toimi" in page.text
    page = await browser.submit({"code": "not a code"})  # 8 letters: no one's code, no try
    assert "Koodissa on 12 kirjainta ja numeroa. Tässä on 8." in page.text
    tries = 1
    while page.status != 429 and tries < 20:
        page = await browser.submit({"code": "AAAA-BBBB-CCCC"})
        tries += 1
    assert page.status == 429 and tries == 11  # ten tries an hour from one address
    assert "Liian monta yritystä" in page.text


async def test_someone_else_answering_is_recorded(browser: Browser) -> None:
    await begin(browser, "proxy", "my daughter")
    await answer(browser)
    await answer(browser, {"answer": "Aino"})
    page = await browser.get("/review")
    assert "Answered for the client by my daughter" in page.text  # "you" is the daughter


async def test_switching_language_keeps_answers(browser: Browser) -> None:
    await begin(browser)
    await answer(browser)
    await answer(browser, {"answer": "Aino"})
    response = await browser.client.post(
        "/language", data={"csrf": csrf(browser), "language": "sv", "next": "/review"}
    )
    assert response.status == 200
    page = await browser.get("/review")
    assert page.parsed.lang == "sv"
    assert "Aino" in page.text


async def test_get_never_changes_anything(client: TestClient, browser: Browser) -> None:
    await begin(browser)
    await answer(browser)
    before = (await browser.get("/review")).text
    for path in ("/q/works", "/q/team", "/save", "/delete", "/settings", "/respondent", "/q/nope"):
        await browser.get(path)
    assert (await browser.get("/review")).text == before


async def test_untouched_answers_are_deleted_after_the_retention_period(
    aiohttp_client,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    from datetime import UTC, datetime, timedelta

    from assistant.app import create_app
    from assistant.web import keys

    now = [datetime(2026, 11, 22, 12, tzinfo=UTC)]
    # About the answers' retention: the session stays open (idle sessions: test_sessions.py).
    app = create_app(settings.with_(session_idle_minutes=0), clock=lambda: now[0])
    browser = Browser(await aiohttp_client(app))
    await begin(browser)
    await answer(browser)
    await answer(browser, {"answer": "Aino"})
    await browser.get("/save")
    page = await browser.submit(action="/save")
    told = "Your answers are deleted on {} unless you answer or change something"
    assert told.format("22 December 2026") in page.text
    assert "kept for another 30 days" in page.text
    conversations = app[keys.CONVERSATIONS]
    # Used again after 29 days: the 30 days start again, and the pages where people stop say so.
    now[0] += timedelta(days=29)
    await browser.get("/q/good-at")
    await answer(browser, {"answer": "Baking"})
    for path in ("/review", "/draft"):
        assert told.format("20 January 2027") in (await browser.get(path)).text, path
    now[0] += timedelta(days=29)
    assert await conversations.delete_expired() == 0
    # Only an answer moves the date on (a GET changes nothing stored), so this is day 58.
    assert "Aino" in (await browser.get("/review")).text
    # Untouched for 30 days more: gone, from the pages and from every file.
    now[0] += timedelta(days=30, seconds=1)
    assert await conversations.delete_expired() == 1
    page = await browser.get("/review")
    # The browser's session cookie opens nothing now: it is sent where a code would continue
    # (a session that ended and one whose answers are gone cannot be told apart).
    assert page.path == "/resume?notice=ended" and "Aino" not in page.text
    for path in settings.data_dir.rglob("*"):
        if path.is_file():
            assert b"Aino" not in path.read_bytes(), path.name
