"""The grouped queries behind the Patterns page (tracker.analysis.aggregates folds the rows).

Every number is a ``GROUP BY`` in SQLite: with 100,000 episodes, loading them all as Python
objects would cost seconds, while the grouped rows are a few hundred at most.

``started_at`` is the local wall clock with its offset, so ``substr(started_at, 1, 10)`` is the
local date and ``substr(started_at, 12, 2)`` the local hour at which the cramp began, whatever
the offset was that day. Severity bands and night hours come from tracker.diary.vocab.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from tracker.diary import vocab
from tracker.diary.periods import Period
from tracker.store.period_sql import LOCAL_DATE_SQL, where

if TYPE_CHECKING:
    from tracker.store.episodes import Store

# A Store; a bare connection is accepted only until tracker/advice/tips.py passes its Store.

Row = tuple[Any, ...]

NOT_RATED = len(vocab.SEVERITY_BANDS)  # the band index of "severity not recorded"


def _band_sql() -> str:
    """The band index (vocab.SEVERITY_BANDS order) of an episode's severity; NOT_RATED if none."""
    highs = [high for _low, high in vocab.SEVERITY_BANDS.values()]
    whens = " ".join(f"WHEN severity <= {high} THEN {i}" for i, high in enumerate(highs[:-1]))
    return f"CASE WHEN severity IS NULL THEN {NOT_RATED} {whens} ELSE {len(highs) - 1} END"


HOUR_SQL = "CAST(substr(started_at, 12, 2) AS INTEGER)"
BAND_SQL = _band_sql()
# Night: a local start hour from NIGHT_START_HOUR up to (not including) NIGHT_END_HOUR.
NIGHT_SQL = f"({HOUR_SQL} >= {vocab.NIGHT_START_HOUR} OR {HOUR_SQL} < {vocab.NIGHT_END_HOUR})"
MONTH_SQL = "substr(started_at, 1, 7)"
# Monday = 0. For the usual 'YYYY-MM-DDTHH:MM:SS+HH:MM' text, the local day number comes from
# start_utc plus the written offset (cheap integer arithmetic; 1970-01-01 was a Thursday, and
# 28,000 days, a whole number of weeks, keep the dividend positive back to 1893). Any other
# shape falls back to SQLite's date functions.
WEEKDAY_SQL = (
    "CASE WHEN length(started_at) = 25 THEN "
    "((start_utc + (CASE substr(started_at, 20, 1) WHEN '-' THEN -1 ELSE 1 END) * "
    "(CAST(substr(started_at, 21, 2) AS INTEGER) * 3600 + "
    "CAST(substr(started_at, 24, 2) AS INTEGER) * 60) + 2419200000) / 86400 + 3) % 7 "
    "ELSE (CAST(strftime('%w', substr(started_at, 1, 10)) AS INTEGER) + 6) % 7 END"
)
BUCKET_SQL = {
    "day": LOCAL_DATE_SQL,
    # SQLite's 'weekday 0' moves forward to Sunday (or stays); six days back is that Monday.
    "week": f"date({LOCAL_DATE_SQL}, 'weekday 0', '-6 days')",
    "month": f"{MONTH_SQL} || '-01'",
}


class EpisodeFacts(NamedTuple):
    """One episode as the grouped queries see it, computed by the same SQL expressions, so
    that adding or removing it from folded counts gives what a fresh aggregation would."""

    start_utc: int
    local_date: str
    hour: int
    weekday: int
    week: str  # first local date (a Monday) of its week
    month: str  # 'YYYY-MM'
    band: int
    night: int
    severity: int | None
    duration_s: int
    activity: str | None
    footwear: str | None
    footwear_tight: int | None
    hydration: str | None
    site: str | None
    side: str | None
    relief: str | None
    relief_effect: str | None
    id: int  # which episode: the history places its row by it


FACTS_SQL = (
    f"start_utc, {LOCAL_DATE_SQL}, {HOUR_SQL}, {WEEKDAY_SQL}, {BUCKET_SQL['week']}, {MONTH_SQL}, "
    f"{BAND_SQL}, {NIGHT_SQL}, severity, duration_s, activity, footwear, footwear_tight, "
    "hydration, site, side, relief, relief_effect, id"
)


def episode_facts(conn: sqlite3.Connection, episode_id: int | None) -> EpisodeFacts | None:
    """The facts of one episode (by its primary key), inside the caller's transaction."""
    row = conn.execute(f"SELECT {FACTS_SQL} FROM episode WHERE id = ?", (episode_id,)).fetchone()
    return None if row is None else EpisodeFacts(*row)


def month_severity_duration(
    source: Store, period: Period, month: str, low_utc: int, high_utc: int
) -> list[Row]:
    """(severity, duration_s, count) of the period's episodes in one local month 'YYYY-MM',
    found through the indexed start_utc range [low_utc, high_utc) that holds the month."""
    condition, params = where(period, "start_utc >= ?", "start_utc < ?", f"{MONTH_SQL} = ?")
    sql = f"SELECT severity, duration_s, COUNT(*) FROM episode{condition} GROUP BY 1, 2"
    return packed_rows(connection(source), sql, [low_utc, high_utc, month, *params])


def connection(source: Store) -> sqlite3.Connection:
    return source.db


def _rows(source: Store, select: str, period: Period, *extra: str, tail: str = "") -> list[Row]:
    condition, params = where(period, *extra)
    sql = f"SELECT {select} FROM episode{condition}{tail}"
    return packed_rows(connection(source), sql, params)


