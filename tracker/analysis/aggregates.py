"""Counts behind the Patterns page and the doctor summary, folded from grouped SQL rows.

Every number is a ``GROUP BY`` in SQLite (tracker.store.pattern_queries): with 100,000
episodes, loading them all as Python objects would cost seconds, while the grouped rows are a
few hundred at most. This module folds those rows into PatternData.

Time rules (see ENGINEERING.md): ``started_at`` is the local wall clock with its offset, so
``substr(started_at, 1, 10)`` is the local date and ``substr(started_at, 12, 2)`` the local hour
at which the cramp began, whatever the offset was that day (daylight saving or travel). A period
is a pair of local calendar dates, both inclusive.

"Night" means a local start time from 22:00 to 05:59 (tracker.diary.vocab.NIGHT_HOURS), whatever
the person was doing. Being in bed is counted separately (activity ``in_bed``), so a finding can
say "7 of 9 started at night, 6 of them in bed" without mixing the two ideas.

"Not recorded" (a NULL column, or an empty site list) is missing, never a category: the
per-field dicts hold recorded values only, so any share taken from them is a share of the
episodes where that field was recorded, and ``PatternData.not_recorded`` says how many were
left out. Severity bands get a fourth, "not rated", slot so episode counts stay whole.
"""

from __future__ import annotations

import copy
import dataclasses
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple, TypeVar

from tracker.diary import vocab
from tracker.diary.episode import OPTIONAL_FIELDS
from tracker.diary.periods import Period
from tracker.store import Store
from tracker.store import pattern_queries as queries
from tracker.store.pattern_queries import EpisodeFacts, Row

NIGHT_HOURS = vocab.NIGHT_HOURS
V = TypeVar("V")
BANDS = tuple(vocab.SEVERITY_BANDS)  # ("mild", "moderate", "severe")
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

NOT_RATED = queries.NOT_RATED  # index of the "severity not recorded" slot after the BANDS

__all__ = ["Period"]  # re-exported: the one Period type lives in tracker.diary.periods


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


def trend(source: Store, period: Period, today: date) -> Trend:
    """Counts for "more or fewer lately?": the window ending on the period's last day."""
    days = trend_window(period)
    recent = Period.last_days(days, period.last or today)
    earlier = recent.before()
    return Trend(days, recent, earlier, count(source, recent), count(source, earlier))


@dataclass(frozen=True)
class MonthTally:
    """One month's values the medians are taken from: (value, how many) of the rated
    severities and of the durations. Never changed: a change makes a new tally."""

    count: int = 0
    not_rated: int = 0
    severities: tuple[tuple[float, int], ...] = ()
    durations: tuple[tuple[float, int], ...] = ()

    def changed(self, sign: int, severity: int | None, duration_s: int) -> MonthTally:
        """This tally with one episode added (``sign`` 1) or taken out (-1)."""
        severities = self.severities
        if severity is not None:
            severities = _bump(severities, severity, sign)
        return MonthTally(
            self.count + sign,
            self.not_rated + (sign if severity is None else 0),
            severities,
            _bump(self.durations, duration_s, sign),
        )


def _merged(pairs: Iterable[tuple[float, int]]) -> tuple[tuple[float, int], ...]:
    """(value, how many) with each value once (the rows come per severity and duration bin)."""
    counts: dict[float, int] = {}
    for value, n in pairs:
        counts[value] = counts.get(value, 0) + n
    return tuple(counts.items())


def _bump(
    pairs: tuple[tuple[float, int], ...], value: float, sign: int
) -> tuple[tuple[float, int], ...]:
    counts = dict(pairs)
    counts[value] = counts.get(value, 0) + sign
    return tuple((v, n) for v, n in counts.items() if n)


class MonthTallies(dict[str, MonthTally]):
    """'YYYY-MM' -> its MonthTally. Copied shallowly (the tallies are immutable), so updating
    a period by one episode copies a reference per month, not every month's values."""

    def __deepcopy__(self, memo: dict[int, object]) -> MonthTallies:
        return MonthTallies(self)


class DayCounts(dict[str, int]):
    """Local date 'YYYY-MM-DD' -> episodes that started on it (days with none left out).
    Copied shallowly (the values are numbers), as MonthTallies."""

    def __deepcopy__(self, memo: dict[int, object]) -> DayCounts:
        return DayCounts(self)

    def __repr__(self) -> str:  # by day, whatever order the days were counted in
        return f"DayCounts({dict(sorted(self.items()))!r})"


