"""Every front end says the same words about a step: the page, the JSON API (and conversation
mode, which shows what the API gives), `assistant talk` and speech. For every step of every
dialogue (the shipped ones and the test dialogue with every kind of step), in three language
variants, with and without the errors the engine gives for an empty answer.

They once drifted: for the same error on an "add another" list, the page named the list's
yes/no question and conversation mode the list's title."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from assistant.conversations import Loaded
from assistant.dialogue.answers import FieldError
from assistant.dialogue.bundle import Bundle
from assistant.dialogue.engine import Engine
from assistant.dialogue.loader import load_all
from assistant.dialogue.state import Item, State
from assistant.dialogue.views import StepView, Views
from assistant.i18n import Catalogs, Translator
from assistant.presentation import back_place, present
from assistant.settings import PROJECT_ROOT, Settings
from assistant.speech.texts import step_speech
from assistant.talk import Silent, Talk
from assistant.web.api import step_json
from assistant.web.render import Renderer
from assistant.web.steps import step_page
from tests.conftest import WEB_DIALOGUES

LOCALES = ("en", "fi", "sv@lattlast")
DIALOGUE_FOLDERS = (PROJECT_ROOT / "dialogues", WEB_DIALOGUES)


class _Text(HTMLParser):
    """The words of a page as a screen reader would meet them, scripts left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _words(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return _flat(" ".join(parser.parts))


def _flat(text: str) -> str:
    return " ".join(text.split())


def _bundles() -> Iterator[Bundle]:
    for folder in DIALOGUE_FOLDERS:
        for dialogue in load_all(folder).values():
            engine = Engine(dialogue, date.today)
            yield Bundle(dialogue, engine, Views(engine))


def _placed(bundle: Bundle) -> Iterator[State]:
    """A state at every step of the dialogue, on every branch (a list's questions inside an
    item), as `assistant tts warm` places them."""
    start = bundle.engine.start()
    for top in bundle.dialogue.steps:
        for step in (top, *top.steps):
            state = replace(start.copy(), at=step.key)
            if step.parent:
                state.items[step.parent] = [Item("i1", start.respondent)]
                state.item = "i1"
            yield state


def _cases() -> Iterator[Any]:
    for bundle in _bundles():
        for state in _placed(bundle):
            yield pytest.param(bundle, state, id=f"{bundle.dialogue.id}:{state.at}")


CASES = list(_cases())


@pytest.fixture(scope="module")
def catalogs() -> Catalogs:
    return Catalogs(PROJECT_ROOT / "locales")


@pytest.fixture(scope="module")
def renderer(catalogs: Catalogs) -> Renderer:
    return Renderer(Settings.from_env(speech=False, data_dir=Path("/tmp")), catalogs)


def _page(
    renderer: Renderer,
    locale: str,
    view: StepView,
    state: State,
    bundle: Bundle,
    t: Translator,
    errors: tuple[FieldError, ...],
) -> str:
    presented = present(view, t, errors, back=back_place(bundle.engine, state))
    context = {
        "request_path": "/",
        "nonce": "n",
        "csrf": "c",
        "prefs": {
            "text_size": "normal",
            "contrast": "normal",
            "plain": "@" in locale,
            "autoplay": False,
            "voice": "server",
        },
        "locale": locale,
        "lang": t.language,
        "has_conversation": True,
        "speech_available": False,
        "notice": None,
        "tagline": t.pgettext(bundle.dialogue.id, bundle.dialogue.title),
        "seen": "",
        "audio": None,
        "help_audio": None,
        "answer_audio": [],
        "item_audio": [],
        "speech_rate": 1,
        **step_page(presented),
    }
    template = "list.html" if presented.kind.value == "list" else "step.html"
    return _words(renderer.render(locale, template, context))


def _api(
    bundle: Bundle, state: State, t: Translator, errors: tuple[FieldError, ...]
) -> dict[str, Any]:
    loaded = Loaded("c", bundle, state, {}, *(3 * [None]))  # type: ignore[arg-type]
    return step_json(loaded, state, t, errors)


def _talk(view: StepView, t: Translator, errors: tuple[FieldError, ...]) -> str:
    out = io.StringIO()
    talk = Talk(None, t, Silent(), lambda: None, out)  # type: ignore[arg-type]
    talk.present(view)
    if errors:
        talk.problems(view, errors)
    return _flat(out.getvalue())


@pytest.mark.parametrize(("bundle", "state"), CASES)
def test_every_front_end_says_the_same_words(
    bundle: Bundle, state: State, catalogs: Catalogs, renderer: Renderer
) -> None:
    view = bundle.views.step(state)
    assert view is not None
    empty = bundle.engine.submit(state, "continue", {})
    for errors in ((), empty.errors):
        for locale in LOCALES:
            t = catalogs.translator(locale)
            presented = present(view, t, errors)
            prompt, caption = _flat(presented.prompt.plain), _flat(presented.caption)
            messages = [_flat(p.message) for p in presented.problems]
            assert len(messages) == len(errors)

            page = _page(renderer, locale, view, state, bundle, t, errors)
            api = _api(bundle, state, t, errors)
            talk = _talk(view, t, errors)
            spoken, _personal = step_speech(view, t)

            assert prompt in page and caption in page, (locale, prompt, caption)
            assert _flat(api["prompt"]) == prompt and _flat(api["progress"]["text"]) == caption
            assert prompt in talk and caption in talk
            assert prompt.rstrip(".") in _flat(spoken)
            assert [_flat(e["message"]) for e in api["errors"]] == messages
            for message in messages:
                assert message in page and message in talk, (locale, message)
            labels = [_flat(c.label.plain) for c in presented.choices]
            api_labels = [_flat(c["label"]) for c in api["choices"]]
            if api["something_else"]:
                api_labels.insert(
                    [c.something_else for c in presented.choices].index(True),
                    _flat(api["something_else"]),
                )
            assert api_labels == labels
            numbered = re.findall(r"\d+\. ([^.]+?)(?= \d+\. |$| Type)", talk)
            if labels and presented.kind.value != "list":
                assert all(label in talk for label in labels)
                assert [talk.index(label) for label in labels] == sorted(
                    talk.index(label) for label in labels
                ), numbered
