"""Small input widgets built from a vocabulary: one choice (radio row) or several (check grid)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QRadioButton,
    QWidget,
)


def _accept_label_focus(widget: QWidget) -> None:
    """QLabel gives its buddy the focus only if the buddy's own policy is not NoFocus (the
    focus proxy is not asked). Tab skips a widget with a focus proxy, so Tab order stays."""
    widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)


class RadioRow(QWidget):
    """One choice out of a few, all visible at once (quicker than a drop-down mid-cramp)."""

    changed = Signal()

    def __init__(
        self, vocabulary, accessible_name: str, parent=None, *, not_recorded: str | None = None
    ):
        """``not_recorded``: the text of a first choice that stands for "not said" (value None);
        it is checked until the person picks something."""
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self._group = QButtonGroup(self)
        self._buttons: dict[str, QRadioButton] = {}
        self._none_button: QRadioButton | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if not_recorded:
            self._none_button = QRadioButton(not_recorded)
            self._none_button.setAccessibleName(f"{accessible_name}: {not_recorded}")
            self._none_button.setChecked(True)
            self._group.addButton(self._none_button)
            layout.addWidget(self._none_button)
        for code, text in vocabulary.items():
            button = QRadioButton(text)
            button.setAccessibleName(f"{accessible_name}: {text}")
            self._group.addButton(button)
            self._buttons[code] = button
            layout.addWidget(button)
        layout.addStretch(1)
        self._group.buttonToggled.connect(lambda *_: self.changed.emit())
        # A label's mnemonic (its buddy is this row) moves focus to the first choice.
        first = self._none_button or next(iter(self._buttons.values()), None)
        if first is not None:
            self.setFocusProxy(first)
            _accept_label_focus(self)

    def value(self) -> str | None:
        for code, button in self._buttons.items():
            if button.isChecked():
                return code
        return None

    def set_value(self, code: str | None) -> None:
        if code in self._buttons:
            self._buttons[code].setChecked(True)
            return
        if self._none_button is not None:
            self._none_button.setChecked(True)
            return
        self._group.setExclusive(False)
        for button in self._buttons.values():
            button.setChecked(False)
        self._group.setExclusive(True)

    def button(self, code: str) -> QRadioButton:
        return self._buttons[code]


class CheckGrid(QWidget):
    """Several choices as check boxes laid out in columns.

    ``legacy``: codes earlier versions offered and stored, no longer offered. Their boxes stay
    hidden unless ``set_values`` loads an entry that has them, so editing an old entry neither
    drops the code nor offers it for new ones.
    """

    changed = Signal()

    def __init__(
        self, vocabulary, accessible_name: str, columns: int = 3, parent=None, *, legacy=None
    ):
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self._boxes: dict[str, QCheckBox] = {}
        self._legacy = frozenset(legacy or ())
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setHorizontalSpacing(16)
        items = [*vocabulary.items(), *(legacy or {}).items()]
        for i, (code, text) in enumerate(items):
            box = QCheckBox(text)
            box.setAccessibleName(f"{accessible_name}: {text}")
            box.toggled.connect(lambda *_: self.changed.emit())
            box.setVisible(code not in self._legacy)
            self._boxes[code] = box
            layout.addWidget(box, i // columns, i % columns)
        if self._boxes:
            self.setFocusProxy(next(iter(self._boxes.values())))
            _accept_label_focus(self)

    def values(self) -> tuple[str, ...]:
        return tuple(code for code, box in self._boxes.items() if box.isChecked())

    def set_values(self, codes) -> None:
        for code, box in self._boxes.items():
            box.setChecked(code in codes)
            if code in self._legacy:
                box.setVisible(code in codes)

    def is_offered(self, code: str) -> bool:
        """Whether a new entry can choose ``code`` (a legacy box shows only on an old entry)."""
        return code in self._boxes and code not in self._legacy

    def box(self, code: str) -> QCheckBox:
        return self._boxes[code]
