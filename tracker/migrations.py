"""Numbered, append-only schema migrations. Never edit a released step; add a new one."""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: episodes
    """
    CREATE TABLE episode (
        id             INTEGER PRIMARY KEY,
        started_at     TEXT    NOT NULL,  -- local wall clock with UTC offset, ISO 8601
        start_utc      INTEGER NOT NULL,  -- the same instant as Unix seconds, for ordering
        duration_s     INTEGER NOT NULL,
        side           TEXT    NOT NULL,
        site           TEXT    NOT NULL,  -- codes joined with ';'
        severity       INTEGER NOT NULL,
        activity       TEXT    NOT NULL,
        hydration      TEXT    NOT NULL,
        fluid_ml       INTEGER,
        footwear       TEXT    NOT NULL,
        footwear_tight INTEGER NOT NULL DEFAULT 0,
        relief         TEXT    NOT NULL DEFAULT '',
        relief_effect  TEXT,
        context        TEXT    NOT NULL DEFAULT '',
        warning_signs  TEXT    NOT NULL DEFAULT '',
        notes          TEXT    NOT NULL DEFAULT '',
        created_at     TEXT    NOT NULL,
        updated_at     TEXT    NOT NULL
    );
    CREATE INDEX episode_start_utc ON episode(start_utc);
    """,
    # 2: small per-user settings kept with the data (profile, dismissed notices, ...)
    """
    CREATE TABLE setting (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
]

LATEST_VERSION = len(MIGRATIONS)
