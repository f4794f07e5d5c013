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


async def raw(client: TestClient, request: bytes, *, head_only: bool = False) -> bytes:
    """Send bytes exactly as given, and read the whole response (or only its head)."""
    reader, writer = await asyncio.open_connection(client.server.host, client.server.port)
    writer.write(request)
    await writer.drain()
    read = reader.readuntil(b"\r\n\r\n") if head_only else reader.read()
    response = await asyncio.wait_for(read, 10)
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


SENT = {
    "a page": b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    "a static file": b"GET /static/css/app.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    "a redirect": b"GET /review HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    "not found": b"GET /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    "a wrong method": b"PUT /review HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    "a refused post": b"POST /start HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
    "too large": b"POST /start HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\n",
    # Broken HTTP: answered by aiohttp's parser before any of our code runs.
    "a broken request line": b"GET /\x01 HTTP/1.1\r\nHost: x\r\n\r\n",
    "a broken header": b"GET / HTTP/1.1\r\nHost x\r\n\r\n",
    "a broken body": b"POST /start HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
}


@pytest.mark.parametrize("what", SENT)
async def test_no_response_names_the_software_or_its_versions(
    served: TestClient, what: str
) -> None:
    head = (await raw(served, SENT[what], head_only=True)).decode("latin-1").lower()
    servers = [line for line in head.split("\r\n") if line.startswith("server:")]
    assert servers == ["server: oma-aani"], (what, head)
    assert "python" not in head and "aiohttp" not in head
