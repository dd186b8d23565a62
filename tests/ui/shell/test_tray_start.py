"""`cramp-tracker --tray` (what start at login runs): no window, the tray icon; on a desktop
without a tray, the window after all."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from ui.shell import tray as tray_module
from ui.shell.app import GuiArgs, parse_args
from ui.shell.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def quit_on_last_window_closed():
    yield
    QApplication.setQuitOnLastWindowClosed(True)


def test_parse_tray():
    assert parse_args(["--tray"]) == GuiArgs(tray=True)
    assert parse_args(["--db", "x.sqlite", "--tray"]) == GuiArgs(db=Path("x.sqlite"), tray=True)
    assert parse_args([]).tray is False


@pytest.mark.parametrize("available", [True, False])
def test_start_in_tray_stays_hidden_where_there_is_a_tray(
    qtbot, store, settings, monkeypatch, available
):
    monkeypatch.setattr(tray_module, "tray_available", lambda: available)
    window = MainWindow(store, settings, install_features=False, defer_pages=True)
    qtbot.addWidget(window)
    window.start_in_tray = True
    window.finish_setup()
    assert window.tray is not None
    assert window.tray.shown is available
    assert window.isVisible() is not available
    window.quit_app()
    assert not window.tray.shown


def test_main_with_tray_starts_and_quits_without_a_tray(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CRAMP_TRACKER_EXIT_AFTER_SHOW="1")
    result = subprocess.run(
        [sys.executable, "main.py", "--db", str(tmp_path / "d.sqlite"), "--tray"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / ".d.sqlite.closed-cleanly").exists()  # the usual clean close
