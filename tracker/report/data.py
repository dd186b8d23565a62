"""The content of the doctor summary for one period, as plain data (no Qt, no HTML).

A doctor has a few minutes, so page one answers "how often, when, how bad, what helps, any
warning signs" with numbers; the episode table behind them follows. The counts come from the
same aggregates as the Patterns page (tracker/analysis/aggregates.py); the few figures only the
summary needs (nights affected, median and longest duration, warning signs with dates, the table
rows) are queried here, with the same period condition, so the two can never disagree.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import MappingProxyType

from tracker.advice import doctor_rules
from tracker.advice.profile import Profile, load_profile
from tracker.analysis import aggregates, stats
from tracker.analysis.aggregates import _weighted_median
from tracker.diary import vocab
from tracker.diary.episode import NOT_RECORDED, Episode, format_duration
from tracker.diary.periods import (
    Period,
    months_back,
    preset_period,  # noqa: F401 - the summary's named periods
)
from tracker.diary.progress import NO_PROGRESS, Progress
from tracker.report.checkins import CheckinSection, build_checkin_section
from tracker.store import Store
from tracker.store import report_queries as queries

TITLE = "Cramp diary summary"
DISCLAIMER = "Self-reported by the patient; not a diagnosis"

# Parts of the summary a person may leave out; the key figures are always there.
SECTIONS = {
    "charts": "Charts (episodes over time, time of day)",
    "onset": "Situation at onset (activity, footwear, hydration, where)",
    "relief": "Relief methods and how often they helped",
    "warnings": "Warning signs and reasons to see a doctor",
    "checkins": "Check-in factors, medicines and sleep",
    "profile": "My health profile (age range, conditions, medicines)",
    "questions": "My questions for the doctor",
    "episodes": "Table of episodes (recent ones; the rest by month)",
}
TABLE_HEADERS = (
    "Date and time",
    "Duration",
    "Site and side",
    "Sev. (0-10)",
    "Activity",
    "Footwear",
    "Hydration",
    "Relief and effect",
    "Warning signs",
    "Notes",
)
NOTES_MAX_CHARS = 600  # in the table; a 50,000-character note would not fit on a page
NOTES_MAX_LINES = 12  # ... nor would a note of hundreds of short lines
SIDE_COLUMNS = ("left", "right", "both", None)  # the "where" table's columns; None: not recorded
NOT_RATED = "Not rated"  # the table's severity cell when none was given
APPROXIMATE = "≈"  # before a start time that is a rough guess ("last night, around 3")


@dataclass(frozen=True)
class TableRule:
    """Which episodes the summary's table lists, so that it stays a document a doctor reads.

    The table lists the episodes of the last ``months`` months of the period (the person may
    pick another of ``month_choices``), and at most the latest ``most_episodes`` of them (about
    ten pages: more rows than a doctor reads at an appointment). Whatever the table leaves out
    is summarised by month (cramps, nights affected, median duration and severity per month).
    A year of a very busy diary (30,000 cramps) is then a dozen pages, not 800.
    """

    months: int = 3
    month_choices: tuple[int, ...] = (1, 3, 6, 12)
    most_episodes: int = 300


TABLE_RULE = TableRule()


@dataclass(frozen=True)
class ReportRequest:
    """What the person asked for. Name and date of birth are printed only, never stored."""

    period: Period
    made_on: date
    name: str = ""
    birth_date: str = ""
    questions: str = ""
    sections: frozenset[str] = frozenset(SECTIONS)
    table_months: int | None = TABLE_RULE.months  # None: the whole period
    table_most: int | None = TABLE_RULE.most_episodes  # None: no limit (tests of the layout)


@dataclass(frozen=True)
class TableSpan:
    """The episodes the table lists: those of ``period`` from ``since`` on (all when None)."""

    period: Period
    months: int | None  # the months asked for (None: the whole period)
    count: int  # episodes listed
    in_period: int  # episodes of ``period`` (more than ``count`` when the limit cut it)
    whole: bool  # every episode of the summary's period is listed
    since: tuple[int, int] | None = None  # (start_utc, id) of the first listed episode
    since_date: date | None = None  # ... and its local date

    @property
    def limited(self) -> bool:
        return self.count < self.in_period

    def note(self) -> str:
        """What the table lists, in words for the person and the doctor."""
        cramps = "cramp" if self.count == 1 else "cramps"
        if self.whole:
            return f"The table lists every episode of the period ({self.count:,} {cramps})."
        if self.limited and self.since_date is not None:
            return (
                f"The table lists the latest {self.count:,} cramps (since "
                f"{_long_date(self.since_date)}), as many as a doctor can read; "
                "the rest is summarised by month."
            )
        span = "the last month" if self.months == 1 else f"the last {self.months} months"
        return f"The table lists {span} ({self.count:,} {cramps}); the rest is summarised by month."

    def title(self) -> str:
        """The table's heading in the summary."""
        if self.whole:
            return f"Every episode in the period, oldest first ({self.count:,})"
        if self.limited:
            return f"The latest {self.count:,} episodes, oldest first"
        span = "the last month" if self.months == 1 else f"the last {self.months} months"
        return f"Episodes of {span}, oldest first ({self.count:,})"


