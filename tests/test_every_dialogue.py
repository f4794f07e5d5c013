"""Each dialogue's own test plan, then its draft in every format: no answer is ever left out,
every format is valid (the JSON schema, FHIR R5), and the sections are the dialogue's own."""

from __future__ import annotations

import html
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import docx as python_docx
import jsonschema
import pytest
from fhir.resources.questionnaire import Questionnaire
from fhir.resources.questionnaireresponse import QuestionnaireResponse

from assistant.dialogue.engine import Engine
from assistant.dialogue.loader import load
from assistant.dialogue.views import Views
from assistant.draft import fhir_questionnaire, formats
from assistant.draft.model import SHOWN, build
from assistant.i18n import Catalogs, Translator
from assistant.testplan import load_plan, plan_path, run
from tests.every_dialogue import DIALOGUE_FILES, ROOT
from tests.test_draft import article

WHEN = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
SCHEMA = json.loads((ROOT / "docs" / "draft-schema.json").read_text(encoding="utf-8"))
CATALOGS = Catalogs(ROOT / "locales")


@pytest.fixture(scope="module")
def english() -> Translator:
    return CATALOGS.translator("en")


@pytest.mark.parametrize("path", DIALOGUE_FILES, ids=lambda p: p.stem)
def test_every_answer_is_in_every_format(path: Path, english: Translator, tmp_path: Path) -> None:
    dialogue = load(path)
    result = run(dialogue, load_plan(plan_path(path)))
    assert result.failures == []
    views = Views(Engine(dialogue))
    draft = build(dialogue, views, result.state, english, WHEN, WHEN)
    source = formats.Source(draft, dialogue, views, result.state)
    rendered = {
        "text": formats.FORMATS["txt"].render(source, english).decode("utf-8"),
        "html": html.unescape(article(draft, english, tmp_path, CATALOGS)),
        "docx": _docx_text(formats.FORMATS["docx"].render(source, english)),
    }
    data = json.loads(formats.FORMATS["json"].render(source, english))
    jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)
    QuestionnaireResponse.model_validate(
        json.loads(formats.FORMATS["fhir.json"].render(source, english))
    )
    Questionnaire.model_validate(fhir_questionnaire.questionnaire(dialogue, english))
    # The dialogue's own sections, with its titles, in its order.
    titles = [s.title for s in draft.sections]
    assert [s["title"] for s in data["sections"]] == titles
    assert titles == [s.title for s in dialogue.sections if s.title in titles]
    # Every question answered, and every answer's words, in every format for people.
    answered = [
        (item.question, answer.text)
        for section in draft.sections
        for item in section.items
        for answer in item.answers
    ]
    assert answered, "the plan answered nothing"
    for name, words in rendered.items():
        missing = [(q, a) for q, a in answered if q not in words or a not in words]
        assert missing == [], f"{path.stem}: missing from the {name} draft"
    in_json = json.dumps(data, ensure_ascii=False)
    assert [a for _q, a in answered if json.dumps(a, ensure_ascii=False)[1:-1] not in in_json] == []
    # Every answer the plan gave to a question that applies is in the draft: none lost.
    applies = {row.step.key for row in views.rows(result.state)}
    said = {
        key
        for key, by_voice in result.state.answers.items()
        if key in applies and any(entry.status in SHOWN for entry in by_voice.values())
    }
    assert said - {i.key for s in draft.sections for i in s.items} == set()


def _docx_text(document: bytes) -> str:
    read = python_docx.Document(io.BytesIO(document))
    return "\n".join(p.text for p in read.paragraphs)
