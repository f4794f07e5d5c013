"""Everything a person is told about one step, in their language: the one presentation that the
page, the JSON API and conversation mode, `assistant talk` and speech each only serialise.

Pure: it reads the engine's StepView and a Translator, and never a request, the store or
speech. Adding something a step says (a new offer, a new list word) is done here once, so the
front ends cannot drift apart (they once did: an error on an "add another" list named the
list's question on the page and the list's title in conversation mode).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from markupsafe import Markup, escape

from assistant.dialogue.answers import FieldError
from assistant.dialogue.engine import Engine
from assistant.dialogue.model import SOMETHING_ELSE, Kind
from assistant.dialogue.state import Entry, Respondent, State
from assistant.dialogue.texts import Text
from assistant.dialogue.views import ItemView, StepView, list_words
from assistant.draft.model import provenance
from assistant.i18n import Translator
from assistant.i18n.answers import answer_text, where
from assistant.i18n.field_messages import field_message
from assistant.i18n.figures import figure_lines

Form = Mapping[str, Sequence[str]]
# The buttons besides "Continue" a question may offer, in the order every front end gives them.
OFFERS = ("skip", "dont-know", "talk-in-meeting")


@dataclass(frozen=True)
class Words:
    """A dialogue text in the person's language: as HTML (earlier answers escaped) for pages,
    and plain for the API, the terminal and speech. The same words either way. A text with no
    translation is shown as written, in English, and says so: `lang` is then "en" and the HTML
    is marked with it, so a screen reader and a braille display read it as English."""

    html: Markup
    plain: str
    lang: str | None = None  # set only when it differs from the person's language

    @classmethod
    def of(cls, text: Text | None, t: Translator) -> Words | None:
        if text is None:
            return None
        if t.knows(text):
            return cls(t.text(text), t.plain_text(text))
        source = t.in_source_language()
        html = Markup('<span lang="{}">{}</span>').format(source.language, source.text(text))
        return cls(html, source.plain_text(text), source.language)


@dataclass(frozen=True)
class Choice:
    value: str
    label: Words
    hint: Words | None
    exclusive: bool  # chosen only alone ("None of these now")
    checked: bool
    something_else: bool  # the "Something else" choice, with its own text box


@dataclass(frozen=True)
class Problem:
    field: str  # the input it is about: answer, other, day, month, year, add
    code: str
    message: str
    lang: str | None = None  # as Words.lang: the message is about a text not translated


@dataclass(frozen=True)
class ListItem:
    id: str
    title: Words
    change_key: str | None  # the item's first question, where "Change" leads
    spoken: str  # the item in words of its own, to listen to: "Anna. Name: Anna. …"


@dataclass(frozen=True)
class OtherAnswer:
    """The other voice's answer to the same question, and whose it is, in words."""

    answer: str
    by: str


@dataclass(frozen=True)
class Place:
    """A step to go to: the back link's target."""

    key: str
    item: str | None
    returning: bool


@dataclass(frozen=True)
class Presentation:
    key: str
    item_id: str | None
    kind: Kind
    caption: str  # "About me, question 4 of about 33"
    section: str
    number: int | None
    total: int
    prompt: Words
    answering: str | None  # who answers, unless the client alone
    proxy: bool  # someone answers for the client: a long note, shown but not said each time
    hint: Words | None
    help: Words | None
    body: Words | None  # an information step's paragraphs
    unit: Words | None
    add_prompt: Words | None
    choices: tuple[Choice, ...]  # "Something else" after the others, exclusive ones last
    entry: Entry | None  # this voice's saved answer
    answer: str | None  # the same, in words
    values: Mapping[str, Any]  # what the inputs hold: just typed (after an error) or saved
    other_answers: tuple[OtherAnswer, ...]
    problems: tuple[Problem, ...]
    offers: tuple[str, ...]
    items: tuple[ListItem, ...]
    # A list's count in its own words, "You have added 2 people.", or "You have not added
    # anyone yet." when it holds none; None for other steps.
    items_summary: Words | None
    can_add: bool
    back: Place | None  # None on the first step: the back link leads to the start page
    returning: bool  # changing an answer from the review
    max_length: int | None


def present(
    view: StepView,
    t: Translator,
    errors: Sequence[FieldError] = (),
    form: Form | None = None,
    back: Place | None = None,
) -> Presentation:
    step = view.step
    prompt = Words.of(view.prompt, t)
    assert prompt is not None
    add_prompt = Words.of(view.add_prompt, t)
    # An error on a list's summary is about its yes/no question, not the list's title.
    about = add_prompt if step.kind is Kind.LIST and add_prompt else prompt
    # A message about an untranslated question is wholly in the question's language.
    said = t.in_source_language() if about.lang else t
    values = _values(view, form, t)
    checked = set(values["answers"]) if step.kind is Kind.MULTIPLE_CHOICE else {values["answer"]}
    entry = view.entry
    section = view.progress.section
    return Presentation(
        key=step.key,
        item_id=view.item_id,
        kind=step.kind,
        caption=where(view.progress, t),
        section=t.pgettext(section.context, section.title),
        number=view.progress.number,
        total=view.progress.total,
        prompt=prompt,
        answering=answering_line(view.respondent, t),
        proxy=view.respondent.role == "proxy",
        hint=Words.of(view.hint, t),
        help=Words.of(view.help, t),
        body=_body(Words.of(view.text, t), figure_lines(view.figures, t)),
        unit=Words.of(view.unit, t),
        add_prompt=add_prompt,
        choices=_choices(view, t, checked),
        entry=entry,
        answer=answer_text(view.answer, t) if view.answer is not None else None,
        values=values,
        other_answers=tuple(
            OtherAnswer(answer_text(a, t), by_line(a.entry.by, t, view.respondent))
            for a in view.other_answers
        ),
        problems=tuple(
            Problem(e.field, e.code, field_message(said, e, about.plain), about.lang)
            for e in errors
        ),
        offers=tuple(o for o in OFFERS if o == "skip" or o in step.offer)
        if step.kind is not Kind.INFORMATION
        else (),
        items=tuple(
            ListItem(
                item.id,
                _words(item.title, t),
                item.rows[0].step.key if item.rows else None,
                _item_words(item, t),
            )
            for item in view.items
        ),
        items_summary=_words(list_words(step, len(view.items))[0 if view.items else 1], t)
        if step.kind is Kind.LIST
        else None,
        can_add=view.can_add,
        back=back,
        returning=view.returning_to_review,
        max_length=step.max_length if step.kind.is_text else None,
    )


