"""Episodes as stored rows: the columns, a row as an Episode, an Episode as row values."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from tracker.diary.episode import BOOL_FIELDS, FIELD_NAMES, MULTI_FIELDS, Episode
from tracker.diary.vocab import join_multi, split_multi

# The stored columns: the id, the episode's declared fields in declaration order, then
# bookkeeping. uid stays last (migration 4), so older indexes stay valid.
EPISODE_COLUMNS = ("id", *FIELD_NAMES, "created_at", "updated_at", "uid")
EPISODE_SELECT = ", ".join(EPISODE_COLUMNS)


def split_codes(text: str | None) -> tuple[str, ...]:
    return split_multi(text or "")


def now_utc() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def episode_from_row(row: sqlite3.Row | Sequence[Any]) -> Episode:
    values = dict(zip(EPISODE_COLUMNS, row, strict=True))
    for name in MULTI_FIELDS:
        values[name] = split_codes(values[name])
    values["started_at"] = datetime.fromisoformat(values["started_at"])
    values["footwear_tight"] = bool(values["footwear_tight"])
    values["time_approximate"] = bool(values["time_approximate"])
    return Episode(**values)


def new_uid() -> str:
    import uuid  # lazily: uuid imports platform, a few ms of start-up

    return str(uuid.uuid4())


# How each declared field after started_at is stored: multi-value codes joined, flags as 0/1.
_TO_STORED: tuple[tuple[str, Callable[[Any], Any] | None], ...] = tuple(
    (name, join_multi if name in MULTI_FIELDS else int if name in BOOL_FIELDS else None)
    for name in FIELD_NAMES[1:]
)


def episode_params(ep: Episode) -> dict[str, Any]:
    """The stored content of an episode. Not its ``uid``: the importer compares these to find
    duplicates, and an edit never changes the identifier."""
    started = ep.started_at.replace(microsecond=0)
    params: dict[str, Any] = {
        "started_at": started.isoformat(),
        "start_utc": int(started.timestamp()),
    }
    for name, to_stored in _TO_STORED:
        value = getattr(ep, name)
        params[name] = value if to_stored is None else to_stored(value)
    return params


def taken_uids(conn: sqlite3.Connection, uids: Iterable[str | None]) -> set[str]:
    """Which of these uids an episode in the diary already has (the importer keeps a file's
    uid only when it is free; an insert with uid NULL gets a fresh one from the trigger)."""
    wanted = [u for u in dict.fromkeys(uids) if u]
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        found.update(
            r[0] for r in conn.execute(f"SELECT uid FROM episode WHERE uid IN ({marks})", chunk)
        )
    return found


def fresh_uids(conn: sqlite3.Connection, episodes: Sequence[Episode]) -> list[str]:
    """A uid for each new episode: its own when it has one no other episode uses (in the diary
    or earlier in the list), else a new random one, so a copy of an episode never collides."""
    taken = taken_uids(conn, (e.uid for e in episodes))
    uids: list[str] = []
    for episode in episodes:
        uid = episode.uid if episode.uid and episode.uid not in taken else new_uid()
        taken.add(uid)
        uids.append(uid)
    return uids
