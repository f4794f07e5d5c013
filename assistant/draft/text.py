"""Plain text, clean to paste into a client information system: no markup, no tabs, headings
underlined, every answer followed by who gave it.

Not a spreadsheet format (no delimiters; we offer no CSV), so the person's words are left as
typed, also when they begin with "=", "+", "-" or "@": see docs/draft.md, "Safety"."""

from __future__ import annotations

import textwrap

from assistant.draft.model import Draft, Item
from assistant.i18n import Translator

WIDTH = 78


def _wrap(text: str, indent: str) -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(
            textwrap.wrap(paragraph, WIDTH, initial_indent=indent, subsequent_indent=indent)
            or [indent.rstrip()]
        )
    return lines


def _heading(text: str, underline: str) -> list[str]:
    return ["", text, underline * len(text)]


def _item(item: Item, t: Translator) -> list[str]:
    lines = ["", *_wrap(item.question, "")] if item.heading else [""]
    for answer in item.answers:
        lines += [*_wrap(answer.text, "  "), f"  ({answer.by})"]
    for member in item.members:
        lines += ["", f"  * {member.title}"] if lines[-1] else [f"  * {member.title}"]
        for detail in member.details:
            for answer in detail.answers:
                lines += _wrap(f"{detail.question} {answer.text}", "    ")
        lines.append(f"    ({member.by})")
    return lines


def render(draft: Draft, t: Translator) -> str:
    lines = [draft.title, "=" * len(draft.title), *_wrap(draft.dated, "")]
    for label, value in draft.facts:
        lines += _wrap(f"{label}: {value}", "")
    lines += ["", *_wrap(draft.note, "")]
    if not draft.answered:
        lines += ["", *_wrap(t.gettext("Nothing has been answered yet."), "")]
    if draft.agenda:
        lines += _heading(t.gettext("To talk about in the meeting"), "-")
        for item in draft.agenda:
            lines += _wrap(item.question, "- ")
    for section in draft.sections:
        lines += _heading(section.title, "-")
        for item in section.items:
            lines += _item(item, t)
        if section.not_answered:
            lines += [
                "",
                *_wrap(t.gettext("Not answered:") + " " + "; ".join(section.not_answered), ""),
            ]
    return "\r\n".join(line.rstrip() for line in lines) + "\r\n"
