"""Counts behind the Patterns page and the doctor summary, computed by SQL over a date range.

Every number is a ``GROUP BY`` in SQLite: with 100,000 episodes, loading them all as Python
objects would cost seconds, while the grouped rows are a few hundred at most.

Time rules (see ENGINEERING.md): ``started_at`` is the local wall clock with its offset, so
``substr(started_at, 1, 10)`` is the local date and ``substr(started_at, 12, 2)`` the local hour
at which the cramp began, whatever the offset was that day (daylight saving or travel). A period
is a pair of local calendar dates, both inclusive.

"Night" means a local start time from 22:00 to 05:59 (hours 22, 23 and 0-5), whatever the person
was doing. Being in bed is counted separately (activity ``in_bed``), so a finding can say "7 of
9 started at night, 6 of them in bed" without mixing the two ideas.

"Not recorded" (a NULL column, or an empty site list) is missing, never a category: the
per-field dicts hold recorded values only, so any share taken from them is a share of the
episodes where that field was recorded, and ``PatternData.not_recorded`` says how many were
left out. Severity bands get a fourth, "not rated", slot so episode counts stay whole.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from tracker.diary import vocab
from tracker.diary.episode import OPTIONAL_FIELDS

NIGHT_HOURS = frozenset((22, 23, 0, 1, 2, 3, 4, 5))
BANDS = ("mild", "moderate", "severe")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Upper bounds (exclusive) in seconds and labels of the duration histogram.
DURATION_BINS = (
    (30, "under 30 s"),
    (60, "30-59 s"),
    (120, "1-2 min"),
    (300, "2-5 min"),
    (600, "5-10 min"),
    (None, "10 min or more"),
)
EFFECTS = ("yes", "partly", "no", "unknown")
DAILY_MAX_DAYS = 62  # up to two months: a bar per day
WEEKLY_MAX_DAYS = 731  # up to two years: per week; longer: per month

# Offsets in the world run from UTC-12 to UTC+14: the instants of a local date lie within
# [midnight UTC - 14 h, next midnight UTC + 12 h). Used to narrow the range on the index.
_EARLIEST_OFFSET_S = 14 * 3600
_LATEST_OFFSET_S = 12 * 3600

NOT_RATED = 3  # index of the "severity not recorded" slot after the three BANDS
_BAND_SQL = (
    "CASE WHEN severity IS NULL THEN 3 WHEN severity <= 3 THEN 0 WHEN severity <= 6 THEN 1 "
    "ELSE 2 END"
)
_NIGHT_SQL = (
    "(CAST(substr(started_at, 12, 2) AS INTEGER) >= 22 OR "
    "CAST(substr(started_at, 12, 2) AS INTEGER) < 6)"
)


@dataclass(frozen=True)
class Period:
    """Local calendar dates, both inclusive; ``None`` leaves that end open."""

    first: date | None = None
    last: date | None = None

    @classmethod
    def last_days(cls, days: int, today: date) -> Period:
        return cls(today - timedelta(days=days - 1), today)

    @property
    def days(self) -> int | None:
        if self.first is None or self.last is None:
            return None
        return (self.last - self.first).days + 1

    def before(self) -> Period:
        """The period of the same length that ends the day before this one starts."""
        days = self.days
        if days is None:
            raise ValueError("an open period has no period before it")
        return Period(self.first - timedelta(days=days), self.first - timedelta(days=1))

    def describe(self) -> str:
        if self.first is None and self.last is None:
            return "all dates"
        first = self.first.isoformat() if self.first else "the start"
        last = self.last.isoformat() if self.last else "today"
        return f"{first} to {last}"


@dataclass
class OverTime:
    granularity: str  # "day", "week" (starting Monday) or "month"
    # (first local date of bucket, mild, moderate, severe, severity not rated)
    buckets: list[tuple[str, int, int, int, int]]


@dataclass
class MonthlyMedian:
    month: str  # "YYYY-MM"
    count: int
    median_duration_s: float
    median_severity: float  # of the rated episodes only; NaN when none was rated
    not_rated: int = 0


@dataclass(frozen=True)
class Trend:
    """Episodes in the last ``days`` of a period and in the same number of days before."""

    days: int
    recent: Period
    earlier: Period
    recent_count: int
    earlier_count: int


def trend_window(period: Period) -> int:
    """30 days for ranges up to four months, else 90: long enough to hold a few cramps."""
    return 30 if period.days is not None and period.days <= 120 else 90


def trend(conn: sqlite3.Connection, period: Period, today: date) -> Trend:
    """Counts for "more or fewer lately?": the window ending on the period's last day."""
    days = trend_window(period)
    recent = Period.last_days(days, period.last or today)
    earlier = recent.before()
    return Trend(days, recent, earlier, count(conn, recent), count(conn, earlier))


