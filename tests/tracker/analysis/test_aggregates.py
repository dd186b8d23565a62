"""Patterns aggregates against hand-computed counts: local dates and hours across offsets,
daylight-saving days, midnight edges, multi-site and multi-relief episodes, medians."""

import math
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from tests.factories import make_episode
from tracker.analysis import aggregates as agg
from tracker.analysis.aggregates import Period
from tracker.diary.episode import OPTIONAL_FIELDS

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def tz(hours: float) -> timezone:
    return timezone(timedelta(hours=hours))


def add(store, when: datetime, **fields):
    return store.add_episode(make_episode(started_at=when, **fields), now=NOW)


def test_local_date_and_hour_follow_the_written_offset(store):
    # 23:30 on 10 March in New York is 04:30 UTC on the 11th; 00:10 on 11 March in Tokyo is
    # 15:10 UTC on the 10th. Each belongs to its own local date and hour.
    add(store, datetime(2026, 3, 10, 23, 30, tzinfo=tz(-5)))
    add(store, datetime(2026, 3, 11, 0, 10, tzinfo=tz(9)))
    tenth = agg.patterns(store, Period(date(2026, 3, 10), date(2026, 3, 10)))
    assert tenth.total == 1
    assert tenth.hours[23] == 1
    assert tenth.weekday_hour[1][23] == 1  # 10 March 2026 was a Tuesday
    eleventh = agg.patterns(store, Period(date(2026, 3, 11), date(2026, 3, 11)))
    assert eleventh.total == 1
    assert eleventh.hours[0] == 1
    assert eleventh.weekday_hour[2][0] == 1  # Wednesday
    assert eleventh.night == 1 and tenth.night == 1


def test_just_before_and_after_midnight(store):
    add(store, datetime(2026, 3, 9, 23, 59, 59, tzinfo=tz(1)))
    add(store, datetime(2026, 3, 10, 0, 0, 0, tzinfo=tz(1)))
    data = agg.patterns(store, Period(date(2026, 3, 9), date(2026, 3, 10)), "day")
    assert data.over_time.buckets == [("2026-03-09", 0, 1, 0, 0), ("2026-03-10", 0, 1, 0, 0)]
    assert data.hours[23] == 1 and data.hours[0] == 1
    assert data.weekday_hour[0][23] == 1  # Monday 23:59
    assert data.weekday_hour[1][0] == 1  # Tuesday 00:00
    only_ninth = agg.patterns(store, Period(date(2026, 3, 9), date(2026, 3, 9)))
    assert only_ninth.total == 1 and only_ninth.hours[23] == 1


def test_daylight_saving_days_use_the_wall_clock(store):
    # Berlin, spring forward on Sunday 29 March 2026 (02:00 -> 03:00) and fall back on
    # Sunday 25 October 2026 (03:00 -> 02:00, so 02:30 happens twice).
    add(store, datetime(2026, 3, 29, 1, 30, tzinfo=tz(1)))
    add(store, datetime(2026, 3, 29, 3, 30, tzinfo=tz(2)))
    add(store, datetime(2026, 10, 25, 2, 30, tzinfo=tz(2)))
    add(store, datetime(2026, 10, 25, 2, 30, tzinfo=tz(1)))
    spring = agg.patterns(store, Period(date(2026, 3, 29), date(2026, 3, 29)), "day")
    assert spring.total == 2
    assert spring.hours[1] == 1 and spring.hours[2] == 0 and spring.hours[3] == 1
    assert spring.weekday_hour[6][1] == 1 and spring.weekday_hour[6][3] == 1  # Sunday
    assert spring.over_time.buckets == [("2026-03-29", 0, 2, 0, 0)]
    autumn = agg.patterns(store, Period(date(2026, 10, 25), date(2026, 10, 25)))
    assert autumn.total == 2 and autumn.hours[2] == 2 and autumn.weekday_hour[6][2] == 2


