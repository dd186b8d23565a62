"""The diary's full integrity check, run off the UI thread once the window is on screen.

Opening a diary checks every page (SQLite's quick_check) only when there is a reason to doubt
it (tracker.store.opening.closed_cleanly); otherwise this worker does it with its own
read-only connection, and a problem reaches the person in the words an open would have used.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from tracker.store import Store, integrity_problem

TITLE = "Your diary is damaged"


class IntegrityCheck(QObject):
    """Checks ``store``'s file in a thread; ``damaged`` carries the message (UI thread)."""

    damaged = Signal(str)

    def __init__(self, store: Store, parent: QWidget) -> None:
        super().__init__(parent)
        self.store = store
        self.window = parent
        self.worker: threading.Thread | None = None
        self.box: QMessageBox | None = None
        self.damaged.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def start(self) -> None:
        path = self.store.path

        def work() -> None:
            message = integrity_problem(path)
            if message is not None:
                self.damaged.emit(message)

        self.worker = threading.Thread(target=work, name="integrity-check", daemon=True)
        self.worker.start()

    def wait(self, timeout: float | None = None) -> None:
        if self.worker is not None:
            self.worker.join(timeout)

    def _show(self, message: str) -> None:
        self.store.mark_damaged()  # the next open checks it again and refuses it
        text = message.replace("It was left untouched. ", "")
        self.box = QMessageBox(QMessageBox.Icon.Warning, TITLE, text, parent=self.window)
        self.box.setInformativeText(
            "The check changed nothing. Episodes saved into a damaged file may be lost: "
            "go back to a good copy with File > Restore from backup…"
        )
        self.box.open()  # not modal to the app: the person can still read and export


def start_if_needed(store: Store, window: QWidget) -> IntegrityCheck | None:
    """Start the background check when opening skipped it; the check, or None."""
    if store.checked_on_open or store.readonly:
        return None
    check = IntegrityCheck(store, window)
    check.start()
    return check
