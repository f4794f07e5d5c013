"""The draft for the caseworker, in every format, from the shipped dialogue's test plan: golden
files, who gave each answer, when it was made, the meeting agenda, an empty draft."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree

import docx as python_docx
import jsonschema
import pytest
from _pytest.outcomes import Failed
from fhir.resources.questionnaire import Questionnaire
from fhir.resources.questionnaireresponse import QuestionnaireResponse

from assistant.dialogue.engine import Engine
from assistant.dialogue.loader import load
from assistant.dialogue.state import Respondent, State
from assistant.dialogue.views import Views
from assistant.draft import docx, fhir, fhir_questionnaire, jsonfmt, text
from assistant.draft.model import Draft, build
from assistant.i18n import Catalogs, Translator
from assistant.settings import PROJECT_ROOT, Settings
from assistant.testplan import load_plan, plan_path, run
from assistant.web.draft_views import change_links
from assistant.web.render import Renderer
from tests.goldens import golden
from tests.test_web_conversation import answer, begin
from tests.web.browser import Browser

DIALOGUE = PROJECT_ROOT / "dialogues" / "wishes-and-needs.yaml"
WHEN = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
Planned = tuple[Draft, Views, State]


@pytest.fixture(scope="module")
def catalogs() -> Catalogs:
    return Catalogs(PROJECT_ROOT / "locales")


@pytest.fixture(scope="module")
def english(catalogs: Catalogs) -> Translator:
    return catalogs.translator("en")


@pytest.fixture(scope="module")
def planned(english: Translator) -> Planned:
    dialogue = load(DIALOGUE)
    result = run(dialogue, load_plan(plan_path(DIALOGUE)))
    assert result.failures == []
    views = Views(Engine(dialogue))
    return build(dialogue, views, result.state, english, WHEN, WHEN), views, result.state


def article(draft: Draft, t: Translator, tmp_path: Path, catalogs: Catalogs) -> str:
    """The draft page's article, from the component the page uses, in an English page."""
    renderer = Renderer(Settings.from_env(data_dir=tmp_path), catalogs)
    template = renderer.environments["en"].from_string(
        '{% from "components/draft_article.html" import draft_article %}{{ draft_article(p) }}'
    )
    params = {"draft": draft, "d": t, "change": change_links(draft), "lang": "en"}
    return template.render(p={**params, "questions_url": "/q/welcome"})


def docx_outline(document: bytes) -> str:
    """The document as Word shows its structure: each paragraph's style, then its text."""
    read = python_docx.Document(io.BytesIO(document))
    return "".join(f"{p.style.name}: {p.text}\n" for p in read.paragraphs)


