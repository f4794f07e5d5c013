"""Speech with the real espeak-ng engine, and with fakes that hang, crash or write garbage."""

from __future__ import annotations

import asyncio
import io
import logging
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import soundfile
from aiohttp.test_utils import TestClient

from assistant.app import create_app
from assistant.settings import Settings
from assistant.speech import SpeechFailed, SpeechService
from tests.test_web_conversation import answer, begin
from tests.web.browser import Browser

FAKE = "assistant.speech.fakes:SineEngine"
ROOT = Path(__file__).resolve().parent.parent


def is_mp3(data: bytes) -> bool:
    """An ID3 tag or an MPEG audio frame's sync word."""
    return data[:3] == b"ID3" or (data[0] == 0xFF and data[1] & 0xE0 == 0xE0)


def seconds(mp3: bytes) -> float:
    data, rate = soundfile.read(io.BytesIO(mp3))
    return len(data) / rate


@pytest.fixture
async def fake(tmp_path: Path) -> AsyncIterator[SpeechService]:
    service = SpeechService(tmp_path / "cache", engine=FAKE, key=b"test", timeout=1.5, queue=3)
    await service.start()
    yield service
    await service.close()


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("fi", "Mitä sinä toivot elämältäsi? Kerro omin sanoin."),
        ("sv", "Vad önskar du dig av livet? Berätta med egna ord."),
        ("en@easy", "What do you wish for in your life? Tell us in your own words."),
    ],
)
async def test_real_speech_decodes_and_lasts(real: SpeechService, locale: str, text: str) -> None:
    audio = await real.audio(text, locale)
    assert audio.media_type == "audio/mpeg" and is_mp3(audio.data)
    assert seconds(audio.data) > 0.5


async def test_a_cache_hit_does_no_synthesis(real: SpeechService, tmp_path: Path) -> None:
    first = await real.audio("Mitä sinä toivot?", "fi")
    before = real.synthesised
    second = await real.audio("Mitä sinä toivot?", "fi")
    assert second.cached and second.data == first.data and real.synthesised == before
    assert not list((tmp_path / "cache").rglob("*.part"))  # only whole files are left


async def test_a_persons_own_words_are_never_written_to_disk(
    real: SpeechService, tmp_path: Path
) -> None:
    audio = await real.audio("Anna auttaa minua kaupassa.", "fi", cache=False)
    assert seconds(audio.data) > 0.5
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").rglob("*"))


async def test_the_event_loop_stays_responsive_while_50_prompts_synthesise(
    real: SpeechService,
) -> None:
    """A ticker asks for 10 ms sleeps while 50 prompts synthesise. Were synthesis on the loop,
    the ticker would be late for nearly all of the time; off the loop it is late only by the
    machine's own scheduling noise. Measured as a share of the time, not a fixed number of
    milliseconds, so a busy machine does not fail it and a blocking change still does."""
    late = worst = 0.0
    done = asyncio.Event()

    async def ticker() -> None:
        nonlocal late, worst
        while not done.is_set():
            started = time.perf_counter()
            await asyncio.sleep(0.01)
            lag = time.perf_counter() - started - 0.01
            late, worst = late + lag, max(worst, lag)

    tick = asyncio.create_task(ticker())
    started = time.perf_counter()
    for n in range(50):
        await real.audio(f"Kysymys numero {n}: mitä sinulle kuuluu tänään?", "fi", cache=False)
    elapsed = time.perf_counter() - started
    done.set()
    await tick
    assert late / elapsed < 0.3, f"the loop was late {late / elapsed:.0%} of the time"
    assert worst < 0.5, f"the loop was blocked for {worst * 1000:.0f} ms at once"


async def test_a_hanging_engine_times_out_and_the_worker_restarts(fake: SpeechService) -> None:
    with pytest.raises(SpeechFailed):
        await fake.audio("please hang", "fi")
    assert fake.worker.restarts == 2  # the failure, and the one retry on a fresh worker
    assert seconds((await fake.audio("hello again", "fi")).data) > 0.5


