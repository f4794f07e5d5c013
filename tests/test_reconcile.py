"""A stored conversation meets its dialogue after an edit (pure: engine and state only): the
person is moved to the nearest step that still applies, answers to removed steps stay out of
the review but are kept, only choices that are gone are dropped, and a state from a newer
format is refused."""

from __future__ import annotations

import json

import pytest

from assistant.dialogue.engine import Engine
from assistant.dialogue.loader import load_text
from assistant.dialogue.reconcile import Reconciler, fit
from assistant.dialogue.state import REVIEW, Entry, NewerState, Respondent, State
from assistant.dialogue.views import Views

BEFORE = """title: My support
sections:
  - {id: me, title: About me}
  - {id: help, title: Help I get}
steps:
  - {id: name, kind: short-text, section: me, prompt: "What is your name?"}
  - {id: hobbies, kind: long-text, prompt: "What do you like to do?"}
  - id: transport
    kind: multiple-choice
    prompt: How do you get around?
    choices:
      - {value: walk, label: I walk}
      - {value: taxi, label: By taxi}
      - {value: bus, label: By bus}
  - id: lives
    kind: single-choice
    prompt: Who do you live with?
    choices:
      - {value: alone, label: Alone}
      - {value: family, label: With my family}
  - id: helpers
    kind: list
    section: help
    prompt: People who help you
    item-title: "{helpers.who}"
    add-prompt: Do you want to add a person who helps you?
    steps:
      - {id: who, kind: short-text, prompt: "Who helps you?"}
      - {id: how-often, kind: short-text, prompt: "How often does {helpers.who|this person} help?"}
      - {id: what, kind: long-text, prompt: "What does {helpers.who|this person} help with?"}
  - {id: hours, kind: number, prompt: "How many hours of help do you get in a week?"}
  - {id: more, kind: long-text, prompt: "Is there anything else?"}
"""


HOBBIES = '  - {id: hobbies, kind: long-text, prompt: "What do you like to do?"}\n'
HOW_OFTEN = (
    '      - {id: how-often, kind: short-text, prompt: "How often does {helpers.who|this person}'
    ' help?"}\n'
)


def engine_for(text: str) -> Engine:
    return Engine(load_text(text, "my-support"))


def walked(engine: Engine, *answers: tuple[str, object]) -> State:
    """The conversation after these answers, in order (("add", "yes") on a list)."""
    state = engine.start()
    for field, value in answers:
        values = value if isinstance(value, list) else [value]
        outcome = engine.submit(state, "continue", {field: [str(v) for v in values]})
        assert outcome.ok, (state.at, outcome.errors)
        state = outcome.state
    return state


TO_HOURS = (
    ("answer", "Aino"),
    ("answer", "Baking"),
    ("answer", ["walk", "taxi"]),
    ("answer", "family"),
    ("add", "yes"),
    ("answer", "Anna"),
    ("answer", "Daily"),
    ("answer", "Shopping"),
    ("add", "no"),
)


def stored(engine: Engine, state: State) -> State:
    """As the store keeps it: JSON, marked with the dialogue it was saved for."""
    stamped = Reconciler(engine).stamp(state)
    return State.from_json(json.loads(json.dumps(stamped.to_json())))


def reconciled(text: str, state: State) -> tuple[State, bool, Engine]:
    engine = engine_for(text)
    result = Reconciler(engine).reconcile(state)
    return result.state, result.changed, engine


def review(engine: Engine, state: State) -> dict[str, object]:
    return {row.step.key: [a.entry.value for a in row.answers] for row in Views(engine).rows(state)}


def test_an_unchanged_dialogue_leaves_the_state_as_it_is() -> None:
    engine = engine_for(BEFORE)
    state = stored(engine, walked(engine, *TO_HOURS))
    result = Reconciler(engine_for(BEFORE.replace("What is your name?", "Your name?"))).reconcile(
        state
    )
    assert result.state is state and not result.changed  # rewording moves nobody


def test_a_renamed_step_the_person_is_on_moves_them_to_it() -> None:
    engine = engine_for(BEFORE)
    state = stored(engine, walked(engine, *TO_HOURS))
    assert state.at == "hours"
    new, changed, edited = reconciled(BEFORE.replace("id: hours", "id: help-hours"), state)
    assert (new.at, new.item, changed) == ("help-hours", None, True)
    assert edited.change(new, new.at, None).at == "help-hours"  # the page can be shown


def test_a_removed_step_is_kept_out_of_the_review_and_comes_back_with_its_step() -> None:
    engine = engine_for(BEFORE)
    state = stored(engine, walked(engine, *TO_HOURS))
    without = BEFORE.replace(HOBBIES, "")
    new, changed, edited = reconciled(without, state)
    assert changed and new.at == "hours"
    assert "hobbies" not in review(edited, new)
    assert new.answers["hobbies"]["client"].value == "Baking"  # kept, not deleted
    again, _changed, restored = reconciled(BEFORE, new)
    assert review(restored, again)["hobbies"] == ["Baking"]


@pytest.mark.parametrize(
    ("edit", "transport", "lives"),
    [
        (("      - {value: taxi, label: By taxi}\n", ""), [["walk"]], [("family")]),
        (("      - {value: walk, label: I walk}\n", ""), [["taxi"]], ["family"]),
        (
            (
                "      - {value: family, label: With my family}\n",
                "      - {value: partner, label: With my partner}\n",
            ),
            [["walk", "taxi"]],
            [],
        ),
        (("      - {value: bus, label: By bus}\n", ""), [["walk", "taxi"]], ["family"]),
    ],
    ids=["one-of-two-chosen", "the-other", "single-choice-gone", "an-unchosen-one"],
)
def test_a_changed_choice_list_drops_only_the_values_that_are_gone(
    edit: tuple[str, str], transport: list[list[str]], lives: list[str]
) -> None:
    engine = engine_for(BEFORE)
    state = stored(engine, walked(engine, *TO_HOURS))
    new, changed, edited = reconciled(BEFORE.replace(*edit), state)
    shown = review(edited, new)
    assert (shown["transport"], shown["lives"]) == (transport, lives)
    assert changed is (edit[0] != "      - {value: bus, label: By bus}\n")


