"""Progress and cancelling for long work (import, export, backup, restore, the summary), without Qt.

Long work takes a ``Progress`` and calls ``step(done, total)`` now and then; the call raises
``Cancelled`` once the person asked to stop, so the work unwinds through its own ``finally`` and
``with`` blocks (a transaction rolls back, a temporary file is removed) and nothing is half-done.
Reports are throttled, so calling ``step`` for every row costs almost nothing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class Cancelled(Exception):  # noqa: N818  (a request, not an error)
    """The person cancelled; whatever was under way was undone."""


Reporter = Callable[[int, int, str], None]


class Progress:
    """``step(done, total, text)`` reports at most every ``interval`` seconds; ``cancel()``
    (from any thread) makes the next ``step`` or ``check`` raise ``Cancelled``."""

    def __init__(self, report: Reporter | None = None, interval: float = 0.1) -> None:
        self._report = report
        self._interval = interval
        self._next = 0.0
        self._cancelled = threading.Event()
        self.text = ""

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def cancel(self) -> None:
        self._cancelled.set()

    def check(self) -> None:
        if self._cancelled.is_set():
            raise Cancelled

    def phase(self, text: str) -> None:
        """Name what is being done now ("Reading the file…"); reported at the next step."""
        self.text = text
        self._next = 0.0

    def step(self, done: int, total: int = 0, text: str | None = None) -> None:
        """``done`` of ``total`` units (0 total: unknown); raises ``Cancelled`` if cancelled."""
        if self._cancelled.is_set():
            raise Cancelled
        if text is not None and text != self.text:
            self.text = text
            self._next = 0.0
        if self._report is None:
            return
        now = time.monotonic()
        if now >= self._next or (total and done >= total):
            self._next = now + self._interval
            self._report(done, total, self.text)


NO_PROGRESS = Progress()
"""For callers that need neither reports nor cancelling (the CLI, tests). Never cancel it."""
