"""Turn the engine's StepView (and any errors) into the plain values a step template shows."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup, escape

from assistant.dialogue.answers import FieldError
from assistant.dialogue.model import SOMETHING_ELSE, Kind
from assistant.dialogue.state import REVIEW, Entry, Respondent, State
from assistant.dialogue.views import Shown, StepView
from assistant.draft.model import provenance
from assistant.i18n import Translator
from assistant.i18n.answers import answer_text, where
from assistant.i18n.field_messages import field_message

Form = dict[str, list[str]]


def step_url(key: str, item: str | None = None, returning: bool = False) -> str:
    """The address of a step: /q/good-at, /q/team.name?item=i2, …?return=review."""
    if key == REVIEW:
        return "/review"
    query = {k: v for k, v in (("item", item), ("return", "review" if returning else None)) if v}
    return f"/q/{key}" + (f"?{urlencode(query)}" if query else "")


def position_url(state: State, notice: str | None = None) -> str:
    """Where the person is; with a notice (a key of web.messages.NOTICES) the page shows it."""
    url = step_url(state.at, state.item, state.return_to_review)
    if not notice:
        return url
    return url + ("&" if "?" in url else "?") + urlencode({"notice": notice})


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
    """Who is answering now, on every question page, unless it is the client alone."""
    who = respondent.who or translator.gettext("someone")
    if respondent.role == "helped":
        return translator.gettext("Answering: the client, with help from %(who)s.") % {"who": who}
    if respondent.role == "proxy":
        return translator.gettext(
            "Answering for the client: %(who)s. Answer as the client would, in their words."
        ) % {"who": who}
    return None


def answer_html(shown: Shown, translator: Translator) -> Markup:
    """An answer as it reads on the review, escaped (line breaks are kept by the CSS)."""
    return escape(answer_text(shown, translator))


def answers_html(
    answers: Sequence[Shown],
    translator: Translator,
    with_by: bool,
    reader: Respondent | None = None,
) -> Markup:
    if not answers:
        return escape(translator.gettext("Not answered"))
    if not with_by:
        return answer_html(answers[0], translator)
    # Who gave an answer is said for answers only: "Not answered" has no author.
    lines = [
        answer_html(a, translator)
        if a.entry.status == "skipped"
        else Markup('<span class="answer">{}</span> <span class="by">({})</span>').format(
            answer_html(a, translator), by_line(a.entry.by, translator, reader)
        )
        for a in answers
    ]
    return Markup("<br>").join(lines)


def _values(view: StepView, form: Form | None, translator: Translator) -> dict[str, Any]:
    """What the inputs show: what was just typed (after an error) or the saved answer."""
    if form is not None:
        return {
            "answer": (form.get("answer") or [""])[0],
            "answers": form.get("answer", []),
            "other": (form.get("other") or [""])[0],
            **{p: (form.get(p) or [""])[0] for p in ("day", "month", "year")},
        }
    entry: Entry | None = view.entry
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
        values["answer"] = translator.format_number(Decimal(value))  # 12,5 in Finnish
    year, month, day = (
        ([*value.split("-"), "", "", ""])[:3]
        if view.step.kind is Kind.DATE and value
        else ("", "", "")
    )
    values.update(day=day.lstrip("0"), month=month.lstrip("0"), year=year)
    return values


def _choices(view: StepView, translator: Translator, checked: set[str]) -> list[dict[str, Any]]:
    """The choices as the page lists them: "Something else" after the plain ones, and a choice
    made only alone ("None of these now") last, where the page puts "or" before it."""
    items = [
        {
            "value": c.value,
            "text": translator.text(c.label),
            "hint": translator.text(c.hint) if c.hint else None,
            "checked": c.value in checked,
            "exclusive": c.exclusive,
        }
        for c in view.choices
    ]
    if view.something_else:
        items.append(
            {
                "value": SOMETHING_ELSE,
                "text": translator.text(view.something_else),
                "hint": None,
                "checked": SOMETHING_ELSE in checked,
                "exclusive": False,
            }
        )
    return sorted(items, key=lambda item: item["exclusive"])  # stable: order otherwise kept


def step_page(
    view: StepView, translator: Translator, form: Form | None, errors: Sequence[FieldError]
) -> dict[str, Any]:
    step = view.step
    question = translator.text(view.prompt)
    question_plain = translator.plain_text(view.prompt)
    messages = {}
    for error in errors:
        words = (
            translator.plain_text(view.add_prompt)
            if step.kind is Kind.LIST and view.add_prompt
            else question_plain
        )
        messages[error.field] = field_message(translator, error, words)
    values = _values(view, form, translator)
    checked = set(values["answers"]) if step.kind is Kind.MULTIPLE_CHOICE else {values["answer"]}
    progress = view.progress
    caption = where(progress, translator)
    return {
        "view": view,
        "kind": step.kind.value,
        "question": question,
        "question_plain": question_plain,
        "caption": caption,
        "answering": answering_line(view.respondent, translator),
        "hint": translator.text(view.hint) if view.hint else None,
        "help": translator.text(view.help) if view.help else None,
        "body": translator.text(view.text) if view.text else None,
        "unit": translator.text(view.unit) if view.unit else None,
        "add_prompt": translator.text(view.add_prompt) if view.add_prompt else None,
        "values": values,
        "messages": messages,
        "errors": [{"href": f"#{field}", "text": text} for field, text in messages.items()],
        "choices": _choices(view, translator, checked),
        "other_answers": [
            Markup("{} ({})").format(
                answer_html(a, translator), by_line(a.entry.by, translator, view.respondent)
            )
            for a in view.other_answers
        ],
        "items": [
            {
                "title": translator.text(item.title),
                "change_url": step_url(item.rows[0].step.key, item.id, view.returning_to_review)
                if item.rows
                else None,
                "remove_url": f"/q/{step.key}/remove?{urlencode({'item': item.id})}",
            }
            for item in view.items
        ],
        "action_url": step_url(step.key, view.item_id),
        "returning": view.returning_to_review,
    }
