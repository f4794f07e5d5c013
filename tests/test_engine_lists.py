"""The engine on a tiny dialogue with an "add another" list whose items have a question of their
own that only some items ask ("What car?" only for a person who drives): moving forward and back
inside an item, the list's own yes/no question, removing the item the person is in, changing
from the review, and keys that do not exist."""

from __future__ import annotations

import pytest

from assistant.dialogue.answers import FieldError, Form
from assistant.dialogue.engine import Engine, UnknownStep
from assistant.dialogue.loader import load_text
from assistant.dialogue.state import REVIEW, Entry, Respondent, State

LISTS = load_text(
    """
title: Lists
description: A list whose items ask one question only of people who drive.
minutes: 1
sections:
  - {id: s, title: Me}
offer: [dont-know, talk-in-meeting]
steps:
  - id: intro
    kind: short-text
    section: s
    prompt: What is your name?
  - id: team
    kind: list
    prompt: People who help you
    item-title: "{team.who}"
    add-prompt: Do you want to add a person?
    max-items: 2
    steps:
      - id: who
        kind: short-text
        prompt: Who?
      - id: drives
        kind: yes-no
        prompt: Does {team.who|this person} drive?
      - id: car
        kind: short-text
        when: {equals: {team.drives: "yes"}}
        prompt: What car?
      - id: note
        kind: short-text
        prompt: Anything else?
  - id: last
    kind: short-text
    prompt: Anything else about you?
""",
    "lists",
)


SON = Respondent("proxy", "my son")


@pytest.fixture
def engine() -> Engine:
    return Engine(LISTS)


def go(engine: Engine, state: State, *answers: tuple[str, Form]) -> State:
    """Press each (action, form) in turn; each must be accepted. (A form's value may be one
    string, as a JSON body sends it.)"""
    for action, form in answers:
        outcome = engine.submit(state, action, form)
        assert outcome.ok, outcome.errors
        state = outcome.state
    return state


def add(engine: Engine, state: State, who: str, drives: str) -> State:
    """From the list's page: add a person and answer who they are and whether they drive."""
    return go(
        engine,
        state,
        ("continue", {"add": ["yes"]}),
        ("continue", {"answer": [who]}),
        ("continue", {"answer": [drives]}),
    )


def at_list(engine: Engine) -> State:
    return engine.change(engine.start(), "team", returning=False)


def test_a_question_inside_an_item_is_asked_only_when_its_condition_holds(engine: Engine) -> None:
    state = add(engine, at_list(engine), "Anna", "yes")
    assert (state.at, state.item) == ("team.car", "i1")
    state = go(engine, state, ("continue", {"answer": ["A van"]}))
    assert state.at == "team.note"
    assert engine.back(state).at == "team.car"
    state = go(engine, state, ("skip", {}))
    assert (state.at, state.item) == ("team", None)
    state = add(engine, state, "Ben", "no")
    assert (state.at, state.item) == ("team.note", "i2")  # no car asked of Ben
    assert engine.back(state).at == "team.drives"
    anna, ben = state.items["team"]
    assert [s.key for s in engine.item_steps(state, LISTS.step("team"), anna)] == [
        "team.who",
        "team.drives",
        "team.car",
        "team.note",
    ]
    assert "team.car" not in [s.key for s in engine.item_steps(state, LISTS.step("team"), ben)]


def test_changing_an_items_answer_opens_or_closes_its_question(engine: Engine) -> None:
    state = add(engine, at_list(engine), "Ben", "no")
    state = go(engine, state, ("continue", {"answer": ["Friend"]}))
    state = engine.change(state, "team.drives", "i1")
    state = go(engine, state, ("continue", {"answer": ["yes"]}))
    assert (state.at, state.item) == ("team.car", "i1")
    assert engine.change(state, "team.car", "i1").at == "team.car"  # asked of a driver
    # A question the item does not ask leads to the item's first question.
    state = engine.change(
        go(engine, engine.change(state, "team.drives", "i1"), ("continue", {"answer": ["no"]})),
        "team.car",
        "i1",
    )
    assert (state.at, state.item) == ("team.who", "i1")


def test_back_from_an_items_first_question_leads_to_the_list(engine: Engine) -> None:
    state = add(engine, at_list(engine), "Anna", "no")
    state = engine.change(state, "team.who", "i1")
    back = engine.back(state)
    assert (back.at, back.item) == ("team", None)
    assert [i.id for i in back.items["team"]] == ["i1"]  # Anna was said something of: kept


def test_the_lists_own_question(engine: Engine) -> None:
    state = at_list(engine)
    for form in ({}, {"add": ["maybe"]}, {"add": ["yes", "no"]}):
        outcome = engine.submit(state, "continue", form)
        assert outcome.errors == (FieldError("add", "choose", {"max": 2}),)
        assert outcome.state.at == "team" and not outcome.state.items.get("team")
    state = add(engine, state, "Anna", "no")
    state = add(engine, go(engine, state, ("skip", {})), "Ben", "no")
    state = go(engine, state, ("skip", {}))
    full = engine.submit(state, "continue", {"add": "yes"})
    assert full.errors == (FieldError("add", "list-full", {"max": 2}),)
    done = go(engine, state, ("continue", {"add": "no"}))
    assert (done.at, done.item) == ("last", None)
    assert done.answers["team"] == {"client": Entry("answered", Respondent())}
    for_him = go(engine, engine.set_respondent(state, SON), ("continue", {"add": ["no"]}))
    assert for_him.answers["team"] == {"proxy": Entry("answered", SON)}
    with pytest.raises(UnknownStep, match=r"^dont-know$"):
        engine.submit(state, "dont-know", {})


