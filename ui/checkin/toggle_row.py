"""One check-in question as a row of toggle buttons: at most one chosen, none by default.

Keyboard: the row is one Tab stop (only one of its buttons takes the focus, the chosen one or
the first: a "roving" focus). Left/Right move along the row, Space or a number key chooses
(1 = the first choice; the 0-10 row takes its own numbers), the same key again, Delete or
Backspace clear it ("not recorded"); Up/Down go to the previous/next question. Enter is left to
the dialog (Save): the buttons are not auto-default.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton, QWidget

from ui.widgets import theme

_DIGITS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(10)}


class ToggleRow(QWidget):
    """Choices of one question; ``value()`` is the chosen code or None (not recorded)."""

    changed = Signal()
    chosen_by_key = Signal()  # a number key chose something: the dialog may move on

    def __init__(
        self,
        choices: list[tuple[str, str]],
        accessible_name: str,
        parent: QWidget | None = None,
        *,
        first_digit: int = 1,
    ):
        """``choices``: (code, text) pairs; ``first_digit``: the number key of the first."""
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self._codes = [code for code, _ in choices]
        self._first_digit = first_digit
        self._group = QButtonGroup(self)
        self._group.setExclusive(False)  # exclusive by hand, so a choice can be taken back
        self.buttons: list[QPushButton] = []
        self.move_focus: Callable[[int], None] = lambda _step: None  # set by the dialog
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for index, (code, text) in enumerate(choices):
            button = QPushButton(text)
            button.setCheckable(True)
            button.setAutoDefault(False)
            button.setAccessibleName(f"{accessible_name}: {text}")
            button.setToolTip(f"Press {index + first_digit} to choose, again to clear")
            button.setObjectName(f"choice_{code}")
            button.installEventFilter(self)
            self._group.addButton(button, index)
            self.buttons.append(button)
            layout.addWidget(button)
        layout.addStretch(1)
        self._group.idClicked.connect(self._clicked)
        self._update_focus_stop()
        theme.follow_palette(self, self._restyle)

    def _restyle(self) -> None:
        """A chosen answer in the highlight colour (not just a sunken button), its text from
        the same palette; unchosen buttons keep the style's own look."""
        palette = theme.app_palette()
        background = palette.color(QPalette.ColorRole.Highlight)
        text = palette.color(QPalette.ColorRole.HighlightedText)
        self.setStyleSheet(
            f"QPushButton:checked {{ background: {background.name()}; color: {text.name()};"
            " font-weight: bold; }"
        )

    # ----------------------------------------------------------------- value
    def value(self) -> str | None:
        for code, button in zip(self._codes, self.buttons, strict=True):
            if button.isChecked():
                return code
        return None

    def set_value(self, code: str | None) -> None:
        for this, button in zip(self._codes, self.buttons, strict=True):
            button.setChecked(this == code)
        self._update_focus_stop()

    def button(self, code: str) -> QPushButton:
        return self.buttons[self._codes.index(code)]

    def _clicked(self, index: int) -> None:
        """A click (mouse or Space) toggled button ``index``: the others go off."""
        for other, button in enumerate(self.buttons):
            if other != index and button.isChecked():
                button.setChecked(False)
        self._update_focus_stop()
        self.changed.emit()

    def _toggle(self, index: int) -> bool:
        """Choose button ``index``, or clear it if it was chosen; True when now chosen."""
        button = self.buttons[index]
        button.setChecked(not button.isChecked())
        self._clicked(index)
        button.setFocus(Qt.FocusReason.OtherFocusReason)
        return button.isChecked()

    def clear(self) -> None:
        if self.value() is not None:
            self.set_value(None)
            self.changed.emit()

    # ----------------------------------------------------------------- focus
    def focus_stop(self) -> QPushButton:
        return next((b for b in self.buttons if b.isChecked()), self.buttons[0])

    def _update_focus_stop(self) -> None:
        stop = self.focus_stop()
        focused = next((b for b in self.buttons if b.hasFocus()), None)
        for button in self.buttons:
            keep = button is stop or button is focused
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus if keep else Qt.FocusPolicy.NoFocus)
        self.setFocusProxy(stop)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # so a label's mnemonic reaches it

    def _focus_button(self, index: int) -> None:
        index = max(0, min(len(self.buttons) - 1, index))
        button = self.buttons[index]
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        button.setFocus(Qt.FocusReason.TabFocusReason)
        self._update_focus_stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.FocusOut and watched in self.buttons:
            self._update_focus_stop()
        if event.type() != QEvent.Type.KeyPress or watched not in self.buttons:
            return False
        assert isinstance(event, QKeyEvent)
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False  # Alt+letter, Ctrl+… belong to the dialog
        index = self.buttons.index(watched)
        key = event.key()
        if key == Qt.Key.Key_Left:
            self._focus_button(index - 1)
        elif key == Qt.Key.Key_Right:
            self._focus_button(index + 1)
        elif key == Qt.Key.Key_Up:
            self.move_focus(-1)
        elif key == Qt.Key.Key_Down:
            self.move_focus(1)
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.clear()
        elif key in _DIGITS and 0 <= _DIGITS[key] - self._first_digit < len(self.buttons):
            if self._toggle(_DIGITS[key] - self._first_digit):
                self.chosen_by_key.emit()
        else:
            return False
        return True