@dataclass(frozen=True)
class MonthRow:
    """One calendar month (local dates) of the by-month table."""

    month: str  # 'YYYY-MM'
    cramps: int
    nights: int  # nights affected that began in this month (the first month: or just before)
    median_duration_s: float | None
    median_severity: float | None  # of the rated cramps

    @property
    def label(self) -> str:
        return f"{date.fromisoformat(self.month + '-01'):%b %Y}"


@dataclass(frozen=True)
class Comparison:
    """This period against the one of the same length just before it."""

    previous: Period
    count: int
    previous_count: int
    rates: stats.RateComparison


@dataclass(frozen=True)
class Common:
    """The most common answer of one field at onset, as a share of the episodes where that field
    was recorded; episodes that left it out are counted apart, never as a category."""

    label: str
    count: int
    total: int  # episodes with this field recorded
    not_recorded: int = 0

    def text(self) -> str:
        if not self.total:
            return f"{NOT_RECORDED} in any of the {self.not_recorded} episodes"
        if not self.not_recorded:
            return f"{self.label}: {stats.share_text(self.count, self.total)}"
        share = stats.share_text(self.count, self.total, "recorded")
        return f"{self.label}: {share}; {self.not_recorded} not recorded"


@dataclass(frozen=True)
class ReliefRow:
    method: str
    tries: int
    helped: int
    partly: int
    not_helped: int
    unknown: int


@dataclass(frozen=True)
class SiteRow:
    """Episodes with cramps at one site, per side (SIDE_COLUMNS order). An episode that names
    several sites counts once under each of them; ``site`` None: the site was not recorded."""

    site: str | None
    label: str
    by_side: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.by_side)


@dataclass(frozen=True)
class WarningRow:
    sign: str
    count: int
    last_date: str


@dataclass(frozen=True)
class DoctorReason:
    """One "see a doctor" reason that applied at some time in the period (doctor_rules)."""

    rule_id: str
    title: str
    message: str
    first_date: str  # local date of the first cramp that triggered it (may precede the period)
    last_date: str  # ... and of the last
    episode_count: int  # cramps that triggered it

    @property
    def dates(self) -> str:
        """'2026-03-02', or '2026-03-02 to 2026-03-04'."""
        if self.first_date == self.last_date:
            return self.first_date
        return f"{self.first_date} to {self.last_date}"

    def line(self) -> str:
        """'Cramps on 3 days within a week: 2026-03-02 to 2026-03-04'."""
        return f"{self.title}: {self.dates}"


