"""Changing answers from the review where a list opens and closes: a list with people already
added is not asked again on the way back, a person whose questions have all closed cannot be
changed into, and a change begun before an upgrade (a record without `review_path`)."""

from __future__ import annotations

import pytest

from assistant.dialogue.engine import Engine, UnknownStep
from assistant.dialogue.loader import load_text
from assistant.dialogue.state import REVIEW, State

HEAD = """
title: Changes
description: A gate, a list and a last question.
minutes: 1
sections:
  - {id: s, title: Me}
steps:
  - id: gate
    kind: yes-no
    section: s
    prompt: Do you have people who help you?
"""
LAST = """
  - id: last
    kind: short-text
    prompt: Anything else?
"""
# The list itself opens with the gate.
GATED_LIST = load_text(
    HEAD
    + """
  - id: team
    kind: list
    when: {equals: {gate: "yes"}}
    prompt: People who help you
    item-title: "{team.who}"
    add-prompt: Add a person?
    steps:
      - id: who
        kind: short-text
        prompt: Who?
"""
    + LAST,
    "changes",
)
# The list is always there; its one question opens with the gate.
GATED_QUESTION = load_text(
    HEAD
    + """
  - id: team
    kind: list
    prompt: People who help you
    item-title: "{team.who|A person}"
    add-prompt: Add a person?
    steps:
      - id: who
        kind: short-text
        when: {equals: {gate: "yes"}}
        prompt: Who?
"""
    + LAST,
    "changes",
)


def go(engine: Engine, state: State, *forms: dict[str, list[str]]) -> State:
    for form in forms:
        outcome = engine.submit(state, "continue", form)
        assert outcome.ok, outcome.errors
        state = outcome.state
    return state


def test_a_list_with_people_is_not_asked_again_on_the_way_back() -> None:
    engine = Engine(GATED_LIST)
    state = go(engine, engine.start(), {"answer": ["yes"]}, {"add": ["yes"]}, {"answer": ["Anna"]})
    assert state.at == "team" and "team" not in state.answers  # Anna added, no "no" said
    state = go(engine, engine.change(engine.go_to_review(state), "gate"), {"answer": ["no"]})
    assert state.at == REVIEW and state.review_path == []
    # The list opens again with Anna in it: not asked again, straight back to the review.
    state = go(engine, engine.change(state, "gate"), {"answer": ["yes"]})
    assert state.at == REVIEW and [i.id for i in state.list_items("team")] == ["i1"]


def test_a_person_whose_questions_all_closed_cannot_be_changed_into() -> None:
    engine = Engine(GATED_QUESTION)
    state = go(engine, engine.start(), {"answer": ["yes"]}, {"add": ["yes"]}, {"answer": ["Anna"]})
    assert engine.change(state, "team.who", "i1").at == "team.who"
    state = go(engine, engine.change(state, "gate"), {"answer": ["no"]})
    with pytest.raises(UnknownStep, match=r"^team.who$"):
        engine.change(state, "team.who", "i1")
    # Nothing to ask of a new person either: adding one leaves the person on the list.
    state = go(engine, engine.change(state, "team", returning=False), {"add": ["yes"]})
    assert (state.at, state.item) == ("team", None)


def test_a_change_begun_before_review_path_was_stored() -> None:
    engine = Engine(GATED_LIST)
    old = State.from_json({"dialogue": "changes", "at": "last", "return_to_review": True})
    assert old.review_path == []
    state = engine.change(old, "gate")
    assert state.review_path == ["gate", "last"]
    state = go(engine, state, {"answer": ["yes"]})
    assert state.at == "team"  # opened by the change
