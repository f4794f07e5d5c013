"""The SQLite store's schema: numbered migrations, and how rows become Conversations."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from time import monotonic, sleep
from typing import Any

from assistant.store import Conversation

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
    # 3: when each session was last used, so an idle one ends (OMA_SESSION_IDLE_MINUTES).
    # Sessions from before count as used when they were made.
    """
ALTER TABLE sessions ADD COLUMN last_used_at INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET last_used_at = created_at;
CREATE INDEX IF NOT EXISTS sessions_last_used ON sessions (last_used_at);
""",
    # 4: linked conversations. A person who has one conversation and starts another dialogue
    # (the support plan sketch after wishes and needs) gets a second conversation with the
    # same person_id: one session, one resume code, one expiry and one "delete my answers"
    # reach them all, and one draft can hold both. A conversation from before is a person of
    # its own.
    """
ALTER TABLE conversations ADD COLUMN person_id TEXT NOT NULL DEFAULT '';
UPDATE conversations SET person_id = id;
CREATE INDEX IF NOT EXISTS conversations_person ON conversations (person_id);
""",
)
COLUMNS = "id, state, settings, created_at, updated_at, expires_at, version, person_id"
# The conversations linked to the one named by the single parameter (itself included).
PERSON = "SELECT person_id FROM conversations WHERE id = ?"


def epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def time(epoch_seconds: int) -> datetime:
    return datetime.fromtimestamp(epoch_seconds, UTC)


def conversation(row: tuple[Any, ...] | None) -> Conversation | None:
    if row is None:
        return None
    settings = json.loads(row[2])
    return Conversation(
        row[0], row[1], settings, time(row[3]), time(row[4]), time(row[5]), int(row[6]), row[7]
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


def turn_on_wal(db: sqlite3.Connection, busy_timeout: float) -> None:
    """Write-ahead logging. Turning it on needs the database to itself, and SQLite answers
    "locked" at once, without waiting, while another process (a second instance starting at
    the same moment, migrating) holds it: try again until the busy timeout has passed."""
    deadline = monotonic() + busy_timeout
    while True:
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or monotonic() > deadline:
                raise
            sleep(0.02)