@pytest.mark.parametrize("offset", [-12, -9.5, -5, 0, 1, 5.75, 9, 14])
@pytest.mark.parametrize("clock", [(0, 0, 0), (0, 30, 0), (12, 0, 0), (23, 59, 59)])
def test_weekday_arithmetic_matches_the_calendar(store, offset, clock):
    when = datetime(2026, 1, 4, *clock, tzinfo=tz(offset))  # a Sunday
    for days in range(7):
        add(store, when + timedelta(days=days))
    data = agg.patterns(store, Period())
    assert [sum(row) for row in data.weekday_hour] == [1] * 7
    for days in range(7):
        local = when + timedelta(days=days)
        assert data.weekday_hour[local.weekday()][local.hour] == 1


def test_weekday_of_a_differently_written_timestamp_falls_back_to_dates(store):
    add(store, datetime(2026, 3, 10, 8, 0, tzinfo=tz(1)))
    store.conn.execute("UPDATE episode SET started_at = '2026-03-10T08:00:00.5+01:00'")
    data = agg.patterns(store, Period())
    assert data.weekday_hour[1][8] == 1  # still Tuesday


def test_categories_sites_relief_and_distributions(store):
    add(
        store,
        datetime(2026, 3, 1, 2, 0, tzinfo=tz(1)),
        site=("big_toe", "second_toe"),
        side="left",
        activity="in_bed",
        footwear="barefoot",
        hydration="under",
        severity=2,
        duration_s=20,
        relief=("stretching", "massage"),
        relief_effect="yes",
    )
    add(
        store,
        datetime(2026, 3, 2, 18, 0, tzinfo=tz(1)),
        site=("calf", "big_toe"),
        side="right",
        activity="exercising",
        footwear="athletic",
        footwear_tight=True,
        hydration="normal",
        severity=7,
        duration_s=75,
        relief=("stretching",),
        relief_effect="no",
    )
    add(
        store,
        datetime(2026, 3, 3, 23, 0, tzinfo=tz(1)),
        site=("sole",),
        side="both",
        activity="resting",
        footwear="athletic",
        hydration="under",
        severity=5,
        duration_s=700,
    )
    data = agg.patterns(store, Period(date(2026, 3, 1), date(2026, 3, 31)))
    assert data.total == 3
    assert data.activity["in_bed"] == 1 and data.activity["exercising"] == 1
    assert data.activity["walking"] == 0  # known categories appear, in vocabulary order
    assert list(data.activity)[0] == "in_bed"
    assert data.night == 2 and data.night_in_bed == 1
    assert data.footwear["athletic"] == (1, 1)
    assert data.footwear["barefoot"] == (1, 0)
    assert data.tight == 1
    assert data.hydration == {"well": 0, "normal": 1, "under": 2}
    assert data.sides == {"left": 1, "right": 1, "both": 1}
    assert data.sites["big_toe"] == {"left": 1, "right": 1}
    assert data.sites["calf"] == {"right": 1}
    assert data.toes == {"left": 1, "right": 1}  # the two-toe episode counts once
    assert data.severity[2] == 1 and data.severity[5] == 1 and data.severity[7] == 1
    assert data.durations == [1, 0, 1, 0, 0, 1]  # 20 s, 75 s, 700 s
    assert data.relief["stretching"] == {"yes": 1, "partly": 0, "no": 1, "unknown": 0}
    assert data.relief["massage"] == {"yes": 1, "partly": 0, "no": 0, "unknown": 0}
    assert data.relief_tries("stretching") == 2
    assert "heat" not in data.relief
    assert data.not_recorded == dict.fromkeys(OPTIONAL_FIELDS, 0)
    assert data.recorded("hydration") == 3 and data.tight_recorded == 3


