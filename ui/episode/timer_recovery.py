"""The notice that offers to log a cramp the timer kept (see tracker/diary/timer_state.py)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from tracker.diary.episode import format_duration
from ui.widgets.dates import short_date, short_time


class TimerRecoveryNotice(QFrame):
    """'A cramp timer was running since 03:12: log it?' with Log it / Keep timing / Discard."""

    log_requested = Signal()
    resume_requested = Signal()
    discard_requested = Signal()

    def __init__(self, text: str, *, can_resume: bool, parent=None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Unlogged cramp timer")
        layout = QHBoxLayout(self)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        layout.addWidget(self.label, 1)
        self.log_button = QPushButton("Log it")
        self.log_button.clicked.connect(self.log_requested)
        layout.addWidget(self.log_button)
        self.resume_button = QPushButton("Keep timing")
        self.resume_button.clicked.connect(self.resume_requested)
        self.resume_button.setVisible(can_resume)
        layout.addWidget(self.resume_button)
        self.discard_button = QPushButton("Discard")
        self.discard_button.clicked.connect(self.discard_requested)
        layout.addWidget(self.discard_button)


def running_text(started_at: datetime, now: datetime) -> str:
    when = _when(started_at, now)
    return f"A cramp timer was running since {when} when Cramp Tracker closed. Log it?"


def pending_text(started_at: datetime, seconds: int, now: datetime) -> str:
    when = _when(started_at, now)
    return f"A cramp timed at {when} ({format_duration(seconds)}) was not logged yet. Log it?"


def _when(value: datetime, now: datetime) -> str:
    local = value.astimezone()
    if local.date() == now.astimezone().date():
        return short_time(local)
    return f"{short_time(local)} on {short_date(local)}"
