"""Insights that know the denominator: cramp rates on days with and without a factor.

A share of cramps ("36% came on days with fewer fluids") cannot say whether a factor matters
without knowing how many days had it. Daily check-ins give that denominator: for each factor
the cramp rate on check-in days with it is compared with the rate on check-in days without it,
as a rate ratio (RR) with a 95% interval and a p-value. Days without a check-in, and check-ins
that skipped the question, are in neither group: a missing answer is never "without".

Method: a quasi-Poisson Wald interval on log RR. With ``a``, ``b`` the cramps and ``t1``, ``t0``
the days in each group, RR = (a/t1) / (b/t0), and the interval is
``log RR +- 1.96 * sqrt(phi * (1/a + 1/b))``, with the two-sided p-value of ``z = log RR / se``.
``phi`` is the dispersion of the per-day counts: the Pearson chi-square of every day in the two
groups around its group's rate, divided by (days - 2), floored at 1. This is exactly what a
Poisson GLM (log link) of the per-day counts on a with/without regressor gives when fitted
with ``scale='X2'`` (quasi-Poisson); the tests check it against statsmodels. With ``phi`` = 1
it is the pure Poisson interval.

Why: cramps cluster. Some days (and runs of days) have many, most have none, so day counts
vary far more than a Poisson count allows, and the pure Poisson interval is then far too
narrow: on a diary whose check-ins had no effect at all, most factors came out "clear".
Of the usual remedies, quasi-Poisson is the one chosen here because:

- it keeps the estimate (the plain ratio of the two rates, which the words report) and only
  widens the interval, by the closed form above: one sum of squares per group, no iteration
  (a negative binomial needs an iterative fit of its shape for every comparison, and its
  weights move the estimate away from the ratio of rates);
- it pools the dispersion over both groups (days - 2 degrees of freedom), which stays stable
  with as few as 5 days in a group, where a sandwich (HC0) variance is biased towards too
  narrow an interval, exactly when little data makes caution matter most;
- floored at 1, it never makes an interval narrower than the Poisson one: a diary whose counts
  are Poisson-like gets the same answer as before.

It assumes the variance grows in proportion to the rate, and treats days as independent given
their group; since check-in answers are not tied to the date, runs of busy days widen phi
rather than bias the ratio. The interval keeps the normal quantile, so with few days and heavy
clustering it is still a little too narrow: on generated no-effect diaries with strongly
clustered cramps, a year gives a "clear" factor after Holm in about 7-9% of diaries (5% is
the aim; the Poisson interval: 50-70%), half a year in up to about 16%. When ``phi`` is large
(``CLUSTERED_DISPERSION``) the words say the interval is wide since cramps came in clusters.

When a group has no cramps at all, log RR is not finite: then, and only then, 0.5 is added to
both groups' counts (the Haldane correction) and the result says so
(``RateComparison.corrected``); the dispersion is still taken from the days as they are (a
group without cramps adds nothing to it).

Many factors and two windows are tested at once, so the p-values of the comparisons that are
shown are adjusted by Holm's method; a difference is "clear" only when the adjusted p < 0.05.
The words say the two go together in this diary, never that one causes the other.

Medicines: the cramp rate in up to 8 weeks before a medicine was started (or stopped) against
up to 8 weeks after, by the same method, the dispersion taken from the per-day counts (day and
night together) on both sides (``medicine_changes``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tracker.advice import knowledge
from tracker.diary.checkin import FACTORS, CheckIn, Factor, Medicine
from tracker.diary.vocab import is_night_hour

# Per local day D: (cramps starting D 06:00-21:59, cramps in the night after, D 22:00-D+1 05:59)
DayCounts = Mapping[date, tuple[int, int]]

Z_95 = 1.959963984540054  # the 97.5% point of the standard normal distribution
ALPHA = 0.05

# When a factor's comparison is shown (the thresholds).
MIN_CHECKIN_DAYS = 14  # check-in days that answered the factor's question
MIN_GROUP_DAYS = 5  # days in each group (with / without)
MIN_CRAMPS = 5  # cramps in the window, both groups together

# From this dispersion on (the variance twice the Poisson one: intervals about 1.4 times as
# wide on the log scale), the words say the interval is wide since cramps came in clusters.
CLUSTERED_DISPERSION = 2.0

# Medicines before/after.
MEDICINE_WINDOW_DAYS = 56  # up to 8 weeks on each side
MIN_SIDE_DAYS = 14  # days on each side
MIN_MEDICINE_CRAMPS = 5  # cramps on both sides together

# Medicines can cause cramps, and never change one without a professional: article a003.
MEDICINE_SOURCE_IDS: tuple[str, ...] = ("a003",)
MEDICINE_TIP_IDS: tuple[str, ...] = ("medicine-side-effects", "medicine-review")


@dataclass(frozen=True)
class Window:
    """When cramps are counted relative to a check-in day."""

    key: str
    label: str  # "the same day"
    index: int  # which of a day's two counts


SAME_DAY = Window("same_day", "the same day", 0)
FOLLOWING_NIGHT = Window("following_night", "the following night", 1)
WINDOWS: tuple[Window, ...] = (SAME_DAY, FOLLOWING_NIGHT)


@dataclass(frozen=True)
class RateComparison:
    """Cramps per day in two groups of days and their rate ratio (exposed / unexposed)."""

    exposed_days: int
    exposed_cramps: int
    unexposed_days: int
    unexposed_cramps: int
    rate_ratio: float
    low: float  # 95% interval
    high: float
    p_value: float  # two-sided, not adjusted
    corrected: bool  # 0.5 added to both counts because one of them was 0
    # Pearson chi-square / (days - 2) of the per-day counts (1.0: not estimated); the variance
    # is scaled by ``scale``, this floored at 1.
    dispersion: float = 1.0

    @property
    def scale(self) -> float:
        return max(1.0, self.dispersion)

    @property
    def clustered(self) -> bool:
        """The interval is clearly wider than a Poisson one: cramps came in clusters."""
        return self.dispersion >= CLUSTERED_DISPERSION

    @property
    def exposed_rate(self) -> float:
        return self.exposed_cramps / self.exposed_days

    @property
    def unexposed_rate(self) -> float:
        return self.unexposed_cramps / self.unexposed_days


def pearson_dispersion(
    exposed_cramps: int,
    exposed_days: int,
    exposed_squares: int,
    unexposed_cramps: int,
    unexposed_days: int,
    unexposed_squares: int,
) -> float:
    """Pearson chi-square / (days - 2) of per-day counts around their group's rate.

    ``*_squares`` is the sum of the squared per-day counts of a group (days without a cramp
    add 0). Around the group's mean ``m = c/t``, sum((y - m)^2 / m) = squares/m - c, so the
    totals and the sums of squares are enough. A group without cramps adds nothing. With two
    days or fewer there is nothing to estimate it from: 1.0.
    """
    residual_df = exposed_days + unexposed_days - 2
    if residual_df <= 0:
        return 1.0
    chi2 = 0.0
    for cramps, days, squares in (
        (exposed_cramps, exposed_days, exposed_squares),
        (unexposed_cramps, unexposed_days, unexposed_squares),
    ):
        if cramps > 0:
            chi2 += squares * days / cramps - cramps
    return max(0.0, chi2) / residual_df


def wald_rate_ratio(
    exposed_cramps: int,
    exposed_days: int,
    unexposed_cramps: int,
    unexposed_days: int,
    *,
    dispersion: float = 1.0,
) -> RateComparison:
    """The rate ratio of two groups with its Wald 95% interval on log RR and p-value.

    The variance of log RR is scaled by ``dispersion`` floored at 1 (quasi-Poisson; see
    ``pearson_dispersion``); the default 1.0 gives the pure Poisson interval. Both groups need
    at least one day. A count of 0 makes log RR infinite: only then 0.5 is added to both counts
    (``corrected``).
    """
    if exposed_days <= 0 or unexposed_days <= 0:
        raise ValueError("each group needs at least one day")
    if not math.isfinite(dispersion) or dispersion < 0:
        raise ValueError("the dispersion must be a finite number, at least 0")
    corrected = exposed_cramps == 0 or unexposed_cramps == 0
    a = exposed_cramps + 0.5 if corrected else float(exposed_cramps)
    b = unexposed_cramps + 0.5 if corrected else float(unexposed_cramps)
    log_rr = math.log(a / exposed_days) - math.log(b / unexposed_days)
    se = math.sqrt(max(1.0, dispersion) * (1.0 / a + 1.0 / b))
    z = log_rr / se
    return RateComparison(
        exposed_days=exposed_days,
        exposed_cramps=exposed_cramps,
        unexposed_days=unexposed_days,
        unexposed_cramps=unexposed_cramps,
        rate_ratio=math.exp(log_rr),
        low=math.exp(log_rr - Z_95 * se),
        high=math.exp(log_rr + Z_95 * se),
        p_value=math.erfc(abs(z) / math.sqrt(2.0)),
        corrected=corrected,
        dispersion=dispersion,
    )


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm-adjusted p-values, in the order given (step-down, monotone, at most 1)."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted


def counts_by_day(started_at: Iterable[datetime]) -> dict[date, tuple[int, int]]:
    """Local start times folded into ``DayCounts``: a cramp from 22:00 to 05:59 belongs to the
    night that follows the day it began in (after midnight: the day before)."""
    day_counts: dict[date, list[int]] = {}
    for start in started_at:
        if is_night_hour(start.hour):
            day = start.date() - timedelta(days=1) if start.hour < 12 else start.date()
            day_counts.setdefault(day, [0, 0])[1] += 1
        else:
            day_counts.setdefault(start.date(), [0, 0])[0] += 1
    return {day: (c[0], c[1]) for day, c in day_counts.items()}


# ---------------------------------------------------------------------------------------------
# Factors


@dataclass(frozen=True)
class FactorInsight:
    """One factor in one window: shown with its numbers, or why not yet.

    ``comparison`` is None when a threshold is not met; then ``needs_checkins`` is about how
    many more check-ins would meet them (None when more check-ins alone cannot tell, e.g. no
    day with the factor yet) and ``text`` says why. ``p_holm`` is the Holm-adjusted p-value
    over every comparison shown in the same report.
    """

    factor: Factor
    window: Window
    checkin_days: int  # days that answered the factor's question
    exposed_days: int
    unexposed_days: int
    exposed_cramps: int
    unexposed_cramps: int
    comparison: RateComparison | None
    p_holm: float | None
    clear: bool
    needs_checkins: int | None
    text: str
    tip_ids: tuple[str, ...]

    @property
    def shown(self) -> bool:
        return self.comparison is not None


@dataclass(frozen=True)
class FactorReport:
    """Every factor in both windows, in the order of ``FACTORS`` then ``WINDOWS``."""

    insights: tuple[FactorInsight, ...]
    checkin_days: int  # days with a check-in
    tests: int  # comparisons shown (the number Holm's correction accounts for)

    def get(self, factor_key: str, window_key: str) -> FactorInsight:
        for insight in self.insights:
            if insight.factor.key == factor_key and insight.window.key == window_key:
                return insight
        raise KeyError((factor_key, window_key))

    @property
    def shown(self) -> tuple[FactorInsight, ...]:
        return tuple(i for i in self.insights if i.shown)

    @property
    def clear(self) -> tuple[FactorInsight, ...]:
        return tuple(i for i in self.insights if i.clear)


def _times(rr: float) -> str:
    """A rate ratio of at least one in words: "2.1 times as", "twice as"."""
    return "twice as" if 1.95 <= rr < 2.05 else f"{rr:.1f} times as"


def _share(rr: float) -> str:
    """A rate ratio below one in words: "half the", "30% of the"."""
    return "half the" if 0.475 <= rr < 0.525 else f"{max(1, round(100 * rr))}% of the"


def _interval(low: float, high: float) -> str:
    def fmt(x: float) -> str:
        return f"{x:.2f}" if x < 0.1 else f"{x:.1f}"

    return f"95% interval {fmt(low)} to {fmt(high)}"


CLUSTERS = (
    "The interval is wide since cramps came in clusters: many on some days, few or none on others."
)


def _clusters(c: RateComparison) -> str:
    """A sentence (with a leading space) when the dispersion widened the interval much."""
    return f" {CLUSTERS}" if c.clustered else ""


def _factor_text(factor: Factor, window: Window, c: RateComparison, clear: bool, tests: int) -> str:
    on_days = f"On {factor.label}"
    if clear:
        how = (
            f"about {_times(c.rate_ratio)} common"
            if c.rate_ratio >= 1
            else f"less common, at about {_share(c.rate_ratio)} rate on other days"
        )
        return (
            f"{on_days}, cramps {window.label} were {how} ({_interval(c.low, c.high)})."
            f"{_clusters(c)} "
            "This shows they go together in your diary, not that one causes the other."
        )
    also = f"; {tests} comparisons were made at once" if tests > 1 else ""
    return (
        f"{on_days}, cramps {window.label} were not clearly more or less common than on other "
        f"days (rate ratio {c.rate_ratio:.1f}, {_interval(c.low, c.high)}{also}).{_clusters(c)} "
        "This does not show the factor makes no difference: more check-ins may tell."
    )


def _more_needed(count: int, minimum: int, per_checkin: float) -> int | None:
    """Check-ins needed for ``count`` to reach ``minimum`` at ``per_checkin`` per check-in."""
    if count >= minimum:
        return 0
    if per_checkin <= 0:
        return None
    return math.ceil((minimum - count) / per_checkin - 1e-9)


def _not_yet(
    factor: Factor, window: Window, days: int, exposed: int, unexposed: int, cramps: int
) -> tuple[int | None, str]:
    """How many more check-ins (about) and why the comparison is not shown yet."""
    if days == 0:
        return MIN_CHECKIN_DAYS, (
            f"Not enough check-ins yet: needs {MIN_CHECKIN_DAYS} more check-ins "
            "that answer this question."
        )
    needs = [
        _more_needed(days, MIN_CHECKIN_DAYS, 1.0),
        _more_needed(exposed, MIN_GROUP_DAYS, exposed / days),
        _more_needed(unexposed, MIN_GROUP_DAYS, unexposed / days),
        _more_needed(cramps, MIN_CRAMPS, cramps / days),
    ]
    so_far = (
        f"so far {days} check-in{'s' if days != 1 else ''}, {exposed} of them {factor.label}, "
        f"and {cramps} cramp{'s' if cramps != 1 else ''} {window.label}"
    )
    if any(n is None for n in needs):
        if exposed == 0:
            why = f"no {factor.label} recorded yet"
        elif unexposed == 0:
            why = f"every check-in so far is one of the {factor.label}"
        else:
            why = f"no cramps {window.label} after a check-in day yet"
        return None, f"Not enough to compare yet ({so_far}): {why}."
    more = max(n for n in needs if n is not None)
    return more, (
        f"Not enough to compare yet ({so_far}): needs about {more} more "
        f"check-in{'s' if more != 1 else ''}."
    )


@dataclass(frozen=True)
class _Tally:
    days: int
    exposed: int
    unexposed: int
    exposed_cramps: int
    unexposed_cramps: int
    exposed_squares: int  # sums of the squared per-day counts, for the dispersion
    unexposed_squares: int

    def compare(self) -> RateComparison:
        dispersion = pearson_dispersion(
            self.exposed_cramps,
            self.exposed,
            self.exposed_squares,
            self.unexposed_cramps,
            self.unexposed,
            self.unexposed_squares,
        )
        return wald_rate_ratio(
            self.exposed_cramps,
            self.exposed,
            self.unexposed_cramps,
            self.unexposed,
            dispersion=dispersion,
        )


def _tally(checkins: Sequence[CheckIn], factor: Factor, cramps: DayCounts, index: int) -> _Tally:
    days = exposed = exposed_cramps = unexposed_cramps = exposed_squares = unexposed_squares = 0
    for checkin in checkins:
        flag = checkin.exposure(factor)
        if flag is None:
            continue
        days += 1
        count = cramps.get(checkin.day)
        n = count[index] if count is not None else 0
        if flag:
            exposed += 1
            exposed_cramps += n
            exposed_squares += n * n
        else:
            unexposed_cramps += n
            unexposed_squares += n * n
    return _Tally(
        days,
        exposed,
        days - exposed,
        exposed_cramps,
        unexposed_cramps,
        exposed_squares,
        unexposed_squares,
    )


def _tip_ids(factor: Factor, kb: knowledge.KnowledgeBase) -> tuple[str, ...]:
    return tuple(t.id for t in kb.tips if factor.tip_factor in t.factors)


def _unique_days(checkins: Sequence[CheckIn]) -> list[CheckIn]:
    """One check-in per day (the last given), so no day is counted twice."""
    by_day = {c.day: c for c in checkins}
    return [by_day[d] for d in sorted(by_day)]


def factor_insights(
    checkins: Sequence[CheckIn],
    cramps: DayCounts,
    kb: knowledge.KnowledgeBase | None = None,
) -> FactorReport:
    """Each factor's cramp rate with and without it, same day and following night."""
    kb = kb or knowledge.default()
    days = _unique_days(checkins)
    pending: list[tuple[Factor, Window, _Tally, RateComparison | None]] = []
    for factor in FACTORS:
        for window in WINDOWS:
            t = _tally(days, factor, cramps, window.index)
            enough = (
                t.days >= MIN_CHECKIN_DAYS
                and t.exposed >= MIN_GROUP_DAYS
                and t.unexposed >= MIN_GROUP_DAYS
                and t.exposed_cramps + t.unexposed_cramps >= MIN_CRAMPS
            )
            comparison = t.compare() if enough else None
            pending.append((factor, window, t, comparison))
    shown_p = [c.p_value for *_, c in pending if c is not None]
    adjusted = iter(holm(shown_p))
    tests = len(shown_p)
    insights = []
    for factor, window, t, comparison in pending:
        p_holm: float | None = None
        needs: int | None = None
        if comparison is not None:
            p_holm = next(adjusted)
            clear = p_holm < ALPHA
            text = _factor_text(factor, window, comparison, clear, tests)
        else:
            clear = False
            needs, text = _not_yet(
                factor,
                window,
                t.days,
                t.exposed,
                t.unexposed,
                t.exposed_cramps + t.unexposed_cramps,
            )
        insights.append(
            FactorInsight(
                factor=factor,
                window=window,
                checkin_days=t.days,
                exposed_days=t.exposed,
                unexposed_days=t.unexposed,
                exposed_cramps=t.exposed_cramps,
                unexposed_cramps=t.unexposed_cramps,
                comparison=comparison,
                p_holm=p_holm,
                clear=clear,
                needs_checkins=needs,
                text=text,
                tip_ids=_tip_ids(factor, kb),
            )
        )
    return FactorReport(insights=tuple(insights), checkin_days=len(days), tests=tests)


