"""The importer's reads and writes: which episodes the diary already holds, and the insert.

An imported episode that equals one in the diary field by field (not its id or uid) is a
duplicate. Ids from the file are kept when free, so a diary moved to a new computer keeps
them; a file's uid (our own exports) is kept when no episode has it yet.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from tracker.diary.episode import Episode
from tracker.store.rows import episode_params, taken_uids

_NEW_ID, _KEEP_ID, _SKIP = 0, 1, 2


class DiaryIndex:
    """Finds episodes already in the diary: through the start index, so many rows at one
    moment never make an import quadratic; compared field by field on a match."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        rows = conn.execute("SELECT start_utc, duration_s FROM episode")
        self.starts = {hash(tuple(row)) for row in rows}

    def contains(self, episode: Episode) -> bool:
        start = int(episode.started_at.replace(microsecond=0).timestamp())
        if hash((start, episode.duration_s)) not in self.starts:
            return False
        params = episode_params(episode)
        match = " AND ".join(f"{column} IS ?" for column in params)
        found = self.conn.execute(
            f"SELECT 1 FROM episode WHERE start_utc = ? AND {match} LIMIT 1",
            (params["start_utc"], *params.values()),
        )
        return found.fetchone() is not None


def insert_imported(conn: sqlite3.Connection, episodes: Sequence[Episode], stamp: str) -> int:
    """Insert the episodes not already in the diary, inside the caller's transaction; return
    how many were skipped as now in the diary (checked again: it may have changed meanwhile).
    """
    plan = _plan(conn, episodes)
    used = taken_uids(conn, [e.uid for e in episodes if e.uid])
    # ids kept from the file first, so a new id can never take one that is still to come
    for kind in (_KEEP_ID, _NEW_ID):
        rows = _rows(episodes, plan, kind, stamp, used)
        first = next(rows, None)
        if first is not None:
            columns = list(first)
            conn.executemany(
                f"INSERT INTO episode ({', '.join(columns)}) "
                f"VALUES ({', '.join(':' + c for c in columns)})",
                itertools.chain([first], rows),
            )
    return plan.count(_SKIP)


def _plan(conn: sqlite3.Connection, episodes: Sequence[Episode]) -> bytearray:
    """For each episode: keep its id, give it a new one, or skip it (now in the diary)."""
    diary = DiaryIndex(conn)
    ids = {row[0] for row in conn.execute("SELECT id FROM episode")}
    plan = bytearray(len(episodes))
    for index, episode in enumerate(episodes):
        if diary.contains(episode):
            plan[index] = _SKIP
        elif episode.id is not None and episode.id not in ids:
            ids.add(episode.id)
            plan[index] = _KEEP_ID
    return plan


def _rows(
    episodes: Sequence[Episode], plan: bytearray, kind: int, stamp: str, used: set[str]
) -> Iterator[dict[str, Any]]:
    for index, episode in enumerate(episodes):
        if plan[index] == kind:
            params = episode_params(episode)
            params["id"] = episode.id if kind == _KEEP_ID else None
            uid = episode.uid if isinstance(episode.uid, str) and episode.uid not in used else None
            if uid:
                used.add(uid)
            params["uid"] = uid  # None: the diary's trigger gives it a fresh one
            params["created_at"] = episode.created_at or stamp
            params["updated_at"] = episode.updated_at or stamp
            yield params
