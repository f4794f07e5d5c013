"""Reading what a person typed, kind by kind, at the edges: the limits of numbers and dates
exactly and one past them, whole numbers, empty boxes, and each error compared whole (the field it
links to and the numbers it names, not only its code)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from assistant.dialogue.answers import (
    BadInput,
    FieldError,
    Form,
    Invalid,
    MonthOfYear,
    clean_text,
    fits_kind,
    format_decimal,
    parse,
    parse_decimal,
    parse_number,
    storable,
)
from assistant.dialogue.model import SOMETHING_ELSE, Choice, Kind, Step
from assistant.dialogue.texts import Text

HOURS = Step("hours", Kind.NUMBER, "s", "How many hours?", minimum=Decimal(1), maximum=Decimal(10))
PEOPLE = Step("people", Kind.NUMBER, "s", "How many people?", whole=True)
AMOUNT = Step(
    "amount", Kind.NUMBER, "s", "How much?", minimum=Decimal("-2.5"), maximum=Decimal("2.5")
)
ANY_NUMBER = Step("any", Kind.NUMBER, "s", "Any number?")
BORN = Step("born", Kind.DATE, "s", "When?")
MEETING = Step("meeting", Kind.DATE, "s", "When is the meeting?", not_before="today")
NAME = Step("name", Kind.SHORT_TEXT, "s", "Name?", max_length=5)
STORY = Step("story", Kind.LONG_TEXT, "s", "Tell us")
HOME = Step(
    "home",
    Kind.SINGLE_CHOICE,
    "s",
    "Where?",
    choices=(Choice("own", "Own home"), Choice("group", "Group home")),
    something_else="Somewhere else",
)
PLAIN_HOME = Step("plain", Kind.SINGLE_CHOICE, "s", "Where?", choices=HOME.choices)
NEEDS = Step(
    "needs",
    Kind.MULTIPLE_CHOICE,
    "s",
    "Which?",
    choices=(Choice("a", "A"), Choice("b", "B"), Choice("none", "None of these", exclusive=True)),
    something_else="Something else",
)


def outcome(step: Step, form: Form, today: date | None = None) -> Any:
    """The stored value, or the one error it gives."""
    try:
        value, other = parse(step, form, today)
    except Invalid as invalid:
        (error,) = invalid.errors
        return error
    return value if other is None else (value, other)


@pytest.mark.parametrize(
    ("step", "typed", "expected"),
    [
        (HOURS, "1", "1"),
        (HOURS, "0.99", FieldError("answer", "number-too-small", {"min": Decimal(1)})),
        (HOURS, "10", "10"),
        (HOURS, "10,0", "10"),
        (HOURS, "10.01", FieldError("answer", "number-too-large", {"max": Decimal(10)})),
        (HOURS, "", FieldError("answer", "empty")),
        (HOURS, "   ", FieldError("answer", "empty")),
        (HOURS, "some", FieldError("answer", "number-invalid")),
        (AMOUNT, "-2,5", "-2.5"),
        (AMOUNT, "\u22122.51", FieldError("answer", "number-too-small", {"min": Decimal("-2.5")})),
        (AMOUNT, "2.5", "2.5"),
        (AMOUNT, "2.51", FieldError("answer", "number-too-large", {"max": Decimal("2.5")})),
        (PEOPLE, "3", "3"),
        (PEOPLE, "3,0", "3"),
        (PEOPLE, "3,5", FieldError("answer", "number-whole")),
        (PEOPLE, "-1", "-1"),  # no minimum given: none is guessed
        (ANY_NUMBER, "3,5", "3.5"),
        (ANY_NUMBER, "-0", "0"),
        (ANY_NUMBER, "0,0", "0"),
        (ANY_NUMBER, "100", "100"),
        (ANY_NUMBER, "1 200,50", "1200.5"),
        (ANY_NUMBER, "x" * 29 + "7", "7"),  # the number box holds 30 characters
        (ANY_NUMBER, "x" * 30 + "7", FieldError("answer", "number-invalid")),
        (ANY_NUMBER, "1-2", FieldError("answer", "number-one")),
    ],
)
def test_numbers_at_their_limits(step: Step, typed: str, expected: object) -> None:
    assert outcome(step, {"answer": [typed]}) == expected


def day(d: str, m: str, y: str) -> Form:
    return {"day": [d], "month": [m], "year": [y]}


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        (day("", "", ""), FieldError("day", "empty")),
        (day(" ", " ", " "), FieldError("day", "empty")),
        ({}, FieldError("day", "empty")),
        (day("1", "", "2027"), FieldError("month", "date-incomplete", {"missing": ["month"]})),
        (day("", "2", ""), FieldError("day", "date-incomplete", {"missing": ["day", "year"]})),
        (day("1", "2", ""), FieldError("year", "date-incomplete", {"missing": ["year"]})),
        (day("1", "2x", "2027"), FieldError("month", "date-invalid")),
        (day("1", "2", "２０２７"), FieldError("year", "date-invalid")),  # digits, not ASCII ones
        (day("-1", "2", "2027"), FieldError("day", "date-invalid")),
        (day("1", "1", "1899"), FieldError("year", "date-year")),
        (day("1", "1", "1900"), "1900-01-01"),
        (day("31", "12", "2200"), "2200-12-31"),
        (day("1", "1", "2201"), FieldError("year", "date-year")),
        (day("1", "0", "2027"), FieldError("month", "date-month")),
        (day("1", "12", "2027"), "2027-12-01"),
        (day("1", "13", "2027"), FieldError("month", "date-month")),
        (day("0", "1", "2027"), FieldError("day", "date-day")),
        (day("31", "1", "2027"), "2027-01-31"),
        (day("32", "1", "2027"), FieldError("day", "date-day")),
        (day("30", "4", "2027"), "2027-04-30"),
        (
            day("31", "4", "2027"),
            FieldError("day", "date-day-of-month", {"month": MonthOfYear(2027, 4), "days": 30}),
        ),
        (day("07", "03", " 2027 "), "2027-03-07"),
    ],
)
def test_dates_at_their_limits(form: Form, expected: object) -> None:
    assert outcome(BORN, form) == expected


def test_a_date_that_may_not_be_past() -> None:
    today = date(2026, 12, 1)
    assert outcome(MEETING, day("1", "12", "2026"), today) == "2026-12-01"
    assert outcome(MEETING, day("30", "11", "2026"), today) == FieldError("day", "date-past")
    assert outcome(MEETING, day("30", "11", "2026")) == "2026-11-30"  # no clock: not checked
    assert outcome(BORN, day("30", "11", "2026"), today) == "2026-11-30"  # any date may be past


@pytest.mark.parametrize(
    ("step", "form", "expected"),
    [
        (NAME, {"answer": ["Anna"]}, "Anna"),
        (NAME, {"answer": "Anna"}, "Anna"),  # one value, as a JSON body sends it
        (NAME, {"answer": [" Annas \n"]}, "Annas"),
        (NAME, {"answer": ["Annika"]}, FieldError("answer", "too-long", {"max": 5, "count": 6})),
        (NAME, {"answer": [" \u202e "]}, FieldError("answer", "empty")),
        (NAME, {}, FieldError("answer", "empty")),
        (STORY, {"answer": ["x" * 200]}, "x" * 200),
        (
            STORY,
            {"answer": ["x" * 201]},
            FieldError("answer", "too-long", {"max": 200, "count": 201}),
        ),
        (HOME, {"answer": ["own"]}, "own"),
        (HOME, {}, FieldError("answer", "choose")),
        (HOME, {"answer": [""], "other": [" "]}, FieldError("answer", "choose")),
        (HOME, {"other": ["My van"]}, (SOMETHING_ELSE, "My van")),
        (HOME, {"answer": [SOMETHING_ELSE], "other": ["My van"]}, (SOMETHING_ELSE, "My van")),
        (HOME, {"answer": [SOMETHING_ELSE]}, SOMETHING_ELSE),
        (
            HOME,
            {"answer": ["own"], "other": ["My van"]},
            FieldError(
                "other", "other-and-choice", {"other": Text("Somewhere else", HOME.context)}
            ),
        ),
        (HOME, {"other": ["x" * 500]}, (SOMETHING_ELSE, "x" * 500)),
        (HOME, {"other": ["x" * 501]}, FieldError("other", "too-long", {"max": 500, "count": 501})),
        (PLAIN_HOME, {"answer": ["own"], "other": ["My van"]}, "own"),  # no box to type in
        (NEEDS, {}, FieldError("answer", "choose-any")),
        (NEEDS, {"answer": "b"}, ["b"]),
        (NEEDS, {"answer": "none"}, ["none"]),  # one value, as a JSON body sends it
        (NEEDS, {"answer": ["b", "a", "b"]}, ["a", "b"]),
        (NEEDS, {"answer": ["none"]}, ["none"]),
        (NEEDS, {"other": ["Dogs"]}, ([SOMETHING_ELSE], "Dogs")),
        (
            NEEDS,
            {"answer": ["a", SOMETHING_ELSE], "other": ["Dogs"]},
            (["a", SOMETHING_ELSE], "Dogs"),
        ),
        (
            NEEDS,
            {"answer": ["a", "none"]},
            FieldError("answer", "exclusive", {"choice": Text("None of these", NEEDS.context)}),
        ),
        (
            NEEDS,
            {"answer": ["none"], "other": ["Dogs"]},
            FieldError("answer", "exclusive", {"choice": Text("None of these", NEEDS.context)}),
        ),
    ],
)
def test_texts_and_choices(step: Step, form: Form, expected: object) -> None:
    assert outcome(step, form) == expected


@pytest.mark.parametrize(
    ("step", "form", "why"),  # why: what a test plan's failure says
    [
        (HOME, {"answer": ["castle"]}, "unknown choice"),
        (PLAIN_HOME, {"answer": [SOMETHING_ELSE]}, "unknown choice"),
        (NEEDS, {"answer": ["a", "castle"]}, "unknown choice"),
        (NAME, {"answer": ["a", "b"]}, "answer sent more than once"),
        (HOME, {"answer": ["own"], "other": ["a", "b"]}, "other sent more than once"),
        (Step("welcome", Kind.INFORMATION, "s", "Hello"), {}, "a information step takes no answer"),
        (Step("team", Kind.LIST, "s", "People"), {"add": ["yes"]}, "a list step takes no answer"),
    ],
)
def test_what_no_form_of_ours_sends_is_bad_input(step: Step, form: Form, why: str) -> None:
    with pytest.raises(BadInput) as raised:
        parse(step, form)
    assert str(raised.value) == why


def test_an_invalid_answer_lists_its_codes() -> None:
    invalid = Invalid([FieldError("answer", "empty"), FieldError("other", "too-long")])
    assert str(invalid) == "empty, too-long"
    assert FieldError("answer", "empty").params == {}


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("12", Decimal(12)),
        ("12.", Decimal(12)),
        ("1\u00a0200", Decimal(1200)),
        ("1\u202f200,5", Decimal("1200.5")),
        ("n. 12,5 h/vko", Decimal("12.5")),
        ("1.200,50", None),
        ("no number", None),
        ("−3", Decimal(-3)),
    ],
)
def test_parse_number(typed: str, number: Decimal | None) -> None:
    assert parse_number(typed) == number


@pytest.mark.parametrize("typed", ["10 - 15", "10–15", "1 or 2", "12,5 ja 3"])
def test_several_numbers_are_one_error(typed: str) -> None:
    with pytest.raises(Invalid) as raised:
        parse_number(typed)
    assert raised.value.errors == [FieldError("answer", "number-one")]


def test_decimals_read_and_written() -> None:
    assert [format_decimal(Decimal(v)) for v in ("1E+2", "0.50", "-0.0", "12.500")] == [
        "100",
        "0.5",
        "0",
        "12.5",
    ]
    assert (parse_decimal("2.5"), parse_decimal("lots"), parse_decimal("")) == (
        Decimal("2.5"),
        Decimal(0),
        Decimal(0),
    )


def test_text_that_could_not_be_stored_or_shown_goes() -> None:
    assert storable("a\ud800b\ufdd0c\U0001fffe\U0010ffffd") == "abcd"
    assert clean_text("a\u202eb\u2066c\u200fd\x00e\x1f\x7f\x9ff") == "abcdef"
    assert clean_text("one\r\ntwo\rthree  \n four") == "one\ntwo\nthree\n four"


@pytest.mark.parametrize(
    ("kind", "value", "fits"),
    [
        (Kind.NUMBER, "12.5", True),
        (Kind.NUMBER, "-3", True),
        (Kind.NUMBER, "lots", False),
        (Kind.NUMBER, "NaN", False),
        (Kind.NUMBER, "Infinity", False),
        (Kind.DATE, "2027-02-03", True),
        (Kind.DATE, "3.2.2027", False),
        (Kind.DATE, "2027-02-30", False),
        (Kind.SHORT_TEXT, "anything at all", True),
    ],
)
def test_what_could_be_a_stored_answer_of_each_kind(kind: Kind, value: str, fits: bool) -> None:
    """A condition's value, or an answer kept from before the question changed kind."""
    assert fits_kind(kind, value) is fits
