"""A cramp timer never loses a cramp: its start is kept in the diary's settings while it runs,
and a stopped, timed cramp stays there until it is logged or the person discards it. After a
crash, a closed window or a cancelled form the app offers to log it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from tracker.diary.episode import MAX_DURATION_S
from tracker.store import Store

RUNNING_KEY = "cramp_timer.started_at"
PENDING_KEY = "cramp_timer.pending"


class TimerState:
    """The timer's state as kept in the diary's settings (plain values, no Qt)."""

    def __init__(self, store_of: Callable[[], Store]):
        self._store_of = store_of

    @property
    def store(self) -> Store:
        return self._store_of()

    def mark_running(self, started_at: datetime) -> None:
        self.store.set_setting(RUNNING_KEY, started_at.isoformat())

    def mark_stopped(self, started_at: datetime, seconds: int) -> None:
        """Stopped but not yet logged: kept until the form saves it or it is discarded."""
        import json  # lazily: not needed before the first paint

        pending = json.dumps({"started_at": started_at.isoformat(), "seconds": seconds})
        self.store.set_settings({RUNNING_KEY: None, PENDING_KEY: pending})

    def clear(self) -> None:
        self.store.set_settings({RUNNING_KEY: None, PENDING_KEY: None})

    def running_since(self) -> datetime | None:
        return _parse_time(self.store.get_setting(RUNNING_KEY))

    def pending(self) -> tuple[datetime, int] | None:
        text = self.store.get_setting(PENDING_KEY)
        try:
            import json  # lazily: not needed before the first paint

            data = json.loads(text) if text else None
            started = _parse_time(data["started_at"]) if data else None
            seconds = int(data["seconds"]) if data else 0
        except (ValueError, KeyError, TypeError):
            return None
        if started is None:
            return None
        return started, max(1, min(seconds, MAX_DURATION_S))


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo is not None else None
