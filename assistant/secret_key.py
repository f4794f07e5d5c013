"""The server's secret: a random key kept beside the database. Codes and session tokens are
stored only as keyed hashes of it, CSRF tokens are bound to sessions with it, and the speech
cache's file names are keyed with it. Every process on one data folder reads the same key;
instances on several machines (one PostgreSQL behind a load balancer) read one file given to
each, OMA_SECRET_KEY_FILE, so that every instance accepts every code and session."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

# A key file shorter than this is refused: the HMACs would be guessable.
MIN_KEY_BYTES = 32


def load_secret(data_dir: Path, key_file: str = "") -> bytes:
    """A random key kept beside the database: codes and tokens are stored only as keyed hashes.
    With key_file, that file's bytes (made by the operator, for instance with
    `head -c 32 /dev/urandom > secret.key`); nothing is written then."""
    if key_file:
        key = Path(key_file).read_bytes()
        if len(key) < MIN_KEY_BYTES:
            raise ValueError(f"{key_file} holds {len(key)} bytes, fewer than {MIN_KEY_BYTES}")
        return key
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = data_dir / "secret.key"
    if not path.exists():
        with contextlib.suppress(FileExistsError):  # another process made it first: use theirs
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as file:
                file.write(secrets.token_bytes(32))
    return path.read_bytes()
