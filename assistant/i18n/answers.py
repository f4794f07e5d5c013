"""An answer in words, in one language: the review page, the draft, the API and `talk` all say
an answer the same way. The person's own words are never translated or changed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from assistant.dialogue.texts import N_, Text
from assistant.dialogue.views import Progress, Shown
from assistant.i18n import Translator

STATUS = {
    "skipped": N_("Not answered"),
    "dont-know": N_("I don't know"),
    "talk-in-meeting": N_("To talk about in the meeting"),
}


def where(progress: Progress, t: Translator) -> str:
    """ "About me, question 4 of about 33": the section, and the place on the path that applies."""
    section = t.pgettext(progress.section.context, progress.section.title)
    if progress.number is None:
        return section
    words = t.gettext("%(section)s, question %(number)s of about %(total)s")
    return words % {"section": section, "number": progress.number, "total": progress.total}


def answer_text(shown: Shown, t: Translator) -> str:
    """ "People close to me, My cat", "12,5 hours a week", "I don't know", "To talk about in
    the meeting: the taxi is late"."""
    parts: list[str] = []
    for piece in shown.pieces:
        if isinstance(piece, Text):
            parts.append(t.plain_text(piece))
        elif isinstance(piece, date):
            parts.append(t.format_date(piece))
        elif isinstance(piece, Decimal):
            parts.append(t.format_number(piece))
        elif piece:
            parts.append(piece)
    text = ", ".join(parts)
    if shown.unit is not None and text:
        text = f"{text} {t.plain_text(shown.unit)}"
    status = STATUS.get(shown.entry.status)
    if status:
        text = f"{t.gettext(status)}: {text}" if text else t.gettext(status)
    return text
