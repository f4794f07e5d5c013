"""The pure engine: validation by kind, moving around, lists, voices, progress, state."""

from __future__ import annotations

import gc
import gettext
import json
import weakref
from datetime import date
from pathlib import Path

import pytest

from assistant.dialogue.answers import BadInput, MonthOfYear, clean_text
from assistant.dialogue.engine import Engine, Facts, UnknownStep
from assistant.dialogue.loader import load, load_text
from assistant.dialogue.state import REVIEW, Entry, Respondent, State
from assistant.dialogue.views import Views
from assistant.i18n import Translator
from assistant.testplan import load_plan, run

DIALOGUE = load(Path(__file__).parent / "web" / "every-kind.yaml")


def at(engine: Engine, key: str) -> State:
    return engine.change(engine.start(), key, returning=False)


def codes(engine: Engine, key: str, form: dict[str, list[str]]) -> list[str]:
    return [e.code for e in engine.submit(at(engine, key), "continue", form).errors]


@pytest.fixture
def engine() -> Engine:
    return Engine(DIALOGUE)


@pytest.mark.parametrize(
    ("key", "form", "expected"),
    [
        ("name", {"answer": ["x" * 41]}, ["too-long"]),
        ("meeting-date", {"day": ["1"], "month": [""], "year": ["2027"]}, ["date-incomplete"]),
        ("meeting-date", {"day": ["1"], "month": ["x"], "year": ["2027"]}, ["date-invalid"]),
        ("meeting-date", {"day": ["31"], "month": ["2"], "year": ["2027"]}, ["date-day-of-month"]),
        ("meeting-date", {"day": ["29"], "month": ["2"], "year": ["2027"]}, ["date-day-of-month"]),
        ("meeting-date", {"day": ["32"], "month": ["1"], "year": ["2027"]}, ["date-day"]),
        ("meeting-date", {"day": ["0"], "month": ["1"], "year": ["2027"]}, ["date-day"]),
        ("meeting-date", {"day": ["1"], "month": ["13"], "year": ["2027"]}, ["date-month"]),
        ("meeting-date", {"day": ["1"], "month": ["2"], "year": ["27"]}, ["date-year"]),
        ("help-hours", {"answer": ["lots"]}, ["number-invalid"]),
        ("help-hours", {"answer": ["-1"]}, ["number-too-small"]),
        ("help-hours", {"answer": ["169"]}, ["number-too-large"]),
        ("help-hours", {"answer": ["1 200,5"]}, ["number-too-large"]),
        ("help-hours", {"answer": ["10-15"]}, ["number-one"]),
        ("help-hours", {"answer": ["10–15 h"]}, ["number-one"]),
        ("help-hours", {"answer": ["10 or 12"]}, ["number-one"]),
        ("help-hours", {"answer": ["1.200,5"]}, ["number-invalid"]),
    ],
)
def test_validation_gives_codes_not_words(
    engine: Engine, key: str, form: dict[str, list[str]], expected: list[str]
) -> None:
    assert codes(engine, key, form) == expected


@pytest.mark.parametrize(
    ("key", "form"),
    [
        ("name", {"answer": ["  "]}),
        ("home", {}),
        ("moving", {}),
        ("meeting-date", {"day": [""], "month": [""], "year": [""]}),
        ("help-hours", {"answer": [""]}),
    ],
)
def test_continue_with_nothing_given_moves_on_and_records_skipped(
    engine: Engine, key: str, form: dict[str, list[str]]
) -> None:
    """Every question may be left unanswered: no error for an empty Continue (users found one
    on every question, though each could be skipped)."""
    state = at(engine, key)
    outcome = engine.submit(state, "continue", form)
    assert outcome.ok and outcome.state.at != key
    assert outcome.state.answers[key]["client"].status == "skipped"


def test_valid_answers_are_stored_normalised(engine: Engine) -> None:
    state = engine.submit(at(engine, "help-hours"), "continue", {"answer": ["12,50"]}).state
    assert state.answers["help-hours"]["client"].value == "12.5"
    state = engine.submit(
        at(engine, "meeting-date"), "continue", {"day": ["7"], "month": ["03"], "year": ["2027"]}
    ).state
    assert state.answers["meeting-date"]["client"].value == "2027-03-07"
    state = engine.submit(at(engine, "moving"), "continue", {"answer": ["taxi", "walk"]}).state
    assert state.answers["moving"]["client"].value == ["walk", "taxi"]  # dialogue order


WISHES = load(Path(__file__).parent.parent / "dialogues" / "wishes-and-needs.yaml")


