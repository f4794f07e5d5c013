"""A body that arrives in pieces is read whole, over a real socket to the running server: a
long answer sent in TCP-sized pieces, slowly, is saved complete; a body that stops short of its
Content-Length is refused with a 400 and saves nothing; chunked bodies work and are bounded."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from urllib.parse import urlencode

import pytest
from aiohttp.test_utils import TestClient

from assistant.app import create_app
from assistant.settings import Settings
from assistant.web.forms import MAX_BODY
from tests.test_long_answers import at_good_at
from tests.test_web_conversation import csrf
from tests.web.browser import Browser
from tests.web.served import ServedLikeServe

PIECE = 1448  # one TCP segment's payload on an ordinary Ethernet link
FORM = "application/x-www-form-urlencoded"
# Long enough to need several pieces, in characters of 1 to 4 bytes (up to 12 percent-encoded).
LONG = ("Leivon pullaa ja kuuntelen ystäviä 🙂. " * 120).strip()


@pytest.fixture
async def browser(
    aiohttp_client: Callable[..., Awaitable[TestClient]], settings: Settings
) -> Browser:
    """A browser on the real server, which logs each request the way `assistant serve` does."""
    return Browser(await aiohttp_client(ServedLikeServe(create_app(settings))))


def _head(browser: Browser, path: str, content_type: str, length: int | None) -> bytes:
    server = browser.client.server
    cookies = "; ".join(f"{c.key}={c.value}" for c in browser.client.session.cookie_jar)
    lines = [
        f"POST {path} HTTP/1.1",
        f"Host: {server.host}:{server.port}",
        f"Cookie: {cookies}",
        f"Content-Type: {content_type}",
        f"X-CSRF-Token: {csrf(browser)}",
        "Connection: close",
        f"Content-Length: {length}" if length is not None else "Transfer-Encoding: chunked",
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def send(
    browser: Browser, head: bytes, pieces: list[bytes], pause: float = 0.005
) -> tuple[int, bytes]:
    """Write the request head, then each piece after a pause, and read the whole response
    (the request asks the server to close after it): its status and body."""
    server = browser.client.server
    reader, writer = await asyncio.open_connection(server.host, server.port)
    try:
        for piece in [head, *pieces]:
            writer.write(piece)
            await writer.drain()
            await asyncio.sleep(pause)
    except ConnectionResetError:  # the server answered and closed before the body ended
        pass
    response = await reader.read()
    writer.close()
    status_line, _, rest = response.partition(b"\r\n")
    return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2]


async def send_and_hang_up(
    browser: Browser, head: bytes, pieces: list[bytes], caplog: pytest.LogCaptureFixture
) -> str:
    """Write the head and some pieces, then close the connection the way a phone that loses its
    network does, and wait for the server's access log line: the status it answered."""
    server = browser.client.server
    _, writer = await asyncio.open_connection(server.host, server.port)
    for piece in [head, *pieces]:
        writer.write(piece)
        await writer.drain()
        await asyncio.sleep(0.005)
    writer.close()
    for _ in range(500):
        for record in caplog.records:
            if record.name == "aiohttp.access" and record.getMessage().startswith("POST "):
                caplog.clear()
                return record.getMessage().split()[2]
        await asyncio.sleep(0.01)
    raise AssertionError(f"the server never finished the request: {caplog.text}")


def in_pieces(body: bytes, size: int = PIECE) -> list[bytes]:
    return [body[i : i + size] for i in range(0, len(body), size)]


def chunked(body: bytes, size: int = PIECE) -> list[bytes]:
    """The body in chunked transfer encoding, one chunk a piece, then the last chunk."""
    return [b"%x\r\n%s\r\n" % (len(p), p) for p in in_pieces(body, size)] + [b"0\r\n\r\n"]


async def saved_answer(browser: Browser) -> object:
    step = await (await browser.client.get("/api/v1/steps/good-at")).json()
    return step["answer"]["value"] if step["answer"] else None