async def test_a_crashing_engine_takes_down_only_the_worker(fake: SpeechService) -> None:
    with pytest.raises(SpeechFailed):
        await fake.audio("please crash", "fi")
    assert seconds((await fake.audio("still here", "fi")).data) > 0.5


async def test_garbage_is_never_served_or_cached(fake: SpeechService, tmp_path: Path) -> None:
    with pytest.raises(SpeechFailed):
        await fake.audio("garbage please", "fi")
    assert not list((tmp_path / "cache").rglob("*.mp3"))
    assert seconds((await fake.audio("good again", "fi")).data) > 0.5


async def test_no_engine_means_no_speech_and_a_reason(tmp_path: Path) -> None:
    service = SpeechService(tmp_path, engine="assistant.speech.fakes:MissingEngine")
    await service.start()
    assert not service.available and "libespeak-ng" in service.reason
    with pytest.raises(SpeechFailed):
        await service.audio("Hei", "fi")
    await service.close()


async def test_pages_offer_listening_and_the_audio_route_serves_it(
    aiohttp_client, settings: Settings, fake: SpeechService
) -> None:  # type: ignore[no-untyped-def]
    browser = Browser(await aiohttp_client(create_app(settings, speech=fake)))
    await begin(browser)
    await answer(browser)
    page = browser.page
    assert page and "Listen to the question" in page.text and 'preload="none"' in page.html
    response = await browser.client.get("/audio/q/name.mp3?part=question")
    assert response.status == 200 and response.content_type == "audio/mpeg"
    assert seconds(await response.read()) > 0.5
    assert (await browser.client.get("/audio/q/name.mp3?part=help")).status == 404


async def test_without_speech_the_controls_are_hidden_and_audio_is_503(client: TestClient) -> None:
    browser = Browser(client)
    await begin(browser)
    await answer(browser)
    assert browser.page and "Listen to the question" not in browser.page.text
    response = await client.get("/audio/q/name.mp3")
    assert response.status == 503 and "Listening is not available" in await response.text()
    settings_page = await browser.get("/settings")
    assert "Listening is not available on this service right now." in settings_page.text


@pytest.mark.parametrize(
    ("problem", "why"),
    [
        ("turned-off", "Kuuntelu on poistettu käytöstä tässä palvelussa."),
        ("starting", "Kuuntelu on vielä käynnistymässä. Yritä uudelleen minuutin kuluttua."),
        ("no-engine", "Ohjelma, joka lukee kysymykset ääneen, ei toimi tässä palvelussa."),
    ],
)
async def test_the_settings_page_says_why_listening_is_not_available(
    aiohttp_client, settings: Settings, tmp_path: Path, problem: str, why: str
) -> None:  # type: ignore[no-untyped-def]
    """In the person's language (Finnish by default) and in plain words, not the engine's."""
    service: SpeechService | None = None  # OMA_SPEECH=0: the app has no speech service at all
    if problem != "turned-off":
        service = SpeechService(tmp_path / "cache", engine="assistant.speech.fakes:MissingEngine")
        if problem == "no-engine":
            await service.start()
    try:
        browser = Browser(await aiohttp_client(create_app(settings, speech=service)))
        text = (await browser.get("/settings")).text
        assert "Kuuntelu ei ole nyt käytettävissä tässä palvelussa." in text
        assert why in text
        assert "libespeak" not in text and "engine" not in text
    finally:
        if service is not None:
            await service.close()


