"""Rough past start times for the log form: "This morning", "Yesterday evening", "Last night".

A cramp that woke someone at night is often logged the next morning, when only the rough hour
is known. These helpers give such times on the local wall clock, never in the future; the form
marks them as approximate.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

NIGHT_EVENING_HOURS = (21, 22, 23)
NIGHT_MORNING_HOURS = (0, 1, 2, 3, 4, 5, 6)
MORNING_HOUR = 8
EVENING_HOUR = 20


def _wall_clock(day: datetime, hour: int) -> datetime | None:
    """``day``'s date at ``hour``:00 on the machine's clock, with the offset in force then;
    None for an hour the clocks skipped (02:00 when summer time starts at 02:00)."""
    naive = datetime.combine(day.date(), time(hour))
    value = naive.astimezone()  # the machine's zone decides the offset for that wall-clock time
    # In a skipped hour Python answers with another wall-clock time (01:00 for 02:00 in Berlin
    # on 29 Mar 2026), which would offer "Around 01:00" twice.
    return value if value.replace(tzinfo=None) == naive else None


def _at(day: datetime, hour: int) -> datetime:
    """Like _wall_clock, but a skipped hour becomes the first time after the gap."""
    value = _wall_clock(day, hour)
    if value is None:
        value = datetime.combine(day.date(), time(hour)).replace(fold=1).astimezone()
    return value


def last_night_choices(now: datetime) -> list[datetime]:
    """Whole hours of the night before ``now`` (21:00 yesterday to 06:00 today), none in the
    future: at 02:30 the choices stop at 02:00. An hour skipped by a change to summer time is
    left out; an hour that happens twice (autumn) is offered once, the first time."""
    yesterday = now - timedelta(days=1)
    hours = [_wall_clock(yesterday, h) for h in NIGHT_EVENING_HOURS]
    hours += [_wall_clock(now, h) for h in NIGHT_MORNING_HOURS]
    return [h for h in hours if h is not None and h <= now]


def this_morning(now: datetime) -> datetime:
    """08:00 today, or the start of the current hour when it is earlier than that."""
    return _at(now, min(MORNING_HOUR, now.hour))


def yesterday_evening(now: datetime) -> datetime:
    return _at(now - timedelta(days=1), EVENING_HOUR)
