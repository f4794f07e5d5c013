"""Operational metrics in the Prometheus text format (GET /metrics, only with OMA_METRICS_TOKEN).

Counts and timings with no personal data: steps answered by dialogue and button (never which
step, never an answer), errors by HTTP status class and the reason codes the error pages use,
the store's load and save times, the speech queue and cache, and wrong resume codes this hour.
Every label value comes from a small fixed set, so nobody can grow the series by what they send.

One process, one registry (per app, so tests do not share counts). With `serve --workers N`,
prometheus-client's multiprocess mode: every worker writes its values to files in
PROMETHEUS_MULTIPROC_DIR and whichever worker answers a scrape adds up all of them. This is
the only module that imports prometheus_client.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from assistant.dialogue.engine import STEP_ACTIONS
from assistant.store import Store

CONTENT_TYPE = CONTENT_TYPE_LATEST
MULTIPROC_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
# Store calls timed, by what they are for: reading a person's conversation, or writing it.
STORE_OPERATIONS = {
    "get": "load",
    "conversation_by_session": "load",
    "create": "save",
    "save": "save",
}
# From 1 ms (a warm SQLite read) to 5 s (OMA_DB_BUSY_TIMEOUT's default, then 503).
STORE_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


def multiprocess_dir() -> str:
    """The folder of prometheus-client's multiprocess mode, or "" when each process is alone."""
    return os.environ.get(MULTIPROC_VARIABLE, "")


class Metrics:
    """The metrics of one app (one process)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.steps = Counter(
            "oma_steps_answered",
            "Steps answered, by dialogue and the button pressed (no step ids, no answers).",
            ("dialogue", "action"),
            registry=self.registry,
        )
        self.errors = Counter(
            "oma_errors",
            "Responses of status 400 or more, by status class and the app's reason code.",
            ("status_class", "reason"),
            registry=self.registry,
        )
        self.store_seconds = Histogram(
            "oma_store_seconds",
            "Time of the store's calls that load or save a conversation.",
            ("operation",),
            buckets=STORE_BUCKETS,
            registry=self.registry,
        )
        self.speech_cache = Counter(
            "oma_speech_cache",
            "Speech requests for cacheable texts (prompts), by whether the cache had them.",
            ("result",),
            registry=self.registry,
        )
        self.speech_queue_length = Gauge(
            "oma_speech_queue_length",
            "Speech syntheses waiting in line (all workers added up).",
            registry=self.registry,
            multiprocess_mode="livesum",
        )

    def step_answered(self, dialogue: str, action: str) -> None:
        """Dialogue ids come from the dialogue files; the engine refuses any other action."""
        if action in STEP_ACTIONS:
            self.steps.labels(dialogue=dialogue, action=action).inc()

    def error(self, status: int, reason: str) -> None:
        self.errors.labels(status_class=f"{status // 100}xx", reason=reason).inc()

    # The speech service's observer (assistant.speech.SpeechObserver).
    def cache(self, hit: bool) -> None:
        self.speech_cache.labels(result="hit" if hit else "miss").inc()

    def queue(self, length: int) -> None:
        self.speech_queue_length.set(length)

    def exposition(self, wrong_codes: int | None) -> bytes:
        """Everything, in the text format. wrong_codes: the store's count this hour (None when
        the store did not answer: then the line is left out, and /healthz says why)."""
        if multiprocess_dir():
            from prometheus_client import multiprocess

            gathered = CollectorRegistry()
            multiprocess.MultiProcessCollector(gathered)  # type: ignore[no-untyped-call]
            text = generate_latest(gathered)
        else:
            text = generate_latest(self.registry)
        now = CollectorRegistry()
        now.register(_Now(wrong_codes))
        return text + generate_latest(now)


class _Now(Collector):
    """Values read at the scrape: the store's, the same whichever worker answers."""

    def __init__(self, wrong_codes: int | None) -> None:
        self.wrong_codes = wrong_codes

    def collect(self) -> Iterator[GaugeMetricFamily]:
        if self.wrong_codes is not None:
            yield GaugeMetricFamily(
                "oma_wrong_resume_codes_this_hour",
                "Wrong resume codes from everyone in this clock hour (all processes).",
                value=self.wrong_codes,
            )


class TimedStore:
    """The store, with its load and save calls timed; everything else passed through."""

    def __init__(self, store: Store, metrics: Metrics) -> None:
        self.inner = store
        self._metrics = metrics

    def __getattr__(self, name: str) -> Any:
        found = getattr(self.inner, name)
        operation = STORE_OPERATIONS.get(name)
        if operation is None:
            return found
        histogram = self._metrics.store_seconds.labels(operation=operation)

        async def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await found(*args, **kwargs)
            finally:
                histogram.observe(time.perf_counter() - started)

        return timed


def prepare_workers(data_dir: Path) -> None:
    """Before `serve --workers N` starts its workers: multiprocess mode, in
    PROMETHEUS_MULTIPROC_DIR if the operator chose one, else in the data folder. Values of an
    earlier run are wiped, as prometheus-client requires (pids are used again)."""
    folder = Path(multiprocess_dir() or data_dir / "metrics")
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    for old in folder.glob("*.db"):  # only prometheus-client's own files
        old.unlink()
    os.environ[MULTIPROC_VARIABLE] = str(folder)  # inherited by the workers


def worker_stopped(pid: int) -> None:
    """A worker ended: its live gauges (the speech queue) no longer count."""
    if multiprocess_dir():
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]
