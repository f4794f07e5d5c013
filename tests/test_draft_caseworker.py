"""The draft as a caseworker reads it: unfinished drafts say so in every format, what to
arrange and the client's questions come first, blank fields and page numbers for paper, and
who gave an answer is said only where it is not who gave most."""

from __future__ import annotations

import html
import io
from datetime import UTC, datetime

import docx as python_docx
import pytest

from assistant.dialogue.engine import Engine
from assistant.dialogue.loader import load_text
from assistant.dialogue.state import Respondent
from assistant.dialogue.views import Views
from assistant.draft import docx, jsonfmt, text
from assistant.draft.model import Draft, build
from assistant.i18n import Catalogs, Translator
from assistant.settings import PROJECT_ROOT
from tests.test_draft import article

WHEN = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
DIALOGUE = """\
title: Meeting prep
sections:
  - {id: me, title: About me}
  - {id: meeting, title: The meeting}
steps:
  - {id: likes, kind: short-text, section: me, prompt: "What do you like?"}
  - {id: hard, kind: short-text, prompt: "What is hard?"}
  - {id: interpreter, kind: short-text, section: meeting, prompt: "Do you need an interpreter?", marks: arrange-before-meeting}
  - {id: questions, kind: long-text, prompt: "What do you want to ask?", marks: [own-questions]}
"""


@pytest.fixture(scope="module")
def english() -> Translator:
    return Catalogs(PROJECT_ROOT / "locales").translator("en")


def drafted(answers: list[tuple[str, str, Respondent]], t: Translator) -> Draft:
    """The draft after answering `answers` in order, as (step key, words, who) each."""
    dialogue = load_text(DIALOGUE, "meeting-prep")
    engine = Engine(dialogue)
    state = engine.start()
    for key, words, who in answers:
        state = engine.change(state, key, None)
        state.respondent = who
        outcome = engine.submit(state, "continue", {"answer": [words]})
        assert outcome.ok, outcome.errors
        state = outcome.state
    return build(dialogue, Views(engine), state, t, WHEN, WHEN)


CLIENT = Respondent("client", "")
SISTER = Respondent("helped", "my sister")


def every_format(draft: Draft, t: Translator, tmp_path) -> dict[str, str]:  # type: ignore[no-untyped-def]
    document = python_docx.Document(io.BytesIO(docx.render(draft, t)))
    return {
        "text": text.render(draft, t),
        "html": html.unescape(article(draft, t, tmp_path, Catalogs(PROJECT_ROOT / "locales"))),
        "docx": "\n".join(p.text for p in document.paragraphs),
    }


def test_an_unfinished_draft_says_so_and_where_in_every_format(
    english: Translator, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    draft = drafted([("likes", "Music", CLIENT)], english)
    assert not draft.completed and draft.not_reached == ("me", "meeting")
    notice = "This draft is not finished. Not asked yet: About me and The meeting."
    for name, rendered in every_format(draft, english, tmp_path).items():
        assert notice in rendered, name
    assert jsonfmt.render(draft)["status"] == "in-progress"
    finished = drafted(
        [
            ("likes", "Music", CLIENT),
            ("hard", "Stairs", CLIENT),
            ("interpreter", "Yes", CLIENT),
            ("questions", "Can I choose?", CLIENT),
        ],
        english,
    )
    assert finished.completed and finished.notices == () and finished.not_reached == ()


def test_what_to_arrange_and_the_clients_questions_open_the_draft(english: Translator) -> None:
    draft = drafted(
        [
            ("likes", "Music", CLIENT),
            ("hard", "Stairs", CLIENT),
            ("interpreter", "Sign language", CLIENT),
            ("questions", "Can I choose?", CLIENT),
        ],
        english,
    )
    assert [(p.id, [i.question for i in p.items]) for p in draft.parts] == [
        ("arrange", ["Do you need an interpreter?"]),
        ("questions", ["What do you want to ask?"]),
    ]
    rendered = text.render(draft, english)
    assert rendered.index("To arrange before the meeting") < rendered.index("About me")
    assert rendered.index("The client's own questions") < rendered.index("About me")


def test_who_answered_is_said_only_where_it_is_not_who_answered_most(
    english: Translator, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    draft = drafted(
        [("likes", "Music", SISTER), ("hard", "Stairs", SISTER), ("interpreter", "No", CLIENT)],
        english,
    )
    assert draft.default_by == "The client, with help from my sister"
    assert (
        "An answer that does not say who gave it was given by the client with help from my sister."
        in draft.note
    )
    for name, rendered in every_format(draft, english, tmp_path).items():
        # The client's own answer, under "To arrange" and in its section: said both times.
        assert rendered.count("(The client's own answer)") == 2, name
        assert "(The client, with help from my sister)" not in rendered, name


def test_paper_gets_blank_fields_and_page_numbers(english: Translator, tmp_path) -> None:  # type: ignore[no-untyped-def]
    draft = drafted([("likes", "Music", CLIENT)], english)
    document = python_docx.Document(io.BytesIO(docx.render(draft, english)))
    labels = [row.cells[0].text for row in document.tables[0].rows]
    assert labels == [
        "Client's name",
        "Date of birth or client ID",
        "Caseworker",
        "Place and time of the meeting",
        "Notes",
    ]
    assert all(row.cells[1].text == "" for row in document.tables[0].rows)
    footer = document.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "fldChar" in footer
    html = article(draft, english, tmp_path, Catalogs(PROJECT_ROOT / "locales"))
    assert (
        '<table class="draft-blanks print-only">' in html and '<th scope="row">Notes</th>' in html
    )
    assert "Client's name" not in text.render(draft, english)  # text goes into systems, not paper
