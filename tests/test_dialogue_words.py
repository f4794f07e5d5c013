"""A dialogue's words are its own: its list nouns, its translations (kept apart from other
dialogues' by the message context), and the folder they are extracted from."""

from __future__ import annotations

import ast
import gettext
import re
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp.test_utils import TestClient

from assistant.app import create_app
from assistant.dialogue.engine import Engine
from assistant.dialogue.loader import check_text, load, load_text
from assistant.dialogue.model import MARKS
from assistant.dialogue.views import Views, list_words
from assistant.i18n import Catalogs, Translator
from assistant.i18n.catalogs import extract
from assistant.settings import PROJECT_ROOT, Settings
from assistant.speech.texts import voice_locale
from tests.web.browser import Browser

THINGS = """\
title: My support
sections: [{id: plan, title: My plan}]
steps:
  - id: supports
    kind: list
    section: plan
    prompt: Support I would like
    item-title: "{supports.what}"
    add-prompt: Do you want to add another kind of support?
    items-added: ["You have added {count} kind of support.", "You have added {count} kinds of support."]
    untitled-item: Support {number}
    none-added: You have not added any support yet.
    steps:
      - {id: what, kind: short-text, prompt: "What kind of support?"}
"""


def english() -> Translator:
    return Translator("en", gettext.NullTranslations())


def test_a_list_of_things_is_counted_in_its_own_words() -> None:
    step = load_text(THINGS, "my-support").step("supports")
    t = english()
    assert [t.plain_text(list_words(step, n)[0]) for n in (1, 3)] == [
        "You have added 1 kind of support.",
        "You have added 3 kinds of support.",
    ]
    assert t.plain_text(list_words(step, 0)[1]) == "You have not added any support yet."
    # Without its own words a list speaks of items, never of people.
    plain = load_text(THINGS.replace("    items-added", "    #").replace("    none-", "    #"), "x")
    assert t.plain_text(list_words(plain.step("supports"), 2)[0]) == "You have added 2 items."


def test_list_words_take_only_their_number() -> None:
    wrong = THINGS.replace("{count} kinds", "{supports.what} kinds")
    (problem,) = check_text(wrong, "my-support")[1]
    assert problem.code == "DLG022" and "items-added can have {count}" in problem.message
    one = THINGS.replace(
        '["You have added {count} kind of support.", "You have added {count} kinds of support."]',
        "You have added some support.",
    )
    (problem,) = check_text(one, "my-support")[1]
    assert "items-added must be two texts" in problem.message


def test_extraction_reads_the_configured_folder_and_names_each_dialogue(tmp_path: Path) -> None:
    (tmp_path / "my-support.yaml").write_text(THINGS, encoding="utf-8")
    catalog = extract(tmp_path)
    prompt = catalog.get("Support I would like", context="my-support:supports")
    assert prompt is not None and prompt.locations[0][0].endswith("my-support.yaml")
    plural = catalog.get("You have added {count} kind of support.", context="my-support:supports")
    assert plural is not None and plural.pluralizable
    # The shipped dialogue is not in that folder, so none of its messages are extracted.
    assert not [m for m in catalog if m.context and m.context.startswith("wishes-and-needs")]


def test_two_dialogues_with_the_same_step_are_translated_apart() -> None:
    ours = load_text(THINGS, "my-support").step("supports.what")
    theirs = load_text(THINGS, "other-support").step("supports.what")
    assert ours.context == "my-support:supports.what" != theirs.context


def _code_strings(path: Path) -> list[tuple[int, str]]:
    """The string constants of a module, without its docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        if id(node) not in docstrings
    ]


def test_no_words_of_the_shipped_dialogue_in_the_code() -> None:
    """The shipped dialogue is data like any other: no step id, section id or text of it is in
    assistant/ (its code and templates), so a region's own dialogue is never shown its words."""
    shipped = load(PROJECT_ROOT / "dialogues" / "wishes-and-needs.yaml")
    steps = [s for top in shipped.steps for s in (top, *top.steps)]
    ids = {s.key for s in steps} | {s.id for s in shipped.sections}
    # Ids of one word ("meeting", "team") are everyday words; marks are the format's own words.
    ids = {i for i in ids if "-" in i or "." in i} - set(MARKS)
    texts = {shipped.title, *(s.title for s in shipped.sections)}
    texts |= {t for s in steps for t in (s.prompt, s.hint, s.add_prompt) if t}
    texts |= {c.label for s in steps for c in s.choices if not c.interface}
    texts = {t for t in texts if len(t.split()) >= 3}  # "My team" may be anyone's words
    found = []
    for path in sorted((PROJECT_ROOT / "assistant").rglob("*.py")):
        for line, value in _code_strings(path):
            if value in ids or any(text in value for text in texts):
                found.append(f"{path.name}:{line}: {value!r}")
    for path in sorted((PROJECT_ROOT / "assistant" / "templates").rglob("*.html")):
        markup = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S)
        found += [f"{path.name}: {text!r}" for text in texts if text in markup]
    assert found == [], "\n".join(found)


UNTRANSLATED = """\
title: Hobbies
sections: [{id: free-time, title: Free time}]
steps:
  - {id: hours, kind: number, section: free-time, prompt: "How many hours a week do you play music?", max: 100}
"""


async def test_an_untranslated_dialogue_is_marked_english_and_its_errors_are_all_english(
    aiohttp_client: Callable[..., Awaitable[TestClient]], tmp_path: Path
) -> None:
    folder = tmp_path / "dialogues"
    folder.mkdir()
    (folder / "hobbies.yaml").write_text(UNTRANSLATED, encoding="utf-8")
    settings = Settings.from_env(
        data_dir=tmp_path / "data", dialogues_dir=folder, default_dialogue="hobbies", speech=False
    )
    browser = Browser(await aiohttp_client(create_app(settings)))
    finnish = {"Accept-Language": "fi"}
    await browser.read(await browser.client.get("/", headers=finnish))
    page = await browser.submit({"role": "client"}, action="/start")
    assert '<html lang="fi"' in page.html
    question = "How many hours a week do you play music?"
    assert f'<span lang="en">{question}</span>' in page.html
    page = await browser.submit({"answer": "lots"})
    # The whole message in English, marked so: never a Finnish sentence around English words.
    english = f"Write a number for “{question}”, for example 12 or 12,5."
    assert f'<span lang="en">{english}</span>' in page.html
    assert "Kirjoita" not in page.text
    api = await browser.client.get("/api/v1/step")
    body = await api.json()
    assert body["lang"] == "en" and body["prompt"] == question


def test_an_untranslated_question_is_read_with_the_english_voice() -> None:
    dialogue = load_text(UNTRANSLATED, "hobbies")
    engine = Engine(dialogue)
    view = Views(engine).step(engine.start())
    assert view is not None
    finnish = Catalogs(PROJECT_ROOT / "locales").translator("fi")
    assert voice_locale(view, finnish) == "en"
    shipped = load(PROJECT_ROOT / "dialogues" / "wishes-and-needs.yaml")
    shipped_engine = Engine(shipped)
    translated = Views(shipped_engine).step(shipped_engine.start())
    assert translated is not None and voice_locale(translated, finnish) == "fi"
