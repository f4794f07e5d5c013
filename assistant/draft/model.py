"""The draft for the caseworker: one model, built from the answers, that every format renders.

Organised by the dialogue's own sections, with their titles (and their codes, e.g. HB elements,
for the caseworker's systems). Questions are in the draft's language (chosen apart from the
conversation's); the person's own words are never translated or changed. Every answer says who
gave it, in words a caseworker understands; where the client and someone else answered the
same question, the client comes first. Every text is cleaned as the answers were when typed
(no control characters, no bidirectional overrides), so no renderer can be handed one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from assistant.dialogue.answers import clean_text
from assistant.dialogue.model import Dialogue, Kind
from assistant.dialogue.state import Respondent, State
from assistant.dialogue.texts import Text, placeholders
from assistant.dialogue.views import AnswerRow, ItemView, Shown, Views
from assistant.draft.sketch import Sketch, build_sketch
from assistant.i18n import N_, Translator
from assistant.i18n.answers import answer_text

SCHEMA_VERSION = 3
SCHEMA = f"https://oma-aani.fi/schemas/draft/{SCHEMA_VERSION}"
SHOWN = ("answered", "dont-know", "talk-in-meeting")
# Said when the voices are mixed: who gave the answers that do not say.
UNSAID_SENTENCES = {
    "client": N_("An answer that does not say who gave it is the client's own."),
    "helped": N_(
        "An answer that does not say who gave it was given by the client with help from %(who)s."
    ),
    "proxy": N_("An answer that does not say who gave it was given for the client by %(who)s."),
}
# What a caseworker fills in by hand, on paper or in the DOCX.
BLANK_FIELDS = (
    N_("Client's name"),
    N_("Date of birth or client ID"),
    N_("Caseworker"),
    N_("Place and time of the meeting"),
    N_("Notes"),
)
VOICE_SENTENCES = {
    # (every answer is of this kind, some are)
    "client": (N_("All answers are the client's own."), N_("Some answers are the client's own.")),
    "helped": (
        N_("All answers were given by the client with help from %(who)s."),
        N_("Some answers were given by the client with help from %(who)s."),
    ),
    "proxy": (
        N_("All answers were given for the client by %(who)s."),
        N_("Some answers were given for the client by %(who)s."),
    ),
}


@dataclass(frozen=True)
class Answer:
    text: str  # as it reads; the person's words exactly as given
    status: str  # answered | dont-know | talk-in-meeting
    role: str  # client | helped | proxy
    who: str
    by: str  # "The client's own answer", "The client, with help from …", "Answered for …"
    value: Any = None  # as stored: for JSON


@dataclass(frozen=True)
class Item:
    key: str
    question: str
    kind: str
    answers: tuple[Answer, ...]
    for_meeting: bool = False
    members: tuple[Member, ...] = ()  # a list's items
    # False where the question only repeats its section's title ("My team" under "My team"),
    # so the documents do not say it twice; the JSON keeps it.
    heading: bool = True
    item_id: str | None = None  # a question about one person of an "add another" list


@dataclass(frozen=True)
class Member:
    """One item of an "add another" list, named by its title ("Anna", "Personal
    assistance"), with who added it."""

    id: str
    title: str
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
    code: str | None = None  # in the dialogue's code system (an HB element), if it has one


@dataclass(frozen=True)
class Part:
    """A part the caseworker reads before the sections: what to arrange before the meeting,
    the client's own questions, the topics to talk about."""

    id: str
    title: str
    items: tuple[Item, ...]
    questions_only: bool = False  # the topics: each question once, not its answers


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
    note: str  # how it was made, and whose answers it holds
    dialogue_id: str
    code_system: str | None = None  # the classification of the sections' codes
    dated: str = ""  # "Draft for my meeting. Made on 1 December 2026."
    # Shown under the title, label and value: the meeting's date if given, the draft's language.
    facts: tuple[tuple[str, str], ...] = ()
    meeting_date: date | None = None
    # Said at the top when it applies: nothing answered yet; not finished, and where.
    notices: tuple[str, ...] = ()
    not_reached: tuple[str, ...] = ()  # ids of sections with questions not asked yet
    parts: tuple[Part, ...] = ()  # before the sections, for the caseworker
    # Who gave most answers, in the caseworker's words: an answer says who gave it only where
    # that differs ("(The client's own answer)" 36 times told nothing).
    default_by: str = ""
    # Blank lines a caseworker fills in on paper or in the DOCX (not in the text or JSON).
    blank_fields: tuple[str, ...] = ()
    # The "Support plan sketch" part: a list's table, totals and estimate (or None).
    sketch: Sketch | None = None

    def says_by(self, answer: Answer | Member) -> bool:
        return answer.by != self.default_by

    @property
    def answered(self) -> bool:
        return any(section.items for section in self.sections)


def provenance(by: Respondent, t: Translator) -> str:
    """Who gave an answer, for the caseworker who reads it."""
    who = clean_text(by.who) or t.gettext("someone")
    if by.role == "helped":
        return t.gettext("The client, with help from %(who)s") % {"who": who}
    if by.role == "proxy":
        return t.gettext("Answered for the client by %(who)s") % {"who": who}
    return t.gettext("The client's own answer")


def _plain(text: Text, t: Translator) -> str:
    return clean_text(t.plain_text(text))


def _answers(row_answers: tuple[Shown, ...], t: Translator) -> tuple[Answer, ...]:
    return tuple(
        Answer(
            clean_text(answer_text(s, t)),
            s.entry.status,
            s.entry.by.role,
            clean_text(s.entry.by.who),
            provenance(s.entry.by, t),
            s.entry.value,
        )
        for s in row_answers
        if s.entry.status in SHOWN
    )


def _detail(row: AnswerRow, t: Translator, question: str | None = None) -> Item:
    return Item(
        row.step.key,
        question or _plain(row.question, t),
        row.step.kind.value,
        _answers(row.answers, t),
        row.for_meeting,
        item_id=row.item_id,
    )


def _member(item: ItemView, in_title: set[str], t: Translator) -> Member:
    details = tuple(
        _detail(r, t) for r in item.rows if _answers(r.answers, t) and r.step.key not in in_title
    )
    by = item.by
    return Member(
        item.id, _plain(item.title, t), details, provenance(by, t), by.role, clean_text(by.who)
    )


def _item(row: AnswerRow, t: Translator, section_title: str = "") -> Item:
    if row.step.kind is not Kind.LIST:
        return _detail(row, t)
    # A list's answer is its items, each with who added it. "None added" is said only when the
    # person chose to add no one, never for a list they have not reached or skipped.
    question = _plain(row.question, t)
    in_title = set(placeholders(row.step.item_title or ""))
    members = tuple(_member(i, in_title, t) for i in row.items)
    none_added = tuple(
        replace(a, text=t.gettext("None added"))
        for a in _answers(row.answers, t)
        if not members and a.status == "answered"
    )
    heading = question != section_title
    return Item(row.step.key, question, row.step.kind.value, none_added, False, members, heading)


def _gathered(
    rows: list[AnswerRow], t: Translator, keep: Callable[[AnswerRow], bool]
) -> tuple[Item, ...]:
    """The questions `keep` picks, in dialogue order, also those about one item of a list,
    named with the item's title: "Anna: What does Anna help you with?"."""
    gathered = []
    for row in rows:
        if keep(row):
            gathered.append(_item(row, t))
        for item in row.items:
            title = _plain(item.title, t)
            gathered += [
                _detail(r, t, f"{title}: {_plain(r.question, t)}") for r in item.rows if keep(r)
            ]
    return tuple(gathered)


def _parts(rows: list[AnswerRow], t: Translator) -> tuple[Part, ...]:
    """What a caseworker wants first: what to arrange before the meeting (an interpreter,
    who is invited), the client's own questions, then the topics marked for the meeting."""

    def marked(mark: str) -> Callable[[AnswerRow], bool]:
        return lambda row: mark in row.step.marks and bool(_answers(row.answers, t))

    parts = (
        Part(
            "arrange",
            t.gettext("To arrange before the meeting"),
            _gathered(rows, t, marked("arrange-before-meeting")),
        ),
        Part(
            "questions",
            t.gettext("The client's own questions"),
            _gathered(rows, t, marked("own-questions")),
        ),
        Part(
            "agenda",
            t.gettext("To talk about in the meeting"),
            _gathered(rows, t, lambda r: r.for_meeting),
            True,
        ),
    )
    return tuple(part for part in parts if part.items)


def _not_reached(dialogue: Dialogue, rows: list[AnswerRow], t: Translator) -> tuple[Section, ...]:
    """The sections with questions not asked yet (never answered, skipped or listed)."""
    waiting = {dialogue.section_of(r.step).id for r in rows if not r.answers and not r.items}
    return tuple(
        Section(s.id, clean_text(t.pgettext(s.context, s.title)), ())
        for s in dialogue.sections
        if s.id in waiting
    )


def _notices(answered: bool, waiting: tuple[Section, ...], t: Translator) -> tuple[str, ...]:
    if not answered:
        return (t.gettext("Nothing has been answered yet."),)
    if not waiting:
        return ()
    parts = t.format_list([s.title for s in waiting])
    return (t.gettext("This draft is not finished. Not asked yet: %(parts)s.") % {"parts": parts},)


def _voices(rows: list[AnswerRow]) -> list[Respondent]:
    """Everyone who gave an answer (skips are not answers), or added someone to a list."""
    voices = [a.entry.by for r in rows for a in r.answers if a.entry.status in SHOWN]
    for row in rows:
        for item in row.items:
            voices.append(item.by)
            voices += [a.entry.by for r in item.rows for a in r.answers if a.entry.status in SHOWN]
    return voices


def _note(voices: list[Respondent], t: Translator) -> str:
    """How the draft was made, true to the mix of voices it holds."""
    roles = {v.role for v in voices}
    sentences = [t.gettext("This draft was made with Oma ääni before the meeting.")]
    for role, (every, some) in VOICE_SENTENCES.items():
        if role in roles:
            who = {clean_text(v.who) or t.gettext("someone") for v in voices if v.role == role}
            words = t.gettext(every if roles == {role} else some)
            sentences.append(words % {"who": t.format_list(sorted(who))})
    default = _default_voice(voices)
    distinct = {(v.role, clean_text(v.who)) for v in voices}
    if len(distinct) > 1 and default is not None:
        named = clean_text(default.who) or t.gettext("someone")
        sentences.append(t.gettext(UNSAID_SENTENCES[default.role]) % {"who": named})
    sentences.append(
        t.gettext("Nothing has been added or changed. The client decides who sees it.")
    )
    return " ".join(sentences)


def _default_voice(voices: list[Respondent]) -> Respondent | None:
    """Whoever gave the most answers: the one an answer need not name."""
    counted = Counter((v.role, clean_text(v.who)) for v in voices)
    if not counted:
        return None
    (role, who), _count = counted.most_common(1)[0]
    return Respondent(role, who)


def _meeting_date(dialogue: Dialogue, rows: list[AnswerRow]) -> date | None:
    """The date the person gave for their meeting: the answer to the step marked
    `meeting-date` (never guessed from where a date question stands)."""
    marked = dialogue.marked("meeting-date")
    if marked is None:
        return None
    for row in rows:
        if row.step.key == marked.key:
            answered = [a.entry.value for a in row.answers if a.entry.status == "answered"]
            return date.fromisoformat(answered[0]) if answered else None
    return None


def _dated(created: datetime, updated: datetime, t: Translator) -> str:
    made, changed = created.date(), updated.date()
    if made == changed:
        return t.gettext("Draft for my meeting. Made on %(date)s.") % {"date": t.format_date(made)}
    words = t.gettext("Draft for my meeting. Made on %(made)s, updated on %(updated)s.")
    return words % {"made": t.format_date(made), "updated": t.format_date(changed)}


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
    for section in dialogue.sections:
        title = clean_text(t.pgettext(section.context, section.title))
        in_section = [r for r in rows if dialogue.section_of(r.step).id == section.id]
        items = tuple(_item(r, t, title) for r in in_section if _answers(r.answers, t) or r.items)
        skipped = tuple(
            _plain(r.question, t)
            for r in in_section
            if r.answers and not _answers(r.answers, t) and not r.items
        )
        if items or skipped:
            sections.append(Section(section.id, title, items, skipped, section.code))
    meeting = _meeting_date(dialogue, rows)
    waiting = _not_reached(dialogue, rows, t)
    default = _default_voice(_voices(rows))
    facts = [(t.gettext("Language of the draft"), t.language_name())]
    if meeting is not None:
        facts.insert(0, (t.gettext("Meeting date"), t.format_date(meeting)))
    return Draft(
        title=t.pgettext(dialogue.id, dialogue.title),
        locale=t.locale,
        language=t.language,
        created=created,
        updated=updated,
        completed=not waiting,
        agenda=_gathered(rows, t, lambda r: r.for_meeting),
        sections=tuple(sections),
        note=_note(_voices(rows), t),
        dialogue_id=dialogue.id,
        code_system=dialogue.code_system,
        dated=_dated(created, updated, t),
        facts=tuple(facts),
        meeting_date=meeting,
        notices=_notices(bool(sections), waiting, t),
        not_reached=tuple(s.id for s in waiting),
        parts=_parts(rows, t),
        default_by=provenance(default, t) if default else "",
        blank_fields=tuple(t.gettext(label) for label in BLANK_FIELDS),
        sketch=build_sketch(dialogue, views, state, t),
    )
