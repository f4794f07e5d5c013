"""Headers, CSRF and bad input: always a clear 4xx in the person's language, never a 500, and
nothing already saved is lost."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient

from assistant.app import create_app
from assistant.settings import Settings
from assistant.web.forms import MAX_BODY
from tests.test_web_conversation import answer, begin, csrf, fresh_csrf
from tests.web.browser import Browser

PAGES = (
    "/",
    "/resume",
    "/settings",
    "/privacy",
    "/healthz",
    "/api/openapi.json",
    "/static/css/app.css",
)
FORM = "application/x-www-form-urlencoded"


def assert_protected(response: ClientResponse) -> None:
    policy = response.headers["Content-Security-Policy"]
    for part in (
        "default-src 'none'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ):
        assert part in policy
    assert "unsafe-inline" not in policy and re.search(r"'nonce-[\w-]{16,}'", policy)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    if not response.url.path.startswith("/static/"):
        assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", PAGES)
async def test_security_headers_on_every_response(client: TestClient, path: str) -> None:
    response = await client.get(path)
    assert response.status == 200
    assert_protected(response)


async def test_security_headers_on_redirects_and_errors_too(
    make_browser: Callable[..., Awaitable[Browser]], settings: Settings
) -> None:
    """Redirects and 405s are raised, not returned; every one carries the headers all the same."""
    browser = await make_browser(create_app(settings.with_(resume_attempts_per_address=1)))
    client = browser.client

    async def expect(status: int, method: str, path: str, **kwargs: Any) -> None:
        response = await client.request(method, path, allow_redirects=False, **kwargs)
        assert response.status == status, (method, path, response.status)
        assert_protected(response)

    await expect(303, "GET", "/review")  # no conversation yet
    await expect(404, "GET", "/no-such-page")
    await expect(404, "GET", "/static/no-such-file.css")
    await expect(405, "PUT", "/review")
    await expect(405, "DELETE", "/q/name")
    await browser.get("/")
    token = csrf(browser)
    await expect(403, "POST", "/start", data={"role": "client"})
    await expect(303, "POST", "/start", data={"csrf": token, "role": "client"})
    token = await fresh_csrf(browser)  # bound to the new session
    await expect(303, "POST", "/q/welcome", data={"csrf": token})
    big = b"csrf=" + token.encode() + b"&answer=" + b"x" * (MAX_BODY + 1)
    await expect(413, "POST", "/q/name", data=big, headers={"Content-Type": FORM})
    await expect(303, "POST", "/settings", data={"csrf": token, "next": "/review"})
    for _ in range(2):  # one wrong code is allowed, the second is too many
        await client.post("/resume", data={"csrf": token, "code": "0000-0000-0000"})
    await expect(429, "POST", "/resume", data={"csrf": token, "code": "0000-0000-0000"})
    await expect(503, "GET", "/audio/q/name.mp3")  # speech is off in the tests


async def test_nonce_differs_per_response(client: TestClient) -> None:
    first = (await client.get("/")).headers["Content-Security-Policy"]
    second = (await client.get("/")).headers["Content-Security-Policy"]
    assert first != second


async def test_cookies_are_httponly_and_samesite_strict(browser: Browser) -> None:
    await begin(browser)
    cookies = {c.key: c for c in browser.client.session.cookie_jar}
    for name in ("oma_session", "oma_csrf"):
        assert cookies[name]["httponly"] and cookies[name]["samesite"] == "Strict"


async def test_post_without_csrf_is_refused_and_saves_nothing(browser: Browser) -> None:
    await begin(browser)
    await answer(browser)
    response = await browser.client.post("/q/name", data={"answer": "Mallory"})
    assert response.status == 403
    assert "This page has expired" in await response.text()
    response = await browser.client.post("/q/name", data={"answer": "Mallory", "csrf": "wrong"})
    assert response.status == 403
    response = await browser.client.post("/q/name", data={"answer": "Mallory", "csrf": "\u0080ä"})
    assert response.status == 403  # a non-ASCII token is refused, not a 500
    response = await browser.client.post(
        "/q/name",
        data={"answer": "Mallory", "csrf": csrf(browser)},
        headers={"Origin": "http://evil.example"},
    )
    assert response.status == 403
    assert "Mallory" not in (await browser.get("/review")).text
    # Our own pages send Origin: null (Referrer-Policy: no-referrer); with the token that is fine.
    response = await browser.client.post(
        "/q/name", data={"answer": "Aino", "csrf": csrf(browser)}, headers={"Origin": "null"}
    )
    assert response.status == 200 and "Aino" in (await browser.get("/review")).text


async def bad(browser: Browser, **kwargs: object) -> int:
    response = await browser.client.post("/q/name", **kwargs)  # type: ignore[arg-type]
    text = await response.text()
    assert response.status < 500, text[:300]
    assert "Your earlier answers are" in text or response.status < 400
    return response.status


async def test_bad_input_gets_a_clear_4xx_never_a_500(browser: Browser) -> None:
    await begin(browser)
    await answer(browser)
    await answer(browser, {"answer": "Aino"})
    token = csrf(browser)
    form = "application/x-www-form-urlencoded"
    assert (
        await bad(
            browser,
            data=b"csrf=" + token.encode() + b"&answer=" + b"x" * MAX_BODY,
            headers={"Content-Type": form},
        )
        == 413
    )
    assert (
        await bad(
            browser,
            data=b"csrf=" + token.encode() + b"&answer=%ff%fe",
            headers={"Content-Type": form},
        )
        == 400
    )
    assert (
        await bad(
            browser,
            data=b"csrf=" + token.encode() + b"&answer=\xff",
            headers={"Content-Type": form},
        )
        == 400
    )
    assert (
        await bad(
            browser,
            data="csrf=" + token + "&answer=x",
            headers={"Content-Type": form + "; charset=latin-1"},
        )
        == 415
    )
    many = "&".join(f"f{i}=1" for i in range(300))
    assert await bad(browser, data=f"csrf={token}&{many}", headers={"Content-Type": form}) == 400
    assert (
        await bad(browser, data=f"csrf={token}&answer=a&answer=b", headers={"Content-Type": form})
        == 400
    )
    assert await bad(browser, data=f"csrf={token}", headers={"Content-Type": "text/plain"}) == 415
    response = await browser.client.post("/q/home", data={"csrf": token, "answer": "castle"})
    assert response.status == 400
    response = await browser.client.post("/q/name", data={"csrf": token, "action": "explode"})
    assert response.status == 404
    # Nothing already saved was lost.
    assert "Aino" in (await browser.get("/review")).text


async def in_english(browser: Browser) -> None:
    await browser.get("/")
    await browser.client.post("/language", data={"csrf": csrf(browser), "language": "en"})


# Ways to write another site's address that a naive "starts with one slash" check lets through:
# browsers drop tabs and line breaks and read a backslash as a slash.
OFF_SITE = (
    "/\t/evil.example/x",
    "/\n/evil.example/x",
    "/\r\n/evil.example/x",
    "/\\evil.example/x",
    "/\\/evil.example/x",
    "/%09/evil.example/x",
    "/%5C%5Cevil.example/x",
    "/\u00a0/evil.example/x",
    "https://evil.example/x",
    "https:evil.example",
    "//evil.example/x",
    " //evil.example/x",
    "/\x00/evil.example/x",
)


@pytest.mark.parametrize("target", OFF_SITE)
async def test_a_return_address_never_leads_to_another_site(browser: Browser, target: str) -> None:
    await in_english(browser)
    page = await browser.get("/settings?" + urlencode({"next": target}))
    assert page.status == 200 and page.link("Back") == "/"
    assert ("next", "/", "hidden", False) in page.form("/settings").fields
    for action in ("/settings", "/language"):
        response = await browser.client.post(
            action,
            data={"csrf": csrf(browser), "next": target, "language": "en"},
            allow_redirects=False,
        )
        if "\x00" in target:  # no form of ours sends a NUL: refused before anything else
            assert response.status == 400
        else:
            assert (response.status, response.headers["Location"]) == (303, "/")


async def test_a_return_address_on_this_site_is_kept(browser: Browser) -> None:
    await in_english(browser)
    here = "/q/team?item=abc&return=review"
    page = await browser.get("/settings?" + urlencode({"next": here}))
    assert page.link("Back") == here
    response = await browser.client.post(
        "/settings", data={"csrf": csrf(browser), "next": here}, allow_redirects=False
    )
    assert response.headers["Location"] == here


async def test_unknown_step_takes_you_back_to_where_you_were(browser: Browser) -> None:
    await begin(browser)
    page = await browser.get("/q/no-such-step")
    assert page.status == 200 and page.heading.endswith("Before we start")


async def test_free_text_is_normalised_before_it_is_stored(browser: Browser) -> None:
    await begin(browser)
    await answer(browser)
    await answer(
        browser, {"answer": "A\u0308ino\u202e\x07"}
    )  # decomposed Ä, a bidi override, a bell
    page = await browser.get("/review")
    assert "Äino" in page.text and "\u202e" not in page.html and "\x07" not in page.html


async def test_answers_are_escaped_where_they_are_shown(browser: Browser) -> None:
    await begin(browser)
    await answer(browser)
    await answer(browser, {"answer": "<script>alert(1)</script>"})
    await answer(browser, {"answer": "x"})
    await answer(browser, {"answer": "yes"})
    page = browser.page
    assert page and "<script>alert" not in page.html and "&lt;script&gt;" in page.html


async def test_no_answers_in_the_logs(browser: Browser, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    await begin(browser)
    await answer(browser)
    await answer(browser, {"answer": "Salainen-vastaus-123"})
    page = await browser.get("/save")
    page = await browser.submit(action="/save")
    code = re.search(r"([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})", page.text)
    assert code
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Salainen-vastaus-123" not in logged and code.group(1) not in logged


async def test_an_unexpected_failure_logs_where_but_never_what_was_typed(
    browser: Browser, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    await begin(browser)
    await answer(browser)

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("could not read 'Salainen-vastaus-123'")  # a message quoting input

    monkeypatch.setattr("assistant.web.pages.step_page", broken)
    caplog.set_level(logging.DEBUG)
    page = await browser.get("/q/name")
    assert page.status == 500 and "Your earlier answers are saved" in page.text
    assert "ValueError at " in caplog.text and "pages.py" in caplog.text  # where it happened
    assert "Salainen" not in caplog.text  # caplog.text holds messages and any traceback


async def test_api_uses_the_same_engine_and_csrf(browser: Browser) -> None:
    await browser.get("/")
    token = csrf(browser)
    response = await browser.client.post("/api/v1/conversations", json={"role": "client"})
    assert response.status == 403
    response = await browser.client.post(
        "/api/v1/conversations", json={"role": "client"}, headers={"X-CSRF-Token": token}
    )
    assert response.status == 201
    token = response.headers["X-CSRF-Token"]  # bound to the new session
    step = await response.json()
    assert step["kind"] == "information"
    response = await browser.client.post(
        f"/api/v1/steps/{step['position']['key']}",
        json={"action": "continue"},
        headers={"X-CSRF-Token": token},
    )
    step = await response.json()
    assert step["position"]["key"] == "name"
    response = await browser.client.post(
        "/api/v1/steps/name", json={"answer": "x" * 41}, headers={"X-CSRF-Token": token}
    )
    assert response.status == 422
    assert (await response.json())["errors"][0]["code"] == "too-long"
    response = await browser.client.post(
        "/api/v1/steps/name", json={"answer": "Aino"}, headers={"X-CSRF-Token": token}
    )
    assert (await response.json())["position"]["key"] == "good-at"
    review = await (await browser.client.get("/api/v1/review")).json()
    assert any(
        row["key"] == "name" and row["answers"][0]["text"] == "Aino" for row in review["rows"]
    )
    response = await browser.client.post(
        "/api/v1/steps/name",
        data=b"{nope",
        headers={"X-CSRF-Token": token, "Content-Type": "application/json"},
    )
    assert response.status == 400
