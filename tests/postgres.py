"""A real, throwaway PostgreSQL for the tests: one cluster per test session, made with initdb
and started with pg_ctl as an unprivileged user (PostgreSQL refuses to run as root) on a free
port in a temporary folder, stopped and removed at the end. Each test gets a database of its
own. No mocks: the PostgreSQL store is tested against the server it will run on.

`make test` installs the Debian `postgresql` package when run as root; without its binaries
the PostgreSQL tests are skipped, saying so.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SKIP_REASON = (
    "PostgreSQL's initdb and pg_ctl are not installed: install the Debian package "
    "'postgresql' (`make test` does so as root) to run the tests on PostgreSQL too"
)


def binaries() -> Path | None:
    """The folder with initdb and pg_ctl: on PATH, or Debian's /usr/lib/postgresql/N/bin."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _user() -> str | None:
    """Who runs the server: as root, an unprivileged user (Debian's postgres, else nobody)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise RuntimeError("no unprivileged user to run PostgreSQL as")


@dataclass
class Cluster:
    folder: Path
    port: int
    user: str | None
    bin: Path
    names: Iterator[int]
    durable: bool = False

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://oma@127.0.0.1:{self.port}/{database}"

    def run(self, *command: str) -> None:
        subprocess.run(command, check=True, capture_output=True, user=self.user, timeout=60)

    def new_database(self) -> str:
        """A fresh, empty database of its own; its URL. A schema in one shared database, named
        first in the search path: as empty as a new database, in milliseconds rather than the
        third of a second CREATE DATABASE takes."""
        import psycopg

        name = f"test_{next(self.names)}"
        with psycopg.connect(self.url(), autocommit=True) as db:
            db.execute(f'CREATE SCHEMA "{name}"')  # type: ignore[arg-type]
        return self.url() + f"?options=-csearch_path%3D{name}"

    def pids(self) -> list[int]:
        """The server's processes (the postmaster first; the connections it forks later
        inherit its CPU affinity)."""
        postmaster = int((self.folder / "data" / "postmaster.pid").read_text().split()[0])
        tasks = Path(f"/proc/{postmaster}/task").iterdir()
        return [postmaster, *(int(c) for t in tasks for c in (t / "children").read_text().split())]

    def stop(self, mode: str = "fast") -> None:
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", mode, "stop")

    def start(self) -> None:
        self.run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.folder / "data"),
            "-l",
            str(self.folder / "server.log"),
            "-w",
            "-o",
            # Only on loopback; the socket in the temporary folder; fsync off for the tests
            # (they kill instances, not this server), on for a benchmark's durable cluster.
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
            + ("" if self.durable else " -c fsync=off -c full_page_writes=off")
            + " -c max_connections=200",
            "start",
        )


@contextlib.contextmanager
def cluster(durable: bool = False) -> Iterator[Cluster]:
    folder_bin = binaries()
    if folder_bin is None:
        pytest.skip(SKIP_REASON)
    user = _user()
    folder = Path(tempfile.mkdtemp(prefix="oma-postgres-"))
    if user is not None:
        entry = pwd.getpwnam(user)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    made = Cluster(folder, free_port(), user, folder_bin, itertools.count(1), durable)
    try:
        made.run(
            str(folder_bin / "initdb"),
            "-D",
            str(folder / "data"),
            "-U",
            "oma",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
            "--no-instructions",
        )
        made.start()
        yield made
    finally:
        with contextlib.suppress(Exception):
            made.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)