def packed_rows(conn: sqlite3.Connection, sql: str, params: Sequence[Any]) -> list[Row]:
    """The rows of ``sql`` (no BLOB columns), handed over by SQLite as one JSON value.

    These queries run in worker threads (Patterns, the Tips page). Read row by row, each row
    gives up Python's GIL in sqlite3_step and waits up to the switch interval to get it back
    while another thread runs Python: a few thousand grouped rows then took seconds. Numbers,
    text and NULL come back as the same Python values; the order is the query's."""
    names = conn.execute(f"SELECT * FROM ({sql}) LIMIT 0", params).description
    columns = ", ".join(f"c{i}" for i in range(len(names)))
    query = f"WITH q({columns}) AS ({sql}) SELECT json_group_array(json_array({columns})) FROM q"
    (packed,) = conn.execute(query, params).fetchone()
    import json  # lazily: not needed before the first paint

    return [tuple(row) for row in json.loads(packed)]


def count(source: Store, period: Period, *conditions: str) -> int:
    """Episodes in the period (meeting every condition written in tracker/store)."""
    n: int = _rows(source, "COUNT(*)", period, *conditions)[0][0]
    return n


def date_span(source: Store, period: Period) -> tuple[str | None, str | None]:
    """Local dates of the first and last episode in the period."""
    first, last = _rows(source, f"MIN({LOCAL_DATE_SQL}), MAX({LOCAL_DATE_SQL})", period)[0]
    return first, last


def first_last(source: Store, period: Period) -> tuple[str | None, str | None]:
    """Local dates of the earliest and latest instants, found on the index, not by a scan."""
    first = _rows(source, LOCAL_DATE_SQL, period, tail=" ORDER BY start_utc LIMIT 1")
    last = _rows(source, LOCAL_DATE_SQL, period, tail=" ORDER BY start_utc DESC LIMIT 1")
    return (first[0][0] if first else None), (last[0][0] if last else None)


def bucket_bands(source: Store, period: Period, granularity: str) -> list[Row]:
    """(first local date of the bucket, band index, count) per day, week or month."""
    select = f"{BUCKET_SQL[granularity]} AS bucket, {BAND_SQL} AS band, COUNT(*)"
    return _rows(source, select, period, tail=" GROUP BY bucket, band")


def hour_weekday(source: Store, period: Period) -> list[Row]:
    """(local hour, weekday Monday=0, count)."""
    select = f"{HOUR_SQL} AS hour, {WEEKDAY_SQL} AS weekday, COUNT(*)"
    return _rows(source, select, period, tail=" GROUP BY hour, weekday")


def onset(source: Store, period: Period) -> list[Row]:
    """(activity, night 0/1, footwear, footwear_tight, hydration, count)."""
    select = f"activity, {NIGHT_SQL} AS night, footwear, footwear_tight, hydration, COUNT(*)"
    tail = " GROUP BY activity, night, footwear, footwear_tight, hydration"
    return _rows(source, select, period, tail=tail)


def site_side(source: Store, period: Period) -> list[Row]:
    """(';'-joined sites, side, count)."""
    return _rows(source, "site, side, COUNT(*)", period, tail=" GROUP BY site, side")


def _duration_bin_sql(uppers: Sequence[int | None]) -> str:
    whens = " ".join(
        f"WHEN duration_s < {int(upper)} THEN {i}"
        for i, upper in enumerate(uppers)
        if upper is not None
    )
    return f"CASE {whens} ELSE {len(uppers) - 1} END"


def month_severity_bin(
    source: Store, period: Period, duration_uppers: Sequence[int | None]
) -> list[Row]:
    """('YYYY-MM', severity, duration bin, count); bins by upper bounds (exclusive, seconds)."""
    select = (
        f"{MONTH_SQL} AS month, severity, {_duration_bin_sql(duration_uppers)} AS bin, COUNT(*)"
    )
    return _rows(source, select, period, tail=" GROUP BY month, severity, bin")


def month_duration(source: Store, period: Period) -> list[Row]:
    """('YYYY-MM', duration_s, count)."""
    select = f"{MONTH_SQL} AS month, duration_s, COUNT(*)"
    return _rows(source, select, period, tail=" GROUP BY month, duration_s")


def relief_effect(source: Store, period: Period) -> list[Row]:
    """(';'-joined relief methods, effect, count) of the episodes that tried any."""
    select = "relief, relief_effect, COUNT(*)"
    return _rows(source, select, period, "relief != ''", tail=" GROUP BY relief, relief_effect")


# ----------------------------------------------------------------- the check-in calendar
def day_counts(source: Store, period: Period) -> list[Row]:
    """(local date, count) of the period's episodes: the calendar's shading."""
    select = f"{LOCAL_DATE_SQL} AS day, COUNT(*)"
    return _rows(source, select, period, tail=" GROUP BY day")


def diary_first_day(source: Store) -> str | None:
    """The local date of the diary's earliest episode (whatever the period): two look-ups on
    the start index (the first instant, then its row)."""
    row = (
        connection(source)
        .execute(
            f"SELECT {LOCAL_DATE_SQL} FROM episode "
            "WHERE start_utc = (SELECT MIN(start_utc) FROM episode) LIMIT 1"
        )
        .fetchone()
    )
    return None if row is None else str(row[0])


def checkin_day_texts(source: Store, first: str, last: str) -> list[str]:
    """The days ('YYYY-MM-DD', in order) from ``first`` to ``last`` with a check-in, read on
    the table's key and handed over packed (ten years are 3,650 rows)."""
    sql = "SELECT day FROM checkin WHERE day >= ? AND day <= ? ORDER BY day"
    return [row[0] for row in packed_rows(connection(source), sql, (first, last))]


def first_checkin_day(source: Store) -> str | None:
    """The earliest day with a check-in, on the table's key."""
    row = connection(source).execute("SELECT MIN(day) FROM checkin").fetchone()
    return None if row is None else row[0]
