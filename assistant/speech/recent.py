"""A person's own audio, kept in memory for a few minutes for them alone.

A media player fetches one file in several range requests (Safari asks for bytes 0-1 first,
then the rest), and pages are never cached (Cache-Control: no-store). Without this, each of
those requests would make the same audio again. Never written to disk; bounded in bytes and
time; dropped when the person deletes their answers.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

Key = tuple[str, str, int, str]  # session, voice, rate, text


class RecentAudio:
    def __init__(
        self,
        seconds: float = 300.0,
        max_bytes: int = 16 * 1024 * 1024,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.seconds, self.max_bytes, self.clock = seconds, max_bytes, clock
        self._kept: OrderedDict[Key, tuple[float, bytes]] = OrderedDict()
        self._bytes = 0

    def __len__(self) -> int:
        self._expire()
        return len(self._kept)

    def get(self, key: Key) -> bytes | None:
        self._expire()
        kept = self._kept.get(key)
        return kept[1] if kept else None

    def keep(self, key: Key, data: bytes) -> None:
        self._drop(key)
        self._kept[key] = (self.clock() + self.seconds, data)
        self._bytes += len(data)
        while self._bytes > self.max_bytes:
            self._drop(next(iter(self._kept)))

    def forget(self, session: str) -> None:
        for key in [k for k in self._kept if k[0] == session]:
            self._drop(key)

    def _expire(self) -> None:
        now = self.clock()
        while self._kept and next(iter(self._kept.values()))[0] <= now:
            self._drop(next(iter(self._kept)))

    def _drop(self, key: Key) -> None:
        kept = self._kept.pop(key, None)
        if kept is not None:
            self._bytes -= len(kept[1])
