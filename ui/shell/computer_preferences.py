"""This computer's preferences, kept in QSettings: the tray icon, closing to the tray, and the
reminders (on or off and their times, and when each was last shown). Loaded after the first
paint, with the tray (ui/shell/main_window.py finish_setup)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import time

from PySide6.QtCore import QSettings

from tracker.diary import reminders

TRAY_KEY = "tray/show"
CLOSE_TO_TRAY_KEY = "tray/close_to_tray"
CLOSE_NOTICE_KEY = "tray/close_notice_shown"


def reminder_keys(kind: str) -> tuple[str, str, str]:
    """QSettings keys of one reminder: on, time, last shown."""
    return f"reminders/{kind}_enabled", f"reminders/{kind}_time", f"reminders/{kind}_last_shown"


def flag(settings: QSettings, key: str, default: bool = False) -> bool:
    value = settings.value(key, default)
    if isinstance(value, str):
        return value.lower() in ("true", "1", "yes")
    return bool(value)


@dataclass(frozen=True)
class ComputerPreferences:
    show_tray: bool = False
    close_to_tray: bool = True
    evening: reminders.Reminder = reminders.Reminder(
        reminders.EVENING, reminders.DEFAULT_TIMES[reminders.EVENING]
    )
    morning: reminders.Reminder = reminders.Reminder(
        reminders.MORNING, reminders.DEFAULT_TIMES[reminders.MORNING]
    )

    @property
    def reminders(self) -> tuple[reminders.Reminder, reminders.Reminder]:
        return (self.evening, self.morning)

    @property
    def any_reminder(self) -> bool:
        return self.evening.enabled or self.morning.enabled

    @classmethod
    def read(cls, settings: QSettings) -> ComputerPreferences:
        def reminder(kind: str) -> reminders.Reminder:
            on, at, _ = reminder_keys(kind)
            when = reminders.parse_time(settings.value(at), reminders.DEFAULT_TIMES[kind])
            return reminders.Reminder(kind, when, flag(settings, on))

        return cls(
            show_tray=flag(settings, TRAY_KEY),
            close_to_tray=flag(settings, CLOSE_TO_TRAY_KEY, True),
            evening=reminder(reminders.EVENING),
            morning=reminder(reminders.MORNING),
        )

    def write(self, settings: QSettings) -> None:
        settings.setValue(TRAY_KEY, self.show_tray)
        settings.setValue(CLOSE_TO_TRAY_KEY, self.close_to_tray)
        for item in self.reminders:
            on, at, _ = reminder_keys(item.kind)
            settings.setValue(on, item.enabled)
            settings.setValue(at, item.at.isoformat("minutes"))
        settings.sync()

    def with_reminder(self, kind: str, at: time, enabled: bool) -> ComputerPreferences:
        item = reminders.Reminder(kind, at, enabled)
        if kind == reminders.EVENING:
            return replace(self, evening=item)
        return replace(self, morning=item)