@dataclass
class PatternData:
    """Everything the Patterns charts and findings need for one period."""

    period: Period
    total: int = 0
    first_date: str | None = None  # local date of the earliest episode in the period
    last_date: str | None = None
    over_time: OverTime = field(default_factory=lambda: OverTime("day", []))
    hours: list[int] = field(default_factory=lambda: [0] * 24)
    weekday_hour: list[list[int]] = field(default_factory=lambda: [[0] * 24 for _ in range(7)])
    night: int = 0  # started 22:00-05:59
    night_in_bed: int = 0
    # Recorded values only; how many left each field out is in ``not_recorded``.
    activity: dict[str, int] = field(default_factory=dict)
    footwear: dict[str, tuple[int, int]] = field(default_factory=dict)  # code -> (fit, tight)
    hydration: dict[str, int] = field(default_factory=dict)
    sides: dict[str, int] = field(default_factory=dict)
    # site -> side -> count; the side key is None where the side was not recorded
    sites: dict[str, dict[str | None, int]] = field(default_factory=dict)
    toes: dict[str | None, int] = field(default_factory=dict)  # episodes touching any toe, by side
    severity: list[int] = field(default_factory=lambda: [0] * 11)  # rated episodes only
    # field name (OPTIONAL_FIELDS) -> episodes that left it out
    not_recorded: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OPTIONAL_FIELDS, 0))
    footwear_tight_only: int = 0  # shoe type not recorded, but "tight or ill-fitting" ticked
    night_activity_not_recorded: int = 0  # night cramps with no activity recorded
    durations: list[int] = field(default_factory=lambda: [0] * len(DURATION_BINS))
    monthly: list[MonthlyMedian] = field(default_factory=list)
    relief: dict[str, dict[str, int]] = field(default_factory=dict)  # method -> effect -> count
    trend: Trend | None = None

    def recorded(self, name: str) -> int:
        """Episodes where this field was recorded: the denominator of any share of it."""
        return self.total - self.not_recorded.get(name, 0)

    @property
    def tight(self) -> int:
        """Episodes marked tight or ill-fitting, whether or not the shoe type was recorded."""
        return sum(t for _, t in self.footwear.values()) + self.footwear_tight_only

    @property
    def tight_recorded(self) -> int:
        """Episodes that say anything about fit: a shoe type recorded, or "tight" ticked.

        With no shoe type and no tick the person said nothing about their shoes, so an unticked
        box there is not evidence of a good fit and stays out of the "tight" share.
        """
        return self.recorded("footwear") + self.footwear_tight_only

    def relief_tries(self, method: str) -> int:
        return sum(self.relief.get(method, {}).values())


def _utc_midnight(day: date) -> int:
    return int(datetime.combine(day, time(), UTC).timestamp())


def _where(period: Period, *extra: str) -> tuple[str, list]:
    """SQL condition for a period: the index narrows, the local date decides."""
    clauses, params = list(extra), []
    if period.first is not None:
        clauses.append("start_utc >= ? AND substr(started_at, 1, 10) >= ?")
        params += [_utc_midnight(period.first) - _EARLIEST_OFFSET_S, period.first.isoformat()]
    if period.last is not None:
        next_day = period.last + timedelta(days=1)
        clauses.append("start_utc < ? AND substr(started_at, 1, 10) <= ?")
        params += [_utc_midnight(next_day) + _LATEST_OFFSET_S, period.last.isoformat()]
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def count(conn: sqlite3.Connection, period: Period) -> int:
    where, params = _where(period)
    return conn.execute(f"SELECT COUNT(*) FROM episode{where}", params).fetchone()[0]


