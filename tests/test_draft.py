"""The draft for the caseworker, in every format, from the shipped dialogue's test plan."""

from __future__ import annotations

import io
import json
import os
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import docx as python_docx
import jsonschema
import pytest
from fhir.resources.questionnaire import Questionnaire
from fhir.resources.questionnaireresponse import QuestionnaireResponse

from assistant.dialogue.engine import Engine
from assistant.dialogue.loader import load
from assistant.dialogue.state import Respondent
from assistant.dialogue.views import Views
from assistant.draft import docx, fhir, fhir_questionnaire, jsonfmt, text
from assistant.draft.model import Draft, build
from assistant.i18n import Catalogs, Translator
from assistant.settings import PROJECT_ROOT
from assistant.testplan import load_plan, plan_path, run
from tests.test_web_conversation import answer, begin
from tests.web.browser import Browser

DIALOGUE = PROJECT_ROOT / "dialogues" / "wishes-and-needs.yaml"
GOLDEN = Path(__file__).parent / "golden"
WHEN = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
PAYLOADS = (
    "<script>alert(1)</script>",
    '" onmouseover="alert(1)" x="',
    "javascript:alert(1)",
    '=HYPERLINK("http://evil")',
    "a\x07b\x1bc\x0bd",
)


@pytest.fixture(scope="module")
def english() -> Translator:
    return Catalogs(PROJECT_ROOT / "locales").translator("en")


@pytest.fixture(scope="module")
def planned(english: Translator) -> tuple[Draft, Views, object]:
    dialogue = load(DIALOGUE)
    result = run(dialogue, load_plan(plan_path(DIALOGUE)))
    assert result.failures == []
    views = Views(Engine(dialogue))
    return build(dialogue, views, result.state, english, WHEN, WHEN), views, result.state


