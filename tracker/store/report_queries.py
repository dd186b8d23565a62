"""The few figures only the doctor summary needs, with the same period condition as Patterns
(tracker.store.period_sql), so the two can never disagree; tracker.report.data folds them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from tracker.diary import vocab
from tracker.diary.episode import Episode
from tracker.diary.periods import Period
from tracker.store.pattern_queries import HOUR_SQL, NIGHT_SQL, Row, count
from tracker.store.period_sql import LOCAL_DATE_SQL, where
from tracker.store.rows import EPISODE_SELECT, episode_from_row

if TYPE_CHECKING:
    from tracker.store.episodes import Store

TABLE_CHUNK = 2000

# A night runs from NIGHT_START_HOUR to NIGHT_END_HOUR; cramps after midnight belong to the night
# that began the evening before, so two cramps at 23:30 and 02:00 are one night, not two.
_NIGHT_OF_SQL = (
    f"CASE WHEN {HOUR_SQL} >= {vocab.NIGHT_START_HOUR} THEN {LOCAL_DATE_SQL} "
    f"ELSE date({LOCAL_DATE_SQL}, '-1 day') END"
)


def approximate_times(store: Store, period: Period) -> int:
    """Episodes whose start time is a rough guess."""
    return count(store, period, "time_approximate != 0")


def relief_not_recorded(store: Store, period: Period) -> int:
    """Episodes with no relief method noted."""
    return count(store, period, "relief = ''")


def duration_counts(store: Store, period: Period) -> list[Row]:
    """(duration_s, count) of the period's episodes."""
    condition, params = where(period)
    sql = f"SELECT duration_s, COUNT(*) FROM episode{condition} GROUP BY duration_s"
    return [tuple(row) for row in store.db.execute(sql, params)]


def nights_affected(store: Store, period: Period) -> int:
    """How many different nights had at least one cramp starting at night."""
    condition, params = where(period, NIGHT_SQL)
    sql = f"SELECT COUNT(DISTINCT {_NIGHT_OF_SQL}) FROM episode{condition}"
    n: int = store.db.execute(sql, params).fetchone()[0]
    return n


def site_side(store: Store, period: Period) -> list[Row]:
    """(';'-joined sites, side, count)."""
    condition, params = where(period)
    sql = f"SELECT site, side, COUNT(*) FROM episode{condition} GROUP BY site, side"
    return [tuple(row) for row in store.db.execute(sql, params)]


def warning_signs(store: Store, period: Period) -> list[Row]:
    """(';'-joined warning signs, count, latest local date) of episodes that reported any."""
    condition, params = where(period, "warning_signs != ''")
    sql = (
        f"SELECT warning_signs, COUNT(*), MAX({LOCAL_DATE_SQL}) FROM episode{condition} "
        "GROUP BY warning_signs"
    )
    return [tuple(row) for row in store.db.execute(sql, params)]


def latest_start(store: Store, period: Period, n: int) -> tuple[int, int, str] | None:
    """(start_utc, id, local date) of the ``n``-th latest episode of the period, None when the
    period holds fewer: where a table of the latest ``n`` episodes begins (walks the index
    backwards, ``n`` rows)."""
    condition, params = where(period)
    sql = (
        f"SELECT start_utc, id, {LOCAL_DATE_SQL} FROM episode{condition} "
        "ORDER BY start_utc DESC, id DESC LIMIT 1 OFFSET ?"
    )
    row = store.db.execute(sql, [*params, n - 1]).fetchone()
    return None if row is None else (row[0], row[1], row[2])


def monthly_nights(store: Store, period: Period) -> list[Row]:
    """('YYYY-MM', nights affected) per month, by the date each night began: a cramp at 01:00
    on 1 March is of the night of 28 February, so no month has more nights than days."""
    condition, params = where(period, NIGHT_SQL)
    sql = (
        f"SELECT substr({_NIGHT_OF_SQL}, 1, 7), COUNT(DISTINCT {_NIGHT_OF_SQL}) "
        f"FROM episode{condition} GROUP BY 1"
    )
    return [tuple(row) for row in store.db.execute(sql, params)]


def iter_episodes(
    store: Store,
    period: Period,
    cancelled: Callable[[], bool] | None = None,
    since: tuple[int, int] | None = None,
) -> Iterator[Episode]:
    """Every episode of the period oldest first, fetched in chunks; stops once ``cancelled``.
    ``since``: (start_utc, id) of the first episode wanted (see latest_start)."""
    extra = [] if since is None else ["start_utc >= ? AND (start_utc > ? OR id >= ?)"]
    condition, params = where(period, *extra)
    if since is not None:
        params = [since[0], since[0], since[1], *params]
    cursor = store.db.execute(
        f"SELECT {EPISODE_SELECT} FROM episode{condition} ORDER BY start_utc, id", params
    )
    while True:
        rows = cursor.fetchmany(TABLE_CHUNK)
        if not rows or (cancelled is not None and cancelled()):
            return
        for row in rows:
            yield episode_from_row(row)


def sleep_disturbance_counts(store: Store, period: Period) -> list[Row]:
    """(sleep disturbance 0-10, episodes) of the period's episodes that rated it."""
    condition, params = where(period, "sleep_disturbance IS NOT NULL")
    sql = f"SELECT sleep_disturbance, COUNT(*) FROM episode{condition} GROUP BY sleep_disturbance"
    return [tuple(row) for row in store.db.execute(sql, params)]
