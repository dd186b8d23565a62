"""Start-up time: `python main.py --db <10,000 episodes>` against a bare PySide6 window.

Both run in the same way in the same run, alternating: a fresh Python process that shows its
window, prints "window-shown" once it is painted, and quits (the app via
CRAMP_TRACKER_EXIT_AFTER_SHOW=1, the bare script the same way). We time process start to that
line and take the median. Bytecode caching is on, as for an installed app (this machine's shell
sets PYTHONDONTWRITEBYTECODE, which would make every run recompile the app's modules).

Run: .venv/bin/python benchmarks/bench_startup.py [--runs N] [--episodes N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_common import ROOT, make_demo_db, median, print_table

BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1000, 700)
window.show()
app.processEvents()
print("window-shown", flush=True)
QTimer.singleShot(0, window.close)
sys.exit(app.exec())
"""


def run_once(command: list[str], env: dict) -> float:
    began = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    shown = None
    for line in process.stdout:
        if line.strip() == "window-shown":
            shown = time.perf_counter() - began
            break
    _, stderr = process.communicate(timeout=60)
    if process.returncode != 0 or shown is None:
        raise SystemExit(f"{command[1]} failed ({process.returncode}):\n{stderr}")
    return shown * 1000


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--episodes", type=int, default=10_000)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-startup-") as folder:
        home = Path(folder)
        db = home / "cramps.sqlite"
        make_demo_db(db, args.episodes)
        env = {
            **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
            "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            "CRAMP_TRACKER_EXIT_AFTER_SHOW": "1",
            "HOME": str(home),  # window geometry and settings go here, not to the real home
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_DATA_HOME": str(home / "data"),
        }
        app = [sys.executable, "main.py", "--db", str(db)]
        bare = [sys.executable, "-c", BARE]
        python_only = [sys.executable, "-c", "print('window-shown')"]
        for command in (app, bare):  # warm the disk cache; not counted
            run_once(command, env)
        app_ms, bare_ms, python_ms = [], [], []
        for _ in range(args.runs):
            app_ms.append(run_once(app, env))
            bare_ms.append(run_once(bare, env))
            python_ms.append(run_once(python_only, env))

    ratio = median(app_ms) / median(bare_ms)
    ok = print_table(
        f"Start-up to window shown and closed (median of {args.runs} runs, ms)",
        [
            ("python -c pass (interpreter alone)", f"{median(python_ms):.0f}", "", None),
            ("bare PySide6 QMainWindow", f"{median(bare_ms):.0f}", "", None),
            (f"Cramp Tracker, {args.episodes:,} episodes", f"{median(app_ms):.0f}", "", None),
            ("ratio app / bare window", f"{ratio:.2f}", "<= 1.5", ratio <= 1.5),
            ("app runs (ms)", " ".join(f"{v:.0f}" for v in app_ms), "", None),
            ("bare runs (ms)", " ".join(f"{v:.0f}" for v in bare_ms), "", None),
        ],
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
