"""Audio in byte ranges, as Safari on iPhones asks for it: it plays media only from a server
that answers a range request with 206 Partial Content. For cached prompts and for a person's
own answer read back, through the real server and the worker process (fake engine)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from assistant.app import create_app
from assistant.settings import Settings
from assistant.speech import SpeechService
from tests.test_long_answers import at_good_at
from tests.web.browser import Browser

FAKE = "assistant.speech.fakes:SineEngine"
PROMPT = "/audio/q/name.mp3?part=question"  # dialogue text: from the cache after the first time
OWN = "/audio/q/name.mp3?part=answer"  # the person's own answer: made for them


@pytest.fixture
async def listener(aiohttp_client, settings: Settings, tmp_path: Path) -> AsyncIterator[Browser]:  # type: ignore[no-untyped-def]
    service = SpeechService(tmp_path / "cache", engine=FAKE, key=b"test", timeout=5)
    await service.start()
    browser = Browser(await aiohttp_client(create_app(settings, speech=service)))
    await at_good_at(browser)  # "Aino" answered to the question before
    await browser.get("/q/name")
    yield browser
    await service.close()


async def whole(browser: Browser, url: str) -> bytes:
    response = await browser.client.get(url)
    assert response.status == 200 and response.headers["Accept-Ranges"] == "bytes"
    return await response.read()


@pytest.mark.parametrize("url", [PROMPT, OWN])
async def test_a_range_gets_206_and_exactly_those_bytes(listener: Browser, url: str) -> None:
    full = await whole(listener, url)
    response = await listener.client.get(url, headers={"Range": "bytes=0-99"})
    assert response.status == 206
    assert response.headers["Content-Range"] == f"bytes 0-99/{len(full)}"
    assert response.headers["Accept-Ranges"] == "bytes"
    assert response.content_type == "audio/mpeg"
    assert await response.read() == full[:100]


@pytest.mark.parametrize("url", [PROMPT, OWN])
async def test_open_and_suffix_ranges(listener: Browser, url: str) -> None:
    full = await whole(listener, url)
    opened = await listener.client.get(url, headers={"Range": "bytes=100-"})
    assert opened.status == 206
    assert opened.headers["Content-Range"] == f"bytes 100-{len(full) - 1}/{len(full)}"
    assert await opened.read() == full[100:]
    suffix = await listener.client.get(url, headers={"Range": "bytes=-500"})
    assert suffix.status == 206
    assert suffix.headers["Content-Range"] == f"bytes {len(full) - 500}-{len(full) - 1}/{len(full)}"
    assert await suffix.read() == full[-500:]
    # An end past the file is cut to the file (Safari's first request is bytes=0-1, then more).
    beyond = await listener.client.get(url, headers={"Range": f"bytes=10-{len(full) * 2}"})
    assert beyond.status == 206 and await beyond.read() == full[10:]


@pytest.mark.parametrize("url", [PROMPT, OWN])
async def test_a_range_past_the_end_is_416_with_the_length(listener: Browser, url: str) -> None:
    full = await whole(listener, url)
    for asked in (f"bytes={len(full)}-", f"bytes={len(full) + 10}-{len(full) + 20}", "bytes=-0"):
        response = await listener.client.get(url, headers={"Range": asked})
        assert response.status == 416, asked
        assert response.headers["Content-Range"] == f"bytes */{len(full)}"


@pytest.mark.parametrize(
    "asked",
    [
        "bytes=0-9, 20-29",  # several ranges: the whole file is a correct answer
        "bytes=9-0",  # not a range at all: ignored
        "items=0-9",  # a unit we do not have
        "bytes=abc",
        "bytes=" + "9" * 5000 + "-",  # a number no file has (and too long for int())
    ],
)
async def test_other_range_headers_get_the_whole_file(listener: Browser, asked: str) -> None:
    full = await whole(listener, PROMPT)
    response = await listener.client.get(PROMPT, headers={"Range": asked})
    assert response.status == 200 and await response.read() == full


async def test_if_range_we_cannot_check_gets_the_whole_file(listener: Browser) -> None:
    """We send no validator (ETag, Last-Modified), so an If-Range can never be confirmed."""
    full = await whole(listener, PROMPT)
    response = await listener.client.get(
        PROMPT, headers={"Range": "bytes=0-9", "If-Range": '"something"'}
    )
    assert response.status == 200 and await response.read() == full
