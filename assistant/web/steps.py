"""Step addresses, and the step presentation as the values the step and list templates show."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup, escape

from assistant.dialogue.state import REVIEW, Respondent, State
from assistant.dialogue.views import Shown
from assistant.i18n import Translator
from assistant.i18n.answers import answer_text
from assistant.presentation import Presentation, Problem, Words, by_line
from assistant.web.urls import url


def step_url(key: str, item: str | None = None, returning: bool = False) -> str:
    """The address of a step: /q/good-at, /q/team.name?item=i2, …?return=review."""
    if key == REVIEW:
        return url("review")
    return url("step", key=key, query={"item": item, "return": "review" if returning else None})


def audio_url(key: str, item: str | None, part: str = "question", number: int = 1) -> str:
    """A step's audio: its question, help, or part `number` of the answer given."""
    # An item's audio always names its item's number; an answer's only from its second part.
    n = str(number) if number > 1 or part == "item" else None
    query = {"item": item, "part": part, "n": n}
    return url("audio", key=key, query=query)


def position_url(state: State, notice: str | None = None) -> str:
    """Where the person is; with a notice (a key of web.messages.NOTICES) the page shows it."""
    query = {"item": state.item, "return": "review" if state.return_to_review else None}
    if state.at == REVIEW:
        return url("review", query={"notice": notice})
    return url("step", key=state.at, query={**query, "notice": notice})


def answer_anchor(key: str, item: str | None = None) -> str:
    """The id of a question's row on the review (of an item's row: with the item's id)."""
    return f"answer-{key}-{item}" if item else f"answer-{key}"


def changed_url(key: str, item: str | None, notice: str | None = None) -> str:
    """Back on the review after "Change": at the row of the answer just changed, which the
    page confirms ("Answer changed") and gives focus."""
    query = {"changed": key, "item": item, "notice": notice}
    return url("review", query=query) + "#" + answer_anchor(key, item)


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
        # Never reached (it comes later in the conversation), unlike a skipped question.
        return escape(translator.gettext("Not asked yet"))
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


def step_page(presented: Presentation) -> dict[str, Any]:
    """The presentation as the step and list templates take it."""
    messages = {problem.field: _marked(problem) for problem in presented.problems}
    return {
        "kind": presented.kind.value,
        "question": presented.prompt.html,
        "question_plain": presented.prompt.plain,
        "caption": presented.caption,
        "answering": presented.answering,
        # Read with the question each time focus lands on it: where the person is, and who
        # answers, but not the ~25 words said to someone answering for the client, which they
        # read once above the question (a screen reader heard them before every question).
        "heading_describedby": "caption answering"
        if presented.answering and not presented.proxy
        else "caption",
        "hint": _html(presented.hint),
        "help": _html(presented.help),
        "body": _html(presented.body),
        "unit": _html(presented.unit),
        "add_prompt": _html(presented.add_prompt),
        "values": presented.values,
        "messages": messages,
        "errors": [{"href": f"#{field}", "text": text} for field, text in messages.items()],
        "choices": [
            {
                "value": c.value,
                "text": c.label.html,
                "hint": _html(c.hint),
                "checked": c.checked,
                "exclusive": c.exclusive,
            }
            for c in presented.choices
        ],
        "something_else": any(c.something_else for c in presented.choices),
        "offers": presented.offers,
        "max_length": presented.max_length,
        "other_answers": [
            Markup("{} ({})").format(other.answer, other.by) for other in presented.other_answers
        ],
        "items": [
            {
                "title": item.title.html,
                "change_url": step_url(item.change_key, item.id, presented.returning)
                if item.change_key
                else None,
                "remove_url": url("remove", key=presented.key, query={"item": item.id}),
            }
            for item in presented.items
        ],
        "items_summary": _html(presented.items_summary),
        "action_url": step_url(presented.key, presented.item_id),
        # Conversation mode goes on from this step over the API: the page says where.
        "api_url": url(
            "api-steps",
            key=presented.key,
            query={"item": presented.item_id, "return": "review" if presented.returning else None},
        ),
        "returning": presented.returning,
        "back_url": step_url(presented.back.key, presented.back.item, presented.back.returning)
        if presented.back
        else url("start"),
    }


def _marked(problem: Problem) -> Markup | str:
    """An error message, marked with its language when it is not the page's."""
    if problem.lang is None:
        return problem.message
    return Markup('<span lang="{}">{}</span>').format(problem.lang, problem.message)


def _html(words: Words | None) -> Markup | None:
    return words.html if words else None
