"""A region edits its dialogue while people's conversations are stored: the server restarts with
the edited file over the same SQLite store, and each person walks on from where they were to
the draft. Never a redirect loop, never an error page; one sentence says the questions changed.
A conversation stored in a newer format is refused with a plain page, and kept."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestClient

from assistant.app import create_app
from assistant.settings import Settings
from tests.test_reconcile import BEFORE, HOBBIES, HOW_OFTEN
from tests.test_web_conversation import csrf
from tests.web.browser import Browser

CHANGED = "Some questions have changed since you last answered them."
Client = Callable[..., Awaitable[TestClient]]


class Service:
    """The assistant over one data folder and one dialogues folder, restarted at will; one
    person's browser, whose cookies outlive the restarts."""

    def __init__(self, aiohttp_client: Client, tmp_path: Path) -> None:
        self.aiohttp_client = aiohttp_client
        self.dialogues = tmp_path / "dialogues"
        self.dialogues.mkdir()
        self.settings = Settings.from_env(
            data_dir=tmp_path / "data",
            dialogues_dir=self.dialogues,
            default_dialogue="my-support",
            speech=False,
        )
        self.jar: aiohttp.CookieJar | None = None

    async def start(self, dialogue: str) -> Browser:
        (self.dialogues / "my-support.yaml").write_text(dialogue, encoding="utf-8")
        self.jar = self.jar or aiohttp.CookieJar(unsafe=True)
        return Browser(await self.aiohttp_client(create_app(self.settings), cookie_jar=self.jar))

    def stored(self) -> list[dict[str, object]]:
        with sqlite3.connect(self.settings.data_dir / "oma-aani.sqlite3") as db:
            return [json.loads(text) for (text,) in db.execute("select state from conversations")]


@pytest.fixture
def service(aiohttp_client: Client, tmp_path: Path) -> Service:
    return Service(aiohttp_client, tmp_path)


async def walk(browser: Browser, *steps: tuple[str, dict[str, str | list[str]]]) -> None:
    """Answer each question in turn, checking where the person is first."""
    for where, fields in steps:
        page = browser.page
        assert page is not None and page.status == 200, page and page.text[:300]
        assert page.path.split("?")[0] == f"/q/{where}", (where, page.path)
        await browser.submit(fields, button="Continue")


async def begin(browser: Browser, language: str = "en") -> None:
    await browser.get("/")
    response = await browser.client.post(
        "/language", data={"csrf": csrf(browser), "language": language, "next": "/"}
    )
    assert response.status == 200
    await browser.get("/")
    await browser.submit({"role": "client"}, action="/start")


TO_HOURS = (
    ("name", {"answer": "Aino"}),
    ("hobbies", {"answer": "Baking"}),
    ("transport", {"answer": ["walk", "taxi"]}),
    ("lives", {"answer": "family"}),
    ("helpers", {"add": "yes"}),
    ("helpers.who", {"answer": "Anna"}),
    ("helpers.how-often", {"answer": "Daily"}),
    ("helpers.what", {"answer": "Shopping"}),
    ("helpers", {"add": "no"}),
)


async def to_the_draft(browser: Browser) -> str:
    """From the review, the draft as the caseworker gets it (plain text)."""
    page = browser.page
    assert page is not None and page.path == "/review", page.path
    response = await browser.client.get("/draft.txt")
    assert response.status == 200
    return await response.text()


async def test_a_renamed_step_the_person_is_on(service: Service) -> None:
    browser = await service.start(BEFORE)
    await begin(browser)
    await walk(browser, *TO_HOURS)
    assert browser.page and browser.page.path == "/q/hours"

    browser = await service.start(BEFORE.replace("id: hours", "id: help-hours"))
    # The page they had open: today this answered 303 to itself forever.
    page = await browser.get("/q/hours")
    assert (page.status, page.path) == (200, "/q/help-hours")
    assert CHANGED in page.text
    api = await browser.client.get("/api/v1/step")  # the API answered 404
    body = await api.json()
    assert api.status == 200 and body["position"]["key"] == "help-hours"
    assert body["notice"] == {"code": "changed", "message": CHANGED}
    await walk(browser, ("help-hours", {"answer": "10"}), ("more", {"answer": "No"}))
    assert browser.page and CHANGED not in browser.page.text  # said once: until they go on
    draft = await to_the_draft(browser)
    assert "Aino" in draft and "Baking" in draft and "10" in draft
    assert service.stored()[0]["at"] == "review"


