"""Fixtures for GUI tests: a main window over a fresh store, with settings kept in tmp."""

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from ui.shell.main_window import MainWindow


@pytest.fixture(autouse=True)
def no_unscripted_message_boxes(monkeypatch):
    """A modal QMessageBox nobody scripted would block the suite forever: fail instead.
    Tests that expect one patch the static call themselves (their patch wins)."""

    def unexpected(*args, **kwargs):
        raise AssertionError(f"unexpected message box: {args[1:3]}")

    for name in ("question", "warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, unexpected)


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, store, settings):
    win = MainWindow(store, settings, install_features=False)
    qtbot.addWidget(win)
    win.show()
    return win
