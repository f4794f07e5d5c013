"""The engine's rules as a person meets them: whole pages through the real server and SQLite,
with no JavaScript (the "If something else, what?" box is always on the page)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from assistant.app import create_app
from assistant.dialogue.loader import load
from assistant.settings import PROJECT_ROOT, Settings
from tests.test_web_conversation import answer, begin, csrf, walk_to_review
from tests.web.browser import Browser

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
async def shipped(tmp_path: Path, make_browser: Callable[..., Awaitable[Browser]]) -> Browser:
    """A person in the shipped wishes-and-needs conversation, in English."""
    settings = Settings.from_env(
        data_dir=tmp_path / "data", dialogues_dir=ROOT / "dialogues", speech=False
    )
    browser = await make_browser(create_app(settings))
    await begin(browser, first="Welcome")
    return browser


async def test_words_typed_under_something_else_are_kept(browser: Browser) -> None:
    await begin(browser)
    await browser.get("/q/moving")
    await answer(browser, {"answer": "walk", "other": "Music"})  # "Something else" not ticked
    page = await browser.get("/review")
    assert "I walk, Music" in page.text


async def test_none_of_these_is_chosen_alone(shipped: Browser) -> None:
    page = await shipped.get("/q/occupation")
    # "or" stands between the other choices and the one made alone, in reading order.
    assert "I go to day activities or work activities or None of these now" in page.text
    page = await shipped.submit({"answer": ["work", "none"]})
    assert page.title.startswith("Error:")
    told = "choose “None of these now” or the other answers, not both."
    assert told in page.text and 'href="#answer"' in page.html
    await answer(shipped, {"answer": ["none"]})
    assert (await shipped.get("/review")).text.count("None of these now") == 1
    # The "Something else" box stays with the choices it belongs to, before the "or".
    services = (await shipped.get("/q/services-now")).text
    assert "Something else If something else, what? or No services now" in services


async def test_a_guessed_number_and_a_range(browser: Browser) -> None:
    await begin(browser)
    await browser.get("/q/help-hours")
    page = await browser.submit({"answer": "10–15"})
    question = "How many hours of help do you get in a week?"
    assert f"Write one number for “{question}”, for example 12." in page.text
    assert 'value="10–15"' in page.html  # what was typed stays in the box
    await answer(browser, {"answer": "about 40"})
    assert "40 hours a week" in (await browser.get("/review")).text


async def test_a_date_error_names_the_month_in_the_persons_language(
    make_browser: Callable[..., Awaitable[Browser]], tmp_path: Path
) -> None:
    shipped = await make_browser(create_app(Settings.from_env(data_dir=tmp_path, speech=False)))
    await shipped.read(await shipped.client.get("/", headers={"Accept-Language": "fi"}))
    await shipped.submit({"role": "client"}, action="/start")
    await shipped.get("/q/meeting-date")
    page = await shipped.submit({"day": "31", "month": "2", "year": "2027"})
    assert page.title.startswith("Virhe:")
    assert "helmikuu 2027 on 28 päivän mittainen" in page.text


async def test_a_date_error_about_an_untranslated_question_is_all_in_english(
    browser: Browser,
) -> None:
    await begin(browser)
    await browser.client.post(
        "/language", data={"csrf": csrf(browser), "language": "fi", "next": "/"}
    )
    await browser.get("/q/meeting-date")
    page = await browser.submit({"day": "31", "month": "2", "year": "2027"})
    assert page.title.startswith("Virhe:")  # the page is Finnish; the message, wholly English
    assert "Check the day for “When is your meeting?”: February 2027 has 28 days." in page.text


async def test_back_from_adding_someone_leaves_no_empty_person(browser: Browser) -> None:
    await begin(browser)
    await walk_to_review(browser)  # Anna is in the team
    await browser.get("/q/team")
    page = await browser.submit({"add": "yes"})
    assert page.heading.endswith("What is the name or role of a person who helps you?")
    page = await browser.get(page.link("Back"))
    assert "You have added 1 person." in page.text and "—" not in page.text
    review = (await browser.get("/review")).text
    assert "Anna" in review and "Person 2" not in review and "—" not in review


async def test_a_person_without_a_name(browser: Browser) -> None:
    await begin(browser)
    await walk_to_review(browser)
    await browser.get("/q/team")
    await answer(browser, {"add": "yes"})
    await answer(browser, button="Skip this question")  # no name
    assert browser.page and browser.page.heading.endswith("What does this person help you with?")
    await answer(browser, {"answer": "Driving"})
    page = await browser.submit({"answer": "no"})
    assert "You have added 2 people." in page.text
    assert "Anna" in page.text and "Person 2" in page.text
    page = await browser.get(page.link("Remove Person 2"))
    assert page.heading == "Are you sure you want to remove Person 2?"


async def test_a_person_chooses_which_conversation_to_have(
    make_browser: Callable[..., Awaitable[Browser]], tmp_path: Path
) -> None:
    """With two dialogues, the start page asks which; the usual one is chosen unless the person
    picks the other, and each conversation's pages and draft are its own."""
    browser = await make_browser(create_app(Settings.from_env(data_dir=tmp_path, speech=False)))
    page = await browser.read(await browser.client.get("/", headers={"Accept-Language": "en"}))
    assert "Which conversation do you want to have?" in page.text
    assert 'name="dialogue" value="wishes-and-needs" checked' in page.html.replace("\n", " ")
    assert 'name="dialogue" value="support-plan-sketch"' in page.html.replace("\n", " ")
    page = await browser.submit(
        {"role": "client", "dialogue": "support-plan-sketch"}, action="/start"
    )
    assert "/q/" in page.url
    body = await (await browser.client.get("/api/v1/step")).json()
    sketch = load(PROJECT_ROOT / "dialogues" / "support-plan-sketch.yaml")
    assert body["position"]["key"] == sketch.steps[0].key  # the sketch's own first step
    # An unknown choice starts the usual conversation, never an error.
    other = await make_browser(create_app(Settings.from_env(data_dir=tmp_path / "b", speech=False)))
    await other.get("/")
    token = csrf(other)
    response = await other.client.post(
        "/start", data={"csrf": token, "role": "client", "dialogue": "no-such"}
    )
    page = await other.read(response)
    assert page.status == 200 and "/q/welcome" in page.url
