"""Persistence behind one small async interface, so a PostgreSQL store can follow SQLite.

The conversation's state is opaque JSON text to the store (the service decodes it, and keeps
the decoded states most recently read or written); settings are a small JSON object. Session
tokens and resume codes arrive already hashed: the store never sees them in the clear.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from assistant.settings import Settings


# A session's last use is written at most this often (reading pages stays nearly write-free);
# an idle timeout is counted from that, so it may run up to this much later than configured.
SESSION_TOUCH_SECONDS = 60


def idle_cutoff(now: datetime, idle: timedelta | None) -> datetime | None:
    """Sessions last used at or before this moment have ended (None: sessions never idle out)."""
    return None if idle is None else now - idle


@dataclass(frozen=True)
class Conversation:
    id: str
    state: str  # JSON text
    settings: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    expires_at: datetime
    # Counts the saves: a save names the version it changed, so two writers cannot both win.
    version: int = 0
    # Shared by a person's linked conversations (one per dialogue); its own id when alone.
    person_id: str = ""


class Conflict(Exception):
    """The conversation was saved by someone else (another tab, device or instance) since this
    writer read it: nothing was written. Read it again and re-apply the change."""


class StoreUnavailable(Exception):
    """The answer was NOT stored (disk full, database locked too long, I/O error): answer 503."""


class Store(Protocol):
    async def create(
        self, state: str, settings: dict[str, Any], now: datetime, linked_to: str | None = None
    ) -> Conversation:
        """A new conversation, committed. With linked_to (a conversation's id), it belongs to
        the same person: it shares that conversation's person_id, and every linked
        conversation's expiry moves on with it (they are deleted together)."""

    async def linked(self, conversation_id: str) -> list[Conversation]:
        """Every conversation of the same person, this one included, oldest first (empty when
        it does not exist)."""

    async def get(self, conversation_id: str) -> Conversation | None:
        """The conversation, or None if it does not exist."""

    async def save(
        self,
        conversation_id: str,
        state: str,
        settings: dict[str, Any],
        now: datetime,
        version: int,
    ) -> Conversation:
        """Replace state and settings if the stored version is still `version` (else raise
        Conflict, writing nothing); returns only after COMMIT; moves the expiry date on, also
        of the linked conversations."""

    async def delete(self, conversation_id: str) -> None:
        """The conversation, the conversations linked to it, and everything derived from
        them: sessions, resume codes."""

    async def bind_session(self, token_hash: str, conversation_id: str, now: datetime) -> None:
        """A browser session opens this conversation; it counts as used now."""

    async def conversation_by_session(self, token_hash: str, now: datetime) -> Conversation | None:
        """The conversation a session opens, in one read (every page needs it); an expired
        one is gone even before the hourly retention run deletes it. A session unused for the
        store's idle time has ended, but only while a resume code still opens the
        conversation (or one linked to it): without one, ending it would leave the answers reachable by nobody.
        Opening a session marks it used (written at most every SESSION_TOUCH_SECONDS)."""

    async def end_session(self, token_hash: str) -> None:
        """This session no longer opens anything ("Stop on this device"); answers stay."""

    async def end_other_sessions(self, conversation_id: str, keep_token_hash: str) -> int:
        """End every session of the conversation and of those linked to it but this one;
        returns how many ended."""

    async def set_resume_code(
        self, conversation_id: str, code_hash: str, expires_at: datetime
    ) -> None:
        """A new resume code for the conversation; any earlier one of it or of a linked
        conversation stops working (one code reaches them all)."""

    async def conversation_for_code(self, code_hash: str, now: datetime) -> str | None:
        """The conversation a resume code opens, unless the code has expired."""

    async def has_resume_code(self, conversation_id: str, now: datetime) -> bool:
        """Whether a resume code that still works opens this conversation or a linked one."""

    async def count_attempts(
        self, keys: tuple[str, ...], window_seconds: int, now: datetime, change: int = 1
    ) -> list[int]:
        """Add change (1, or -1 to take a try back) to each key's count in the fixed window
        holding now, in one transaction; returns the counts, in the order of the keys."""

    async def attempt_counts(
        self, keys: tuple[str, ...], window_seconds: int, now: datetime
    ) -> list[int]:
        """Each key's count in the window holding now, read only (for health and alerts)."""

    async def delete_expired(self, now: datetime) -> int:
        """Retention: delete expired conversations (with those linked to them), codes, counters
        and idle sessions; returns conversations deleted."""

    async def ready(self) -> None:
        """Return once the store can both read and take a write, or raise StoreUnavailable."""

    async def close(self) -> None:
        """Finish pending work and close."""


async def open_store(settings: Settings) -> Store:
    """PostgreSQL when OMA_DATABASE_URL names one, else SQLite in the data folder."""
    if settings.database_url:
        from assistant.store.postgres import PostgresStore

        return await PostgresStore.open(
            settings.database_url,
            settings.retention_days,
            settings.db_busy_timeout,
            session_idle(settings),
            settings.database_pool,
        )
    from assistant.store.sqlite import SQLiteStore

    return await SQLiteStore.open(
        settings.data_dir / "oma-aani.sqlite3",
        settings.retention_days,
        settings.db_busy_timeout,
        session_idle(settings),
    )


def session_idle(settings: Settings) -> timedelta | None:
    """OMA_SESSION_IDLE_MINUTES as a duration; 0 means sessions never idle out."""
    minutes = settings.session_idle_minutes
    return timedelta(minutes=minutes) if minutes else None
