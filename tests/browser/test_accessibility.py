"""axe-core (WCAG 2.0-2.2 A/AA) on every page type, in every language variant, in normal and
high contrast, at 320 px and at desktop width; reflow, text spacing and real audio."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.browser.conftest import axe, save
from tests.browser.walk import ERROR_PAGES, OTHER_PAGES, STEP_PAGES, prepare, show_errors

pytestmark = pytest.mark.browser
VARIANTS = [("fi", False), ("fi", True), ("sv", False), ("sv", True), ("en", False), ("en", True)]


@pytest.mark.parametrize("contrast", ["normal", "high"])
@pytest.mark.parametrize(
    ("language", "plain"), VARIANTS, ids=["fi", "fi@selko", "sv", "sv@lattlast", "en", "en@easy"]
)
def test_every_page_type_has_no_axe_violations(
    page: Page, language: str, plain: bool, contrast: str
) -> None:
    prepare(page, language, plain, contrast)
    variant = f"{language}{'-plain' if plain else ''}-{contrast}"
    problems = {}
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in STEP_PAGES + OTHER_PAGES:
            page.goto(path)
            problems[f"{name}@{width}"] = axe(page)
            if width == 320:
                assert page.evaluate("document.documentElement.scrollWidth") <= 320, (
                    f"{name} scrolls sideways at 320 px"
                )
            if variant == "fi-normal":
                save(page, f"{name}-{width}", screenshot=True)
        for name, path, fields in ERROR_PAGES:
            show_errors(page, path, fields)
            problems[f"{name}@{width}"] = axe(page)
            if variant == "fi-normal" and width == 1280:
                save(page, name)
    page.goto("/save")
    page.locator("form[action='/save'] button").click()
    problems["saved-code"] = axe(page)
    if variant == "fi-normal":
        save(page, "saved-code")
    assert {k: v for k, v in problems.items() if v} == {}


def test_text_at_200_percent_and_wcag_text_spacing_lose_nothing(page: Page) -> None:
    prepare(page)
    spacing = (
        "* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }"
        " p { margin-bottom: 2em !important; }"
    )
    for name, path in STEP_PAGES + OTHER_PAGES:
        page.goto(path)
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        # A style element made from script: add_style_tag would be refused by our CSP.
        page.evaluate(
            "(css) => { const s = document.createElement('style'); s.textContent = css; document.head.append(s); }",
            spacing,
        )
        clipped = page.evaluate(
            """() => [...document.querySelectorAll('main *')].filter(e => {
                 const s = getComputedStyle(e);
                 return (s.overflow === 'hidden' || s.overflowY === 'hidden') && e.scrollHeight > e.clientHeight + 1
                        && !e.classList.contains('visually-hidden');
               }).map(e => e.className || e.tagName)"""
        )
        assert clipped == [], f"{name}: text clipped with 200% text and spacing: {clipped}"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
            f"{name} scrolls sideways"
        )


def test_high_contrast_and_text_size_persist_for_the_conversation(
    context: BrowserContext, page: Page
) -> None:
    prepare(page, contrast="high")
    page.goto("/q/liked-for")
    assert "contrast-high" in (page.locator("html").get_attribute("class") or "")
    page.goto("/review")
    assert "contrast-high" in (page.locator("html").get_attribute("class") or "")


def test_listen_control_plays_real_speech_when_asked(page: Page) -> None:
    prepare(page)
    page.goto("/q/liked-for")
    audio = page.locator("audio#listen")
    assert audio.get_attribute("preload") == "none"
    assert page.evaluate("document.querySelector('audio#listen').paused")  # nothing plays by itself
    loaded = page.evaluate(
        """async () => {
             const a = document.querySelector('audio#listen');
             a.preload = 'auto'; a.load();
             await new Promise((ok, fail) => { a.oncanplaythrough = ok; a.onerror = () => fail(a.error && a.error.code); });
             const data = await (await fetch(a.src)).arrayBuffer();
             const decoded = await new OfflineAudioContext(1, 16000, 16000).decodeAudioData(data);
             const samples = decoded.getChannelData(0);
             let peak = 0; for (const s of samples) peak = Math.max(peak, Math.abs(s));
             return {duration: a.duration, ready: a.readyState, peak};
           }"""
    )
    assert loaded["ready"] == 4 and loaded["duration"] > 0.5 and loaded["peak"] > 0.05
