"""What only the PostgreSQL store has to show: migrations safe when instances start at once,
and a retention run that happens once at a time across instances (the contract itself runs
on every store in tests/test_store.py)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import psycopg

from assistant.store.postgres import PostgresStore
from assistant.store.postgres_schema import MIGRATIONS, RETENTION_LOCK

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


async def test_instances_starting_at_once_migrate_once(postgres_url: str) -> None:
    stores = await asyncio.gather(*(PostgresStore.open(postgres_url, 30, 5.0) for _ in range(4)))
    with psycopg.connect(postgres_url) as db:
        versions = [row[0] for row in db.execute("SELECT version FROM schema_version")]
    assert sorted(versions) == list(range(1, len(MIGRATIONS) + 1))
    made = await stores[0].create("{}", {}, NOW)
    assert await stores[3].get(made.id) is not None
    for store in stores:
        await store.close()


async def test_retention_runs_once_at_a_time_across_instances(postgres_url: str) -> None:
    store = await PostgresStore.open(postgres_url, 30, 5.0)
    old = await store.create("{}", {}, NOW - timedelta(days=40))
    with psycopg.connect(postgres_url) as other:  # another instance, in the middle of its run
        other.execute("SELECT pg_advisory_lock(%s)", (RETENTION_LOCK,))
        assert await store.delete_expired(NOW) == 0  # left to the other: nothing done twice
        assert await store.get(old.id) is not None
        other.execute("SELECT pg_advisory_unlock(%s)", (RETENTION_LOCK,))
    assert await store.delete_expired(NOW) == 1
    assert await store.get(old.id) is None
    await store.close()


async def test_an_unreachable_database_is_store_unavailable(postgres_url: str) -> None:
    from assistant.store import StoreUnavailable

    closed_port = postgres_url.rsplit(":", 1)[0] + ":1/none"
    try:
        await PostgresStore.open(closed_port, 30, 0.5)
    except StoreUnavailable as error:
        assert "PostgreSQL" in str(error)
    else:
        raise AssertionError("opened a database that is not there")


async def test_conversations_from_before_linking_are_each_a_person_of_their_own(
    postgres_url: str,
) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as old:
        old.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        for statement in (s for s in MIGRATIONS[0].split(";") if s.strip()):
            old.execute(statement)
        old.execute("INSERT INTO schema_version VALUES (1)")
        old.execute("INSERT INTO conversations VALUES ('c1', '{}', '{}', 1, 1, 1e10, 0)")
    store = await PostgresStore.open(postgres_url, 30, 5.0)
    kept = await store.get("c1")
    assert kept is not None and kept.person_id == "c1"
    assert [c.id for c in await store.linked("c1")] == ["c1"]
    await store.close()
