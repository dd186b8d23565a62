"""Journey: with the tray icon on, log cramps from its menu (twice), time one from it, close
the window to the tray (told once), open the check-in from it, and quit from it.

The offscreen platform has no system tray: the tray is told it has one, and its menu is popped
up where the desktop would show it; everything after that is real key presses."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from tests.journeys.driver import Journey, WaitUntil
from tests.journeys.person import focused_in, key
from ui.shell import computer_preferences


def test_tray_menu_logs_times_checks_in_hides_and_quits(sessions):
    session = sessions()
    window = session.open()
    store = session.store
    journey = Journey()
    asked: list[str] = []
    closings: list[bool] = []
    messages: list[str] = []
    window.checkin_requested.connect(asked.append)
    window.closing.connect(lambda: closings.append(True))

    journey.add("pages built", lambda: WaitUntil(lambda: window.tray is not None, "the tray"))

    def turn_tray_on():
        window.tray.available = True  # as on a desktop with a tray
        # ... whose notification service takes the messages (offscreen, Qt would draw its own
        # balloon: a window no window manager here would ever let go of)
        window.tray.icon.showMessage = lambda title, text, *rest: messages.append(title)
        computer_preferences.ComputerPreferences(show_tray=True).write(window.settings)
        window.apply_computer_preferences()
        assert window.tray.shown

    journey.add("tray on (Preferences)", turn_tray_on)

    def open_tray_menu():
        window.tray.menu.popup(QPoint(200, 10))
        return WaitUntil(lambda: QApplication.activePopupWidget() is window.tray.menu, "menu")

    def choose(mnemonic):
        """With no window on screen nothing else takes the keys: the menu pops up and the
        person presses the key at once (the driver would try to activate the popup)."""
        window.tray.menu.popup(QPoint(200, 10))
        assert QApplication.activePopupWidget() is window.tray.menu
        key(window.tray.menu, mnemonic)

    def dialog_open():
        return WaitUntil(
            lambda: window.log_dialog is not None and window.log_dialog.isVisible(), "log form"
        )

    def save_with_enter(count):
        def save():
            key(focused_in(window.log_dialog), Qt.Key.Key_Return)
            return WaitUntil(lambda: store.count_episodes() == count, f"{count} episodes")

        return save

    for count in (1, 2):
        journey.add(f"{count}: tray menu", open_tray_menu)
        journey.add(f"{count}: L (Log a cramp)", lambda: key(window.tray.menu, Qt.Key.Key_L))
        journey.add(f"{count}: the log form", dialog_open)
        journey.add(f"{count}: Enter", save_with_enter(count))
        journey.add(
            f"{count}: form closed",
            lambda: WaitUntil(lambda: not window.log_dialog, "the form to close"),
        )

    journey.add("tray menu (timer)", open_tray_menu)
    journey.add("T: start the timer", lambda: key(window.tray.menu, Qt.Key.Key_T) or 1200)

    def timer_shows_running():
        assert window.timer.running
        return open_tray_menu()

    journey.add("tray menu says the timer runs", timer_shows_running)

    def stop_timer():
        assert window.tray.timer_action.text().startswith("S&top cramp timer (0:0")
        key(window.tray.menu, Qt.Key.Key_T)

    journey.add("T: stop the timer", stop_timer)
    journey.add("the timed form", dialog_open)

    def timed_duration_and_save():
        assert window.log_dialog.form.duration_s() >= 1
        return save_with_enter(3)()

    journey.add("Enter (timed)", timed_duration_and_save)

    for round_ in (1, 2):

        def close_to_tray(round_=round_):
            window.close()
            assert not window.isVisible() and not closings
            assert computer_preferences.flag(window.settings, computer_preferences.CLOSE_NOTICE_KEY)
            assert messages == ["Cramp Tracker is still running"], "said once, the first time"

        journey.add(f"close the window ({round_})", close_to_tray)
        journey.add(f"tray menu while hidden, C: check-in ({round_})", lambda: choose(Qt.Key.Key_C))
        journey.add(
            f"window back, check-in asked ({round_})",
            lambda round_=round_: WaitUntil(
                lambda: window.isVisible() and asked == ["evening"] * round_, "the check-in"
            ),
        )
    journey.add("close the window (3)", window.close)
    journey.add("tray menu while hidden, Q: quit", lambda: choose(Qt.Key.Key_Q))
    journey.run()

    assert closings == [True], "Quit closed the window for real (clean close)"
    assert not window.isVisible() and not window.tray.shown
    assert store.count_episodes() == 3
