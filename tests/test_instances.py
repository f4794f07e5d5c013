"""Two instances on one database agree on everything (issue 19): a code saved on one resumes on
the other, and wrong codes on both count toward one limit. Run on SQLite (two processes on
one file) and on a real PostgreSQL (two instances behind a load balancer)."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from assistant.app import create_app
from assistant.settings import SettingError, Settings
from tests.test_resume import WRONG, saved_code, try_code
from tests.web.browser import Browser

MakeBrowser = Callable[..., Awaitable[Browser]]


@pytest.fixture(params=["sqlite", "postgres"])
def shared(request: pytest.FixtureRequest, settings: Settings) -> Settings:
    """What two instances share: the database and the secret key (OMA_SECRET_KEY_FILE when
    they run on different machines; here one data folder)."""
    if request.param == "postgres":
        return settings.with_(database_url=request.getfixturevalue("postgres_url"))
    return settings.with_(database_url="")


async def test_a_code_saved_on_one_instance_resumes_on_the_other(
    make_browser: MakeBrowser, shared: Settings
) -> None:
    first = await make_browser(create_app(shared))
    second = await make_browser(create_app(shared))
    shown, _spoken = await saved_code(first)
    await second.get("/resume")
    page = await second.submit({"code": shown})
    assert page.heading.endswith("What are you good at?")
    assert "Aino" in (await second.get("/review")).text


async def test_wrong_codes_on_both_instances_count_toward_one_limit(
    make_browser: MakeBrowser, shared: Settings
) -> None:
    limited = shared.with_(resume_attempts_per_address=4, trusted_proxies=("127.0.0.1",))
    instances = [await make_browser(create_app(limited)) for _ in range(2)]
    for browser in instances:
        await browser.get("/resume")
    for number in range(4):
        assert await try_code(instances[number % 2], WRONG, "203.0.113.9") == 200
    for browser in instances:
        assert await try_code(browser, WRONG, "203.0.113.9") == 429
    health = [await (await b.client.get("/healthz")).json() for b in instances]
    assert {h["wrong_codes_this_hour"] for h in health} == {4}


async def test_an_idle_session_and_a_stop_hold_on_every_instance(
    aiohttp_client: Callable[..., Awaitable[TestClient]], shared: Settings
) -> None:
    """A session stopped through one instance opens nothing through the other."""
    first = Browser(await aiohttp_client(create_app(shared)))
    second_client = await aiohttp_client(create_app(shared))
    await saved_code(first)
    cookie = next(c for c in first.client.session.cookie_jar if c.key == "oma_session")
    token = cookie.value
    await first.submit(action="/stop")
    response = await second_client.get(
        "/review", headers={"Cookie": f"oma_session={token}"}, allow_redirects=False
    )
    assert response.headers["Location"] == "/resume?notice=ended"


async def test_instances_on_two_machines_share_the_secret_key_file(
    make_browser: MakeBrowser, settings: Settings, postgres_url: str, tmp_path: Path
) -> None:
    """Each machine has its own data folder; OMA_SECRET_KEY_FILE gives both one secret."""
    key = tmp_path / "oma-aani.key"
    key.write_bytes(os.urandom(32))
    machines = [
        settings.with_(
            database_url=postgres_url, data_dir=tmp_path / name, secret_key_file=str(key)
        )
        for name in ("one", "two")
    ]
    first, second = [await make_browser(create_app(s)) for s in machines]
    shown, _spoken = await saved_code(first)
    await second.get("/resume")
    assert (await second.submit({"code": shown})).heading.endswith("What are you good at?")
    assert not (tmp_path / "one" / "secret.key").exists()


def test_a_short_or_missing_key_file_stops_the_server_at_start(
    settings: Settings, tmp_path: Path
) -> None:
    short = tmp_path / "short.key"
    short.write_bytes(b"too short")
    for path, words in ((short, "at least 32 random bytes"), (tmp_path / "none", "can read")):
        with pytest.raises(SettingError, match=words):
            settings.with_(secret_key_file=str(path)).check_serving()
