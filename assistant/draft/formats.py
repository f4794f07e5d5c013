"""Every file the draft can be downloaded as, in one registry.

Adding a format is one entry in FORMATS plus a test (see docs/draft.md): the address
`/draft.<extension>`, the draft page's download list and the file name all come from it.
Every format renders with one signature, `render(source, t) -> bytes`, off the event loop
(assistant/web/draft_views.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from assistant.dialogue.model import Dialogue
from assistant.dialogue.state import State
from assistant.dialogue.views import Views
from assistant.draft import docx, fhir, jsonfmt, text
from assistant.draft.model import Draft
from assistant.i18n import N_, Translator


@dataclass(frozen=True)
class Source:
    """What a format is made from: the draft, and the answers it was built from (FHIR gives
    each answer as the dialogue's conditions read it, which the draft no longer says)."""

    draft: Draft
    dialogue: Dialogue
    views: Views
    state: State


@dataclass(frozen=True)
class Format:
    extension: str  # "fhir.json": the address /draft.fhir.json and the file's name
    media_type: str
    label: str  # the download link's words, an N_ message id
    render: Callable[[Source, Translator], bytes]
    # A person's linked conversations in one file (docs/draft.md, "Both conversations").
    combine: Callable[[list[Source], Translator], bytes]
    # True: for the caseworker's information systems (listed apart on the draft page);
    # False: for people to read, print or paste.
    for_systems: bool
    charset: str | None = None

    def file_name(self, draft: Draft) -> str:
        return f"oma-aani-{draft.updated.date().isoformat()}.{self.extension}"

    def combined_file_name(self, drafts: list[Draft]) -> str:
        updated = max(d.updated for d in drafts).date().isoformat()
        return f"oma-aani-{updated}-both.{self.extension}"


def as_json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def _text(source: Source, t: Translator) -> bytes:
    return text.render(source.draft, t).encode("utf-8")


def _texts(sources: list[Source], t: Translator) -> bytes:
    """Each draft in turn, each opening with its own underlined title, a blank line between."""
    return "\r\n".join(text.render(s.draft, t) for s in sources).encode("utf-8")


def _docx(source: Source, t: Translator) -> bytes:
    return docx.render(source.draft, t)


def _docxs(sources: list[Source], t: Translator) -> bytes:
    return docx.render_all([s.draft for s in sources], t)


def _json(source: Source, t: Translator) -> bytes:
    return as_json(jsonfmt.render(source.draft))


def _jsons(sources: list[Source], t: Translator) -> bytes:
    """A JSON array of drafts, each exactly as the draft alone (docs/draft-schema.json)."""
    return as_json([jsonfmt.render(s.draft) for s in sources])


def _fhirs(sources: list[Source], t: Translator) -> bytes:
    """A FHIR Bundle of type collection, one QuestionnaireResponse entry per conversation."""
    latest = max(s.draft.updated for s in sources)
    return as_json(
        {
            "resourceType": "Bundle",
            "type": "collection",
            "timestamp": latest.isoformat(),
            "entry": [{"resource": _response(s, t)} for s in sources],
        }
    )


def _fhir(source: Source, t: Translator) -> bytes:
    return as_json(_response(source, t))


def _response(source: Source, t: Translator) -> dict[str, Any]:
    draft = source.draft
    return fhir.questionnaire_response(
        source.dialogue,
        source.views,
        source.state,
        t,
        draft.updated,
        draft.completed,
        draft.sketch,
    )


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FHIR = "application/fhir+json"
# In the order the draft page lists them.
FORMATS: dict[str, Format] = {
    f.extension: f
    for f in (
        Format("docx", DOCX, N_("Word document (DOCX)"), _docx, _docxs, for_systems=False),
        Format("txt", "text/plain", N_("Plain text, to paste"), _text, _texts, False, "utf-8"),
        Format(
            "json",
            "application/json",
            N_("Data for information systems (JSON)"),
            _json,
            _jsons,
            True,
        ),
        Format("fhir.json", FHIR, N_("FHIR QuestionnaireResponse (JSON)"), _fhir, _fhirs, True),
    )
}
