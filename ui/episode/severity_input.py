"""Severity on the 0-10 scale, starting "not rated": a slider nobody touched saves nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QVBoxLayout, QWidget

from tracker.diary import vocab

NOT_RATED_TEXT = "Not rated"


def severity_words(value: int) -> str:
    """A word for every value: the charts' mild/moderate/severe bands, and the scale's ends
    ('0 / 10 none', '7 / 10 severe', '10 / 10 worst imaginable')."""
    if value in (0, 10):
        return f"{value} / 10 {vocab.SEVERITY_ANCHORS[value]}"
    return f"{value} / 10 {vocab.severity_band(value)}"


class SeverityInput(QWidget):
    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rated = False
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        row = QHBoxLayout()
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 10)
        self.slider.setPageStep(1)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setTickInterval(1)
        self.slider.setAccessibleName("Severity from 0 (none) to 10 (worst imaginable)")
        self.slider.setMinimumWidth(
            self.fontMetrics().horizontalAdvance("0 none 5 moderate 10 worst") * 3 // 2
        )
        self.label = QLabel()
        self.label.setMinimumWidth(
            self.fontMetrics().horizontalAdvance("10 / 10 worst imaginable") + 8
        )
        self.label.setToolTip("Drag or click the slider, or use the arrow keys")
        self.clear_button = QPushButton("Clear")
        self.clear_button.setAutoDefault(False)
        self.clear_button.setAccessibleName("Clear severity")
        self.clear_button.setToolTip("Back to not rated")
        self.clear_button.clicked.connect(self.clear)
        # Any move by the person rates it, even to the value the handle already shows.
        self.slider.actionTriggered.connect(lambda *_: self._mark_rated())
        self.slider.sliderPressed.connect(self._mark_rated)
        self.slider.valueChanged.connect(lambda *_: self._mark_rated())
        row.addWidget(self.slider, 1)
        row.addWidget(self.label)
        row.addWidget(self.clear_button)
        anchors = QHBoxLayout()
        for text, align in (
            ("0 none", Qt.AlignmentFlag.AlignLeft),
            ("5 moderate", Qt.AlignmentFlag.AlignHCenter),
            ("10 worst", Qt.AlignmentFlag.AlignRight),
        ):
            anchor = QLabel(text)
            anchor.setAlignment(align)
            anchor.setEnabled(False)
            anchors.addWidget(anchor, 1)
        anchors.addSpacing(
            self.label.minimumWidth() + self.clear_button.sizeHint().width() + 2 * row.spacing()
        )
        box.addLayout(row)
        box.addLayout(anchors)
        self._show()

    def value(self) -> int | None:
        return self.slider.value() if self._rated else None

    def set_value(self, value: int | None) -> None:
        self.slider.blockSignals(True)
        self.slider.setValue(0 if value is None else value)
        self.slider.blockSignals(False)
        self._rated = value is not None
        self._show()
        self.changed.emit()

    def clear(self) -> None:
        self.set_value(None)

    def _mark_rated(self) -> None:
        self._rated = True
        self._show()
        self.changed.emit()

    def _show(self) -> None:
        if self._rated:
            self.label.setText(f"<b>{severity_words(self.slider.value())}</b>")
        else:
            self.label.setText(NOT_RATED_TEXT)
        self.clear_button.setEnabled(self._rated)
