"""Conditions at their edges: `count` at and just past its limits, `equals` and `in` on every kind
of answer, answers that are not answers (skipped, "I don't know"), and the load-time check that
tells a condition that can never hold from one that can."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from assistant.dialogue.conditions import (
    All,
    Answer,
    Answered,
    AnyOf,
    Count,
    Equals,
    In,
    Not,
    possible_answers,
)
from assistant.dialogue.engine import Engine, Facts
from assistant.dialogue.loader import check_text, load_text
from assistant.dialogue.model import Dialogue
from assistant.dialogue.state import REVIEW, State

STEPS = """
title: Conditions
description: Every kind of answer a condition can look at.
minutes: 1
sections:
  - {id: s, title: Me}
offer: [dont-know, talk-in-meeting]
steps:
  - id: needs
    kind: multiple-choice
    section: s
    prompt: Which do you need?
    choices:
      - {value: a, label: A}
      - {value: b, label: B}
      - {value: c, label: C}
      - {value: d, label: D}
  - id: home
    kind: single-choice
    prompt: Where do you live?
    choices:
      - {value: own, label: Own home}
      - {value: group, label: Group home}
  - id: name
    kind: short-text
    prompt: What is your name?
  - id: born
    kind: date
    prompt: When were you born?
  - id: hours
    kind: number
    prompt: How many hours?
  - id: team
    kind: list
    prompt: People who help you
    item-title: "{team.who}"
    add-prompt: Add a person?
    max-items: 6
    steps:
      - id: who
        kind: short-text
        prompt: Who?
