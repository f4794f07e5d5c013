"""Turn what a person submitted into a stored answer, by the step's kind.

Errors are codes with parameters, not English: the page words them in the person's language.
Input that no page of ours could send (an unknown choice, two values for one) is BadInput,
which the web layer answers with a 400.
"""

from __future__ import annotations

import calendar
import dataclasses
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from assistant.dialogue.model import SOMETHING_ELSE, Kind, Step
from assistant.dialogue.texts import Text

Form = Mapping[str, Sequence[str]]
OTHER_MAX_LENGTH = 500
NUMBER_MAX_LENGTH = 30  # the number box's maxlength
# Bidirectional overrides and isolates can make text display differently from what it is.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
# Lone surrogates (which cannot be stored as UTF-8) and noncharacters, in every plane: nothing
# that comes in keeps them (the web's form and JSON readers, the terminal, the engine).
_UNSTORABLE = re.compile(
    "[\ud800-\udfff\ufdd0-\ufdef"
    + "".join(chr(plane | 0xFFFE) + chr(plane | 0xFFFF) for plane in range(0, 0x110000, 0x10000))
    + "]"
)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class FieldError:
    field: str  # the form field to link to: answer, other, day, month, year, add
    code: str  # empty, choose, too-long, other-and-choice, date-incomplete, date-invalid, ...
    # Numbers, or Texts (dialogue words) the renderer translates: never English words.
    params: dict[str, Any] = dataclasses.field(default_factory=dict)


class BadInput(ValueError):
    """Something no form of ours sends: answered with 400, never stored."""


class Invalid(ValueError):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(", ".join(e.code for e in errors))
        self.errors = errors


def storable(text: str) -> str:
    """Text without lone surrogates and noncharacters, so it can always be stored and shown."""
    return _UNSTORABLE.sub("", text)


def clean_text(raw: str) -> str:
    """NFC, Unix line ends, no control characters or bidirectional overrides, trimmed."""
    text = unicodedata.normalize("NFC", raw).replace("\r\n", "\n").replace("\r", "\n")
    text = _BIDI.sub("", _CONTROL.sub("", storable(text)))
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def _one(form: Form, name: str) -> str:
    values = form.get(name, ())
    if isinstance(values, str):
        values = [values]
    if len(values) > 1:
        raise BadInput(f"{name} sent more than once")
    return values[0] if values else ""


def parse(step: Step, form: Form, today: date | None = None) -> tuple[Any, str | None]:
    """(value, something-else text) for a question step; raises Invalid or BadInput.
    `today` is for dates that may not be in the past (`not-before: today`)."""
    if step.kind.is_text:
        return _text(step, form), None
    if step.kind is Kind.MULTIPLE_CHOICE:
        return _many(step, form)
    if step.kind.has_choices:
        return _single(step, form)
    if step.kind is Kind.DATE:
        return _date(step, form, today), None
    if step.kind is Kind.NUMBER:
        return _number(step, form), None
    raise BadInput(f"a {step.kind.value} step takes no answer")


def _text(step: Step, form: Form) -> str:
    text = clean_text(_one(form, "answer"))
    if not text:
        raise Invalid([FieldError("answer", "empty")])
    if len(text) > step.max_length:
        raise Invalid(
            [FieldError("answer", "too-long", {"max": step.max_length, "count": len(text)})]
        )
    return text


def _other(step: Step, form: Form) -> str:
    """The "something else" text ("" if none). Typed text means the person chose something
    else, whether or not they ticked it: with JavaScript off the box is always shown."""
    if not step.something_else:
        return ""
    other = clean_text(_one(form, "other"))
    if len(other) > OTHER_MAX_LENGTH:
        raise Invalid(
            [FieldError("other", "too-long", {"max": OTHER_MAX_LENGTH, "count": len(other)})]
        )
    return other


def _single(step: Step, form: Form) -> tuple[str, str | None]:
    value, other = _one(form, "answer"), _other(step, form)
    if other and value and value != SOMETHING_ELSE:
        # Two answers to a one-answer question: only the person can say which one they meant.
        something_else = Text(step.something_else or "", step.context)
        raise Invalid([FieldError("other", "other-and-choice", {"other": something_else})])
    value = SOMETHING_ELSE if other else value
    if not value:
        raise Invalid([FieldError("answer", "choose")])
    if value not in step.values():
        raise BadInput("unknown choice")
    # "Something else" with no text is still an answer: nothing is forced.
    return value, other or None


