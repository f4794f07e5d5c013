"""Drafts are built and rendered off the event loop: a big DOCX takes a tenth of a second or
more, and on the loop it held up every other person's page for all of it (issue 20: four
people downloading raised others' page time from 4 ms to over a second)."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from assistant.app import create_app
from assistant.dialogue.loader import load
from assistant.dialogue.state import Entry, Item, State
from assistant.draft import docx
from assistant.settings import PROJECT_ROOT, Settings
from assistant.testplan import load_plan, plan_path, run
from assistant.web import keys
from assistant.web.context import SESSION_COOKIE
from tests.web.browser import Browser

DIALOGUE = PROJECT_ROOT / "dialogues" / "wishes-and-needs.yaml"
WORDS = "Leivon ja laulan kuorossa, ja haluaisin käydä useammin ulkona ystävieni kanssa. " * 70


def biggest_state() -> State:
    """The shipped test plan's conversation with every text answer as long as it may be, and
    a team of twenty people, each with 5,000 characters on what they help with."""
    dialogue = load(DIALOGUE)
    state = run(dialogue, load_plan(plan_path(DIALOGUE))).state
    for key, answers in state.answers.items():
        step = dialogue.by_key[key]
        for who, entry in answers.items():
            if step.kind.is_text:
                answers[who] = replace(entry, value=WORDS[: step.max_length])
    by = state.respondent
    state.items["team"] = [
        Item(
            f"i{n}",
            by,
            {
                "name": Entry("answered", by, f"Avustaja {n}"),
                "relation": Entry("answered", by, "assistant"),
                "helps-with": Entry("answered", by, WORDS[:5000]),
                "to-meeting": Entry("answered", by, "yes"),
            },
        )
        for n in range(20)
    ]
    return state


async def test_a_big_docx_renders_off_the_event_loop(
    aiohttp_client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    settings = Settings.from_env(data_dir=tmp_path / "data", speech=False)
    app = create_app(settings)
    client: TestClient = await aiohttp_client(app)
    browser = Browser(client)
    await browser.get("/")
    await browser.submit({"role": "client"}, action="/start")
    conversations = app[keys.CONVERSATIONS]
    token = next(c.value for c in client.session.cookie_jar if c.key == SESSION_COOKIE)
    loaded = await conversations.load(token)
    assert loaded is not None
    state = biggest_state()
    loaded = (await conversations.apply(loaded, lambda _old: state)).loaded

    # Where each draft is built and rendered: never on the loop's own thread. (A timing of
    # the loop's stalls was flaky on shared machines; what matters is which thread renders.)
    loop_thread = threading.get_ident()
    rendered_on: list[int] = []
    real_render = docx.render

    def recording(*args: Any) -> bytes:
        rendered_on.append(threading.get_ident())
        return real_render(*args)

    monkeypatch.setattr(docx, "render", recording)
    for _ in range(3):
        response = await client.get("/draft.docx")
        assert response.status == 200 and len(await response.read()) > 20_000
    assert len(rendered_on) == 3 and loop_thread not in rendered_on