@dataclass
class ReportData:
    request: ReportRequest
    period: Period  # with both ends filled in (an open start becomes the first episode's date)
    total: int = 0
    per_week: float = 0.0
    nights_affected: int = 0
    nights_in_period: int = 0
    median_duration_s: float | None = None
    longest_duration_s: int | None = None
    median_severity: float | None = None  # of the rated episodes
    highest_severity: int | None = None
    severe_count: int = 0
    severity_not_rated: int = 0
    approximate_times: int = 0  # episodes whose start time is a rough guess
    comparison: Comparison | None = None
    patterns: aggregates.PatternData | None = None
    activity: Common | None = None
    footwear: Common | None = None
    tight: Common | None = None  # tight or ill-fitting, of the episodes that said anything on fit
    hydration: Common | None = None
    site: Common | None = None  # the site most often involved (an episode may name several)
    side: Common | None = None
    where: list[SiteRow] = field(default_factory=list)  # episodes per site and side
    relief: list[ReliefRow] = field(default_factory=list)
    relief_not_recorded: int = 0  # episodes with no relief method noted
    nothing_tried: int = 0  # episodes where the person noted they tried nothing
    warnings: list[WarningRow] = field(default_factory=list)
    doctor_reasons: list[DoctorReason] | None = None  # None: the doctor rules are not available
    profile_lines: list[tuple[str, str]] = field(default_factory=list)
    table: TableSpan | None = None  # which episodes the table lists (None: no episodes)
    monthly: list[MonthRow] = field(default_factory=list)  # when the table is not the whole
    checkins: CheckinSection | None = None  # check-in factors, medicines, sleep (if asked)

    @property
    def empty(self) -> bool:
        return self.total == 0

    @property
    def severity_rated(self) -> int:
        return self.total - self.severity_not_rated

    @property
    def tight_count(self) -> int:
        return self.tight.count if self.tight is not None else 0

    def includes(self, section: str) -> bool:
        return section in self.request.sections

    def period_text(self) -> str:
        return period_text(self.period)


def period_text(period: Period) -> str:
    first, last = period.first, period.last
    if first is None or last is None:
        return period.describe()
    return f"{_long_date(first)} to {_long_date(last)} ({period.days} days)"