def test_typed_something_else_counts_as_chosen(engine: Engine) -> None:
    """With JavaScript off the "If something else, what?" box is always there: words typed in
    it are an answer whether or not its box was ticked."""
    state = engine.submit(
        at(engine, "moving"), "continue", {"answer": ["walk"], "other": ["Music"]}
    ).state
    entry = state.answers["moving"]["client"]
    assert (entry.value, entry.other) == (["walk", "something-else"], "Music")
    state = engine.submit(at(engine, "moving"), "continue", {"other": ["Bicycle"]}).state
    assert state.answers["moving"]["client"].value == ["something-else"]
    # Ticked with no words is an answer too, and reads as the choice's label.
    state = engine.submit(
        at(engine, "moving"), "continue", {"answer": ["something-else"], "other": [" "]}
    ).state
    row = next(r for r in Views(engine).rows(state) if r.step.key == "moving")
    assert [p.source for p in row.answers[0].pieces] == ["Something else"]  # type: ignore[union-attr]


def test_single_choice_with_typed_something_else() -> None:
    engine = Engine(WISHES)
    alone = engine.submit(at(engine, "lives-with"), "continue", {"other": ["With my dog"]})
    entry = alone.state.answers["lives-with"]["client"]
    assert (entry.value, entry.other) == ("something-else", "With my dog")
    both = engine.submit(
        at(engine, "lives-with"), "continue", {"answer": ["alone"], "other": ["With my dog"]}
    )
    assert [(e.field, e.code) for e in both.errors] == [("other", "other-and-choice")]
    assert both.errors[0].params["other"].source == "Something else"
    assert "lives-with" not in both.state.answers  # nothing guessed, nothing stored


def test_an_exclusive_choice_is_chosen_alone() -> None:
    engine = Engine(WISHES)
    both = engine.submit(at(engine, "occupation"), "continue", {"answer": ["work", "none"]})
    assert [(e.field, e.code) for e in both.errors] == [("answer", "exclusive")]
    assert both.errors[0].params["choice"].source == "None of these now"
    typed = engine.submit(
        at(engine, "services-now"), "continue", {"answer": ["none"], "other": ["A cleaner"]}
    )
    assert [e.code for e in typed.errors] == ["exclusive"]  # words typed are an answer too
    alone = engine.submit(at(engine, "occupation"), "continue", {"answer": ["none"]}).state
    assert alone.answers["occupation"]["client"].value == ["none"]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("40 h", "40"),
        ("40 tuntia", "40"),
        ("noin 40", "40"),
        ("about 40", "40"),
        ("n. 12,5 h/vko", "12.5"),
        ("100 h", "100"),
        ("40.", "40"),
        ("€ 12", "12"),
    ],
)
def test_a_number_among_words_is_the_answer(engine: Engine, typed: str, stored: str) -> None:
    """ "A guess is fine": a number with words or a unit around it is read as that number."""
    state = engine.submit(at(engine, "help-hours"), "continue", {"answer": [typed]}).state
    assert state.answers["help-hours"]["client"].value == stored


def test_a_date_error_says_which_part_is_wrong(engine: Engine) -> None:
    form = {"day": ["31"], "month": ["2"], "year": ["2027"]}
    (error,) = engine.submit(at(engine, "meeting-date"), "continue", form).errors
    assert (error.field, error.params) == ("day", {"month": MonthOfYear(2027, 2), "days": 28})
    form = {"day": ["29"], "month": ["2"], "year": ["2028"]}  # a leap year
    assert engine.submit(at(engine, "meeting-date"), "continue", form).ok


def test_a_meeting_date_cannot_be_in_the_past() -> None:
    engine = Engine(WISHES, today=lambda: date(2026, 12, 1))
    past = {"day": ["30"], "month": ["11"], "year": ["2026"]}
    assert [e.code for e in engine.submit(at(engine, "meeting-date"), "continue", past).errors] == [
        "date-past"
    ]
    today = {"day": ["1"], "month": ["12"], "year": ["2026"]}
    state = engine.submit(at(engine, "meeting-date"), "continue", today).state
    assert state.answers["meeting-date"]["client"].value == "2026-12-01"
    assert WISHES.step("meeting-date").not_before == "today"


