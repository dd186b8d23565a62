"""A stopwatch for a cramp in progress: one press when it starts, one when it ends."""

from __future__ import annotations

import time
from datetime import datetime

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QPushButton


class CrampTimer(QPushButton):
    """Press to start timing; press again to stop. ``finished(start, seconds)`` on stop."""

    finished = Signal(object, int)
    started = Signal(object)  # the wall-clock start, so the window can keep it in the diary

    START_TEXT = "Start cramp timer"

    def __init__(self, parent=None, clock=time.monotonic):
        # Not QPushButton(text, parent): PySide tries the (icon, text, parent) overload first
        # for that call, which loads QIcon's enums (~1.5 ms of start-up).
        super().__init__(parent)
        self.setText(self.START_TEXT)
        self._clock = clock
        self._started_mono: float | None = None
        self._started_at: datetime | None = None
        self.setAccessibleName("Cramp timer")
        self.setToolTip("Press when a cramp starts and again when it ends (Ctrl+T)")
        self._tick = QTimer(self)
        self._tick.setInterval(250)
        self._tick.timeout.connect(self._refresh)
        self.clicked.connect(self.toggle)

    @property
    def running(self) -> bool:
        return self._started_mono is not None

    def elapsed(self) -> int:
        if self._started_mono is None:
            return 0
        return max(1, round(self._clock() - self._started_mono))

    def toggle(self) -> None:
        if self.running:
            self.stop()
        else:
            self.start()

    def start(self) -> None:
        self._started_mono = self._clock()
        self._started_at = datetime.now().astimezone().replace(microsecond=0)
        self._tick.start()
        self._refresh()
        self.started.emit(self._started_at)

    def resume(self, started_at: datetime) -> None:
        """Go on timing a cramp that started at ``started_at`` (after a restart of the app)."""
        behind = max(0.0, (datetime.now().astimezone() - started_at).total_seconds())
        self._started_mono = self._clock() - behind
        self._started_at = started_at
        self._tick.start()
        self._refresh()

    @property
    def started_at(self) -> datetime | None:
        return self._started_at

    def stop(self) -> None:
        if not self.running:
            return
        seconds = self.elapsed()
        started = self._started_at
        self._started_mono = self._started_at = None
        self._tick.stop()
        self.setText(self.START_TEXT)
        self.setAccessibleName("Cramp timer")
        self.finished.emit(started, seconds)

    def _refresh(self) -> None:
        minutes, seconds = divmod(self.elapsed(), 60)
        self.setText(f"Stop timer  {minutes}:{seconds:02d}")
        self.setAccessibleName(f"Cramp timer running, {minutes} minutes {seconds} seconds")