def date_span(conn: sqlite3.Connection, period: Period) -> tuple[str | None, str | None]:
    """Local dates of the first and last episode in the period."""
    where, params = _where(period)
    row = conn.execute(
        f"SELECT MIN(substr(started_at, 1, 10)), MAX(substr(started_at, 1, 10)) "
        f"FROM episode{where}",
        params,
    ).fetchone()
    return row[0], row[1]


def granularity_for(days: int) -> str:
    if days <= DAILY_MAX_DAYS:
        return "day"
    if days <= WEEKLY_MAX_DAYS:
        return "week"
    return "month"


_BUCKET_SQL = {
    "day": "substr(started_at, 1, 10)",
    # SQLite's 'weekday 0' moves forward to Sunday (or stays); six days back is that Monday.
    "week": "date(substr(started_at, 1, 10), 'weekday 0', '-6 days')",
    "month": "substr(started_at, 1, 7) || '-01'",
}


def _bucket_starts(first: date, last: date, granularity: str) -> list[date]:
    """Every bucket from first to last, so that empty days/weeks/months show as zero."""
    if granularity == "day":
        start, step = first, None
    elif granularity == "week":
        start, step = first - timedelta(days=first.weekday()), None
    else:
        start, step = first.replace(day=1), "month"
    out = []
    current = start
    while current <= last:
        out.append(current)
        if step == "month":
            year, month = divmod(current.month, 12)
            current = date(current.year + year, month + 1, 1)
        else:
            current += timedelta(days=1 if granularity == "day" else 7)
    return out


def over_time(
    conn: sqlite3.Connection,
    period: Period,
    granularity: str | None = None,
    span: tuple[str | None, str | None] | None = None,
) -> OverTime:
    """Episodes per day, week or month, by severity band, with empty buckets filled in."""
    first_s, last_s = span if span is not None else date_span(conn, period)
    first = period.first or (date.fromisoformat(first_s) if first_s else None)
    last = period.last or (date.fromisoformat(last_s) if last_s else None)
    if first is None or last is None:
        return OverTime(granularity or "day", [])
    granularity = granularity or granularity_for((last - first).days + 1)
    where, params = _where(period)
    rows = conn.execute(
        f"SELECT {_BUCKET_SQL[granularity]} AS bucket, {_BAND_SQL} AS band, COUNT(*) "
        f"FROM episode{where} GROUP BY bucket, band",
        params,
    ).fetchall()
    counts: dict[str, list[int]] = {}
    for bucket, band, n in rows:
        counts.setdefault(bucket, [0, 0, 0, 0])[band] += n
    return _fill_buckets(counts, first, last, granularity)


def _fill_buckets(counts: dict[str, list[int]], first: date, last: date, granularity: str):
    """Every bucket from first to last in order, zero where nothing happened.

    Buckets the query found outside [first, last] (an instant's local date can fall outside
    the index-found span when the offset changed) are kept, never dropped.
    """
    keys = {start.isoformat() for start in _bucket_starts(first, last, granularity)}
    keys.update(counts)
    buckets = [(key, *counts.get(key, (0, 0, 0, 0))) for key in sorted(keys)]
    return OverTime(granularity, buckets)


def _weighted_median(pairs: list[tuple[float, int]]) -> float:
    """Median of values given as (value, how many); the mean of the two middle ones if even."""
    pairs = sorted(pairs)
    total = sum(n for _, n in pairs)
    if total == 0:
        return float("nan")
    lower_rank, upper_rank = (total + 1) // 2, total // 2 + 1  # 1-based ranks of middle values
    seen, lower = 0, None
    for value, n in pairs:
        seen += n
        if lower is None and seen >= lower_rank:
            lower = value
        if seen >= upper_rank:
            return (lower + value) / 2
    return float(lower)


