"""Step addresses, and the step presentation as the values the step and list templates show."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup, escape

from assistant.dialogue.state import REVIEW, Respondent, State
from assistant.dialogue.views import Shown
from assistant.i18n import Translator
from assistant.i18n.answers import answer_text
from assistant.presentation import Presentation, Words, by_line


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


def answer_anchor(key: str, item: str | None = None) -> str:
    """The id of a question's row on the review (of an item's row: with the item's id)."""
    return f"answer-{key}-{item}" if item else f"answer-{key}"


def changed_url(key: str, item: str | None, notice: str | None = None) -> str:
    """Back on the review after "Change": at the row of the answer just changed, which the
    page confirms ("Answer changed") and gives focus."""
    query = {"changed": key, "item": item, "notice": notice}
    return (
        "/review?"
        + urlencode({k: v for k, v in query.items() if v})
        + "#"
        + answer_anchor(key, item)
    )


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


def step_page(presented: Presentation) -> dict[str, Any]:
    """The presentation as the step and list templates take it."""
    messages = {problem.field: problem.message for problem in presented.problems}
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
                "remove_url": f"/q/{presented.key}/remove?{urlencode({'item': item.id})}",
            }
            for item in presented.items
        ],
        "items_summary": presented.items_summary,
        "action_url": step_url(presented.key, presented.item_id),
        "returning": presented.returning,
        "back_url": step_url(presented.back.key, presented.back.item, presented.back.returning)
        if presented.back
        else "/",
    }


def _html(words: Words | None) -> Markup | None:
    return words.html if words else None
