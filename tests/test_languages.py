"""The language table (assistant/i18n/languages.py) is whole, and is the only place a language
is listed: one added to the table alone can be chosen, is named in the header and the draft's
language menu, is asked for by browsers, and has its dates, voice and document tag."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import date

import pytest
from aiohttp.test_utils import TestClient
from babel import Locale
from babel.dates import format_date

from assistant.app import create_app
from assistant.i18n import languages
from assistant.i18n.languages import Language
from assistant.settings import PROJECT_ROOT, Settings
from assistant.speech import SpeechService, voice_and_rate
from tests.test_web_conversation import answer, begin, csrf
from tests.web.browser import Browser

TABLE = languages.TABLE
GERMAN = Language("de", "de@leicht", "de_DE", "de-DE", "Deutsch", "Auf Deutsch", "gmw/de")


def test_each_code_is_listed_once() -> None:
    locales = [locale for entry in TABLE for locale in entry.locales]
    assert len(set(locales)) == len(locales) == 2 * len(TABLE)


@pytest.mark.parametrize("entry", TABLE, ids=lambda entry: entry.code)
def test_each_language_is_whole(entry: Language) -> None:
    assert entry.plain.startswith(entry.code + "@")
    for locale in entry.locales:
        assert (PROJECT_ROOT / "locales" / locale / "LC_MESSAGES" / "messages.po").is_file()
    babel = Locale.parse(entry.babel)
    assert babel.language == entry.code
    tag = Locale.parse(entry.tag, sep="-")  # raises if it is not a tag Babel knows
    assert (tag.language, tag.territory) == (babel.language, babel.territory)
    # Named in itself: what Babel calls the language in that language.
    assert entry.name.casefold() == (babel.get_language_name() or "").casefold()
    assert "2027" in format_date(date(2027, 3, 1), entry.date_format, locale=entry.babel)


async def test_each_voice_is_one_espeak_offers(real: SpeechService) -> None:
    offered = {voice for voice, _name in real.voices()}
    assert [entry.voice for entry in TABLE if entry.voice not in offered] == []


async def test_a_language_added_to_the_table_alone_works_everywhere(
    monkeypatch: pytest.MonkeyPatch,
    aiohttp_client: Callable[..., Awaitable[TestClient]],
    settings: Settings,
) -> None:
    monkeypatch.setattr(languages, "TABLE", (*TABLE, GERMAN))
    browser = Browser(await aiohttp_client(create_app(settings)))
    # A browser asking for it gets it; the header names it, in itself, beside the others.
    response = await browser.client.get("/", headers={"Accept-Language": "de-AT, en;q=0.5"})
    page = await browser.read(response)
    assert '<html lang="de"' in page.html
    assert '<span class="current-language" lang="de" aria-current="true">Auf Deutsch</span>' in (
        page.html
    )
    assert 'value="sv" class="link-button" lang="sv">På svenska</button>' in page.html
    await begin(browser)  # in English: German is offered in the header
    assert 'value="de" class="link-button" lang="de">Auf Deutsch</button>' in browser.page.html
    await answer(browser)
    response = await browser.client.post(
        "/language", data={"csrf": csrf(browser), "language": "de", "next": "/draft"}
    )
    page = await browser.read(response)
    assert page.status == 200 and '<html lang="de"' in page.html
    # The draft's language menu offers it, and the draft's dates are written its way.
    assert '<option value="de" lang="de" selected>Deutsch</option>' in page.html
    assert format_date(date.today(), "long", locale="de_DE") in page.text
    # The settings page offers it, named in itself.
    settings_page = await browser.read(await browser.client.get("/settings"))
    assert re.search(
        r'<div class="choice" lang="de">\s*<input class="choice-input" type="radio" id="[\w-]+" '
        r'name="language" value="de"',
        settings_page.html,
    ), settings_page.html
    # It may be the default language, and it has a voice.
    assert Settings.from_env(default_language="de").default_language == "de"
    assert voice_and_rate("de@leicht", "normal")[0] == "gmw/de"
