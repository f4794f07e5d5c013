"""The SQLite store: WAL with synchronous=FULL, one transaction per write. The event loop never
waits on the disk: writes run on the store's writer thread, reads on a reader thread with its
own connection (WAL lets it read while a write waits for a lock), and each coroutine returns
once COMMIT has succeeded."""

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

from assistant.store import Conflict, Conversation, StoreUnavailable

T = TypeVar("T")
# Replaced and deleted answers linger in the -wal file until a checkpoint copies the newer
# pages home: so many seconds after an edit, a TRUNCATE checkpoint empties that file.
CHECKPOINT_DELAY = 2.0
# Numbered schema changes: migration N brings user_version from N-1 to N. Each runs in the
# transaction that checks the version, so two processes starting at once apply it once.
MIGRATIONS = (
    """
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
""",
    # 2: a version per conversation, checked on each save (no lost updates between tabs).
    "ALTER TABLE conversations ADD COLUMN version INTEGER NOT NULL DEFAULT 0;",
)
COLUMNS = "id, state, settings, created_at, updated_at, expires_at, version"


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def _time(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def _conversation(row: tuple[Any, ...] | None) -> Conversation | None:
    if row is None:
        return None
    settings = json.loads(row[2])
    return Conversation(
        row[0], row[1], settings, _time(row[3]), _time(row[4]), _time(row[5]), int(row[6])
    )


def migrate(db: sqlite3.Connection) -> None:
    """Apply the migrations this database has not had, in one write transaction."""
    db.execute("BEGIN IMMEDIATE")
    version = db.execute("PRAGMA user_version").fetchone()[0]
    for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
        for statement in (s for s in script.split(";") if s.strip()):
            db.execute(statement)
        db.execute(f"PRAGMA user_version = {number}")
    db.execute("COMMIT")


class SQLiteStore:
    def __init__(self, path: Path, retention_days: int, busy_timeout: float) -> None:
        self.path = path
        self.retention = timedelta(days=retention_days)
        self.busy_timeout = busy_timeout
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-write")
        self._reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-read")
        self._db: sqlite3.Connection | None = None
        self._read_db: sqlite3.Connection | None = None
        self._closed = False
        self._checkpoint: asyncio.TimerHandle | None = None
        self._checkpoints: set[asyncio.Future[None]] = set()

    @classmethod
    async def open(cls, path: Path, retention_days: int, busy_timeout: float) -> SQLiteStore:
        store = cls(path, retention_days, busy_timeout)
        await store._run(store._connect)
        await store._read(store._connect_reader)
        return store

    def _open_connection(self) -> sqlite3.Connection:
        db = sqlite3.connect(
            self.path, timeout=self.busy_timeout, isolation_level=None, check_same_thread=False
        )
        db.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
        return db

    def _connect(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not self.path.exists():
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        db = self._open_connection()
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")
        db.execute("PRAGMA foreign_keys = ON")
        # Deleted answers are overwritten on disk, not just unlinked from the b-tree.
        db.execute("PRAGMA secure_delete = ON")
        migrate(db)
        self._db = db

    def _connect_reader(self) -> None:
        db = self._open_connection()
        db.execute("PRAGMA query_only = ON")
        self._read_db = db

    async def _run(self, work: Callable[[], T]) -> T:
        """Work on the writer thread and its connection (one write at a time)."""
        return await self._on(self._writer, work)

    async def _read(self, work: Callable[[], T]) -> T:
        """Work on the reader thread: never queued behind a write that waits for a lock."""
        return await self._on(self._reader, work)

    async def _on(self, executor: ThreadPoolExecutor, work: Callable[[], T]) -> T:
        if self._closed:
            raise StoreUnavailable("the store is closed")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(executor, self._guarded, work)

    @staticmethod
    def _guarded(work: Callable[[], T]) -> T:
        try:
            return work()
        except sqlite3.Error as error:
            raise StoreUnavailable(str(error)) from error

    def _write(self, statements: Callable[[sqlite3.Connection], T]) -> T:
        """One transaction: BEGIN IMMEDIATE takes the write lock up front, so waiting for a
        locked database happens here (up to busy_timeout), never half-way through."""
        db = self._connection()
        db.execute("BEGIN IMMEDIATE")
        try:
            result = statements(db)
            db.execute("COMMIT")
        finally:
            # Whatever failed half-way (a full disk, a value SQLite cannot take, a conflict),
            # the connection must not stay inside the transaction: the next write would fail.
            if db.in_transaction:
                db.execute("ROLLBACK")
        return result

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            raise StoreUnavailable("the store is closed")
        return self._db

    def _query(self, sql: str, parameters: tuple[Any, ...]) -> tuple[Any, ...] | None:
        """One row from the reader connection (call on the reader thread)."""
        if self._read_db is None:
            raise StoreUnavailable("the store is closed")
        row: tuple[Any, ...] | None = self._read_db.execute(sql, parameters).fetchone()
        return row

    async def _read_row(self, sql: str, *parameters: Any) -> tuple[Any, ...] | None:
        return await self._read(lambda: self._query(sql, parameters))

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
            0,
        )

        def insert(db: sqlite3.Connection) -> None:
            db.execute(f"INSERT INTO conversations ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)", row)

        await self._run(lambda: self._write(insert))
        return Conversation(
            conversation_id, state, settings, _time(row[3]), _time(row[4]), _time(row[5])
        )

    async def get(self, conversation_id: str) -> Conversation | None:
        query = f"SELECT {COLUMNS} FROM conversations WHERE id = ?"
        return _conversation(await self._read_row(query, conversation_id))

    async def save(
        self,
        conversation_id: str,
        state: str,
        settings: dict[str, Any],
        now: datetime,
        version: int,
    ) -> Conversation:
        expires = now + self.retention

        def update(db: sqlite3.Connection) -> tuple[Any, ...] | None:
            values = (state, json.dumps(settings), _epoch(now), _epoch(expires))
            changed = db.execute(
                "UPDATE conversations SET state = ?, settings = ?, updated_at = ?, expires_at = ?,"
                " version = version + 1 WHERE id = ? AND version = ?",
                (*values, conversation_id, version),
            ).rowcount
            query = "SELECT created_at, version FROM conversations WHERE id = ?"
            row: tuple[Any, ...] | None = db.execute(query, (conversation_id,)).fetchone()
            if row is not None and not changed:
                raise Conflict(conversation_id)
            return row

        row = await self._run(lambda: self._write(update))
        if row is None:
            raise StoreUnavailable("the conversation no longer exists")
        self._edited()
        return Conversation(
            conversation_id,
            state,
            settings,
            _time(row[0]),
            _time(_epoch(now)),
            _time(_epoch(expires)),
            int(row[1]),
        )

    async def delete(self, conversation_id: str) -> None:
        def remove(db: sqlite3.Connection) -> None:
            db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))

        await self._run(lambda: self._write(remove))
        await self._run(self._forget)

    def _forget(self) -> None:
        """After a delete or an edit: secure_delete has zeroed the freed pages, but in WAL mode
        the old pages still sit in the -wal file. Copy the newer pages home and empty that file,
        so replaced and deleted words are in no file. A reader holding the log open makes this
        wait for a later checkpoint; the next one overwrites the frames anyway."""
        with contextlib.suppress(sqlite3.Error):  # the change itself has committed
            self._connection().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()

    def _edited(self) -> None:
        """An answer was replaced: checkpoint soon, once for a burst of saves."""
        if self._checkpoint is None and not self._closed:
            loop = asyncio.get_running_loop()
            self._checkpoint = loop.call_later(CHECKPOINT_DELAY, self._checkpoint_now)

    def _checkpoint_now(self) -> None:
        self._checkpoint = None
        if self._closed:
            return
        done = asyncio.ensure_future(self._run(self._forget))
        self._checkpoints.add(done)
        done.add_done_callback(self._checkpoints.discard)

    # -- sessions and codes -----------------------------------------------------------------

    async def bind_session(self, token_hash: str, conversation_id: str, now: datetime) -> None:
        def insert(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT OR REPLACE INTO sessions VALUES (?, ?, ?)",
                (token_hash, conversation_id, _epoch(now)),
            )

        await self._run(lambda: self._write(insert))

    async def conversation_by_session(self, token_hash: str, now: datetime) -> Conversation | None:
        columns = ", ".join("c." + c for c in COLUMNS.split(", "))
        query = f"SELECT {columns} FROM sessions s JOIN conversations c ON c.id = s.conversation_id WHERE s.token_hash = ? AND c.expires_at > ?"
        return _conversation(await self._read_row(query, token_hash, _epoch(now)))

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
        query = "SELECT conversation_id FROM resume_codes WHERE code_hash = ? AND expires_at > ?"
        row = await self._read_row(query, code_hash, _epoch(now))
        return str(row[0]) if row else None

    async def has_resume_code(self, conversation_id: str, now: datetime) -> bool:
        query = "SELECT 1 FROM resume_codes WHERE conversation_id = ? AND expires_at > ?"
        return await self._read_row(query, conversation_id, _epoch(now)) is not None

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

    async def ready(self) -> None:
        """A read on the reader, and the write lock taken and given back on the writer: a
        database locked by another process makes this raise after busy_timeout."""
        await self._read_row("SELECT count(*) FROM conversations WHERE id = ''")

        def take_lock(db: sqlite3.Connection) -> None:
            pass

        await self._run(lambda: self._write(take_lock))

    async def close(self) -> None:
        def finish(connection: str) -> Callable[[], None]:
            def close() -> None:
                db = getattr(self, connection)
                if db is not None:
                    db.close()
                    setattr(self, connection, None)

            return close

        if self._closed:
            return
        if self._checkpoint is not None:
            self._checkpoint.cancel()
            self._checkpoint = None
        await asyncio.gather(*self._checkpoints, return_exceptions=True)
        await self._read(finish("_read_db"))
        await self._run(self._forget)
        await self._run(finish("_db"))
        self._closed = True
        self._writer.shutdown(wait=True)
        self._reader.shutdown(wait=True)
