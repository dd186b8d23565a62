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


def _at(day: datetime, hour: int) -> datetime:
    """``day``'s date at ``hour``:00 local time, with the offset in force then (DST-safe)."""
    naive = datetime.combine(day.date(), time(hour))
    return naive.astimezone()  # the machine's zone decides the offset for that wall-clock time


def last_night_choices(now: datetime) -> list[datetime]:
    """Whole hours of the night before ``now`` (21:00 yesterday to 06:00 today), none in the
    future: at 02:30 the choices stop at 02:00."""
    yesterday = now - timedelta(days=1)
    hours = [_at(yesterday, h) for h in NIGHT_EVENING_HOURS]
    hours += [_at(now, h) for h in NIGHT_MORNING_HOURS]
    return [h for h in hours if h <= now]


def this_morning(now: datetime) -> datetime:
    """08:00 today, or the start of the current hour when it is earlier than that."""
    return _at(now, min(MORNING_HOUR, now.hour))


def yesterday_evening(now: datetime) -> datetime:
    return _at(now - timedelta(days=1), EVENING_HOUR)
