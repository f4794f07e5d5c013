"""Which waiting synthesis the one speech worker makes next: fair between people, and the
questions people wait on before answers read back.

Taken in arrival order, one person asking for several long read-backs made everyone after
them wait for all of them (issue 20: another person's question took 9.4 s). So:

- a question (or its help) goes before an answer read back: it is what someone waits on to
  go on, and it is short;
- within each, people take turns (round-robin): whoever had their last turn longest ago goes
  first, however many requests they have waiting and however early they sent them;
- each person has at most `per_session` requests waiting; a newer one pushes out their
  oldest, because the newest is what they are listening for now.

Pure and synchronous: the speech service runs what it returns.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
QUESTION, ANSWER = 0, 1  # priorities: the lower number goes first
REMEMBERED = 1000  # sessions whose last turn is kept; the ones forgotten are the longest ago


@dataclass(frozen=True)
class _Waiting(Generic[T]):
    job: T
    session: str
    priority: int
    arrived: int


class Scheduler(Generic[T]):
    def __init__(self, per_session: int = 1) -> None:
        self.per_session = per_session
        self._waiting: list[_Waiting[T]] = []
        # When each session last had a turn; a session never served (or forgotten) goes first.
        self._served: OrderedDict[str, int] = OrderedDict()
        self._clock = itertools.count()

    def __len__(self) -> int:
        return len(self._waiting)

    def add(self, job: T, session: str, priority: int) -> list[T]:
        """Wait in line. Returns the jobs this pushes out: the session's oldest, beyond
        per_session (to be told they will not be made)."""
        self._waiting.append(_Waiting(job, session, priority, next(self._clock)))
        mine = [w for w in self._waiting if w.session == session]
        pushed = mine[: max(len(mine) - self.per_session, 0)]
        for waiting in pushed:
            self._waiting.remove(waiting)
        return [w.job for w in pushed]

    def next(self) -> T | None:
        """The job to make now, or None: the most urgent kind first; among those, the session
        whose last turn was longest ago, and its oldest job."""
        if not self._waiting:
            return None
        chosen = min(
            self._waiting,
            key=lambda w: (w.priority, self._served.get(w.session, -1), w.arrived),
        )
        self._waiting.remove(chosen)
        self._served[chosen.session] = next(self._clock)
        self._served.move_to_end(chosen.session)
        if len(self._served) > REMEMBERED:
            self._served.popitem(last=False)
        return chosen.job

    def remove(self, job: T) -> bool:
        """Take a job out of line (nobody waits for it any more); False if it is not there."""
        for waiting in self._waiting:
            if waiting.job is job:
                self._waiting.remove(waiting)
                return True
        return False
