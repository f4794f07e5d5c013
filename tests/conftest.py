"""Shared fixtures: settings in a temporary data folder, the real app with the real SQLite store,
and a no-JavaScript browser."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from assistant.app import create_app
from assistant.settings import Settings
from assistant.speech import SpeechService
from tests.web.browser import Browser

ROOT = Path(__file__).resolve().parent.parent
WEB_DIALOGUES = ROOT / "tests" / "web"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The test dialogue with every kind of step, in a fresh data folder, speech off."""
    return Settings.from_env(
        data_dir=tmp_path / "data",
        dialogues_dir=WEB_DIALOGUES,
        default_dialogue="every-kind",
        speech=False,
    )


@pytest.fixture
async def client(
    aiohttp_client: Callable[..., Awaitable[TestClient]], settings: Settings
) -> TestClient:
    return await aiohttp_client(create_app(settings))


@pytest.fixture
async def real(tmp_path: Path) -> AsyncIterator[SpeechService]:
    """The real speech service: espeak-ng in the worker process."""
    service = SpeechService(tmp_path / "cache", key=b"test", timeout=20)
    await service.start()
    assert service.available, service.reason
    yield service
    await service.close()


@pytest.fixture
def make_browser(
    aiohttp_client: Callable[..., Awaitable[TestClient]],
) -> Callable[..., Awaitable[Browser]]:
    """A new browser (its own cookies) on an app; several browsers may share one app."""

    async def make(app: Any) -> Browser:
        return Browser(await aiohttp_client(app))

    return make


@pytest.fixture
async def browser(client: TestClient) -> Browser:
    return Browser(client)