def _long_date(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


READING_DIARY = "Reading the diary"  # what build_report tells its Progress it is doing
_STEPS = 6  # the steps build_report reports


def build_report(
    store: Store, request: ReportRequest, progress: Progress = NO_PROGRESS
) -> ReportData:
    """Every figure of the summary, from a handful of grouped queries.

    Reports its steps to ``progress``, which raises ``Cancelled`` between them once the person
    cancelled (nothing is written here, so there is nothing to undo)."""
    progress.step(0, _STEPS, READING_DIARY)
    period = _closed(store, request.period, request.made_on)
    data = ReportData(request, period)
    data.nights_in_period = period.days or 0
    data.patterns = pattern = aggregates.patterns(store, period)
    progress.step(1, _STEPS)
    data.total = pattern.total
    if period.days:
        data.per_week = data.total / period.days * 7
    if request.period.first is not None and period.days:
        data.comparison = _compare(store, period, data.total)
    if data.total:
        _severity_and_duration(store, period, pattern, data)
        data.nights_affected = queries.nights_affected(store, period)
        data.approximate_times = queries.approximate_times(store, period)
        progress.step(2, _STEPS)
        _onset(pattern, data)
        data.where = site_side_rows(store, period)
        data.relief = _relief_rows(pattern)
        data.nothing_tried = pattern.relief_tries("nothing")
        data.relief_not_recorded = queries.relief_not_recorded(store, period)
        data.warnings = warning_signs(store, period)
        progress.step(3, _STEPS)
        data.table = table_span(store, period, request.table_months, request.table_most)
        if not data.table.whole:
            data.monthly = monthly_rows(store, period, pattern)
    progress.step(4, _STEPS)
    if "checkins" in request.sections:
        data.checkins = build_checkin_section(store, period)
    profile = load_profile(store)
    data.doctor_reasons = doctor_reasons(store, period, profile)
    data.profile_lines = profile_lines(profile)
    progress.step(5, _STEPS)
    return data


def _closed(store: Store, period: Period, today: date) -> Period:
    """Fill open ends: from the first episode's date, up to today."""
    first, last = period.first, period.last or today
    if first is None:
        found, _ = aggregates.date_span(store, Period(None, last))
        first = date.fromisoformat(found) if found else last
    return Period(min(first, last), last)


def table_span(
    store: Store, period: Period, months: int | None, most: int | None = TABLE_RULE.most_episodes
) -> TableSpan:
    """The episodes the table of ``period`` lists under TABLE_RULE: the last ``months`` months
    (None: all), and of those the latest ``most`` (None: no limit). Indexed counts only."""
    first, last = period.first, period.last
    if months is not None and last is not None:
        start = months_back(last, months) + timedelta(days=1)
        first = start if first is None else max(first, start)
    table = Period(first, last)
    in_table = aggregates.count(store, table)
    since = since_date = None
    count = in_table
    if most is not None and in_table > most:
        found = queries.latest_start(store, table, most)
        if found is not None:
            since, since_date, count = found[:2], date.fromisoformat(found[2]), most
    whole = count == (in_table if table == period else aggregates.count(store, period))
    return TableSpan(table, months, count, in_table, whole, since, since_date)


def monthly_rows(store: Store, period: Period, pattern: aggregates.PatternData) -> list[MonthRow]:
    """Cramps, nights affected and median duration and severity for every calendar month of
    the period, oldest first (months without cramps as zeros). Counts and medians are the
    Patterns page's (PatternData.monthly), so the two never disagree."""
    if not pattern.monthly:
        return []
    by_month = {m.month: m for m in pattern.monthly}
    first = period.first or date.fromisoformat(min(by_month) + "-01")
    nights: dict[str, int] = {}
    for month, n in queries.monthly_nights(store, period):
        month = max(month, f"{first:%Y-%m}")  # the night before the first day: the first month
        nights[month] = nights.get(month, 0) + n
    last = period.last or date.fromisoformat(max(by_month) + "-01")
    rows, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        key = f"{year:04d}-{month:02d}"
        found = by_month.get(key)
        if found is None:
            rows.append(MonthRow(key, 0, 0, None, None))
        else:
            rows.append(
                MonthRow(
                    key,
                    found.count,
                    nights.get(key, 0),
                    _number_or_none(found.median_duration_s),
                    _number_or_none(found.median_severity),
                )
            )
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return rows


def _number_or_none(value: float) -> float | None:
    return None if math.isnan(value) else value


def _compare(store: Store, period: Period, total: int) -> Comparison:
    previous = period.before()
    previous_count = aggregates.count(store, previous)
    rates = stats.compare_rates(total, period.days or 0, previous_count, previous.days or 0)
    return Comparison(previous, total, previous_count, rates)


def _severity_and_duration(
    store: Store, period: Period, pattern: aggregates.PatternData, data: ReportData
) -> None:
    histogram = pattern.severity  # rated episodes only
    data.severity_not_rated = pattern.not_recorded["severity"]
    rated = [(float(s), n) for s, n in enumerate(histogram) if n]
    if rated:
        data.median_severity = _weighted_median(rated)
        data.highest_severity = max(s for s, n in enumerate(histogram) if n)
    data.severe_count = sum(histogram[7:])
    durations = queries.duration_counts(store, period)
    data.median_duration_s = _weighted_median(durations)
    data.longest_duration_s = max(d for d, _ in durations)


def _onset(pattern: aggregates.PatternData, data: ReportData) -> None:
    """The most common answer of each field, as a share of the episodes that recorded it."""
    missing = pattern.not_recorded
    data.activity = _most_common(pattern.activity, vocab.ACTIVITIES, missing["activity"])
    footwear = {code: fit + tight for code, (fit, tight) in pattern.footwear.items()}
    data.footwear = _most_common(footwear, vocab.FOOTWEAR, missing["footwear"])
    if pattern.tight:
        said = pattern.tight_recorded
        data.tight = Common("Tight or ill-fitting", pattern.tight, said, data.total - said)
    data.hydration = _most_common(pattern.hydration, vocab.HYDRATION, missing["hydration"])
    sites = {code: sum(per_side.values()) for code, per_side in pattern.sites.items()}
    data.site = _most_common(sites, vocab.SITES, missing["site"], pattern.recorded("site"))
    data.side = _most_common(pattern.sides, vocab.SIDES, missing["side"])


def _most_common(
    counts: dict[str, int],
    vocabulary: MappingProxyType[str, str],
    not_recorded: int = 0,
    recorded: int | None = None,
) -> Common | None:
    """``recorded`` is the share's denominator when an episode can count under several codes
    (sites); otherwise it is the sum of the counts."""
    total = sum(counts.values()) if recorded is None else recorded
    if not total:
        return Common("", 0, 0, not_recorded) if not_recorded else None
    code = max(counts, key=lambda c: counts[c])  # ties: the first in vocabulary order
    return Common(vocab.label(vocabulary, code), counts[code], total, not_recorded)


def site_side_rows(store: Store, period: Period) -> list[SiteRow]:
    """Episodes per site and side, sites in body order (toes to calf), then "Site not recorded";
    only sites with at least one episode."""
    counts: dict[str | None, list[int]] = {}
    column = {side: i for i, side in enumerate(SIDE_COLUMNS)}
    for site, side, n in queries.site_side(store, period):
        codes: list[str | None] = [*vocab.split_multi(site)] or [None]
        for code in dict.fromkeys(codes):
            row = counts.setdefault(code, [0] * len(SIDE_COLUMNS))
            row[column.get(side, column[None])] += n
    order = [*vocab.SITES, None]
    codes = sorted(counts, key=lambda c: order.index(c) if c in order else len(order) - 1)
    return [
        SiteRow(
            code,
            "Site not recorded" if code is None else vocab.label(vocab.SITES, code) or code,
            tuple(counts[code]),
        )
        for code in codes
    ]


def _relief_rows(pattern: aggregates.PatternData) -> list[ReliefRow]:
    rows = [
        ReliefRow(
            vocab.label(vocab.RELIEF, method),
            sum(effects.values()),
            effects.get("yes", 0),
            effects.get("partly", 0),
            effects.get("no", 0),
            effects.get("unknown", 0),
        )
        for method, effects in pattern.relief.items()
        if sum(effects.values()) and method != "nothing"  # "nothing" is not a method that helps
    ]
    return sorted(rows, key=lambda r: (-r.tries, r.method))


def warning_signs(store: Store, period: Period) -> list[WarningRow]:
    """Each warning sign reported in the period: how many episodes, and the latest date."""
    counts: dict[str, tuple[int, str]] = {}
    for signs, n, last in queries.warning_signs(store, period):
        for code in vocab.split_multi(signs):
            seen, latest = counts.get(code, (0, ""))
            counts[code] = (seen + n, max(latest, last))
    order = list(vocab.WARNING_SIGNS)
    codes = sorted(counts, key=lambda c: order.index(c) if c in order else len(order))
    return [WarningRow(vocab.label(vocab.WARNING_SIGNS, c), *counts[c]) for c in codes]


def doctor_reasons(store: Store, period: Period, profile: Profile) -> list[DoctorReason]:
    """Every "see a doctor" reason that applied on any day of the period, with the dates of the
    cramps that triggered it: the same engine and history window as the banner, so a reason the
    banner showed on any day of the period is listed here (doctor_rules.alerts_in_period)."""
    first, last = period.first, period.last
    if first is None or last is None:
        return []
    return [
        DoctorReason(
            alert.rule_id,
            alert.title,
            alert.message,
            _iso(alert.first_date),
            _iso(alert.last_date),
            len(alert.episodes),
        )
        for alert in doctor_rules.alerts_in_period(store, profile, first, last)
    ]


def _iso(day: date | None) -> str:
    return day.isoformat() if day is not None else ""


def profile_lines(profile: Profile) -> list[tuple[str, str]]:
    """The optional profile as (label, text) lines; nothing when it was skipped."""
    lines = []
    if profile.age_range:
        lines.append(("Age range", vocab.label(vocab.AGE_RANGES, profile.age_range)))
    conditions = [vocab.label(vocab.CONDITIONS, c) for c in profile.conditions]
    if profile.other_conditions:
        conditions.append(profile.other_conditions)
    if conditions:
        lines.append(("Conditions", "; ".join(conditions)))
    if profile.medicines:
        lines.append(("Medicines", profile.medicines))
    return lines


# ----------------------------------------------------------------- the episode table


def _where_cell(episode: Episode) -> str:
    sites = vocab.labels(vocab.SITES, episode.site)
    side = vocab.label(vocab.SIDES, episode.side).lower()
    if not sites and not side:
        return NOT_RECORDED
    return f"{sites or 'Site not recorded'}; {side or 'side not recorded'}"


def start_text(episode: Episode) -> str:
    """'2026-03-03 02:00', or '2026-03-03 ≈ 03:00' when the hour is a rough guess."""
    about = f"{APPROXIMATE} " if episode.time_approximate else ""
    return f"{episode.started_at:%Y-%m-%d} {about}{episode.started_at:%H:%M}"


def shortened_note(notes: str) -> str:
    """The note as printed in the table: at most NOTES_MAX_CHARS characters and NOTES_MAX_LINES
    lines, and whenever anything is cut, it says so ("… (shortened; ...)")."""
    lines = notes.splitlines()
    if len(notes) <= NOTES_MAX_CHARS and len(lines) <= NOTES_MAX_LINES:
        return notes
    kept = "\n".join(line.rstrip() for line in lines[:NOTES_MAX_LINES])[:NOTES_MAX_CHARS].rstrip()
    size = f"{len(notes):,} characters"
    if len(lines) > 1:
        size = f"{len(lines):,} lines, {size}"
    return f"{kept}… (shortened; {size})"


def table_row(episode: Episode) -> tuple[str, ...]:
    """One episode as the table's cells, in TABLE_HEADERS order (plain text, never markup).

    A field left out says "Not recorded" (severity: "Not rated"), never an empty cell.
    """
    if episode.footwear is not None:
        footwear = vocab.label(vocab.FOOTWEAR, episode.footwear)
        if episode.footwear_tight:
            footwear += ", tight or ill-fitting"
    else:
        footwear = "Tight or ill-fitting (type not recorded)" if episode.footwear_tight else ""
    hydration = vocab.label(vocab.HYDRATION, episode.hydration) or NOT_RECORDED
    if episode.fluid_ml:
        hydration += f"; {episode.fluid_ml} ml"
    relief = vocab.labels(vocab.RELIEF, episode.relief)
    if episode.relief_effect:
        effect = vocab.label(vocab.RELIEF_EFFECT, episode.relief_effect).lower()
        relief = f"{relief}: {effect}" if relief else effect.capitalize()
    notes = shortened_note(episode.notes.strip())
    if episode.context:
        context = "Context: " + vocab.labels(vocab.CONTEXT, episode.context) + "."
        notes = f"{context}\n{notes}" if notes else context
    return (
        start_text(episode),
        format_duration(episode.duration_s),
        _where_cell(episode),
        NOT_RATED if episode.severity is None else str(episode.severity),
        vocab.label(vocab.ACTIVITIES, episode.activity) or NOT_RECORDED,
        footwear or NOT_RECORDED,
        hydration,
        relief or NOT_RECORDED,
        vocab.labels(vocab.WARNING_SIGNS, episode.warning_signs) or "None",
        notes,
    )


def iter_table_rows(
    store: Store,
    period: Period,
    cancelled: Callable[[], bool] | None = None,
    since: tuple[int, int] | None = None,
) -> Iterator[tuple[str, ...]]:
    """The episodes of the period oldest first (from ``since``: see TableSpan), as table
    cells, fetched in chunks."""
    for episode in queries.iter_episodes(store, period, cancelled, since):
        yield table_row(episode)


def made_on_text(now: date) -> str:
    return f"{now.day} {now:%B %Y}"
