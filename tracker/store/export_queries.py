"""The episodes an export writes: those of a period, oldest first, streamed in blocks.

One cursor is read ``BLOCK_ROWS`` rows at a time (``fetchmany``): the whole export sees one
snapshot of the diary, and no more than a block of rows is ever in memory, however big the diary.
The writers of tracker.interop work on the stored rows themselves (columns ``EPISODE_COLUMNS``),
which is several times faster than building an Episode for each; ``episodes_in_period`` gives
Episodes for the writers that want them. Check-ins (by their day) and medicines (those taken
on a day of the period) are few, at most a row a day: they are read whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from tracker.diary.checkin import CheckIn, Medicine
from tracker.diary.episode import Episode
from tracker.diary.periods import Period
from tracker.store import checkins
from tracker.store.period_sql import where
from tracker.store.rows import EPISODE_SELECT, episode_from_row

if TYPE_CHECKING:
    from tracker.store.episodes import Store

BLOCK_ROWS = 500  # small enough that no single C call holds the GIL for long (UI stalls)

StoredRow = tuple[Any, ...]


def count_in_period(store: Store, period: Period) -> int:
    """How many episodes ``row_blocks`` will give (for a progress bar)."""
    condition, params = where(period)
    found: int = store.db.execute(f"SELECT COUNT(*) FROM episode{condition}", params).fetchone()[0]
    return found


def row_blocks(
    store: Store, period: Period, block_rows: int | None = None
) -> Iterator[list[StoredRow]]:
    """The stored rows (``EPISODE_COLUMNS``) of the period's episodes, oldest first, in blocks
    of at most ``block_rows`` (default ``BLOCK_ROWS``); the local start date decides, as in
    ``episodes_in_period``."""
    condition, params = where(period)
    sql = f"SELECT {EPISODE_SELECT} FROM episode{condition} ORDER BY start_utc, id"
    size = block_rows or BLOCK_ROWS
    cursor = store.db.execute(sql, params)
    try:
        while block := cursor.fetchmany(size):
            yield block
    finally:
        cursor.close()  # an export stopped half-way ends its read at once


def episodes_in_period(store: Store, period: Period) -> Iterator[Episode]:
    """Episodes oldest first whose local start date (on the clock they were logged in, the
    date the person saw) lies in the period."""
    for block in row_blocks(store, period):
        for row in block:
            yield episode_from_row(row)


# ----------------------------------------------------------------- check-ins and medicines
def checkins_in_period(store: Store, period: Period) -> list[CheckIn]:
    """The check-ins whose day lies in the period, by day (one packed read)."""
    first = period.first or date.min
    last = period.last or date.max
    return checkins.checkins_between(store.db, first, last)


def medicines_in_period(store: Store, period: Period) -> list[Medicine]:
    """The medicines taken on at least one day of the period (all of them for all dates),
    by start date and name."""
    first, last = period.first, period.last
    return [
        m
        for m in checkins.medicines(store.db)
        if (last is None or m.started_on <= last)
        and (first is None or m.stopped_on is None or m.stopped_on >= first)
    ]
