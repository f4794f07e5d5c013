"""DOCX with real headings and lists, because caseworkers work in Word. The document's
language is set, and nothing personal goes into its properties."""

from __future__ import annotations

import io
import re
from typing import Any

from docx import Document
from docx.oxml.ns import qn

from assistant.draft.model import Draft, Item
from assistant.i18n import Translator

# XML 1.0 forbids most control characters; a person's text may contain them (pasted text).
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    return _INVALID.sub("", text)


def _said(document: Any, text: str, by: str, style: str | None = None) -> None:
    """A paragraph of what was said, then who said it, in italics."""
    paragraph = document.add_paragraph(clean(text), style=style)
    paragraph.add_run(f" ({clean(by)})").italic = True


def _item(document: Any, item: Item) -> None:
    if item.heading:
        document.add_heading(clean(item.question), level=3)
    for answer in item.answers:
        _said(document, answer.text, answer.by)
    for person in item.people:
        _said(document, person.name, person.by, "List Bullet")
        for detail in person.details:
            for answer in detail.answers:
                text = clean(f"{detail.question} {answer.text}")
                document.add_paragraph(text, style="List Bullet 2")


def render(draft: Draft, t: Translator) -> bytes:
    document = Document()
    properties = document.core_properties
    properties.title = clean(draft.title)
    properties.language = draft.language
    properties.author = properties.last_modified_by = "Oma ääni"
    properties.comments = ""
    styles = document.styles.element
    for lang in styles.iter(qn("w:lang")):
        lang.set(qn("w:val"), {"fi": "fi-FI", "sv": "sv-FI", "en": "en-GB"}[draft.language])
    document.add_heading(clean(draft.title), level=1)
    document.add_paragraph(
        t.gettext("Draft for my meeting, %(date)s") % {"date": t.format_date(draft.updated.date())}
    )
    document.add_paragraph(clean(draft.note))
    if draft.agenda:
        document.add_heading(t.gettext("To talk about in the meeting"), level=2)
        for item in draft.agenda:
            document.add_paragraph(clean(item.question), style="List Bullet")
    for section in draft.sections:
        document.add_heading(clean(section.title), level=2)
        for item in section.items:
            _item(document, item)
        if section.not_answered:
            document.add_paragraph(
                clean(t.gettext("Not answered:") + " " + "; ".join(section.not_answered))
            )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
