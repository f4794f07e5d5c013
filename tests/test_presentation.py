"""What the one presentation of a step says, field by field, on the test dialogue with every kind
of step: the boxes filled in again (typed or saved), the buttons offered, who is answering, whose
the other answer is, a list's people, the error's words and where Back leads.

(tests/test_one_presentation.py checks that every front end says the same; this checks what.)"""

from __future__ import annotations

import gettext

import pytest
from markupsafe import Markup

from assistant.dialogue.answers import FieldError
from assistant.dialogue.engine import Engine
from assistant.dialogue.loader import load
from assistant.dialogue.model import SOMETHING_ELSE
from assistant.dialogue.state import REVIEW, Respondent, State
from assistant.dialogue.texts import Text
from assistant.dialogue.views import Views
from assistant.i18n import Catalogs, Translator
from assistant.i18n.figures import figure_lines
from assistant.presentation import (
    OtherAnswer,
    Place,
    Presentation,
    Problem,
    Words,
    _body,
    answering_line,
    back_place,
    by_line,
    present,
)
from assistant.settings import PROJECT_ROOT
from tests.test_calculations import DIALOGUE as SKETCH
from tests.test_calculations import _sketch
from tests.test_engine import DIALOGUE
from tests.test_engine_changes import GATED_QUESTION

ENGINE = Engine(DIALOGUE)
VIEWS = Views(ENGINE)
ENGLISH = Translator("en", gettext.NullTranslations())
FINNISH = Catalogs(PROJECT_ROOT / "locales").translator("fi")
SON = Respondent("proxy", "my son")


def at(key: str, state: State | None = None) -> State:
    return ENGINE.change(state or ENGINE.start(), key, returning=False)


def answered(key: str, form: dict[str, list[str]], state: State | None = None) -> State:
    outcome = ENGINE.submit(at(key, state), "continue", form)
    assert outcome.ok, outcome.errors
    return ENGINE.change(outcome.state, key, returning=False)


def shown(state: State, t: Translator = ENGLISH, **kwargs: object) -> Presentation:
    view = VIEWS.step(state)
    assert view is not None
    return present(view, t, **kwargs)  # type: ignore[arg-type]


def test_a_saved_answer_fills_the_boxes_again() -> None:
    number = shown(answered("help-hours", {"answer": ["12,5"]}), FINNISH)
    assert (number.values["answer"], number.values["answers"]) == ("12,5", ["12.5"])
    assert number.answer is not None and number.answer.startswith("12,5")
    day = shown(answered("meeting-date", {"day": ["7"], "month": ["3"], "year": ["2027"]}))
    assert {k: day.values[k] for k in ("day", "month", "year", "answer")} == {
        "day": "7",
        "month": "3",
        "year": "2027",
        "answer": "2027-03-07",
    }
    moving = shown(answered("moving", {"answer": ["walk"], "other": ["Bicycle"]}))
    assert (moving.values["answers"], moving.values["other"]) == (
        ["walk", SOMETHING_ELSE],
        "Bicycle",
    )
    assert [c.checked for c in moving.choices] == [True, False, False, True]
    home = shown(answered("home", {"answer": ["family"]}))
    assert [c.value for c in home.choices if c.checked] == ["family"]
    assert home.values["other"] == "" and home.entry is not None


def test_nothing_saved_leaves_the_boxes_empty() -> None:
    fresh = shown(at("meeting-date"))
    assert fresh.values == {
        "answer": "",
        "answers": [],
        "other": "",
        "day": "",
        "month": "",
        "year": "",
    }
    assert (fresh.entry, fresh.answer) == (None, None)
    skipped = ENGINE.submit(at("name"), "skip", {}).state
    name = shown(at("name", skipped))
    assert name.values["answer"] == "" and name.answer == "Not answered"


def test_what_was_just_typed_is_shown_with_its_error() -> None:
    form = {"answer": ["x" * 41], "day": ["5"]}
    errors = [FieldError("answer", "too-long", {"max": 40, "count": 41})]
    page = shown(at("name"), errors=errors, form=form)
    assert page.values == {
        "answer": "x" * 41,
        "answers": ["x" * 41],
        "other": "",
        "day": "5",
        "month": "",
        "year": "",
    }
    assert page.problems == (
        Problem(
            "answer",
            "too-long",
            "Your answer to “What would you like us to call you?” has 41 characters. "
            "Shorten it to 40 or fewer.",
        ),
    )
    assert page.max_length == 40


