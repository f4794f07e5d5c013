"""Plain text, clean to paste into a client information system: no markup, no tabs, headings
underlined, an answer followed by who gave it where that is not who gave most. A paragraph is
one line, never wrapped: the system it is pasted into has its own width.

Not a spreadsheet format (no delimiters; we offer no CSV), so the person's words are left as
typed, also when they begin with "=", "+", "-" or "@": see docs/draft.md, "Safety"."""

from __future__ import annotations

from assistant.draft.model import Draft, Item
from assistant.draft.sketch import Sketch
from assistant.i18n import Translator


def _wrap(text: str, indent: str) -> list[str]:
    """Each paragraph of `text` as one line, indented (the person's own line breaks kept)."""
    return [
        indent + paragraph if paragraph else indent.rstrip()
        for paragraph in text.splitlines() or [""]
    ]


def _heading(text: str, underline: str) -> list[str]:
    return ["", text, underline * len(text)]


def _item(item: Item, draft: Draft) -> list[str]:
    lines = ["", *_wrap(item.question, "")] if item.heading else [""]
    for answer in item.answers:
        lines += _wrap(answer.text, "  ")
        lines += [f"  ({answer.by})"] if draft.says_by(answer) else []
    for member in item.members:
        lines += ["", f"  * {member.title}"] if lines[-1] else [f"  * {member.title}"]
        for detail in member.details:
            for answer in detail.answers:
                lines += _wrap(f"{detail.question} {answer.text}", "    ")
        lines += [f"    ({member.by})"] if draft.says_by(member) else []
    return lines


def _labelled(title: str, value: str) -> str:
    """ "Hours a week: 13,8"; a heading that is a question keeps its question mark."""
    return f"{title} {value}" if title.endswith(("?", ":")) else f"{title}: {value}"


def _sketch(sketch: Sketch) -> list[str]:
    """The table line by line, one item a line, each value after its heading (readable on a
    braille display and by a screen reader; no ASCII art), then the totals one a line."""
    lines = [*_heading(sketch.title, "-"), *_wrap(sketch.caption, "")]
    for row in sketch.rows:
        cells = zip(sketch.columns, row.cells, strict=True)
        lines += _wrap(", ".join(_labelled(c.title, cell.text) for c, cell in cells), "- ")
    lines.append("")
    lines += [_labelled(total.title, total.text) for total in sketch.totals]
    for sentence in (*sketch.missing, *([sketch.notice] if sketch.notice else []), *sketch.sources):
        lines += ["", *_wrap(sentence, "")]
    return lines


def render(draft: Draft, t: Translator) -> str:
    lines = [draft.title, "=" * len(draft.title), *_wrap(draft.dated, "")]
    for label, value in draft.facts:
        lines += _wrap(f"{label}: {value}", "")
    lines += ["", *_wrap(draft.note, "")]
    for notice in draft.notices:
        lines += ["", *_wrap(notice, "")]
    for part in draft.parts:
        lines += _heading(part.title, "-")
        for item in part.items:
            lines += _wrap(item.question, "- ") if part.questions_only else _item(item, draft)
    if draft.sketch is not None:
        lines += _sketch(draft.sketch)
    for section in draft.sections:
        lines += _heading(section.title, "-")
        for item in section.items:
            lines += _item(item, draft)
        if section.not_answered:
            lines += [
                "",
                *_wrap(t.gettext("Not answered:") + " " + "; ".join(section.not_answered), ""),
            ]
    return "\r\n".join(line.rstrip() for line in lines) + "\r\n"