def test_input_no_page_sends_is_bad_input(engine: Engine) -> None:
    with pytest.raises(BadInput):
        engine.submit(at(engine, "home"), "continue", {"answer": ["castle"]})
    with pytest.raises(BadInput):
        engine.submit(at(engine, "name"), "continue", {"answer": ["a", "b"]})
    with pytest.raises(UnknownStep):
        engine.submit(at(engine, "meeting-date"), "dont-know", {})  # not offered there
    with pytest.raises(UnknownStep):
        engine.change(engine.start(), "work-place")  # does not apply yet


def test_text_is_cleaned() -> None:
    assert clean_text("A\u0308ino\u202e\x07 \r\nrivi ") == "Äino\nrivi"


def test_skip_dont_know_and_meeting(engine: Engine) -> None:
    state = engine.submit(at(engine, "name"), "skip", {}).state
    assert state.answers["name"]["client"].status == "skipped" and state.at == "good-at"
    state = engine.submit(at(engine, "good-at"), "dont-know", {}).state
    assert state.answers["good-at"]["client"].status == "dont-know"
    state = engine.submit(
        at(engine, "good-at"), "talk-in-meeting", {"answer": ["Some thoughts"]}
    ).state
    entry = state.answers["good-at"]["client"]
    assert (entry.status, entry.value) == ("talk-in-meeting", "Some thoughts")
    assert Views(engine).rows(state)[1].for_meeting


def test_back_moves_along_the_path(engine: Engine) -> None:
    first = engine.start()
    assert engine.back(first).at == first.at  # at the first step, stay
    state = engine.submit(first, "continue", {}).state
    assert engine.back(state).at == "welcome"
    review = engine.go_to_review(state)
    assert engine.back(review).at == "team"


def test_branches_switch_off_and_back_on(engine: Engine) -> None:
    state = engine.submit(at(engine, "works"), "continue", {"answer": ["yes"]}).state
    state = engine.submit(state, "continue", {"answer": ["The library"]}).state
    views = Views(engine)
    assert "work-place" in [r.step.key for r in views.rows(state)]
    state = engine.submit(engine.change(state, "works"), "continue", {"answer": ["no"]}).state
    assert state.at == REVIEW or state.at != "work-place"
    assert "work-place" not in [r.step.key for r in views.rows(state)]
    assert state.answers["work-place"]["client"].value == "The library"  # kept in state
    state = engine.submit(engine.change(state, "works"), "continue", {"answer": ["yes"]}).state
    assert "work-place" in [r.step.key for r in views.rows(state)]


def test_change_from_review_goes_through_newly_opened_steps(engine: Engine) -> None:
    state = engine.submit(at(engine, "works"), "continue", {"answer": ["no"]}).state
    state = engine.go_to_review(state)
    state = engine.submit(engine.change(state, "works"), "continue", {"answer": ["yes"]}).state
    assert state.at == "work-place" and state.return_to_review
    state = engine.submit(state, "continue", {"answer": ["Library"]}).state
    assert state.at == REVIEW


def test_list_add_change_remove_and_limit(engine: Engine) -> None:
    state = at(engine, "team")
    for name in ("Anna", "Mikko", "Liisa"):
        state = engine.submit(state, "continue", {"add": ["yes"]}).state
        assert state.at == "team.who"
        state = engine.submit(state, "continue", {"answer": [name]}).state
        state = engine.submit(state, "skip", {}).state
        state = engine.submit(state, "continue", {"answer": ["no"]}).state
        assert state.at == "team"
    assert [e.code for e in engine.submit(state, "continue", {"add": ["yes"]}).errors] == [
        "list-full"
    ]
    items = state.items["team"]
    state = engine.remove_item(state, "team", items[1].id)
    assert [i.answers["who"].value for i in state.items["team"]] == ["Anna", "Liisa"]
    state = engine.change(state, "team.helps-with", items[0].id)
    assert (state.at, state.item) == ("team.helps-with", items[0].id)
    state = engine.submit(state, "continue", {"answer": ["Shopping"]}).state
    assert state.at == "team.to-meeting"