def test_not_recorded_is_missing_never_a_category(store):
    """Six cramps, three with hydration not recorded: shares of hydration are of three."""
    base = datetime(2026, 3, 1, 2, 0, tzinfo=tz(1))
    add(store, base, hydration="under", severity=8)
    add(store, base + timedelta(days=1), hydration="under", severity=None, side=None)
    add(store, base + timedelta(days=2, hours=12), hydration="normal", activity=None)
    add(store, base + timedelta(days=3), hydration=None, activity=None, site=())
    add(store, base + timedelta(days=4), hydration=None, footwear=None, footwear_tight=True)
    add(store, base + timedelta(days=5), hydration=None, footwear=None, severity=None, site=())
    data = agg.patterns(store, Period(date(2026, 3, 1), date(2026, 3, 31)))
    assert data.total == 6
    assert data.not_recorded == {
        "side": 1,
        "site": 2,
        "severity": 2,
        "activity": 2,
        "hydration": 3,
        "footwear": 2,
    }
    for counts in (data.activity, data.hydration, data.footwear, data.sides):
        assert None not in counts  # never a category of its own
    assert data.hydration == {"well": 0, "normal": 1, "under": 2}
    assert data.recorded("hydration") == 3 == sum(data.hydration.values())
    assert sum(data.activity.values()) == data.recorded("activity") == 4
    assert sum(data.sides.values()) == 5
    # Night (22:00-05:59) cramps with no activity are not "in bed" and are counted apart.
    assert data.night == 5 and data.night_in_bed == 4 and data.night_activity_not_recorded == 1
    # Footwear: one type not recorded but ticked tight, one with nothing said about shoes.
    assert data.footwear["barefoot"] == (4, 0)
    assert data.footwear_tight_only == 1 and data.tight == 1
    assert data.tight_recorded == 5  # the blank, unticked one says nothing about fit
    # Site '' is not a site; the side-less cramp keeps its site under the key None.
    assert data.sites["big_toe"] == {"left": 3, None: 1}
    assert data.toes == {"left": 3, None: 1}
    # Severity: not rated is out of the histogram and the medians, in its own band slot.
    assert sum(data.severity) == 4 and data.severity[8] == 1 and data.severity[6] == 3
    assert [b[4] for b in data.over_time.buckets[:6]] == [0, 1, 0, 0, 0, 1]
    assert sum(b[3] for b in data.over_time.buckets) == 1  # NULL is not "severe"
    (march,) = data.monthly
    assert (march.count, march.not_rated, march.median_severity) == (6, 2, 6.0)
    assert sum(data.durations) == 6  # duration is always recorded


def test_unrated_months_by_month_granularity(store):
    add(store, datetime(2026, 1, 5, 9, tzinfo=tz(1)), severity=None)
    add(store, datetime(2026, 1, 6, 9, tzinfo=tz(1)), severity=None)
    add(store, datetime(2026, 2, 5, 9, tzinfo=tz(1)), severity=9)
    data = agg.patterns(store, Period(date(2024, 1, 1), date(2026, 2, 28)))
    assert data.over_time.granularity == "month"
    assert data.over_time.buckets[-2:] == [("2026-01-01", 0, 0, 0, 2), ("2026-02-01", 0, 0, 1, 0)]
    january, february = data.monthly
    assert january.count == 2 and january.not_rated == 2
    assert math.isnan(january.median_severity)  # none rated: no median, not a zero
    assert february.median_severity == 9.0 and february.not_rated == 0
    weekly = agg.patterns(store, Period(date(2025, 12, 1), date(2026, 2, 28)))
    assert weekly.over_time.granularity == "week"
    assert ("2026-01-05", 0, 0, 0, 2) in weekly.over_time.buckets


def test_a_diary_with_nothing_but_times(store):
    for day in range(1, 6):
        add(
            store,
            datetime(2026, 4, day, 3, tzinfo=tz(2)),
            side=None,
            site=(),
            severity=None,
            activity=None,
            hydration=None,
            footwear=None,
        )
    data = agg.patterns(store, Period())
    assert data.total == 5
    assert data.not_recorded == dict.fromkeys(OPTIONAL_FIELDS, 5)
    assert all(data.recorded(name) == 0 for name in OPTIONAL_FIELDS)
    assert sum(data.activity.values()) == sum(data.hydration.values()) == 0
    assert data.sites == {} and data.toes == {} and data.tight_recorded == 0


def test_monthly_medians(store):
    for day, severity, duration in ((1, 2, 30), (2, 4, 60), (3, 9, 90), (4, 4, 600)):
        add(store, datetime(2026, 4, day, 10, tzinfo=tz(2)), severity=severity, duration_s=duration)
    add(store, datetime(2026, 5, 1, 10, tzinfo=tz(2)), severity=8, duration_s=45)
    data = agg.patterns(store, Period())
    april, may = data.monthly
    assert (april.month, april.count, april.median_severity) == ("2026-04", 4, 4.0)
    assert april.median_duration_s == 75.0  # (60 + 90) / 2
    assert (may.month, may.count, may.median_severity, may.median_duration_s) == (
        "2026-05",
        1,
        8.0,
        45.0,
    )