def _many(step: Step, form: Form) -> tuple[list[str], str | None]:
    raw = form.get("answer", ())
    values = [raw] if isinstance(raw, str) else list(raw)
    other = _other(step, form)
    if other and SOMETHING_ELSE not in values:
        values.append(SOMETHING_ELSE)
    if not values:
        raise Invalid([FieldError("answer", "choose-any")])
    if any(v not in step.values() for v in values):
        raise BadInput("unknown choice")
    chosen = [v for v in step.values() if v in values]  # dialogue order, no repeats
    alone = next((c for c in step.choices if c.exclusive and c.value in chosen), None)
    if alone is not None and len(chosen) > 1:
        # Nothing on the page unticks the others (no JavaScript needed): the person decides.
        raise Invalid(
            [FieldError("answer", "exclusive", {"choice": Text(alone.label, step.context)})]
        )
    return chosen, other or None


@dataclass(frozen=True)
class MonthOfYear:
    """A month and year in an error ("February 2027 has 28 days"), named in the person's language."""

    year: int
    month: int


def _date(step: Step, form: Form, today: date | None) -> str:
    parts = {name: _one(form, name).strip() for name in ("day", "month", "year")}
    missing = [name for name, value in parts.items() if not value]
    if len(missing) == 3:
        raise Invalid([FieldError("day", "empty")])
    if missing:
        raise Invalid([FieldError(missing[0], "date-incomplete", {"missing": missing})])
    if not all(value.isdigit() and value.isascii() for value in parts.values()):
        wrong = next(n for n, v in parts.items() if not (v.isdigit() and v.isascii()))
        raise Invalid([FieldError(wrong, "date-invalid")])
    year, month, day = int(parts["year"]), int(parts["month"]), int(parts["day"])
    # Say which part is wrong, so the person knows what to change.
    if not 1900 <= year <= 2200:
        raise Invalid([FieldError("year", "date-year")])
    if not 1 <= month <= 12:
        raise Invalid([FieldError("month", "date-month")])
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= 31:
        raise Invalid([FieldError("day", "date-day")])
    if day > days:
        month_of_year = MonthOfYear(year, month)
        raise Invalid(
            [FieldError("day", "date-day-of-month", {"month": month_of_year, "days": days})]
        )
    value = date(year, month, day)
    if step.not_before == "today" and today is not None and value < today:
        raise Invalid([FieldError("day", "date-past")])
    return value.isoformat()


# One number among words or a unit ("noin 40", "40 h", "about 40", "1 200,50 €"): a digit, then
# digits, points and commas, or a space before a group of exactly three digits (1 200).
_NUMBER = re.compile(r"(?<![\d.,])[-\u2212]?\d(?:[\d.,]|[ \u00a0\u202f](?=\d{3}(?!\d)))*")
_RANGE = re.compile(r"\d\s*[-\u2010-\u2015\u2212]\s*\d")  # 10-15, 10 – 15


def parse_number(raw: str) -> Decimal | None:
    """The one number in `raw`: 12, 12.5, 12,5, 1 200 and 1 200,50 (spaces, no-break spaces),
    with words or a unit around it. None if there is none or it is malformed (1.200,50);
    raises Invalid("number-one") for a range or several numbers."""
    text = unicodedata.normalize("NFKC", raw)
    found = _NUMBER.findall(text)
    if _RANGE.search(text) or len(found) > 1:
        raise Invalid([FieldError("answer", "number-one")])
    if not found:
        return None
    number = re.sub(r"[\s\u00a0\u202f]", "", found[0]).rstrip(".,")  # "40." ends a sentence
    number = number.replace(",", ".").replace("\u2212", "-")
    if not re.fullmatch(r"-?\d+(\.\d+)?", number):
        return None
    return Decimal(number)


def _number(step: Step, form: Form) -> str:
    raw = _one(form, "answer").strip()
    if not raw:
        raise Invalid([FieldError("answer", "empty")])
    number = parse_number(raw) if len(raw) <= NUMBER_MAX_LENGTH else None
    if number is None:
        raise Invalid([FieldError("answer", "number-invalid")])
    if step.whole and number != number.to_integral_value():
        raise Invalid([FieldError("answer", "number-whole")])
    if step.minimum is not None and number < step.minimum:
        raise Invalid([FieldError("answer", "number-too-small", {"min": step.minimum})])
    if step.maximum is not None and number > step.maximum:
        raise Invalid([FieldError("answer", "number-too-large", {"max": step.maximum})])
    return format_decimal(number)


def format_decimal(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "") else text


def parse_decimal(value: str) -> Decimal:
    try:
        return Decimal(value)
    except InvalidOperation:
        return Decimal(0)


def fits_kind(kind: Kind, value: str) -> bool:
    """Whether a text could be a stored answer of a number or date question (a condition's
    value, or an answer kept from before an edit); any text for the other kinds."""
    if kind is Kind.NUMBER:
        try:
            return Decimal(value).is_finite()
        except InvalidOperation:
            return False
    if kind is Kind.DATE:
        try:
            date.fromisoformat(value)
        except ValueError:
            return False
    return True
