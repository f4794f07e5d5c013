"""The store contract, run against the real SQLite store and the in-memory fake alike, so the
fake cannot drift from what the real one does. Then the Conversations service on top."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from assistant.conversations import Conversations
from assistant.dialogue.state import Respondent
from assistant.settings import Settings
from assistant.store import Conflict, Store, StoreUnavailable, open_store, sqlite_schema
from assistant.store import sqlite as sqlite_module
from assistant.store.memory import MemoryStore
from assistant.store.sqlite import SQLiteStore

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
IDLE = timedelta(minutes=60)  # the stores' session idle time in these tests
MINUTE = timedelta(minutes=1)


@pytest.fixture(params=["sqlite", "postgres", "memory"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    settings = Settings.from_env(data_dir=tmp_path, retention_days=30, session_idle_minutes=60)
    if request.param == "postgres":
        settings = settings.with_(database_url=request.getfixturevalue("postgres_url"))
    made: Store = (
        MemoryStore(retention_days=30, session_idle=IDLE)
        if request.param == "memory"
        else await open_store(settings)
    )
    yield made
    await made.close()


async def settle(store: Store) -> None:
    """Writes a store leaves to run after the request (a session's last use) have landed."""
    settled = getattr(store, "settle", None)
    if settled is not None:
        await settled()


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
    saved = await store.save(made.id, '{"at": "good-at"}', {"language": "fi"}, NOW + 3 * DAY, 0)
    assert (saved.created_at, saved.updated_at) == (NOW, NOW + 3 * DAY)
    assert saved.expires_at == NOW + 33 * DAY
    again = await store.get(made.id)
    assert again is not None and json.loads(again.state) == {"at": "good-at"}


async def test_the_store_refuses_a_write_based_on_an_old_version(store: Store) -> None:
    now = NOW
    made = await store.create("{}", {}, now)
    saved = await store.save(made.id, '{"a": 1}', {}, now, made.version)
    assert saved.version == made.version + 1
    with pytest.raises(Conflict):
        await store.save(made.id, '{"b": 2}', {}, now, made.version)
    stored = await store.get(made.id)
    assert stored is not None and stored.state == '{"a": 1}' and stored.version == saved.version


async def test_saving_a_deleted_conversation_is_refused_not_pretended(store: Store) -> None:
    made = await store.create("{}", {}, NOW)
    await store.delete(made.id)
    with pytest.raises(StoreUnavailable):
        await store.save(made.id, "{}", {}, NOW, 0)
    assert await store.get(made.id) is None


async def test_sessions_open_their_conversation_until_it_expires(store: Store) -> None:
    made = await store.create("{}", {}, NOW)
    await store.bind_session("session-hash", made.id, NOW)
    found = await store.conversation_by_session("session-hash", NOW + DAY)
    assert found is not None and found.id == made.id
    assert await store.conversation_by_session("other-hash", NOW) is None
    assert await store.conversation_by_session("session-hash", NOW + 31 * DAY) is None


async def test_an_idle_session_ends_when_a_code_continues_the_conversation(
    store: Store,
) -> None:
    made = await store.create("{}", {}, NOW)
    await store.bind_session("s", made.id, NOW)
    # Without a code, ending the session would leave the answers reachable by nobody.
    assert await store.conversation_by_session("s", NOW + 2 * IDLE) is not None
    await settle(store)
    await store.set_resume_code(made.id, "code", NOW + 30 * DAY)
    # Last used when it was read above.
    assert await store.conversation_by_session("s", NOW + 2 * IDLE + IDLE + MINUTE) is None


async def test_using_a_session_keeps_it_open(store: Store) -> None:
    made = await store.create("{}", {}, NOW)
    await store.set_resume_code(made.id, "code", NOW + 30 * DAY)
    await store.bind_session("s", made.id, NOW)
    for minutes in (50, 100, 150, 200):  # each use within the idle time of the one before
        assert await store.conversation_by_session("s", NOW + minutes * MINUTE) is not None
        await settle(store)
    assert await store.conversation_by_session("s", NOW + 200 * MINUTE + IDLE) is None


async def test_stopping_ends_one_session_and_a_new_code_can_end_the_others(
    store: Store,
) -> None:
    made = await store.create("{}", {}, NOW)
    other = await store.create("{}", {}, NOW)
    for token, conversation in (("a", made), ("b", made), ("c", made), ("x", other)):
        await store.bind_session(token, conversation.id, NOW)
    await store.end_session("a")
    assert await store.conversation_by_session("a", NOW) is None
    assert await store.end_other_sessions(made.id, "b") == 1
    assert await store.conversation_by_session("c", NOW) is None
    for token in ("b", "x"):
        assert await store.conversation_by_session(token, NOW) is not None
    assert await store.get(made.id) is not None  # the answers stay


async def test_retention_removes_idle_sessions(store: Store) -> None:
    made = await store.create("{}", {}, NOW)
    await store.set_resume_code(made.id, "code", NOW + 30 * DAY)
    await store.bind_session("idle", made.id, NOW)
    await store.bind_session("used", made.id, NOW + IDLE)
    await store.delete_expired(NOW + IDLE + MINUTE)
    # Asked about a moment when it was still open: the idle row itself is gone.
    assert await store.conversation_by_session("idle", NOW + MINUTE) is None
    assert await store.conversation_by_session("used", NOW + IDLE + MINUTE) is not None


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


async def test_linked_conversations_are_one_persons_kept_and_deleted_together(
    store: Store,
) -> None:
    """A person's second conversation (another dialogue) is linked to the first: the one code
    and the sessions reach both, saving either keeps both, and deleting either deletes both.
    Someone else's conversation is never touched."""
    first = await store.create('{"d": "wishes"}', {}, NOW)
    stranger = await store.create("{}", {}, NOW)
    second = await store.create('{"d": "sketch"}', {}, NOW + DAY, linked_to=first.id)
    assert second.person_id == first.person_id != stranger.person_id
    assert [c.id for c in await store.linked(second.id)] == [first.id, second.id]
    assert [c.id for c in await store.linked(stranger.id)] == [stranger.id]
    assert await store.linked("no-such") == []
    # Starting the second moved the first's expiry on with it; saving the first moves both.
    assert (await store.get(first.id)).expires_at == NOW + 31 * DAY  # type: ignore[union-attr]
    await store.save(first.id, "{}", {}, NOW + 5 * DAY, 0)
    assert (await store.get(second.id)).expires_at == NOW + 35 * DAY  # type: ignore[union-attr]
    assert (await store.get(stranger.id)).expires_at == NOW + 30 * DAY  # type: ignore[union-attr]
    # One code for the person: made in the second, it counts for the first too; a new code
    # made in the first replaces it.
    await store.set_resume_code(second.id, "code-1", NOW + 30 * DAY)
    assert await store.has_resume_code(first.id, NOW)
    assert not await store.has_resume_code(stranger.id, NOW)
    await store.set_resume_code(first.id, "code-2", NOW + 30 * DAY)
    assert await store.conversation_for_code("code-1", NOW) is None
    assert await store.conversation_for_code("code-2", NOW) == first.id
    # A session moves between them; ending the others ends those of both.
    for token, conversation in (("a", first), ("b", second), ("x", stranger)):
        await store.bind_session(token, conversation.id, NOW)
    await store.bind_session("a", second.id, NOW)
    found = await store.conversation_by_session("a", NOW)
    assert found is not None and found.id == second.id
    assert await store.end_other_sessions(first.id, "a") == 1
    assert await store.conversation_by_session("b", NOW) is None
    # An idle session ends when the code continues the person's answers, made in either.
    await store.bind_session("idle", second.id, NOW)
    assert await store.conversation_by_session("idle", NOW + 2 * IDLE) is None
    await store.delete(second.id)
    for gone in (first.id, second.id):
        assert await store.get(gone) is None
    assert await store.conversation_for_code("code-2", NOW) is None
    assert await store.get(stranger.id) is not None
    assert await store.conversation_by_session("x", NOW) is not None


async def test_retention_deletes_a_persons_linked_conversations_together(store: Store) -> None:
    first = await store.create("{}", {}, NOW)
    second = await store.create("{}", {}, NOW + DAY, linked_to=first.id)
    alone = await store.create("{}", {}, NOW + 2 * DAY)
    assert await store.delete_expired(NOW + 30 * DAY + MINUTE) == 0  # the second moved it on
    assert await store.delete_expired(NOW + 31 * DAY + MINUTE) == 2
    assert await store.get(first.id) is None and await store.get(second.id) is None
    assert await store.get(alone.id) is not None


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
    # Read without counting (health and alerts).
    assert await store.attempt_counts(("a", "all", "none"), 3600, NOW) == [3, 3, 0]
    assert await store.attempt_counts(("a",), 3600, NOW) == [3]


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
    await conversations.apply(loaded, lambda state: moved)
    conversations.states.clear()  # decoded from the stored text, not remembered
    again = await conversations.load(token)
    assert again is not None and again.state == moved


# -- SQLite only: what lingers on disk, reads beside a locked write, schema migrations --------


async def _sqlite(tmp_path: Path) -> SQLiteStore:
    store = await open_store(Settings.from_env(data_dir=tmp_path, retention_days=30))
    assert isinstance(store, SQLiteStore)
    return store


def _on_disk(tmp_path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in tmp_path.glob("oma-aani.sqlite3*"))


async def test_a_replaced_answer_is_in_no_file_soon_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """WAL keeps the old pages in the -wal file after a passive checkpoint: a replaced answer
    (special-category data the person changed) must not linger there."""
    monkeypatch.setattr(sqlite_module, "CHECKPOINT_DELAY", 0.05)
    store = await _sqlite(tmp_path)
    made = await store.create('{"answer": "OLD-DIAGNOSIS-TEXT"}', {}, NOW)
    saved = await store.save(made.id, '{"answer": "first change"}', {}, NOW, made.version)
    await store.save(made.id, '{"answer": "the newest words"}', {}, NOW, saved.version)
    await asyncio.sleep(0.5)
    disk = _on_disk(tmp_path)
    assert b"OLD-DIAGNOSIS-TEXT" not in disk and b"first change" not in disk
    assert b"the newest words" in disk
    await store.close()


async def test_reads_are_answered_while_a_write_waits_for_a_lock(tmp_path: Path) -> None:
    """Another process holds the write lock: a save waits (then fails), but a page that only
    reads is not queued behind it."""
    store = await open_store(
        Settings.from_env(data_dir=tmp_path, retention_days=30, db_busy_timeout=2.0)
    )
    made = await store.create("{}", {}, NOW)
    await store.bind_session("token", made.id, NOW)
    release = threading.Event()
    locked = threading.Event()

    def hold_lock() -> None:
        with sqlite3.connect(tmp_path / "oma-aani.sqlite3", timeout=5) as other:
            other.execute("BEGIN IMMEDIATE")
            locked.set()
            release.wait(10)
            other.rollback()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    locked.wait(5)
    waiting_write = asyncio.ensure_future(store.save(made.id, '{"a": 1}', {}, NOW, 0))
    await asyncio.sleep(0.1)
    started = time.monotonic()
    read = await store.conversation_by_session("token", NOW)
    read_took = time.monotonic() - started
    assert read is not None and not waiting_write.done()
    with pytest.raises(StoreUnavailable):
        await store.ready()  # what /readyz asks: the store cannot take a write now
    write_wait = time.monotonic() - started
    release.set()
    holder.join()
    with pytest.raises(StoreUnavailable):
        await waiting_write  # the busy timeout passed: an honest "not saved"
    # The read did not wait for the write lock: a small part of what the write waited.
    assert read_took < write_wait / 4, (read_took, write_wait)
    await store.ready()
    await store.close()


async def test_a_database_of_the_first_schema_is_migrated_with_its_conversations(
    tmp_path: Path,
) -> None:
    path = tmp_path / "oma-aani.sqlite3"
    with sqlite3.connect(path) as old:
        old.executescript(sqlite_schema.MIGRATIONS[0] + "PRAGMA user_version = 1;")
        old.execute(
            "INSERT INTO conversations VALUES ('c1', '{}', '{}', 1, 1, ?)",
            (int((NOW + DAY).timestamp()),),
        )
        old.execute("INSERT INTO sessions VALUES ('s1', 'c1', ?)", (int(NOW.timestamp()),))
    # Two processes starting at once apply each migration once.
    first, second = await asyncio.gather(_sqlite(tmp_path), _sqlite(tmp_path))
    kept = await first.get("c1")
    assert kept is not None and kept.version == 0
    assert kept.person_id == "c1"  # a conversation from before is a person of its own
    saved = await second.save("c1", '{"x": 1}', {}, NOW, 0)
    assert saved.version == 1
    # A session from before counts as last used when it was made.
    await second.set_resume_code("c1", "code", NOW + 30 * DAY)
    assert await second.conversation_by_session("s1", NOW + MINUTE / 2) is not None
    assert await second.conversation_by_session("s1", NOW + 1441 * MINUTE) is None
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(sqlite_schema.MIGRATIONS)
    await first.close()
    await second.close()


async def test_a_store_opens_while_another_instance_holds_the_database_for_a_moment(
    tmp_path: Path,
) -> None:
    """Turning on write-ahead logging needs the database to itself, and SQLite says "locked" at
    once, without waiting, while a second instance starting at the same moment migrates it:
    the store waits for it (up to the busy timeout) instead of failing to start."""
    path = tmp_path / "oma-aani.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.executescript(sqlite_schema.MIGRATIONS[0] + "PRAGMA user_version = 1;")
    # What a second instance's migration holds: a write transaction that has begun writing.
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO sessions VALUES ('s0', 'c0', 0)")
    loop = asyncio.get_running_loop()
    loop.call_later(0.3, lambda: (holder.execute("COMMIT"), holder.close()))
    store = await _sqlite(tmp_path)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    await store.close()