def test_an_answer_that_no_longer_fits_its_question_is_dropped() -> None:
    engine = engine_for(BEFORE)
    state = stored(engine, walked(engine, *TO_HOURS))
    as_number = BEFORE.replace("{id: hobbies, kind: long-text,", "{id: hobbies, kind: number,")
    new, changed, edited = reconciled(as_number, state)
    assert changed and review(edited, new)["hobbies"] == []


def test_a_removed_list_question_the_person_is_on_moves_them_to_the_next_one() -> None:
    engine = engine_for(BEFORE)
    state = stored(engine, walked(engine, *TO_HOURS[:6]))
    assert (state.at, state.item) == ("helpers.how-often", "i1")
    without = BEFORE.replace(
        HOW_OFTEN,
        "",
    )
    new, changed, edited = reconciled(without, state)
    assert (new.at, new.item, changed) == ("helpers.what", "i1", True)
    after = edited.submit(new, "continue", {"answer": ["Shopping"]}).state
    assert (after.at, after.item) == ("helpers", None)


def test_a_list_question_whose_item_is_gone_moves_them_to_the_list() -> None:
    engine = engine_for(BEFORE)
    state = stored(engine, walked(engine, *TO_HOURS[:6]))
    state.item, state.fingerprint = "i9", ""  # as stored before states were reconciled
    new, changed, _edited = reconciled(BEFORE, state)
    assert (new.at, new.item, changed) == ("helpers", None, True)


def test_a_step_that_no_longer_applies_moves_them_to_the_next_that_does() -> None:
    engine = engine_for(BEFORE)
    state = stored(engine, walked(engine, *TO_HOURS))
    conditional = BEFORE.replace(
        "{id: hours, kind: number,", "{id: hours, kind: number, when: {equals: {lives: alone}},"
    )
    new, changed, _edited = reconciled(conditional, state)
    assert (new.at, changed) == ("more", True)


def test_a_change_begun_from_the_review_whose_step_is_gone_returns_to_the_review() -> None:
    engine = engine_for(BEFORE)
    state = walked(engine, *TO_HOURS, ("answer", "10"), ("answer", "No"))
    assert state.at == REVIEW
    state = stored(engine, engine.change(state, "hobbies"))
    without = BEFORE.replace(HOBBIES, "")
    new, changed, _edited = reconciled(without, state)
    assert (new.at, new.return_to_review, new.review_path, changed) == (REVIEW, False, [], True)


def test_a_renamed_step_with_everything_else_answered_moves_them_to_it() -> None:
    """The nearest step of one that is gone: the first question not yet answered."""
    engine = engine_for(BEFORE)
    state = stored(engine, walked(engine, *TO_HOURS[:3]))
    assert state.at == "lives"
    new, _changed, _edited = reconciled(
        BEFORE.replace("id: lives", "id: lives-with").replace(
            "{equals: {lives:", "{equals: {lives-with:"
        ),
        state,
    )
    assert new.at == "lives-with"


@pytest.mark.parametrize("version", [2, 99, "2", None, True])
def test_a_state_from_a_newer_format_is_refused_not_misread(version: object) -> None:
    engine = engine_for(BEFORE)
    data = walked(engine, *TO_HOURS).to_json()
    data["version"] = version
    with pytest.raises(NewerState):
        State.from_json(data)


def test_a_state_of_this_format_or_from_before_versions_is_read() -> None:
    engine = engine_for(BEFORE)
    data = walked(engine, *TO_HOURS).to_json()
    assert data["version"] == 1
    assert State.from_json(data).to_json() == data
    del data["version"], data["fingerprint"]
    assert State.from_json(data).at == "hours"


CLIENT = Respondent()


@pytest.mark.parametrize(
    ("step", "entry", "fitted"),
    [
        (
            "transport",
            Entry("answered", CLIENT, ["walk", "car"]),
            Entry("answered", CLIENT, ["walk"]),
        ),
        ("transport", Entry("answered", CLIENT, ["car"]), None),
        ("transport", Entry("answered", CLIENT, "walk"), None),  # was single choice
        ("lives", Entry("answered", CLIENT, "partner"), None),
        ("lives", Entry("skipped", CLIENT), Entry("skipped", CLIENT)),
        ("lives", Entry("talk-in-meeting", CLIENT, "partner"), Entry("talk-in-meeting", CLIENT)),
        ("hours", Entry("answered", CLIENT, "lots"), None),
        ("hours", Entry("answered", CLIENT, "12.5"), Entry("answered", CLIENT, "12.5")),
        ("name", Entry("answered", CLIENT, ["walk"]), None),  # was multiple choice
        ("name", Entry("seen", CLIENT), None),  # was an information page
        ("helpers", Entry("answered", CLIENT, "Anna"), None),  # now a list
        ("helpers", Entry("answered", CLIENT), Entry("answered", CLIENT)),  # none added
    ],
)
def test_an_answer_fits_its_question_as_it_is_now(
    step: str, entry: Entry, fitted: Entry | None
) -> None:
    assert fit(engine_for(BEFORE).dialogue.step(step), entry) == fitted