def test_tts_voices_and_warm_build_the_whole_cache(tmp_path: Path) -> None:
    env = {"OMA_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    voices = subprocess.run(
        [sys.executable, "-m", "assistant", "tts", "voices"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert voices.returncode == 0, voices.stderr
    assert "urj/fi" in voices.stdout and "gmq/sv" in voices.stdout
    warm = subprocess.run(
        [sys.executable, "-m", "assistant", "tts", "warm"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    assert warm.returncode == 0, warm.stderr
    assert "] " in warm.stderr and "0 failed" in warm.stdout  # the progress bar, and the counts
    again = subprocess.run(
        [sys.executable, "-m", "assistant", "tts", "warm"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert again.stdout.startswith("0 synthesised")


async def test_an_information_step_is_read_with_its_paragraphs(
    aiohttp_client, settings: Settings, real: SpeechService
) -> None:  # type: ignore[no-untyped-def]
    browser = Browser(await aiohttp_client(create_app(settings, speech=real)))
    await begin(browser)  # at "Before we start": a heading and two short paragraphs
    response = await browser.client.get("/audio/q/welcome.mp3?part=question")
    assert response.status == 200
    # The heading alone ("Before we start.") lasts about a second; with the paragraphs, more.
    assert seconds(await response.read()) > 3.0


async def test_pages_keep_working_while_the_engine_crashes(
    aiohttp_client, settings: Settings, fake: SpeechService
) -> None:  # type: ignore[no-untyped-def]
    browser = Browser(await aiohttp_client(create_app(settings, speech=fake)))
    await begin(browser)
    await answer(browser)
    await answer(browser, {"answer": "please crash"})  # a name the fake engine dies on
    await answer(browser, {"answer": "Listening"})
    await answer(browser, {"answer": "yes"})  # "Where do you work or study, please crash?"
    spoken = await browser.client.get("/audio/q/work-place.mp3?part=question")
    assert spoken.status == 503 and "Listening is not available" in await spoken.text()
    await answer(browser, {"answer": "The library"})  # the pages never noticed
    assert browser.page and browser.page.heading.endswith("How do you get around?")
    restarted = await browser.client.get("/audio/q/moving.mp3?part=question")
    assert restarted.status == 200 and seconds(await restarted.read()) > 0.5
    assert fake.worker.restarts >= 1


async def test_a_person_hears_their_own_answer_only_when_they_ask(
    aiohttp_client, settings: Settings, fake: SpeechService, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    browser = Browser(await aiohttp_client(create_app(settings, speech=fake)))
    await begin(browser)
    await answer(browser)
    page = await browser.get("/q/name")
    assert "Listen to your answer" not in page.text  # nothing answered yet
    await answer(browser, {"answer": "Aino"})
    page = await browser.get("/q/name")
    assert "Listen to your answer" in page.text and 'preload="none"' in page.html
    cached_before = sorted((tmp_path / "cache").rglob("*.mp3"))
    spoken = await browser.client.get("/audio/q/name.mp3?part=answer")
    assert spoken.status == 200 and seconds(await spoken.read()) > 0.5
    # Made for this person only: nothing of it is written to the cache.
    assert sorted((tmp_path / "cache").rglob("*.mp3")) == cached_before
    assert (await browser.client.get("/audio/q/name.mp3?part=nonsense")).status == 404


async def test_audio_is_served_when_the_cache_cannot_be_written(
    aiohttp_client,
    settings: Settings,
    real: SpeechService,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:  # type: ignore[no-untyped-def]
    """On a full disk the finished audio is still served; the log says the cache failed, and
    never what the prompt said."""

    def on_a_full_disk(dir: Path, suffix: str) -> tuple[int, str]:
        # Every write to /dev/full fails with ENOSPC, as on a disk with no room left.
        return os.open("/dev/full", os.O_WRONLY), str(Path(dir) / f"gone{suffix}")

    monkeypatch.setattr("assistant.speech.tempfile.mkstemp", on_a_full_disk)
    caplog.set_level(logging.INFO)
    browser = Browser(await aiohttp_client(create_app(settings, speech=real)))
    await begin(browser)
    await answer(browser)
    response = await browser.client.get("/audio/q/name.mp3?part=question")
    assert response.status == 200 and seconds(await response.read()) > 0.5
    assert not list((tmp_path / "cache").rglob("*.mp3"))
    assert "ENOSPC" in caplog.text and "call you" not in caplog.text
