"""Reminders as the app runs them: the timers, the notification, once per slot across a
restart, and a click on it opening the right check-in."""

from __future__ import annotations

import time as clock_time
from datetime import datetime, time, timedelta

import pytest
from PySide6.QtCore import QObject, QSettings

from tracker.diary.reminders import EVENING, MORNING, TITLES
from ui.shell import computer_preferences
from ui.shell.reminders import LONGEST_WAIT_MS, ReminderScheduler
from ui.shell.tray import Tray


@pytest.fixture
def settings(tmp_path, qapp):
    return QSettings(str(tmp_path / "reminders.ini"), QSettings.Format.IniFormat)


def prefs(evening: time | None = None, morning: time | None = None):
    made = computer_preferences.ComputerPreferences()
    if evening is not None:
        made = made.with_reminder(EVENING, evening, True)
    if morning is not None:
        made = made.with_reminder(MORNING, morning, True)
    return made


class Clock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def make(settings, clock, answered=None):
    parent = QObject()
    shown: list[str] = []
    scheduler = ReminderScheduler(
        parent, settings, lambda kind, title, text: shown.append(kind), answered, clock
    )
    scheduler.keep = parent  # the parent lives as long as the scheduler in the test
    return scheduler, shown


def test_off_by_default_no_timer_runs(settings):
    scheduler, shown = make(settings, Clock(datetime.now().astimezone()))
    scheduler.configure(computer_preferences.ComputerPreferences.read(settings))
    assert not scheduler.active and scheduler.next_at is None
    assert shown == []


def test_due_reminder_shown_once_and_not_again_after_a_restart(settings):
    clock = Clock(datetime(2026, 5, 4, 21, 5).astimezone())
    scheduler, shown = make(settings, clock)
    scheduler.configure(prefs(evening=time(21, 0)))
    assert shown == [EVENING] and scheduler.active
    assert scheduler.next_at == datetime(2026, 5, 5, 21, 0).astimezone()
    scheduler.check()
    assert shown == [EVENING]
    again, shown_again = make(settings, clock)  # the app restarted the same evening
    again.configure(prefs(evening=time(21, 0)))
    assert shown_again == []
    clock.now += timedelta(days=1)
    again.check()
    assert shown_again == [EVENING]


def test_answered_check_in_is_not_reminded(settings):
    clock = Clock(datetime(2026, 5, 4, 21, 5).astimezone())
    days = []

    def answered(kind, day):
        days.append((kind, day))
        return True

    scheduler, shown = make(settings, clock, answered)
    scheduler.configure(prefs(evening=time(21, 0)))
    assert shown == [] and days == [(EVENING, datetime(2026, 5, 4).date())]


def test_two_due_at_once_come_one_after_the_other(settings):
    clock = Clock(datetime(2026, 5, 5, 8, 30).astimezone())
    scheduler, shown = make(settings, clock)
    scheduler.configure(prefs(evening=time(21, 0), morning=time(8, 0)))
    assert shown == [MORNING]
    assert scheduler._single.interval() <= 10_000  # the evening a moment later
    scheduler.check()
    assert shown == [MORNING, EVENING]
    assert scheduler._single.interval() == LONGEST_WAIT_MS  # tomorrow: re-checked hourly


def test_the_timer_fires_at_the_time_and_re_arms(qtbot, settings):
    """A real wait: the clock stands 1.2 s before a reminder's minute and runs from there."""
    real = datetime.now().astimezone()
    minute = (real + timedelta(minutes=2)).replace(second=0, microsecond=0)
    started = clock_time.monotonic()

    def clock():
        return minute - timedelta(seconds=1.2) + timedelta(seconds=clock_time.monotonic() - started)

    scheduler, shown = make(settings, clock)
    scheduler.configure(prefs(evening=minute.time()))
    assert shown == []
    qtbot.waitUntil(lambda: shown == [EVENING], timeout=5000)
    assert scheduler.next_at is not None and scheduler.next_at > minute  # tomorrow's
    assert scheduler._single.isActive()  # re-armed for the next one
    scheduler.configure(computer_preferences.ComputerPreferences())
    assert not scheduler.active and not scheduler._single.isActive()


def test_notification_click_opens_that_check_in(qtbot, window):
    tray = window.tray = Tray(window, available=True)
    messages = []
    tray.icon.showMessage = lambda title, text, *rest: messages.append(title)
    clock = Clock(datetime(2026, 5, 5, 8, 1).astimezone())
    scheduler = ReminderScheduler(
        window,
        window.settings,
        lambda kind, title, text: tray.notify(title, text, kind),
        clock=clock,
    )
    scheduler.configure(prefs(morning=time(8, 0)))
    assert messages == [TITLES[MORNING]]
    with qtbot.waitSignal(window.checkin_requested) as signal:
        tray.icon.messageClicked.emit()
    assert signal.args == [MORNING]
    scheduler.configure(computer_preferences.ComputerPreferences())
