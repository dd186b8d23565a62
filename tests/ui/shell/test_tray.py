"""The tray icon's menu, the timer's state in it, close to tray and Quit. The offscreen platform
has no tray: these tests build the tray as on a desktop that has one (``available=True``)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QSystemTrayIcon

from ui.shell import computer_preferences
from ui.shell.tray import CLOSE_NOTICE, Tray

ON = computer_preferences.ComputerPreferences(show_tray=True)


@pytest.fixture(autouse=True)
def quit_on_last_window_closed():
    yield
    QApplication.setQuitOnLastWindowClosed(True)


@pytest.fixture
def tray(window):
    made = window.tray = Tray(window, available=True)
    notices: list[tuple[str, str, str | None]] = []
    made.notify = lambda title, text, kind=None: notices.append((title, text, kind))
    made.notices = notices
    return made


def texts(tray: Tray) -> list[str]:
    return [action.text() for action in tray.menu.actions()]


def test_menu_offers_log_timer_checkin_show_and_quit(tray):
    assert texts(tray) == [
        "&Log a cramp…",
        "Start cramp &timer",
        "Daily &check-in…",
        "",
        "&Show Cramp Tracker",
        "&Quit",
    ]
    assert tray.icon.contextMenu() is tray.menu
    assert not tray.icon.icon().isNull()


def test_daily_check_in_emits_evening_and_shows_the_window(qtbot, window, tray):
    window.hide()
    with qtbot.waitSignal(window.checkin_requested) as signal:
        tray.checkin_action.trigger()
    assert signal.args == ["evening"]
    assert window.isVisible()


def test_clicking_a_reminder_opens_its_check_in(qtbot, window):
    tray = window.tray = Tray(window, available=True)
    for kind in ("morning", "evening"):
        tray.notify("title", "text", kind)
        with qtbot.waitSignal(window.checkin_requested) as signal:
            tray.icon.messageClicked.emit()
        assert signal.args == [kind]
    with qtbot.assertNotEmitted(window.checkin_requested):
        tray.icon.messageClicked.emit()  # clicked again: it was about nothing any more


def test_clicking_the_icon_shows_the_window(window, tray):
    window.hide()
    tray.icon.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
    assert window.isVisible()
    window.hide()
    tray.icon.activated.emit(QSystemTrayIcon.ActivationReason.Context)  # the menu, not the window
    assert not window.isVisible()
    tray.show_action.trigger()
    assert window.isVisible()


def test_log_a_cramp_opens_the_log_form(qtbot, window, tray):
    window.hide()
    tray.log_action.trigger()
    qtbot.waitUntil(lambda: window.log_dialog is not None and window.log_dialog.isVisible())
    assert window.isVisible()
    window.log_dialog.reject()


def test_timer_state_and_elapsed_time_show_in_the_menu_and_tooltip(
    qtbot, window, tray, monkeypatch
):
    now = [1000.0]
    monkeypatch.setattr(window.timer, "_clock", lambda: now[0])
    tray.update_visibility(ON)
    tray.timer_action.trigger()
    assert window.timer.running
    now[0] += 65
    qtbot.waitUntil(lambda: "1:05" in tray.timer_action.text(), timeout=3000)  # ticks by itself
    assert tray.timer_action.text().startswith("S&top cramp timer")
    assert tray.icon.toolTip() == "Cramp Tracker: cramp timer running, 1:05"
    window.hide()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    tray.timer_action.trigger()  # stop: the log form opens with the time, over the window
    assert not window.timer.running
    assert window.isVisible()
    dialog = window.log_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.form.duration_s() == 65
    assert tray.timer_action.text() == "Start cramp &timer"
    assert tray.icon.toolTip() == "Cramp Tracker"
    dialog.reject()


def test_icon_follows_the_preferences_and_keeps_the_app_alive_while_shown(window, tray):
    assert not tray.shown
    tray.update_visibility(ON)
    assert tray.shown and not QApplication.quitOnLastWindowClosed()
    reminder_only = computer_preferences.ComputerPreferences().with_reminder(
        "evening", computer_preferences.reminders.DEFAULT_TIMES["evening"], True
    )
    tray.update_visibility(reminder_only)
    assert tray.shown  # reminders are the icon's notifications
    tray.update_visibility(computer_preferences.ComputerPreferences())
    assert not tray.shown and QApplication.quitOnLastWindowClosed()


def test_without_a_tray_the_icon_never_shows_and_closing_quits(qtbot, window):
    tray = window.tray = Tray(window, available=False)
    tray.update_visibility(ON)
    assert not tray.shown
    assert not tray.force()  # --tray on a desktop without one: the window must show
    with qtbot.waitSignal(window.closing):
        assert window.close()


def test_closing_hides_to_the_tray_says_so_once_and_quit_really_quits(qtbot, window, tray):
    tray.update_visibility(ON)
    with qtbot.assertNotEmitted(window.closing):
        assert not window.close()
    assert not window.isVisible()
    assert tray.notices == [("Cramp Tracker is still running", CLOSE_NOTICE, None)]
    assert computer_preferences.flag(window.settings, computer_preferences.CLOSE_NOTICE_KEY)
    tray.show_window()
    assert not window.close()
    assert len(tray.notices) == 1  # once, remembered in QSettings
    with qtbot.waitSignal(window.closing):
        tray.quit_action.trigger()
    assert not tray.shown
    assert QApplication.quitOnLastWindowClosed()


def test_close_to_tray_off_closes(qtbot, window, tray):
    tray.update_visibility(ON)
    computer_preferences.ComputerPreferences(show_tray=True, close_to_tray=False).write(
        window.settings
    )
    with qtbot.waitSignal(window.closing):
        assert window.close()


def test_quit_with_the_timer_running_asks_first_and_no_keeps_running(
    qtbot, window, tray, monkeypatch
):
    tray.update_visibility(ON)
    window.timer.start()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    with qtbot.assertNotEmitted(window.closing):
        assert not window.quit_app()
    assert tray.shown and window.timer.running
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(window.closing):
        assert window.quit_app()


def test_file_quit_closes_even_with_close_to_tray(qtbot, window, tray):
    tray.update_visibility(ON)
    with qtbot.waitSignal(window.closing):
        window.quit_action.trigger()
    assert not window.isVisible()


def test_an_icon_left_off_leaves_quitting_as_it_was(window):
    QApplication.setQuitOnLastWindowClosed(False)  # as a journey's driver sets it
    tray = Tray(window, available=True)
    tray.update_visibility(computer_preferences.ComputerPreferences())
    assert not QApplication.quitOnLastWindowClosed()
