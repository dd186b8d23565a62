"""What a person does: real key presses and mouse clicks, sent as Qt events."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QCheckBox, QRadioButton, QWidget

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def click(widget: QWidget) -> None:
    """Click where a person would: on a check box's or radio button's box, else the middle."""
    assert widget.isVisible() and widget.isEnabled(), f"cannot click {widget.objectName()!r}"
    if isinstance(widget, QCheckBox | QRadioButton):
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(8, widget.height() // 2))
    else:
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def key(widget: QWidget, key: Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(widget, key, modifiers)


def type_text(widget: QWidget, text: str) -> None:
    QTest.keyClicks(widget, text)


def focused_in(dialog: QWidget) -> QWidget:
    """Where a key press in the dialog goes: its focus widget, else the dialog itself."""
    focus = QApplication.focusWidget()
    if focus is not None and (focus is dialog or dialog.isAncestorOf(focus)):
        return focus
    return dialog.focusWidget() or dialog
