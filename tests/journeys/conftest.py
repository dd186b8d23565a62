"""Journeys open the app the way ui/shell/app.py does: log controls first, pages right after."""

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from tracker.store import Store
from ui.shell.main_window import MainWindow


class Session:
    """One run of the app over a diary file: open, show, (journey), close."""

    def __init__(self, db_path, settings_path):
        self.db_path = db_path
        self.settings_path = settings_path
        self.store = None
        self.window = None

    def open(self) -> MainWindow:
        from PySide6.QtCore import QTimer

        self.store = Store.open(self.db_path)
        settings = QSettings(str(self.settings_path), QSettings.Format.IniFormat)
        self.window = MainWindow(self.store, settings, install_features=False, defer_pages=True)
        self.window.show()
        self.window.activateWindow()
        QTimer.singleShot(0, self.window.finish_setup)
        return self.window

    def close(self) -> None:
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            self.window = None
        if self.store is not None:
            self.store.close()
            self.store = None


@pytest.fixture
def sessions(tmp_path, qapp, monkeypatch):
    # A journey must never block on a modal question nobody scripted: fail loudly instead.
    def unexpected(*args, **kwargs):
        raise AssertionError(f"unexpected message box: {args[1:3]}")

    for name in ("question", "warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, unexpected)
    made: list[Session] = []

    def new_session() -> Session:
        session = Session(tmp_path / "diary" / "cramps.sqlite", tmp_path / "settings.ini")
        made.append(session)
        return session

    yield new_session
    for session in made:
        session.close()
