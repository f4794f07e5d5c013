"""The site's cookies and the CSRF token bound to them.

On HTTPS the cookies carry the __Host- prefix, which browsers keep only when the cookie is
Secure, has Path=/ and no Domain: no sibling subdomain or plain-HTTP page can plant one. Plain
http://127.0.0.1 keeps the plain names (browsers refuse the prefix without Secure). The CSRF
token is an HMAC of the session (or, before one, of the browser's own random cookie): a token
and cookie copied from someone else's browser do not work in this one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from http.cookies import SimpleCookie

import pytest
from aiohttp import ClientResponse, CookieJar
from aiohttp.test_utils import TestClient, TestServer

from assistant.app import create_app
from assistant.settings import Settings
from tests.test_web_conversation import answer, begin, csrf
from tests.web.browser import Browser

NAMES = {"oma_csrf", "oma_prefs", "oma_session"}


Browsers = Callable[[], Awaitable[Browser]]


async def site(
    aiohttp_client: Callable[..., Awaitable[TestClient]], settings: Settings
) -> Browsers:
    """A server, and a way to open new browsers (each its own cookies) on it. Their cookie
    jars send Secure cookies back over the test's plain HTTP, as a browser does over HTTPS."""
    server = TestServer(create_app(settings))
    await server.start_server()

    async def browser() -> Browser:
        jar = CookieJar(unsafe=True, treat_as_secure_origin=[server.make_url("/")])
        return Browser(await aiohttp_client(server, cookie_jar=jar))

    return browser


@pytest.fixture
async def secure_browser(
    aiohttp_client: Callable[..., Awaitable[TestClient]], settings: Settings
) -> Browsers:
    """Browsers on a site whose cookies are always Secure (OMA_SECURE_COOKIES=1)."""
    return await site(aiohttp_client, settings.with_(secure_cookies=True))


@pytest.fixture
async def plain_browser(
    aiohttp_client: Callable[..., Awaitable[TestClient]], settings: Settings
) -> Browsers:
    """Browsers on a site served over plain HTTP."""
    return await site(aiohttp_client, settings)


def set_cookies(response: ClientResponse) -> SimpleCookie:
    cookies: SimpleCookie = SimpleCookie()
    for header in response.headers.getall("Set-Cookie", ()):
        cookies.load(header)
    return cookies


async def test_on_https_every_cookie_has_the_host_prefix_and_the_site_works(
    secure_browser: Browsers,
) -> None:
    browser = await secure_browser()
    first = await browser.client.get("/")
    for name, morsel in set_cookies(first).items():
        assert name.startswith("__Host-"), name
        assert morsel["secure"] and morsel["path"] == "/" and not morsel["domain"], name
    await begin(browser)
    await answer(browser)
    await answer(browser, {"answer": "Aino"})
    assert "Aino" in (await browser.get("/review")).text
    jar = {c.key for c in browser.client.session.cookie_jar}
    assert jar == {f"__Host-{name}" for name in NAMES}
    # Deleting the answers deletes the __Host- session cookie (a deletion must be Secure too).
    await browser.get("/delete")
    deleted = await browser.submit(action="/delete")
    assert "__Host-oma_session" not in {c.key for c in browser.client.session.cookie_jar}
    # The page that says so carries the token for a browser without a session: its forms work.
    response = await browser.client.post(
        "/language", data={"csrf": csrf(browser), "language": "sv", "next": "/"}
    )
    assert deleted.status == response.status == 200


async def test_on_https_a_cookie_without_the_prefix_is_not_read(
    secure_browser: Browsers,
) -> None:
    """A plain-named session cookie, which anyone able to plant cookies could set, does not
    open a conversation on an HTTPS site: only the __Host- one does."""
    owner = await secure_browser()
    await begin(owner)
    await answer(owner)
    await answer(owner, {"answer": "Aino"})
    token = next(c.value for c in owner.client.session.cookie_jar if c.key.endswith("session"))
    other = await secure_browser()
    planted = await other.client.get(
        "/review", headers={"Cookie": f"oma_session={token}"}, allow_redirects=False
    )
    assert (planted.status, planted.headers["Location"]) == (303, "/")
    own = await other.client.get(
        "/review", headers={"Cookie": f"__Host-oma_session={token}"}, allow_redirects=False
    )
    assert own.status == 200 and "Aino" in await own.text()


async def test_on_plain_http_the_names_are_plain(client: TestClient) -> None:
    response = await client.get("/")
    assert set(set_cookies(response)) == {"oma_csrf"}
    assert not set_cookies(response)["oma_csrf"]["secure"]


async def test_a_token_copied_from_another_browser_does_not_work_in_this_one(
    plain_browser: Browsers,
) -> None:
    """Someone who can plant cookies copies their own CSRF cookie and the token their page
    gave them into a person's browser: the person's session does not accept it."""
    mallory, person = await plain_browser(), await plain_browser()
    await mallory.get("/")
    tossed = next(c.value for c in mallory.client.session.cookie_jar if c.key == "oma_csrf")
    mallory_token = csrf(mallory)
    await begin(person)
    await answer(person)
    session = next(c.value for c in person.client.session.cookie_jar if c.key == "oma_session")
    # The person's browser, its CSRF cookie overwritten with Mallory's (an empty jar, so the
    # request carries exactly these cookies).
    tossed_into = (await plain_browser()).client
    response = await tossed_into.post(
        "/q/name",
        data={"csrf": mallory_token, "answer": "Mallory"},
        headers={"Cookie": f"oma_session={session}; oma_csrf={tossed}"},
    )
    assert response.status == 403
    await begin(mallory)  # nor does a token from Mallory's own session's pages
    response = await person.client.post(
        "/q/name", data={"csrf": csrf(mallory), "answer": "Mallory"}
    )
    assert response.status == 403
    assert "Mallory" not in (await person.get("/review")).text
    await person.get("/q/name")
    await answer(person, {"answer": "Aino"})  # the person's own page still works
    assert "Aino" in (await person.get("/review")).text


async def test_the_token_changes_with_the_session_and_the_api_is_told(browser: Browser) -> None:
    """A token is not the cookie's value; starting a session gives a new one, which API
    clients read from the X-CSRF-Token header of any page or API response."""
    first = await browser.client.get("/")
    before = first.headers["X-CSRF-Token"]
    assert before not in {c.value for c in browser.client.session.cookie_jar}
    started = await browser.client.post(
        "/api/v1/conversations", json={"role": "client"}, headers={"X-CSRF-Token": before}
    )
    assert started.status == 201
    after = started.headers["X-CSRF-Token"]
    assert after != before
    step = await started.json()
    key = step["position"]["key"]
    stale = await browser.client.post(
        f"/api/v1/steps/{key}", json={"action": "continue"}, headers={"X-CSRF-Token": before}
    )
    assert stale.status == 403
    fresh = await browser.client.post(
        f"/api/v1/steps/{key}", json={"action": "continue"}, headers={"X-CSRF-Token": after}
    )
    assert fresh.status == 200
    page = await browser.get("/q/name")
    assert csrf(browser) == after == page.headers["X-CSRF-Token"]
    browser.client.session.cookie_jar.clear()  # a browser new to the site
    static = await browser.client.get("/static/css/app.css")
    # Static files may be kept by caches and handed to others: never a token or a cookie.
    assert "X-CSRF-Token" not in static.headers and "Set-Cookie" not in static.headers
