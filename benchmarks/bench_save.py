"""Saving a cramp as the person sees it, with Patterns (on "All dates") and Tips open.

Each round saves a cramp (Ctrl+N, Enter), edits it (a longer duration, Enter), deletes it (the
Delete key in the history) and undoes that (Ctrl+Z). The clock starts at the key and stops when
the history and Patterns show the change. A watchdog timer (interval 0, so it fires on every
turn of the event loop) records the longest gap between turns while the change and whatever it
started (the background work included) run: the longest the window could not answer.
Targets (issue 11): under 50 ms for both at 100,000 episodes, under 100 ms at 1,000,000; exits 1
when one is missed. --stalls samples the UI thread's stack during stalls; --profile runs cProfile.

The demo database is made by `main.py demo` in a separate process.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_save.py [--episodes N]
     [--db COPY_OF_A_DIARY] (--db is copied first: e.g. a copy of /work/benchdata/demo_1M.sqlite)
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
OPERATIONS = ("save", "edit", "delete", "undo")


class StallSampler:
    """A thread that records the UI thread's stack whenever the event loop has not turned
    for STALL_SAMPLE_MS: where the longest stalls are spent (--stalls)."""

    STALL_SAMPLE_MS = 30

    def __init__(self, last) -> None:  # last(): when the event loop last turned
        import collections
        import threading

        self.last = last
        self.running = False
        self.samples: collections.Counter[str] = collections.Counter()
        self.others: collections.Counter[str] = collections.Counter()  # other threads' tops
        self.main = threading.main_thread().ident
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        import threading
        import traceback

        while True:
            time.sleep(0.005)
            late = (time.perf_counter() - self.last()) * 1000
            if not self.running or late < self.STALL_SAMPLE_MS:
                continue
            frame = sys._current_frames().get(self.main)
            if frame is None:
                continue
            stack = traceback.extract_stack(frame)
            ours = [f for f in stack if "/site-packages/" not in f.filename][-6:]
            text = " <- ".join(f"{Path(f.filename).name}:{f.lineno}:{f.name}" for f in ours[::-1])
            self.samples[text + f" | {Path(stack[-1].filename).name}:{stack[-1].name}"] += 1
            names = {t.ident: t.name for t in threading.enumerate()}
            for ident, other in sys._current_frames().items():
                if ident != self.main:
                    tops = traceback.extract_stack(other)[-3:]
                    where = " <- ".join(f"{Path(f.filename).name}:{f.name}" for f in tops[::-1])
                    self.others[f"{names.get(ident, '?')}: {where}"] += 1

    def report(self) -> None:
        print("\nUI thread during stalls (5 ms samples):")
        for text, n in self.samples.most_common(12):
            print(f"{n:5d}  {text}")
        print("other threads meanwhile:")
        for text, n in self.others.most_common(8):
            print(f"{n:5d}  {text}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--db", help="an existing diary to copy instead of making one")
    parser.add_argument("--profile", action="store_true", help="print where the saves spent time")
    parser.add_argument(
        "--stalls", action="store_true", help="sample the UI thread's stack during long stalls"
    )
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
    # Start-up work is not the save's: the other ranges aggregated ahead, the charts drawn.
    from ui.patterns.page import RANGES, period_for

    presets = [period_for(key, patterns._today()) for key, _ in RANGES if key != "custom"]
    wait(lambda: all(p in patterns._cache for p in presets))
    settle(1.0)

    stall = {"last": time.perf_counter(), "max": 0.0}

    def tick() -> None:
        now = time.perf_counter()
        stall["max"] = max(stall["max"], now - stall["last"])
        stall["last"] = now

    watchdog = QTimer()
    watchdog.setInterval(0)
    watchdog.timeout.connect(tick)
    sampler = StallSampler(lambda: stall["last"]) if args.stalls else None

    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
    saved: list = []
    window.episode_saved.connect(saved.append)
    results: dict[str, tuple[list[float], list[float]]] = {op: ([], []) for op in OPERATIONS}
    builds: list[int] = []

    def activate(widget) -> None:
        widget.activateWindow()  # offscreen there is no window manager to do it
        wait(lambda: app.activeWindow() is widget, 30)

    def open_dialog(opener):
        dialog = opener()  # the edit dialog; None for Ctrl+N: the window's log dialog
        if dialog is None:
            wait(lambda: window.log_dialog is not None and window.log_dialog.isVisible(), 30)
            dialog = window.log_dialog
        wait(dialog.isVisible, 30)
        activate(dialog)
        settle(0.2)
        return dialog

    def measure(op: str, act, expected_total: int) -> None:
        """Run ``act`` (real key presses) and time it until the history and Patterns show the
        change (Patterns is behind the history for a delete: its kept ranges are updated);
        keep watching the event loop SETTLE_S longer (the work it started)."""
        revision = store.revision
        stall.update(last=time.perf_counter(), max=0.0)
        watchdog.start()
        if sampler is not None:
            sampler.running = True
        if profiler is not None:
            profiler.enable()
        began = time.perf_counter()
        act()
        wait(
            lambda: (
                store.revision > revision
                and window.history.model.rowCount() == expected_total
                and patterns._revision == store.revision  # its kept ranges updated
                and (  # and, when on screen, showing the change
                    not patterns.isVisible()
                    or (patterns.data is not None and patterns.data.total == expected_total)
                )
            )
        )
        took = (time.perf_counter() - began) * 1000
        settle(SETTLE_S)
        if profiler is not None:
            profiler.disable()
        watchdog.stop()
        if sampler is not None:
            sampler.running = False
        results[op][0].append(took)
        results[op][1].append(stall["max"] * 1000)

    total = episodes
    key, ctrl = Qt.Key, Qt.KeyboardModifier.ControlModifier
    for _ in range(args.repeat):
        before = sum(getattr(card, "builds", 0) for card in patterns.cards)
        # save: Ctrl+N, Enter
        activate(window)
        dialog = open_dialog(lambda: QTest.keyClick(window, key.Key_N, ctrl))
        total += 1
        measure(
            "save", lambda d=dialog: QTest.keyClick(d.focusWidget() or d, key.Key_Return), total
        )
        builds.append(sum(getattr(card, "builds", 0) for card in patterns.cards) - before)
        episode = saved[-1]
        # edit: the new episode, a longer duration, Enter
        dialog = open_dialog(lambda e=episode: window.edit_episode(e.id))
        dialog.form.set_duration(episode.duration_s + 60 if episode.duration_s else 120)
        measure(
            "edit", lambda d=dialog: QTest.keyClick(d.focusWidget() or d, key.Key_Return), total
        )
        # delete: select it in the history, Delete
        activate(window)
        window.tabs.setCurrentWidget(window.history)
        window.history.select_ids([episode.id])
        window.history.table.setFocus()
        settle(0.2)
        total -= 1
        measure("delete", lambda: QTest.keyClick(window.history.table, key.Key_Delete), total)
        # undo: Ctrl+Z, with Patterns on screen again
        window.tabs.setCurrentWidget(patterns)
        settle(0.5)
        total += 1
        measure("undo", lambda: QTest.keyClick(window, key.Key_Z, ctrl), total)

    if profiler is not None:
        import pstats

        only = os.environ.get("BENCH_PROFILE_FILTER", "")  # a regex of file names
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(only, 35)
    if sampler is not None:
        sampler.report()
    window.close()
    store.close()
    folder.cleanup()
    limit = 50 if episodes <= 200_000 else 100
    rows = []
    for op, (times, stalls) in results.items():
        rows += [
            target(f"{op}: key -> history and Patterns show it", times, limit),
            target(f"{op}: longest event-loop stall (+ {SETTLE_S:.0f} s after)", stalls, limit),
        ]
    rows += [
        ("each save: ms", " / ".join(f"{v:.0f}" for v in results["save"][0]), "", None),
        (
            "each save: longest stall ms",
            " / ".join(f"{v:.0f}" for v in results["save"][1]),
            "",
            None,
        ),
        ("charts built per save (median)", f"{median(builds):.0f}", "", None),
    ]
    ok = print_table(
        f"Save, edit, delete and undo through the UI, Patterns on All dates and Tips open, "
        f"{episodes:,} episodes (median ms of {args.repeat}; offscreen)",
        rows,
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
