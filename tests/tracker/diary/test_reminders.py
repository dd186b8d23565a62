"""Reminder scheduling with a fake clock: due once per slot, missed ones once, DST days."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tracker.diary.reminders import (
    EVENING,
    MISSED_GRACE,
    MORNING,
    Reminder,
    due_now,
    latest_slot,
    next_due_at,
    next_slot,
    occurrence,
    parse_instant,
    parse_time,
)

BERLIN = ZoneInfo("Europe/Berlin")
EVENING_21 = Reminder(EVENING, time(21, 0), enabled=True)
MORNING_8 = Reminder(MORNING, time(8, 0), enabled=True)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN)


class FakeClock:
    """Time moved by the test; the reminders' 'last shown' kept as the scheduler would."""

    def __init__(self, start: datetime):
        self.now = start
        self.shown: dict[str, datetime | None] = {}
        self.answered: set[tuple[str, date]] = set()
        self.log: list[tuple[str, datetime]] = []

    def check(self, reminders) -> list[str]:
        due = due_now(
            reminders, self.now, self.shown, lambda k, d: (k, d) in self.answered, tz=BERLIN
        )
        for item in due:
            self.shown[item.kind] = self.now
            self.log.append((item.kind, item.slot))
        return [item.kind for item in due]

    def advance(self, **delta) -> None:
        self.now = (self.now + timedelta(**delta)).astimezone(BERLIN)


def test_off_reminders_are_never_due_and_have_no_next_time():
    off = Reminder(EVENING, time(21, 0))
    now = at(date(2026, 5, 4), 22)
    assert due_now([off], now, {}, tz=BERLIN) == []
    assert next_due_at([off], now, tz=BERLIN) is None


def test_due_once_when_the_time_comes_round_then_not_again_until_the_next_day():
    clock = FakeClock(at(date(2026, 5, 4), 20, 59))
    assert clock.check([EVENING_21]) == []
    clock.advance(minutes=1)
    assert clock.check([EVENING_21]) == [EVENING]
    for _ in range(60 * 23 + 59):  # every minute until just before the next evening
        clock.advance(minutes=1)
        assert clock.check([EVENING_21]) == []
    clock.advance(minutes=1)
    assert clock.check([EVENING_21]) == [EVENING]
    assert [slot for _, slot in clock.log] == [at(date(2026, 5, 4), 21), at(date(2026, 5, 5), 21)]


def test_missed_while_closed_is_shown_once_not_once_per_missed_day():
    clock = FakeClock(at(date(2026, 5, 4), 21, 0))
    assert clock.check([EVENING_21]) == [EVENING]
    clock.advance(days=3, hours=1)  # the app was closed (or the PC slept) for three evenings
    assert clock.check([EVENING_21]) == [EVENING]
    assert clock.check([EVENING_21]) == []
    clock.advance(minutes=30)
    assert clock.check([EVENING_21]) == []
    assert len(clock.log) == 2


def test_missed_slot_older_than_the_grace_is_skipped():
    start = at(date(2026, 5, 4), 21) + MISSED_GRACE + timedelta(minutes=1)
    assert due_now([EVENING_21], start, {}, tz=BERLIN) == []
    just_in = at(date(2026, 5, 4), 21) + MISSED_GRACE - timedelta(minutes=1)
    assert [d.kind for d in due_now([EVENING_21], just_in, {}, tz=BERLIN)] == [EVENING]


def test_not_shown_when_the_check_in_was_already_answered():
    clock = FakeClock(at(date(2026, 5, 4), 21, 5))
    clock.answered.add((EVENING, date(2026, 5, 4)))
    assert clock.check([EVENING_21]) == []
    clock.advance(days=1)  # the next evening is not answered yet
    assert clock.check([EVENING_21]) == [EVENING]


def test_morning_and_evening_due_together_most_recent_first():
    now = at(date(2026, 5, 5), 8, 30)
    due = due_now([EVENING_21, MORNING_8], now, {}, tz=BERLIN)
    assert [d.kind for d in due] == [MORNING, EVENING]
    assert due[0].day == date(2026, 5, 5) and due[1].day == date(2026, 5, 4)


def test_next_due_is_the_nearest_enabled_one():
    now = at(date(2026, 5, 4), 12)
    assert next_due_at([EVENING_21, MORNING_8], now, tz=BERLIN) == at(date(2026, 5, 4), 21)
    assert next_due_at([MORNING_8], now, tz=BERLIN) == at(date(2026, 5, 5), 8)
    exactly = at(date(2026, 5, 4), 21)
    assert next_slot(time(21), exactly, tz=BERLIN) == at(date(2026, 5, 5), 21)
    assert latest_slot(time(21), exactly, tz=BERLIN) == exactly


SPRING = date(2026, 3, 29)  # Berlin: 02:00 CET -> 03:00 CEST
AUTUMN = date(2026, 10, 25)  # Berlin: 03:00 CEST -> 02:00 CET


def test_a_time_in_the_spring_gap_comes_round_once_just_after_the_gap():
    slot = occurrence(SPRING, time(2, 30), BERLIN)
    assert slot.utcoffset() == timedelta(hours=2)
    assert slot.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    reminder = Reminder(MORNING, time(2, 30), enabled=True)
    clock = FakeClock(at(SPRING, 1, 0))
    shown = []
    for _ in range(24 * 60 // 5):  # every 5 minutes for a day
        shown += clock.check([reminder])
        clock.advance(minutes=5)
    assert shown == [MORNING]


def test_an_ambiguous_autumn_time_comes_round_once():
    reminder = Reminder(MORNING, time(2, 30), enabled=True)
    clock = FakeClock(at(AUTUMN, 0, 0))
    shown = []
    for _ in range(25 * 60 // 5):  # the day has 25 hours
        shown += clock.check([reminder])
        clock.advance(minutes=5)
    assert shown == [MORNING]
    assert clock.log[0][1].utcoffset() == timedelta(hours=2)  # the first 02:30 (CEST)


def test_evening_on_dst_days_is_at_21_local_and_a_day_apart_in_wall_clock():
    for day in (SPRING, AUTUMN):
        slot = next_slot(time(21), at(day, 12), tz=BERLIN)
        assert (slot.hour, slot.minute, slot.date()) == (21, 0, day)
    spring_gap = next_slot(time(21), at(SPRING, 21), tz=BERLIN) - at(SPRING, 21)
    assert spring_gap == timedelta(hours=24)  # both CEST: the short day was before 21:00


def test_system_zone_when_none_is_given():
    now = datetime.now().astimezone()
    slot = latest_slot(time(0, 0), now)
    assert slot <= now and now - slot <= timedelta(hours=25)
    assert (slot.hour, slot.minute) == (0, 0)


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown reminder"):
        Reminder("noon", time(12))


def test_parsing_stored_values():
    assert parse_time("07:45", time(8)) == time(7, 45)
    assert parse_time("nonsense", time(8)) == time(8)
    assert parse_time(None, time(8)) == time(8)
    assert parse_instant("2026-05-04T21:00:00+02:00") == at(date(2026, 5, 4), 21)
    assert parse_instant("2026-05-04T21:00:00") is None  # no zone: not trusted
    assert parse_instant("") is None and parse_instant(3) is None