"""


def dialogue(when: str) -> Dialogue:
    """The steps above and a last one, `follow`, shown when `when` holds."""
    follow = f"  - id: follow\n    kind: short-text\n    when: {when}\n    prompt: And?\n"
    return load_text(STEPS + follow, "conditions")


def answer(engine: Engine, state: State, key: str, form: dict[str, list[str]]) -> State:
    outcome = engine.submit(engine.change(state, key, returning=False), "continue", form)
    assert outcome.ok, outcome.errors
    return outcome.state


def with_people(engine: Engine, state: State, names: list[str]) -> State:
    state = engine.change(state, "team", returning=False)
    for name in names:
        state = engine.submit(state, "continue", {"add": ["yes"]}).state
        state = engine.submit(state, "continue", {"answer": [name]}).state
    return state


def follows(when: str, given: Callable[[Engine, State], State]) -> bool:
    engine = Engine(dialogue(when))
    state = given(engine, engine.start())
    return "follow" in [s.key for s in engine.path(state)]


def chosen(n: int) -> Callable[[Engine, State], State]:
    return lambda e, s: answer(e, s, "needs", {"answer": ["a", "b", "c", "d"][:n]}) if n else s


def people(n: int) -> Callable[[Engine, State], State]:
    return lambda e, s: with_people(e, s, [f"P{i}" for i in range(n)])


@pytest.mark.parametrize(
    ("limits", "expected"),  # which numbers of choices (0 to 4) make it hold
    [
        ("{at-least: 2}", [False, False, True, True, True]),
        ("{at-most: 2}", [True, True, True, False, False]),
        ("{at-least: 1, at-most: 3}", [False, True, True, True, False]),
        ("{at-least: 2, at-most: 2}", [False, False, True, False, False]),
    ],
)
def test_count_of_choices_at_and_past_its_limits(limits: str, expected: list[bool]) -> None:
    when = f"{{count: {{needs: {limits}}}}}"
    assert [follows(when, chosen(n)) for n in range(5)] == expected


@pytest.mark.parametrize(
    ("limits", "expected"),  # which numbers of people (0 to 3) make it hold
    [
        ("{at-least: 1}", [False, True, True, True]),
        ("{at-least: 2}", [False, False, True, True]),
        ("{at-most: 1}", [True, True, False, False]),
        ("{at-least: 1, at-most: 2}", [False, True, True, False]),
    ],
)
def test_count_of_people_in_a_list_at_and_past_its_limits(
    limits: str, expected: list[bool]
) -> None:
    when = f"{{count: {{team: {limits}}}}}"
    assert [follows(when, people(n)) for n in range(4)] == expected


def test_a_skipped_list_and_one_answered_no_one_count_none() -> None:
    when = "{count: {team: {at-most: 0}}}"
    assert follows(when, lambda e, s: s)
    engine = Engine(dialogue(when))
    state = engine.submit(engine.change(engine.start(), "team"), "continue", {"add": ["no"]}).state
    assert "follow" in [s.key for s in engine.path(state)]
    assert not follows("{answered: team}", lambda e, s: s)
    assert follows("{answered: team}", people(1))


def test_a_count_sees_no_list_the_person_is_not_shown() -> None:
    """A list that does not apply has no people, even if some were added before it closed."""
    text = STEPS.replace("  - id: team\n", "  - id: team\n    when: {equals: {name: Anna}}\n")
    follow = "  - id: follow\n    kind: short-text\n    when: {count: {team: {at-least: 1}}}\n    prompt: And?\n"
    engine = Engine(load_text(text + follow, "conditions"))
    state = with_people(engine, answer(engine, engine.start(), "name", {"answer": ["Anna"]}), ["P"])
    assert "follow" in [s.key for s in engine.path(state)]
    state = answer(engine, state, "name", {"answer": ["Ben"]})
    assert [s.key for s in engine.path(state)][-1] == "hours"


@pytest.mark.parametrize(
    ("when", "key", "form", "expected"),
    [
        ("{equals: {name: Anna}}", "name", {"answer": ["Anna"]}, True),
        ("{equals: {name: Anna}}", "name", {"answer": ["Anneli"]}, False),
        ("{in: {name: [Ben, Anna]}}", "name", {"answer": ["Anna"]}, True),
        ("{in: {name: [Ben, Bo]}}", "name", {"answer": ["Anna"]}, False),
        (
            '{equals: {born: "2001-02-03"}}',
            "born",
            {"day": ["3"], "month": ["2"], "year": ["2001"]},
            True,
        ),
        (
            '{equals: {born: "2001-02-03"}}',
            "born",
            {"day": ["4"], "month": ["2"], "year": ["2001"]},
            False,
        ),
        (
            '{in: {born: ["1999-01-01", "2001-02-03"]}}',
            "born",
            {"day": ["3"], "month": ["2"], "year": ["2001"]},
            True,
        ),
        ('{equals: {hours: "12"}}', "hours", {"answer": ["12,0"]}, True),
        ('{equals: {hours: "12.0"}}', "hours", {"answer": ["12"]}, True),
        ('{equals: {hours: "12"}}', "hours", {"answer": ["13"]}, False),
        ('{in: {hours: ["1", "12.00"]}}', "hours", {"answer": ["12"]}, True),
        ("{equals: {home: own}}", "home", {"answer": ["own"]}, True),
        ("{equals: {home: own}}", "home", {"answer": ["group"]}, False),
        ("{in: {home: [group, own]}}", "home", {"answer": ["own"]}, True),
        ("{equals: {needs: b}}", "needs", {"answer": ["a", "b"]}, True),
        ("{equals: {needs: c}}", "needs", {"answer": ["a", "b"]}, False),
        ("{in: {needs: [c, d]}}", "needs", {"answer": ["a", "d"]}, True),
        ("{in: {needs: [c, d]}}", "needs", {"answer": ["a", "b"]}, False),
        ("{answered: born}", "born", {"day": ["3"], "month": ["2"], "year": ["2001"]}, True),
    ],
)
def test_equals_and_in_on_every_kind_of_answer(
    when: str, key: str, form: dict[str, list[str]], expected: bool
) -> None:
    assert follows(when, lambda e, s: answer(e, s, key, form)) is expected


@pytest.mark.parametrize("action", ["skip", "dont-know"])
@pytest.mark.parametrize(
    "when",
    [
        "{answered: name}",
        "{equals: {name: Anna}}",
        "{in: {name: [Anna]}}",
        "{not: {answered: name}}",
    ],
)
def test_a_question_not_answered_matches_nothing(action: str, when: str) -> None:
    engine = Engine(dialogue(when))
    state = engine.submit(engine.change(engine.start(), "name"), action, {}).state
    holds = "follow" in [s.key for s in engine.path(state)]
    assert holds is when.startswith("{not:")


@pytest.mark.parametrize(
    ("condition", "holds"),
    [
        (All((Answered("x"), Answered("y"))), False),
        (All((Answered("x"), Not(Answered("y")))), True),
        (All(()), True),
        (AnyOf((Answered("y"), Answered("x"))), True),
        (AnyOf((Answered("y"), Equals("x", "no"))), False),
        (AnyOf(()), False),
        (Not(Equals("x", "yes")), False),
        (In("x", ()), False),
        (Count("x", None, None), True),
    ],
)
def test_combined_conditions(condition: All | AnyOf | Not | In | Count, holds: bool) -> None:
    class Given:
        def answer(self, key: str) -> Answer:
            return "yes" if key == "x" else None

        def count(self, key: str) -> int:
            return 1 if key == "x" else 0

    assert condition.holds(Given()) is holds


def test_facts_count_a_text_answer_as_one_and_nothing_as_none() -> None:
    d = dialogue("{answered: name}")
    engine = Engine(d)
    state = answer(engine, engine.start(), "name", {"answer": ["Anna"]})
    facts = Facts(d, state, {s.key for s in engine.path(state)}, None)
    assert (facts.count("name"), facts.count("born"), facts.count("needs")) == (1, 0, 0)
    assert facts.answer("born") is None and facts.answer("name") == "Anna"
    assert facts.answer("team") is None and facts.count("team") == 0


# -- can a condition ever hold? (checked when a dialogue loads) ---------------------------------


@pytest.mark.parametrize(
    ("when", "possible"),
    [
        ("{count: {team: {at-least: 2, at-most: 2}}}", True),
        ("{all: [{answered: team}, {count: {team: {at-most: 0}}}]}", False),
        ("{all: [{not: {answered: team}}, {count: {team: {at-most: 0}}}]}", True),
        ("{all: [{answered: team}, {count: {team: {at-least: 3}}}]}", True),
        ("{count: {needs: {at-least: 4}}}", True),
        ("{count: {needs: {at-most: 0}}}", True),  # not answered counts none
        ("{all: [{count: {needs: {at-most: 0}}}, {equals: {needs: a}}]}", False),
        ("{all: [{count: {needs: {at-least: 2, at-most: 2}}}, {equals: {needs: a}}]}", True),
        ("{all: [{equals: {home: own}}, {equals: {home: group}}]}", False),
        ("{all: [{equals: {name: Anna}}, {not: {equals: {name: Anna}}}]}", False),
        ("{all: [{answered: name}, {not: {in: {name: [Anna, Ben]}}}]}", True),
    ],
)
def test_a_condition_that_can_never_hold_is_an_error(when: str, possible: bool) -> None:
    follow = f"  - id: follow\n    kind: short-text\n    when: {when}\n    prompt: And?\n"
    loaded, problems = check_text(STEPS + follow, "conditions")
    assert (loaded is not None) is possible, [str(p) for p in problems]
    if not possible:
        assert [p.rule.name for p in problems] == ["unreachable-step"]


def test_satisfiability_gives_up_past_fifty_thousand_combinations() -> None:
    """Too many combinations to try says "cannot tell" (None), never a wrong answer; exactly the
    limit is still tried."""
    condition = All((Equals("a", "1"), Equals("b", "1")))

    def domain(sizes: dict[str, int]) -> Callable[[str], list[Answer | int]]:
        return lambda key: [str(n) for n in range(sizes[key])]

    assert possible_answers(condition, domain({"a": 250, "b": 200})) is True
    assert possible_answers(condition, domain({"a": 250, "b": 201})) is None
    assert possible_answers(condition, domain({"a": 1, "b": 50_000})) is False  # no "1" for a
    assert possible_answers(Count("a", 1, 1), lambda key: [None, "text"]) is True
    assert possible_answers(Count("a", None, 0), lambda key: [None]) is True
    assert possible_answers(Count("a", 2, None), lambda key: [None, "text"]) is False
    assert possible_answers(Answered("a"), lambda key: [0, 2]) is True
    assert possible_answers(Not(Answered("a")), lambda key: [2]) is False


def test_the_review_is_reached_when_nothing_follows() -> None:
    engine = Engine(dialogue("{count: {needs: {at-least: 4}}}"))
    state = answer(engine, engine.start(), "hours", {"answer": ["1"]})
    state = engine.submit(engine.change(state, "team", returning=False), "skip", {}).state
    assert state.at == REVIEW
