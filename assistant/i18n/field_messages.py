"""Words for a field's error, in the person's language, repeating the question's own words.
Shared by the pages, the JSON API and `assistant talk`."""

from __future__ import annotations

from decimal import Decimal

from assistant.dialogue.answers import FieldError, MonthOfYear
from assistant.dialogue.texts import N_, Text
from assistant.i18n import Translator

FIELD_MESSAGES: dict[str, str] = {
    "empty": N_("Write your answer to “%(question)s”, or choose “Skip this question”."),
    "choose": N_("Choose an answer to “%(question)s”, or choose “Skip this question”."),
    "choose-any": N_(
        "Choose at least one answer to “%(question)s”, or choose “Skip this question”."
    ),
    "too-long": N_(
        "Your answer to “%(question)s” has %(count)s characters. Shorten it to %(max)s or fewer."
    ),
    "other-and-choice": N_(
        "“%(question)s” takes one answer. Choose “%(other)s”, or clear the text under “If something else, what?”."
    ),
    "exclusive": N_("For “%(question)s”, choose “%(choice)s” or the other answers, not both."),
    "date-incomplete": N_("The date for “%(question)s” needs a day, a month and a year."),
    "date-invalid": N_("Write the date for “%(question)s” in numbers, for example 27.3.2027."),
    "date-day": N_("The day for “%(question)s” must be a number from 1 to 31."),
    "date-month": N_("The month for “%(question)s” must be a number from 1 to 12."),
    "date-day-of-month": N_("Check the day for “%(question)s”: %(month)s has %(days)s days."),
    "date-past": N_(
        "The date for “%(question)s” is in the past. Write today or a later date, or choose “Skip this question”."
    ),
    "date-year": N_("The year for “%(question)s” must have 4 numbers, for example 2027."),
    "number-invalid": N_("Write a number for “%(question)s”, for example 12 or 12,5."),
    "number-one": N_("Write one number for “%(question)s”, for example 12."),
    "number-whole": N_("Write a whole number for “%(question)s”, for example 12."),
    "number-too-small": N_("The number for “%(question)s” must be %(min)s or more."),
    "number-too-large": N_("The number for “%(question)s” must be %(max)s or less."),
    "conversation-full": N_(
        "Your answers together are too long to save. Shorten your answer to “%(question)s” or an earlier answer."
    ),
    "list-full": N_("You can add up to %(max)s. Remove one before you add another."),
}


class _Params(dict[str, str]):
    """A message's values; one it does not get reads as nothing, never as an error."""

    def __missing__(self, key: str) -> str:
        return ""


def field_message(translator: Translator, error: FieldError, question: str) -> str:
    template = translator.gettext(FIELD_MESSAGES.get(error.code, FIELD_MESSAGES["empty"]))
    values = _Params(question=question)
    for name, value in error.params.items():
        values[name] = _param(translator, value)
    return template % values


def _param(translator: Translator, value: object) -> str:
    """A parameter in the person's language: dialogue words translated, numbers formatted."""
    if isinstance(value, Text):
        return translator.plain_text(value)
    if isinstance(value, MonthOfYear):
        return translator.format_month(value.year, value.month)
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return translator.format_number(value)
    return str(value)
