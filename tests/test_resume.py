"""Resume codes: typed back the way people read or hear them, and wrong codes rate-limited
without locking out a place where many people share one address."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from tests.test_web_conversation import answer, begin
from tests.web.browser import Browser


async def saved_code(browser: Browser) -> tuple[str, str]:
    """The code as the saved page shows it, and as it says it to screen readers."""
    await begin(browser)
    await answer(browser)
    await answer(browser, {"answer": "Aino"})
    await browser.get("/save")
    page = await browser.submit(action="/save")
    shown = re.search(r'class="resume-code" aria-hidden="true">([^<]+)<', page.html)
    spoken = re.search(r'class="visually-hidden">Your code is: ([^<]+)<', page.html)
    assert shown and spoken, page.html
    return shown.group(1), spoken.group(1)


async def resumes(browser: Browser, typed: str) -> bool:
    """On another device: no cookies."""
    browser.client.session.cookie_jar.clear()
    await browser.get("/resume")
    page = await browser.submit({"code": typed})
    return page.heading.endswith("What are you good at?")


TYPINGS: dict[str, Callable[[str, str], str]] = {
    "as shown": lambda shown, spoken: shown,
    "as heard, with the commas": lambda shown, spoken: spoken,
    "as heard, in lower case": lambda shown, spoken: spoken.lower(),
    "with no-break and thin spaces": lambda shown, spoken: spoken.replace(" ", "\u00a0").replace(
        ",", ",\u2009"
    ),
    "with periods and dashes": lambda shown, spoken: spoken.replace(",", ".").replace(" ", "-"),
    "in one piece, with O for 0": lambda shown, spoken: shown.replace("-", "").replace("0", "O"),
    "with an en dash and a tab": lambda shown, spoken: shown.replace("-", " \u2013\t"),
}


@pytest.mark.parametrize("typing", TYPINGS)
async def test_the_code_works_typed_back_as_shown_or_as_heard(
    browser: Browser, typing: str
) -> None:
    shown, spoken = await saved_code(browser)
    assert re.fullmatch(r"(\w{4}-){2}\w{4}", shown)
    assert re.fullmatch(r"(\w( \w){3}, ){2}\w( \w){3}", spoken)
    assert await resumes(browser, TYPINGS[typing](shown, spoken))


async def test_a_code_with_a_wrong_character_does_not_work(browser: Browser) -> None:
    shown, _spoken = await saved_code(browser)
    wrong = shown[:-1] + ("X" if shown[-1] != "X" else "Y")
    assert not await resumes(browser, wrong)
    assert browser.page and "Tämä koodi ei toimi" in browser.page.text  # Finnish: the default
    assert not await resumes(browser, shown + "+")  # a symbol is not a separator
    assert await resumes(browser, shown)
