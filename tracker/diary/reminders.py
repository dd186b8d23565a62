"""When a reminder is due: the evening check-in and the morning "any cramps last night?".

Pure scheduling, no Qt and no clock of its own: the caller passes ``now`` (an aware datetime),
the configured times, when each reminder was last shown, and whether its check-in is already
answered. ui/shell/reminders.py runs it from timers and shows the notifications.

The rules:
- A reminder's *slot* is the latest time its clock time came round, in the local zone: on a
  daylight-saving day a time that does not exist (02:30 on the spring-forward night) comes
  round at the first moment after the gap, one that exists twice (autumn) at its first
  occurrence; either way once.
- A slot is due when the reminder is on, it was not shown since the slot, the check-in it
  asks for is not answered, and the slot is less than ``MISSED_GRACE`` old. So a reminder missed
  while the app was closed (or the computer slept) is shown once, when the app next runs,
  however many slots it missed; and not at all when the person already answered, or when it
  is so old that the next one is nearer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

EVENING = "evening"
MORNING = "morning"
KINDS = (EVENING, MORNING)
DEFAULT_TIMES = {EVENING: time(21, 0), MORNING: time(8, 0)}
# What each reminder asks, as the notification says it.
TITLES = {EVENING: "Daily check-in", MORNING: "Any cramps last night?"}
MESSAGES = {
    EVENING: "How was your day? The check-in takes a few seconds. Click to open it.",
    MORNING: "Did cramps wake you last night? Click to answer.",
}
# A missed slot older than this is skipped: the next one is then nearer than the missed one.
MISSED_GRACE = timedelta(hours=12)


@dataclass(frozen=True)
class Reminder:
    kind: str  # EVENING or MORNING
    at: time  # the local clock time
    enabled: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown reminder {self.kind!r}")


@dataclass(frozen=True)
class Due:
    kind: str
    slot: datetime  # when it came round (aware, local)

    @property
    def day(self) -> date:
        """The day the slot belongs to: the check-in's day (evening) or the morning after the
        night asked about (morning)."""
        return self.slot.date()


# answered(kind, slot day) -> True when that check-in is already done.
Answered = Callable[[str, date], bool]


def _never(kind: str, day: date) -> bool:
    return False


def occurrence(day: date, at: time, tz: tzinfo | None = None) -> datetime:
    """``at`` on ``day`` in zone ``tz`` (None: this computer's), as a real instant: a time in the
    spring-forward gap is moved past the gap, an ambiguous autumn time is its first occurrence."""
    naive = datetime.combine(day, at.replace(tzinfo=None, fold=0))
    if tz is None:
        return naive.astimezone()  # the system's rules (mktime) for this day
    # Through UTC and back: a time in the gap comes out after the gap (02:30 -> 03:30 CEST).
    return naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)


def latest_slot(at: time, now: datetime, tz: tzinfo | None = None) -> datetime:
    """The latest time ``at`` came round at or before ``now``."""
    local_day = now.astimezone(tz).date() if tz is not None else now.astimezone().date()
    for back in range(3):  # today, or yesterday (a gap may push today's past now), ...
        slot = occurrence(local_day - timedelta(days=back), at, tz)
        if slot <= now:
            return slot
    raise AssertionError("unreachable: a clock time comes round every day")


def next_slot(at: time, now: datetime, tz: tzinfo | None = None) -> datetime:
    """The first time ``at`` comes round after ``now``."""
    local_day = now.astimezone(tz).date() if tz is not None else now.astimezone().date()
    for ahead in range(3):
        slot = occurrence(local_day + timedelta(days=ahead), at, tz)
        if slot > now:
            return slot
    raise AssertionError("unreachable: a clock time comes round every day")


def due_now(
    reminders: Iterable[Reminder],
    now: datetime,
    last_shown: Mapping[str, datetime | None],
    answered: Answered = _never,
    tz: tzinfo | None = None,
) -> list[Due]:
    """The reminders to show now, the most recent slot first (usually none or one)."""
    due = []
    for reminder in reminders:
        if not reminder.enabled:
            continue
        slot = latest_slot(reminder.at, now, tz)
        shown = last_shown.get(reminder.kind)
        if shown is not None and shown >= slot:
            continue  # shown since it came round: never twice for one slot
        if now - slot > MISSED_GRACE:
            continue  # missed long ago: the next one is nearer
        if answered(reminder.kind, slot.date()):
            continue
        due.append(Due(reminder.kind, slot))
    return sorted(due, key=lambda d: d.slot, reverse=True)


def next_due_at(
    reminders: Iterable[Reminder], now: datetime, tz: tzinfo | None = None
) -> datetime | None:
    """When the next enabled reminder comes round after ``now``; None when all are off."""
    slots = [next_slot(r.at, now, tz) for r in reminders if r.enabled]
    return min(slots) if slots else None


def parse_time(text: object, default: time) -> time:
    """'21:00' as a time; anything unreadable gives ``default``."""
    if isinstance(text, str):
        try:
            value = time.fromisoformat(text.strip())
        except ValueError:
            return default
        return value.replace(second=0, microsecond=0, tzinfo=None)
    return default


def parse_instant(text: object) -> datetime | None:
    """A stored ISO instant (aware), or None for anything else."""
    if not isinstance(text, str) or not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo is not None else None
