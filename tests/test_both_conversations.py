"""A person who has both conversations — wishes and needs, then their support plan sketch —
through the real server and store (SQLite, and PostgreSQL with OMA_TEST_DATABASE=postgres):
starting the second keeps the first, one code and one "delete my answers" reach both, and one
draft holds both, in every format."""

from __future__ import annotations

import io
import json
import re
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path

import docx as python_docx
import jsonschema
import pytest
from fhir.resources.bundle import Bundle

from assistant.app import create_app
from assistant.draft import formats
from assistant.settings import Settings
from tests.test_web_conversation import answer, begin, csrf
from tests.web.browser import Browser

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "docs" / "draft-schema.json").read_text(encoding="utf-8"))
WISH = "Baking bread with my sister"  # an answer of the wishes-and-needs conversation
SUPPORT = "Going to the gym and seeing my friends"  # one of the sketch
ARRANGEMENT = "Personal assistant, I am the employer"


@pytest.fixture
async def person(settings: Settings, make_browser: Callable[..., Awaitable[Browser]]) -> Browser:
    """Aino, in English, has answered some of wishes and needs and then, from the start page,
    started her support plan sketch and added one kind of support."""
    shipped = settings.with_(dialogues_dir=ROOT / "dialogues", default_dialogue="wishes-and-needs")
    browser = await make_browser(create_app(shipped))
    await begin(browser, first="Welcome")
    await answer(browser)
    await answer(browser, {"answer": "Aino"})
    await answer(browser, {"answer": WISH})
    page = await browser.get("/")
    assert "Your other conversation" in page.text
    assert "Start: My support plan sketch" in page.button_texts()
    page = await browser.submit(action="/conversation")
    assert page.heading.endswith("Your own plan for your support"), page.text[:300]
    await answer(browser)
    await answer(browser, {"add": "yes"})
    await answer(browser, {"answer": "personal-assistant-employer"})
    await answer(browser, {"answer": "free-time"})
    await answer(browser, {"answer": SUPPORT})
    return browser


async def test_starting_the_other_conversation_keeps_the_first(person: Browser) -> None:
    page = await person.get("/")
    assert "Continue: My support plan sketch" not in page.button_texts()
    assert "Continue: My wishes and needs" in page.button_texts()
    page = await person.submit(action="/conversation")
    page = await person.get("/review")
    assert WISH in page.text and SUPPORT not in page.text
    # And back to the sketch where it was left: its answers are there too.
    page = await person.get("/")
    assert "Continue: My support plan sketch" in page.button_texts()
    page = await person.submit(action="/conversation")
    assert "/q/supports." in page.url
    assert SUPPORT in (await person.get("/review")).text
    # The start page's own choice of the other conversation does the same: nothing is lost.
    await person.get("/")
    page = await person.submit({"role": "client", "dialogue": "wishes-and-needs"}, action="/start")
    assert WISH in (await person.get("/review")).text


async def test_settings_follow_the_person_into_the_other_conversation(person: Browser) -> None:
    """Aino changes to Swedish in her sketch: her wishes and needs speak Swedish too when she
    goes back to them, and the sketch still does when she returns."""
    await person.client.post(
        "/settings", data={"csrf": csrf(person), "language": "sv", "next": "/"}
    )
    await person.get("/")
    await person.submit(action="/conversation")
    page = await person.get("/review")
    assert page.parsed.lang == "sv", page.text[:200]
    await person.get("/")
    await person.submit(action="/conversation")
    assert (await person.get("/review")).parsed.lang == "sv"


async def test_the_combined_draft_holds_both_in_every_format(person: Browser) -> None:
    page = await person.get("/draft?lang=en")
    assert "Both conversations in one draft" in page.text
    href = page.link("Read both on one page")
    assert href == "/draft/both?lang=en"
    page = await person.get(href)
    assert page.status == 200 and page.heading == "Both conversations in one draft"
    for expected in (WISH, SUPPORT, ARRANGEMENT, "My wishes and needs", "My support plan sketch"):
        assert expected in page.text, expected
    assert len(page.parsed.ids) == len(set(page.parsed.ids))  # no id twice on the page
    assert page.text.index(WISH) < page.text.index(SUPPORT)  # the usual conversation first
    for extension, found in formats.FORMATS.items():
        assert page_link(await person.get("/draft?lang=en"), found.label, extension)
        response = await person.client.get(f"/draft/both.{extension}?lang=en")
        assert response.status == 200, extension
        assert response.content_type == found.media_type
        assert response.headers["Content-Disposition"].endswith(f'-both.{extension}"')
        body = await response.read()
        said = _words(extension, body)
        for expected in (WISH, SUPPORT, ARRANGEMENT):
            assert expected in said, (extension, expected)


