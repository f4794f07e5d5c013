"""Shared fixtures: settings in a temporary data folder, the real app with the real SQLite store,
and a no-JavaScript browser."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from assistant.app import create_app
from assistant.settings import Settings
from assistant.speech import SpeechService
from tests import postgres
from tests.web.browser import Browser

ROOT = Path(__file__).resolve().parent.parent
WEB_DIALOGUES = ROOT / "tests" / "web"


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[postgres.Cluster]:
    """One throwaway PostgreSQL for the whole test run (tests/postgres.py); skips when the
    binaries are absent."""
    with postgres.cluster() as made:
        yield made


@pytest.fixture
def postgres_url(postgres_cluster: postgres.Cluster) -> str:
    """A fresh, empty database on the test cluster."""
    return postgres_cluster.new_database()


@pytest.fixture
def settings(tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    """The test dialogue with every kind of step, in a fresh data folder, speech off. With
    OMA_TEST_DATABASE=postgres, on a fresh PostgreSQL database instead of SQLite: every test
    built on this fixture then runs on PostgreSQL (`make pytest` runs them both ways)."""
    made = Settings.from_env(
        data_dir=tmp_path / "data",
        dialogues_dir=WEB_DIALOGUES,
        default_dialogue="every-kind",
        speech=False,
    )
    if on_postgres():
        made = made.with_(database_url=request.getfixturevalue("postgres_url"))
    return made


def on_postgres() -> bool:
    return os.environ.get("OMA_TEST_DATABASE", "") == "postgres"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The PostgreSQL run keeps the tests that run the product on its store (those built on
    the settings fixture), less those about SQLite itself (its files, its locks); the rest
    touch no store and ran in the first run."""
    if not on_postgres():
        return
    kept, dropped = [], []
    for item in items:
        uses_store = "settings" in getattr(item, "fixturenames", ())
        (kept if uses_store and not item.get_closest_marker("sqlite") else dropped).append(item)
    config.hook.pytest_deselected(items=dropped)
    items[:] = kept


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
