"""Resume codes: typed back the way people read or hear them, and wrong codes rate-limited
without locking out a place where many people share one address."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient

from assistant.app import create_app
from assistant.settings import Settings
from tests.test_web_conversation import answer, begin, fresh_csrf
from tests.web.browser import Browser

MakeBrowser = Callable[..., Awaitable[Browser]]


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


@pytest.mark.parametrize(("typed", "count"), [("missing", 11), ("doubled", 13), ("empty", 0)])
async def test_a_code_too_short_or_too_long_is_told_how_long_a_code_is(
    browser: Browser, settings: Settings, typed: str, count: int
) -> None:
    """A missed or doubled character (or an empty box) is told how long a code is, not that
    the code "does not work"; it cannot be anyone's code, so it counts no try either."""
    shown, _spoken = await saved_code(browser)
    wrong = {"missing": shown[:-1], "doubled": shown + shown[-1], "empty": ""}[typed]
    for _ in range(settings.resume_attempts_per_address + 1):
        assert not await resumes(browser, wrong)
    page = browser.page
    assert page is not None and page.title.startswith("Virhe:")  # Finnish: the default
    said = f"Koodissa on 12 kirjainta ja numeroa. Tässä on {count}. Tarkista se ja yritä uudelleen."
    assert said in page.text
    assert await resumes(browser, shown)  # no try was counted


WRONG = "AAAA-BBBB-CCCC"


async def post_status(
    browser: Browser, path: str, fields: dict[str, str], forwarded_for: str | None = None
) -> int:
    """The status a form posted from the current page gets, from the given client address
    (believed only from a trusted proxy), without following a redirect."""
    response = await browser.client.post(
        path,
        data={"csrf": await fresh_csrf(browser), **fields},
        headers={"X-Forwarded-For": forwarded_for} if forwarded_for else {},
        allow_redirects=False,
    )
    return response.status


async def try_code(browser: Browser, code: str, forwarded_for: str | None = None) -> int:
    """303: the code worked; 200: "this code does not work"; 429: too many tries."""
    return await post_status(browser, "/resume", {"code": code}, forwarded_for)


async def test_codes_that_work_never_lock_out_a_shared_address(
    make_browser: MakeBrowser, settings: Settings
) -> None:
    """A group home's residents share one address: resuming is not trying."""
    browser = await make_browser(create_app(settings.with_(resume_attempts_per_address=3)))
    shown, _spoken = await saved_code(browser)
    for _ in range(7):  # more than twice the limit
        assert await try_code(browser, shown) == 303
    for _ in range(3):
        assert await try_code(browser, WRONG) == 200
    # Three wrong codes this hour: now even a right one waits, or guessing could go on.
    assert await try_code(browser, shown) == 429


async def test_behind_a_trusted_proxy_each_client_has_its_own_limit(
    make_browser: MakeBrowser, settings: Settings
) -> None:
    proxies = ("127.0.0.1", "10.0.0.0/8")  # the test client connects from 127.0.0.1
    app = create_app(settings.with_(resume_attempts_per_address=2, trusted_proxies=proxies))
    browser = await make_browser(app)
    await browser.get("/resume")
    # The client is the right-most address no trusted proxy wrote; what it forges to the left
    # of that changes nothing.
    for forged in ("198.51.100.1", "198.51.100.2"):
        assert await try_code(browser, WRONG, f"{forged}, 203.0.113.5, 10.0.0.7") == 200
    assert await try_code(browser, WRONG, "203.0.113.5") == 429
    assert await try_code(browser, WRONG, "203.0.113.6") == 200  # another client, same proxy


async def test_forwarded_addresses_from_anyone_else_are_ignored(
    make_browser: MakeBrowser, settings: Settings
) -> None:
    browser = await make_browser(create_app(settings.with_(resume_attempts_per_address=2)))
    await browser.get("/resume")
    for last in (1, 2):
        assert await try_code(browser, WRONG, f"203.0.113.{last}") == 200
    assert await try_code(browser, WRONG, "203.0.113.3") == 429


