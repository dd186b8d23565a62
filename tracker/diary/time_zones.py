"""A stored start time next to the machine's time zone.

An episode keeps the wall-clock time and UTC offset of the place it was logged
(``2026-03-10T00:30:00+01:00``). After the person travels, or the machine's zone is changed, the
machine's zone may give the same instant another offset (Los Angeles: 16:30 the day before).
The app then shows the episode's own offset next to its own wall-clock time, so neither the
history nor the edit form silently shows or saves a different clock time.

"Differs" is judged for the episode's own instant, not for today: a winter episode (+01:00)
seen in Berlin in summer (+02:00) was logged in this zone, so it gets no note.
"""

from __future__ import annotations

from datetime import datetime, timedelta

MINUS = "\u2212"  # typographic minus: "UTC−07:00" reads clearly next to a hyphenated date


def offset_text(value: datetime) -> str:
    """'UTC+01:00', 'UTC−07:00', 'UTC+05:45' for an aware datetime."""
    offset = value.utcoffset() or timedelta(0)
    sign = "+" if offset >= timedelta(0) else MINUS
    minutes = abs(int(offset.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def on_this_machine(value: datetime) -> datetime:
    """The same instant on the machine's clock (its zone's offset for that instant)."""
    return value.astimezone()


def logged_in_other_zone(value: datetime) -> bool:
    """True when the machine's zone gives ``value``'s instant a different UTC offset."""
    if value.tzinfo is None:
        return False
    return value.utcoffset() != on_this_machine(value).utcoffset()