def test_no_operation_changes_the_state_it_was_given(engine: Engine) -> None:
    """Each operation returns a new state: a save that fails leaves nothing half-changed."""
    steps = [
        lambda s: engine.submit(s, "continue", {"add": ["yes"]}).state,  # a new item
        lambda s: engine.submit(s, "continue", {"answer": ["Anna"]}).state,
        lambda s: engine.back(s),
        lambda s: engine.submit(s, "continue", {"answer": ["Anna K."]}).state,
        lambda s: engine.submit(s, "skip", {}).state,
        lambda s: engine.submit(s, "continue", {"answer": ["no"]}).state,  # back at the list
        lambda s: engine.set_respondent(s, Respondent("proxy", "my son")),
        lambda s: engine.submit(s, "continue", {"add": ["yes"]}).state,
        lambda s: engine.back(s),  # drops the new, empty item
        lambda s: engine.change(s, "team.who", s.items["team"][0].id),
        lambda s: engine.submit(s, "continue", {"answer": ["Anna"]}).state,
        lambda s: engine.remove_item(s, "team", s.items["team"][0].id),
        lambda s: engine.go_to_review(s),
    ]
    state = at(engine, "team")
    for number, operation in enumerate(steps):
        before = json.dumps(state.to_json())
        new = operation(state)
        assert json.dumps(state.to_json()) == before, f"operation {number} changed its input"
        assert json.dumps(new.to_json()) != before, f"operation {number} did nothing"
        state = new
    assert state.at == REVIEW and state.items["team"] == []


def test_back_from_a_new_empty_item_drops_it(engine: Engine) -> None:
    state = engine.submit(at(engine, "team"), "continue", {"add": ["yes"]}).state
    state = engine.back(state)
    assert state.at == "team" and state.items["team"] == []


def test_an_item_nothing_was_said_about_is_never_shown_or_counted(engine: Engine) -> None:
    views = Views(engine)
    state = engine.submit(at(engine, "team"), "continue", {"add": ["yes"]}).state
    state = engine.submit(state, "continue", {"answer": ["Anna"]}).state
    state = engine.go_to_review(state)
    state = engine.submit(engine.change(state, "team"), "continue", {"add": ["yes"]}).state
    # Not saved yet, and already not shown: the review, the list and conditions see only Anna.
    assert [i.id for i in views.items(state, DIALOGUE.step("team"))] == ["i1"]
    assert Facts(DIALOGUE, state, {"team"}, None).count("team") == 1
    listed = engine.change(state, "team")  # the Back link: a GET of the list page
    assert [i.id for i in listed.items["team"]] == ["i1"]
    # Every question of an item skipped: nothing said, so it goes too on return to the list.
    for action in ("skip", "skip", "skip"):
        state = engine.submit(state, action, {}).state
    assert state.at == "team" and [i.id for i in state.items["team"]] == ["i1"]


def test_a_missing_answer_reads_naturally_in_a_list() -> None:
    engine, views = Engine(WISHES), Views(Engine(WISHES))
    english = Translator("en", gettext.NullTranslations())
    state = engine.submit(at(engine, "team"), "continue", {"add": ["yes"]}).state
    state = engine.submit(state, "skip", {}).state  # no name
    assert english.plain_text(views.step(state).prompt) == "Who is this person to you?"  # type: ignore[union-attr]
    state = engine.submit(state, "continue", {"answer": ["friend"]}).state
    state = engine.change(state, "team")
    (item,) = views.items(state, WISHES.step("team"))
    assert english.plain_text(item.title) == "Person 1"


def test_two_voices_are_kept_and_the_client_leads(engine: Engine) -> None:
    state = engine.set_respondent(at(engine, "works"), Respondent("proxy", "my son"))
    state = engine.submit(state, "continue", {"answer": ["no"]}).state
    state = engine.set_respondent(
        engine.change(state, "works", returning=False), Respondent("client")
    )
    state = engine.submit(state, "continue", {"answer": ["yes"]}).state
    row = next(r for r in Views(engine).rows(state) if r.step.key == "works")
    assert [(a.entry.by.role, a.entry.value) for a in row.answers] == [
        ("client", "yes"),
        ("proxy", "no"),
    ]
    assert "work-place" in [
        r.step.key for r in Views(engine).rows(state)
    ]  # branching follows the client


def test_progress_counts_the_path_that_applies(engine: Engine) -> None:
    views = Views(engine)
    state = at(engine, "name")
    progress = views.progress(state, DIALOGUE.step("name"))
    assert (progress.number, progress.total) == (1, 9)  # work-place not counted yet
    state = engine.submit(at(engine, "works"), "continue", {"answer": ["yes"]}).state
    assert views.progress(state, DIALOGUE.step("work-place")).total == 10
    sections = {p.section.id: (p.questions, p.done) for p in views.progress(state, None).sections}
    assert sections["life"] == (7, 1)


def test_state_round_trips_through_json(engine: Engine) -> None:
    state = engine.submit(at(engine, "team"), "continue", {"add": ["yes"]}).state
    state = engine.submit(state, "continue", {"answer": ["Anna"]}).state
    again = State.from_json(json.loads(json.dumps(state.to_json())))
    assert again == state


