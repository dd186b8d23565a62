"""Fixtures for GUI tests: a main window over a fresh store, with settings kept in tmp."""

import pytest
from PySide6.QtCore import QSettings

from ui.main_window import MainWindow


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, store, settings):
    win = MainWindow(store, settings, install_features=False)
    qtbot.addWidget(win)
    win.show()
    return win
