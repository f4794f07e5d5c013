"""axe-core (WCAG 2.0-2.2 A/AA) on every page type, in every language variant, in normal and
high contrast (7:1), in the dark colour scheme, at 320 px and at desktop width; reflow, text
spacing and real audio."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import LAYOUT_RULES, THEME_RULES, LiveServer, add_css, axe, save
from tests.browser.reflow import sideways
from tests.browser.walk import (
    CONVERSATION_PAGES,
    ERROR_PAGES,
    OTHER_PAGES,
    STEP_PAGES,
    prepare,
    show_deleted,
    show_errors,
    show_refused,
    show_saved_code,
    submit,
    visit,
)

pytestmark = pytest.mark.browser
SCREENSHOT_VARIANTS = {"fi-normal", "fi-high", "fi-dark-normal", "fi-dark-high"}
VARIANTS = [("fi", False), ("fi", True), ("sv", False), ("sv", True), ("en", False), ("en", True)]


def check_every_page_type(
    page: Page, server: LiveServer, variant: str, enhanced_contrast: bool, theme: bool = False
) -> None:
    """axe on every page type and error state, the conversation mode included, at desktop width
    and at 320 px, where the page must not scroll sideways. The DOM is the same at both widths,
    so at the second width only the rules that depend on layout run again; in a colour `theme`
    (high contrast, dark) only the rules that depend on colour and layout run at all, as every
    other rule has run on the same DOM in the normal colours of the same language. Some variants
    keep screenshots for a person to look at. The conversation is deleted at the end."""
    problems = {}
    wide: dict[str, list[str]] = {}
    screenshots = variant in SCREENSHOT_VARIANTS

    def check(name: str) -> None:
        # Every rule at the width the page opened in, then the layout rules at the other: one
        # resize a page.
        first = (page.viewport_size or {"width": 1280})["width"]
        for width in (first, 320 if first == 1280 else 1280):
            if width != first:
                page.set_viewport_size({"width": width, "height": 900})
            rules = LAYOUT_RULES if width != first else (THEME_RULES if theme else None)
            problems[f"{name}@{width}"] = axe(page, only=rules, enhanced_contrast=enhanced_contrast)
            if width == 320:
                # The whole reflow matrix (every text size and contrast, and the browser's text
                # at 200 %) on the page already open; colours alone change nothing in a theme.
                wide[name] = sideways(page) if not theme else []
                if theme:
                    assert page.evaluate("document.documentElement.scrollWidth") <= 320, (
                        f"{name} scrolls sideways at 320 px"
                    )
            if screenshots and width == 1280:
                save(page, f"{name}-1280" if variant == "fi-normal" else f"{variant}/{name}")
            elif screenshots and variant == "fi-normal":
                save(page, f"{name}-320")

    for name, path in STEP_PAGES + OTHER_PAGES + CONVERSATION_PAGES:
        visit(page, name, path)
        check(name)
    for name, path, fields in ERROR_PAGES:
        show_errors(page, path, fields)
        check(name)
    show_saved_code(page)
    check("saved-code")
    for name, _response in show_refused(page, server):
        check(name)
    show_deleted(page)
    check("deleted")
    sideways_pages = [f"{name}: {line}" for name, lines in wide.items() for line in lines]
    assert sideways_pages == [], "pages scroll sideways at 320 px:\n" + "\n".join(sideways_pages)
    assert {k: v for k, v in problems.items() if v} == {}


@pytest.mark.parametrize("contrast", ["normal", "high"])
@pytest.mark.parametrize(
    ("language", "plain"), VARIANTS, ids=["fi", "fi@selko", "sv", "sv@lattlast", "en", "en@easy"]
)
def test_every_page_type_has_no_axe_violations(
    axe_page: Page, server: LiveServer, language: str, plain: bool, contrast: str
) -> None:
    """The high-contrast theme must also reach 7:1 (WCAG 1.4.6, axe's color-contrast-enhanced)."""
    prepare(axe_page, language, plain, contrast)
    variant = f"{language}{'-plain' if plain else ''}-{contrast}"
    high = contrast == "high"
    check_every_page_type(axe_page, server, variant, enhanced_contrast=high, theme=high)


@pytest.mark.parametrize("contrast", ["normal", "high"])
def test_a_dark_colour_scheme_has_no_axe_violations(
    axe_page: Page, server: LiveServer, contrast: str
) -> None:
    """prefers-color-scheme: dark gives dark colours; high contrast stays 7:1 under it."""
    axe_page.emulate_media(color_scheme="dark")
    prepare(axe_page, "fi", False, contrast)
    axe_page.goto("/")
    background = axe_page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == ("rgb(255, 255, 255)" if contrast == "high" else "rgb(22, 23, 24)")
    check_every_page_type(
        axe_page, server, f"fi-dark-{contrast}", enhanced_contrast=contrast == "high", theme=True
    )


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


def test_words_hyphenate_in_the_pages_language_and_high_contrast_draws_native_controls(
    page: Page,
) -> None:
    """Words that must break at large text break with a hyphen where the browser has the
    language's dictionary (hyphens: auto, and lang on <html>); in high contrast the radios',
    checkboxes' and audio player's borders are the theme's black, not the browser's grey."""
    prepare(page, contrast="high")
    page.goto("/q/matters")
    assert page.locator("html").get_attribute("lang") == "fi"
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.choice-label')).hyphens") == "auto"
    )
    for selector in (".choice-input[type=checkbox]", "#listen"):
        style = page.evaluate(
            """(s) => { const c = getComputedStyle(document.querySelector(s));
                        return s === '#listen' ? [c.borderTopColor, c.borderTopWidth]
                                               : [c.outlineColor, c.outlineWidth]; }""",
            selector,
        )
        assert style == ["rgb(0, 0, 0)", "2px"], f"{selector}: {style}"


def test_high_contrast_and_text_size_persist_for_the_conversation(
    browser: Browser, server: LiveServer, page: Page
) -> None:
    """Chosen once, both hold on every page, in the conversation mode, and on another device
    that continues with the code: the page's classes, and text really at 150 %."""

    def assert_kept(page: Page, where: str) -> None:
        classes = (page.locator("html").get_attribute("class") or "").split()
        assert {"contrast-high", "text-larger"} <= set(classes), f"{where}: {classes}"
        size = page.evaluate("getComputedStyle(document.querySelector('main')).fontSize")
        assert size == "28.5px", f"{where}: text is {size}, not 150 % of 19 px"

    prepare(page, contrast="high", text_size="larger")
    pages = [("step", "/q/liked-for"), ("review", "/review"), ("draft", "/draft")]
    for name, path in [*pages, ("settings", "/settings"), *CONVERSATION_PAGES]:
        visit(page, name, path)
        assert_kept(page, name)
    show_saved_code(page)
    code = page.locator(".resume-code").inner_text()
    other = browser.new_context(base_url=server.url, locale="fi-FI")
    elsewhere = other.new_page()
    try:
        elsewhere.goto("/resume")
        elsewhere.locator("#code").fill(code)
        submit(elsewhere)
        assert_kept(elsewhere, "after continuing with the code")
    finally:
        other.close()


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