def test_a_list_can_be_skipped_and_says_so(engine: Engine) -> None:
    proxy = engine.set_respondent(at_list(engine), SON)
    state = go(engine, proxy, ("skip", {}))
    assert state.at == "last"
    assert state.answers["team"] == {"proxy": Entry("skipped", SON)}
    assert state.items["team"] == []


def test_removing_the_item_the_person_is_in(engine: Engine) -> None:
    state = add(engine, at_list(engine), "Anna", "no")
    state = go(engine, state, ("skip", {}))
    inside_ben = add(engine, state, "Ben", "yes")
    assert (inside_ben.at, inside_ben.item) == ("team.car", "i2")
    removed = engine.remove_item(inside_ben, "team", "i2")
    assert (removed.at, removed.item) == ("team", None)
    assert [i.id for i in removed.items["team"]] == ["i1"]
    # Removing another person leaves the person where they are.
    other = engine.remove_item(inside_ben, "team", "i1")
    assert (other.at, other.item) == ("team.car", "i2")
    assert [i.id for i in other.items["team"]] == ["i2"]
    with pytest.raises(UnknownStep, match=r"^i9$"):
        engine.remove_item(inside_ben, "team", "i9")


def test_back_while_changing_an_answer_from_the_review(engine: Engine) -> None:
    state = go(engine, engine.start(), ("continue", {"answer": ["Aino"]}), ("skip", {}))
    state = go(engine, state, ("continue", {"answer": ["More"]}))
    assert state.at == REVIEW
    changing = engine.change(state, "last")
    assert changing.return_to_review and changing.review_path == ["intro", "team", "last"]
    back = engine.back(changing)
    assert (back.at, back.return_to_review, back.review_path) == (REVIEW, False, [])
    left = engine.go_to_review(changing)  # "Check your answers" from the step: the change ends
    assert (left.at, left.item, left.return_to_review, left.review_path) == (
        REVIEW,
        None,
        False,
        [],
    )
    # A change not from the review goes back along the path.
    assert engine.back(engine.change(state, "last", returning=False)).at == "team"
    assert engine.change(state, "last", returning=False).review_path == []


def test_a_change_from_the_review_returns_there(engine: Engine) -> None:
    state = go(engine, engine.start(), ("continue", {"answer": ["Aino"]}), ("skip", {}))
    state = engine.go_to_review(state)
    state = go(engine, engine.change(state, "intro"), ("continue", {"answer": ["Aino K."]}))
    assert (state.at, state.return_to_review) == (REVIEW, False)
    # A person added while changing the list from the review: then back to the review.
    state = engine.change(state, "team")
    assert (state.at, state.return_to_review) == ("team", True)
    state = go(
        engine, add(engine, state, "Anna", "no"), ("skip", {}), ("continue", {"add": ["no"]})
    )
    assert state.at == REVIEW and state.answers["intro"]["client"].value == "Aino K."
    # A step within a change keeps the path the change began with.
    first = engine.change(engine.change(state, "intro"), "team")
    assert first.review_path == ["intro", "team", "last"] and first.return_to_review


@pytest.mark.parametrize(
    ("key", "item", "unknown"),  # unknown: what the error names (a test plan's failure shows it)
    [
        ("nothing-here", None, "nothing-here"),
        ("team.nothing", "i1", "team.nothing"),
        ("team.who", None, "team.who"),  # a question of an item, without the item
        ("team.who", "i9", "i9"),
        ("team", "i9", "i9"),
    ],
)
def test_a_change_to_what_does_not_exist_is_unknown(
    engine: Engine, key: str, item: str | None, unknown: str
) -> None:
    state = add(engine, at_list(engine), "Anna", "no")
    with pytest.raises(UnknownStep) as raised:
        engine.change(state, key, item)
    assert raised.value.args == (unknown,)


def test_a_state_at_a_step_that_does_not_exist(engine: Engine) -> None:
    state = engine.start()
    assert (state.dialogue, state.at, state.item) == ("lists", "intro", None)
    state.at = "gone"
    with pytest.raises(UnknownStep, match=r"^gone$"):
        engine.submit(state, "continue", {})
    with pytest.raises(UnknownStep, match=r"^shout$"):
        engine.submit(engine.start(), "shout", {})


def test_keep_moves_on_and_leaves_the_answer(engine: Engine) -> None:
    """Enter in `assistant talk`: the same question, its answer as it was, the next one."""
    state = go(engine, engine.start(), ("continue", {"answer": ["Aino"]}))
    state = engine.change(state, "intro", returning=False)
    kept = engine.keep(state)
    assert kept.at == "team" and kept.answers == state.answers
    assert state.at == "intro"  # the state given is not changed
    inside = add(engine, at_list(engine), "Anna", "no")
    assert engine.keep(engine.change(inside, "team.who", "i1")).at == "team.drives"
    review = engine.go_to_review(state)
    assert engine.keep(review) is review


def test_submitting_at_the_review_changes_nothing(engine: Engine) -> None:
    review = engine.go_to_review(engine.start())
    outcome = engine.submit(review, "continue", {"answer": ["x"]})
    assert outcome.ok and outcome.state is review
    assert engine.current(review) == (None, None)
