"""/metrics through the real app: hidden without OMA_METRICS_TOKEN, refused with a wrong token,
and with the right one counts and timings that hold no step ids and no answers."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from assistant.app import create_app
from assistant.metrics import prepare_workers
from assistant.settings import SettingError, Settings
from assistant.speech import SpeechService
from assistant.web.urls import url
from tests.test_web_conversation import answer, begin
from tests.web.browser import Browser

TOKEN = "a-token-of-32-characters-or-so-x"
ANSWER = "Zebrafish-Quartet"  # a name nobody's metrics would hold by chance
MakeClient = Callable[..., Awaitable[TestClient]]


@pytest.fixture
async def client(aiohttp_client: MakeClient, settings: Settings) -> TestClient:
    return await aiohttp_client(create_app(settings.with_(metrics_token=TOKEN)))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def scrape(client: TestClient) -> str:
    response = await client.get(url("metrics"), headers=bearer(TOKEN))
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=")
    return await response.text()


def value(text: str, series: str) -> float:
    """The value of one series line, such as oma_steps_answered_total{action="skip",...}."""
    for line in text.splitlines():
        if line.startswith(series + " "):
            return float(line.split()[-1])
    return 0.0


async def test_without_a_token_setting_there_is_no_metrics_page(
    aiohttp_client: MakeClient, settings: Settings
) -> None:
    client = await aiohttp_client(create_app(settings))
    assert not settings.metrics_token
    assert (await client.get(url("metrics"))).status == 404
    assert (await client.get(url("metrics"), headers=bearer("anything-at-all-long"))).status == 404


@pytest.mark.parametrize(
    "headers",
    [
        {},
        bearer("a-wrong-token-of-32-characters-x"),
        bearer(TOKEN[:-1]),
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": "Bearer ä-not-ascii"},
    ],
)
async def test_a_missing_or_wrong_token_gets_401_and_no_numbers(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = await client.get(url("metrics"), headers=headers)
    assert response.status == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert "oma_" not in await response.text()


async def test_an_answered_step_is_counted_without_its_key_or_answer(client: TestClient) -> None:
    browser = Browser(client)
    before = await scrape(client)
    series = 'oma_steps_answered_total{action="continue",dialogue="every-kind"}'
    skipped = 'oma_steps_answered_total{action="skip",dialogue="every-kind"}'
    await begin(browser)
    await answer(browser)  # the information step
    await answer(browser, {"answer": ANSWER})  # "name"
    await answer(browser, button="Skip this question")  # "good-at"
    after = await scrape(client)
    assert value(after, series) == value(before, series) + 2
    assert value(after, skipped) == value(before, skipped) + 1
    assert ANSWER not in after
    for key in ("welcome", "name", "good-at", "works"):
        assert not re.search(rf'"{re.escape(key)}"|\b{re.escape(key)}\b=', after), key
    # The store's load and save times, as a histogram.
    for operation in ("load", "save"):
        count = value(after, f'oma_store_seconds_count{{operation="{operation}"}}')
        assert count >= 1, operation
        assert f'oma_store_seconds_bucket{{le="0.005",operation="{operation}"}}' in after
    # This hour's wrong resume codes, from the store.
    assert value(after, "oma_wrong_resume_codes_this_hour") == 0.0
    assert "oma_wrong_resume_codes_this_hour 0.0" in after


async def test_the_api_counts_steps_too_and_a_refused_action_not_at_all(
    client: TestClient,
) -> None:
    series = 'oma_steps_answered_total{action="continue",dialogue="every-kind"}'
    token = (await client.get(url("start"))).headers["X-CSRF-Token"]
    started = await client.post(
        url("api-conversations"), json={"role": "client"}, headers={"X-CSRF-Token": token}
    )
    assert started.status == 201
    headers = {"X-CSRF-Token": started.headers["X-CSRF-Token"]}
    key = (await started.json())["position"]["key"]
    done = await client.post(url("api-steps", key=key), json={}, headers=headers)
    assert done.status == 200
    invented = await client.post(
        url("api-steps", key="name"), json={"action": "my-secret-action"}, headers=headers
    )
    assert invented.status == 404
    text = await scrape(client)
    assert value(text, series) == 1
    assert "my-secret-action" not in text


async def test_errors_are_counted_by_status_class_and_reason(client: TestClient) -> None:
    series = 'oma_errors_total{reason="not-found",status_class="4xx"}'
    before = value(await scrape(client), series)
    assert (await client.get("/no-such-page/with-a-name-in-it")).status == 404
    after = await scrape(client)
    assert value(after, series) == before + 1
    assert "no-such-page" not in after and "with-a-name" not in after


async def test_speech_queue_and_cache_are_counted(
    aiohttp_client: MakeClient, settings: Settings, real: SpeechService
) -> None:
    client = await aiohttp_client(create_app(settings.with_(metrics_token=TOKEN), speech=real))
    await client.get(url("metrics"), headers=bearer(TOKEN))  # the app has started
    await real.audio("Hello there", "en")
    await real.audio("Hello there", "en")
    text = await scrape(client)
    assert value(text, 'oma_speech_cache_total{result="miss"}') == 1
    assert value(text, 'oma_speech_cache_total{result="hit"}') == 1
    assert value(text, "oma_speech_queue_length") == 0


def test_the_token_must_be_long_enough(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OMA_METRICS_TOKEN", "short")
    with pytest.raises(SettingError, match="OMA_METRICS_TOKEN"):
        Settings.from_env()
    monkeypatch.setenv("OMA_METRICS_TOKEN", TOKEN)
    assert Settings.from_env().metrics_token == TOKEN


def test_workers_share_a_multiprocess_folder_wiped_of_old_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    folder = tmp_path / "metrics"
    folder.mkdir()
    (folder / "counter_123.db").write_bytes(b"old")
    (folder / "keep.txt").write_text("not ours")
    prepare_workers(tmp_path)
    import os

    assert os.environ["PROMETHEUS_MULTIPROC_DIR"] == str(folder)
    assert sorted(p.name for p in folder.iterdir()) == ["keep.txt"]


def test_with_workers_any_worker_answers_with_every_workers_counts(tmp_path: Path) -> None:
    """`serve --workers 2`: each scrape reaches one worker (new connection each time, both
    take some), and each says the sum over both."""
    import os
    import signal
    import subprocess
    import urllib.error
    import urllib.request

    from assistant.settings import PROJECT_ROOT
    from tests.postgres import free_port
    from tests.test_workers import COMMAND, children, listening_workers

    port = free_port()
    environment = {
        **{k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"},
        "OMA_SPEECH": "0",
        "OMA_DATABASE_URL": "",
        "OMA_METRICS_TOKEN": TOKEN,
    }
    server = subprocess.Popen(
        [*COMMAND, "--workers", "2", "--port", str(port), "--data-dir", str(tmp_path)],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def get(path: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return int(response.status), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, ""

    try:
        assert len(listening_workers(server.pid, port)) == 2
        for _ in range(10):
            assert get("/no-such-page")[0] == 404
        series = 'oma_errors_total{reason="not-found",status_class="4xx"}'
        for _ in range(6):
            status, text = get(url("metrics"), bearer(TOKEN))
            assert status == 200
            assert value(text, series) == 10
        # Both workers write their values into the one folder (the live gauge, one file each).
        assert len(list((tmp_path / "metrics").glob("gauge_livesum_*.db"))) == 2
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
    finally:
        if server.poll() is None:
            for worker in children(server.pid):
                os.kill(worker, signal.SIGKILL)
            server.kill()
            server.wait()
