"""How many conversations one address may start in an hour (issue 20: 3,745 in 8 seconds from
one address, each a row in the store). Counted in the store, so every process on the same
database shares the count; per IPv4 address, and per /64 network for IPv6."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from assistant.app import create_app
from assistant.settings import Settings
from assistant.web.client import counted_address
from tests.test_resume import post_status
from tests.test_web_conversation import answer, begin, csrf
from tests.test_web_people import conversations_in
from tests.web.browser import Browser

MakeBrowser = Callable[[Any], Awaitable[Browser]]


async def start(browser: Browser, forwarded_for: str | None = None) -> int:
    """303: a new conversation; 429: too many from this address."""
    if browser.page is None:
        await browser.get("/")
    return await post_status(browser, "/start", {"role": "client"}, forwarded_for)


async def test_over_the_limit_a_start_gets_a_page_that_says_what_to_do(
    make_browser: MakeBrowser, settings: Settings
) -> None:
    browser = await make_browser(create_app(settings.with_(starts_per_address=3)))
    await begin(browser)  # the first start
    await answer(browser)
    await answer(browser, {"answer": "Aino"})
    await browser.get("/")
    assert [await start(browser) for _ in range(2)] == [303, 303]
    await browser.get("/q/name")  # the third conversation: its name answered
    await answer(browser, {"answer": "Aino"})
    saved = conversations_in(settings)
    await browser.get("/")
    response = await browser.client.post(
        "/start", data={"csrf": csrf(browser), "role": "client"}, allow_redirects=False
    )
    assert response.status == 429
    assert 0 < int(response.headers["Retry-After"]) <= 3600
    page = await browser.read(response)
    assert page.title.startswith("Error:") and "Too many new conversations" in page.text
    assert "Wait an hour and try again" in page.text
    assert page.link("Continue with a code") == "/resume"
    # Refused before anything was left: the answers on this device are all still there.
    assert conversations_in(settings) == saved
    assert "Aino" in (await browser.get("/q/name")).html


async def test_the_page_is_in_the_persons_language(
    make_browser: MakeBrowser, settings: Settings
) -> None:
    browser = await make_browser(create_app(settings.with_(starts_per_address=1)))
    await browser.get("/")
    await browser.client.post("/language", data={"csrf": csrf(browser), "language": "sv"})
    assert await start(browser) == 303
    await browser.get("/")
    response = await browser.client.post("/start", data={"csrf": csrf(browser)})
    page = await browser.read(response)
    assert response.status == 429 and "För många nya samtal" in page.text
    assert page.link("Fortsätt med en kod") == "/resume"


async def test_the_api_start_is_limited_too(make_browser: MakeBrowser, settings: Settings) -> None:
    browser = await make_browser(create_app(settings.with_(starts_per_address=2)))
    await browser.get("/")
    await browser.client.post("/language", data={"csrf": csrf(browser), "language": "en"})

    token = csrf(browser)

    async def api_start() -> Any:
        nonlocal token  # each start binds a new token to its session, sent in a header
        response = await browser.client.post(
            "/api/v1/conversations", json={"role": "client"}, headers={"X-CSRF-Token": token}
        )
        token = response.headers.get("X-CSRF-Token", token)
        return response

    assert [(await api_start()).status for _ in range(2)] == [201, 201]
    refused = await api_start()
    assert refused.status == 429 and "Retry-After" in refused.headers
    body = await refused.json()
    assert body["error"] == "too-many-starts" and "Wait an hour" in body["message"]
    assert await start(browser) == 429  # one count for the pages and the API


async def test_each_client_behind_a_proxy_has_its_own_count(
    make_browser: MakeBrowser, settings: Settings
) -> None:
    app = create_app(settings.with_(starts_per_address=2, trusted_proxies=("127.0.0.1",)))
    browser = await make_browser(app)
    for address in ("203.0.113.5", "203.0.113.5"):
        assert await start(browser, address) == 303
    assert await start(browser, "203.0.113.5") == 429
    assert await start(browser, "203.0.113.6") == 303  # another client, same proxy
    # IPv6: one home or office has a whole /64, so the /64 is counted as one address.
    assert await start(browser, "2001:db8:1:2::1") == 303
    assert await start(browser, "2001:db8:1:2:aaaa::9") == 303
    assert await start(browser, "2001:db8:1:2:ffff::1") == 429
    assert await start(browser, "2001:db8:1:3::1") == 303  # the next /64: someone else


async def test_the_count_is_shared_by_every_process_on_the_database(
    make_browser: MakeBrowser, settings: Settings
) -> None:
    """Two servers on one data folder, as when several processes serve one region."""
    limited = settings.with_(starts_per_address=2)
    first, second = await make_browser(create_app(limited)), await make_browser(create_app(limited))
    assert await start(first) == 303
    assert await start(second) == 303
    assert await start(first) == 429 and await start(second) == 429


@pytest.mark.parametrize(
    ("remote", "counted"),
    [
        ("192.0.2.7", "192.0.2.7"),
        ("::ffff:192.0.2.7", "192.0.2.7"),  # a dual-stack socket's IPv4 client
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("not an address", "not an address"),
        (None, "unknown"),
    ],
)
def test_what_counts_as_one_address(remote: str | None, counted: str) -> None:
    assert counted_address(remote) == counted
