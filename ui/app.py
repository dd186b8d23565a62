"""Start the GUI: find the diary file, open it safely, show the window."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tracker.store import Store, StoreError

DB_FILENAME = "cramps.sqlite"


def default_db_path() -> Path:
    """The platform's per-user application data folder (e.g. ~/.local/share/cramp-tracker)."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(folder) / DB_FILENAME


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="cramp-tracker",
        description="Cramp Tracker: a private diary for toe, foot and leg cramps. "
        "Subcommands: demo, export, import, backup, restore, report (use SUBCOMMAND --help).",
    )
    parser.add_argument("--db", type=Path, help="open this diary file instead of the default")
    return parser.parse_args(argv)


def run_gui(argv: list[str]) -> int:
    args = parse_args(argv)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    # No organisation name: AppDataLocation is then ~/.local/share/cramp-tracker on Linux.
    app.setApplicationName("cramp-tracker")
    app.setApplicationDisplayName("Cramp Tracker")
    path = args.db or default_db_path()
    try:
        store = Store.open(path)
    except StoreError as exc:
        print(f"cramp-tracker: {exc}", file=sys.stderr)
        if os.environ.get("QT_QPA_PLATFORM") != "offscreen":
            QMessageBox.critical(None, "Cramp Tracker cannot open your diary", str(exc))
        return 1

    from ui.main_window import MainWindow

    window = MainWindow(store, QSettings("CrampTracker", "cramp-tracker"))
    window.show()
    if os.environ.get("CRAMP_TRACKER_EXIT_AFTER_SHOW"):
        # For start-up benchmarks and smoke tests: quit as soon as the window is on screen.
        QTimer.singleShot(0, window.close)
    try:
        return app.exec()
    finally:
        store.close()