class MedicineMark(NamedTuple):
    """A medicine's start and stop as the over-time chart marks them (ISO dates)."""

    name: str
    kind: str
    started_on: str
    stopped_on: str | None


@dataclass(frozen=True)
class CheckinMarks:
    """The check-ins and medicines a period's charts show. Not episodes: ``apply_changes``
    leaves them as they are, and a check-in or medicine write (``Store.checkin_revision``)
    reads them again for every kept range (``with_checkins``). Never changed, so shared."""

    days: tuple[str, ...] = ()  # in order: the days of the calendar's span with a check-in
    first_day: str | None = None  # the diary's earliest check-in, whatever the period
    medicines: tuple[MedicineMark, ...] = ()  # the whole list, by start date

    def __deepcopy__(self, memo: dict[int, object]) -> CheckinMarks:
        return self


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
    # The check-in calendar: cramps per local day of the period, the diary's first episode
    # (days before the diary began are blank), the calendar's last day (the period's, or the
    # day it was aggregated for an open period) and the check-ins and medicines.
    day_counts: DayCounts = field(default_factory=DayCounts)
    diary_first_day: str | None = None
    through: str | None = None
    checkins: CheckinMarks = field(default_factory=CheckinMarks)
    # What ``monthly`` is computed from, so that apply_changes updates a month's medians
    # without reading it again (None: read it again). Not part of what the data shows.
    month_tallies: MonthTallies | None = field(default=None, repr=False, compare=False)

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


def count(source: Store, period: Period) -> int:
    """Episodes in the period (``source``: the Store)."""
    return queries.count(source, period)


def date_span(source: Store, period: Period) -> tuple[str | None, str | None]:
    """Local dates of the first and last episode in the period."""
    return queries.date_span(source, period)


def granularity_for(days: int) -> str:
    if days <= DAILY_MAX_DAYS:
        return "day"
    if days <= WEEKLY_MAX_DAYS:
        return "week"
    return "month"


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
    source: Store,
    period: Period,
    granularity: str | None = None,
    span: tuple[str | None, str | None] | None = None,
) -> OverTime:
    """Episodes per day, week or month, by severity band, with empty buckets filled in."""
    first_s, last_s = span if span is not None else date_span(source, period)
    first = period.first or (date.fromisoformat(first_s) if first_s else None)
    last = period.last or (date.fromisoformat(last_s) if last_s else None)
    if first is None or last is None:
        return OverTime(granularity or "day", [])
    granularity = granularity or granularity_for((last - first).days + 1)
    counts: dict[str, list[int]] = {}
    for bucket, band, n in queries.bucket_bands(source, period, granularity):
        counts.setdefault(bucket, [0, 0, 0, 0])[band] += n
    return _fill_buckets(counts, first, last, granularity)


def _fill_buckets(
    counts: dict[str, list[int]], first: date, last: date, granularity: str
) -> OverTime:
    """Every bucket from first to last in order, zero where nothing happened.

    Buckets the query found outside [first, last] (an instant's local date can fall outside
    the index-found span when the offset changed) are kept, never dropped.
    """
    keys = {start.isoformat() for start in _bucket_starts(first, last, granularity)}
    keys.update(counts)
    buckets = []
    for key in sorted(keys):
        mild, moderate, severe, not_rated = counts.get(key, (0, 0, 0, 0))
        buckets.append((key, mild, moderate, severe, not_rated))
    return OverTime(granularity, buckets)


def _weighted_median(pairs: Iterable[tuple[float, int]]) -> float:
    """Median of values given as (value, how many); the mean of the two middle ones if even."""
    ordered = sorted(pairs)
    total = sum(n for _, n in ordered)
    lower_rank, upper_rank = (total + 1) // 2, total // 2 + 1  # 1-based ranks of middle values
    seen, lower = 0, None
    for value, n in ordered:
        seen += n
        if lower is None and seen >= lower_rank:
            lower = value
        if lower is not None and seen >= upper_rank:
            return (lower + value) / 2
    return float("nan")  # no values


def _split(text: str | None) -> list[str]:
    return list(vocab.split_multi(text))


