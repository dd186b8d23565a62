"""Long work runs in a thread: a dialog after a second, Cancel undoes, results on the UI thread."""

import threading
import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

from tracker.diary.progress import Cancelled
from ui.widgets.background import run_in_background


def _window(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    return window


def test_quick_work_returns_its_result_on_the_ui_thread_without_a_dialog(qtbot):
    window = _window(qtbot)
    got = []

    def work(progress):
        progress.step(1, 1)
        return threading.current_thread().name

    def done(result):
        got.append((result, threading.current_thread() is threading.main_thread()))

    task = run_in_background(window, "Quick", work, done, on_failed=got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    assert got == [("task: Quick", True)]
    assert window.findChildren(QProgressDialog) == []
    assert task.dialog is None


def test_slow_work_shows_progress_and_cancel_undoes_it(qtbot):
    window = _window(qtbot)
    undone, cancelled, results = [], [], []

    def work(progress):
        try:
            for i in range(1000):
                progress.step(i, 1000, "Counting cramps…")
                time.sleep(0.01)
        except Cancelled:
            undone.append(True)
            raise
        return "finished"

    task = run_in_background(
        window,
        "Slow",
        work,
        results.append,
        on_failed=results.append,
        on_cancelled=lambda: cancelled.append(True),
        show_after_ms=50,
    )
    qtbot.waitUntil(lambda: task.dialog is not None and task.dialog.isVisible(), timeout=5000)
    dialog = task.dialog
    qtbot.waitUntil(lambda: dialog.value() > 0, timeout=5000)
    assert dialog.labelText() == "Counting cramps…"
    assert dialog.maximum() == 1000
    (button,) = dialog.findChildren(QPushButton)
    assert button.text() == "Cancel"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(cancelled), timeout=5000)
    assert undone == [True]
    assert results == []
    assert not [d for d in window.findChildren(QProgressDialog) if d.isVisible()]


def test_an_error_in_the_work_reaches_on_failed(qtbot):
    window = _window(qtbot)
    failures = []

    def work(progress):
        raise OSError(28, "No space left on device")

    run_in_background(window, "Fails", work, lambda r: None, on_failed=failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    assert isinstance(failures[0], OSError)
    assert failures[0].errno == 28


def test_the_ui_keeps_turning_while_the_work_runs(qtbot):
    window = _window(qtbot)
    turns = []
    finished = []

    def work(progress):
        time.sleep(0.5)
        return True

    from PySide6.QtCore import QTimer

    ticker = QTimer()
    ticker.setInterval(10)
    ticker.timeout.connect(lambda: turns.append(time.perf_counter()))
    ticker.start()
    run_in_background(window, "Sleeps", work, finished.append, on_failed=finished.append)
    qtbot.waitUntil(lambda: bool(finished), timeout=5000)
    ticker.stop()
    gaps = [b - a for a, b in zip(turns, turns[1:], strict=False)]
    assert len(turns) > 10
    assert max(gaps) < 0.2
