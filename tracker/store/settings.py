"""The diary's settings: a key-value table (the profile, preferences, the diary's uid)."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping


def get(conn: sqlite3.Connection, key: str, default: str | None = None) -> str | None:
    row = conn.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
    return default if row is None else str(row[0])


def put(conn: sqlite3.Connection, values: Mapping[str, str | None]) -> None:
    """Set (or, for None, remove) settings, inside the caller's transaction."""
    for key, value in values.items():
        if value is None:
            conn.execute("DELETE FROM setting WHERE key = ?", (key,))
        else:
            conn.execute(
                "INSERT INTO setting (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
