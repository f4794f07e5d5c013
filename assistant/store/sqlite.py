"""The SQLite store: WAL with synchronous=FULL, one connection on one thread, one transaction
per write. The event loop never waits on the disk: every call runs on the store's own thread
and the coroutine returns once COMMIT has succeeded."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from assistant.store import Conversation, StoreUnavailable

T = TypeVar("T")
SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    settings TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS conversations_expiry ON conversations (expires_at);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_conversation ON sessions (conversation_id);
CREATE TABLE IF NOT EXISTS resume_codes (
    code_hash TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL UNIQUE REFERENCES conversations (id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS attempts (
    key TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (key, window_start)
);
"""


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def _time(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def _conversation(row: tuple[Any, ...] | None) -> Conversation | None:
    if row is None:
        return None
    settings = json.loads(row[2])
    return Conversation(row[0], row[1], settings, _time(row[3]), _time(row[4]), _time(row[5]))


class SQLiteStore:
    def __init__(self, path: Path, retention_days: int, busy_timeout: float) -> None:
        self.path = path
        self.retention = timedelta(days=retention_days)
        self.busy_timeout = busy_timeout
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite")
        self._db: sqlite3.Connection | None = None
        self._closed = False

    @classmethod
    async def open(cls, path: Path, retention_days: int, busy_timeout: float) -> SQLiteStore:
        store = cls(path, retention_days, busy_timeout)
        await store._run(store._connect)
        return store

    def _connect(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not self.path.exists():
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        db = sqlite3.connect(
            self.path, timeout=self.busy_timeout, isolation_level=None, check_same_thread=False
        )
        db.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")
        db.execute("PRAGMA foreign_keys = ON")
        # Deleted answers are overwritten on disk, not just unlinked from the b-tree.
        db.execute("PRAGMA secure_delete = ON")
        if db.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
            db.executescript(
                "BEGIN IMMEDIATE;" + SCHEMA + f"PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
            )
        self._db = db

    async def _run(self, work: Callable[[], T]) -> T:
        if self._closed:
            raise StoreUnavailable("the store is closed")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._guarded, work)

    def _guarded(self, work: Callable[[], T]) -> T:
        try:
            return work()
        except sqlite3.Error as error:
            raise StoreUnavailable(str(error)) from error
        finally:
            # Whatever failed half-way (a full disk, a value SQLite cannot take), the one
            # connection must not stay inside the transaction: the next write would fail too.
            if self._db is not None and self._db.in_transaction:
                self._db.execute("ROLLBACK")

    def _write(self, statements: Callable[[sqlite3.Connection], T]) -> T:
        """One transaction: BEGIN IMMEDIATE takes the write lock up front, so waiting for a
        locked database happens here (up to busy_timeout), never half-way through."""
        db = self._connection()
        db.execute("BEGIN IMMEDIATE")
        result = statements(db)
        db.execute("COMMIT")
        return result

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            raise StoreUnavailable("the store is closed")
        return self._db

    # -- conversations ----------------------------------------------------------------------

    async def create(self, state: str, settings: dict[str, Any], now: datetime) -> Conversation:
        conversation_id = secrets.token_urlsafe(16)
        expires = now + self.retention
        row = (
            conversation_id,
            state,
            json.dumps(settings),
            _epoch(now),
            _epoch(now),
            _epoch(expires),
        )

        def insert(db: sqlite3.Connection) -> None:
            db.execute("INSERT INTO conversations VALUES (?, ?, ?, ?, ?, ?)", row)

        await self._run(lambda: self._write(insert))
        return Conversation(
            conversation_id, state, settings, _time(row[3]), _time(row[4]), _time(row[5])
        )

    async def get(self, conversation_id: str) -> Conversation | None:
        def read() -> tuple[Any, ...] | None:
            cursor = self._connection().execute(
                "SELECT * FROM conversations WHERE id = ?", (conversation_id,)
            )
            row: tuple[Any, ...] | None = cursor.fetchone()
            return row

        row = await self._run(read)
        return _conversation(row)

    async def save(
        self, conversation_id: str, state: str, settings: dict[str, Any], now: datetime
    ) -> Conversation:
        expires = now + self.retention

        def update(db: sqlite3.Connection) -> tuple[Any, ...] | None:
            db.execute(
                "UPDATE conversations SET state = ?, settings = ?, updated_at = ?, expires_at = ? WHERE id = ?",
                (
                    state,
                    json.dumps(settings),
                    _epoch(now),
                    _epoch(expires),
                    conversation_id,
                ),
            )
            query = "SELECT created_at FROM conversations WHERE id = ?"
            row: tuple[Any, ...] | None = db.execute(query, (conversation_id,)).fetchone()
            return row

        row = await self._run(lambda: self._write(update))
        if row is None:
            raise StoreUnavailable("the conversation no longer exists")
        return Conversation(
            conversation_id,
            state,
            settings,
            _time(row[0]),
            _time(_epoch(now)),
            _time(_epoch(expires)),
        )

    async def delete(self, conversation_id: str) -> None:
        def remove(db: sqlite3.Connection) -> None:
            db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))

        await self._run(lambda: self._write(remove))
        await self._run(self._forget)

    def _forget(self) -> None:
        """After a delete: secure_delete has zeroed the freed pages, but in WAL mode the old
        pages still sit in the -wal file. Copy the zeroed pages home and empty that file, so
        the deleted words are in no file. A reader holding the log open makes this wait for
        a later delete; the next checkpoint overwrites the frames anyway."""
        with contextlib.suppress(sqlite3.Error):  # the delete itself has committed
            self._connection().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()

    # -- sessions and codes -----------------------------------------------------------------

    async def bind_session(self, token_hash: str, conversation_id: str, now: datetime) -> None:
        def insert(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT OR REPLACE INTO sessions VALUES (?, ?, ?)",
                (token_hash, conversation_id, _epoch(now)),
            )

        await self._run(lambda: self._write(insert))

    async def conversation_by_session(self, token_hash: str, now: datetime) -> Conversation | None:
        def read() -> tuple[Any, ...] | None:
            query = "SELECT c.* FROM sessions s JOIN conversations c ON c.id = s.conversation_id WHERE s.token_hash = ? AND c.expires_at > ?"
            row: tuple[Any, ...] | None = (
                self._connection().execute(query, (token_hash, _epoch(now))).fetchone()
            )
            return row

        row = await self._run(read)
        return _conversation(row)

    async def set_resume_code(
        self, conversation_id: str, code_hash: str, expires_at: datetime
    ) -> None:
        def replace(db: sqlite3.Connection) -> None:
            db.execute("DELETE FROM resume_codes WHERE conversation_id = ?", (conversation_id,))
            db.execute(
                "INSERT INTO resume_codes VALUES (?, ?, ?)",
                (code_hash, conversation_id, _epoch(expires_at)),
            )

        await self._run(lambda: self._write(replace))

    async def conversation_for_code(self, code_hash: str, now: datetime) -> str | None:
        def read() -> str | None:
            row = (
                self._connection()
                .execute(
                    "SELECT conversation_id FROM resume_codes WHERE code_hash = ? AND expires_at > ?",
                    (code_hash, _epoch(now)),
                )
                .fetchone()
            )
            return row[0] if row else None

        return await self._run(read)

    async def has_resume_code(self, conversation_id: str, now: datetime) -> bool:
        def read() -> bool:
            query = "SELECT 1 FROM resume_codes WHERE conversation_id = ? AND expires_at > ?"
            row = self._connection().execute(query, (conversation_id, _epoch(now))).fetchone()
            return row is not None

        return await self._run(read)

    async def count_attempts(
        self, keys: tuple[str, ...], window_seconds: int, now: datetime, change: int = 1
    ) -> list[int]:
        window = _epoch(now) // window_seconds * window_seconds

        def count(db: sqlite3.Connection) -> list[int]:
            counts = []
            for key in keys:
                db.execute(
                    "INSERT INTO attempts VALUES (?, ?, max(?, 0)) ON CONFLICT (key, window_start) DO UPDATE SET count = max(count + ?, 0)",
                    (key, window, change, change),
                )
                row = db.execute(
                    "SELECT count FROM attempts WHERE key = ? AND window_start = ?", (key, window)
                ).fetchone()
                counts.append(int(row[0]))
            return counts

        return await self._run(lambda: self._write(count))

    # -- retention --------------------------------------------------------------------------

    async def delete_expired(self, now: datetime) -> int:
        moment = _epoch(now)

        def purge(db: sqlite3.Connection) -> int:
            deleted = db.execute(
                "DELETE FROM conversations WHERE expires_at <= ?", (moment,)
            ).rowcount
            db.execute("DELETE FROM resume_codes WHERE expires_at <= ?", (moment,))
            db.execute("DELETE FROM attempts WHERE window_start < ?", (moment - 86400,))
            return int(deleted)

        deleted = await self._run(lambda: self._write(purge))
        if deleted:
            await self._run(self._forget)
        return deleted

    async def close(self) -> None:
        def finish() -> None:
            if self._db is not None:
                self._db.close()
                self._db = None

        if self._closed:
            return
        await self._run(finish)
        self._closed = True
        self._executor.shutdown(wait=True)
