"""The dialogue as loaded from a file: immutable, validated, language-free (texts are English)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.dialogue.conditions import Condition

# The caseworker's draft follows the HB elements, so these are fixed, in draft order.
DRAFT_SECTIONS: tuple[str, ...] = (
    "about-me",
    "what-matters",
    "wishes-and-goals",
    "everyday-life",
    "works-and-hard",
    "support-now",
    "my-team",
    "support-needed",
    "ideas",
    "meeting",
    "communication",
)

OFFERS: tuple[str, ...] = ("dont-know", "talk-in-meeting")
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
    id: str
    title: str
    draft: str | None
    line: int = 0


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
    when: Condition | None = None
    draft: str | None = None
    offer: tuple[str, ...] = ()
    choices: tuple[Choice, ...] = ()
    something_else: str | None = None
    max_length: int = 200
    unit: str | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    whole: bool = False
    not_before: str | None = None  # "today": a date step refuses dates in the past
    item_title: str | None = None
    add_prompt: str | None = None
    max_items: int = 30
    steps: tuple[Step, ...] = ()
    parent: str | None = None

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

    def draft_section(self, step: Step) -> str | None:
        top = self.by_key[step.parent] if step.parent else step
        return step.draft or top.draft or self.section(top.section).draft