@dataclass
class _Folding:
    """PatternData being filled, with the per-month counts the medians are taken from."""

    data: PatternData
    month_count: dict[str, int] = field(default_factory=dict)
    month_not_rated: dict[str, int] = field(default_factory=dict)
    month_severity: dict[str, list[tuple[float, int]]] = field(default_factory=dict)
    month_duration: dict[str, list[tuple[float, int]]] = field(default_factory=dict)
    month_bands: dict[str, list[int]] = field(default_factory=dict)  # "YYYY-MM-01" -> bands


def _fold_hours(data: PatternData, rows: Iterable[Row]) -> None:
    for hour, weekday, n in rows:
        data.hours[hour] += n
        data.weekday_hour[weekday][hour] += n
        data.total += n
    data.night = sum(data.hours[h] for h in NIGHT_HOURS)


def _fold_onset(f: _Folding, rows: Iterable[Row]) -> None:
    data, missing = f.data, f.data.not_recorded
    for activity, night, footwear, tight, hydration, n in rows:
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


def _fold_sites(f: _Folding, rows: Iterable[Row]) -> None:
    data, missing = f.data, f.data.not_recorded
    for site, side, n in rows:
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


def _fold_severity(f: _Folding, rows: Iterable[Row]) -> None:
    data = f.data
    for month, severity, duration_bin, n in rows:
        data.durations[duration_bin] += n
        f.month_count[month] = f.month_count.get(month, 0) + n
        bands = f.month_bands.setdefault(month + "-01", [0] * (NOT_RATED + 1))
        if severity is None:
            data.not_recorded["severity"] += n
            f.month_not_rated[month] = f.month_not_rated.get(month, 0) + n
            bands[NOT_RATED] += n
            continue
        data.severity[max(0, min(10, severity))] += n
        f.month_severity.setdefault(month, []).append((severity, n))
        bands[BANDS.index(vocab.severity_band(severity))] += n


def _fold_durations(f: _Folding, rows: Iterable[Row]) -> None:
    for month, duration, n in rows:
        f.month_duration.setdefault(month, []).append((duration, n))


def _fold_relief(f: _Folding, rows: Iterable[Row]) -> None:
    for relief, effect, n in rows:
        for method in _split(relief):
            per_effect = f.data.relief.setdefault(method, dict.fromkeys(EFFECTS, 0))
            per_effect[effect if effect in EFFECTS else "unknown"] += n


def _severity_bins(source: Store, period: Period) -> list[Row]:
    return queries.month_severity_bin(source, period, [upper for upper, _ in DURATION_BINS])


_Query = Callable[[Store, Period], list[Row]]
_Fold = Callable[[_Folding, list[Row]], None]

# Each grouped query and how its rows fold into PatternData. Each GROUP BY costs a sort of the
# rows in the period, so dimensions read together share one query (hour with weekday; activity
# with footwear and hydration; month with severity and duration bin).
_STEPS: tuple[tuple[_Query, _Fold], ...] = (
    (queries.onset, _fold_onset),
    (queries.site_side, _fold_sites),
    (_severity_bins, _fold_severity),
    (queries.month_duration, _fold_durations),
    (queries.relief_effect, _fold_relief),
)


def patterns(
    source: Store,
    period: Period,
    granularity: str | None = None,
    today: date | None = None,
) -> PatternData:
    """All aggregates for one period (``source``: the Store), in a handful of grouped queries."""
    data = PatternData(period)
    today = today or date.today()
    _fold_hours(data, queries.hour_weekday(source, period))
    data.trend = trend(source, period, today)
    data.through = (period.last or today).isoformat()
    data.diary_first_day = queries.diary_first_day(source)
    data.checkins = checkin_marks(source, period, data.through)
    if data.total == 0:
        data.over_time = OverTime(granularity or "day", [])
        _fill_vocab_zeros(data)
        return data

    data.first_date, data.last_date = queries.first_last(source, period)
    first = period.first or date.fromisoformat(data.first_date or "")
    last = period.last or date.fromisoformat(data.last_date or "")
    granularity = granularity or granularity_for((last - first).days + 1)
    folding = _Folding(data)
    for query, fold in _STEPS:
        fold(folding, query(source, period))
    data.monthly = _monthly_medians(folding)
    data.month_tallies = MonthTallies(
        (
            month,
            MonthTally(
                n,
                folding.month_not_rated.get(month, 0),
                _merged(folding.month_severity.get(month, ())),
                _merged(folding.month_duration.get(month, ())),
            ),
        )
        for month, n in folding.month_count.items()
    )
    if granularity == "month":
        data.over_time = _fill_buckets(folding.month_bands, first, last, "month")
    else:
        data.over_time = over_time(source, period, granularity, (data.first_date, data.last_date))
    if data.over_time.granularity == "day":  # the bars are the days: no query needed
        data.day_counts = DayCounts(
            (b[0], sum(b[1:])) for b in data.over_time.buckets if any(b[1:])
        )
    else:
        data.day_counts = DayCounts(queries.day_counts(source, period))
    _fill_vocab_zeros(data)
    return data


