"""Languages on the page: text in another language than the page is marked with its own
`lang` (WCAG 3.1.2)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.walk import post, prepare

pytestmark = pytest.mark.browser
# Words that are always in one language, whatever the page's: the names of the languages.
AUTONYMS = {
    "Suomeksi": "fi",
    "Suomi": "fi",
    "På svenska": "sv",
    "Svenska": "sv",
    "In English": "en",
    "English": "en",
}
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
    for language in ("fi", "sv", "en"):
        post(page, "/language", {"language": language, "next": "/"})
        for path in ("/settings", "/q/lives-with", "/draft"):
            page.goto(path)
            assert page.locator("html").get_attribute("lang") == language
            found = page.evaluate(MARKED, AUTONYMS)
            wrong = [(text, lang) for text, lang in found if lang != AUTONYMS[text]]
            assert wrong == [], f"{path} in {language}: text marked with the wrong language"
            # The header names all three; the settings page and the draft's choice of
            # language name them again.
            assert len(found) == (6 if path != "/q/lives-with" else 3), (path, found)
