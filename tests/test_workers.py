"""`assistant serve --workers 2`: two processes answer on one port, share the store, and a
SIGTERM to the parent stops them all, cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from assistant.settings import PROJECT_ROOT
from tests.postgres import free_port

COMMAND = [sys.executable, "-m", "assistant", "serve"]


def children(pid: int) -> list[int]:
    """The worker processes (not multiprocessing's resource tracker)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    found = [int(p) for p in path.read_text().split()] if path.exists() else []
    return [p for p in found if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()]


def get(port: int, path: str) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
        return int(response.status)


def listening_workers(pid: int, port: int, ready: Callable[[], bool] = lambda: True) -> list[int]:
    """The two workers of `pid`, once both listen on the port and `ready()` (within a minute)."""
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline:
        workers = children(pid)
        try:
            if len(workers) == 2 and all(_listens(w, port) for w in workers) and ready():
                return workers
        except OSError:
            pass
        time.sleep(0.2)
    return workers


def test_workers_share_the_port_and_stop_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    environment = {**os.environ, "OMA_SPEECH": "0", "OMA_DATABASE_URL": ""}
    log = tmp_path / "server.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [*COMMAND, "--workers", "2", "--port", str(port), "--data-dir", str(tmp_path)],
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        workers = listening_workers(server.pid, port, lambda: get(port, "/readyz") == 200)
        # Every worker listens on the port itself (SO_REUSEPORT), not behind the parent.
        assert len(workers) == 2 and all(_listens(w, port) for w in workers), workers
        for _ in range(20):  # new connections each time: both workers take some
            assert get(port, "/") == 200
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0, log.read_text()
        for worker in workers:
            assert not Path(f"/proc/{worker}").exists() or _zombie(worker)
        # A parent killed outright: its workers notice and stop by themselves.
        killed = subprocess.Popen(
            [*COMMAND, "--workers", "2", "--port", str(port)],
            cwd=PROJECT_ROOT,
            env={**environment, "OMA_DATA_DIR": str(tmp_path)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        orphans = _wait_for_workers(killed.pid)
        killed.kill()
        killed.wait()
        deadline = time.monotonic() + 20
        while any(Path(f"/proc/{w}").exists() for w in orphans) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(Path(f"/proc/{w}").exists() for w in orphans)
    finally:
        for process in (server, locals().get("killed")):
            if isinstance(process, subprocess.Popen) and process.poll() is None:
                for worker in children(process.pid):
                    os.kill(worker, signal.SIGKILL)
                process.kill()
                process.wait()


def _wait_for_workers(pid: int) -> list[int]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = children(pid)
        if len(found) == 2:
            return found
        time.sleep(0.2)
    raise AssertionError("the workers did not start")


def _listens(pid: int, port: int) -> bool:
    """Whether the process holds a listening socket on the port (from /proc)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and int(local.split(":")[1], 16) == port and inode in inodes:
                return True
    return False


def _zombie(pid: int) -> bool:
    return "State:\tZ" in Path(f"/proc/{pid}/status").read_text()
