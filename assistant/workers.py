"""`assistant serve --workers N`: N server processes on one port, sharing one store.

Each worker is a whole server (its own event loop, store connections and speech worker)
listening with SO_REUSEPORT, so the kernel spreads new connections among them. The parent only
supervises: a worker that dies is started again, and SIGTERM (or Ctrl-C) is passed on to every
worker, each of which stops taking connections and finishes the requests it has (aiohttp's
graceful shutdown, up to SHUTDOWN_SECONDS) before its store closes. Everything that must agree
between workers is in the store: answers, sessions, codes, rate limits, the retention run, and
the secret key file.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from types import FrameType

from assistant.settings import Settings

log = logging.getLogger("assistant.workers")
SHUTDOWN_SECONDS = 10  # what a worker gives requests in flight after SIGTERM
RESTART_PAUSE = 1.0  # seconds between restarts of a worker that keeps dying
ORPHAN_CHECK = 1.0  # seconds between a worker's looks at whether its parent still runs


def _worker(settings: Settings, parent: int) -> None:
    # Ctrl-C in a terminal reaches the whole process group: a worker leaves it, and stops
    # when the parent tells it to, so it is told once.
    os.setpgrp()
    # The parent's pid as the parent saw it: one killed before this line ran is noticed too.
    threading.Thread(target=_orphan_watch, args=(parent,), daemon=True).start()
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    from assistant.app import run_server

    run_server(settings, reuse_port=True)


def _orphan_watch(parent: int) -> None:
    """A parent that was killed outright (SIGKILL, OOM) cannot pass SIGTERM on: a worker whose
    parent is gone stops itself the same graceful way, instead of holding the port."""
    while os.getppid() == parent:
        time.sleep(ORPHAN_CHECK)
    os.kill(os.getpid(), signal.SIGTERM)


def serve_workers(settings: Settings) -> int:
    """Run settings.workers workers until SIGTERM or SIGINT; 0 when all stopped cleanly."""
    context = multiprocessing.get_context("spawn")  # no event loop or thread is inherited
    workers: dict[int, BaseProcess] = {}
    stopping = False

    def start(number: int) -> None:
        worker = context.Process(
            target=_worker, args=(settings, os.getpid()), name=f"oma-worker-{number}"
        )
        worker.start()
        workers[number] = worker

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for worker in workers.values():
            if worker.pid is not None and worker.is_alive():
                os.kill(worker.pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for number in range(settings.workers):
        start(number)
    while not stopping:
        wait([w.sentinel for w in workers.values()], timeout=RESTART_PAUSE)
        for number, worker in list(workers.items()):
            if not stopping and not worker.is_alive():
                log.error(
                    "worker %d stopped (exit status %s); starting it again", number, worker.exitcode
                )
                start(number)
    failed = 0
    for worker in workers.values():
        worker.join(SHUTDOWN_SECONDS + 5)
        if worker.is_alive():
            worker.kill()
            worker.join()
        failed += worker.exitcode not in (0, -signal.SIGTERM)
    return 1 if failed else 0
