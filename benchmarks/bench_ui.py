"""The window with 100,000 episodes: history shown, filters applied, memory of the running app.

The demo database is made by `main.py demo` in a separate process, so this process holds only
what the app itself holds when its memory is read (VmRSS and peak VmHWM from /proc/self/status).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_ui.py [--episodes N]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_common import ROOT, print_table, target

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def memory_mb() -> tuple[float, float]:
    """(current RSS, peak RSS) in MB of this process."""
    status = Path("/proc/self/status")
    if status.exists():
        fields = dict(line.split(":", 1) for line in status.read_text().splitlines())
        return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # pragma: no cover
    return peak, peak


def ms_since(began: float) -> float:
    return (time.perf_counter() - began) * 1000


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    folder = tempfile.TemporaryDirectory(prefix="bench-ui-")
    db = Path(folder.name) / "cramps.sqlite"
    subprocess.run(
        [sys.executable, "main.py", "demo", "--db", str(db), "--episodes", str(args.episodes)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    baseline_mb = memory_mb()[0]

    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtWidgets import QApplication

    from tracker.store import Store
    from ui.shell.main_window import MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0]])
    settings = QSettings(str(Path(folder.name) / "settings.ini"), QSettings.Format.IniFormat)
    qt_loaded_mb = memory_mb()[0]

    began = time.perf_counter()
    store = Store.open(db)
    window = MainWindow(store, settings)
    window.resize(1200, 800)
    window.show()
    app.processEvents()
    window_ms = ms_since(began)
    history = window.history
    assert history.model.rowCount() == args.episodes, history.model.rowCount()

    def run(action, repeat=args.repeat) -> list[float]:
        results = []
        for _ in range(repeat):
            began = time.perf_counter()
            action()
            app.processEvents()
            results.append(ms_since(began))
        return results

    reload_ms = run(history.reload)

    def text_filter():
        history.search.setText("wedding")
        history.apply_filter()

    def clear_filter():
        history.search.setText("")
        history.apply_filter()

    text_ms, cleared_ms = [], []
    for _ in range(args.repeat):
        text_ms += run(text_filter, 1)
        shown_for_text = history.model.rowCount()
        cleared_ms += run(clear_filter, 1)

    period_ms = []
    for _ in range(args.repeat):
        period_ms += run(lambda: history.period.setCurrentIndex(2), 1)  # last 30 days
        shown_for_period = history.model.rowCount()
        history.period.setCurrentIndex(0)
        app.processEvents()

    severity_ms = []
    for _ in range(args.repeat):  # back to date order between runs, so each run really sorts
        severity_ms += run(lambda: history.table.sortByColumn(4, Qt.SortOrder.DescendingOrder), 1)
        history.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        app.processEvents()
    scroll_ms = run(history.table.scrollToBottom, 1) + run(history.table.scrollToTop, 1)
    app.processEvents()
    rss_mb, peak_mb = memory_mb()

    window.close()
    store.close()
    folder.cleanup()

    n = f"{args.episodes:,}"
    ok = print_table(
        f"Main window with {n} episodes (median ms of {args.repeat}; offscreen)",
        [
            target("window built and shown, history filled", window_ms, 300),
            target("history reloaded (after a save)", reload_ms, 300),
            target(f"filter: notes 'wedding' ({shown_for_text:,} shown)", text_ms, 150),
            target(f"filter: last 30 days ({shown_for_period:,} shown)", period_ms, 150),
            target("filter cleared: all episodes again", cleared_ms, 300),
            target("sort by severity", severity_ms, 300),
            ("scroll to bottom and back", " / ".join(f"{v:.0f}" for v in scroll_ms), "", None),
            ("memory: Python alone before Qt (MB)", f"{baseline_mb:.0f}", "", None),
            ("memory: after importing Qt and the app (MB)", f"{qt_loaded_mb:.0f}", "", None),
            target("memory: running app, RSS (MB)", rss_mb, 250),
            target("memory: running app, peak RSS (MB)", peak_mb, 250),
        ],
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
