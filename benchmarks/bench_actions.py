"""Every action of the window, timed until its result is on screen, with a stall watchdog.

The real MainWindow is started the way the app starts it (ui/shell/app.py: the history first,
its ids read in the background, then the other pages) on a copy of a diary. A watchdog (a
QTimer every 5 ms on the UI thread) records the longest gap between two turns of the event
loop while each action runs until its result is on screen: that gap is how long the window
could not answer a key press or paint. Each action is done as a person does it where that
matters (Ctrl+N and Enter in the log form, Ctrl+E, Delete, Ctrl+Z, a click on a column header,
the View menu's page actions); filters are chosen as the combo box does on a choice.

Prints one table (action, median time until on screen, longest stall, target, ok) and the
memory (RSS) once every page was opened; exits 1 when a target is missed. Targets: no stall
over 50 ms (100 ms at 1,000,000 episodes), RSS under 250 MB.

--stalls prints, for each action, the UI thread's stack at the longest stall (sampled by a
thread through sys._current_frames()) and what the other threads were doing then; --only WORDS
measures only the actions whose name contains WORDS (the others are skipped).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_actions.py
     [--db PATH (copied first, never written) | --episodes N] [--repeat N] [--stalls]
     [--only WORDS]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench_common import make_demo_db, median, print_table
from bench_ui import memory_mb

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

WATCHDOG_MS = 5
RSS_LIMIT_MB = 250
ACTION_TIMEOUT_S = 60.0


def stall_limit(episodes: int) -> float:
    return 100.0 if episodes >= 1_000_000 else 50.0


class StallSampler:
    """A thread that, while an action is measured, looks at the UI thread every
    SAMPLE_MS and keeps its stack at the latest moment of the longest gap between two turns of
    the event loop (with the other threads' tops): where that stall was spent (--stalls)."""

    SAMPLE_MS = 2
    MIN_MS = 15.0  # shorter gaps are not worth a stack

    def __init__(self, last: Callable[[], float]) -> None:  # last(): the loop's last turn
        import threading

        self.last = last
        self.running = False
        self.worst = 0.0
        self.stack = ""
        self.main = threading.main_thread().ident
        threading.Thread(target=self._run, name="stall-sampler", daemon=True).start()

    def begin(self) -> None:
        self.worst, self.stack, self.running = 0.0, "", True

    def _run(self) -> None:
        import threading
        import traceback

        while True:
            time.sleep(self.SAMPLE_MS / 1000)
            if not self.running:
                continue
            late = (time.perf_counter() - self.last()) * 1000
            if late < max(self.MIN_MS, self.worst):
                continue
            frame = sys._current_frames().get(self.main)
            if frame is None:
                continue
            ours = [
                f for f in traceback.extract_stack(frame) if "/site-packages/" not in f.filename
            ]
            lines = [f"    {Path(f.filename).name}:{f.lineno} {f.name}" for f in ours[::-1][:10]]
            names = {t.ident: t.name for t in threading.enumerate()}
            for ident, other in sys._current_frames().items():
                if ident not in (self.main, threading.get_ident()):
                    tops = traceback.extract_stack(other)[-2:]
                    where = " <- ".join(f"{Path(f.filename).name}:{f.name}" for f in tops[::-1])
                    lines.append(f"    [{names.get(ident, '?')}] {where}")
            self.worst, self.stack = late, "\n".join(lines)


class Bench:
    """The window, the watchdog and the measured actions."""

    def __init__(
        self, db: Path, settings_path: Path, repeat: int, stalls: bool = False, only: str = ""
    ) -> None:
        from PySide6.QtCore import QSettings, QTimer
        from PySide6.QtWidgets import QApplication

        from tracker.store import Store
        from ui.shell.app import after_first_paint
        from ui.shell.main_window import MainWindow

        self.app = QApplication.instance() or QApplication([sys.argv[0]])
        self.repeat = repeat
        self.store = Store.open(db)
        settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
        began = time.perf_counter()
        self.window = MainWindow(
            self.store, settings, install_features=False, defer_pages=True, background_loads=True
        )
        self.window.resize(1200, 800)
        installed: list[bool] = []
        self.window.show_history_then(
            lambda: (after_first_paint(self.window), installed.append(True))
        )
        self.window.show()
        self.window.activateWindow()  # shortcuts (Ctrl+N, …) go to the active window
        self.wait_for(lambda: bool(installed), "the pages")
        self.start_ms = (time.perf_counter() - began) * 1000
        self.wait_for(lambda: not self.history.model.loading, "every history id")
        self.rows: list[tuple[str, str, str, str, bool]] = []
        self.longest = 0.0
        self._last = 0.0
        self.watchdog = QTimer()
        self.watchdog.setInterval(WATCHDOG_MS)
        self.watchdog.timeout.connect(self._tick)
        self.only = only.casefold()
        self.sampler = StallSampler(lambda: self._last) if stalls else None
        self.stacks: dict[str, tuple[float, str]] = {}  # action -> (stall ms, UI stack)

    @property
    def history(self):
        assert self.window.history is not None
        return self.window.history

    # ----------------------------------------------------------------- event loop
    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, (now - self._last) * 1000)
        self._last = now

    def wait_for(self, condition: Callable[[], bool], what: str) -> None:
        from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop

        deadline = time.perf_counter() + ACTION_TIMEOUT_S
        while not condition():
            if time.perf_counter() > deadline:
                raise SystemExit(f"timed out waiting for {what}")
            self.app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 5)
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def settle(self, ms: int = 30) -> None:
        """Let timers and posted work of the last action run out (not measured)."""
        from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop

        end = time.perf_counter() + ms / 1000
        while time.perf_counter() < end:
            self.app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    # ----------------------------------------------------------------- measuring
    def measure(
        self,
        name: str,
        act: Callable[[], object],
        done: Callable[[], bool],
        shown: Callable[[], object],
        before: Callable[[], object] | None = None,
        limit: float = 50.0,
    ) -> None:
        """``before`` (not timed), then ``act`` until ``done``; ``shown()`` returns the widget
        whose repaint puts the result on screen. Median time and the longest stall of all runs.
        """
        if self.only and self.only not in name.casefold():
            return
        times, stalls = [], []
        for _ in range(self.repeat):
            if before is not None:
                before()
            self.settle()
            self.longest, self._last = 0.0, time.perf_counter()
            self.watchdog.start()
            if self.sampler is not None:
                self.sampler.begin()
            began = time.perf_counter()
            act()
            self.wait_for(done, name)
            widget = shown()
            if widget is not None:
                widget.repaint()
            times.append((time.perf_counter() - began) * 1000)
            self._tick()  # the turn that ends now counts too
            self.watchdog.stop()
            stalls.append(self.longest)
            if self.sampler is not None:
                self.sampler.running = False
                if self.sampler.stack and self.sampler.worst > self.stacks.get(name, (0.0, ""))[0]:
                    self.stacks[name] = (self.sampler.worst, self.sampler.stack)
        stall = max(stalls)
        self.rows.append(
            (name, f"{median(times):.0f}", f"{stall:.0f}", f"< {limit:.0f}", stall < limit)
        )

    # ----------------------------------------------------------------- the actions
    def history_loaded(self) -> bool:
        return not self.history.model.loading

    def show_page(self, page) -> None:
        self.window.tabs.setCurrentWidget(page)
        self.settle()

    def activate(self) -> None:
        """Like a window manager: the main window is active again once a dialog closed."""
        self.window.activateWindow()
        self.settle(10)

    def page_action(self, page):
        """The View menu's action that shows ``page`` (Ctrl+1, Ctrl+2, …)."""
        title = self.window.tabs.tabText(self.window.tabs.indexOf(page))
        for action in self.window.view_menu.actions():
            if action.text() == title:
                return action
        raise SystemExit(f"no View menu action for {title!r}")

    def run(self, limit: float) -> None:
        from PySide6.QtCore import QPoint, Qt
        from PySide6.QtTest import QTest

        history, window = self.history, self.window
        model, table = history.model, history.table
        viewport = table.viewport
        ctrl = Qt.KeyboardModifier.ControlModifier

        def choose(combo, index):
            return lambda: combo.setCurrentIndex(index)

        def all_shown():
            history.clear_filters()
            self.wait_for(self.history_loaded, "all episodes")

        # --- nothing at all: the watchdog's own floor on this machine (its load, the timer)
        end: list[float] = []
        self.measure(
            "nothing (the watchdog's floor: 100 ms idle)",
            lambda: end.append(time.perf_counter() + 0.1),
            lambda: time.perf_counter() >= end[-1],
            lambda: None,
            None,
            limit,
        )

        # --- filters, each from "everything shown"
        for index in range(1, history.period.count() - 1):  # the presets, not Custom
            text = history.period.itemText(index)
            self.measure(
                f"history filter: {text}",
                choose(history.period, index),
                self.history_loaded,
                viewport,
                all_shown,
                limit,
            )
        for label, combo in (
            ("severity", history.severity),
            ("where", history.site),
            ("activity", history.activity),
        ):
            self.measure(
                f"history filter: {label} = {combo.itemText(1)}",
                choose(combo, 1),
                self.history_loaded,
                viewport,
                all_shown,
                limit,
            )
        for words in ("walk", "wedding"):

            def search(words=words):
                history.search.setText(words)
                history.apply_filter()  # what the typing pause ends with

            self.measure(
                f"history search: {words!r}",
                search,
                self.history_loaded,
                viewport,
                all_shown,
                limit,
            )

        def some_filter():
            history.severity.setCurrentIndex(1)
            self.wait_for(self.history_loaded, "a filter")

        self.measure(
            "history: Show all (clear filters)",
            lambda: QTest.mouseClick(history.clear_button, Qt.MouseButton.LeftButton),
            self.history_loaded,
            viewport,
            some_filter,
            limit,
        )
        all_shown()

        # --- sort by each column: a click on its header, from newest first
        header = table.horizontalHeader()

        def newest_first():
            table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
            self.wait_for(self.history_loaded, "newest first")

        for column in range(model.columnCount()):

            def click(column=column):
                x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
                QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))

            name = model.headerData(column, Qt.Orientation.Horizontal)
            self.measure(
                f"history sort: {name}", click, self.history_loaded, viewport, newest_first, limit
            )
        newest_first()

        # --- page switches through the View menu
        tips = window.tips_feature.page if window.tips_feature is not None else None
        patterns = window.patterns_page

        def on_screen(target) -> bool:
            """The page is current and, for Tips, its "For you" answer is in (gathered in a
            worker: what a person waits for is the tips, not the empty page)."""
            if window.tabs.currentWidget() is not target:
                return False
            return target is not tips or not tips.refreshing

        if tips is not None:  # the first visit: everything read (no findings kept yet)
            self.measure(
                f"page: {self._title(history)} -> {self._title(tips)} (first visit)",
                self.page_action(tips).trigger,
                lambda: on_screen(tips),
                lambda: tips,
                lambda: (self.show_page(history), tips.forget_kept(), tips.mark_stale()),
                limit,
            )

        def leave(source, target):
            self.show_page(source)
            if target is tips:
                tips.mark_stale()  # hidden: as after a save in the history, shown again

        for source, target in ((history, tips), (tips, patterns), (patterns, history)):
            if source is None or target is None:
                continue
            self.measure(
                f"page: {self._title(source)} -> {self._title(target)}",
                self.page_action(target).trigger,
                lambda target=target: on_screen(target),
                lambda target=target: target,
                lambda source=source, target=target: leave(source, target),
                limit,
            )

        # --- Patterns range change (hC1's page): each preset from the one before
        if patterns is not None:
            self.show_page(patterns)
            keys = [patterns.range_combo.itemData(i) for i in range(patterns.range_combo.count())]
            presets = [k for k in keys if k != "custom"]
            for key in presets:
                other = presets[(presets.index(key) + 1) % len(presets)]
                self.measure(
                    f"patterns range: {patterns.range_combo.itemText(keys.index(key))}",
                    lambda key=key: patterns.set_range(key),
                    lambda key=key: patterns.range_key == key,
                    lambda: patterns,
                    lambda other=other: (patterns.set_range(other), self.settle()),
                    limit,
                )
        self.show_page(history)
        all_shown()

        # --- the log form: open it (Ctrl+N), and save a new episode (Enter)
        from ui.episode.log_dialog import LogDialog

        def open_dialog():
            """The log or edit form on screen, or None."""
            shown = [d for d in window.findChildren(LogDialog) if d.isVisible()]
            return shown[0] if shown else None

        def dialog_open() -> bool:
            return open_dialog() is not None

        def close_dialog():
            while (dialog := open_dialog()) is not None:
                dialog.reject()
                self.settle()
            self.activate()

        self.measure(
            "log form: open (Ctrl+N)",
            lambda: QTest.keyClick(window, Qt.Key.Key_N, ctrl),
            dialog_open,
            open_dialog,
            close_dialog,
            limit,
        )
        close_dialog()
        counts: list[int] = []

        def open_form():
            self.activate()
            counts.append(model.rowCount())
            QTest.keyClick(window, Qt.Key.Key_N, ctrl)
            self.wait_for(dialog_open, "the log form")

        def press_enter():
            dialog = open_dialog()
            QTest.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return)

        self.measure(
            "save a new episode (Enter in the log form)",
            press_enter,
            lambda: open_dialog() is None and model.rowCount() == counts[-1] + 1,
            viewport,
            open_form,
            limit,
        )

        # --- edit: open the form on the newest row (the Episode menu's Edit), save it (Enter)
        def select_newest():
            self.activate()
            table.setFocus()
            table.selectRow(0)
            self.settle()

        self.measure(
            "edit form: open (Episode > Edit selected)",
            window.edit_action.trigger,
            dialog_open,
            open_dialog,
            lambda: (close_dialog(), select_newest()),
            limit,
        )
        close_dialog()
        revisions: list[int] = []

        def open_edit():
            select_newest()
            window.edit_action.trigger()
            self.wait_for(dialog_open, "the edit form")
            dialog = open_dialog()
            dialog.form.notes.setPlainText(f"edited {len(revisions)}")
            revisions.append(self.store.revision)

        self.measure(
            "save an edit (Enter in the edit form)",
            press_enter,
            lambda: open_dialog() is None and self.store.revision > revisions[-1],
            viewport,
            open_edit,
            limit,
        )

        # --- delete the newest (Delete key in the history), then undo (Ctrl+Z)
        def delete_newest():
            counts.append(model.rowCount())
            QTest.keyClick(table, Qt.Key.Key_Delete)

        def undo():
            counts.append(model.rowCount())
            QTest.keyClick(window, Qt.Key.Key_Z, ctrl)

        for _ in range(self.repeat):
            self.measure(
                "delete from the history (Delete key)",
                delete_newest,
                lambda: model.rowCount() == counts[-1] - 1,
                viewport,
                select_newest,
                limit,
            )
            self.measure(
                "undo the delete (Ctrl+Z)",
                undo,
                lambda: model.rowCount() == counts[-1] + 1,
                viewport,
                None,
                limit,
            )
        self._merge_repeated(("delete from the history (Delete key)", "undo the delete (Ctrl+Z)"))
        if tips is not None:
            self.tips_on_screen(tips, open_form, press_enter, open_dialog, limit)

    def tips_on_screen(self, tips, open_form, press_enter, open_dialog, limit: float) -> None:
        """A save (Enter) and its undo (Ctrl+Z) while the Tips page is on screen: until its
        "For you" answer for the change is in (gathered in a worker)."""
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        window = self.window
        revisions: list[int] = []

        def save_on_tips():
            open_form()
            revisions.append(self.store.revision)

        def back_to_tips():
            self.show_page(tips)
            self.wait_for(lambda: not tips.refreshing, "the tips")
            save_on_tips()

        def updated() -> bool:
            return self.store.revision > revisions[-1] and not tips.refreshing

        for _ in range(self.repeat):
            self.measure(
                "Tips on screen: save a new episode (Enter)",
                press_enter,
                lambda: open_dialog() is None and updated(),
                lambda: tips,
                back_to_tips,
                limit,
            )
            self.measure(
                "Tips on screen: undo the save (Ctrl+Z)",
                lambda: QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier),
                updated,
                lambda: tips,
                lambda: (self.activate(), revisions.append(self.store.revision)),
                limit,
            )
        self._merge_repeated(
            ("Tips on screen: save a new episode (Enter)", "Tips on screen: undo the save (Ctrl+Z)")
        )

    def _merge_repeated(self, names) -> None:
        """Delete and undo alternate, so each was measured once per round: one row each."""
        for name in names:
            found = [r for r in self.rows if r[0] == name]
            if len(found) <= 1:
                continue
            times = [float(r[1]) for r in found]
            stall = max(float(r[2]) for r in found)
            limit_text, ok = found[0][3], all(r[4] for r in found)
            self.rows = [r for r in self.rows if r[0] != name]
            self.rows.append((name, f"{median(times):.0f}", f"{stall:.0f}", limit_text, ok))

    def _title(self, page) -> str:
        return self.window.tabs.tabText(self.window.tabs.indexOf(page)).replace("&", "")

    def every_page_opened(self) -> tuple[float, float]:
        """RSS (current, peak) once every page was opened: the history scrolled to its end,
        Patterns on all dates, Tips, and the summary dialog opened and closed."""
        from ui.report.menu import open_report_dialog

        window, history = self.window, self.history
        self.show_page(history)
        history.table.scrollToBottom()
        self.settle(100)
        if window.patterns_page is not None:
            self.show_page(window.patterns_page)
            window.patterns_page.set_range("all")
            self.settle(100)
        if window.tips_feature is not None:
            self.show_page(window.tips_feature.page)
            self.settle(100)
        dialog = open_report_dialog(window)
        self.settle(300)
        dialog.close()
        self.settle(100)
        return memory_mb()

    def close(self) -> None:
        self.window.close()
        self.settle()
        self.store.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--db", type=Path, help="a diary to copy and use (never written)")
    source.add_argument("--episodes", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--stalls", action="store_true", help="print the UI thread's stack at each longest stall"
    )
    parser.add_argument("--only", default="", help="measure only actions whose name has this")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-actions-") as folder:
        db = Path(folder) / "cramps.sqlite"
        if args.db is not None:
            shutil.copyfile(args.db, db)
        else:
            make_demo_db(db, args.episodes)
        from tracker.store import Store

        with Store.open(db) as store:
            episodes = store.count_episodes()
        limit = stall_limit(episodes)
        bench = Bench(db, Path(folder) / "settings.ini", args.repeat, args.stalls, args.only)
        if args.only:  # no action before them: let start-up's deferred work run out first
            bench.settle(6000)
        bench.run(limit)
        rss, peak = bench.every_page_opened() if not args.only else memory_mb()
        start_ms = bench.start_ms
        bench.close()

    headers = ("action", "on screen (ms)", "longest stall (ms)", "target", "ok")
    cells = [(*row[:4], "yes" if row[4] else "NO") for row in bench.rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    print(
        f"\nEvery action with {episodes:,} episodes (median of {args.repeat}; stall = longest "
        f"gap between event-loop turns, watchdog every {WATCHDOG_MS} ms)"
    )
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for cell in cells:
        print("  ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True)))
    ok = all(row[4] for row in bench.rows)
    if bench.stacks:
        print("\nUI thread at the longest stall of each action (innermost first):")
        for name, (ms, stack) in bench.stacks.items():
            print(f"{name}: {ms:.0f} ms\n{stack}")
    ok = (
        print_table(
            f"Memory with {episodes:,} episodes, every page opened",
            [
                ("window started, every page installed (ms)", f"{start_ms:.0f}", "", None),
                ("RSS (MB)", f"{rss:.0f}", f"< {RSS_LIMIT_MB}", rss < RSS_LIMIT_MB),
                ("peak RSS (MB)", f"{peak:.0f}", "", None),
            ],
        )
        and ok
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
