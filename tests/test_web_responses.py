"""What every response and every log line tells about the server: the access log cannot be
forged through a URL, and no response names the software's versions."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import pytest
from aiohttp.test_utils import TestClient
from yarl import URL

from assistant.app import create_app
from assistant.settings import Settings
from tests.web.served import ServedLikeServe


@pytest.fixture
async def served(
    aiohttp_client: Callable[..., Awaitable[TestClient]], settings: Settings
) -> TestClient:
    return await aiohttp_client(ServedLikeServe(create_app(settings)))


async def raw(client: TestClient, request: bytes) -> bytes:
    """Send bytes exactly as given, and read the whole response."""
    reader, writer = await asyncio.open_connection(client.server.host, client.server.port)
    writer.write(request)
    await writer.drain()
    response = await reader.read()
    writer.close()
    return response


async def access_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    for _ in range(200):  # the line is written just after the response
        lines = [r.getMessage() for r in caplog.records if r.name == "aiohttp.access"]
        if lines:
            return lines
        await asyncio.sleep(0.01)
    raise AssertionError("nothing in the access log")


@pytest.mark.parametrize("target", ["/q/x%0aFAKE%20200", "/q/x%0D%0AGET%20/admin%20200", "/%00"])
async def test_a_url_cannot_write_lines_into_the_access_log(
    served: TestClient, caplog: pytest.LogCaptureFixture, target: str
) -> None:
    caplog.set_level(logging.INFO)
    await raw(served, f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    lines = await access_lines(caplog)
    assert (
        len(lines) == 1 and "\n" not in lines[0] and "\r" not in lines[0] and "\0" not in lines[0]
    )
    assert lines[0].startswith(f"GET {target} ")  # as it was sent: still percent-encoded


async def test_an_error_log_line_cannot_be_forged_through_the_url_either(
    client: TestClient, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("broken")

    monkeypatch.setattr("assistant.conversations.Conversations.load", broken)
    caplog.set_level(logging.INFO)
    response = await client.get(URL("/q/name%0aFAKE%20line", encoded=True))
    assert response.status == 500
    logged = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(logged) == 1 and "\n" not in logged[0]
    assert logged[0].startswith("unexpected error on GET /q/name%0aFAKE%20line: ValueError")