def test_a_missing_golden_file_is_written_and_fails_the_test(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("UPDATE_GOLDEN", raising=False)
    with pytest.raises(Failed, match="review it, commit it"):
        golden("new.txt", "content\n", tmp_path)
    assert (tmp_path / "new.txt").read_text(encoding="utf-8") == "content\n"
    golden("new.txt", "content\n", tmp_path)  # once there, the same content passes
    with pytest.raises(AssertionError, match="changed"):
        golden("new.txt", "other\n", tmp_path)


def test_plain_text_golden(planned: Planned, english: Translator) -> None:
    rendered = text.render(planned[0], english)
    golden("draft.txt", rendered.replace("\r\n", "\n"))
    # Never wrapped: the note is one line, however long, for the system it is pasted into.
    assert "\t" not in rendered and planned[0].note in rendered.splitlines()
    # Every answer is the client's with help from their sister: the note says so once.
    assert "(The client, with help from my sister)" not in rendered


def test_html_article_golden(planned: Planned, english: Translator, tmp_path: Path) -> None:
    catalogs = Catalogs(PROJECT_ROOT / "locales")
    html = article(planned[0], english, tmp_path, catalogs)
    golden("draft.html", html.strip() + "\n")
    assert 'lang="en"' in html and "(The client, with help from my sister)" not in html


def test_docx_golden_text_and_headings(planned: Planned, english: Translator) -> None:
    outline = docx_outline(docx.render(planned[0], english))
    golden("draft.docx.txt", outline)
    headings = [line for line in outline.splitlines() if line.startswith("Heading 1")]
    headings += [line for line in outline.splitlines() if line.startswith("Heading 2")]
    assert headings[:5] == [
        "Heading 1: My wishes and needs",
        "Heading 2: To arrange before the meeting",
        "Heading 2: The client's own questions",
        "Heading 2: To talk about in the meeting",
        "Heading 2: About me",
    ]


def test_json_golden_and_schema(planned: Planned) -> None:
    data = jsonfmt.render(planned[0])
    golden("draft.json", json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    schema = json.loads((PROJECT_ROOT / "docs" / "draft-schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
    assert data["schema_version"] == 3 and data["$schema"] == schema["$id"]
    assert data["status"] == "completed" and data["meeting_date"] == "2027-03-01"
    team = next(i for s in data["sections"] for i in s["items"] if i["key"] == "team")
    assert [p["title"] for p in team["items"]] == ["Anna", "Mother"]
    assert team["items"][0]["by"]["text"] == "The client, with help from my sister"
    # The name is the person's title: it is not repeated as an answer under them.
    assert all(d["key"] != "team.name" for p in team["items"] for d in p["details"])


def test_fhir_goldens_validate(planned: Planned, english: Translator) -> None:
    draft, views, state = planned
    dialogue = load(DIALOGUE)
    response = fhir.questionnaire_response(dialogue, views, state, english, WHEN, draft.completed)
    QuestionnaireResponse.model_validate(response)
    golden("draft.fhir.json", json.dumps(response, ensure_ascii=False, indent=2) + "\n")
    questionnaire = fhir_questionnaire.questionnaire(dialogue, english)
    Questionnaire.model_validate(questionnaire)
    golden(
        "questionnaire.fhir.json", json.dumps(questionnaire, ensure_ascii=False, indent=2) + "\n"
    )


def test_agenda_lists_every_flagged_topic(planned: Planned) -> None:
    assert [i.key for i in planned[0].agenda] == ["hard-now"]


def test_skipped_questions_are_listed_as_not_answered_never_invented(planned: Planned) -> None:
    everyday = next(s for s in planned[0].sections if s.id == "everyday-life")
    assert "Does anything about your health affect your everyday life?" in everyday.not_answered
    assert all(i.key != "health" for i in everyday.items)


def _conversation(*steps: tuple[Respondent, str, str]) -> tuple[Engine, State]:
    """liked-for and good-at answered by the given voices, in order."""
    engine = Engine(load(DIALOGUE))
    state = engine.start(steps[0][0] if steps else Respondent())
    for by, key, words in steps:
        state = engine.set_respondent(engine.change(state, key, returning=False), by)
        state = engine.submit(state, "continue", {"answer": [words]}).state
    return engine, state


def _draft(engine: Engine, state: State, t: Translator) -> Draft:
    return build(engine.dialogue, Views(engine), state, t, WHEN, WHEN)


def _by(draft: Draft, key: str) -> list[tuple[str, str]]:
    item = next(i for s in draft.sections for i in s.items if i.key == key)
    return [(a.text, a.by) for a in item.answers]


def test_every_answer_says_who_gave_it_in_words_a_caseworker_understands(
    english: Translator,
) -> None:
    engine, state = _conversation(
        (Respondent("proxy", "my father"), "liked-for", "He is kind."),
        (Respondent("client"), "liked-for", "I am funny."),
        (Respondent("helped", "my sister"), "good-at", "Baking."),
    )
    state = engine.submit(state, "dont-know", {}).state  # matters, still with help
    draft = _draft(engine, state, english)
    # Both voices, the client's first.
    assert _by(draft, "liked-for") == [
        ("I am funny.", "The client's own answer"),
        ("He is kind.", "Answered for the client by my father"),
    ]
    assert _by(draft, "good-at") == [("Baking.", "The client, with help from my sister")]
    # A ticked box or "I don't know" is nobody's "own words": it says who gave it.
    assert _by(draft, "matters") == [("I don't know", "The client, with help from my sister")]
    rendered = text.render(draft, english)
    assert "own words" not in rendered.lower()


@pytest.mark.parametrize(
    ("voices", "says", "never"),
    [
        (
            [Respondent("client")],
            "All answers are the client's own.",
            "for the client",
        ),
        (
            [Respondent("helped", "my sister")],
            "All answers were given by the client with help from my sister.",
            "client's own",
        ),
        (
            [Respondent("client"), Respondent("proxy", "her son")],
            "Some answers are the client's own. Some answers were given for the client by her son.",
            "All answers",
        ),
        (
            [Respondent("proxy", "her son"), Respondent("proxy", "a neighbour")],
            "All answers were given for the client by a neighbour and her son.",
            "client's own",
        ),
        (
            [Respondent("client"), Respondent("helped", "Anna")],
            "Some answers were given by the client with help from Anna.",
            "All answers",
        ),
    ],
)
def test_the_note_is_true_to_the_mix_of_voices(
    english: Translator, voices: list[Respondent], says: str, never: str
) -> None:
    keys = ("liked-for", "good-at")
    engine, state = _conversation(
        *((by, key, "Yes.") for by, key in zip(voices, keys[: len(voices)], strict=True))
    )
    note = _draft(engine, state, english).note
    assert note.startswith("This draft was made with Oma ääni before the meeting.")
    assert says in note and never not in note


def test_the_date_is_when_it_was_made_and_the_meeting_date_is_labelled(
    planned: Planned, english: Translator
) -> None:
    dialogue = load(DIALOGUE)
    later = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    draft = build(dialogue, planned[1], planned[2], english, WHEN, later)
    assert (
        draft.dated == "Draft for my meeting. Made on 22 November 2026, updated on 1 December 2026."
    )
    for rendered in (
        text.render(draft, english),
        docx_outline(docx.render(draft, english)),
    ):
        assert draft.dated in rendered
        assert "Meeting date: 1 March 2027" in rendered
        assert "Language of the draft: English" in rendered
        assert "This draft was made with Oma ääni" in rendered
    assert "Draft for my meeting, " not in text.render(draft, english)


def test_the_draft_says_its_language_in_its_own_words(planned: Planned, catalogs: Catalogs) -> None:
    swedish = catalogs.translator("sv")
    draft = build(load(DIALOGUE), planned[1], planned[2], swedish, WHEN, WHEN)
    assert ("Utkastets språk", "svenska") in draft.facts
    assert ("Mötets datum", "1 mars 2027") in draft.facts


def test_docx_properties_are_the_drafts_and_nothing_of_the_template(
    planned: Planned, english: Translator
) -> None:
    later = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    draft = replace(planned[0], updated=later)
    body = docx.render(draft, english)
    properties = python_docx.Document(io.BytesIO(body)).core_properties
    assert properties.title == "My wishes and needs"
    assert properties.language == "en-GB"
    assert properties.author == properties.last_modified_by == "Oma ääni"
    assert properties.created == WHEN and properties.modified == later
    assert properties.comments == "" and properties.revision == 1
    package = zipfile.ZipFile(io.BytesIO(body))
    assert not [n for n in package.namelist() if "thumbnail" in n]
    assert b"thumbnail" not in package.read("_rels/.rels")
    assert b"python-docx" not in package.read("docProps/core.xml")
    # The application that wrote it is ours, not the Word that made python-docx's template.
    application = ElementTree.fromstring(package.read("docProps/app.xml"))
    assert [e.text for e in application if e.tag.endswith("}Application")] == ["Oma ääni"]
    assert b"Microsoft" not in package.read("docProps/app.xml")


def test_docx_drops_characters_xml_cannot_hold(planned: Planned, english: Translator) -> None:
    draft = replace(planned[0], title="Oma\x00 ääni\x1f")
    document = python_docx.Document(io.BytesIO(docx.render(draft, english)))
    assert document.paragraphs[0].text == "Oma ääni"
    assert document.paragraphs[0].style.name == "Heading 1"


async def test_a_topic_about_a_person_in_a_list_is_on_the_agenda(browser: Browser) -> None:
    await begin(browser)
    await browser.get("/q/team")
    await answer(browser, {"add": "yes"})
    await answer(browser, {"answer": "Anna"})
    await answer(browser, {"answer": "Money"}, button="Talk about this in the meeting")
    plain = await (await browser.client.get("/draft.txt?lang=en")).text()
    agenda = plain.split("To talk about in the meeting")[1].split("\r\n\r\n")[0]
    assert "- Anna: What does Anna help you with?" in agenda
    data = await (await browser.client.get("/draft.json?lang=en")).json()
    assert [(i["key"], i["item_id"]) for i in data["for_meeting"]] == [("team.helps-with", "i1")]


async def test_an_empty_draft_says_so_and_leads_back_to_the_questions(browser: Browser) -> None:
    await begin(browser)
    page = await browser.get("/draft?lang=en")
    assert "Nothing has been answered yet." in page.text
    assert page.link("Go to the questions") == "/q/welcome"
    plain = await (await browser.client.get("/draft.txt?lang=en")).text()
    assert "Nothing has been answered yet." in plain
    body = await (await browser.client.get("/draft.docx?lang=en")).read()
    assert "Normal: Nothing has been answered yet." in docx_outline(body)


async def test_the_draft_language_is_chosen_apart_from_the_conversation(browser: Browser) -> None:
    await begin(browser)
    await answer(browser)
    await answer(browser, {"answer": "Äidin kanssa"})
    page = await browser.get("/draft?lang=sv")
    assert 'lang="sv"' in page.html and "Äidin kanssa" in page.text
    assert "Utkastets språk: svenska" in " ".join(page.text.split())
    assert page.parsed.lang == "en"  # the page around it stays in the conversation's language


async def test_questionnaire_is_served_without_a_session(client) -> None:  # type: ignore[no-untyped-def]
    response = await client.get("/questionnaire.fhir.json")
    Questionnaire.model_validate(await response.json(content_type=None))
