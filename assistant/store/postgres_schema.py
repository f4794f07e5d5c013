"""The PostgreSQL store's schema: numbered migrations, applied at start under an advisory lock.

Times are whole seconds since the epoch (BIGINT), as in the SQLite store, so both stores
answer the same contract to the second. The state and settings are JSON text the store never
looks into.
"""

from __future__ import annotations

from psycopg import AsyncConnection

# Advisory lock keys (any 64-bit numbers that nothing else on the database uses).
MIGRATION_LOCK = 0x0A5A_0001
RETENTION_LOCK = 0x0A5A_0002
# Numbered schema changes: migration N brings schema_version from N-1 to N. Never edit one that
# has shipped: add the next.
MIGRATIONS: tuple[str, ...] = (
    """
CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    settings TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX conversations_expiry ON conversations (expires_at);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL
);
CREATE INDEX sessions_conversation ON sessions (conversation_id);
CREATE INDEX sessions_last_used ON sessions (last_used_at);
CREATE TABLE resume_codes (
    code_hash TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL UNIQUE REFERENCES conversations (id) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL
);
CREATE TABLE attempts (
    key TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (key, window_start)
);
""",
    # 2: linked conversations (see the SQLite store's migration 4): one person_id shared by a
    # person's conversations of different dialogues. A conversation from before is a person of
    # its own.
    """
ALTER TABLE conversations ADD COLUMN person_id TEXT NOT NULL DEFAULT '';
UPDATE conversations SET person_id = id;
CREATE INDEX conversations_person ON conversations (person_id);
""",
)


async def migrate(db: AsyncConnection) -> int:
    """Apply the migrations this database has not had, in one transaction that holds an
    advisory lock: instances starting at once wait for each other, and each migration runs
    once. Returns the schema version."""
    async with db.transaction():
        await db.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        await db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        row = await (await db.execute("SELECT max(version) FROM schema_version")).fetchone()
        version = int(row[0]) if row and row[0] is not None else 0
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            for statement in (s for s in script.split(";") if s.strip()):
                await db.execute(statement)
            await db.execute("INSERT INTO schema_version VALUES (%s)", (number,))
            version = number
    return version
