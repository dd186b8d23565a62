"""Quick past times: never in the future, on the local wall clock, across midnight and DST."""

from datetime import datetime

from tests.time_zone import machine_zone
from tracker.diary.quick_times import last_night_choices, this_morning, yesterday_evening


def _local(*args) -> datetime:
    return datetime(*args).astimezone()


def test_last_night_is_yesterday_evening_to_this_morning():
    now = _local(2026, 3, 10, 9, 15)
    choices = last_night_choices(now)
    assert [c.strftime("%d %H") for c in choices] == [
        "09 21", "09 22", "09 23", "10 00", "10 01", "10 02", "10 03", "10 04", "10 05", "10 06",
    ]  # fmt: skip
    assert all(c.tzinfo is not None for c in choices)


def test_last_night_in_the_middle_of_the_night_offers_no_future_hour():
    now = _local(2026, 3, 10, 2, 30)
    choices = last_night_choices(now)
    assert choices[-1] == _local(2026, 3, 10, 2, 0)
    assert all(c <= now for c in choices)


def test_this_morning_and_yesterday_evening():
    assert this_morning(_local(2026, 3, 10, 14, 0)) == _local(2026, 3, 10, 8, 0)
    assert this_morning(_local(2026, 3, 10, 6, 40)) == _local(2026, 3, 10, 6, 0)
    assert yesterday_evening(_local(2026, 3, 1, 0, 10)) == _local(2026, 2, 28, 20, 0)


def test_last_night_skips_the_hour_summer_time_skips():
    """Berlin, 29 Mar 2026: clocks go from 02:00 to 03:00. No "Around 01:00" twice, no 02:00."""
    with machine_zone("Europe/Berlin"):
        now = datetime(2026, 3, 29, 9, 15).astimezone()
        choices = last_night_choices(now)
        assert [c.strftime("%d %H %z") for c in choices] == [
            "28 21 +0100", "28 22 +0100", "28 23 +0100", "29 00 +0100", "29 01 +0100",
            "29 03 +0200", "29 04 +0200", "29 05 +0200", "29 06 +0200",
        ]  # fmt: skip
        assert choices == sorted(set(choices))
        # Each offset is the one in force at that moment, so the menu's hour is the clock's.
        assert all(c.astimezone().isoformat() == c.isoformat() for c in choices)


def test_last_night_in_the_hour_after_the_gap():
    with machine_zone("Europe/Berlin"):
        now = datetime(2026, 3, 29, 3, 20).astimezone()
        assert now.utcoffset().total_seconds() == 7200
        choices = last_night_choices(now)
        assert [c.strftime("%H:%M") for c in choices][-3:] == ["00:00", "01:00", "03:00"]
        assert all(c <= now for c in choices)
        assert this_morning(now).isoformat() == "2026-03-29T03:00:00+02:00"


def test_last_night_when_an_hour_happens_twice():
    """Berlin, 25 Oct 2026: 02:00-03:00 happens twice; offered once, the first time."""
    with machine_zone("Europe/Berlin"):
        now = datetime(2026, 10, 25, 7, 0).astimezone()
        choices = last_night_choices(now)
        hours = [c.strftime("%H") for c in choices]
        assert hours == ["21", "22", "23", "00", "01", "02", "03", "04", "05", "06"]
        assert choices[5].isoformat() == "2026-10-25T02:00:00+02:00"
        assert choices == sorted(choices)