def calendar_first(data: PatternData) -> str | None:
    """The calendar's first day: the period's, or the day the diary began (its first episode
    or check-in) if later; None for an empty diary."""
    began = min(
        (d for d in (data.diary_first_day, data.checkins.first_day) if d is not None),
        default=None,
    )
    if data.period.first is None:
        return began
    first = data.period.first.isoformat()
    return first if began is None else max(first, began)


def checkin_marks(source: Store, period: Period, through: str) -> CheckinMarks:
    """The check-ins of the period up to ``through`` and the whole medicine list."""
    first = period.first.isoformat() if period.first is not None else "0001-01-01"
    days = tuple(queries.checkin_day_texts(source, first, through))
    return CheckinMarks(days, queries.first_checkin_day(source), _medicine_marks(source))


def _medicine_marks(source: Store) -> tuple[MedicineMark, ...]:
    return tuple(
        MedicineMark(
            m.name,
            m.kind,
            m.started_on.isoformat(),
            None if m.stopped_on is None else m.stopped_on.isoformat(),
        )
        for m in source.medicines()
    )


def with_checkins(source: Store, kept: Sequence[PatternData]) -> list[PatternData]:
    """Each of ``kept`` with its check-ins and medicines read again (after a check-in or
    medicine write): every check-in day is read once for all of them, then cut to each span."""
    if not kept:
        return []
    every = queries.checkin_day_texts(source, "0001-01-01", "9999-12-31")
    first_day = every[0] if every else None
    medicines = _medicine_marks(source)
    out = []
    for data in kept:
        low = data.period.first.isoformat() if data.period.first is not None else ""
        high = data.through or "9999-12-31"
        days = tuple(every[bisect_left(every, low) : bisect_right(every, high)])
        marks = CheckinMarks(days, first_day, medicines)
        out.append(data if marks == data.checkins else dataclasses.replace(data, checkins=marks))
    return out


def _monthly_medians(f: _Folding) -> list[MonthlyMedian]:
    return [
        MonthlyMedian(
            month,
            count_in_month,
            _weighted_median(f.month_duration.get(month, [])),
            _weighted_median(f.month_severity.get(month, [])),  # NaN when none was rated
            f.month_not_rated.get(month, 0),
        )
        for month, count_in_month in sorted(f.month_count.items())
    ]


def _fill_vocab_zeros(data: PatternData) -> None:
    """Known categories with no episodes appear as zero, in vocabulary order, unknown last."""

    def ordered(counts: Mapping[str, V], codes: Iterable[str], zero: V) -> dict[str, V]:
        out = {code: counts.get(code, zero) for code in codes}
        out.update({k: counts[k] for k in sorted(counts) if k not in out})
        return out

    data.activity = ordered(data.activity, vocab.ACTIVITIES, 0)
    data.footwear = ordered(data.footwear, vocab.FOOTWEAR, (0, 0))
    data.hydration = ordered(data.hydration, vocab.HYDRATION, 0)
    data.sides = ordered(data.sides, vocab.SIDES, 0)
    # The rest in one fixed order, whatever order the rows (or the changes) came in.
    data.sites = {code: _by_side(data.sites[code]) for code in sorted(data.sites)}
    data.toes = _by_side(data.toes)
    data.relief = {method: data.relief[method] for method in sorted(data.relief)}


def _by_side(counts: dict[str | None, int]) -> dict[str | None, int]:
    """Sides in sorted order, "not recorded" (None) last."""
    return {side: counts[side] for side in sorted(counts, key=lambda s: (s is None, s or ""))}


