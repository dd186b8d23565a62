"""Saving a cramp as the person sees it, with Patterns (on "All dates") and Tips open.

Ctrl+N opens the log form; the clock starts at Enter and stops when the new row is shown in the
history and Patterns counts it. A watchdog timer (interval 0, so it fires on every turn of the
event loop) records the longest gap between turns while the save and whatever it started (the
background work included) run: the longest the window could not answer.

The demo database is made by `main.py demo` in a separate process.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_save.py [--episodes N]
     (--episodes 1000000 for the large diary; it takes a few minutes to make)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_common import ROOT, median, print_table, target

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
SETTLE_S = 1.0  # after the row shows, keep watching the loop this long (background work)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--db", help="an existing diary to copy instead of making one")
    parser.add_argument("--profile", action="store_true", help="print where the saves spent time")
    args = parser.parse_args(argv)

    folder = tempfile.TemporaryDirectory(prefix="bench-save-")
    db = Path(folder.name) / "cramps.sqlite"
    if args.db:
        import shutil

        shutil.copyfile(args.db, db)
    else:
        subprocess.run(
            [sys.executable, "main.py", "demo", "--db", str(db), "--episodes", str(args.episodes)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )

    from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from tracker.store import Store
    from ui.shell.main_window import MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0]])
    settings = QSettings(str(Path(folder.name) / "settings.ini"), QSettings.Format.IniFormat)
    store = Store.open(db)
    store.set_setting("patterns.range", "all")
    episodes = store.count_episodes()
    window = MainWindow(store, settings)
    window.resize(1200, 800)
    window.show()

    def wait(condition, timeout_s: float = 300.0) -> None:
        deadline = time.perf_counter() + timeout_s
        while not condition():
            if time.perf_counter() > deadline:
                raise TimeoutError("the app did not get there in time")
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)

    def settle(seconds: float) -> None:
        end = time.perf_counter() + seconds
        wait(lambda: time.perf_counter() > end)

    wait(lambda: window.patterns_page is not None and window.tips_feature is not None)
    window.tabs.setCurrentWidget(window.tips_feature.page)
    settle(0.5)
    patterns = window.patterns_page
    window.tabs.setCurrentWidget(patterns)
    wait(lambda: patterns.data is not None and patterns.data.total == episodes)
    patterns.wait_for_precompute(300)
    settle(1.0)

    stall = {"last": time.perf_counter(), "max": 0.0}

    def tick() -> None:
        now = time.perf_counter()
        stall["max"] = max(stall["max"], now - stall["last"])
        stall["last"] = now

    watchdog = QTimer()
    watchdog.setInterval(0)
    watchdog.timeout.connect(tick)

    save_ms, stall_ms, builds = [], [], []
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
    for _ in range(args.repeat):
        expected = store.count_episodes() + 1
        window.activateWindow()  # offscreen there is no window manager to do it
        wait(lambda: app.activeWindow() is window, 30)
        QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        wait(lambda: window.log_dialog is not None and window.log_dialog.isVisible(), 30)
        dialog = window.log_dialog
        dialog.activateWindow()
        wait(lambda dialog=dialog: app.activeWindow() is dialog, 30)
        settle(0.2)
        before = sum(getattr(card, "builds", 0) for card in patterns.cards)
        stall.update(last=time.perf_counter(), max=0.0)
        watchdog.start()
        began = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        QTest.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return)
        wait(
            lambda expected=expected: (
                window.history.model.rowCount() == expected
                and patterns.data is not None
                and patterns.data.total == expected
            )
        )
        save_ms.append((time.perf_counter() - began) * 1000)
        settle(SETTLE_S)
        if profiler is not None:
            profiler.disable()
        watchdog.stop()
        stall_ms.append(stall["max"] * 1000)
        builds.append(sum(getattr(card, "builds", 0) for card in patterns.cards) - before)

    if profiler is not None:
        import pstats

        only = os.environ.get("BENCH_PROFILE_FILTER", "")  # a regex of file names
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(only, 35)
    window.close()
    store.close()
    folder.cleanup()
    limit = 50 if episodes <= 200_000 else 100
    ok = print_table(
        f"Save through the form, Patterns on All dates and Tips open, {episodes:,} episodes "
        f"(median ms of {args.repeat}; offscreen)",
        [
            target("Enter -> row shown, Patterns counts it", save_ms, limit),
            target("longest event-loop stall (save + 1 s after)", stall_ms, limit),
            ("each save: ms", " / ".join(f"{v:.0f}" for v in save_ms), "", None),
            ("each save: longest stall ms", " / ".join(f"{v:.0f}" for v in stall_ms), "", None),
            ("charts built per save (median)", f"{median(builds):.0f}", "", None),
        ],
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