def test_a_lists_error_names_its_yes_no_question() -> None:
    page = shown(at("team"), errors=[FieldError("add", "choose", {"max": 3})], form={})
    assert page.problems == (
        Problem(
            "add",
            "choose",
            "Choose an answer to “Do you want to add a person who helps you?”, "
            "or choose “Skip this question”.",
        ),
    )
    assert page.max_length is None and page.add_prompt is not None


def test_the_buttons_each_step_offers() -> None:
    assert shown(at("name")).offers == ("skip", "dont-know", "talk-in-meeting")
    assert shown(at("meeting-date")).offers == ("skip",)
    assert shown(ENGINE.start()).offers == ()  # an information step: only Continue


def test_who_is_answering_and_whose_the_other_answer_is() -> None:
    state = ENGINE.set_respondent(answered("name", {"answer": ["Aino"]}), SON)
    page = shown(state)
    assert page.answering == (
        "Answering for the client: my son. Write what the client has told or shown you. At the end you can say what you think yourself."
    )
    assert page.entry is None  # the son has not answered: the client's answer is not his
    assert page.other_answers == (OtherAnswer("Aino", "The client's own answer"),)
    client = shown(ENGINE.set_respondent(state, Respondent()))
    assert client.answering is None and client.values["answer"] == "Aino"


@pytest.mark.parametrize(
    ("by", "reader", "words"),
    [
        (Respondent(), None, "Your own answer"),
        (Respondent("helped", "my sister"), None, "Your own answer, with help from my sister"),
        (Respondent("helped"), Respondent(), "Your own answer, with help from someone"),
        (SON, Respondent("helped", "Liisa"), "Answered for you by my son"),
        (Respondent("proxy"), None, "Answered for you by someone"),
        (Respondent(), SON, "The client's own answer"),
        (SON, SON, "Answered for the client by my son"),
    ],
)
def test_by_line(by: Respondent, reader: Respondent | None, words: str) -> None:
    assert by_line(by, ENGLISH, reader) == words


@pytest.mark.parametrize(
    ("respondent", "words"),
    [
        (Respondent(), None),
        (Respondent("helped", "my sister"), "Answering: the client, with help from my sister."),
        (Respondent("helped"), "Answering: the client, with help from someone."),
        (
            Respondent("proxy"),
            "Answering for the client: someone. Write what the client has told or shown you. At the end you can say what you think yourself.",
        ),
    ],
)
def test_answering_line(respondent: Respondent, words: str | None) -> None:
    assert answering_line(respondent, ENGLISH) == words


def test_a_lists_people_and_how_many() -> None:
    state = at("team")
    summary = shown(state).items_summary
    assert summary is not None and summary.plain == "You have not added anyone yet."
    assert shown(state).items == ()
    for name in ("Anna", "Ben"):
        state = ENGINE.submit(state, "continue", {"add": ["yes"]}).state
        state = ENGINE.submit(state, "continue", {"answer": [name]}).state
        state = ENGINE.change(state, "team", returning=False)
        if name == "Anna":
            one = shown(state)
            assert one.items_summary is not None
            assert one.items_summary.plain == "You have added 1 person."
    page = shown(state)
    assert [(i.id, i.title.plain, str(i.title.html), i.change_key) for i in page.items] == [
        ("i1", "Anna", "Anna", "team.who"),
        ("i2", "Ben", "Ben", "team.who"),
    ]
    assert page.items_summary is not None and page.can_add
    assert page.items_summary.plain == "You have added 2 people."