# ----------------------------------------------------------------- updating by a change
# One episode's change: its facts before (None: added) and after (None: deleted), as
# Store.changes_since gives them.
Change = tuple[EpisodeFacts | None, EpisodeFacts | None]


def contains(period: Period, facts: EpisodeFacts) -> bool:
    """True if the grouped queries count this episode in ``period`` (tracker.store.period_sql:
    the indexed instant narrows, the local date on the episode's own clock decides)."""
    low, high = period.utc_bounds()
    if period.first is not None and (
        facts.start_utc < (low or 0) or facts.local_date < period.first.isoformat()
    ):
        return False
    return period.last is None or (
        facts.start_utc < (high or 0) and facts.local_date <= period.last.isoformat()
    )


def apply_changes(
    source: Store,
    data: PatternData,
    changes: Sequence[Change],
    months: dict[str, list[Row]] | None = None,
) -> PatternData | None:
    """``data`` updated by episode changes, as ``patterns`` would now give it afresh.

    Counts are additive, so each changed episode is taken out of (and put back into) only the
    buckets it belongs to: one episode changes one week's bar, not the whole history. What is
    not additive is read again for just what changed: the first and last dates (two index
    look-ups) and the medians of each month touched (that month's rows, on the indexed
    ``start_utc`` range). Returns ``data`` itself when nothing in it changed, and None when
    only a fresh aggregation will do (the period becomes or was empty, or the chart's
    granularity changes with its span).

    ``months``: one dict shared by the calls for the same changes, so that a month read again
    for one range is not read again for another range that holds all of it.
    """
    period = data.period
    signed: list[tuple[int, EpisodeFacts]] = []
    for before, after in changes:
        signed += [(-1, f) for f in (before,) if f is not None]
        signed += [(1, f) for f in (after,) if f is not None]
    inside = [(sign, f) for sign, f in signed if contains(period, f)]
    trend_changes = _trend_changes(data.trend, signed)
    began = data.diary_first_day
    if any(began is None or f.local_date <= began for _, f in signed):
        began = queries.diary_first_day(source)  # the diary may begin on another day now
    if not inside and trend_changes == (0, 0):
        if began == data.diary_first_day:
            return data
        return dataclasses.replace(data, diary_first_day=began)
    total = data.total + sum(sign for sign, _ in inside)
    if data.total == 0 or total <= 0:
        return None
    out = copy.deepcopy(data)
    out.diary_first_day = began
    if out.trend is not None and trend_changes != (0, 0):
        recent, earlier = trend_changes
        t = out.trend
        out.trend = Trend(
            t.days, t.recent, t.earlier, t.recent_count + recent, t.earlier_count + earlier
        )
    if not inside:
        return out
    out.first_date, out.last_date = queries.first_last(source, period)
    first = period.first or date.fromisoformat(out.first_date or "")
    last = period.last or date.fromisoformat(out.last_date or "")
    granularity = out.over_time.granularity
    if granularity_for((last - first).days + 1) != granularity:
        return None
    counts = {key: list(rest) for key, *rest in out.over_time.buckets if any(rest)}
    for sign, f in inside:
        _add_episode(out, counts, granularity, sign, f)
    out.night = sum(out.hours[h] for h in NIGHT_HOURS)
    out.over_time = _fill_buckets(counts, first, last, granularity)
    if out.month_tallies is None:
        _remonth(source, out, {f.month for _, f in inside}, {} if months is None else months)
    else:
        _retally(out, out.month_tallies, inside)
    _drop_zeros(out)
    _fill_vocab_zeros(out)
    return out


def _trend_changes(t: Trend | None, signed: list[tuple[int, EpisodeFacts]]) -> tuple[int, int]:
    if t is None:
        return 0, 0
    recent = sum(sign for sign, f in signed if contains(t.recent, f))
    earlier = sum(sign for sign, f in signed if contains(t.earlier, f))
    return recent, earlier


def _bucket_key(f: EpisodeFacts, granularity: str) -> str:
    if granularity == "day":
        return f.local_date
    return f.week if granularity == "week" else f.month + "-01"


