"""What the History page shows while the diary is empty: what the app is for and how to start.

An empty table with a grey hint tells a new person nothing. This says what the app does, offers
one big first action, and a way to see a full diary without typing one: an example diary kept
apart from theirs (ui/shell/example_diary.py).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui.widgets import theme

ABOUT = (
    "Cramp Tracker is a private diary for toe, foot and leg cramps: log each one in a few "
    "seconds, when it happens or the next morning. As the diary grows it shows your patterns "
    "(times, activities, shoes, drinks) and tips from published articles, and it prints a "
    "summary for your doctor; everything stays on this computer."
)
EXAMPLE_HINT = (
    "Opens a separate example diary with two years of made-up cramps. Your own diary stays "
    "empty and untouched; you can go back to it at any time."
)


class WelcomePanel(QWidget):
    log_requested = Signal()
    explore_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Welcome")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        column = QVBoxLayout()
        column.setSpacing(12)
        heading = QLabel("Welcome to Cramp Tracker")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        heading.setFont(font)
        self.about = QLabel(ABOUT)
        self.about.setWordWrap(True)
        self.about.setTextFormat(Qt.TextFormat.PlainText)

        self.log_button = QPushButton("Log your first cramp")
        self.log_button.setAccessibleName("Log your first cramp")
        self.log_button.setToolTip("Record a cramp episode (Ctrl+N)")
        big = self.log_button.font()
        big.setPointSizeF(big.pointSizeF() * 1.35)
        big.setBold(True)
        self.log_button.setFont(big)
        metrics = self.log_button.fontMetrics()
        self.log_button.setMinimumHeight(metrics.height() * 2 + 8)
        self.log_button.setMinimumWidth(metrics.horizontalAdvance("Log your first cramp") + 72)
        self.log_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        theme.follow_palette(  # the main action's colours, from the palette like Log a cramp
            self.log_button,
            lambda: self.log_button.setStyleSheet(theme.primary_button_style(theme.app_palette())),
        )
        self.log_button.clicked.connect(self.log_requested.emit)

        self.explore_button = QPushButton("Explore with example data")
        self.explore_button.setAccessibleName("Explore with example data")
        self.explore_button.setAccessibleDescription(EXAMPLE_HINT)
        self.explore_button.setToolTip(EXAMPLE_HINT)
        self.explore_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.explore_button.clicked.connect(self.explore_requested.emit)
        hint = QLabel(EXAMPLE_HINT)
        hint.setWordWrap(True)

        column.addWidget(heading)
        column.addWidget(self.about)
        column.addSpacing(8)
        column.addWidget(self.log_button)
        column.addSpacing(8)
        column.addWidget(self.explore_button)
        column.addWidget(hint)
        holder = QWidget()
        holder.setLayout(column)
        holder.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * 44)
        # Centred by stretches, not by alignment: an aligned widget gets its size hint, and
        # word-wrapped labels then lose their last lines.
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(holder, 4)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