def page_link(page: object, label: str, extension: str) -> bool:
    links = getattr(getattr(page, "parsed"), "links")  # noqa: B009
    return any(h == f"/draft/both.{extension}?lang=en" and t == label for t, h in links)


def _words(extension: str, body: bytes) -> str:
    """Everything a format says, as text: the checks above look for each part's answers."""
    if extension == "docx":
        document = python_docx.Document(io.BytesIO(body))
        headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
        assert len(headings) == 2, headings  # each draft under its own title
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    if extension == "json":
        drafts = json.loads(body)
        assert isinstance(drafts, list) and len(drafts) == 2
        for draft in drafts:
            jsonschema.validate(draft, SCHEMA, cls=jsonschema.Draft202012Validator)
        jsonschema.validate(drafts, SCHEMA, cls=jsonschema.Draft202012Validator)
        assert [d["dialogue"] for d in drafts] == ["wishes-and-needs", "support-plan-sketch"]
        return json.dumps(drafts, ensure_ascii=False)
    if extension == "fhir.json":
        data = json.loads(body)
        Bundle.model_validate(data)
        assert data["type"] == "collection"
        kinds = [e["resource"]["resourceType"] for e in data["entry"]]
        assert kinds == ["QuestionnaireResponse"] * 2
        questionnaires = [e["resource"]["questionnaire"].rsplit("/", 1)[1] for e in data["entry"]]
        assert questionnaires == ["wishes-and-needs", "support-plan-sketch"]
        return json.dumps(data, ensure_ascii=False)
    text = body.decode("utf-8")
    assert text.count("\r\n") == text.count("\n")  # CRLF throughout
    return text


async def test_one_code_and_one_delete_reach_both(person: Browser, settings: Settings) -> None:
    page = await person.get("/save")
    page = await person.submit(action="/save")
    code = re.search(r"([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})", page.text)
    assert code, page.text
    # Another device: the code made in the sketch opens it, and the other is a button away.
    person.client.session.cookie_jar.clear()
    await person.get("/resume")
    page = await person.submit({"code": code.group(1)})
    assert SUPPORT in (await person.get("/review")).text
    page = await person.get("/")
    assert "Continue: My wishes and needs" in page.button_texts()
    await person.submit(action="/conversation")
    assert WISH in (await person.get("/review")).text
    # "Delete my answers" deletes both conversations.
    await person.get("/delete")
    page = await person.submit(action="/delete")
    assert page.heading == "Your answers have been deleted"
    await person.get("/resume")
    page = await person.submit({"code": code.group(1)})
    assert page.path.startswith("/resume")
    if settings.database_url:
        import psycopg

        with psycopg.connect(settings.database_url) as pg:
            row = pg.execute("select count(*) from conversations").fetchone()
            assert row is not None and row[0] == 0
    else:
        with sqlite3.connect(settings.data_dir / "oma-aani.sqlite3") as db:
            assert db.execute("select count(*) from conversations").fetchone()[0] == 0


async def test_starting_again_is_still_a_fresh_start(person: Browser) -> None:
    """Starting the same conversation again starts afresh, as the start page says: without a
    code, the answers on this device (both conversations) are deleted."""
    await person.get("/")
    page = await person.submit(
        {"role": "client", "dialogue": "support-plan-sketch"}, action="/start"
    )
    assert page.heading.endswith("Your own plan for your support")
    assert SUPPORT not in (await person.get("/review")).text
    page = await person.get("/")
    assert "Start: My wishes and needs" in page.button_texts()
    await person.submit(action="/conversation")
    assert WISH not in (await person.get("/review")).text
