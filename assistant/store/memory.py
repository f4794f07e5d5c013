"""An in-memory store with the same behaviour as the SQLite one, for tests that want a store
without files (and a model of what any store must do: tests/test_store.py runs the same
contract against both). Nothing here survives the process, so it is never used to serve."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from assistant.store import (
    SESSION_TOUCH_SECONDS,
    Conflict,
    Conversation,
    StoreUnavailable,
    idle_cutoff,
)


@dataclass(frozen=True)
class _Code:
    conversation_id: str
    expires_at: datetime


@dataclass(frozen=True)
class _Session:
    conversation_id: str
    last_used_at: datetime


class MemoryStore:
    def __init__(self, retention_days: int = 30, session_idle: timedelta | None = None) -> None:
        self.retention = timedelta(days=retention_days)
        self.session_idle = session_idle
        self.conversations: dict[str, Conversation] = {}
        self.sessions: dict[str, _Session] = {}
        self.codes: dict[str, _Code] = {}
        self.attempts: dict[tuple[str, int], int] = {}
        self.closed = False

    def _open(self) -> None:
        if self.closed:
            raise StoreUnavailable("the store is closed")

    async def create(
        self, state: str, settings: dict[str, Any], now: datetime, linked_to: str | None = None
    ) -> Conversation:
        self._open()
        conversation_id = secrets.token_urlsafe(16)
        first = self.conversations.get(linked_to or "")
        person = first.person_id if first else conversation_id
        expires = now + self.retention
        conversation = Conversation(
            conversation_id, state, _copy(settings), now, now, expires, 0, person
        )
        self.conversations[conversation.id] = conversation
        self._expire_together(person, expires)
        return conversation

    def _person(self, conversation_id: str) -> list[str]:
        """The ids of the conversation and those linked to it."""
        found = self.conversations.get(conversation_id)
        if found is None:
            return []
        return [c.id for c in self.conversations.values() if c.person_id == found.person_id]

    def _expire_together(self, person: str, expires: datetime) -> None:
        for c in list(self.conversations.values()):
            if c.person_id == person:
                self.conversations[c.id] = replace(c, expires_at=expires)

    async def linked(self, conversation_id: str) -> list[Conversation]:
        self._open()
        found = [self.conversations[i] for i in self._person(conversation_id)]
        return sorted(found, key=lambda c: (_second(c.created_at), c.id))

    async def get(self, conversation_id: str) -> Conversation | None:
        self._open()
        return self.conversations.get(conversation_id)

    async def save(
        self,
        conversation_id: str,
        state: str,
        settings: dict[str, Any],
        now: datetime,
        version: int,
    ) -> Conversation:
        self._open()
        old = self.conversations.get(conversation_id)
        if old is None:
            raise StoreUnavailable("the conversation no longer exists")
        if old.version != version:
            raise Conflict(conversation_id)
        new = replace(
            old,
            state=state,
            settings=_copy(settings),
            updated_at=now,
            expires_at=now + self.retention,
            version=version + 1,
        )
        self.conversations[conversation_id] = new
        self._expire_together(new.person_id, new.expires_at)
        return new

    async def delete(self, conversation_id: str) -> None:
        self._open()
        gone = set(self._person(conversation_id))
        for each in gone:
            self.conversations.pop(each, None)
        self.sessions = {t: s for t, s in self.sessions.items() if s.conversation_id not in gone}
        self.codes = {h: c for h, c in self.codes.items() if c.conversation_id not in gone}

    async def bind_session(self, token_hash: str, conversation_id: str, now: datetime) -> None:
        self._open()
        self.sessions[token_hash] = _Session(conversation_id, _second(now))

    def _idle(self, session: _Session, now: datetime) -> bool:
        """Unused since the cutoff, with a working code to continue (see Store)."""
        cutoff = idle_cutoff(now, self.session_idle)
        return (
            cutoff is not None
            and session.last_used_at <= _second(cutoff)
            and self._has_code(session.conversation_id, now)
        )

    async def conversation_by_session(self, token_hash: str, now: datetime) -> Conversation | None:
        self._open()
        session = self.sessions.get(token_hash)
        if session is None or self._idle(session, now):
            return None
        conversation = self.conversations.get(session.conversation_id)
        if conversation is None or conversation.expires_at <= now:
            return None
        if session.last_used_at < _second(now) - timedelta(seconds=SESSION_TOUCH_SECONDS):
            self.sessions[token_hash] = replace(session, last_used_at=_second(now))
        return conversation

    async def end_session(self, token_hash: str) -> None:
        self._open()
        self.sessions.pop(token_hash, None)

    async def end_other_sessions(self, conversation_id: str, keep_token_hash: str) -> int:
        self._open()
        linked = set(self._person(conversation_id))
        ended = [
            t
            for t, s in self.sessions.items()
            if s.conversation_id in linked and t != keep_token_hash
        ]
        for token_hash in ended:
            del self.sessions[token_hash]
        return len(ended)

    async def set_resume_code(
        self, conversation_id: str, code_hash: str, expires_at: datetime
    ) -> None:
        self._open()
        linked = set(self._person(conversation_id))
        self.codes = {h: c for h, c in self.codes.items() if c.conversation_id not in linked}
        self.codes[code_hash] = _Code(conversation_id, expires_at)

    async def conversation_for_code(self, code_hash: str, now: datetime) -> str | None:
        self._open()
        code = self.codes.get(code_hash)
        return code.conversation_id if code and code.expires_at > now else None

    async def has_resume_code(self, conversation_id: str, now: datetime) -> bool:
        self._open()
        return self._has_code(conversation_id, now)

    def _has_code(self, conversation_id: str, now: datetime) -> bool:
        linked = set(self._person(conversation_id))
        return any(c.conversation_id in linked and c.expires_at > now for c in self.codes.values())

    async def count_attempts(
        self, keys: tuple[str, ...], window_seconds: int, now: datetime, change: int = 1
    ) -> list[int]:
        self._open()
        window = int(now.timestamp()) // window_seconds * window_seconds
        for key in keys:
            self.attempts[key, window] = max(self.attempts.get((key, window), 0) + change, 0)
        return [self.attempts[key, window] for key in keys]

    async def attempt_counts(
        self, keys: tuple[str, ...], window_seconds: int, now: datetime
    ) -> list[int]:
        self._open()
        window = int(now.timestamp()) // window_seconds * window_seconds
        return [self.attempts.get((key, window), 0) for key in keys]

    async def delete_expired(self, now: datetime) -> int:
        self._open()
        expired = {c.id for c in self.conversations.values() if c.expires_at <= now}
        expired = {i for e in expired for i in self._person(e)}  # linked ones go together
        for conversation_id in expired:
            await self.delete(conversation_id)
        self.sessions = {t: s for t, s in self.sessions.items() if not self._idle(s, now)}
        self.codes = {h: c for h, c in self.codes.items() if c.expires_at > now}
        day_ago = int(now.timestamp()) - 86400
        self.attempts = {k: n for k, n in self.attempts.items() if k[1] >= day_ago}
        return len(expired)

    async def ready(self) -> None:
        self._open()

    async def close(self) -> None:
        self.closed = True


def _second(moment: datetime) -> datetime:
    """Whole seconds, as the SQLite store keeps times."""
    return moment.replace(microsecond=0)


def _copy(settings: dict[str, Any]) -> dict[str, Any]:
    """As the SQLite store does through JSON: the caller's dict is never shared."""
    copied: dict[str, Any] = json.loads(json.dumps(settings))
    return copied
