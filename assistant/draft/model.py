"""The draft for the caseworker: one model, built from the answers, that every format renders.

Organised by the HB elements. Questions are in the draft's language (chosen apart from the
conversation's); the person's own words are never translated or changed. Every answer says who
gave it; where the client and someone else answered the same question, the client comes first.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from assistant.dialogue.model import DRAFT_SECTIONS, Dialogue, Kind
from assistant.dialogue.state import Respondent, State
from assistant.dialogue.texts import placeholders
from assistant.dialogue.views import AnswerRow, ItemView, Shown, Views
from assistant.i18n import N_, Translator
from assistant.i18n.answers import answer_text

SCHEMA = "https://oma-aani.fi/schemas/draft/1"
SECTION_TITLES = {
    "about-me": N_("About me"),
    "what-matters": N_("What matters to me"),
    "wishes-and-goals": N_("My wishes and goals"),
    "everyday-life": N_("My everyday life"),
    "works-and-hard": N_("What works and what is hard"),
    "support-now": N_("Support I have now"),
    "my-team": N_("My team"),
    "support-needed": N_("Support I need"),
    "ideas": N_("Ideas for arranging my support"),
    "meeting": N_("The meeting"),
    "communication": N_("How to communicate with me in the meeting"),
}


@dataclass(frozen=True)
class Answer:
    text: str  # as it reads; the person's words exactly as given
    status: str  # answered | dont-know | talk-in-meeting
    role: str  # client | helped | proxy
    who: str
    by: str  # "In my own words", "With help from …", "Answered for me by …"
    value: Any = None  # as stored: for JSON and FHIR


@dataclass(frozen=True)
class Item:
    key: str
    question: str
    kind: str
    answers: tuple[Answer, ...]
    for_meeting: bool = False
    people: tuple[Person, ...] = ()
    # False where the question only repeats its section's title ("My team" under "My team"),
    # so the documents do not say it twice; the JSON keeps it.
    heading: bool = True


@dataclass(frozen=True)
class Person:
    """One item of an "add another" list, named by its title ("Anna"), with who added it."""

    id: str
    name: str
    details: tuple[Item, ...]  # without the answers the name is made of: it says them already
    by: str = ""
    role: str = "client"
    who: str = ""


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    items: tuple[Item, ...]
    not_answered: tuple[str, ...] = ()


@dataclass(frozen=True)
class Draft:
    title: str
    locale: str
    language: str
    created: datetime
    updated: datetime
    completed: bool
    agenda: tuple[Item, ...]
    sections: tuple[Section, ...]
    note: str
    dialogue_id: str
    respondents: tuple[str, ...] = field(default_factory=tuple)


def provenance(by: Respondent, t: Translator) -> str:
    if by.role == "helped":
        return t.gettext("With help from %(who)s") % {"who": by.who or t.gettext("someone")}
    if by.role == "proxy":
        return t.gettext("Answered for me by %(who)s") % {"who": by.who or t.gettext("someone")}
    return t.gettext("In my own words")


def _answers(row_answers: tuple[Shown, ...], t: Translator) -> tuple[Answer, ...]:
    shown = [
        s for s in row_answers if s.entry.status in ("answered", "dont-know", "talk-in-meeting")
    ]
    return tuple(
        Answer(
            answer_text(s, t),
            s.entry.status,
            s.entry.by.role,
            s.entry.by.who,
            provenance(s.entry.by, t),
            s.entry.value,
        )
        for s in shown
    )


def _person(item: ItemView, in_title: set[str], t: Translator) -> Person:
    details = tuple(
        Item(r.step.key, t.plain_text(r.question), r.step.kind.value, _answers(r.answers, t))
        for r in item.rows
        if r.answers and r.step.key not in in_title
    )
    by = item.by
    return Person(item.id, t.plain_text(item.title), details, provenance(by, t), by.role, by.who)


def _item(row: AnswerRow, t: Translator, section_title: str = "") -> Item:
    question = t.plain_text(row.question)
    if row.step.kind is not Kind.LIST:
        answers = _answers(row.answers, t)
        return Item(row.step.key, question, row.step.kind.value, answers, row.for_meeting)
    # A list's answer is its people, each with who added them. "No one" is said only when the
    # person chose to add no one, never for a list they have not reached or skipped.
    in_title = set(placeholders(row.step.item_title or ""))
    people = tuple(_person(i, in_title, t) for i in row.items)
    none_added = tuple(
        replace(a, text=t.gettext("None added"))
        for a in _answers(row.answers, t)
        if not people and a.status == "answered"
    )
    heading = question != section_title
    return Item(row.step.key, question, row.step.kind.value, none_added, False, people, heading)


def build(
    dialogue: Dialogue,
    views: Views,
    state: State,
    t: Translator,
    created: datetime,
    updated: datetime,
) -> Draft:
    """Only what the person said: a question nobody answered is listed as not answered, never
    filled in; questions not reached yet are left out."""
    rows = views.rows(state)
    sections = []
    for section_id in DRAFT_SECTIONS:
        title = t.gettext(SECTION_TITLES[section_id])
        in_section = [r for r in rows if dialogue.draft_section(r.step) == section_id]
        items = tuple(
            _item(r, t, title)
            for r in in_section
            if (r.answers and _answers(r.answers, t)) or r.items
        )
        skipped = tuple(
            t.plain_text(r.question)
            for r in in_section
            if r.answers and not _answers(r.answers, t) and not r.items
        )
        if items or skipped:
            sections.append(Section(section_id, title, items, skipped))
    agenda = tuple(_item(r, t) for r in rows if r.for_meeting)
    roles = {a.entry.by.role for r in rows for a in r.answers}
    note = t.gettext(
        "This draft was made with Oma ääni from the client's own answers, before the meeting. "
        "Nothing has been added or changed. The client decides who sees it."
    )
    return Draft(
        title=t.pgettext(dialogue.id, dialogue.title),
        locale=t.locale,
        language=t.language,
        created=created,
        updated=updated,
        completed=all(r.answers or r.items for r in rows),
        agenda=agenda,
        sections=tuple(sections),
        note=note,
        dialogue_id=dialogue.id,
        respondents=tuple(sorted(roles)),
    )