def form_body(browser: Browser, answer: str) -> bytes:
    # "action" last, as a browser sends the pressed button: a cut body loses it first.
    return urlencode({"csrf": csrf(browser), "answer": answer, "action": "continue"}).encode()


async def test_a_long_form_answer_sent_slowly_in_pieces_is_saved_whole(browser: Browser) -> None:
    await at_good_at(browser)
    body = form_body(browser, LONG)
    assert len(body) > 4 * PIECE
    status, _ = await send(browser, _head(browser, "/q/good-at", FORM, len(body)), in_pieces(body))
    assert status == 303
    assert await saved_answer(browser) == LONG


async def test_a_long_api_answer_sent_slowly_in_pieces_is_saved_whole(browser: Browser) -> None:
    await at_good_at(browser)
    body = json.dumps({"answer": LONG}).encode()
    head = _head(browser, "/api/v1/steps/good-at", "application/json", len(body))
    status, response = await send(browser, head, in_pieces(body, 500))
    assert status == 200, response[:300]
    assert json.loads(response)["position"]["key"] == "works"
    assert await saved_answer(browser) == LONG


async def test_a_chunked_body_sent_in_pieces_is_saved_whole(browser: Browser) -> None:
    await at_good_at(browser)
    body = form_body(browser, LONG)
    status, _ = await send(browser, _head(browser, "/q/good-at", FORM, None), chunked(body))
    assert status == 303
    assert await saved_answer(browser) == LONG


async def test_a_body_shorter_than_its_length_is_refused_and_saves_nothing(
    browser: Browser, caplog: pytest.LogCaptureFixture
) -> None:
    """The client stops before the body's end and hangs up: the server answers 400 (it cannot
    be delivered, but it is what the access log shows), never a 500, and saves nothing."""
    await at_good_at(browser)
    caplog.set_level(logging.INFO)
    body = form_body(browser, LONG)
    cut = in_pieces(body)[:-1]  # the last piece never comes
    head = _head(browser, "/q/good-at", FORM, len(body))
    assert await send_and_hang_up(browser, head, cut, caplog) == "400"
    json_body = json.dumps({"answer": LONG}).encode()
    head = _head(browser, "/api/v1/steps/good-at", "application/json", len(json_body))
    assert await send_and_hang_up(browser, head, in_pieces(json_body)[:-1], caplog) == "400"
    # A chunked body that stops before its last chunk.
    head = _head(browser, "/q/good-at", FORM, None)
    assert await send_and_hang_up(browser, head, chunked(body)[:-2], caplog) == "400"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert await saved_answer(browser) is None


async def test_a_chunked_body_over_the_limit_is_refused_as_too_large(browser: Browser) -> None:
    await at_good_at(browser)
    body = form_body(browser, "x" * MAX_BODY)
    status, page = await send(
        browser, _head(browser, "/q/good-at", FORM, None), chunked(body, 16 * 1024), pause=0.002
    )
    assert status == 413
    assert b"What you sent was too long" in page
    assert await saved_answer(browser) is None


async def test_a_number_too_long_to_read_is_bad_json_not_a_500(browser: Browser) -> None:
    """Python refuses to read an integer of over 4,300 digits (a ValueError json.loads lets
    through): a clear 400 like any other bad JSON, with or without a conversation."""
    await browser.get("/")
    headers = {"X-CSRF-Token": csrf(browser), "Content-Type": "application/json"}
    huge = b"9" * 5000
    for path, body in (
        ("/api/v1/conversations", b'{"role": "client", "who": ' + huge + b"}"),
        ("/api/v1/settings", b'{"text_size": ' + huge + b"}"),
    ):
        response = await browser.client.post(path, data=body, headers=headers)
        assert (response.status, (await response.json())["error"]) == (400, "json"), path
    await at_good_at(browser)
    headers["X-CSRF-Token"] = csrf(browser)
    response = await browser.client.post(
        "/api/v1/steps/good-at", data=b'{"answer": ' + huge + b"}", headers=headers
    )
    assert (response.status, (await response.json())["error"]) == (400, "json")
    assert await saved_answer(browser) is None
