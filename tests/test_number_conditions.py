"""Conditions on a number answer: at least, at most, between (both ends count), and the checker
catching a condition that compares a question with a value of another type, at its line."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.dialogue.engine import Engine
from assistant.dialogue.loader import check_text, load_text

HEAD = """title: Help hours
sections: [{id: me, title: About me}]
steps:
  - id: help-hours
    kind: number
    section: me
    prompt: How many hours of help do you get in a month?
    min: 0
    max: 744
  - id: sure
    kind: yes-no
    prompt: Is that enough?
  - id: name
    kind: short-text
    prompt: What is your name?
"""


def follow_up(when: str) -> str:
    return HEAD + f"  - {{id: more, kind: long-text, prompt: Tell more, when: {when}}}\n"


def shown_after(when: str, typed: str | None) -> bool:
    """Whether the follow-up is asked after `typed` is given as the hours (None: skipped)."""
    engine = Engine(load_text(follow_up(when), "hours"))
    state = engine.start()
    if typed is None:
        state = engine.submit(state, "skip", {}).state
    else:
        outcome = engine.submit(state, "continue", {"answer": [typed]})
        assert outcome.ok, outcome.errors
        state = outcome.state
    return "more" in {s.key for s in engine.path(state)}


@pytest.mark.parametrize(
    ("when", "typed", "shown"),
    [
        ("{at-least: {help-hours: 100}}", "99.99", False),
        ("{at-least: {help-hours: 100}}", "100", True),
        ("{at-least: {help-hours: 100}}", "100,0", True),
        ("{at-least: {help-hours: 100}}", "noin 101 h", True),
        ("{at-least: {help-hours: 100}}", None, False),  # skipped: not answered, never holds
        ("{at-most: {help-hours: 20}}", "20", True),
        ("{at-most: {help-hours: 20}}", "20.01", False),
        ("{at-most: {help-hours: 20}}", "0", True),
        ("{at-most: {help-hours: 20}}", None, False),
        ("{between: {help-hours: [10, 20]}}", "9.99", False),
        ("{between: {help-hours: [10, 20]}}", "10", True),
        ("{between: {help-hours: [10, 20]}}", "20", True),
        ("{between: {help-hours: [10, 20]}}", "20.01", False),
        ("{between: {help-hours: [10.5, 10.5]}}", "10,5", True),
        ("{not: {at-least: {help-hours: 100}}}", None, True),  # not answered is not 100 or more
        ("{not: {at-least: {help-hours: 100}}}", "100", False),
        ("{equals: {help-hours: 40}}", "40.0", True),
    ],
)
def test_a_number_condition_holds_exactly_at_its_ends(
    when: str, typed: str | None, shown: bool
) -> None:
    assert shown_after(when, typed) is shown


@pytest.mark.parametrize("stored", ["lots", "NaN", "Infinity", "-Infinity"])
def test_a_stored_answer_that_is_no_number_holds_no_number_condition(stored: str) -> None:
    """A record written before the question asked for a number (or edited by hand) keeps its
    text: no number condition holds for it, not even `at-most` of a huge number."""
    engine = Engine(load_text(follow_up("{at-most: {help-hours: 1000000}}"), "hours"))
    state = engine.submit(engine.start(), "continue", {"answer": ["5"]}).state
    assert "more" in {s.key for s in engine.path(state)}
    entry = state.answers["help-hours"]["client"]
    state.answers["help-hours"]["client"] = replace(entry, value=stored)
    assert "more" not in {s.key for s in engine.path(state)}


@pytest.mark.parametrize(
    ("when", "code", "words"),
    [
        ("{equals: {help-hours: lots}}", "DLG029", "'lots' is not a number"),
        ("{in: {help-hours: [10, many]}}", "DLG029", "'many' is not a number"),
        ("{at-least: {name: 3}}", "DLG029", "'name' is a short-text question"),
        ("{between: {sure: [1, 2]}}", "DLG029", "'sure' is a yes-no question"),
        ("{equals: {sure: maybe}}", "DLG017", "'sure' has no choice 'maybe'"),
        ("{at-least: {help-hours: lots}}", "DLG002", "at-least must be a number"),
        ("{between: {help-hours: [20, 10]}}", "DLG012", "the smaller number first"),
        ("{between: {help-hours: 10}}", "DLG012", "two numbers"),
        ("{at-least: {help-hours: 745}}", "DLG016", "can never be shown"),  # max is 744
        ("{all: [{at-least: {help-hours: 30}}, {at-most: {help-hours: 20}}]}", "DLG016", "never"),
    ],
)
def test_check_names_the_line_of_a_condition_that_compares_the_wrong_type(
    when: str, code: str, words: str
) -> None:
    dialogue, problems = check_text(follow_up(when), "hours", "hours.yaml")
    assert dialogue is None
    first = problems[0]
    assert (first.code, first.line) == (code, 16), str(first)
    assert words in first.message and str(first).startswith("hours.yaml:16:")
    assert "hint: " in str(first)


def test_the_hint_shows_a_number_condition_that_works() -> None:
    problem = check_text(follow_up("{equals: {help-hours: lots}}"), "hours")[1][0]
    assert "at-least: {help-hours: 40}" in problem.hint
    # The hint's condition, pasted in, passes.
    assert check_text(follow_up("{at-least: {help-hours: 40}}"), "hours")[1] == []


def test_a_range_a_whole_number_cannot_fall_in_is_never_shown() -> None:
    whole = HEAD.replace("    max: 744\n", "    max: 744\n    whole: true\n")
    when = "{between: {help-hours: [10.2, 10.8]}}"
    steps = whole + f"  - {{id: more, kind: long-text, prompt: Tell more, when: {when}}}\n"
    assert [p.code for p in check_text(steps, "hours")[1]] == ["DLG016"]
    near = steps.replace("10.8", "11")
    assert check_text(near, "hours")[1] == []