async def test_a_removed_step_and_a_removed_choice(service: Service) -> None:
    browser = await service.start(BEFORE)
    await begin(browser)
    await walk(browser, *TO_HOURS)

    edited = BEFORE.replace(HOBBIES, "").replace("      - {value: taxi, label: By taxi}\n", "")
    browser = await service.start(edited)
    page = await browser.get("/review")
    assert page.status == 200 and CHANGED in page.text
    assert "Baking" not in page.text and "What do you like to do?" not in page.text
    assert "I walk" in page.text and "By taxi" not in page.text
    assert "Not asked yet" in page.text  # hours: not yet reached, and no error anywhere
    page = await browser.get("/")
    await browser.get(page.link("Continue"))
    await walk(browser, ("hours", {"answer": "10"}), ("more", {"answer": "No"}))
    draft = await to_the_draft(browser)
    assert "Baking" not in draft and "taxi" not in draft.lower() and "I walk" in draft
    # Kept in the store, should the question come back.
    stored = service.stored()[0]
    assert stored["answers"]["hobbies"]["client"]["value"] == "Baking"  # type: ignore[index]


async def test_a_removed_list_question_the_person_is_on(service: Service) -> None:
    browser = await service.start(BEFORE)
    await begin(browser)
    await walk(browser, *TO_HOURS[:6])
    assert browser.page and browser.page.path == "/q/helpers.how-often?item=i1"

    browser = await service.start(BEFORE.replace(HOW_OFTEN, ""))
    page = await browser.get("/q/helpers.how-often?item=i1")
    assert (page.status, page.path) == (200, "/q/helpers.what?item=i1")
    assert CHANGED in page.text and page.heading.endswith("What does Anna help with?")
    await walk(
        browser,
        ("helpers.what", {"answer": "Shopping"}),
        ("helpers", {"add": "no"}),
        ("hours", {"answer": "10"}),
        ("more", {"answer": "No"}),
    )
    draft = await to_the_draft(browser)
    assert "Anna" in draft and "Shopping" in draft


async def test_an_answer_sent_from_a_page_of_a_removed_question(service: Service) -> None:
    browser = await service.start(BEFORE)
    await begin(browser)
    await walk(browser, *TO_HOURS)
    page = browser.page
    assert page and page.path == "/q/hours"

    restarted = await service.start(BEFORE.replace("id: hours", "id: help-hours"))
    restarted.page = page  # the page open before the restart, sent after it
    answered = await restarted.submit({"answer": "10"}, button="Continue")
    assert (answered.status, answered.path) == (200, "/q/help-hours?notice=changed")
    assert CHANGED in answered.text


async def test_a_conversation_stored_in_a_newer_format_is_refused_and_kept(
    service: Service,
) -> None:
    browser = await service.start(BEFORE)
    await begin(browser, "fi")
    await browser.submit({"answer": "Aino"}, button="Jatka")
    assert browser.page and browser.page.path == "/q/hobbies"
    with sqlite3.connect(service.settings.data_dir / "oma-aani.sqlite3") as db:
        (text,) = db.execute("select state from conversations").fetchone()
        newer = json.loads(text)
        newer["version"] = 2
        db.execute("update conversations set state = ?", (json.dumps(newer),))

    for path in ("/", "/q/hobbies", "/review", "/draft.txt"):
        page = await browser.get(path)
        assert page.status == 409, (path, page.status)
        assert page.parsed.lang == "fi" and "uudempi" in page.text.lower(), page.text[:300]
    api = await browser.client.get("/api/v1/step")
    assert api.status == 409 and (await api.json())["error"] == "newer-state"
    assert service.stored() == [newer]  # nothing changed, nothing deleted
