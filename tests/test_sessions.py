"""Sessions end: "Stop on this device", an idle timeout, and closing other devices when a new
code is made (issue 20, item 8). The answers stay each time, and the code continues them; the
person is told in their language what happened."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import aiohttp

from assistant.app import create_app
from assistant.settings import Settings
from assistant.web import keys
from tests.test_resume import saved_code
from tests.test_store import settle
from tests.test_web_conversation import answer, begin, csrf
from tests.web.browser import Browser

MakeBrowser = Callable[..., Awaitable[Browser]]
SESSION = "oma_session"


def session_cookie(browser: Browser) -> str | None:
    for cookie in browser.client.session.cookie_jar:
        if cookie.key == SESSION:
            return cookie.value
    return None


async def with_cookie(browser: Browser, token: str, path: str) -> str:
    """Where a device with only this (old) session cookie is sent; the answer also deletes it."""
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as device:
        response = await device.get(
            browser.client.make_url(path),
            headers={"Cookie": f"{SESSION}={token}"},
            allow_redirects=False,
        )
    if response.status != 303:
        return path
    assert any(
        h.startswith(f'{SESSION}=""') and "Max-Age=0" in h
        for h in response.headers.getall("Set-Cookie", ())
    )
    return response.headers["Location"]


async def use(browser: Browser, token: str) -> None:
    """This browser is now the device with this session."""
    browser.client.session.cookie_jar.clear()
    response = await browser.client.get("/healthz")
    browser.client.session.cookie_jar.update_cookies({SESSION: token}, response.url)


async def test_stop_on_this_device_ends_the_session_and_keeps_the_answers(
    browser: Browser,
) -> None:
    shown, _spoken = await saved_code(browser)
    token = session_cookie(browser)
    assert token and browser.page
    # The saved page has the button; every page links to it.
    assert "Stop on this device" in browser.page.button_texts()
    page = await browser.submit(action="/stop")
    assert page.path == "/resume?notice=stopped"
    assert "You stopped on this device. Your answers are saved." in page.text
    assert page.heading == "Continue with a code"
    assert session_cookie(browser) is None
    # The old token opens nothing now; a page asked with it says so.
    assert await with_cookie(browser, token, "/review") == "/resume?notice=ended"
    # The answers are all there for the code.
    await browser.get("/resume")
    page = await browser.submit({"code": shown})
    assert page.heading.endswith("What are you good at?")
    assert "Aino" in (await browser.get("/review")).text


async def test_stopping_without_a_code_offers_one_first(browser: Browser) -> None:
    await begin(browser)
    await answer(browser)
    page = await browser.get(browser.page.link("Stop on this device") if browser.page else "")
    assert page.path == "/stop"
    assert "You do not have a code for these answers yet" in page.text
    assert page.form().action == "/save"
    # A stop sent anyway (an old page) is not done: nobody could open the answers again.
    response = await browser.client.post(
        "/stop", data={"csrf": csrf(browser)}, allow_redirects=False
    )
    assert response.status == 303 and response.headers["Location"] == "/stop"
    assert (await browser.get("/review")).path == "/review"
    # The code first, then the stop.
    await browser.get("/stop")
    page = await browser.submit(action="/save")
    assert "Stop on this device" in page.button_texts()
    assert (await browser.submit(action="/stop")).path == "/resume?notice=stopped"


async def test_an_idle_session_ends_and_the_page_says_so_in_the_persons_language(
    make_browser: MakeBrowser, settings: Settings
) -> None:
    now = [datetime(2026, 11, 22, 12, tzinfo=UTC)]
    app = create_app(settings.with_(session_idle_minutes=90), clock=lambda: now[0])
    browser = await make_browser(app)
    shown, _spoken = await saved_code(browser)
    await browser.client.post("/language", data={"csrf": csrf(browser), "language": "sv"})
    now[0] += timedelta(minutes=80)
    assert (await browser.get("/review")).path == "/review"  # used: 90 minutes again
    await settle(app[keys.CONVERSATIONS].store)  # SQLite writes that use after the page
    now[0] += timedelta(minutes=89)
    assert (await browser.get("/review")).path == "/review"
    now[0] += timedelta(minutes=91)
    page = await browser.get("/review")
    assert page.path == "/resume?notice=ended"
    assert page.parsed.lang == "sv"
    assert "Dina svar är inte längre öppna på den här enheten." in page.text, page.text
    page = await browser.submit({"code": shown})
    assert page.path.startswith("/q/"), page.path


async def test_a_new_code_can_close_the_answers_on_other_devices(browser: Browser) -> None:
    shown, _spoken = await saved_code(browser)
    phone = session_cookie(browser)
    others = []
    for _device in ("computer", "library"):
        browser.client.session.cookie_jar.clear()
        await browser.get("/resume")
        await browser.submit({"code": shown})
        others.append(session_cookie(browser))
    assert phone and all(others) and len({phone, *others}) == 3
    # Without the box ticked, a new code leaves the other devices as they are.
    await use(browser, phone)
    await browser.get("/save")
    page = await browser.submit(action="/save")
    assert "closed on other devices" not in page.text
    for token in others:
        assert await with_cookie(browser, str(token), "/review") == "/review"
    # Ticked: every other device's session ends; this one goes on.
    await use(browser, phone)
    await browser.get("/save")
    page = await browser.submit({"others": "close"}, action="/save")
    assert "Your answers are now closed on other devices." in page.text
    assert (await browser.get("/review")).path == "/review"
    for token in others:
        assert await with_cookie(browser, str(token), "/review") == "/resume?notice=ended"