def _add_episode(
    data: PatternData, counts: dict[str, list[int]], granularity: str, n: int, f: EpisodeFacts
) -> None:
    """Fold one episode into the additive counts, ``n`` = 1 to add it or -1 to take it out."""
    data.total += n
    data.hours[f.hour] += n
    day = data.day_counts.get(f.local_date, 0) + n
    if day:
        data.day_counts[f.local_date] = day
    else:
        data.day_counts.pop(f.local_date, None)
    data.weekday_hour[f.weekday][f.hour] += n
    counts.setdefault(_bucket_key(f, granularity), [0] * (NOT_RATED + 1))[f.band] += n
    folding = _Folding(data)
    tight = f.footwear_tight
    _fold_onset(folding, [(f.activity, f.night, f.footwear, tight, f.hydration, n)])
    _fold_sites(folding, [(f.site, f.side, n)])
    data.durations[_duration_bin(f.duration_s)] += n
    if f.severity is None:
        data.not_recorded["severity"] += n
    else:
        data.severity[max(0, min(10, f.severity))] += n
    if f.relief is not None and f.relief != "":
        _fold_relief(folding, [(f.relief, f.relief_effect, n)])


def _duration_bin(seconds: int) -> int:
    for i, (upper, _label) in enumerate(DURATION_BINS):
        if upper is None or seconds < upper:
            return i
    return len(DURATION_BINS) - 1


def _retally(
    data: PatternData, tallies: MonthTallies, inside: list[tuple[int, EpisodeFacts]]
) -> None:
    """Each month touched: its tally changed by the episodes, its medians taken again."""
    for sign, f in inside:
        tally = tallies.get(f.month, MonthTally()).changed(sign, f.severity, f.duration_s)
        if tally.count:
            tallies[f.month] = tally
        else:
            tallies.pop(f.month, None)
    by_month = {m.month: m for m in data.monthly}
    for month in {f.month for _, f in inside}:
        kept = tallies.get(month)
        if kept is None:
            by_month.pop(month, None)
            continue
        by_month[month] = MonthlyMedian(
            month,
            kept.count,
            _weighted_median(kept.durations),
            _weighted_median(kept.severities),
            kept.not_rated,
        )
    data.monthly = [by_month[month] for month in sorted(by_month)]


def _remonth(
    source: Store, data: PatternData, months: set[str], memo: dict[str, list[Row]]
) -> None:
    """Read again the rows of each month touched, for its count and medians."""
    by_month = {m.month: m for m in data.monthly}
    period = data.period
    for month in months:
        year, number = int(month[:4]), int(month[5:7])
        first = date(year, number, 1)
        last = date(year + number // 12, number % 12 + 1, 1) - timedelta(days=1)
        low, high = Period(first, last).utc_bounds()
        whole = (period.first is None or period.first <= first) and (
            period.last is None or period.last >= last
        )
        if whole and month in memo:
            rows = memo[month]  # the same rows for every range holding the whole month
        else:
            rows = queries.month_severity_duration(source, period, month, low or 0, high or 0)
            if whole:
                memo[month] = rows
        f = _Folding(data)
        for severity, duration, n in rows:
            f.month_count[month] = f.month_count.get(month, 0) + n
            f.month_duration.setdefault(month, []).append((duration, n))
            if severity is None:
                f.month_not_rated[month] = f.month_not_rated.get(month, 0) + n
            else:
                f.month_severity.setdefault(month, []).append((severity, n))
        by_month.pop(month, None)
        by_month.update({m.month: m for m in _monthly_medians(f)})
    data.monthly = [by_month[month] for month in sorted(by_month)]


def _drop_zeros(data: PatternData) -> None:
    """Categories an episode left: a fresh aggregation would not list them (the known codes
    come back as zero from _fill_vocab_zeros)."""
    for counts in (data.activity, data.hydration, data.sides):
        for key in [k for k, v in counts.items() if not v]:
            del counts[key]
    for key in [k for k, v in data.footwear.items() if not any(v)]:
        del data.footwear[key]
    for per_side in data.sites.values():
        for side in [k for k, v in per_side.items() if not v]:
            del per_side[side]
    for site in [k for k, v in data.sites.items() if not v]:
        del data.sites[site]
    for side in [k for k, v in data.toes.items() if not v]:
        del data.toes[side]
    for key in [k for k, v in data.relief.items() if not any(v.values())]:
        del data.relief[key]
