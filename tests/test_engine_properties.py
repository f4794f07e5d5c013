"""Random conversations: whatever a person does, the engine never breaks, the state always
round-trips through JSON, and skipping onwards always reaches the review."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.dialogue.answers import BadInput
from assistant.dialogue.engine import Engine, UnknownStep
from assistant.dialogue.loader import load
from assistant.dialogue.model import Kind
from assistant.dialogue.state import REVIEW, State
from assistant.dialogue.views import Views
from tests.every_dialogue import DIALOGUE_FILES

ROOT = Path(__file__).resolve().parent.parent
ENGINES = [Engine(load(path)) for path in DIALOGUE_FILES]
text = st.text(max_size=60)
action = st.one_of(
    st.tuples(st.just("answer"), st.integers(0, 50), text),
    st.tuples(
        st.sampled_from(
            [
                "skip",
                "dont-know",
                "talk-in-meeting",
                "back",
                "review",
                "add-yes",
                "add-no",
                "remove",
                "change",
            ]
        ),
        st.integers(0, 50),
        text,
    ),
)


def form_for(engine: Engine, state: State, pick: int, words: str) -> dict[str, list[str]]:
    step, _ = engine.current(state)
    if step is None:
        return {}
    values = list(step.values())
    if step.kind is Kind.MULTIPLE_CHOICE:
        return {
            "answer": [values[pick % len(values)], values[(pick // 3) % len(values)]],
            "other": [words],
        }
    if step.kind.has_choices:
        return {"answer": [values[pick % len(values)]], "other": [words]}
    if step.kind is Kind.DATE:
        return {"day": [str(pick % 35)], "month": [str(pick % 14)], "year": [str(1990 + pick)]}
    if step.kind is Kind.NUMBER:
        return {"answer": [str(pick - 5) if pick % 2 else words]}
    return {"answer": [words]}


def act(engine: Engine, state: State, name: str, pick: int, words: str) -> State:
    if name == "back":
        return engine.back(state)
    if name == "review":
        return engine.go_to_review(state)
    if name == "change":
        rows = Views(engine).rows(state)
        return engine.change(state, rows[pick % len(rows)].step.key) if rows else state
    if name == "remove":
        items = [(k, i.id) for k, items in state.items.items() for i in items]
        return engine.remove_item(state, *items[pick % len(items)]) if items else state
    if state.at == REVIEW:
        return state
    if name in ("add-yes", "add-no"):
        return engine.submit(
            state, "continue", {"add": ["yes" if name == "add-yes" else "no"]}
        ).state
    step, _ = engine.current(state)
    if name in ("dont-know", "talk-in-meeting") and (step is None or name not in step.offer):
        name = "skip"
    if name == "answer":
        return engine.submit(state, "continue", form_for(engine, state, pick, words)).state
    return engine.submit(state, name, {}).state


@settings(
    max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(which=st.integers(0, len(ENGINES) - 1), actions=st.lists(action, max_size=40))
def test_random_conversations_never_break(which: int, actions: list[tuple[str, int, str]]) -> None:
    engine = ENGINES[which]
    state = engine.start()
    for name, pick, words in actions:
        before = json.dumps(state.to_json())
        # The documented refusals (the web answers 400 / 404) leave the state as it was.
        with contextlib.suppress(BadInput, UnknownStep):
            new = act(engine, state, name, pick, words)
            # An operation returns a new state and never changes the old one: a save that
            # fails must leave nothing half-changed.
            assert json.dumps(state.to_json()) == before, name
            state = new
        assert State.from_json(json.loads(json.dumps(state.to_json()))) == state
        Views(engine).step(state)
        Views(engine).rows(state)
    # From anywhere, skipping onwards reaches the review.
    bound = len(engine.dialogue.by_key) + sum(len(items) * 5 for items in state.items.values()) + 5
    for _ in range(bound):
        if state.at == REVIEW:
            break
        step, _ = engine.current(state)
        form = {"add": ["no"]} if step is not None and step.kind is Kind.LIST else {}
        state = engine.submit(
            state,
            "continue"
            if step is not None and step.kind in (Kind.LIST, Kind.INFORMATION)
            else "skip",
            form,
        ).state
    assert state.at == REVIEW


@settings(
    max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(which=st.integers(0, len(ENGINES) - 1), actions=st.lists(action, max_size=40))
def test_a_remembered_path_is_the_path_walked_afresh(
    which: int, actions: list[tuple[str, int, str]]
) -> None:
    """The engine remembers paths by the identities of the answers: along any conversation,
    what it remembers is what an engine that has never seen these answers walks."""
    engine = ENGINES[which]
    state = engine.start()
    for name, pick, words in actions:
        with contextlib.suppress(BadInput, UnknownStep):
            state = act(engine, state, name, pick, words)
        fresh = Engine(engine.dialogue)
        # The same answers in new objects (as decoded from the store) walk the same path.
        decoded = State.from_json(json.loads(json.dumps(state.to_json())))
        assert engine.path(state) == fresh.path(state) == engine.path(decoded)
