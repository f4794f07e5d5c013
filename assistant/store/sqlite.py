"""The SQLite store: WAL with synchronous=FULL, one transaction per write. The event loop never
waits on the disk: writes run on the store's writer thread, reads on a reader thread with its
own connection (WAL lets it read while a write waits for a lock), and each coroutine returns
once COMMIT has succeeded."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import secrets
import sqlite3
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from assistant.store import (
    SESSION_TOUCH_SECONDS,
    Conflict,
    Conversation,
    StoreUnavailable,
    idle_cutoff,
)
from assistant.store.sqlite_schema import COLUMNS, PERSON, migrate, turn_on_wal
from assistant.store.sqlite_schema import conversation as _conversation
from assistant.store.sqlite_schema import epoch as _epoch
from assistant.store.sqlite_schema import time as _time

T = TypeVar("T")
# Replaced and deleted answers linger in the -wal file until a checkpoint copies the newer
# pages home: so many seconds after an edit, a TRUNCATE checkpoint empties that file.
CHECKPOINT_DELAY = 2.0
log = logging.getLogger("assistant.store")
# A session's row joined with its conversation; a session unused since the cutoff is gone if a
# resume code still opens the conversation (the person continues with that code).
SESSION_QUERY = (
    f"SELECT {', '.join('c.' + c for c in COLUMNS.split(', '))}, s.last_used_at"
    " FROM sessions s JOIN conversations c ON c.id = s.conversation_id"
    " WHERE s.token_hash = ? AND c.expires_at > ? AND (s.last_used_at > ? OR NOT EXISTS"
    " (SELECT 1 FROM resume_codes r JOIN conversations o ON o.id = r.conversation_id"
    " WHERE o.person_id = c.person_id AND r.expires_at > ?))"
)
# The conversations whose person has a resume code that still works (parameter: now).
WITH_CODE = (
    "SELECT o.id FROM conversations o JOIN conversations k ON k.person_id = o.person_id"
    " JOIN resume_codes r ON r.conversation_id = k.id WHERE r.expires_at > ?"
)
NEVER = -(2**62)  # an idle cutoff no session is older than


class SQLiteStore:
    def __init__(
        self,
        path: Path,
        retention_days: int,
        busy_timeout: float,
        session_idle: timedelta | None = None,
    ) -> None:
        self.path = path
        self.retention = timedelta(days=retention_days)
        self.session_idle = session_idle
        self.busy_timeout = busy_timeout
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-write")
        self._reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-read")
        self._db: sqlite3.Connection | None = None
        self._read_db: sqlite3.Connection | None = None
        self._closed = False
        self._checkpoint: asyncio.TimerHandle | None = None
        # Checkpoints and session touches: written after the request that caused them.
        self._checkpoints: set[asyncio.Future[None]] = set()

    @classmethod
    async def open(
        cls,
        path: Path,
        retention_days: int,
        busy_timeout: float,
        session_idle: timedelta | None = None,
    ) -> SQLiteStore:
        store = cls(path, retention_days, busy_timeout, session_idle)
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
        turn_on_wal(db, self.busy_timeout)
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

    async def _transaction(self, statements: Callable[[sqlite3.Connection], T]) -> T:
        return await self._run(lambda: self._write(statements))

    async def _execute(self, sql: str, *parameters: Any) -> int:
        """One statement in a transaction of its own; returns how many rows it changed."""
        return await self._transaction(lambda db: int(db.execute(sql, parameters).rowcount))

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

    async def create(
        self, state: str, settings: dict[str, Any], now: datetime, linked_to: str | None = None
    ) -> Conversation:
        conversation_id = secrets.token_urlsafe(16)
        moment, expires = _epoch(now), _epoch(now + self.retention)

        def insert(db: sqlite3.Connection) -> str:
            found = db.execute(PERSON, (linked_to,)).fetchone() if linked_to else None
            person = str(found[0]) if found else conversation_id
            row = (conversation_id, state, json.dumps(settings), moment, moment, expires, 0, person)
            db.execute(
                f"INSERT INTO conversations ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", row
            )
            db.execute(
                "UPDATE conversations SET expires_at = ? WHERE person_id = ?", (expires, person)
            )
            return person

        person = await self._transaction(insert)
        return Conversation(
            conversation_id,
            state,
            settings,
            _time(moment),
            _time(moment),
            _time(expires),
            0,
            person,
        )

    async def linked(self, conversation_id: str) -> list[Conversation]:
        query = (
            f"SELECT {COLUMNS} FROM conversations WHERE person_id = ({PERSON})"
            " ORDER BY created_at, id"
        )

        def read() -> list[Conversation]:
            if self._read_db is None:
                raise StoreUnavailable("the store is closed")
            rows = self._read_db.execute(query, (conversation_id,)).fetchall()
            return [c for c in map(_conversation, rows) if c is not None]

        return await self._read(read)

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
            query = "SELECT created_at, version, person_id FROM conversations WHERE id = ?"
            row: tuple[Any, ...] | None = db.execute(query, (conversation_id,)).fetchone()
            if row is not None and not changed:
                raise Conflict(conversation_id)
            if row is not None:  # the person's conversations are kept, and deleted, together
                db.execute(
                    "UPDATE conversations SET expires_at = ? WHERE person_id = ? AND id != ?",
                    (_epoch(expires), row[2], conversation_id),
                )
            return row

        row = await self._transaction(update)
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
            str(row[2]),
        )

    async def delete(self, conversation_id: str) -> None:
        await self._execute(
            f"DELETE FROM conversations WHERE person_id = ({PERSON})", conversation_id
        )
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
        self._later(self._run(self._forget))

    def _later(self, work: Awaitable[None]) -> None:
        done = asyncio.ensure_future(work)
        self._checkpoints.add(done)
        done.add_done_callback(self._checkpoints.discard)

    async def settle(self) -> None:
        """Wait for the writes left to run after their requests (tests)."""
        await asyncio.gather(*self._checkpoints, return_exceptions=True)

    def _cutoff(self, now: datetime) -> int:
        cutoff = idle_cutoff(now, self.session_idle)
        return NEVER if cutoff is None else _epoch(cutoff)

    # -- sessions and codes -----------------------------------------------------------------

    async def bind_session(self, token_hash: str, conversation_id: str, now: datetime) -> None:
        await self._execute(
            "INSERT OR REPLACE INTO sessions (token_hash, conversation_id, created_at,"
            " last_used_at) VALUES (?, ?, ?, ?)",
            *(token_hash, conversation_id, _epoch(now), _epoch(now)),
        )

    async def conversation_by_session(self, token_hash: str, now: datetime) -> Conversation | None:
        moment = _epoch(now)
        row = await self._read_row(SESSION_QUERY, token_hash, moment, self._cutoff(now), moment)
        if row is not None and row[-1] < moment - SESSION_TOUCH_SECONDS:
            # Marked used after the page, not before it: a page that only reads must not
            # wait behind a write (a locked database), and a lost touch costs nothing.
            self._later(self._touch(token_hash, moment))
        return _conversation(row[:-1] if row else None)

    async def _touch(self, token_hash: str, moment: int) -> None:
        try:
            await self._execute(
                "UPDATE sessions SET last_used_at = ? WHERE token_hash = ? AND last_used_at < ?",
                *(moment, token_hash, moment),
            )
        except StoreUnavailable as error:
            log.warning("a session's last use was not written: %s", error)

    async def end_session(self, token_hash: str) -> None:
        await self._execute("DELETE FROM sessions WHERE token_hash = ?", token_hash)

    async def end_other_sessions(self, conversation_id: str, keep_token_hash: str) -> int:
        return await self._execute(
            "DELETE FROM sessions WHERE token_hash != ? AND conversation_id IN"
            f" (SELECT id FROM conversations WHERE person_id = ({PERSON}))",
            *(keep_token_hash, conversation_id),
        )

    async def set_resume_code(
        self, conversation_id: str, code_hash: str, expires_at: datetime
    ) -> None:
        def replace(db: sqlite3.Connection) -> None:
            db.execute(
                "DELETE FROM resume_codes WHERE conversation_id IN"
                f" (SELECT id FROM conversations WHERE person_id = ({PERSON}))",
                (conversation_id,),
            )
            db.execute(
                "INSERT INTO resume_codes VALUES (?, ?, ?)",
                (code_hash, conversation_id, _epoch(expires_at)),
            )

        await self._transaction(replace)

    async def conversation_for_code(self, code_hash: str, now: datetime) -> str | None:
        query = "SELECT conversation_id FROM resume_codes WHERE code_hash = ? AND expires_at > ?"
        row = await self._read_row(query, code_hash, _epoch(now))
        return str(row[0]) if row else None

    async def has_resume_code(self, conversation_id: str, now: datetime) -> bool:
        query = f"SELECT 1 FROM ({WITH_CODE}) WHERE id = ?"
        return await self._read_row(query, _epoch(now), conversation_id) is not None

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

        return await self._transaction(count)

    async def attempt_counts(
        self, keys: tuple[str, ...], window_seconds: int, now: datetime
    ) -> list[int]:
        window = _epoch(now) // window_seconds * window_seconds
        query = "SELECT count FROM attempts WHERE key = ? AND window_start = ?"

        def read() -> list[int]:
            return [int((self._query(query, (key, window)) or (0,))[0]) for key in keys]

        return await self._read(read)

    # -- retention --------------------------------------------------------------------------

    async def delete_expired(self, now: datetime) -> int:
        moment = _epoch(now)

        def purge(db: sqlite3.Connection) -> int:
            # A person's linked conversations go together.
            deleted = db.execute(
                "DELETE FROM conversations WHERE person_id IN"
                " (SELECT person_id FROM conversations WHERE expires_at <= ?)",
                (moment,),
            ).rowcount
            # Idle sessions that a working code continues (the same rule as reading them).
            db.execute(
                f"DELETE FROM sessions WHERE last_used_at <= ? AND conversation_id IN ({WITH_CODE})",
                (self._cutoff(now), moment),
            )
            db.execute("DELETE FROM resume_codes WHERE expires_at <= ?", (moment,))
            db.execute("DELETE FROM attempts WHERE window_start < ?", (moment - 86400,))
            return int(deleted)

        deleted = await self._transaction(purge)
        if deleted:
            await self._run(self._forget)
        return deleted

    async def ready(self) -> None:
        """A read on the reader, and the write lock taken and given back on the writer: a
        database locked by another process makes this raise after busy_timeout."""
        await self._read_row("SELECT count(*) FROM conversations WHERE id = ''")
        await self._transaction(lambda db: None)

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
