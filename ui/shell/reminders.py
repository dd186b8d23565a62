"""Reminders at chosen times (Edit > Preferences > Reminders), shown as desktop notifications
from the tray icon; clicking one opens its check-in (MainWindow.checkin_requested).

tracker/diary/reminders.py decides what is due; this runs it: a single-shot timer to the next
due time, re-armed after each check, and a coarse minute timer, because Qt's timers follow a
clock that stops while the computer sleeps (after waking, a reminder comes within a minute).
When each reminder was last shown is kept in QSettings, so one missed while the app was closed
is shown once when it next runs, never again for the same slot. Off by default: with every
reminder off no timer runs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from tracker.diary import reminders
from ui.shell import computer_preferences

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings

COARSE_MS = 60_000
LONGEST_WAIT_MS = 3_600_000  # re-check at least hourly (clock changes, zone changes)
LATE_MS = 500  # fire just after the slot, never just before it


def _now() -> datetime:
    return datetime.now().astimezone()


class ReminderScheduler(QObject):
    """``notify(kind, title, message)`` shows one reminder; ``answered(kind, day)`` says
    whether its check-in is already done (then it is not shown)."""

    def __init__(
        self,
        parent: QObject,
        settings: QSettings,
        notify: Callable[[str, str, str], None],
        answered: Callable[[str, date], bool] | None = None,
        clock: Callable[[], datetime] = _now,
        tz: tzinfo | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self._notify = notify
        self.answered = answered or (lambda kind, day: False)
        self._clock = clock
        self._tz = tz
        self._reminders: tuple[reminders.Reminder, ...] = ()
        self.next_at: datetime | None = None  # when the single-shot timer fires next
        self._single = QTimer(self)
        self._single.setSingleShot(True)
        self._single.timeout.connect(self.check)
        self._coarse = QTimer(self)
        self._coarse.setInterval(COARSE_MS)
        self._coarse.timeout.connect(self.check)

    @property
    def active(self) -> bool:
        return self._coarse.isActive()

    def configure(self, prefs: computer_preferences.ComputerPreferences) -> None:
        """Follow the preferences: check now and arm the timers, or stop them all."""
        self._reminders = prefs.reminders
        if prefs.any_reminder:
            self._coarse.start()
            self.check()
        else:
            self._coarse.stop()
            self._single.stop()
            self.next_at = None

    def last_shown(self, kind: str) -> datetime | None:
        return reminders.parse_instant(
            self.settings.value(computer_preferences.reminder_keys(kind)[2])
        )

    def check(self) -> list[str]:
        """Show what is due (the most recent first, one per check), then arm the timer."""
        now = self._clock()
        shown = {kind: self.last_shown(kind) for kind in reminders.KINDS}
        due = reminders.due_now(self._reminders, now, shown, self.answered, self._tz)
        done = []
        if due:
            kind = due[0].kind
            self.settings.setValue(computer_preferences.reminder_keys(kind)[2], now.isoformat())
            self.settings.sync()
            self._notify(kind, reminders.TITLES[kind], reminders.MESSAGES[kind])
            done.append(kind)
        self._arm(now, more_due=len(due) > 1)
        return done

    def _arm(self, now: datetime, more_due: bool) -> None:
        self.next_at = reminders.next_due_at(self._reminders, now, self._tz)
        if self.next_at is None:
            self._single.stop()
            return
        wait = (self.next_at - now).total_seconds() * 1000 + LATE_MS
        if more_due:  # the other one a moment later, not on top of the first
            wait = min(wait, 10_000)
        self._single.start(int(max(LATE_MS, min(wait, LONGEST_WAIT_MS))))
