"""Everything a person types is inert in every format: script, event handlers, javascript:
URLs, spreadsheet formulas, control characters and bidirectional overrides, typed into every
free-text field of a whole conversation through the real server."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import docx as python_docx
import pytest
from fhir.resources.questionnaireresponse import QuestionnaireResponse

from assistant.dialogue.answers import clean_text
from assistant.dialogue.engine import Engine
from assistant.dialogue.loader import load
from assistant.dialogue.state import Entry, Respondent
from assistant.dialogue.views import Views
from assistant.draft import docx, fhir, jsonfmt, text
from assistant.draft.model import build
from assistant.i18n import Catalogs
from assistant.settings import PROJECT_ROOT
from tests.test_draft import article
from tests.test_web_conversation import answer, begin
from tests.web.browser import Browser

PAYLOADS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    '=HYPERLINK("http://e.example","x")',
    "+cmd|' /C calc'!A0",
    "-1+1",
    "@SUM(1+1)",
    "a\x07b\x1bc\x0bd\x7fe\x85",  # (a NUL the forms refuse: 400)
    "abc\u202edcba\u2066x\u200f",
)
# What no format may carry: control characters (but line ends) and bidirectional controls.
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f]")


class _Scan(HTMLParser):
    """What in a page could run: inline scripts, event handlers, javascript: URLs."""

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
            if k in ("href", "src", "action", "formaction")
            and (v or "").strip().lower().startswith("javascript:")
        ]


def assert_inert_html(html: str) -> None:
    scan = _Scan()
    scan.feed(html)
    assert (scan.scripts, scan.handlers, scan.javascript_urls) == (0, [], [])
    assert not UNSAFE.search(html)


def strings(data: Any, skip: str = "") -> str:
    """Every string in a JSON document, one a line, as a reader of the data would see them
    (but those under the key `skip`)."""
    if isinstance(data, str):
        return data + "\n"
    if isinstance(data, dict):
        return "".join(strings(v, skip) for k, v in data.items() if k != skip)
    if isinstance(data, list):
        return "".join(strings(v, skip) for v in data)
    return ""


def docx_text_and_parts(body: bytes) -> str:
    """The document's text, after checking it holds only text: no fields, links or pictures."""
    package = zipfile.ZipFile(io.BytesIO(body))
    xml = package.read("word/document.xml").decode("utf-8")
    for active in ("<w:hyperlink", "<w:fldSimple", "<w:instrText", "<w:drawing", "<w:object"):
        assert active not in xml, active
    for name in package.namelist():
        if name.endswith(".rels"):
            assert b'TargetMode="External"' not in package.read(name), name
    assert not UNSAFE.search(xml)
    document = python_docx.Document(io.BytesIO(body))
    return "\n".join(p.text for p in document.paragraphs)


async def _every_free_text_field(browser: Browser, payload: str) -> list[str]:
    """A whole conversation with the payload in every free-text field, each field's copy
    marked (~1 … ~7) so each can be found; the marked values, as the service keeps them."""
    marked = [f"{payload}~{n}" for n in range(1, 8)]
    await begin(browser, role="helped", who=marked[0])  # who is helping
    await answer(browser)
    await answer(browser, {"answer": marked[1]})  # name: short text, piped into a question
    await answer(browser, {"answer": marked[2]})  # good-at: long text
    await answer(browser, {"answer": "yes"})
    await answer(browser, {"answer": marked[3]})  # work-place
    await answer(browser, {"answer": ["walk", "something-else"], "other": marked[4]})
    await answer(browser, {"answer": "family"})
    await answer(browser, {"answer": "mostly"})
    await answer(browser, {"day": "1", "month": "3", "year": "2027"})
    await answer(browser, {"answer": "12"})
    await answer(browser, {"add": "yes"})
    await answer(browser, {"answer": marked[5]})  # a person's name: the item's title
    await answer(browser, {"answer": marked[6]}, button="Talk about this in the meeting")
    await answer(browser, {"answer": "yes"})
    await answer(browser, {"add": "no"})
    assert browser.page is not None and browser.page.heading == "Check your answers"
    return [clean_text(m) for m in marked]


@pytest.mark.parametrize("payload", PAYLOADS)
async def test_payloads_in_every_free_text_field_stay_inert_in_every_format(
    browser: Browser, payload: str
) -> None:
    kept = await _every_free_text_field(browser, payload)
    review = browser.page
    assert review is not None
    assert_inert_html(review.html)
    page = await browser.get("/draft?lang=en")
    assert page.status == 200
    assert_inert_html(page.html)
    words = docx_text_and_parts(await (await browser.client.get("/draft.docx")).read())
    plain = await (await browser.client.get("/draft.txt")).text()
    # Plain text is for pasting, not a spreadsheet: the words stay as typed (docs/draft.md).
    assert "\t" not in plain and not UNSAFE.search(plain.replace("\r\n", "\n"))
    data = strings(await (await browser.client.get("/draft.json")).json())
    response = await browser.client.get("/draft.fhir.json")
    resource = await response.json(content_type=None)
    QuestionnaireResponse.model_validate(resource)
    for value in kept:
        assert value in review.text, value
        assert value in page.text, value
        assert value in words, value
        assert value in plain, value
        assert value in data, value
    # FHIR holds the answers and who helped; the name is in the answers, not in questions.
    fhir_strings = strings(resource)
    assert all(value in fhir_strings for value in kept[:6])


def test_renderers_clean_what_reaches_them_uncleaned(tmp_path: Path) -> None:
    """The draft does not rely on the forms: characters that input cleaning removes are removed
    again if a stored answer holds them."""
    dialogue = load(PROJECT_ROOT / "tests" / "web" / "every-kind.yaml")
    engine = Engine(dialogue)
    state = engine.start()
    raw = "x\x00y\u202ez\x1b" + PAYLOADS[0]
    helper = Respondent("helped", "sis\u202eter\x07")
    state.answers["name"] = {"client": Entry("answered", helper, raw)}
    state.answers["good-at"] = {"proxy": Entry("answered", Respondent("proxy", raw), raw)}
    catalogs = Catalogs(PROJECT_ROOT / "locales")
    t = catalogs.translator("en")
    when = datetime(2026, 11, 22, tzinfo=UTC)
    draft = build(dialogue, Views(engine), state, t, when, when)
    cleaned = clean_text(raw)
    assert cleaned == "xyz" + PAYLOADS[0]
    html = article(draft, t, tmp_path, catalogs)
    assert_inert_html(html)
    plain = text.render(draft, t)
    assert cleaned in plain and "sister" in plain and not UNSAFE.search(plain)
    assert cleaned in docx_text_and_parts(docx.render(draft, t))
    # JSON: every text is cleaned; `value` is documented as stored (and JSON-escaped).
    texts = strings(jsonfmt.render(draft), skip="value")
    assert cleaned in texts and not UNSAFE.search(texts)
    resource = fhir.questionnaire_response(dialogue, Views(engine), state, t, when, False)
    QuestionnaireResponse.model_validate(resource)
    assert not UNSAFE.search(json.dumps(resource, ensure_ascii=False))
