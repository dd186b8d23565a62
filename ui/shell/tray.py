"""The tray icon: log a cramp, start or stop the timer, the daily check-in, the window, quit.

Off by default (Edit > Preferences > Tray). The icon is shown while "Show an icon in the tray"
is on, while a reminder is on (reminders are its notifications), or for this session when the
app was started with ``--tray`` (start at login). While it is shown, closing the window hides
it and the app keeps running (said once, the first time); Quit in this menu or File > Quit
really quits, through the window's usual close (the timer question, the clean-close marker).

Where the desktop has no tray (``QSystemTrayIcon.isSystemTrayAvailable()`` false) the icon is
never shown, so closing the window quits as before; the menu and its actions exist anyway, so
that they are tested on any platform.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon

from ui.shell import computer_preferences
from ui.shell.desktop_entry import ICON

if TYPE_CHECKING:
    from ui.shell.main_window import MainWindow

TICK_MS = 1000
MESSAGE_MS = 15_000
APP_NAME = "Cramp Tracker"
CLOSE_NOTICE_TITLE = "Cramp Tracker is still running"
CLOSE_NOTICE = (
    "Closing the window keeps Cramp Tracker in the tray, for the timer and reminders. "
    "Click the tray icon to open it again; to quit, use Quit in its menu or File > Quit."
)
START_TIMER = "Start cramp &timer"


def tray_available() -> bool:
    return QSystemTrayIcon.isSystemTrayAvailable()


class Tray(QObject):
    """The icon and its menu for one window. ``available``: whether the desktop has a tray
    (tests pass True to act as on a desktop with one)."""

    def __init__(self, window: MainWindow, available: bool | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.available = tray_available() if available is None else available
        self.forced = False  # started with --tray: shown this session whatever the settings
        self.wanted = False  # the preferences ask for the icon
        self.icon = QSystemTrayIcon(QIcon(str(ICON)), self)
        self.icon.setToolTip(APP_NAME)
        self.menu = QMenu(window)
        self.menu.setTitle(APP_NAME)
        self.log_action = self._action("&Log a cramp…", self.log_cramp)
        self.timer_action = self._action(START_TIMER, self.toggle_timer)
        self.checkin_action = self._action("Daily &check-in…", self.daily_checkin)
        self.menu.addSeparator()
        self.show_action = self._action("&Show Cramp Tracker", self.show_window)
        self.quit_action = self._action("&Quit", self.quit)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.icon.messageClicked.connect(self._message_clicked)
        self._message_kind: str | None = None  # what the last notification was about
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self.refresh)
        self.menu.aboutToShow.connect(self.refresh)
        window.timer.started.connect(lambda *_: self.refresh())
        window.timer.finished.connect(lambda *_: self.refresh())
        window.closing.connect(self._window_closed)
        self.refresh()

    def _action(self, text: str, slot) -> QAction:
        action = QAction(text, self.menu)
        action.triggered.connect(lambda *_: slot())
        self.menu.addAction(action)
        return action

    # ----------------------------------------------------------------- shown or not
    @property
    def shown(self) -> bool:
        return self.icon.isVisible()

    def update_visibility(self, prefs: computer_preferences.ComputerPreferences) -> None:
        """Show the icon when the preferences (or --tray) want it and the desktop has a tray."""
        self.wanted = prefs.show_tray or prefs.any_reminder
        self._set_shown(self.available and (self.wanted or self.forced))

    def force(self) -> bool:
        """--tray: show the icon this session; False when there is no tray to show it in."""
        self.forced = True
        self._set_shown(self.available)
        return self.available

    def _set_shown(self, on: bool) -> None:
        if on != self.icon.isVisible():
            self.icon.setVisible(on)
            # While the icon is there, the app lives on with no window open (a form opened
            # from the tray and closed must not end it); quitting goes through quit().
            QApplication.setQuitOnLastWindowClosed(not on)
        self.refresh()

    def _window_closed(self) -> None:
        """The window really closed (quitting): take the icon away."""
        if self.icon.isVisible():
            self.icon.hide()
            QApplication.setQuitOnLastWindowClosed(True)
        self._tick.stop()

    # ----------------------------------------------------------------- the timer's state
    def refresh(self) -> None:
        """The timer action and tooltip say whether the timer runs, and for how long."""
        timer = self.window.timer
        if timer.running:
            minutes, seconds = divmod(timer.elapsed(), 60)
            elapsed = f"{minutes}:{seconds:02d}"
            self.timer_action.setText(f"S&top cramp timer ({elapsed})")
            self.icon.setToolTip(f"{APP_NAME}: cramp timer running, {elapsed}")
            if not self._tick.isActive() and (self.icon.isVisible() or self.menu.isVisible()):
                self._tick.start()
        else:
            self.timer_action.setText(START_TIMER)
            self.icon.setToolTip(APP_NAME)
            self._tick.stop()

    # ----------------------------------------------------------------- actions
    def show_window(self) -> None:
        window = self.window
        if window.isMinimized():
            window.showNormal()
        window.show()
        window.raise_()
        window.activateWindow()

    def log_cramp(self) -> None:
        """As the window's Log button: the log form (over the window, shown first)."""
        self.show_window()
        self.window.open_log_dialog()

    def toggle_timer(self) -> None:
        """Start the timer, or stop it: stopping opens the log form, so the window comes up."""
        if self.window.timer.running:
            self.show_window()
        self.window.timer.toggle()
        self.refresh()

    def daily_checkin(self) -> None:
        self.show_window()
        self.window.checkin_requested.emit("evening")

    def quit(self) -> None:
        self.window.quit_app()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
            QSystemTrayIcon.ActivationReason.MiddleClick,
        ):
            self.show_window()

    # ----------------------------------------------------------------- notifications
    def notify(self, title: str, message: str, kind: str | None = None) -> None:
        """A desktop notification; clicking it opens ``kind``'s check-in (or the window)."""
        self._message_kind = kind
        self.icon.showMessage(title, message, QIcon(str(ICON)), MESSAGE_MS)

    def _message_clicked(self) -> None:
        kind, self._message_kind = self._message_kind, None
        self.show_window()
        if kind is not None:
            self.window.checkin_requested.emit(kind)

    def say_still_running_once(self) -> bool:
        """The first time the window is closed to the tray, say so (remembered in QSettings)."""
        settings = self.window.settings
        if computer_preferences.flag(settings, computer_preferences.CLOSE_NOTICE_KEY):
            return False
        settings.setValue(computer_preferences.CLOSE_NOTICE_KEY, True)
        settings.sync()
        self.notify(CLOSE_NOTICE_TITLE, CLOSE_NOTICE)
        self.window.show_status(CLOSE_NOTICE, 30_000)
        return True