# ---------------------------------------------------------------------------------------------
# Medicines


@dataclass(frozen=True)
class MedicineChange:
    """Cramps per week before and after a medicine was started or stopped.

    Before: the days up to the change (a stop: up to and including its last day); after: from
    the change on. Each side is up to 8 weeks, clipped to the diary's days and to the time the
    medicine was taken. ``comparison`` is None when there is not enough data; then
    ``needs_days`` is how many more days of diary would give enough (None when time alone
    cannot). A day's cramps are its own and those of the night after it.
    """

    medicine: Medicine
    event: str  # "started" or "stopped"
    on: date  # the first day after the change
    before: tuple[date, date] | None  # first and last day, None when empty
    after: tuple[date, date] | None
    before_days: int
    after_days: int
    before_cramps: int
    after_cramps: int
    comparison: RateComparison | None  # after / before
    clear: bool
    needs_days: int | None
    text: str
    tip_ids: tuple[str, ...] = MEDICINE_TIP_IDS
    source_ids: tuple[str, ...] = MEDICINE_SOURCE_IDS

    @property
    def per_week_before(self) -> float | None:
        return 7 * self.before_cramps / self.before_days if self.before_days else None

    @property
    def per_week_after(self) -> float | None:
        return 7 * self.after_cramps / self.after_days if self.after_days else None


