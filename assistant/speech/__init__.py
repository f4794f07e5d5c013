"""Speech: every prompt can be listened to. Generated on the server, cached, never blocking it.

`SpeechService.audio(text, locale, rate)` gives MP3 audio. Dialogue and interface texts
are cached on disk by a keyed hash of (engine, voice, rate, text), written to a temporary file
and renamed so a partial file is never served. A person's own words (`cache=False`) are
synthesised for them only and never written to disk or logged; they are kept in memory for a
few minutes for that person alone (assistant.speech.recent).

One worker makes all speech, one text at a time. What waits is made in a fair order
(assistant.speech.scheduler): questions before answers read back, people taking turns, at
most one request waiting per person. The same request twice shares one synthesis.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import functools
import hashlib
import hmac
import io
import itertools
import logging
import os
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.i18n.languages import language, languages
from assistant.secret_key import load_secret
from assistant.speech.recent import Key, RecentAudio
from assistant.speech.scheduler import ANSWER, QUESTION, Scheduler
from assistant.speech.worker import REAL_ENGINE, SCRATCH, SpeechFailed, Worker

if TYPE_CHECKING:
    from assistant.settings import Settings

__all__ = ["Audio", "SpeechBusy", "SpeechFailed", "SpeechService", "service_for"]
log = logging.getLogger("assistant.speech")

RATES = {"slower": 140, "normal": 175, "faster": 215}
PLAIN_SLOWER = 15
MEDIA_TYPE = "audio/mpeg"
CACHE_VERSION = "espeak-ng-mp3-1"


class SpeechBusy(Exception):
    """Too many requests waiting, or a newer request from the same person took this one's
    place: answer 503 and let the person try again."""


@dataclass(frozen=True)
class Audio:
    data: bytes
    media_type: str = MEDIA_TYPE
    cached: bool = False


@dataclass(eq=False)
class _Job:
    """One synthesis, and everyone waiting for it (the same request may come twice)."""

    key: Key
    future: asyncio.Future[bytes]
    listeners: int = field(default=0)


def _retrieved(future: asyncio.Future[bytes]) -> None:
    """A job whose listeners all left may fail unseen: that is not an error to report."""
    if not future.cancelled():
        future.exception()


def voices() -> dict[str, str]:
    """Each language's espeak-ng voice (assistant/i18n/languages.py)."""
    return {entry.code: entry.voice for entry in languages()}


def voice_and_rate(locale: str, rate: str) -> tuple[str, int]:
    """The language's voice; a plain-language variant uses the same voice, a bit slower."""
    words_per_minute = RATES.get(rate, RATES["normal"]) - (PLAIN_SLOWER if "@" in locale else 0)
    return language(locale).voice, words_per_minute