def test_each_person_in_a_list_is_read_by_itself() -> None:
    """A Listen button reads an item alone: its title, then each question answered for it and
    the answer, each sentence ended once (an answer's own "!" or ":" is kept); a question
    skipped for it is not read."""
    state = at("team")
    for form in (
        {"add": ["yes"]},
        {"answer": ["Anna!"]},
        {"answer": ["Lists, like:"]},
        {"answer": ["yes"]},
        {"add": ["yes"]},
        {"answer": ["Ben"]},
    ):
        state = ENGINE.submit(state, "continue", form).state
    state = ENGINE.submit(state, "skip", {}).state
    state = ENGINE.submit(state, "skip", {}).state
    state = ENGINE.submit(state, "continue", {"add": ["yes"]}).state
    state = ENGINE.submit(state, "continue", {"answer": ["Dr. Eve."]}).state
    anna, ben, eve = shown(ENGINE.change(state, "team", returning=False)).items
    assert anna.spoken == (
        "Anna! What is the name or role of a person who helps you? Anna! "
        "What does Anna! help you with? Lists, like: "
        "Should Anna! come to the meeting? Yes."
    )
    assert ben.spoken == "Ben. What is the name or role of a person who helps you? Ben."
    assert eve.spoken == "Dr. Eve. What is the name or role of a person who helps you? Dr. Eve."


def test_the_caption_and_the_steps_place() -> None:
    page = shown(at("name"))
    assert (page.key, page.item_id, page.number, page.total) == ("name", None, 1, 9)
    assert page.caption == "About me, question 1 of about 9" and page.section == "About me"
    assert page.hint is None and page.body is None and page.unit is None
    hours = shown(at("help-hours"))
    assert hours.unit is not None and hours.unit.plain == "hours a week"
    good = shown(at("good-at"))
    assert good.hint is not None and good.hint.plain == "For example cooking or listening."
    assert good.help is not None and good.help.plain == "Think about home, friends and work."
    welcome = shown(ENGINE.start())
    assert welcome.body is not None and welcome.number is None
    assert welcome.caption == "About me"


def test_back_leads_to_the_step_before_or_nowhere() -> None:
    assert back_place(ENGINE, ENGINE.start()) is None
    assert back_place(ENGINE, at("good-at")) == Place("name", None, False)
    review = ENGINE.go_to_review(ENGINE.start())
    assert back_place(ENGINE, ENGINE.change(review, "name")) == Place(REVIEW, None, False)
    inside = ENGINE.submit(at("team"), "continue", {"add": ["yes"]}).state
    inside = ENGINE.submit(inside, "continue", {"answer": ["Anna"]}).state
    assert back_place(ENGINE, inside) == Place("team.who", "i1", False)
    page = shown(ENGINE.change(review, "name"), back=Place(REVIEW, None, False))
    assert page.returning and page.back == Place(REVIEW, None, False)


def test_the_section_is_named_in_the_persons_language() -> None:
    shipped = Engine(load(PROJECT_ROOT / "dialogues" / "wishes-and-needs.yaml"))
    view = Views(shipped).step(shipped.start())
    assert view is not None and view.progress.section.id == "about-me"
    assert present(view, FINNISH).section == "Minusta"


def test_the_choices_with_their_hints_something_else_last() -> None:
    page = shown(at("moving"))
    assert [
        (c.value, c.label.plain, c.hint.plain if c.hint else None, c.exclusive, c.something_else)
        for c in page.choices
    ] == [
        ("walk", "I walk", None, False, False),
        ("wheelchair", "I use a wheelchair", None, False, False),
        ("taxi", "By taxi", "For example a disability transport taxi", False, False),
        (SOMETHING_ELSE, "Something else", None, False, True),
    ]


def test_words_typed_under_something_else_come_back_with_the_error() -> None:
    form = {"answer": ["walk"], "other": ["x" * 501]}
    error = FieldError("other", "too-long", {"max": 500, "count": 501})
    page = shown(at("moving"), errors=[error], form=form)
    assert (page.values["answers"], page.values["other"]) == (["walk"], "x" * 501)
    empty = shown(at("moving"), errors=[FieldError("answer", "choose-any")], form={})
    assert (empty.values["answer"], empty.values["answers"], empty.values["other"]) == ("", [], "")


def test_the_other_voices_choice_in_words() -> None:
    state = ENGINE.set_respondent(answered("works", {"answer": ["yes"]}), SON)
    assert shown(state).other_answers == (OtherAnswer("Yes", "The client's own answer"),)


