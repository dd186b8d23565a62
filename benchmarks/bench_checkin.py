"""Saving the daily check-in as a person does, in the window over 100,000 episodes: from Save
until the store wrote it, the undo command is pushed, the strip marks the day, the status bar
says so and the dialog is closed. Target: < 50 ms (issue 16).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_checkin.py [--db DEMO.sqlite]
``--db`` is copied first (never written); without it a demo diary of 100,000 episodes is made.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench_common import make_demo_db, median, print_table, target, upgraded_copy

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
DEFAULT_DB = Path("/work/benchdata/demo_100k.sqlite")
TARGET_MS = 50


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args(argv)

    from PySide6.QtCore import QCoreApplication, QEvent, QSettings
    from PySide6.QtWidgets import QApplication

    from tracker.store import Store
    from ui.shell.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    folder = tempfile.TemporaryDirectory(prefix="bench-checkin-")
    db = Path(folder.name) / "cramps.sqlite"
    if args.db.exists():
        upgraded_copy(args.db, db)
    else:
        make_demo_db(db, 100_000)
    store = Store.open(db)
    episodes = store.count_episodes()
    settings = QSettings(str(Path(folder.name) / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(store, settings)
    window.show()
    feature = window.checkin_feature
    assert feature is not None
    today = date.today()

    def settle() -> None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()

    saves: list[float] = []
    opens: list[float] = []
    for n in range(args.repeat):
        day = today - timedelta(days=n % 14)
        began = time.perf_counter()
        dialog = feature.open_checkin("evening", day)
        settle()
        opens.append((time.perf_counter() - began) * 1000)
        row = dialog.rows["fluids"]
        row.buttons[n % 3].click()  # a different answer each round: always a real write
        if row.value() is None:
            row.buttons[n % 3].click()
        dialog.rows["stress"].buttons[(n + 1) % 3].click()
        began = time.perf_counter()
        dialog.save_button.click()  # store, undo, strip, status, dialog closed
        saved_ms = (time.perf_counter() - began) * 1000
        assert not dialog.isVisible() and store.get_checkin(day) is not None
        assert window.statusBar().currentMessage().startswith("Check-in saved")
        saves.append(saved_ms)
        settle()
    window.close()
    store.close()
    ok = print_table(
        f"Daily check-in, {episodes:,} episodes ({args.repeat} saves, median)",
        [
            target("save: store + undo + strip + status + close (ms)", saves, TARGET_MS, 1),
            ("save, slowest (ms)", f"{max(saves):.1f}", "", None),
            ("open the check-in, median (ms)", f"{median(opens):.1f}", "", None),
            ("open the check-in, first (ms)", f"{opens[0]:.1f}", "", None),
        ],
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
