"""Getting a browser to every page type: a conversation prepared through the real forms."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from playwright.sync_api import Page, Response

from assistant.web.forms import MAX_BODY
from tests.browser.conftest import LiveServer

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
    ("stop", "/stop"),
    ("resume", "/resume"),
    ("resume-stopped", "/resume?notice=stopped"),
    ("settings", "/settings"),
    ("respondent", "/respondent"),
    ("draft-fi", "/draft?lang=fi"),
    ("draft-sv", "/draft?lang=sv"),
    ("draft-en", "/draft?lang=en"),
    ("draft-both", "/draft/both"),
    ("delete", "/delete"),
    ("remove-item", "/q/team/remove?item=i1"),
    ("privacy", "/privacy"),
    ("not-found", "/no-such-page"),
]
# (name, path) of the conversation mode, opened from a step page: checkboxes with "something
# else", a date, radios under a list of people, a text box. On the last one the person has sent
# an answer that is too long and used each command, so the transcript holds every kind of message.
CONVERSATION_PAGES = [
    ("conversation-multiple-choice", "/q/matters"),
    ("conversation-date", "/q/meeting-date"),
    ("conversation-list", "/q/team"),
    ("conversation-commands", "/q/liked-for"),
]
COMMANDS = ["repeat", "where", "answered"]  # the conversation words of the three commands
# (name, path, what to submit) that show an error state.
ERROR_PAGES = [
    # An empty Continue is a skip: each error state is an answer that cannot be kept as it is.
    ("error-text", "/q/liked-for", {"answer": "x" * 5001}),  # longer than its 5,000
    ("error-choice", "/q/lives-with", {"answer": "alone", "other": "A boat"}),
    ("error-checkboxes", "/q/occupation", {"answer": ["none", "study"]}),  # "none" goes alone
    ("error-date", "/q/meeting-date", {"day": "31", "month": "2", "year": "2027"}),
    ("error-number", "/q/help-hours", {"answer": "lots"}),
    ("error-list", "/q/team", {}),
]


def csrf(page: Page) -> str:
    """The token for the browser's cookies now (bound to its session), from any response's
    X-CSRF-Token header."""
    return page.request.get("/healthz").headers["x-csrf-token"]


def post(page: Page, path: str, form: dict[str, str]) -> None:
    response = page.request.post(path, form={"csrf": csrf(page), **form})
    assert response.ok, f"{path}: {response.status}"


def prepare(
    page: Page,
    language: str = "fi",
    plain: bool = False,
    contrast: str = "normal",
    text_size: str = "normal",
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
            "text_size": text_size,
            "next": "/",
        },
    )
    post(page, "/q/services-now", {"answer": "personal-assistance"})
    post(page, "/q/team", {"add": "yes"})
    post(page, "/q/team.name?item=i1", {"answer": "Anna"})
    post(page, "/q/liked-for", {"answer": "Huumorintajuni <script>alert(1)</script>"})
    # The support plan sketch too, then back: the start and draft pages offer both, and the
    # draft of both conversations is there to check.
    post(page, "/conversation", {"dialogue": "support-plan-sketch"})
    post(page, "/conversation", {"dialogue": "wishes-and-needs"})


def submit(page: Page) -> Response:
    """Press the first button of the page's form, as Enter would, and wait for what it shows."""
    with page.expect_navigation() as navigation:
        page.locator("main form [type=submit]").first.click()
    response = navigation.value
    assert response is not None
    return response


def show_errors(page: Page, path: str, fields: dict[str, str | list[str]]) -> Response:
    """Fill in the form like a person and press Continue, to reach the error state."""
    page.goto(path)
    for name, value in fields.items():
        target = page.locator(f"[name={name}]")
        if target.first.get_attribute("type") in ("checkbox", "radio"):
            for one in value if isinstance(value, list) else [value]:
                page.locator(f"[name={name}][value={one}]").check()
        else:
            # maxlength stops typing at the limit; text pasted by assistive software or sent
            # by an older browser can still be longer, and the server's message must show.
            target.evaluate("element => element.removeAttribute('maxlength')")
            target.fill(value)
    response = submit(page)
    assert re.match(r"(Error|Virhe|Fel):", page.title()), page.title()
    assert page.locator(".error-summary").count() == 1, f"{path}: no error summary: {page.title()}"
    return response


def conversation_words(page: Page) -> dict[str, Any]:
    """The conversation mode's words in the page's language, as the script gets them."""
    words: dict[str, Any] = page.evaluate(
        "JSON.parse(document.getElementById('oma-texts').textContent)"
    )
    return words


def visit(page: Page, name: str, path: str) -> None:
    """Open a page type as a person would: a plain page by its address, the conversation mode
    from its step's page with "Show as a conversation"."""
    page.goto(path)
    if not name.startswith("conversation-"):
        return
    page.locator(".mode-toggle").click()
    page.wait_for_selector("ol.transcript > li")
    page.evaluate("sessionStorage.removeItem('oma-mode')")  # the next address opens as a page
    if name == "conversation-commands":
        messages = page.locator("ol.transcript > li")
        page.locator("#c-answer").fill("x" * 5001)  # one more than the question takes
        with page.expect_response(lambda r: "/api/v1/steps/" in r.url):
            page.locator(".conversation-form button[value=continue]").click()
        page.wait_for_function("() => document.querySelector('#c-errors').textContent !== ''")
        words = conversation_words(page)
        for command in COMMANDS:
            count = messages.count()
            page.get_by_role("button", name=words[command], exact=True).click()
            messages.nth(count).wait_for()


def show_saved_code(page: Page) -> Response:
    page.goto("/save")
    return submit(page)


def show_refused(page: Page, server: LiveServer) -> Iterator[tuple[str, Response]]:
    """The resume page's error, then each page that refuses a request (403, 413, 429), reached
    through the real resume form; each is yielded while the browser shows it."""

    def send_code(code: str) -> Response:
        page.goto("/resume")
        page.locator("#code").evaluate("(field, code) => { field.value = code; }", code)
        return submit(page)

    yield "error-resume", send_code("AAAA-BBBB-CCCC")
    page.goto("/resume")
    page.locator("main input[name=csrf]").evaluate("(field) => { field.value = 'expired'; }")
    expired = submit(page)
    assert expired.status == 403
    yield "error-403", expired
    too_large = send_code("A" * (MAX_BODY + 1))  # over the body limit
    assert too_large.status == 413
    yield "error-413", too_large
    limit = server.settings.resume_attempts_per_address
    for _ in range(limit):
        page.request.post("/resume", form={"csrf": csrf(page), "code": "AAAA-BBBB-CCCC"})
    too_many = send_code("AAAA-BBBB-CCCC")
    assert too_many.status == 429
    server.next_hour()  # the next test may try codes again
    yield "error-429", too_many


def show_deleted(page: Page) -> Response:
    """Delete the conversation: after this page there is nothing left to visit."""
    page.goto("/delete")
    return submit(page)
