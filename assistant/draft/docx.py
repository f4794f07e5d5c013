"""DOCX with real headings and lists, because caseworkers work in Word.

The document's properties say what it is and nothing about who: its title, its language, the
draft's dates and "Oma ääni" as its author and application. python-docx's template also brings a thumbnail
and 2013 dates of its own; both are replaced or removed. Only text is added: no fields, links
or pictures, so nothing a person typed can become one; the one field is the footer's page number.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from typing import Any

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from assistant.draft.model import Draft, Item
from assistant.draft.sketch import Sketch
from assistant.i18n import Translator
from assistant.i18n.languages import language

# XML 1.0 forbids most control characters; a person's text may contain them (pasted text).
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
AUTHOR = "Oma ääni"
# The template's app.xml says "Microsoft Macintosh Word" wrote the file, with Word 2010's
# version and template and stale counts; Word recounts those, so only the application stays.
APP_PROPERTIES = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n<Properties xmlns="
    '"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    f"<Application>{AUTHOR}</Application></Properties>"
).encode()


def clean(text: str) -> str:
    return _INVALID.sub("", text)


def _said(document: Any, text: str, by: str, style: str | None = None) -> None:
    """A paragraph of what was said, then who said it (if not who said most), in italics."""
    paragraph = document.add_paragraph(clean(text), style=style)
    if by:
        paragraph.add_run(f" ({clean(by)})").italic = True


def _item(document: Any, item: Item, draft: Draft) -> None:
    if item.heading:
        document.add_heading(clean(item.question), level=3)
    for answer in item.answers:
        _said(document, answer.text, answer.by if draft.says_by(answer) else "")
    for member in item.members:
        _said(document, member.title, member.by if draft.says_by(member) else "", "List Bullet")
        for detail in member.details:
            for answer in detail.answers:
                text = clean(f"{detail.question} {answer.text}")
                document.add_paragraph(text, style="List Bullet 2")


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _properties(document: Any, drafts: list[Draft]) -> None:
    """The drafts' titles (one, or each of a combined draft's), language and dates."""
    draft = drafts[0]
    properties = document.core_properties
    properties.title = clean("; ".join(d.title for d in drafts))
    tag = language(draft.language).tag
    properties.language = tag
    properties.author = properties.last_modified_by = AUTHOR
    # Word reads these as UTC; python-docx writes the clock time as given.
    properties.created = _utc(min(d.created for d in drafts))
    properties.modified = _utc(max(d.updated for d in drafts))
    properties.revision = 1
    properties.comments = properties.subject = properties.keywords = properties.category = ""
    package = document.part.package
    for rid, relationship in list(package.rels.items()):
        if relationship.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
            del package.rels[rid]  # a part nothing refers to is not saved
        elif relationship.reltype == RELATIONSHIP_TYPE.EXTENDED_PROPERTIES:
            relationship.target_part._blob = APP_PROPERTIES  # a plain part: its bytes are saved
    for lang in document.styles.element.iter(qn("w:lang")):
        lang.set(qn("w:val"), tag)


def render(draft: Draft, t: Translator) -> bytes:
    return render_all([draft], t)


def render_all(drafts: list[Draft], t: Translator) -> bytes:
    """One document: each draft in turn (a person's conversations combined for the meeting),
    each from a new page and with its own title as Heading 1."""
    document = Document()
    _properties(document, drafts)
    for number, draft in enumerate(drafts):
        if number:
            document.add_page_break()  # type: ignore[no-untyped-call]
        _body(document, draft, t)
    _page_numbers(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _body(document: Any, draft: Draft, t: Translator) -> None:
    document.add_heading(clean(draft.title), level=1)
    document.add_paragraph(clean(draft.dated))
    for label, value in draft.facts:
        document.add_paragraph(clean(f"{label}: {value}"))
    document.add_paragraph(clean(draft.note))
    for notice in draft.notices:
        document.add_paragraph(clean(notice))
    _blank_fields(document, draft)
    for part in draft.parts:
        document.add_heading(clean(part.title), level=2)
        for item in part.items:
            if part.questions_only:
                document.add_paragraph(clean(item.question), style="List Bullet")
            else:
                _item(document, item, draft)
    if draft.sketch is not None:
        _sketch(document, draft.sketch)
    for section in draft.sections:
        document.add_heading(clean(section.title), level=2)
        for item in section.items:
            _item(document, item, draft)
        if section.not_answered:
            document.add_paragraph(
                clean(t.gettext("Not answered:") + " " + "; ".join(section.not_answered))
            )


def _sketch(document: Any, sketch: Sketch) -> None:
    """A real table: a caption (Word's Caption style, before it), a header row repeated on
    every page and marked as one, so screen readers announce the headings; then the totals,
    what they left out and the estimate notice as paragraphs."""
    document.add_heading(clean(sketch.title), level=2)
    document.add_paragraph(clean(sketch.caption), style="Caption")
    table = document.add_table(rows=1, cols=len(sketch.columns))
    table.style = "Table Grid"
    header = table.rows[0]
    properties = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)
    for cell, column in zip(header.cells, sketch.columns, strict=True):
        cell.text = clean(column.title)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in sketch.rows:
        cells = table.add_row().cells
        for cell, value, column in zip(cells, row.cells, sketch.columns, strict=True):
            cell.text = clean(value.text)
            if column.calculated:
                cell.paragraphs[0].alignment = 2  # right: numbers line up
    for total in sketch.totals:
        document.add_paragraph(clean(f"{total.title}: {total.text}"))
    for sentence in (*sketch.missing, *([sketch.notice] if sketch.notice else []), *sketch.sources):
        document.add_paragraph(clean(sentence))


def _blank_fields(document: Any, draft: Draft) -> None:
    """A table of labels with empty cells, for the caseworker to fill in."""
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label in draft.blank_fields:
        cells = table.add_row().cells
        cells[0].text = clean(label)


def _page_numbers(document: Any) -> None:
    """The page number at the foot of every page: Word's PAGE field, the only field we
    write (nothing a person typed ever becomes one)."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = 2  # right
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
