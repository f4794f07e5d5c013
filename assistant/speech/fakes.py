"""Fake engines, run in the real worker process, for tests of what the service does when the
engine misbehaves. The real engine is tested beside them (tests/test_speech.py)."""

from __future__ import annotations

import io
import math
import os
import struct
import time
import wave


def sine_wav(seconds: float = 0.6, rate: int = 16000) -> bytes:
    frames = b"".join(
        struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / rate)))
        for i in range(int(seconds * rate))
    )
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(frames)
    return out.getvalue()


class SineEngine:
    def synthesise(self, text: str, voice: str, rate: int) -> bytes:
        if "hang" in text:
            time.sleep(3600)
        if "crash" in text:
            os._exit(3)  # as a segfault in libespeak would: no cleanup, no reply
        if "garbage" in text:
            return b"RIFF\x00\x00not audio at all"
        if "slow" in text:  # holds the worker while a test lines up other requests
            time.sleep(0.3)
        return sine_wav()

    def voices(self) -> list[tuple[str, str]]:
        return [("fake/fi", "Fake Finnish")]


class MissingEngine:
    def __init__(self) -> None:
        raise OSError("libespeak-ng.so.1: cannot open shared object file")

    def synthesise(self, text: str, voice: str, rate: int) -> bytes:  # pragma: no cover
        raise NotImplementedError

    def voices(self) -> list[tuple[str, str]]:  # pragma: no cover
        return []
