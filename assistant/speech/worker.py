"""The speech worker: one process owning one engine (libespeak-ng is not thread-safe).

The server talks to it over a pipe. A hang is cut off by a timeout, a crash ends only the
worker, and garbage is caught before it is served; in each case the worker is restarted for
the next request. Encoding to MP3 happens here too, off the server's event loop.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import multiprocessing
import os
import threading
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Protocol

REAL_ENGINE = "assistant.speech.worker:Pyttsx3Engine"
SCRATCH = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None


class SpeechFailed(Exception):
    """This text could not be spoken now; the worker has been restarted."""


class Engine(Protocol):
    def synthesise(self, text: str, voice: str, rate: int) -> bytes:
        """WAV bytes for the text."""

    def voices(self) -> list[tuple[str, str]]:
        """(id, name) of every installed voice."""


class Pyttsx3Engine:
    """pyttsx3 driving espeak-ng. Loads the library bundled in the espeakng-loader wheel
    (no system package needed), falling back to the system's libespeak-ng."""

    def __init__(self) -> None:
        import ctypes

        try:
            import espeakng_loader

            ctypes.CDLL(espeakng_loader.get_library_path(), mode=ctypes.RTLD_GLOBAL)
            # Without a data path espeak exits the whole process: set it before pyttsx3 loads.
            os.environ["ESPEAK_DATA_PATH"] = espeakng_loader.get_data_path()
        except (ImportError, OSError):
            pass
        import pyttsx3

        self.engine = pyttsx3.init("espeak")
        self.finished = threading.Event()
        self.engine.connect("finished-utterance", lambda name, completed: self.finished.set())

    def synthesise(self, text: str, voice: str, rate: int) -> bytes:
        import tempfile

        # pyttsx3's espeak driver can only write a file, and the text may be a person's own
        # words: keep that file in memory (tmpfs) where the system has one, and private.
        with tempfile.TemporaryDirectory(dir=SCRATCH) as folder:
            path = os.path.join(folder, "speech.wav")
            self.finished.clear()
            self.engine.setProperty("voice", voice)
            self.engine.setProperty("rate", rate)
            self.engine.save_to_file(text, path)
            # runAndWait may return before the file is complete: wait for the utterance to
            # finish, and never call stop(), which can cancel it and leave an empty file.
            self.engine.runAndWait()
            self.finished.wait(30)
            with open(path, "rb") as file:
                return file.read()

    def voices(self) -> list[tuple[str, str]]:
        return [(v.id, v.name) for v in self.engine.getProperty("voices")]


def load_engine(spec: str) -> Engine:
    module, name = spec.split(":")
    engine: Engine = getattr(importlib.import_module(module), name)()
    return engine


def encode_mp3(wav: bytes) -> bytes:
    """MP3 at about a tenth of the WAV's size, which every browser plays (Safari on iPhones,
    where many VoiceOver users listen, plays no OGG/Vorbis); raises if the WAV does not decode
    (garbage)."""
    import soundfile

    data, rate = soundfile.read(io.BytesIO(wav), dtype="float32")
    if len(data) == 0:
        raise ValueError("no audio")
    out = io.BytesIO()
    soundfile.write(out, data, rate, format="MP3", subtype="MPEG_LAYER_III")
    return out.getvalue()


def serve(connection: Connection, spec: str) -> None:
    """The worker's loop: (text, voice, rate) in, ("ok", mp3) or ("error", reason) out."""
    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):  # pyttsx3 prints
        try:
            engine = load_engine(spec)
            connection.send(("ready", [list(v) for v in engine.voices()]))
        except Exception as error:
            connection.send(("unavailable", f"{type(error).__name__}: {error}"))
            return
        while True:
            try:
                request = connection.recv()
            except EOFError:
                return
            if request is None:
                return
            text, voice, rate = request
            try:
                connection.send(("ok", encode_mp3(engine.synthesise(text, voice, rate))))
            except Exception as error:
                connection.send(("error", type(error).__name__))


class Worker:
    """The server's side of the pipe. Thread-safe: one request at a time."""

    def __init__(
        self, spec: str = REAL_ENGINE, timeout: float = 10.0, start_timeout: float = 30.0
    ) -> None:
        self.spec, self.timeout, self.start_timeout = spec, timeout, start_timeout
        self._lock = threading.Lock()
        self._process: BaseProcess | None = None
        self._connection: Connection | None = None
        self.voices: list[tuple[str, str]] = []
        self.unavailable: str | None = None
        self.restarts = 0

    def _start(self) -> Connection:
        context = multiprocessing.get_context("spawn")  # a clean process: no server state inside
        parent, child = context.Pipe()
        process = context.Process(target=serve, args=(child, self.spec), daemon=True, name="speech")
        process.start()
        child.close()
        if not parent.poll(self.start_timeout):
            process.kill()
            raise SpeechFailed("the speech engine did not start")
        try:
            status, detail = parent.recv()
        except (EOFError, OSError):
            raise SpeechFailed("the speech engine stopped while starting") from None
        if status != "ready":
            self.unavailable = str(detail)
            process.join(1)
            raise SpeechFailed(self.unavailable)
        self.voices = [(str(a), str(b)) for a, b in detail]
        self._process, self._connection = process, parent
        return parent

    def _stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join(5)
        if self._connection is not None:
            self._connection.close()
        self._process = self._connection = None

    def start(self) -> None:
        with self._lock:
            if self._connection is None:
                self._start()

    def synthesise(self, text: str, voice: str, rate: int) -> bytes:
        with self._lock:
            connection = self._connection or self._start()
            try:
                connection.send((text, voice, rate))
                if not connection.poll(self.timeout):
                    raise SpeechFailed("timeout")
                status, payload = connection.recv()
            except (EOFError, OSError, ValueError) as error:
                self._restart()
                raise SpeechFailed(f"the speech worker stopped: {type(error).__name__}") from None
            except SpeechFailed:
                self._restart()
                raise
            if status != "ok" or not isinstance(payload, bytes):
                self._restart()
                raise SpeechFailed(f"the speech engine failed: {payload!r}"[:200])
            return payload

    def _restart(self) -> None:
        self._stop()
        self.restarts += 1

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                with contextlib.suppress(OSError):
                    self._connection.send(None)
            self._stop()
