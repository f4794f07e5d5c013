"""The store contract, run against the real SQLite store and the in-memory fake alike, so the
fake cannot drift from what the real one does. Then the Conversations service on top."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from assistant.conversations import Conversations
from assistant.dialogue.state import Respondent
from assistant.settings import Settings
from assistant.store import Store, StoreUnavailable, open_store
from assistant.store.memory import MemoryStore

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture(params=["sqlite", "memory"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    made: Store = (
        await open_store(Settings.from_env(data_dir=tmp_path, retention_days=30))
        if request.param == "sqlite"
        else MemoryStore(retention_days=30)
    )
    yield made
    await made.close()


async def test_a_conversation_is_stored_saved_and_its_expiry_moves_on(store: Store) -> None:
    made = await store.create('{"at": "welcome"}', {"language": "sv"}, NOW)
    assert made.expires_at == NOW + 30 * DAY
    got = await store.get(made.id)
    assert got is not None
    assert (got.state, got.settings, got.created_at) == (
        '{"at": "welcome"}',
        {"language": "sv"},
        NOW,
    )
    saved = await store.save(made.id, '{"at": "good-at"}', {"language": "fi"}, NOW + 3 * DAY)
    assert (saved.created_at, saved.updated_at) == (NOW, NOW + 3 * DAY)
    assert saved.expires_at == NOW + 33 * DAY
    again = await store.get(made.id)
    assert again is not None and json.loads(again.state) == {"at": "good-at"}


async def test_saving_a_deleted_conversation_is_refused_not_pretended(store: Store) -> None:
    made = await store.create("{}", {}, NOW)
    await store.delete(made.id)
    with pytest.raises(StoreUnavailable):
        await store.save(made.id, "{}", {}, NOW)
    assert await store.get(made.id) is None


async def test_sessions_open_their_conversation_until_it_expires(store: Store) -> None:
    made = await store.create("{}", {}, NOW)
    await store.bind_session("session-hash", made.id, NOW)
    found = await store.conversation_by_session("session-hash", NOW + DAY)
    assert found is not None and found.id == made.id
    assert await store.conversation_by_session("other-hash", NOW) is None
    assert await store.conversation_by_session("session-hash", NOW + 31 * DAY) is None


async def test_a_new_code_replaces_the_old_one_and_codes_expire(store: Store) -> None:
    made = await store.create("{}", {}, NOW)
    assert not await store.has_resume_code(made.id, NOW)
    await store.set_resume_code(made.id, "first", NOW + 30 * DAY)
    await store.set_resume_code(made.id, "second", NOW + 30 * DAY)
    assert await store.conversation_for_code("first", NOW) is None
    assert await store.conversation_for_code("second", NOW) == made.id
    assert await store.has_resume_code(made.id, NOW)
    assert await store.conversation_for_code("second", NOW + 31 * DAY) is None
    assert not await store.has_resume_code(made.id, NOW + 31 * DAY)


async def test_deleting_takes_sessions_and_codes_with_it(store: Store) -> None:
    made = await store.create("{}", {}, NOW)
    kept = await store.create("{}", {}, NOW)
    await store.bind_session("s1", made.id, NOW)
    await store.bind_session("s2", kept.id, NOW)
    await store.set_resume_code(made.id, "code", NOW + DAY)
    await store.delete(made.id)
    assert await store.conversation_by_session("s1", NOW) is None
    assert await store.conversation_for_code("code", NOW) is None
    assert await store.conversation_by_session("s2", NOW) is not None


async def test_attempts_are_counted_per_key_and_window(store: Store) -> None:
    counts = [await store.count_attempts(("a", "all"), 3600, NOW) for _ in range(3)]
    assert counts == [[1, 1], [2, 2], [3, 3]]
    assert await store.count_attempts(("b", "all"), 3600, NOW) == [1, 4]
    # A try taken back (the code worked), never below zero.
    assert await store.count_attempts(("b", "all"), 3600, NOW, change=-1) == [0, 3]
    assert await store.count_attempts(("b",), 3600, NOW, change=-1) == [0]
    assert await store.count_attempts(("a",), 3600, NOW + timedelta(hours=1)) == [1]


async def test_retention_deletes_what_expired_and_nothing_else(store: Store) -> None:
    old = await store.create("{}", {}, NOW)
    young = await store.create("{}", {}, NOW + 10 * DAY)
    await store.set_resume_code(old.id, "old-code", NOW + 60 * DAY)
    assert await store.delete_expired(NOW + 30 * DAY) == 1
    assert await store.get(old.id) is None and await store.get(young.id) is not None
    assert await store.conversation_for_code("old-code", NOW + 30 * DAY) is None


async def test_a_closed_store_says_so(store: Store) -> None:
    await store.close()
    with pytest.raises(StoreUnavailable):
        await store.create("{}", {}, NOW)


@pytest.fixture
def conversations(tmp_path: Path) -> Conversations:
    settings = Settings.from_env(data_dir=tmp_path)
    return Conversations(settings, MemoryStore(), clock=lambda: NOW)


async def test_leaving_deletes_a_conversation_nobody_else_can_open(
    conversations: Conversations,
) -> None:
    loaded, _token = await conversations.start(Respondent(), {})
    await conversations.leave(loaded)
    assert await conversations.store.get(loaded.id) is None


async def test_leaving_keeps_a_conversation_a_code_still_opens(
    conversations: Conversations,
) -> None:
    loaded, _token = await conversations.start(Respondent(), {})
    code, _expires = await conversations.make_code(loaded)
    await conversations.leave(loaded)
    token = await conversations.resume(code)
    assert token is not None and (await conversations.load(token)) is not None


async def test_a_state_read_back_is_the_state_that_was_saved(
    conversations: Conversations,
) -> None:
    loaded, token = await conversations.start(Respondent("proxy", "my son"), {})
    engine = loaded.bundle.engine
    moved = engine.submit(loaded.state, "continue", {}).state  # past the welcome
    await conversations.save(loaded, moved)
    conversations.states.clear()  # decoded from the stored text, not remembered
    again = await conversations.load(token)
    assert again is not None and again.state == moved
