"""What axe cannot measure, measured in pixels and boxes: a focus indicator that changes the
component by at least 3:1 against its unfocused look, over an area at least as large as a
2 px line around it (WCAG 2.4.13's measure, stricter than the AA 2.4.7); targets of at least
24 x 24 CSS px (2.5.8) and 44 px tall for the controls we draw; and no motion at all."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Page

from tests.browser.walk import (
    CONVERSATION_PAGES,
    ERROR_PAGES,
    STEP_PAGES,
    prepare,
    show_errors,
    visit,
)

pytestmark = pytest.mark.browser
MAX_TABS = 60
# One of each component, the conversation mode's included; the header, body and footer give
# each its own background.
PAGES = [
    *STEP_PAGES,
    ("start", "/"),
    ("review", "/review"),
    ("settings", "/settings"),
    *CONVERSATION_PAGES,
]
MARGIN = 8  # px around the component: an outline or a shadow may sit outside its box

# The focused element: where it is, what it is, and whether it is a link inside running text
# (those are exempt from the target size, as WCAG 2.5.8 says for inline targets).
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  e.scrollIntoView({block: 'center'});
  const r = e.getBoundingClientRect();
  const label = e.labels && e.labels[0] ? e.labels[0].getBoundingClientRect() : r;
  const region = e.closest('header, footer, main, nav') ;
  const block = e.closest('p, li, dd, td');
  const inline = e.tagName === 'A' && !!block && block.textContent.trim() !== e.textContent.trim();
  return {
    key: [e.tagName, e.type || '', e.className, region ? region.tagName : ''].join('|'),
    id: [e.tagName, e.name || '', e.id, e.value || '', e.getAttribute('href') || '', r.x, r.y + scrollY].join('|'),
    name: (e.textContent || e.name || e.id).trim().slice(0, 40),
    x: r.x, y: r.y, width: r.width, height: r.height, inline,
    // A radio or checkbox is pressed through its label too: the target is both together.
    target: {width: Math.max(r.right, label.right) - Math.min(r.x, label.x),
             height: Math.max(r.bottom, label.bottom) - Math.min(r.y, label.y)},
    // Controls we draw as boxes; a button that looks like a link is held to the link's 24 px.
    drawn: ['INPUT', 'SELECT', 'TEXTAREA'].includes(e.tagName) || e.classList.contains('button'),
  };
}"""


def luminance(png: bytes) -> np.ndarray:
    """WCAG relative luminance of every pixel."""
    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.float64) / 255
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return linear @ np.array([0.2126, 0.7152, 0.0722])


def focus_change(page: Page, element: dict[str, Any]) -> tuple[int, int]:
    """(pixels that change by at least 3:1 when focus arrives, the 2 px perimeter's area)."""
    viewport = page.viewport_size or {"width": 1280, "height": 900}
    x, y = max(0, element["x"] - MARGIN), max(0, element["y"] - MARGIN)
    clip = {
        "x": x,
        "y": y,
        "width": min(viewport["width"], element["x"] + element["width"] + MARGIN) - x,
        "height": min(viewport["height"], element["y"] + element["height"] + MARGIN) - y,
    }
    focused = luminance(page.screenshot(clip=clip))
    page.evaluate("window.focusedBefore = document.activeElement; document.activeElement.blur()")
    unfocused = luminance(page.screenshot(clip=clip))
    page.evaluate("window.focusedBefore.focus()")  # Tab goes on from here
    ratio = (np.maximum(focused, unfocused) + 0.05) / (np.minimum(focused, unfocused) + 0.05)
    perimeter = 2 * 2 * (element["width"] + element["height"])
    return int((ratio >= 3).sum()), int(perimeter)


def tab_through(
    page: Page, visit: Callable[[dict[str, Any]], None] | None = None
) -> list[dict[str, Any]]:
    """Every element the Tab key reaches on the page, in order, once; `visit` sees each while
    it has focus."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    seen: list[dict[str, Any]] = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        element = page.evaluate(FOCUSED)
        if element is None or (seen and element["id"] == seen[0]["id"]):
            break  # past the last element, or round to the first again
        seen.append(element)
        if visit:
            visit(element)
    return seen


@pytest.mark.parametrize("scheme", ["light", "dark", "high"])
def test_focus_is_visible_at_3_to_1_on_every_component(page: Page, scheme: str) -> None:
    page.emulate_media(color_scheme="dark" if scheme == "dark" else "light")
    prepare(page, contrast="high" if scheme == "high" else "normal")
    checked: set[str] = set()
    weak = []

    def measure(element: dict[str, Any]) -> None:
        if element["key"] in checked:
            return  # the same component on another page looks the same
        checked.add(element["key"])
        changed, needed = focus_change(page, element)
        if changed < needed:
            weak.append(f"{element['key']} '{element['name']}' {changed}/{needed} px")

    for name, path in PAGES:
        visit(page, name, path)
        tab_through(page, measure)
    show_errors(page, *ERROR_PAGES[0][1:])
    tab_through(page, measure)
    assert len(checked) >= 10, f"too few components reached: {checked}"
    assert weak == [], "focus indicators below 3:1 or too small:\n" + "\n".join(weak)


def target_problems(element: dict[str, Any]) -> list[str]:
    target, what = element["target"], f"{element['key']} '{element['name']}'"
    problems = []
    if not element["inline"] and (target["width"] < 24 or target["height"] < 24):
        problems.append(f"{what} is under 24 x 24 px: {target}")
    if element["drawn"] and target["height"] < 44:
        problems.append(f"{what} is under 44 px tall: {target}")
    return problems


def test_every_target_is_at_least_24_px_and_drawn_controls_44(page: Page) -> None:
    prepare(page)
    small = []
    for name, path in PAGES:
        visit(page, name, path)
        small += [f"{name}: {p}" for element in tab_through(page) for p in target_problems(element)]
    assert small == []


@pytest.mark.parametrize("motion", ["no-preference", "reduce"])
def test_nothing_moves(page: Page, motion: str) -> None:
    """No animation or transition, with or without prefers-reduced-motion; with it, the page's
    guard holds even for motion a later change might add."""
    page.emulate_media(reduced_motion=motion)  # type: ignore[arg-type]
    prepare(page)
    for name, path in PAGES:
        visit(page, name, path)
        tab_through(page)  # focus styles are where motion usually hides
        assert page.evaluate("document.getAnimations().length") == 0, f"{name} animates"
        if motion == "reduce":
            moving = page.evaluate(
                """() => [...document.querySelectorAll('*')].filter(e => {
                     const s = getComputedStyle(e);
                     if (!s.display) return false;  // not rendered, like an <audio>'s fallback link
                     return s.animationName !== 'none' || !/^(0s,? ?)+$/.test(s.transitionDuration)
                            || s.scrollBehavior === 'smooth';
                   }).map(e => e.tagName + '.' + e.className)"""
            )
            assert moving == [], f"{name}: motion despite prefers-reduced-motion: {moving}"
