"""Languages on the page: text in another language than the page is marked with its own
`lang` (WCAG 3.1.2), and plain language can be turned on and off from the header of every
page, without JavaScript, keeping every answer."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from assistant.i18n import Catalogs
from assistant.i18n.languages import TABLE
from assistant.settings import PROJECT_ROOT
from tests.browser.conftest import AXE, LiveServer, axe
from tests.browser.test_keyboard import focused, tab_to
from tests.browser.walk import post, prepare

pytestmark = pytest.mark.browser
# Words that are always in one language, whatever the page's: the names of the languages
# ("Suomeksi" in the header, "Suomi" in the settings and the draft's language menu).
AUTONYMS = {name: entry.code for entry in TABLE for name in (entry.switch, entry.name)}
# Every text node that is one of those names, with the language it is marked with.
MARKED = """(names) => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const found = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    if (text in names) found.push([text, node.parentElement.closest('[lang]').lang]);
  }
  return found;
}"""


def test_text_in_another_language_carries_its_lang(page: Page) -> None:
    prepare(page)
    for language in (entry.code for entry in TABLE):
        post(page, "/language", {"language": language, "next": "/"})
        for path in ("/settings", "/q/lives-with", "/draft"):
            page.goto(path)
            assert page.locator("html").get_attribute("lang") == language
            found = page.evaluate(MARKED, AUTONYMS)
            wrong = [(text, lang) for text, lang in found if lang != AUTONYMS[text]]
            assert wrong == [], f"{path} in {language}: text marked with the wrong language"
            # The header names each; the settings page and the draft's choice of language
            # name them again (and an English draft says "Language: English").
            expected = {"/settings": 2, "/q/lives-with": 1, "/draft": 2}[path] * len(TABLE)
            assert expected <= len(found) <= expected + 1, (path, found)


@pytest.mark.parametrize("javascript", [False, True], ids=["without-js", "with-js"])
def test_plain_language_from_the_header(
    browser: Browser, server: LiveServer, javascript: bool
) -> None:
    """From any page, by keyboard, with or without JavaScript: "Lättläst" turns plain Swedish
    on and stays on the same question, "Vanlig svenska" turns it off; the answers stay, the
    page stays Swedish. axe needs JavaScript (its timers do not run without it), so it checks
    the pages in the run with JavaScript; the whole matrix checks the header on every page."""
    context = browser.new_context(
        base_url=server.url, java_script_enabled=javascript, viewport={"width": 1280, "height": 900}
    )
    if javascript:
        context.add_init_script(path=str(AXE))
    page = context.new_page()
    try:
        prepare(page, "sv")
        catalogs = Catalogs(PROJECT_ROOT / "locales")
        standard, plain = catalogs.translator("sv"), catalogs.translator("sv@lattlast")
        # A button on this page whose words differ between the two: it tells which is shown.
        meeting = "Talk about this in the meeting"
        assert standard.gettext(meeting) != plain.gettext(meeting)
        page.goto("/q/lives-with")
        buttons = page.locator("main button")
        assert standard.gettext(meeting) in buttons.all_inner_texts()
        for to, words in (("Lättläst", plain), ("Vanlig svenska", standard)):
            tab_to(page, {"tag": "button", "text": to})
            with page.expect_navigation():
                page.keyboard.press("Enter")
            assert page.url == f"{server.url}/q/lives-with"
            assert page.locator("html").get_attribute("lang") == "sv"
            assert words.gettext(meeting) in buttons.all_inner_texts()
            assert focused(page)["id"] == "question"  # as after any page load
            if javascript:
                assert axe(page) == []
        page.goto("/review")
        review = page.locator("main").inner_text()
        assert "Huumorintajuni <script>alert(1)</script>" in review and "Anna" in review
    finally:
        context.close()
