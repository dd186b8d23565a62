"""The calendar's share of PatternData: cramps per day, the diary's first day, the check-ins and
medicines, read afresh, kept by episode changes, and read again after a check-in write."""

from datetime import date, datetime, timedelta, timezone

from tests.factories import make_episode
from tracker.analysis import aggregates as agg
from tracker.analysis.aggregates import Period
from tracker.diary.checkin import CheckIn, Medicine

TODAY = date(2026, 6, 30)
TZ = timezone(timedelta(hours=2))


def add(store, day: date, hour: int = 9):
    return store.add_episode(
        make_episode(started_at=datetime(day.year, day.month, day.day, hour, tzinfo=TZ))
    )


def test_days_check_ins_and_medicines_of_a_period(store):
    for day in (date(2026, 6, 1), date(2026, 6, 1), date(2026, 6, 20), date(2025, 1, 5)):
        add(store, day)
    store.add_checkins(
        [
            CheckIn(day=date(2024, 12, 31), fluids="less"),
            CheckIn(day=date(2026, 6, 2), stretched="yes"),
        ],
        today=TODAY,
    )
    store.add_medicine(
        Medicine("Quinine", "medicine", date(2026, 5, 1), date(2026, 6, 10)), today=TODAY
    )
    for period in (Period(date(2026, 5, 1), TODAY), Period(date(2026, 4, 1), TODAY), Period()):
        data = agg.patterns(store, period, today=TODAY)  # a daily and a weekly over-time chart
        assert data.day_counts.get("2026-06-01") == 2 and data.day_counts.get("2026-06-20") == 1
        assert data.through == TODAY.isoformat() and data.diary_first_day == "2025-01-05"
        assert data.checkins.first_day == "2024-12-31"
        assert data.checkins.medicines == (
            agg.MedicineMark("Quinine", "medicine", "2026-05-01", "2026-06-10"),
        )
    assert agg.patterns(store, Period(date(2026, 5, 1), TODAY), today=TODAY).checkins.days == (
        "2026-06-02",
    )
    everything = agg.patterns(store, Period(), today=TODAY)
    assert everything.checkins.days == ("2024-12-31", "2026-06-02")
    assert agg.calendar_first(everything) == "2024-12-31"  # the diary began with a check-in
    assert sum(everything.day_counts.values()) == everything.total == 4


def test_a_check_in_write_is_read_again_for_every_kept_range(store):
    add(store, date(2026, 6, 1))
    kept = [
        agg.patterns(store, p, today=TODAY) for p in (Period(date(2026, 6, 1), TODAY), Period())
    ]
    store.save_checkin(CheckIn(day=date(2026, 6, 3), fluids="usual"), today=TODAY)
    store.add_medicine(Medicine("Magnesium", "supplement", date(2026, 6, 5)), today=TODAY)
    updated = agg.with_checkins(store, kept)
    for old, new in zip(kept, updated, strict=True):
        fresh = agg.patterns(store, old.period, today=TODAY)
        assert new == fresh and new.checkins != old.checkins
        assert new.day_counts is old.day_counts  # the episode counts are kept as they are
    assert agg.with_checkins(store, updated) == updated  # nothing new: the same data


def test_an_episode_before_the_diary_began_moves_its_first_day(store):
    add(store, date(2026, 6, 1))
    period = Period(date(2026, 5, 1), TODAY)
    data = agg.patterns(store, period, today=TODAY)
    assert agg.calendar_first(data) == "2026-06-01"
    revision = store.revision
    add(store, date(2026, 3, 1))  # outside the period: only the blank days change
    new = agg.apply_changes(store, data, store.changes_since(revision))
    assert new is not None and new.diary_first_day == "2026-03-01"
    assert agg.calendar_first(new) == "2026-05-01"
    assert new == agg.patterns(store, period, today=TODAY)