_DOCTOR = (
    "Some medicines can cause cramps: talk to your doctor or pharmacist before changing "
    "anything, and never stop or change a medicine on your own."
)


def _span(first: date, last: date) -> tuple[date, date] | None:
    return (first, last) if first <= last else None


def _days(span: tuple[date, date] | None) -> int:
    return 0 if span is None else (span[1] - span[0]).days + 1


def _sum(cramps: DayCounts, span: tuple[date, date] | None) -> tuple[int, int]:
    """The cramps of the days of ``span`` (each day's and its night's) and the sum of their
    squared per-day counts."""
    if span is None:
        return 0, 0
    total = squares = 0
    day, last = span
    one = timedelta(days=1)
    while day <= last:
        count = cramps.get(day)
        if count is not None:
            n = count[0] + count[1]
            total += n
            squares += n * n
        day += one
    return total, squares


def _medicine_text(name: str, event: str, c: RateComparison, clear: bool, ongoing: bool) -> str:
    """``ongoing``: the "after" side reaches today ("since"), else it ended 8 weeks on."""
    since = f"Since you {event} {name}" if ongoing else f"In the weeks after you {event} {name}"
    weeks = (
        f"{7 * c.unexposed_rate:.1f} a week in the {c.unexposed_days} days before, "
        f"{7 * c.exposed_rate:.1f} a week in the {c.exposed_days} days after"
    )
    interval = _interval(c.low, c.high)
    if not clear:
        return (
            f"{since}, cramps were not clearly more or less frequent than before "
            f"({weeks}; rate ratio {c.rate_ratio:.1f}, {interval}).{_clusters(c)} {_DOCTOR}"
        )
    if c.rate_ratio > 1:
        return (
            f"{since}, cramps were about {_times(c.rate_ratio)} frequent as before "
            f"({interval}; {weeks}).{_clusters(c)} {_DOCTOR}"
        )
    return (
        f"{since}, cramps were less frequent, at about {_share(c.rate_ratio)} rate before "
        f"({interval}; {weeks}).{_clusters(c)} This does not show that the change helps. "
        f"{_DOCTOR}"
    )