class SpeechService:
    def __init__(
        self,
        cache_dir: Path,
        *,
        engine: str = REAL_ENGINE,
        timeout: float = 10.0,
        queue: int = 64,
        key: bytes = b"",
    ) -> None:
        self.cache_dir = cache_dir
        self.worker = Worker(engine, timeout)
        self.queue = queue
        self.key = key
        self.synthesised = 0
        self.line: Scheduler[_Job] = Scheduler(per_session=1)
        self.recent = RecentAudio()
        self._jobs: dict[Key, _Job] = {}  # waiting or being made
        self._making: asyncio.Task[None] | None = None
        self._anonymous = itertools.count()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="speech")
        self.available = False
        # Why not, for the log and the terminal (`reason`) and as a stable code that pages turn
        # into plain words (`problem`): "starting", "no-engine", or "" while speech works.
        self.reason = "Speech has not started yet."
        self.problem = "starting"

    async def start(self) -> None:
        """Start the worker; if there is no engine, say why and keep going without speech."""
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(self._executor, self.worker.start)
            self.available, self.reason, self.problem = True, "", ""
        except SpeechFailed as error:
            self.available, self.reason = False, f"No speech engine: {error}"
            self.problem = "no-engine"

    def cache_path(self, text: str, voice: str, rate: int) -> Path:
        material = "\x1f".join((CACHE_VERSION, voice, str(rate), text)).encode()
        digest = hmac.new(self.key, material, hashlib.sha256).hexdigest()
        return self.cache_dir / digest[:2] / f"{digest}.mp3"

    async def audio(
        self,
        text: str,
        locale: str,
        rate: str = "normal",
        *,
        cache: bool = True,
        session: str = "",
        read_back: bool = False,
    ) -> Audio:
        """The text as audio. `session`: whose request it is, for taking turns (none: a turn of
        its own); `read_back`: a person's answer read back, which waits behind questions.
        Raises SpeechFailed, or SpeechBusy when the line is full or this request's place went
        to a newer one from the same session."""
        voice, words_per_minute = voice_and_rate(locale, rate)
        path = self.cache_path(text, voice, words_per_minute) if cache else None
        loop = asyncio.get_running_loop()
        # A cache hit is read on a thread too: a slow disk never holds up other people's pages.
        cached = await loop.run_in_executor(None, _read_if_there, path) if path else None
        if cached is not None:
            return Audio(cached, cached=True)
        key = (session or f"#{next(self._anonymous)}", voice, words_per_minute, text)
        personal = path is None and bool(session)  # kept a while in memory, for them alone
        recent = self.recent.get(key) if personal else None
        if recent is not None:
            return Audio(recent)
        if not self.available:
            raise SpeechFailed(self.reason)
        data = await self._made(key, ANSWER if read_back else QUESTION)
        if path is not None:
            try:
                await loop.run_in_executor(None, _write_atomically, path, data)
            except OSError as error:
                # A full or read-only disk costs the cache, never the audio someone waits for.
                # The error's name only: its message would hold the path, and no text is logged.
                reason = errno.errorcode.get(error.errno or 0, type(error).__name__)
                log.warning("speech cache not written (%s); the audio was served uncached", reason)
        elif personal:
            self.recent.keep(key, data)
        return Audio(data)

    async def _made(self, key: Key, priority: int) -> bytes:
        """Wait in line for the worker (or join the same request already there)."""
        job = self._jobs.get(key)
        if job is None:
            if len(self.line) >= self.queue:
                raise SpeechBusy()
            job = _Job(key, asyncio.get_running_loop().create_future())
            job.future.add_done_callback(_retrieved)
            self._jobs[key] = job
            for pushed in self.line.add(job, key[0], priority):
                del self._jobs[pushed.key]
                pushed.future.set_exception(SpeechBusy())
            self._make_next()
        job.listeners += 1
        try:
            return await asyncio.shield(job.future)
        finally:
            job.listeners -= 1
            if job.listeners == 0 and self.line.remove(job):  # everyone left: not made
                del self._jobs[job.key]
                job.future.cancel()

    def _make_next(self) -> None:
        if self._making is None and (job := self.line.next()) is not None:
            self._making = asyncio.create_task(self._make(job))

    async def _make(self, job: _Job) -> None:
        loop = asyncio.get_running_loop()
        _session, voice, words_per_minute, text = job.key
        synthesise = functools.partial(self.worker.synthesise, text, voice, words_per_minute)
        try:
            try:
                data = await loop.run_in_executor(self._executor, synthesise)
            except SpeechFailed:
                # Once more, on a fresh worker: espeak rarely fails a text it speaks fine the
                # next time (1 in ~500 in tts warm). A real fault fails again and is reported.
                data = await loop.run_in_executor(self._executor, synthesise)
            self.synthesised += 1
            job.future.set_result(data)
        except Exception as error:
            job.future.set_exception(error)
        except asyncio.CancelledError:  # the server is stopping
            job.future.set_exception(SpeechFailed("the speech service stopped"))
            raise
        finally:
            self._jobs.pop(job.key, None)
            self._making = None
            self._make_next()

    def forget(self, session: str) -> None:
        """The person deleted their answers: nothing of theirs stays in memory."""
        self.recent.forget(session)

    def voices(self) -> list[tuple[str, str]]:
        return list(self.worker.voices)

    async def close(self) -> None:
        self.available, self.reason = False, "The speech service has stopped."
        while (job := self.line.next()) is not None:
            job.future.set_exception(SpeechFailed("the speech service is closing"))
        if self._making is not None:
            await self._making
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, self.worker.close)
        self._executor.shutdown(wait=True)


def _read_if_there(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def service_for(settings: Settings, engine: str | None = None) -> SpeechService:
    """The speech service as the settings ask for it, with the server's secret key."""
    return SpeechService(
        settings.data_dir / "speech-cache",
        engine=engine or REAL_ENGINE,
        timeout=settings.speech_timeout,
        queue=settings.speech_queue,
        key=load_secret(settings.data_dir, settings.secret_key_file),
    )


PLAYERS = (("paplay",), ("play", "-q"), ("ffplay", "-nodisp", "-autoexit", "-loglevel", "quiet"))


def local_speaker(settings: Settings) -> Callable[[str, str], None] | None:
    """For `assistant talk`: speak on this computer through the same worker and cache, played
    by the first audio player found. None when there is no engine or no player."""
    import shutil
    import subprocess

    player = next((p for p in PLAYERS if shutil.which(p[0])), None)
    if player is None:
        return None
    service = service_for(settings)
    loop = asyncio.new_event_loop()
    loop.run_until_complete(service.start())
    if not service.available:
        return None

    def say(text: str, locale: str) -> None:
        import soundfile

        audio = loop.run_until_complete(service.audio(text, locale, cache=False))
        data, rate = soundfile.read(io.BytesIO(audio.data), dtype="int16")
        # Played as WAV, which every player reads (sox's play may lack MP3 support).
        with tempfile.NamedTemporaryFile(suffix=".wav", dir=SCRATCH) as file:  # in memory
            soundfile.write(file, data, rate, format="WAV")
            file.flush()
            subprocess.run([*player, file.name], check=False, timeout=120)

    return say
