"""The PostgreSQL store (OMA_DATABASE_URL=postgresql://...): the same contract as the SQLite
store, for several instances on one database.

psycopg 3 with psycopg_pool: async on the event loop (no thread per query), a pool whose
connections are replaced by themselves after the database restarts, server-side parameters
(no SQL built from values), and a libpq wheel (psycopg[binary]), so no system package is
needed to run. Each method is one transaction, committed before it returns; a database that
cannot be reached or does not answer in time is StoreUnavailable (an honest 503).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

import psycopg
from psycopg import AsyncConnection
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import AsyncConnectionPool

from assistant.store import (
    SESSION_TOUCH_SECONDS,
    Conflict,
    Conversation,
    StoreUnavailable,
    idle_cutoff,
)
from assistant.store.postgres_schema import RETENTION_LOCK, migrate
from assistant.store.sqlite_schema import COLUMNS, epoch, time

T = TypeVar("T")
NEVER = -(2**62)
Row = tuple[Any, ...]
SESSION_QUERY = (
    f"SELECT {', '.join('c.' + c for c in COLUMNS.split(', '))}, s.last_used_at"
    " FROM sessions s JOIN conversations c ON c.id = s.conversation_id"
    " WHERE s.token_hash = %s AND c.expires_at > %s AND (s.last_used_at > %s OR NOT EXISTS"
    " (SELECT 1 FROM resume_codes r JOIN conversations o ON o.id = r.conversation_id"
    " WHERE o.person_id = c.person_id AND r.expires_at > %s))"
)
# The person of the conversation named by the single parameter (see the SQLite store).
PERSON = "SELECT person_id FROM conversations WHERE id = %s"
# The conversations whose person has a resume code that still works (parameter: now).
WITH_CODE = (
    "SELECT o.id FROM conversations o JOIN conversations k ON k.person_id = o.person_id"
    " JOIN resume_codes r ON r.conversation_id = k.id WHERE r.expires_at > %s"
)


def _conversation(row: Row | None) -> Conversation | None:
    if row is None:
        return None
    return Conversation(
        row[0],
        row[1],
        json.loads(row[2]),
        time(row[3]),
        time(row[4]),
        time(row[5]),
        int(row[6]),
        str(row[7]),
    )


class PostgresStore:
    def __init__(
        self,
        pool: AsyncConnectionPool[AsyncConnection[Row]],
        retention_days: int,
        session_idle: timedelta | None,
    ) -> None:
        self.pool = pool
        self.retention = timedelta(days=retention_days)
        self.session_idle = session_idle
        self._closed = False

    @classmethod
    async def open(
        cls,
        url: str,
        retention_days: int,
        timeout: float,
        session_idle: timedelta | None = None,
        pool_size: int = 10,
    ) -> PostgresStore:
        """Connect (waiting up to the timeout for the database) and migrate."""
        # statement_timeout: a query stuck behind a lock gives up as SQLite's busy timeout does.
        # Options the address itself gives (?options=...) are kept.
        given = str(conninfo_to_dict(url).get("options") or "")
        options = f"{given} -c statement_timeout={max(int(timeout * 1000), 1)}".strip()
        pool: AsyncConnectionPool[AsyncConnection[Row]] = AsyncConnectionPool(
            url,
            min_size=1,
            max_size=pool_size,
            timeout=max(timeout, 0.5),
            kwargs={"options": options, "connect_timeout": max(int(timeout), 2)},
            # A connection is checked as it leaves the pool (one round trip): after the
            # database restarts, no request is answered 503 for a connection that died.
            check=AsyncConnectionPool.check_connection,
            open=False,
        )
        try:
            await pool.open(wait=True, timeout=max(timeout, 5.0))
            async with pool.connection() as db:
                await migrate(db)
        except psycopg.Error as error:  # the pool's timeouts and closing are psycopg errors too
            await pool.close()
            raise StoreUnavailable(f"PostgreSQL: {error}") from error
        return cls(pool, retention_days, session_idle)

    async def _run(self, work: Callable[[AsyncConnection[Row]], Awaitable[T]]) -> T:
        """One transaction on a pooled connection: committed when work returns, rolled back
        when it raises."""
        if self._closed:
            raise StoreUnavailable("the store is closed")
        try:
            async with self.pool.connection() as db:
                return await work(db)
        except psycopg.Error as error:  # the pool's timeouts and closing are psycopg errors too
            raise StoreUnavailable(str(error)) from error

    async def _one(self, sql: str, *parameters: Any) -> Row | None:
        async def query(db: AsyncConnection[Row]) -> Row | None:
            return await (await db.execute(sql, parameters)).fetchone()

        return await self._run(query)

    async def _execute(self, sql: str, *parameters: Any) -> int:
        async def execute(db: AsyncConnection[Row]) -> int:
            return (await db.execute(sql, parameters)).rowcount

        return await self._run(execute)

    def _cutoff(self, now: datetime) -> int:
        cutoff = idle_cutoff(now, self.session_idle)
        return NEVER if cutoff is None else epoch(cutoff)

    # -- conversations ----------------------------------------------------------------------

    async def create(
        self, state: str, settings: dict[str, Any], now: datetime, linked_to: str | None = None
    ) -> Conversation:
        conversation_id = secrets.token_urlsafe(16)
        moment, expires = epoch(now), epoch(now + self.retention)

        async def insert(db: AsyncConnection[Row]) -> str:
            found = None
            if linked_to:
                found = await (await db.execute(PERSON, (linked_to,))).fetchone()
            person = str(found[0]) if found else conversation_id
            await db.execute(
                f"INSERT INTO conversations ({COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, 0, %s)",
                (conversation_id, state, json.dumps(settings), moment, moment, expires, person),
            )
            await db.execute(
                "UPDATE conversations SET expires_at = %s WHERE person_id = %s", (expires, person)
            )
            return person

        person = await self._run(insert)
        return Conversation(
            conversation_id, state, settings, time(moment), time(moment), time(expires), 0, person
        )

    async def linked(self, conversation_id: str) -> list[Conversation]:
        async def read(db: AsyncConnection[Row]) -> list[Row]:
            cursor = await db.execute(
                f"SELECT {COLUMNS} FROM conversations WHERE person_id = ({PERSON})"
                " ORDER BY created_at, id",
                (conversation_id,),
            )
            return await cursor.fetchall()

        rows = await self._run(read)
        return [c for c in map(_conversation, rows) if c is not None]

    async def get(self, conversation_id: str) -> Conversation | None:
        row = await self._one(f"SELECT {COLUMNS} FROM conversations WHERE id = %s", conversation_id)
        return _conversation(row)

    async def save(
        self,
        conversation_id: str,
        state: str,
        settings: dict[str, Any],
        now: datetime,
        version: int,
    ) -> Conversation:
        moment, expires = epoch(now), epoch(now + self.retention)

        async def update(db: AsyncConnection[Row]) -> Row | None:
            cursor = await db.execute(
                "UPDATE conversations SET state = %s, settings = %s, updated_at = %s,"
                " expires_at = %s, version = version + 1 WHERE id = %s AND version = %s"
                " RETURNING created_at, version, person_id",
                (state, json.dumps(settings), moment, expires, conversation_id, version),
            )
            row = await cursor.fetchone()
            if row is None:
                exists = await db.execute(
                    "SELECT 1 FROM conversations WHERE id = %s", (conversation_id,)
                )
                if await exists.fetchone():
                    raise Conflict(conversation_id)
            else:  # the person's conversations are kept, and deleted, together
                await db.execute(
                    "UPDATE conversations SET expires_at = %s WHERE person_id = %s AND id <> %s",
                    (expires, row[2], conversation_id),
                )
            return row

        row = await self._run(update)
        if row is None:
            raise StoreUnavailable("the conversation no longer exists")
        return Conversation(
            conversation_id,
            state,
            settings,
            time(row[0]),
            time(moment),
            time(expires),
            int(row[1]),
            str(row[2]),
        )

    async def delete(self, conversation_id: str) -> None:
        await self._execute(
            f"DELETE FROM conversations WHERE person_id = ({PERSON})", conversation_id
        )

    # -- sessions and codes -----------------------------------------------------------------

    async def bind_session(self, token_hash: str, conversation_id: str, now: datetime) -> None:
        moment = epoch(now)
        await self._execute(
            "INSERT INTO sessions VALUES (%s, %s, %s, %s) ON CONFLICT (token_hash) DO UPDATE"
            " SET conversation_id = excluded.conversation_id, created_at = excluded.created_at,"
            " last_used_at = excluded.last_used_at",
            *(token_hash, conversation_id, moment, moment),
        )

    async def conversation_by_session(self, token_hash: str, now: datetime) -> Conversation | None:
        moment = epoch(now)

        async def read(db: AsyncConnection[Row]) -> Row | None:
            parameters = (token_hash, moment, self._cutoff(now), moment)
            row = await (await db.execute(SESSION_QUERY, parameters)).fetchone()
            if row is not None and row[-1] < moment - SESSION_TOUCH_SECONDS:
                await db.execute(
                    "UPDATE sessions SET last_used_at = %s"
                    " WHERE token_hash = %s AND last_used_at < %s",
                    (moment, token_hash, moment),
                )
            return row

        row = await self._run(read)
        return _conversation(row[:-1] if row else None)

    async def end_session(self, token_hash: str) -> None:
        await self._execute("DELETE FROM sessions WHERE token_hash = %s", token_hash)

    async def end_other_sessions(self, conversation_id: str, keep_token_hash: str) -> int:
        return await self._execute(
            "DELETE FROM sessions WHERE token_hash <> %s AND conversation_id IN"
            f" (SELECT id FROM conversations WHERE person_id = ({PERSON}))",
            *(keep_token_hash, conversation_id),
        )

    async def set_resume_code(
        self, conversation_id: str, code_hash: str, expires_at: datetime
    ) -> None:
        async def replace(db: AsyncConnection[Row]) -> None:
            await db.execute(
                "DELETE FROM resume_codes WHERE conversation_id IN"
                f" (SELECT id FROM conversations WHERE person_id = ({PERSON}))",
                (conversation_id,),
            )
            await db.execute(
                "INSERT INTO resume_codes VALUES (%s, %s, %s)",
                (code_hash, conversation_id, epoch(expires_at)),
            )

        await self._run(replace)

    async def conversation_for_code(self, code_hash: str, now: datetime) -> str | None:
        query = "SELECT conversation_id FROM resume_codes WHERE code_hash = %s AND expires_at > %s"
        row = await self._one(query, code_hash, epoch(now))
        return str(row[0]) if row else None

    async def has_resume_code(self, conversation_id: str, now: datetime) -> bool:
        query = f"SELECT 1 FROM ({WITH_CODE}) AS w WHERE id = %s"
        return await self._one(query, epoch(now), conversation_id) is not None

    # -- rate limits ------------------------------------------------------------------------

    async def count_attempts(
        self, keys: tuple[str, ...], window_seconds: int, now: datetime, change: int = 1
    ) -> list[int]:
        window = epoch(now) // window_seconds * window_seconds

        async def count(db: AsyncConnection[Row]) -> list[int]:
            counts: dict[str, int] = {}
            # Rows locked in one order by every instance: two counts cannot deadlock.
            for key in sorted(set(keys)):
                cursor = await db.execute(
                    "INSERT INTO attempts VALUES (%s, %s, GREATEST(%s, 0))"
                    " ON CONFLICT (key, window_start)"
                    " DO UPDATE SET count = GREATEST(attempts.count + %s, 0) RETURNING count",
                    (key, window, change, change),
                )
                row = await cursor.fetchone()
                counts[key] = int(row[0]) if row else 0
            return [counts[key] for key in keys]

        return await self._run(count)

    async def attempt_counts(
        self, keys: tuple[str, ...], window_seconds: int, now: datetime
    ) -> list[int]:
        window = epoch(now) // window_seconds * window_seconds

        async def read(db: AsyncConnection[Row]) -> list[int]:
            cursor = await db.execute(
                "SELECT key, count FROM attempts WHERE window_start = %s AND key = ANY(%s)",
                (window, list(keys)),
            )
            found = {str(key): int(count) for key, count in await cursor.fetchall()}
            return [found.get(key, 0) for key in keys]

        return await self._run(read)

    # -- retention --------------------------------------------------------------------------

    async def delete_expired(self, now: datetime) -> int:
        """Once at a time across instances: an instance that finds another one at it leaves
        the work to it (the deletes are idempotent anyway)."""
        moment = epoch(now)

        async def purge(db: AsyncConnection[Row]) -> int:
            cursor = await db.execute("SELECT pg_try_advisory_xact_lock(%s)", (RETENTION_LOCK,))
            locked = await cursor.fetchone()
            if not locked or not locked[0]:
                return 0
            # A person's linked conversations go together.
            deleted = await db.execute(
                "DELETE FROM conversations WHERE person_id IN"
                " (SELECT person_id FROM conversations WHERE expires_at <= %s)",
                (moment,),
            )
            await db.execute(
                f"DELETE FROM sessions WHERE last_used_at <= %s AND conversation_id IN ({WITH_CODE})",
                (self._cutoff(now), moment),
            )
            await db.execute("DELETE FROM resume_codes WHERE expires_at <= %s", (moment,))
            await db.execute("DELETE FROM attempts WHERE window_start < %s", (moment - 86400,))
            return deleted.rowcount

        return await self._run(purge)

    async def ready(self) -> None:
        """The database answers and takes writes (not a read-only standby)."""
        row = await self._one("SELECT pg_is_in_recovery()")
        if row is None or row[0]:
            raise StoreUnavailable("the database is read-only (a standby)")

    async def close(self) -> None:
        if not self._closed:
            self._closed = True
            await self.pool.close()