def golden(name: str, content: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") or not path.exists():
        path.parent.mkdir(exist_ok=True)
        path.write_text(content, encoding="utf-8")
    assert content == path.read_text(encoding="utf-8"), (
        f"{name} changed: run with UPDATE_GOLDEN=1 and review the diff"
    )


def test_plain_text_golden(planned: tuple[Draft, Views, object], english: Translator) -> None:
    draft = planned[0]
    rendered = text.render(draft, english)
    golden("draft.txt", rendered.replace("\r\n", "\n"))
    assert "\t" not in rendered and all(len(line) <= 78 for line in rendered.splitlines())
    assert "With help from my sister" in rendered


def test_json_golden_and_schema(planned: tuple[Draft, Views, object]) -> None:
    data = jsonfmt.render(planned[0])
    golden("draft.json", json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    schema = json.loads((PROJECT_ROOT / "docs" / "draft-schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
    assert data["schema_version"] == 1 and data["status"] == "completed"
    team = next(i for s in data["sections"] for i in s["items"] if i["key"] == "team")
    assert [p["name"] for p in team["people"]] == ["Anna", "Mother"]
    assert team["people"][0]["by"]["text"] == "With help from my sister"
    # The name is the person's title: it is not repeated as an answer under them.
    assert all(d["key"] != "team.name" for p in team["people"] for d in p["details"])


def test_agenda_lists_every_flagged_topic(planned: tuple[Draft, Views, object]) -> None:
    assert [i.key for i in planned[0].agenda] == ["hard-now"]


def test_skipped_questions_are_listed_as_not_answered_never_invented(
    planned: tuple[Draft, Views, object],
) -> None:
    everyday = next(s for s in planned[0].sections if s.id == "everyday-life")
    assert "Does anything about your health affect your everyday life?" in everyday.not_answered
    assert all(i.key != "health" for i in everyday.items)


def test_fhir_validates_and_names_who_answered(
    planned: tuple[Draft, Views, object], english: Translator
) -> None:
    draft, views, state = planned
    dialogue = load(DIALOGUE)
    response = fhir.questionnaire_response(dialogue, views, state, english, WHEN, draft.completed)  # type: ignore[arg-type]
    QuestionnaireResponse.model_validate(response)
    Questionnaire.model_validate(fhir_questionnaire.questionnaire(dialogue, english))
    golden("draft.fhir.json", json.dumps(response, ensure_ascii=False, indent=2) + "\n")
    assert response["status"] == "completed" and response["source"] == {"reference": "#client"}
    dates = [i for i in response["item"] if i["linkId"] == "meeting-date"]
    assert dates[0]["answer"] == [{"valueDate": "2027-03-01"}]


def test_both_voices_are_shown_client_first(english: Translator) -> None:
    dialogue = load(DIALOGUE)
    engine = Engine(dialogue)
    state = engine.start(Respondent("proxy", "my father"))
    state = engine.submit(state, "continue", {}).state
    state = engine.submit(state, "continue", {"answer": ["He is kind."]}).state
    state = engine.set_respondent(engine.change(state, "liked-for"), Respondent("client"))
    state = engine.submit(state, "continue", {"answer": ["I am funny."]}).state
    draft = build(dialogue, Views(engine), state, english, WHEN, WHEN)
    item = next(i for s in draft.sections for i in s.items if i.key == "liked-for")
    assert [(a.text, a.by) for a in item.answers] == [
        ("I am funny.", "In my own words"),
        ("He is kind.", "Answered for me by my father"),
    ]


class _Scan(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts = 0
        self.handlers: list[str] = []
        self.javascript_urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kinds = dict(attrs)
        # Our own pages have one data block (type application/json, never executed) and
        # same-origin script files; anything else inline would have come from a payload.
        self.scripts += (
            tag == "script" and "src" not in kinds and kinds.get("type") != "application/json"
        )
        self.handlers += [k for k, _ in attrs if k.startswith("on")]
        self.javascript_urls += [
            v or ""
            for k, v in attrs
            if k in ("href", "src", "action")
            and (v or "").strip().lower().startswith("javascript:")
        ]


async def test_payloads_stay_inert_in_every_format(browser: Browser) -> None:
    await begin(browser)
    await answer(browser)
    await answer(browser, {"answer": PAYLOADS[1][:40]})
    await answer(browser, {"answer": "\n".join(PAYLOADS)})
    page = await browser.get("/draft?lang=en")
    assert page.status == 200 and "Your draft" in page.text
    scan = _Scan()
    scan.feed(page.html)
    assert scan.scripts == 0 and scan.handlers == [] and scan.javascript_urls == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.html
    document = python_docx.Document(
        io.BytesIO(await (await browser.client.get("/draft.docx")).read())
    )
    words = "\n".join(p.text for p in document.paragraphs)
    assert "<script>alert(1)</script>" in words and "abcd" in words  # control characters removed
    plain = await (await browser.client.get("/draft.txt")).text()
    assert "<script>alert(1)</script>" in plain and "\x00" not in plain
    data = await (await browser.client.get("/draft.json")).json()
    assert any(
        "=HYPERLINK" in a["text"]
        for s in data["sections"]
        for i in s["items"]
        for a in i["answers"]
    )
    response = await browser.client.get("/draft.fhir.json")
    QuestionnaireResponse.model_validate(await response.json(content_type=None))
    assert response.headers["Content-Disposition"].startswith("attachment;")


def test_docx_drops_characters_xml_cannot_hold(
    planned: tuple[Draft, Views, object], english: Translator
) -> None:
    from dataclasses import replace

    draft = replace(planned[0], title="Oma\x00 ääni\x1f")
    document = python_docx.Document(io.BytesIO(docx.render(draft, english)))
    assert document.paragraphs[0].text == "Oma ääni"
    assert document.paragraphs[0].style.name == "Heading 1"
    assert document.core_properties.author == "Oma ääni"


async def test_the_draft_language_is_chosen_apart_from_the_conversation(browser: Browser) -> None:
    await begin(browser)
    await answer(browser)
    await answer(browser, {"answer": "Äidin kanssa"})
    page = await browser.get("/draft?lang=sv")
    assert 'lang="sv"' in page.html and "Äidin kanssa" in page.text
    assert page.parsed.lang == "en"  # the page around it stays in the conversation's language


async def test_questionnaire_is_served_without_a_session(client) -> None:  # type: ignore[no-untyped-def]
    response = await client.get("/questionnaire.fhir.json")
    Questionnaire.model_validate(await response.json(content_type=None))
