"""Start-up time: `python main.py --db <diary>` against a bare PySide6 window with a table.

Both run in the same way in the same run, alternating: a fresh Python process that shows its
window, prints "window-shown" at the first paint and "history-shown" once its table has painted
its rows, then quits (the app via CRAMP_TRACKER_EXIT_AFTER_SHOW=history, the bare script the same
way with a 12-column table of 50 rows). We time process start to each line and take the median.
The target is on what a person waits for: the newest episodes on screen. Bytecode caching is on,
as for an installed app (this machine's shell sets PYTHONDONTWRITEBYTECODE, which would make
every run recompile the app's modules).

Run: .venv/bin/python benchmarks/bench_startup.py [--runs N] [--episodes N [N ...]]
(default 10,000 and 100,000 episodes: target <= 1.5x; at 1,000,000 the target is <= 2x)
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_common import ROOT, make_demo_db, median, print_table

BARE = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget, QTableWidgetItem
app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1000, 700)
table = QTableWidget(50, 12)
for row in range(50):
    for column in range(12):
        table.setItem(row, column, QTableWidgetItem(f"cell {row}.{column}"))
window.setCentralWidget(table)
class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            table.viewport().removeEventFilter(self)
            QTimer.singleShot(0, done)
        return False
def done():
    print("history-shown", flush=True)
    window.close()
watcher = FirstPaint()
table.viewport().installEventFilter(watcher)
window.show()
app.processEvents()
print("window-shown", flush=True)
sys.exit(app.exec())
"""


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(ms to the first paint, ms to the table's rows painted)."""
    began = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    shown = history = None
    for line in process.stdout:
        if line.strip() == "window-shown":
            shown = time.perf_counter() - began
        elif line.startswith("history-shown"):
            history = time.perf_counter() - began
            break
    _, stderr = process.communicate(timeout=120)
    if process.returncode != 0 or shown is None or history is None:
        raise SystemExit(f"{command[1]} failed ({process.returncode}):\n{stderr}")
    return shown * 1000, history * 1000


BENCHDATA = Path("/work/benchdata")  # ready-made demo diaries (copied, never written)
READY = {10_000: "demo_10k.sqlite", 100_000: "demo_100k.sqlite", 1_000_000: "demo_1M.sqlite"}


def measure(episodes: int, runs: int) -> tuple[list[float], list[float], list[float]]:
    """(app first paint, app history painted, bare table painted) in ms, ``runs`` each."""
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as folder:
        home = Path(folder)
        db = home / "cramps.sqlite"
        ready = BENCHDATA / READY.get(episodes, "-")
        if ready.is_file():  # a copy: a 1,000,000-episode demo takes minutes to make
            shutil.copyfile(ready, db)  # (the warm-up run below closes it cleanly)
        else:
            make_demo_db(db, episodes)
        env = {
            **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
            "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            "CRAMP_TRACKER_EXIT_AFTER_SHOW": "history",
            "HOME": str(home),  # window geometry and settings go here, not to the real home
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_DATA_HOME": str(home / "data"),
        }
        app = [sys.executable, "main.py", "--db", str(db)]
        bare = [sys.executable, "-c", BARE]
        for command in (app, bare):  # warm the disk cache; not counted
            run_once(command, env)
        first, history, table = [], [], []
        for _ in range(runs):
            shown, painted = run_once(app, env)
            first.append(shown)
            history.append(painted)
            table.append(run_once(bare, env)[1])
    return first, history, table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--episodes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args(argv)

    rows = []
    for episodes in args.episodes:
        first, history, table = measure(episodes, args.runs)
        ratio = median(history) / median(table)
        limit = 2.0 if episodes >= 1_000_000 else 1.5
        n = f"{episodes:,}"
        rows += [
            (f"bare window + table, rows painted ({n} run)", f"{median(table):.0f}", "", None),
            (f"app {n}: first paint", f"{median(first):.0f}", "", None),
            (f"app {n}: history rows painted", f"{median(history):.0f}", "", None),
            (f"ratio at {n}: history / bare table", f"{ratio:.2f}", f"<= {limit}", ratio <= limit),
            (f"app {n} runs (ms)", " ".join(f"{v:.0f}" for v in history), "", None),
            ("bare runs (ms)", " ".join(f"{v:.0f}" for v in table), "", None),
        ]
    ok = print_table(
        f"Start-up until the newest episodes are on screen (median of {args.runs} runs, ms)", rows
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
