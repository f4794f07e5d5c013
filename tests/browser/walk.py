"""Getting a browser to every page type: a conversation prepared through the real forms."""

from __future__ import annotations

import re

from playwright.sync_api import BrowserContext, Page

# (name, path) of every page reached by GET once the conversation below exists.
STEP_PAGES = [
    ("information", "/q/welcome"),
    ("long-text", "/q/liked-for"),
    ("multiple-choice", "/q/matters"),
    ("single-choice", "/q/lives-with"),
    ("scale", "/q/housework"),
    ("yes-no", "/q/cares-for-others"),
    ("number", "/q/help-hours"),
    ("date", "/q/meeting-date"),
    ("list-summary", "/q/team"),
    ("short-text", "/q/team.name?item=i1"),
]
OTHER_PAGES = [
    ("start", "/"),
    ("review", "/review"),
    ("save", "/save"),
    ("resume", "/resume"),
    ("settings", "/settings"),
    ("respondent", "/respondent"),
    ("draft", "/draft"),
    ("delete", "/delete"),
    ("remove-item", "/q/team/remove?item=i1"),
    ("privacy", "/privacy"),
    ("not-found", "/no-such-page"),
]
# (name, path, what to submit) that show an error state.
ERROR_PAGES = [
    ("error-text", "/q/liked-for", {"answer": ""}),
    ("error-choice", "/q/lives-with", {}),
    ("error-checkboxes", "/q/matters", {}),  # nothing ticked: "choose at least one"
    ("error-date", "/q/meeting-date", {"day": "31", "month": "2", "year": "2027"}),
    ("error-number", "/q/help-hours", {"answer": "lots"}),
    ("error-list", "/q/team", {}),
]


def csrf(context: BrowserContext) -> str:
    return next(c["value"] for c in context.cookies() if c["name"] == "oma_csrf")


def post(page: Page, path: str, form: dict[str, str]) -> None:
    response = page.request.post(path, form={"csrf": csrf(page.context), **form})
    assert response.ok, f"{path}: {response.status}"


def prepare(
    page: Page, language: str = "fi", plain: bool = False, contrast: str = "normal"
) -> None:
    """A conversation with answers on every branch used by the page list, and settings."""
    page.goto("/")
    post(page, "/start", {"role": "helped", "who": "sisko"})
    post(
        page,
        "/settings",
        {
            "language": language,
            "plain": "true" if plain else "false",
            "contrast": contrast,
            "text_size": "normal",
            "next": "/",
        },
    )
    post(page, "/q/services-now", {"answer": "personal-assistance"})
    post(page, "/q/team", {"add": "yes"})
    post(page, "/q/team.name?item=i1", {"answer": "Anna"})
    post(page, "/q/liked-for", {"answer": "Huumorintajuni <script>alert(1)</script>"})


def show_errors(page: Page, path: str, fields: dict[str, str]) -> None:
    """Fill in the form like a person and press Continue, to reach the error state."""
    page.goto(path)
    for name, value in fields.items():
        target = page.locator(f"[name={name}]")
        if target.first.get_attribute("type") == "checkbox":
            page.locator(f"[name={name}][value={value}]").check()
        else:
            target.fill(value)
    page.locator("button[name=action][value=continue]").click()
    page.wait_for_load_state()
    assert re.match(r"(Error|Virhe|Fel):", page.title()), page.title()
    assert page.locator(".error-summary").count() == 1, f"{path}: no error summary: {page.title()}"
