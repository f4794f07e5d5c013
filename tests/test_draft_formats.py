"""The draft formats registry: every format downloads from its address with its media type and a
file name, the draft page lists each, an unknown one is a 404, and a format added to the
registry alone is downloadable and listed."""

from __future__ import annotations

import re

import pytest

from assistant.draft import formats
from assistant.draft.formats import Format, Source
from assistant.i18n import Translator
from assistant.settings import PROJECT_ROOT
from tests.test_web_conversation import answer, begin
from tests.web.browser import Browser


async def answered(browser: Browser) -> None:
    await begin(browser)
    await answer(browser)  # information step
    await answer(browser, {"answer": "Aino"})


@pytest.mark.parametrize("extension", list(formats.FORMATS))
async def test_every_format_downloads_with_its_type_and_a_file_name(
    browser: Browser, extension: str
) -> None:
    await answered(browser)
    found = formats.FORMATS[extension]
    response = await browser.client.get(f"/draft.{extension}?lang=en")
    assert response.status == 200
    assert response.content_type == found.media_type
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="oma-aani-')
    assert disposition.endswith(f'.{extension}"')
    body = await response.read()
    if extension in ("txt", "json", "fhir.json"):
        assert "Aino" in body.decode("utf-8")
    page = await browser.get("/draft?lang=en")
    assert page.link(found.label) == f"/draft.{extension}?lang=en"


async def test_an_unknown_format_is_not_found(browser: Browser) -> None:
    await answered(browser)
    response = await browser.client.get("/draft.exe?lang=en")
    assert response.status == 404
    assert "text/html" in response.headers["Content-Type"]  # the error page, not a download
    assert "Content-Disposition" not in response.headers


def _shouting(source: Source, t: Translator) -> bytes:
    return source.draft.title.upper().encode("utf-8")


def _shouting_all(sources: list[Source], t: Translator) -> bytes:
    return b" ".join(_shouting(s, t) for s in sources)


@pytest.mark.parametrize("for_systems", [False, True])
async def test_a_format_added_to_the_registry_is_listed_and_downloads(
    browser: Browser, monkeypatch: pytest.MonkeyPatch, for_systems: bool
) -> None:
    added = Format(
        "shout.txt", "text/x-shout", "Shouted title", _shouting, _shouting_all, for_systems
    )
    monkeypatch.setitem(formats.FORMATS, added.extension, added)
    await answered(browser)
    page = await browser.get("/draft?lang=en")
    assert page.link("Shouted title") == "/draft.shout.txt?lang=en"
    # Listed with the formats of its kind: for people before the print advice, for systems after.
    before, after = page.html.split("To print, use your browser")
    assert ("Shouted title" in after) is for_systems and (
        "Shouted title" in before
    ) is not for_systems
    response = await browser.client.get("/draft.shout.txt?lang=en")
    assert response.status == 200 and response.content_type == "text/x-shout"
    assert await response.text() == "EVERY KIND OF STEP"
    assert response.headers["Content-Disposition"].endswith('.shout.txt"')


def test_the_draft_document_lists_every_format() -> None:
    table = (PROJECT_ROOT / "docs" / "draft.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| `/draft\.([a-z.]+)` \|", table, re.M)
    assert sorted(listed) == sorted(formats.FORMATS)
