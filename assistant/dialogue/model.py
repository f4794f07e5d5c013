"""The dialogue as loaded from a file: immutable, validated, language-free (texts are English)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.dialogue.calc import Calculation
    from assistant.dialogue.conditions import Condition
    from assistant.dialogue.units import Unit

OFFERS: tuple[str, ...] = ("dont-know", "talk-in-meeting")
# What a step may say it means, for what the draft treats specially (`marks:` in the file).
# meeting-date: the draft's meeting date; arrange-before-meeting and own-questions: the first
# parts of the draft, what the caseworker arranges before the meeting and the client's questions.
MARKS: tuple[str, ...] = ("meeting-date", "arrange-before-meeting", "own-questions")
# The kind a mark needs, where it needs one.
MARK_KINDS: dict[str, str] = {"meeting-date": "date"}
# Marks one step at most may carry: the draft has one meeting date.
SINGLE_MARKS: tuple[str, ...] = ("meeting-date",)
SOMETHING_ELSE = "something-else"
YES_NO_VALUES: tuple[str, ...] = ("yes", "no", "not-sure")


class Kind(StrEnum):
    INFORMATION = "information"
    SHORT_TEXT = "short-text"
    LONG_TEXT = "long-text"
    SINGLE_CHOICE = "single-choice"
    MULTIPLE_CHOICE = "multiple-choice"
    YES_NO = "yes-no"
    SCALE = "scale"
    DATE = "date"
    NUMBER = "number"
    LIST = "list"

    @property
    def is_question(self) -> bool:
        return self is not Kind.INFORMATION

    @property
    def has_choices(self) -> bool:
        return self in (Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE, Kind.YES_NO, Kind.SCALE)

    @property
    def is_text(self) -> bool:
        return self in (Kind.SHORT_TEXT, Kind.LONG_TEXT)


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    hint: str | None = None
    # Interface texts (Yes / No / Not sure) are translated without the step as context.
    interface: bool = False
    # Chosen only alone, like "None of these now" (multiple choice only).
    exclusive: bool = False


@dataclass(frozen=True)
class Section:
    """A part of the conversation and, with the same title, of the caseworker's draft."""

    id: str
    title: str
    line: int = 0
    # The section's code in a classification the region uses (the dialogue's `code-system`),
    # e.g. an HB element: carried by the JSON draft and the FHIR Questionnaire.
    code: str | None = None
    # The title's msgctxt: "wishes-and-needs:section:about-me". The dialogue's id keeps two
    # dialogues' translations apart.
    context: str = ""


@dataclass(frozen=True)
class Step:
    id: str
    kind: Kind
    section: str
    prompt: str
    line: int = 0
    column: int = 0
    hint: str | None = None
    help: str | None = None
    text: str | None = None
    # A short heading for the question where its answers are a column of a list's table in the
    # draft ("What for"); without it the prompt is the heading.
    title: str | None = None
    when: Condition | None = None
    marks: tuple[str, ...] = ()
    offer: tuple[str, ...] = ()
    choices: tuple[Choice, ...] = ()
    something_else: str | None = None
    max_length: int = 200
    unit: str | None = None
    # What a number answer counts, for calculations: hour/time, time/week (`measure:`).
    measure: Unit | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    whole: bool = False
    not_before: str | None = None  # "today": a date step refuses dates in the past
    item_title: str | None = None
    add_prompt: str | None = None
    max_items: int = 30
    # What a list calls its items, so a list of things is not told in words for people:
    untitled_item: str | None = None  # "Person {number}": an item whose title is missing
    items_added: tuple[str, str] | None = None  # "You have added {count} person/people."
    none_added: str | None = None  # "You have not added anyone yet."
    steps: tuple[Step, ...] = ()
    # An information step's calculated values, shown in words under its text (`show:`).
    show: tuple[str, ...] = ()
    # A list's questions that are columns of its table in the draft (`table:`), before the
    # calculations made for each of its items.
    table: tuple[str, ...] = ()
    parent: str | None = None
    # Its texts' msgctxt: "wishes-and-needs:team.name" (the dialogue's id, then the key), so two
    # dialogues with a step of the same id are translated apart.
    context: str = ""

    @cached_property  # asked for on every step of every path: made once
    def key(self) -> str:
        """The step's address in answers, conditions and URLs: `good-at` or `team.name`."""
        return f"{self.parent}.{self.id}" if self.parent else self.id

    def choice(self, value: str) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)

    def values(self) -> tuple[str, ...]:
        extra = (SOMETHING_ELSE,) if self.something_else else ()
        return tuple(c.value for c in self.choices) + extra


@dataclass(frozen=True)
class Dialogue:
    id: str
    title: str
    sections: tuple[Section, ...]
    steps: tuple[Step, ...]
    description: str | None = None
    minutes: int | None = None
    path: str = ""
    code_system: str | None = None  # the URI of the classification of the sections' codes
    calculations: tuple[Calculation, ...] = ()
    by_key: dict[str, Step] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for step in self.steps:
            self.by_key[step.key] = step
            for sub in step.steps:
                self.by_key[sub.key] = sub

    def step(self, key: str) -> Step:
        return self.by_key[key]

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)

    def section_of(self, step: Step) -> Section:
        """The section a step is in: a list's steps are in the list's section."""
        top = self.by_key[step.parent] if step.parent else step
        return self.section(top.section)

    def calculation(self, calc_id: str) -> Calculation:
        return next(c for c in self.calculations if c.id == calc_id)

    def per_item(self, list_key: str) -> tuple[Calculation, ...]:
        """The calculations made for each item of a list, in the file's order."""
        return tuple(c for c in self.calculations if c.for_each == list_key)

    def marked(self, mark: str) -> Step | None:
        """The step that says it is `mark` (at most one does: `assistant check` sees to it)."""
        return next((s for s in self.by_key.values() if mark in s.marks), None)