def test_weighted_median():
    assert agg._weighted_median([(5, 1)]) == 5
    assert agg._weighted_median([(1, 2), (9, 1)]) == 1
    assert agg._weighted_median([(3, 1), (1, 1)]) == 2
    assert agg._weighted_median([(1, 5), (2, 5)]) == 1.5


def test_over_time_fills_empty_buckets_and_picks_granularity(store):
    add(store, datetime(2026, 6, 3, 10, tzinfo=tz(2)), severity=1)  # Wednesday
    add(store, datetime(2026, 6, 20, 10, tzinfo=tz(2)), severity=9)
    days = agg.patterns(store, Period(date(2026, 6, 1), date(2026, 6, 30)))
    assert days.over_time.granularity == "day"
    assert len(days.over_time.buckets) == 30
    assert days.over_time.buckets[2] == ("2026-06-03", 1, 0, 0, 0)
    assert days.over_time.buckets[19] == ("2026-06-20", 0, 0, 1, 0)
    assert sum(sum(b[1:]) for b in days.over_time.buckets) == 2
    weeks = agg.patterns(store, Period(date(2026, 5, 1), date(2026, 7, 31)))
    assert weeks.over_time.granularity == "week"
    starts = [b[0] for b in weeks.over_time.buckets]
    assert all(date.fromisoformat(s).weekday() == 0 for s in starts)  # Mondays
    assert ("2026-06-01", 1, 0, 0, 0) in weeks.over_time.buckets
    assert ("2026-06-15", 0, 0, 1, 0) in weeks.over_time.buckets
    months = agg.patterns(store, Period(date(2024, 1, 1), date(2026, 6, 30)))
    assert months.over_time.granularity == "month"
    assert len(months.over_time.buckets) == 30
    assert months.over_time.buckets[-1] == ("2026-06-01", 1, 0, 1, 0)
    everything = agg.patterns(store, Period())
    assert everything.first_date == "2026-06-03" and everything.last_date == "2026-06-20"
    assert everything.over_time.granularity == "day"
    assert len(everything.over_time.buckets) == 18


def test_empty_period(store):
    add(store, datetime(2026, 6, 3, 10, tzinfo=tz(2)))
    data = agg.patterns(store, Period(date(2020, 1, 1), date(2020, 1, 31)))
    assert data.total == 0
    assert data.over_time.buckets == []
    assert data.activity["in_bed"] == 0
    assert data.monthly == []


def test_trend_counts_the_window_and_the_one_before(store):
    today = date(2026, 11, 20)
    for back in (0, 5, 29):  # inside the last 30 days
        add(
            store,
            datetime.combine(today - timedelta(days=back), datetime.min.time(), tz(1)).replace(
                hour=9
            ),
        )
    add(store, datetime(2026, 10, 21, 22, tzinfo=tz(2)))  # 30 days back: the window before
    data = agg.patterns(store, Period.last_days(30, today), today=today)
    assert data.trend.days == 30
    assert data.trend.recent == Period(date(2026, 10, 22), today)
    assert data.trend.earlier == Period(date(2026, 9, 22), date(2026, 10, 21))
    assert (data.trend.recent_count, data.trend.earlier_count) == (3, 1)
    long = agg.patterns(store, Period.last_days(365, today), today=today)
    assert long.trend.days == 90 and long.trend.recent_count == 4


def test_period_helpers():
    p = Period.last_days(30, date(2026, 3, 30))
    assert p == Period(date(2026, 3, 1), date(2026, 3, 30)) and p.days == 30
    assert p.before() == Period(date(2026, 1, 30), date(2026, 2, 28))
    assert Period().days is None
    assert agg.granularity_for(62) == "day" and agg.granularity_for(63) == "week"
    assert agg.granularity_for(800) == "month"
