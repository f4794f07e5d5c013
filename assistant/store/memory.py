"""An in-memory store with the same behaviour as the SQLite one, for tests that want a store
without files (and a model of what any store must do: tests/test_store.py runs the same
contract against both). Nothing here survives the process, so it is never used to serve."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from assistant.store import Conflict, Conversation, StoreUnavailable


@dataclass(frozen=True)
class _Code:
    conversation_id: str
    expires_at: datetime


class MemoryStore:
    def __init__(self, retention_days: int = 30) -> None:
        self.retention = timedelta(days=retention_days)
        self.conversations: dict[str, Conversation] = {}
        self.sessions: dict[str, str] = {}
        self.codes: dict[str, _Code] = {}
        self.attempts: dict[tuple[str, int], int] = {}
        self.closed = False

    def _open(self) -> None:
        if self.closed:
            raise StoreUnavailable("the store is closed")

    async def create(self, state: str, settings: dict[str, Any], now: datetime) -> Conversation:
        self._open()
        conversation = Conversation(
            secrets.token_urlsafe(16), state, _copy(settings), now, now, now + self.retention
        )
        self.conversations[conversation.id] = conversation
        return conversation

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
        return new

    async def delete(self, conversation_id: str) -> None:
        self._open()
        self.conversations.pop(conversation_id, None)
        self.sessions = {t: c for t, c in self.sessions.items() if c != conversation_id}
        self.codes = {h: c for h, c in self.codes.items() if c.conversation_id != conversation_id}

    async def bind_session(self, token_hash: str, conversation_id: str, now: datetime) -> None:
        self._open()
        self.sessions[token_hash] = conversation_id

    async def conversation_by_session(self, token_hash: str, now: datetime) -> Conversation | None:
        self._open()
        conversation = self.conversations.get(self.sessions.get(token_hash, ""))
        return conversation if conversation and conversation.expires_at > now else None

    async def set_resume_code(
        self, conversation_id: str, code_hash: str, expires_at: datetime
    ) -> None:
        self._open()
        self.codes = {h: c for h, c in self.codes.items() if c.conversation_id != conversation_id}
        self.codes[code_hash] = _Code(conversation_id, expires_at)

    async def conversation_for_code(self, code_hash: str, now: datetime) -> str | None:
        self._open()
        code = self.codes.get(code_hash)
        return code.conversation_id if code and code.expires_at > now else None

    async def has_resume_code(self, conversation_id: str, now: datetime) -> bool:
        self._open()
        return any(
            c.conversation_id == conversation_id and c.expires_at > now for c in self.codes.values()
        )

    async def count_attempts(
        self, keys: tuple[str, ...], window_seconds: int, now: datetime, change: int = 1
    ) -> list[int]:
        self._open()
        window = int(now.timestamp()) // window_seconds * window_seconds
        for key in keys:
            self.attempts[key, window] = max(self.attempts.get((key, window), 0) + change, 0)
        return [self.attempts[key, window] for key in keys]

    async def delete_expired(self, now: datetime) -> int:
        self._open()
        expired = [c.id for c in self.conversations.values() if c.expires_at <= now]
        for conversation_id in expired:
            await self.delete(conversation_id)
        self.codes = {h: c for h, c in self.codes.items() if c.expires_at > now}
        day_ago = int(now.timestamp()) - 86400
        self.attempts = {k: n for k, n in self.attempts.items() if k[1] >= day_ago}
        return len(expired)

    async def ready(self) -> None:
        self._open()

    async def close(self) -> None:
        self.closed = True


def _copy(settings: dict[str, Any]) -> dict[str, Any]:
    """As the SQLite store does through JSON: the caller's dict is never shared."""
    copied: dict[str, Any] = json.loads(json.dumps(settings))
    return copied
