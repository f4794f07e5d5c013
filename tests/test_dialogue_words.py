"""A dialogue's words are its own: its list nouns, its translations (kept apart from other
dialogues' by the message context), and the folder they are extracted from."""

from __future__ import annotations

import gettext
from pathlib import Path

from assistant.dialogue.loader import check_text, load_text
from assistant.dialogue.views import list_words
from assistant.i18n import Translator
from assistant.i18n.catalogs import extract

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
