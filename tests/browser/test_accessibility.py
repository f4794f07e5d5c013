"""axe-core (WCAG 2.0-2.2 A/AA) on every page type, in every language variant, in normal and
high contrast (7:1), in the dark colour scheme, at 320 px and at desktop width; reflow, text
spacing and real audio."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.browser.conftest import LAYOUT_RULES, add_css, axe, save
from tests.browser.walk import ERROR_PAGES, OTHER_PAGES, STEP_PAGES, prepare, show_errors

pytestmark = pytest.mark.browser
SCREENSHOT_VARIANTS = {"fi-normal", "fi-high", "fi-dark-normal", "fi-dark-high"}
VARIANTS = [("fi", False), ("fi", True), ("sv", False), ("sv", True), ("en", False), ("en", True)]


def check_every_page_type(page: Page, variant: str, enhanced_contrast: bool) -> None:
    """axe on every page type and error state at desktop width, then at 320 px, where the page
    must not scroll sideways. The DOM is the same at both widths, so at 320 px only the rules
    that depend on layout run again. Some variants keep screenshots for a person to look at."""
    problems = {}
    screenshots = variant in SCREENSHOT_VARIANTS

    def check(name: str) -> None:
        page.set_viewport_size({"width": 1280, "height": 900})
        problems[name] = axe(page, enhanced_contrast=enhanced_contrast)
        if screenshots:
            save(page, f"{name}-1280" if variant == "fi-normal" else f"{variant}/{name}")
        page.set_viewport_size({"width": 320, "height": 900})
        problems[f"{name}@320"] = axe(page, only=LAYOUT_RULES, enhanced_contrast=enhanced_contrast)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, (
            f"{name} scrolls sideways at 320 px"
        )
        if screenshots and variant == "fi-normal":
            save(page, f"{name}-320")

    for name, path in STEP_PAGES + OTHER_PAGES:
        page.goto(path)
        check(name)
    for name, path, fields in ERROR_PAGES:
        show_errors(page, path, fields)
        check(name)
    page.goto("/save")
    page.locator("form[action='/save'] button").click()
    check("saved-code")
    assert {k: v for k, v in problems.items() if v} == {}


@pytest.mark.parametrize("contrast", ["normal", "high"])
@pytest.mark.parametrize(
    ("language", "plain"), VARIANTS, ids=["fi", "fi@selko", "sv", "sv@lattlast", "en", "en@easy"]
)
def test_every_page_type_has_no_axe_violations(
    axe_page: Page, language: str, plain: bool, contrast: str
) -> None:
    """The high-contrast theme must also reach 7:1 (WCAG 1.4.6, axe's color-contrast-enhanced)."""
    prepare(axe_page, language, plain, contrast)
    variant = f"{language}{'-plain' if plain else ''}-{contrast}"
    check_every_page_type(axe_page, variant, enhanced_contrast=contrast == "high")


@pytest.mark.parametrize("contrast", ["normal", "high"])
def test_a_dark_colour_scheme_has_no_axe_violations(axe_page: Page, contrast: str) -> None:
    """prefers-color-scheme: dark gives dark colours; high contrast stays 7:1 under it."""
    axe_page.emulate_media(color_scheme="dark")
    prepare(axe_page, "fi", False, contrast)
    axe_page.goto("/")
    background = axe_page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == ("rgb(255, 255, 255)" if contrast == "high" else "rgb(22, 23, 24)")
    check_every_page_type(axe_page, f"fi-dark-{contrast}", enhanced_contrast=contrast == "high")


def test_text_at_200_percent_and_wcag_text_spacing_lose_nothing(page: Page) -> None:
    prepare(page)
    spacing = (
        "* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }"
        " p { margin-bottom: 2em !important; }"
    )
    for name, path in STEP_PAGES + OTHER_PAGES:
        page.goto(path)
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        add_css(page, spacing)
        applied = page.evaluate("getComputedStyle(document.querySelector('h1')).letterSpacing")
        assert applied != "normal", f"{name}: the text-spacing overrides did not apply"
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
