"""The shared shape of a notice above the pages: one line, with the full text a click away.

A notice must not eat the pages' room: collapsed it is a single line (a bold lead, the reason
elided to the width, then its buttons); "Details" opens the full text below it. The whole
one-liner is also the line's tooltip and accessible description, so nothing is lost to elision.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget


class ElidedLabel(QLabel):
    """Plain text on one line, cut with "…" when the line is too narrow (never wrapping)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._full = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(False)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M" * 8))

    def set_full_text(self, text: str) -> None:
        self._full = text
        self._elide()

    def full_text(self) -> str:
        return self._full

    def minimumSizeHint(self):  # noqa: N802 (Qt override): never widens the window
        hint = super().minimumSizeHint()
        hint.setWidth(self.minimumWidth())
        return hint

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, self.width())
        if shown != self.text():
            self.setText(shown)


@dataclass
class NoticeParts:
    lead: QLabel  # "It may be worth seeing a doctor:" in bold
    summary: ElidedLabel  # the reasons, on one line
    details_button: QPushButton  # checkable: shows or hides ``body``
    buttons: QHBoxLayout  # the notice's own buttons go here, after Details
    body: QLabel  # the full text, word-wrapped rich text, hidden until Details


def build_notice(frame: QWidget, lead: str) -> NoticeParts:
    """Lay out ``frame`` as a one-line notice with a Details toggle; return its parts."""
    outer = QVBoxLayout(frame)
    outer.setContentsMargins(10, 2, 4, 2)
    outer.setSpacing(0)
    line = QHBoxLayout()
    line.setSpacing(6)
    lead_label = QLabel(lead)
    font = lead_label.font()
    font.setBold(True)
    lead_label.setFont(font)
    lead_label.setTextFormat(Qt.TextFormat.PlainText)
    summary = ElidedLabel()
    details = QPushButton("Details")
    details.setCheckable(True)
    details.setToolTip("Show or hide the full text")
    buttons = QHBoxLayout()
    buttons.setSpacing(4)
    line.addWidget(lead_label)
    line.addWidget(summary, 1)
    line.addWidget(details)
    line.addLayout(buttons)
    outer.addLayout(line)

    body = QLabel()
    body.setWordWrap(True)
    body.setTextFormat(Qt.TextFormat.RichText)
    body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    body.setContentsMargins(0, 0, 0, 4)
    body.hide()
    outer.addWidget(body)

    def toggle(shown: bool) -> None:
        body.setVisible(shown)
        details.setText("Hide details" if shown else "Details")

    details.toggled.connect(toggle)
    return NoticeParts(lead_label, summary, details, buttons, body)


def summary_line(titles: list[str]) -> str:
    """'Numb feet' or 'Cramps every week for 4 weeks (+1 more)'."""
    if not titles:
        return ""
    more = len(titles) - 1
    return titles[0] + (f" (+{more} more)" if more else "")
