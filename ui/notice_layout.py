"""The shared shape of a notice above the pages: selectable rich text, buttons on the right."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget


def build_notice(frame: QWidget) -> tuple[QLabel, QVBoxLayout]:
    """Lay out ``frame`` as a notice; return its text label and the column for its buttons."""
    outer = QHBoxLayout(frame)
    outer.setContentsMargins(12, 8, 8, 8)
    body = QLabel()
    body.setWordWrap(True)
    body.setTextFormat(Qt.TextFormat.RichText)
    body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    outer.addWidget(body, 1)
    buttons = QVBoxLayout()
    outer.addLayout(buttons)
    return body, buttons
