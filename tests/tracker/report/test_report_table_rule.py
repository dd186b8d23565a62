"""The summary's episode table lists a span a doctor can read (TABLE_RULE); the rest of the
period is summarised by month, with numbers checked here against the episodes themselves."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from statistics import median

import pytest

from tracker.diary import demo, vocab
from tracker.diary.periods import Period, months_back
from tracker.report.data import (
    TABLE_RULE,
    ReportRequest,
    build_report,
    iter_table_rows,
    start_text,
    table_span,
)
from tracker.store import report_queries

TODAY = date(2026, 3, 20)
YEAR = Period(TODAY - timedelta(days=364), TODAY)
ALL = Period(None, TODAY)


@pytest.fixture(scope="module")
def episodes():
    return list(demo.generate(1500, seed=7, until=TODAY))  # ~60 a month over two years


@pytest.fixture(scope="module")
def diary(episodes, tmp_path_factory):
    from tracker.store import Store

    store = Store.open(tmp_path_factory.mktemp("db") / "diary.sqlite")
    store.add_episodes(episodes)
    yield store
    store.close()


def local_day(e) -> date:
    return e.started_at.date()


def in_period(episodes, period: Period):
    return [
        e
        for e in episodes
        if (period.first is None or local_day(e) >= period.first) and local_day(e) <= period.last
    ]


def test_the_rule_is_one_documented_constant():
    assert TABLE_RULE.months in TABLE_RULE.month_choices
    assert TABLE_RULE.months == 3 and TABLE_RULE.most_episodes == 300
    assert "doctor" in (type(TABLE_RULE).__doc__ or "")


def test_table_lists_the_last_months_of_the_period(diary, episodes):
    span = table_span(diary, YEAR, 3, most=None)
    first = months_back(TODAY, 3) + timedelta(days=1)
    assert span.period == Period(first, TODAY) == Period(date(2025, 12, 21), TODAY)
    expected = sorted(in_period(episodes, span.period), key=lambda e: e.started_at)
    assert span.count == span.in_period == len(expected) > 100
    assert not span.whole and not span.limited
    rows = list(iter_table_rows(diary, span.period, since=span.since))
    assert [r[0] for r in rows] == [start_text(e) for e in expected]
    assert span.note() == (
        f"The table lists the last 3 months ({len(expected):,} cramps); "
        "the rest is summarised by month."
    )
    assert span.title() == f"Episodes of the last 3 months, oldest first ({len(expected):,})"
    one = table_span(diary, YEAR, 1, most=None)
    assert one.note().startswith("The table lists the last month (")


def test_a_short_period_is_listed_whole(diary, episodes):
    period = Period(date(2026, 3, 1), TODAY)
    span = table_span(diary, period, 3)
    assert span.whole and span.period == period
    n = len(in_period(episodes, period))
    assert span.note() == f"The table lists every episode of the period ({n:,} cramps)."
    assert span.title() == f"Every episode in the period, oldest first ({n:,})"


def test_at_most_the_latest_episodes_are_listed(diary, episodes):
    span = table_span(diary, ALL, 12, most=50)
    listed = sorted(in_period(episodes, span.period), key=lambda e: e.started_at)[-50:]
    assert span.count == 50 < span.in_period and span.limited and not span.whole
    assert span.since_date == local_day(listed[0])
    rows = list(iter_table_rows(diary, span.period, since=span.since))
    assert [r[0] for r in rows] == [start_text(e) for e in listed]
    assert span.note() == (
        f"The table lists the latest 50 cramps (since {span.since_date.day} "
        f"{span.since_date:%b %Y}), as many as a doctor can read; the rest is summarised by month."
    )
    assert span.title() == "The latest 50 episodes, oldest first"


def test_request_carries_the_chosen_months(diary):
    data = build_report(diary, ReportRequest(YEAR, TODAY, table_months=6))
    assert data.table is not None and data.table.months == 6
    assert data.table.period.first == months_back(TODAY, 6) + timedelta(days=1)
    assert data.table.count == min(TABLE_RULE.most_episodes, data.table.in_period)
    whole = build_report(diary, ReportRequest(YEAR, TODAY, table_months=None, table_most=None))
    assert whole.table is not None and whole.table.whole and whole.monthly == []


def _night_of(e) -> date:
    day = local_day(e)
    return day if e.started_at.hour >= vocab.NIGHT_START_HOUR else day - timedelta(days=1)


def _at_night(e) -> bool:
    hour = e.started_at.hour
    return hour >= vocab.NIGHT_START_HOUR or hour < vocab.NIGHT_END_HOUR


def test_by_month_numbers_match_the_episodes(diary, episodes):
    data = build_report(diary, ReportRequest(YEAR, TODAY))
    assert data.table is not None and not data.table.whole
    months = [row.month for row in data.monthly]
    assert months[0] == "2025-03" and months[-1] == "2026-03" and len(months) == 13
    chosen = in_period(episodes, YEAR)
    first_month = f"{YEAR.first:%Y-%m}"
    for row in data.monthly:
        of_month = [e for e in chosen if f"{local_day(e):%Y-%m}" == row.month]
        assert row.cramps == len(of_month), row.month
        nights = {
            _night_of(e)
            for e in chosen
            if _at_night(e) and max(f"{_night_of(e):%Y-%m}", first_month) == row.month
        }
        assert row.nights == len(nights), row.month
        assert row.median_duration_s == median(e.duration_s for e in of_month), row.month
        rated = [e.severity for e in of_month if e.severity is not None]
        assert row.median_severity == (median(rated) if rated else None), row.month
    assert sum(row.cramps for row in data.monthly) == data.total == len(chosen)
    assert sum(row.nights for row in data.monthly) == data.nights_affected
    assert data.monthly[0].label == "Mar 2025"


def test_months_without_cramps_are_listed_as_zero(store):
    from tests.factories import make_episode

    tz = datetime.now().astimezone().tzinfo
    for day in (date(2025, 10, 3), date(2026, 1, 5)):
        store.add_episode(make_episode(started_at=datetime(day.year, day.month, day.day, 3,
                                                           tzinfo=tz)))  # fmt: skip
    data = build_report(store, ReportRequest(ALL, TODAY, table_months=1))
    assert [(r.month, r.cramps, r.nights) for r in data.monthly] == [
        ("2025-10", 1, 1),
        ("2025-11", 0, 0),
        ("2025-12", 0, 0),
        ("2026-01", 1, 1),
        ("2026-02", 0, 0),
        ("2026-03", 0, 0),
    ]
    assert data.monthly[1].median_duration_s is None


@pytest.mark.parametrize("period", [YEAR, Period(date(2026, 1, 1), None)])
def test_table_queries_use_the_start_index(diary, period):
    plans = []
    real = diary.db.execute

    class Spy:
        def execute(self, sql, params=()):
            if sql.lstrip().upper().startswith("SELECT"):
                plan = real("EXPLAIN QUERY PLAN " + sql, params).fetchall()
                plans.append((sql, " ".join(row[3] for row in plan)))
            return real(sql, params)

    class Wrapped:
        db = Spy()

    found = report_queries.latest_start(Wrapped(), period, 10)  # type: ignore[arg-type]
    assert found is not None
    report_queries.monthly_nights(Wrapped(), period)  # type: ignore[arg-type]
    list(report_queries.iter_episodes(Wrapped(), period, since=found[:2]))  # type: ignore[arg-type]
    assert len(plans) == 3
    for sql, plan in plans:
        assert "USING INDEX episode_start_utc" in plan, (sql, plan)