def _medicine_change(
    medicine: Medicine,
    event: str,
    on: date,
    cramps: DayCounts,
    first_day: date,
    today: date,
) -> MedicineChange:
    window = timedelta(days=MEDICINE_WINDOW_DAYS)
    one = timedelta(days=1)
    before_first = max(first_day, on - window)
    after_last = min(today, on + window - one)
    if event == "stopped":
        before_first = max(before_first, medicine.started_on)
    elif medicine.stopped_on is not None:
        after_last = min(after_last, medicine.stopped_on)
    before = _span(before_first, on - one)
    after = _span(max(on, first_day), after_last)
    before_days, after_days = _days(before), _days(after)
    before_cramps, before_squares = _sum(cramps, before)
    after_cramps, after_squares = _sum(cramps, after)
    total = before_cramps + after_cramps
    enough = (
        before_days >= MIN_SIDE_DAYS
        and after_days >= MIN_SIDE_DAYS
        and total >= MIN_MEDICINE_CRAMPS
    )
    what = f"{event} {medicine.name}"
    if enough:
        dispersion = pearson_dispersion(
            after_cramps, after_days, after_squares, before_cramps, before_days, before_squares
        )
        c = wald_rate_ratio(
            after_cramps, after_days, before_cramps, before_days, dispersion=dispersion
        )
        clear = c.p_value < ALPHA
        return MedicineChange(
            medicine, event, on, before, after, before_days, after_days, before_cramps,
            after_cramps, c, clear, None,
            _medicine_text(medicine.name, event, c, clear, after is not None and after[1] == today),
        )  # fmt: skip
    needs, text = _medicine_not_yet(
        what, medicine, event, on, today, before_days, after_days, total
    )
    return MedicineChange(
        medicine, event, on, before, after, before_days, after_days, before_cramps,
        after_cramps, None, False, needs, text,
    )  # fmt: skip


