"""Episodes as stored rows: the columns, a row as an Episode, an Episode as row values."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from tracker.diary.episode import Episode

EPISODE_COLUMNS = (
    "id",
    "started_at",
    "duration_s",
    "side",
    "site",
    "severity",
    "activity",
    "hydration",
    "fluid_ml",
    "footwear",
    "footwear_tight",
    "relief",
    "relief_effect",
    "context",
    "warning_signs",
    "notes",
    "time_approximate",
    "created_at",
    "updated_at",
    "uid",  # stable identifier for exports (migration 4); last, so older indexes stay valid
)
_MULTI = ("site", "relief", "context", "warning_signs")
EPISODE_SELECT = ", ".join(EPISODE_COLUMNS)


def _join(codes: tuple[str, ...]) -> str:
    return ";".join(codes)


def split_codes(text: str | None) -> tuple[str, ...]:
    return tuple(c for c in (text or "").split(";") if c)


def now_utc() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def episode_from_row(row: sqlite3.Row | Sequence[Any]) -> Episode:
    values = dict(zip(EPISODE_COLUMNS, row, strict=True))
    for name in _MULTI:
        values[name] = split_codes(values[name])
    values["started_at"] = datetime.fromisoformat(values["started_at"])
    values["footwear_tight"] = bool(values["footwear_tight"])
    values["time_approximate"] = bool(values["time_approximate"])
    return Episode(**values)


def new_uid() -> str:
    return str(uuid.uuid4())


def episode_params(ep: Episode) -> dict[str, Any]:
    """The stored content of an episode. Not its ``uid``: the importer compares these to find
    duplicates, and an edit never changes the identifier."""
    started = ep.started_at.replace(microsecond=0)
    return {
        "started_at": started.isoformat(),
        "start_utc": int(started.timestamp()),
        "duration_s": ep.duration_s,
        "side": ep.side,
        "site": _join(ep.site),
        "severity": ep.severity,
        "activity": ep.activity,
        "hydration": ep.hydration,
        "fluid_ml": ep.fluid_ml,
        "footwear": ep.footwear,
        "footwear_tight": int(ep.footwear_tight),
        "relief": _join(ep.relief),
        "relief_effect": ep.relief_effect,
        "context": _join(ep.context),
        "warning_signs": _join(ep.warning_signs),
        "notes": ep.notes,
        "time_approximate": int(ep.time_approximate),
    }


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
