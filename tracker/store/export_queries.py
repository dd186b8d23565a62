"""The episodes an export writes: those of a period, oldest first, streamed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from tracker.diary.episode import Episode
from tracker.diary.periods import Period
from tracker.store.period_sql import where
from tracker.store.rows import EPISODE_SELECT, episode_from_row

if TYPE_CHECKING:
    from tracker.store.episodes import Store


def episodes_in_period(store: Store, period: Period) -> Iterator[Episode]:
    """Episodes oldest first whose local start date (on the clock they were logged in, the
    date the person saw) lies in the period."""
    condition, params = where(period)
    sql = f"SELECT {EPISODE_SELECT} FROM episode{condition} ORDER BY start_utc, id"
    for row in store.db.execute(sql, params):
        yield episode_from_row(row)