def _medicine_not_yet(
    what: str,
    medicine: Medicine,
    event: str,
    on: date,
    today: date,
    before_days: int,
    after_days: int,
    total: int,
) -> tuple[int | None, str]:
    """How many more days of diary would give enough to compare, and the words for it."""
    if before_days < MIN_SIDE_DAYS:
        if event == "stopped" and (on - medicine.started_on).days < MIN_SIDE_DAYS:
            why = f"it was taken for {before_days} days, fewer than the {MIN_SIDE_DAYS} needed"
        else:
            why = (
                f"the diary has {before_days} day{'s' if before_days != 1 else ''} before it, "
                f"{MIN_SIDE_DAYS} are needed"
            )
        return None, f"Cannot compare before and after you {what}: {why}."
    # Days the after side can still grow by (to 8 weeks, or to the stop while it was taken).
    room = MEDICINE_WINDOW_DAYS - after_days
    if event == "started" and medicine.stopped_on is not None:
        room = min(room, (medicine.stopped_on - on).days + 1 - after_days)
    if on > today:
        room = 0
    need_days = max(0, MIN_SIDE_DAYS - after_days)
    if total < MIN_MEDICINE_CRAMPS:
        per_day = total / (before_days + after_days)
        if per_day > 0:
            need_days = max(need_days, math.ceil((MIN_MEDICINE_CRAMPS - total) / per_day - 1e-9))
        else:
            need_days = room + 1
    if need_days > room:
        return None, (
            f"Cannot compare before and after you {what}: too few cramps around that date "
            f"({total}; at least {MIN_MEDICINE_CRAMPS} are needed)."
        )
    return need_days, (
        f"Needs more time to compare before and after you {what}: about {need_days} more "
        f"day{'s' if need_days != 1 else ''} of diary."
    )


def medicine_changes(
    medicines: Sequence[Medicine], cramps: DayCounts, first_day: date, today: date
) -> list[MedicineChange]:
    """Each medicine's start, and its stop when it has one, in the order of the dates."""
    changes = []
    for medicine in medicines:
        if first_day <= medicine.started_on <= today:
            changes.append(
                _medicine_change(medicine, "started", medicine.started_on, cramps, first_day, today)
            )
        stop = medicine.stopped_on
        if stop is not None and first_day <= stop < today:
            after_stop = stop + timedelta(days=1)
            changes.append(
                _medicine_change(medicine, "stopped", after_stop, cramps, first_day, today)
            )
    changes.sort(key=lambda c: (c.on, c.medicine.name, c.event))
    return changes
