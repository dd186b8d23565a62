"""Run long work in a worker thread with a progress dialog and a Cancel button.

``run_in_background(parent, title, work, on_done)`` calls ``work(progress)`` in a thread. The
work gets a ``tracker.diary.progress.Progress``; if it runs over ``SHOW_AFTER_MS`` a
window-modal ``QProgressDialog`` shows what it is doing and how far it is, and its Cancel button
cancels the work (the work raises ``Cancelled`` at its next step and undoes itself). Results,
errors and the cancel come back on the UI thread: ``on_done(result)``, ``on_failed(exc)``,
``on_cancelled()``. The work must use its own connection (``Store.open`` in the thread) or
objects no other thread touches meanwhile.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from tracker.diary.progress import Cancelled, Progress

SHOW_AFTER_MS = 1000
"""Work shorter than this never shows a dialog (the issue: progress where it takes over 1 s)."""


class BackgroundTask(QObject):
    """One piece of work in a thread; signals arrive on the UI thread."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    finished = Signal()
    _done = Signal(str, object)  # ("ok" | "failed" | "cancelled", payload), thread → UI

    def __init__(
        self,
        parent: QWidget,
        title: str,
        work: Callable[[Progress], Any],
        show_after_ms: int = SHOW_AFTER_MS,
    ) -> None:
        super().__init__(parent)
        self.window = parent
        self.title = title
        self.work = work
        self.progress = Progress(self._report)
        self.dialog: QProgressDialog | None = None
        self.worker: threading.Thread | None = None
        self.running = False
        self._text = title
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.setInterval(show_after_ms)
        self._show_timer.timeout.connect(self._show_dialog)
        queued = Qt.ConnectionType.QueuedConnection
        self.progressed.connect(self._on_progress, queued)
        self._done.connect(self._on_done, queued)

    def start(self) -> None:
        self.running = True

        def run() -> None:
            try:
                result = self.work(self.progress)
            except Cancelled:
                self._emit_done("cancelled", None)
            except BaseException as exc:  # noqa: BLE001  (reported to the person, not lost)
                self._emit_done("failed", exc)
            else:
                self._emit_done("ok", result)

        self.worker = threading.Thread(target=run, name=f"task: {self.title}", daemon=True)
        self._show_timer.start()
        self.worker.start()

    def _emit_done(self, how: str, payload: object) -> None:
        try:
            self._done.emit(how, payload)
        except RuntimeError:  # the window was closed meanwhile; nothing left to tell
            pass

    def cancel(self) -> None:
        """Ask the work to stop; ``cancelled`` follows once it has undone itself."""
        self.progress.cancel()
        if self.dialog is not None:
            self.dialog.setLabelText("Cancelling…")
            self.dialog.setCancelButton(None)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the thread ends (tests, closing the window); True if it ended."""
        if self.worker is None:
            return True
        self.worker.join(timeout)
        return not self.worker.is_alive()

    def _report(self, done: int, total: int, text: str) -> None:  # worker thread
        try:
            self.progressed.emit(done, total, text)
        except RuntimeError:
            pass

    def _on_progress(self, done: int, total: int, text: str) -> None:
        if text:
            self._text = text
        if self.dialog is None:
            return
        if text:
            self.dialog.setLabelText(text)
        if total > 0:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total - 1) if done < total else total - 1)
        else:
            self.dialog.setMaximum(0)  # busy indicator: the total is not known

    def _show_dialog(self) -> None:
        if not self.running or self.progress.cancelled:
            return
        dialog = QProgressDialog(self._text, "Cancel", 0, 0, self.window)
        dialog.setWindowTitle(self.title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumWidth(360)
        dialog.canceled.connect(self.cancel)
        self.dialog = dialog
        dialog.show()

    def _on_done(self, how: str, payload: object) -> None:
        self.running = False
        self._show_timer.stop()
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.cancel)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        if how == "ok":
            self.succeeded.emit(payload)
        elif how == "cancelled":
            self.cancelled.emit()
        else:
            self.failed.emit(payload)
        self.finished.emit()
        self.deleteLater()


def run_in_background(
    parent: QWidget,
    title: str,
    work: Callable[[Progress], Any],
    on_done: Callable[[Any], None],
    on_failed: Callable[[BaseException], None],
    on_cancelled: Callable[[], None] | None = None,
    show_after_ms: int = SHOW_AFTER_MS,
) -> BackgroundTask:
    """Start ``work`` in a thread and return its task (``task.wait()`` in tests)."""
    task = BackgroundTask(parent, title, work, show_after_ms)
    task.succeeded.connect(on_done)
    task.failed.connect(on_failed)
    if on_cancelled is not None:
        task.cancelled.connect(on_cancelled)
    task.start()
    return task