def test_a_change_that_opens_two_steps_asks_both_then_returns() -> None:
    dialogue = load(Path(__file__).parent.parent / "dialogues" / "wishes-and-needs.yaml")
    engine = Engine(dialogue)
    state = engine.change(engine.start(), "need-areas", returning=False)
    state = engine.submit(state, "continue", {"answer": ["home"]}).state
    state = engine.go_to_review(engine.submit(state, "continue", {"answer": ["every-day"]}).state)
    state = engine.change(state, "need-areas")
    state = engine.submit(state, "continue", {"answer": ["home", "care", "moving"]}).state
    assert state.at == "need-care"
    state = engine.change(state, "need-care")  # the web re-places the person on each page
    state = engine.submit(state, "continue", {"answer": ["sometimes"]}).state
    assert state.at == "need-moving"
    state = engine.submit(
        engine.change(state, "need-moving"), "continue", {"answer": ["every-week"]}
    ).state
    assert state.at == REVIEW


def test_a_relatives_answer_opens_its_follow_up() -> None:
    """Nobody's answer is ignored: the client chose only getting around; their daughter, answering
    for them, adds housework, and "How often … housework?" is asked and kept."""
    plan = load_plan(Path(WISHES.path).with_name("wishes-and-needs.two-voices.testplan.yaml"))
    result = run(WISHES, plan)
    assert result.failures == []
    needs = result.state.answers["need-areas"]
    assert (needs["client"].value, needs["proxy"].value) == (["moving"], ["home", "moving"])
    assert result.state.answers["need-home"]["proxy"].by == Respondent("proxy", "my daughter")


REMEMBERING = load_text(
    """
title: Paths remembered
sections: [{id: all, title: All}]
steps:
  - {id: works, kind: yes-no, section: all, prompt: "Do you work?"}
  - {id: work-place, kind: short-text, when: {equals: {works: "yes"}}, prompt: "Where?"}
  - id: team
    kind: list
    prompt: People who help you
    add-prompt: Add a person?
    item-title: "{team.who}"
    steps:
      - {id: who, kind: short-text, prompt: "Who?"}
  - {id: thanks, kind: short-text, when: {count: {team: {at-least: 1}}}, prompt: "Thank them?"}
""",
    "remembering",
)


def keys(engine: Engine, state: State) -> list[str]:
    return [step.key for step in engine.path(state)]


def test_a_remembered_path_follows_every_change_of_answers() -> None:
    """One engine, the answers changed every way a path depends on: another answer to the same
    question, an item's answer written into its dict in place, who answers."""
    engine = Engine(REMEMBERING)
    state = engine.submit(engine.start(), "continue", {"answer": ["yes"]}).state
    assert "work-place" in keys(engine, state)
    changed = engine.change(state, "works", returning=False)
    state = engine.submit(changed, "continue", {"answer": ["no"]}).state
    assert "work-place" not in keys(engine, state)
    at_team = engine.change(state, "team", returning=False)
    added = engine.submit(at_team, "continue", {"add": ["yes"]}).state
    assert "thanks" not in keys(engine, added)  # an item with nothing said does not count
    named = engine.submit(added, "continue", {"answer": ["Anna"]}).state
    assert "thanks" in keys(engine, named)
    emptied = named.copy()
    emptied.items["team"][0].answers.clear()  # the same item, its answers dict changed in place
    assert "thanks" not in keys(engine, emptied)
    skipped = named.copy()  # the same question of the same item, now skipped: it counts no more
    skipped.items["team"][0].answers["who"] = Entry("skipped", Respondent())
    assert "thanks" not in keys(engine, skipped)
    assert keys(engine, named) == keys(Engine(REMEMBERING), named)


def test_a_remembered_path_keeps_the_answers_it_was_walked_for() -> None:
    """Paths are remembered by the answers' identities: the engine keeps those answers alive,
    so no later answer can be made at the same address and be taken for one of them."""
    engine = Engine(REMEMBERING)
    state = engine.submit(engine.start(), "continue", {"answer": ["yes"]}).state
    state = engine.submit(
        engine.change(state, "team", returning=False), "continue", {"add": ["yes"]}
    ).state
    state = engine.submit(state, "continue", {"answer": ["Anna"]}).state
    engine.path(state)
    answers = [weakref.ref(state.answers["works"]["client"])]
    answers.append(weakref.ref(state.items["team"][0].answers["who"]))
    del state
    gc.collect()
    assert all(answer() is not None for answer in answers)