async def test_wrong_codes_from_many_addresses_never_refuse_a_correct_code(
    make_browser: MakeBrowser, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    """Issue 20: one person with 21 addresses used up the global cap of 200 wrong codes an
    hour and locked everyone out, correct codes included. Now the global count only raises an
    alert (a log line without addresses or codes, and a number in /healthz)."""
    app = create_app(settings.with_(trusted_proxies=("127.0.0.1",)))
    browser = await make_browser(app)
    shown, _spoken = await saved_code(browser)
    browser.client.session.cookie_jar.clear()
    await browser.get("/resume")
    for address in range(1, 22):  # 21 addresses, each at its own limit of 10
        for _ in range(10):
            assert await try_code(browser, WRONG, f"203.0.113.{address}") == 200
        assert await try_code(browser, WRONG, f"203.0.113.{address}") == 429
    health = await (await browser.client.get("/healthz")).json()
    assert health == {"status": "ok", "wrong_codes_this_hour": 210, "wrong_codes_alert": True}
    alerts = [r.getMessage() for r in caplog.records if "wrong resume codes" in r.getMessage()]
    assert len(alerts) == 1 and "203.0.113" not in alerts[0] and "AAAA" not in alerts[0]
    # Someone else, from an address of their own, with their right code.
    assert await try_code(browser, shown, "198.51.100.7") == 303


async def test_ipv6_addresses_in_one_64_network_share_a_limit(
    make_browser: MakeBrowser, settings: Settings
) -> None:
    """A home or an office is given a whole /64: one client could otherwise count as 2^64."""
    app = create_app(settings.with_(resume_attempts_per_address=2, trusted_proxies=("127.0.0.1",)))
    browser = await make_browser(app)
    await browser.get("/resume")
    assert await try_code(browser, WRONG, "2001:db8:1:2::1") == 200
    assert await try_code(browser, WRONG, "2001:db8:1:2:ffff:ffff:ffff:ffff") == 200
    assert await try_code(browser, WRONG, "2001:db8:1:2:abcd::5") == 429
    assert await try_code(browser, WRONG, "2001:db8:1:3::1") == 200  # the next /64


def cookie_flags(response: ClientResponse) -> dict[str, set[str]]:
    flags = {}
    for header in response.headers.getall("Set-Cookie", ()):
        name, *attributes = (part.strip() for part in header.split(";"))
        flags[name.split("=")[0]] = {a.split("=")[0].lower() for a in attributes}
    return flags


@pytest.mark.parametrize(
    ("trusted", "forwarded_proto", "secure_cookies", "secure"),
    [
        ((), None, False, False),
        (("127.0.0.1",), "https", False, True),  # the proxy terminated HTTPS
        (("127.0.0.1",), "http", False, False),
        ((), "https", False, False),  # anyone can send the header
        ((), None, True, True),  # OMA_SECURE_COOKIES=1: always
    ],
)
async def test_cookies_are_secure_when_the_request_came_over_https(
    aiohttp_client: Callable[..., Awaitable[TestClient]],
    settings: Settings,
    trusted: tuple[str, ...],
    forwarded_proto: str | None,
    secure_cookies: bool,
    secure: bool,
) -> None:
    app = create_app(settings.with_(trusted_proxies=trusted, secure_cookies=secure_cookies))
    client = await aiohttp_client(app)
    headers = {"X-Forwarded-Proto": forwarded_proto} if forwarded_proto else {}
    first = await client.get("/", headers=headers)
    prefix = "__Host-" if secure else ""  # see tests/test_cookies.py
    token = first.headers["X-CSRF-Token"]
    # A browser would not send Secure cookies back over plain HTTP: the test sends them itself.
    headers["Cookie"] = f"{prefix}oma_csrf={first.cookies[f'{prefix}oma_csrf'].value}"
    prefs = await client.post(
        "/language", data={"csrf": token, "language": "en"}, headers=headers, allow_redirects=False
    )
    started = await client.post(
        "/start", data={"csrf": token, "role": "client"}, headers=headers, allow_redirects=False
    )
    flags = {**cookie_flags(first), **cookie_flags(prefs), **cookie_flags(started)}
    assert set(flags) == {f"{prefix}{name}" for name in ("oma_csrf", "oma_prefs", "oma_session")}
    for name, attributes in flags.items():
        assert ("secure" in attributes) == secure, name
        assert {"httponly", "samesite", "path"} <= attributes, name
