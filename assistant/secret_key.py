"""The server's secret: a random key kept beside the database. Codes and session tokens are
stored only as keyed hashes of it, CSRF tokens are bound to sessions with it, and the speech
cache's file names are keyed with it. Every process on one data folder reads the same key."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path


def load_secret(data_dir: Path) -> bytes:
    """A random key kept beside the database: codes and tokens are stored only as keyed hashes."""
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = data_dir / "secret.key"
    if not path.exists():
        with contextlib.suppress(FileExistsError):  # another process made it first: use theirs
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as file:
                file.write(secrets.token_bytes(32))
    return path.read_bytes()