def _split(text: str | None) -> list[str]:
    return [c for c in (text or "").split(";") if c]


def _duration_bin_sql() -> str:
    whens = " ".join(
        f"WHEN duration_s < {upper} THEN {i}"
        for i, (upper, _) in enumerate(DURATION_BINS)
        if upper is not None
    )
    return f"CASE {whens} ELSE {len(DURATION_BINS) - 1} END"


# Monday = 0. For the usual 'YYYY-MM-DDTHH:MM:SS+HH:MM' text, the local day number comes from
# start_utc plus the written offset (cheap integer arithmetic; 1970-01-01 was a Thursday, and
# 28,000 days, a whole number of weeks, keep the dividend positive back to 1893). Any other
# shape falls back to SQLite's date functions.
_WEEKDAY_SQL = (
    "CASE WHEN length(started_at) = 25 THEN "
    "((start_utc + (CASE substr(started_at, 20, 1) WHEN '-' THEN -1 ELSE 1 END) * "
    "(CAST(substr(started_at, 21, 2) AS INTEGER) * 3600 + "
    "CAST(substr(started_at, 24, 2) AS INTEGER) * 60) + 2419200000) / 86400 + 3) % 7 "
    "ELSE (CAST(strftime('%w', substr(started_at, 1, 10)) AS INTEGER) + 6) % 7 END"
)
_HOUR_SQL = "CAST(substr(started_at, 12, 2) AS INTEGER)"


def _first_last(conn: sqlite3.Connection, period: Period) -> tuple[str | None, str | None]:
    """Local dates of the earliest and latest instants, found on the index, not by a scan."""
    where, params = _where(period)
    first = conn.execute(
        f"SELECT substr(started_at, 1, 10) FROM episode{where} ORDER BY start_utc LIMIT 1", params
    ).fetchone()
    last = conn.execute(
        f"SELECT substr(started_at, 1, 10) FROM episode{where} ORDER BY start_utc DESC LIMIT 1",
        params,
    ).fetchone()
    return (first[0] if first else None), (last[0] if last else None)


