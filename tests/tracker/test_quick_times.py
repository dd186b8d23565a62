"""Quick past times: never in the future, on the local wall clock, across midnight."""

from datetime import datetime

from tracker.quick_times import last_night_choices, this_morning, yesterday_evening


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
