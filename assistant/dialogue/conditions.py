"""The small condition language of `when:`. Parsed into a tree at load time; never `eval`.

A condition looks at earlier answers through `Facts`: for choice kinds the answer is the set of
chosen values, for the others the answer's text; a step that was skipped, answered "I don't
know", or does not apply counts as not answered.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Protocol

Answer = frozenset[str] | str | None


class Facts(Protocol):
    def answer(self, key: str) -> Answer: ...

    def count(self, key: str) -> int: ...

    def roles(self) -> frozenset[str]: ...


@dataclass(frozen=True)
class Answered:
    step: str

    def holds(self, facts: Facts) -> bool:
        return facts.answer(self.step) is not None


@dataclass(frozen=True)
class Equals:
    step: str
    value: str

    def holds(self, facts: Facts) -> bool:
        return _matches(facts.answer(self.step), self.value)


@dataclass(frozen=True)
class In:
    step: str
    values: tuple[str, ...]

    def holds(self, facts: Facts) -> bool:
        answer = facts.answer(self.step)
        return any(_matches(answer, v) for v in self.values)


@dataclass(frozen=True)
class Count:
    step: str
    at_least: int | None
    at_most: int | None

    def holds(self, facts: Facts) -> bool:
        n = facts.count(self.step)
        low_ok = self.at_least is None or n >= self.at_least
        return low_ok and (self.at_most is None or n <= self.at_most)


@dataclass(frozen=True)
class Between:
    """`at-least`, `at-most` or `between` on a number question: the answer is in the range,
    both ends included. Not answered never holds."""

    step: str
    at_least: Decimal | None
    at_most: Decimal | None

    def holds(self, facts: Facts) -> bool:
        answer = facts.answer(self.step)
        if not isinstance(answer, str):
            return False
        try:
            number = Decimal(answer)
        except InvalidOperation:
            return False
        if not number.is_finite():
            return False
        low_ok = self.at_least is None or number >= self.at_least
        return low_ok and (self.at_most is None or number <= self.at_most)

    @property
    def operator(self) -> str:
        if self.at_least is not None and self.at_most is not None:
            return "between"
        return "at-least" if self.at_least is not None else "at-most"


@dataclass(frozen=True)
class Answering:
    """`answering: [helped, proxy]`: someone in one of these roles is answering now, or gave
    an answer in this conversation (client, helped or proxy). For questions meant only for a
    relative or a support person; their answers stay once given, whoever continues."""

    roles: tuple[str, ...]

    def holds(self, facts: Facts) -> bool:
        return not facts.roles().isdisjoint(self.roles)


@dataclass(frozen=True)
class Not:
    condition: Condition

    def holds(self, facts: Facts) -> bool:
        return not self.condition.holds(facts)


@dataclass(frozen=True)
class All:
    conditions: tuple[Condition, ...]

    def holds(self, facts: Facts) -> bool:
        return all(c.holds(facts) for c in self.conditions)


@dataclass(frozen=True)
class AnyOf:
    conditions: tuple[Condition, ...]

    def holds(self, facts: Facts) -> bool:
        return any(c.holds(facts) for c in self.conditions)


Condition = Answered | Equals | In | Count | Between | Answering | Not | All | AnyOf
Leaf = Answered | Equals | In | Count | Between
OPERATORS = (
    "answered",
    "equals",
    "in",
    "count",
    "at-least",
    "at-most",
    "between",
    "answering",
    "not",
    "all",
    "any",
)
NUMBER_OPERATORS = ("at-least", "at-most", "between")
ROLES = ("client", "helped", "proxy")
# What `answering` can see, for the satisfiability check: the client alone, or everyone.
ROLE_SETS = (frozenset({"client"}), frozenset(ROLES))


def _matches(answer: Answer, value: str) -> bool:
    if answer is None:
        return False
    if isinstance(answer, frozenset):
        return value in answer
    if answer == value:
        return True
    try:  # numbers compare as numbers: "12" equals "12.0"
        return Decimal(answer) == Decimal(value)
    except InvalidOperation:
        return False


def leaves(condition: Condition) -> Iterator[Leaf]:
    """Every comparison of answers in the tree (for reference checks); `answering` looks at
    no step and is not one."""
    if isinstance(condition, Answering):
        return
    if isinstance(condition, Not):
        yield from leaves(condition.condition)
    elif isinstance(condition, All | AnyOf):
        for c in condition.conditions:
            yield from leaves(c)
    else:
        yield condition


# Satisfiability: can any answers to earlier steps make the condition true? We try every
# combination of the answers that matter (few, since conditions name few steps and values).
MAX_COMBINATIONS = 50_000


def possible_answers(
    condition: Condition, domain: Callable[[str], list[Answer | int]]
) -> bool | None:
    """True/False if decided; None if too many combinations to try."""
    steps = sorted({leaf.step for leaf in leaves(condition)})
    domains = [domain(s) for s in steps]
    total = 1
    for d in domains:
        total *= max(len(d), 1)
    if total > MAX_COMBINATIONS:
        return None
    for combination in itertools.product(*domains):
        for roles in ROLE_SETS:
            facts = _Assumed(dict(zip(steps, combination, strict=True)), roles)
            if condition.holds(facts):
                return True
    return False


@dataclass
class _Assumed:
    answers: Mapping[str, Answer | int]
    who: frozenset[str] = frozenset({"client"})

    def roles(self) -> frozenset[str]:
        return self.who

    def answer(self, key: str) -> Answer:
        value = self.answers.get(key)
        if isinstance(value, int):  # a list: answered as the engine answers it, "items"
            return "items" if value else None
        return value

    def count(self, key: str) -> int:
        value = self.answers.get(key)
        if isinstance(value, int):
            return value
        if isinstance(value, frozenset):
            return len(value)
        return 0 if value is None else 1