def patterns(
    conn: sqlite3.Connection,
    period: Period,
    granularity: str | None = None,
    today: date | None = None,
) -> PatternData:
    """All aggregates for one period, in a handful of grouped queries.

    Each GROUP BY costs a sort of the rows in the period, so dimensions that are read together
    share one query (hour with weekday and band; activity with footwear and hydration).
    """
    where, params = _where(period)
    data = PatternData(period)

    for hour, weekday, n in conn.execute(
        f"SELECT {_HOUR_SQL} AS hour, {_WEEKDAY_SQL} AS weekday, COUNT(*) "
        f"FROM episode{where} GROUP BY hour, weekday",
        params,
    ):
        data.hours[hour] += n
        data.weekday_hour[weekday][hour] += n
        data.total += n
    data.night = sum(data.hours[h] for h in NIGHT_HOURS)
    data.trend = trend(conn, period, today or date.today())
    if data.total == 0:
        data.over_time = OverTime(granularity or "day", [])
        _fill_vocab_zeros(data)
        return data

    data.first_date, data.last_date = _first_last(conn, period)
    first = period.first or date.fromisoformat(data.first_date)
    last = period.last or date.fromisoformat(data.last_date)
    granularity = granularity or granularity_for((last - first).days + 1)
    missing = data.not_recorded

    for activity, night, footwear, tight, hydration, n in conn.execute(
        f"SELECT activity, {_NIGHT_SQL} AS night, footwear, footwear_tight, hydration, COUNT(*) "
        f"FROM episode{where} GROUP BY activity, night, footwear, footwear_tight, hydration",
        params,
    ):
        # GROUP BY puts every NULL in one group whose key is None: "not recorded".
        if activity is None:
            missing["activity"] += n
            data.night_activity_not_recorded += n if night else 0
        else:
            data.activity[activity] = data.activity.get(activity, 0) + n
            if night and activity == "in_bed":
                data.night_in_bed += n
        if footwear is None:
            missing["footwear"] += n
            data.footwear_tight_only += n if tight else 0
        else:
            fit, tight_n = data.footwear.get(footwear, (0, 0))
            data.footwear[footwear] = (fit, tight_n + n) if tight else (fit + n, tight_n)
        if hydration is None:
            missing["hydration"] += n
        else:
            data.hydration[hydration] = data.hydration.get(hydration, 0) + n

    for site, side, n in conn.execute(
        f"SELECT site, side, COUNT(*) FROM episode{where} GROUP BY site, side", params
    ):
        if side is None:
            missing["side"] += n
        else:
            data.sides[side] = data.sides.get(side, 0) + n
        codes = _split(site)  # '' (or NULL) splits to no codes: site not recorded
        if not codes:
            missing["site"] += n
        for code in codes:
            per_side = data.sites.setdefault(code, {})
            per_side[side] = per_side.get(side, 0) + n
        if any(code in vocab.TOE_SITES or code == "toes" for code in codes):
            data.toes[side] = data.toes.get(side, 0) + n

    monthly_severity: dict[str, list] = {}
    monthly_count: dict[str, int] = {}
    monthly_not_rated: dict[str, int] = {}
    month_bands: dict[str, list[int]] = {}
    for month, severity, duration_bin, n in conn.execute(
        f"SELECT substr(started_at, 1, 7) AS month, severity, {_duration_bin_sql()} AS bin, "
        f"COUNT(*) FROM episode{where} GROUP BY month, severity, bin",
        params,
    ):
        data.durations[duration_bin] += n
        monthly_count[month] = monthly_count.get(month, 0) + n
        bands = month_bands.setdefault(month + "-01", [0, 0, 0, 0])
        if severity is None:
            missing["severity"] += n
            monthly_not_rated[month] = monthly_not_rated.get(month, 0) + n
            bands[NOT_RATED] += n
            continue
        data.severity[max(0, min(10, severity))] += n
        monthly_severity.setdefault(month, []).append((severity, n))
        bands[BANDS.index(vocab.severity_band(severity))] += n

    monthly_duration: dict[str, list] = {}
    for month, duration, n in conn.execute(
        f"SELECT substr(started_at, 1, 7) AS month, duration_s, COUNT(*) FROM episode{where} "
        "GROUP BY month, duration_s",
        params,
    ):
        monthly_duration.setdefault(month, []).append((duration, n))
    data.monthly = [
        MonthlyMedian(
            month,
            count_in_month,
            _weighted_median(monthly_duration.get(month, [])),
            _weighted_median(monthly_severity.get(month, [])),  # NaN when none was rated
            monthly_not_rated.get(month, 0),
        )
        for month, count_in_month in sorted(monthly_count.items())
    ]

    if granularity == "month":
        data.over_time = _fill_buckets(month_bands, first, last, "month")
    else:
        data.over_time = over_time(conn, period, granularity, (data.first_date, data.last_date))

    relief_where, relief_params = _where(period, "relief != ''")
    for relief, effect, n in conn.execute(
        f"SELECT relief, relief_effect, COUNT(*) FROM episode{relief_where} "
        "GROUP BY relief, relief_effect",
        relief_params,
    ):
        for method in _split(relief):
            per_effect = data.relief.setdefault(method, dict.fromkeys(EFFECTS, 0))
            per_effect[effect if effect in EFFECTS else "unknown"] += n

    _fill_vocab_zeros(data)
    return data


def _fill_vocab_zeros(data: PatternData) -> None:
    """Known categories with no episodes appear as zero, in vocabulary order, unknown last."""

    def ordered(counts: dict, codes, zero):
        out = {code: counts.get(code, zero) for code in codes}
        out.update({k: v for k, v in counts.items() if k not in out})
        return out

    data.activity = ordered(data.activity, vocab.ACTIVITIES, 0)
    data.footwear = ordered(data.footwear, vocab.FOOTWEAR, (0, 0))
    data.hydration = ordered(data.hydration, vocab.HYDRATION, 0)
    data.sides = ordered(data.sides, vocab.SIDES, 0)