def test_a_person_whose_questions_all_closed_has_nowhere_to_change() -> None:
    engine = Engine(GATED_QUESTION)
    state = engine.start()
    for form in ({"answer": ["yes"]}, {"add": ["yes"]}, {"answer": ["Anna"]}):
        state = engine.submit(state, "continue", form).state
    state = engine.submit(engine.change(state, "gate"), "continue", {"answer": ["no"]}).state
    view = Views(engine).step(engine.change(state, "team", returning=False))
    assert view is not None
    (anna,) = present(view, ENGLISH).items
    assert (anna.id, anna.title.plain, anna.change_key) == ("i1", "A person", None)


def test_calculated_values_follow_an_information_steps_text_one_paragraph_each() -> None:
    text = Words(Markup("Your <em>totals</em>"), "Your totals", "en")
    assert _body(text, ["2 < 3 hours", "Missing: x"]) == Words(
        Markup("Your <em>totals</em>\n\n2 &lt; 3 hours\n\nMissing: x"),
        "Your totals\n\n2 < 3 hours\n\nMissing: x",
        "en",  # the text's language, where it had no translation
    )
    assert _body(None, ["1 hour"]) == Words(Markup("1 hour"), "1 hour", None)
    assert _body(text, []) is text


def test_the_totals_page_shows_each_figure_after_its_text() -> None:
    engine = Engine(SKETCH)
    state = _sketch([{"arrangement": "transport", "period": "week", "times-a-week": "2"}])
    totals = next(step for step in SKETCH.steps if step.show)
    view = Views(engine).step(engine.change(state, totals.key, returning=False))
    assert view is not None
    page = present(view, ENGLISH)
    lines = figure_lines(view.figures, ENGLISH)
    assert len(lines) > 1
    assert page.body is not None and page.body.plain.split("\n\n")[-len(lines) :] == lines


def test_a_text_with_no_translation_is_marked_as_english() -> None:
    untranslated = Translator("fi", gettext.NullTranslations())
    assert Words.of(Text("Hello <you>"), untranslated) == Words(
        Markup('<span lang="en">Hello &lt;you&gt;</span>'), "Hello <you>", "en"
    )


def test_who_answers_and_what_only_a_list_has() -> None:
    asked = shown(at("name"))
    assert (asked.proxy, asked.items_summary, asked.items) == (False, None, ())
    assert shown(ENGINE.set_respondent(at("name"), SON)).proxy is True


def test_a_radio_question_shown_again_ticks_one_choice_whatever_was_sent() -> None:
    """Two values sent to a one-choice question (a tampered or doubled form): one is ticked."""
    page = shown(
        at("works"), form={"answer": ["no", "yes"]}, errors=[FieldError("answer", "choose")]
    )
    assert [(c.value, c.checked) for c in page.choices] == [
        ("yes", False),
        ("no", True),
        ("not-sure", False),
    ]


def test_an_error_about_a_question_without_translation_is_marked_english() -> None:
    """The message quotes the question; where the question has no translation, the message is
    wholly English and says so, as the question does."""
    untranslated = Translator("fi", gettext.NullTranslations())
    page = shown(at("name"), untranslated, errors=[FieldError("answer", "too-long", {"max": 40})])
    (problem,) = page.problems
    assert (problem.field, problem.code, problem.lang) == ("answer", "too-long", "en")
    translated = shown(at("name"), ENGLISH, errors=[FieldError("answer", "too-long", {"max": 40})])
    assert translated.problems[0].lang is None


class _TrailingSpace(gettext.NullTranslations):
    """A catalog whose translations of questions end with a space (a translator's slip)."""

    def pgettext(self, context: str, message: str) -> str:
        return message + " " if message.endswith("?") else message


def test_a_question_whose_translation_ends_with_a_space_is_still_ended_once() -> None:
    state = at("team")
    for form in ({"add": ["yes"]}, {"answer": ["Anna"]}):
        state = ENGINE.submit(state, "continue", form).state
    view = VIEWS.step(ENGINE.change(state, "team", returning=False))
    assert view is not None
    (anna,) = present(view, Translator("en", _TrailingSpace())).items
    assert anna.spoken == "Anna. What is the name or role of a person who helps you?  Anna."