def _body(text: Words | None, figures: list[str]) -> Words | None:
    """An information step's paragraphs, then its calculated values, one paragraph each."""
    if not figures:
        return text
    html = Markup("\n\n").join(([text.html] if text else []) + [Markup(escape(f)) for f in figures])
    plain = "\n\n".join(([text.plain] if text else []) + figures)
    return Words(html, plain, text.lang if text else None)


def back_place(engine: Engine, state: State) -> Place | None:
    """Where "Back" leads from this state; None where there is no step before it."""
    back = engine.back(state)
    if (back.at, back.item) == (state.at, state.item):
        return None
    return Place(back.at, back.item, back.return_to_review)


def _item_words(item: ItemView, t: Translator) -> str:
    """One item of an "add another" list read by itself: its title, then each question
    answered for it and the answer ("Anna. Their name? Anna. How do they help? Shopping.")."""
    parts = [t.plain_text(item.title)]
    for row in item.rows:
        answered = [a for a in row.answers if a.entry.status == "answered"]
        if answered:
            parts += [t.plain_text(row.question), ", ".join(answer_text(a, t) for a in answered)]
    return " ".join(p if p.rstrip().endswith((".", "?", "!", ":")) else p + "." for p in parts)


def _words(text: Text, t: Translator) -> Words:
    return Words(t.text(text), t.plain_text(text))


def by_line(by: Respondent, translator: Translator, reader: Respondent | None = None) -> str:
    """Who gave an answer, in words (never only by colour or position). "You" is whoever reads:
    when someone answering for the client reads, the client's answers are "the client's"."""
    if reader is not None and reader.role == "proxy":
        return provenance(by, translator)  # as the draft says it to the caseworker
    who = by.who or translator.gettext("someone")
    if by.role == "helped":
        return translator.gettext("Your own answer, with help from %(who)s") % {"who": who}
    if by.role == "proxy":
        return translator.gettext("Answered for you by %(who)s") % {"who": who}
    return translator.gettext("Your own answer")


def answering_line(respondent: Respondent, translator: Translator) -> str | None:
    """Who is answering now, on every question, unless it is the client alone."""
    who = respondent.who or translator.gettext("someone")
    if respondent.role == "helped":
        return translator.gettext("Answering: the client, with help from %(who)s.") % {"who": who}
    if respondent.role == "proxy":
        return translator.gettext(
            "Answering for the client: %(who)s. Write what the client has told or shown you. "
            "At the end you can say what you think yourself."
        ) % {"who": who}
    return None


def _values(view: StepView, form: Form | None, t: Translator) -> dict[str, Any]:
    """What the inputs show: what was just typed (after an error) or the saved answer."""
    if form is not None:
        return {
            "answer": (form.get("answer") or [""])[0],
            "answers": list(form.get("answer", [])),
            "other": (form.get("other") or [""])[0],
            **{p: (form.get(p) or [""])[0] for p in ("day", "month", "year")},
        }
    entry = view.entry
    value = entry.value if entry else None
    values: dict[str, Any] = {
        "answer": "",
        "answers": [],
        "other": (entry.other or "") if entry else "",
    }
    if isinstance(value, list):
        values["answers"] = value
    elif isinstance(value, str):
        values["answer"] = value
        values["answers"] = [value]
    if view.step.kind is Kind.NUMBER and isinstance(value, str):
        values["answer"] = t.format_number(Decimal(value))  # 12,5 in Finnish
    year, month, day = (
        ([*value.split("-"), "", "", ""])[:3]
        if view.step.kind is Kind.DATE and value
        else ("", "", "")
    )
    values.update(day=day.lstrip("0"), month=month.lstrip("0"), year=year)
    return values


def _choices(view: StepView, t: Translator, checked: set[str]) -> tuple[Choice, ...]:
    """The choices in the order every front end gives them: "Something else" after the plain
    ones, and a choice made only alone ("None of these now") last, after an "or"."""
    items = [
        Choice(
            c.value,
            _words(c.label, t),
            Words.of(c.hint, t),
            c.exclusive,
            c.value in checked,
            False,
        )
        for c in view.choices
    ]
    if view.something_else:
        label = _words(view.something_else, t)
        items.append(Choice(SOMETHING_ELSE, label, None, False, SOMETHING_ELSE in checked, True))
    return tuple(sorted(items, key=lambda choice: choice.exclusive))  # stable otherwise
