"""Window and dialog sizes taken from the screen they open on, so they fit a 1366x768 laptop.

The available geometry is the screen minus panels and docks; a window's frame (title bar,
borders) comes on top of its size, which is why the share is below 100%.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QWidget

SHARE = 0.95  # of the available width and height, leaving room for the window's frame


def fitted_size(preferred: QSize, available: QRect, share: float = SHARE) -> QSize:
    """``preferred``, shrunk to ``share`` of ``available`` where it is bigger."""
    return QSize(
        min(preferred.width(), int(available.width() * share)),
        min(preferred.height(), int(available.height() * share)),
    )


def centred(size: QSize, available: QRect) -> QRect:
    rect = QRect(0, 0, size.width(), size.height())
    rect.moveCenter(available.center())
    return rect


def available_geometry(widget: QWidget) -> QRect | None:
    """The available geometry of the screen ``widget`` is on (or will open on), if any."""
    screen = widget.screen()
    if screen is None and widget.parentWidget() is not None:
        screen = widget.parentWidget().screen()
    return screen.availableGeometry() if screen is not None else None


def fit_to_screen(widget: QWidget, preferred: QSize, share: float = SHARE) -> None:
    """Resize ``widget`` to ``preferred`` within its screen and centre it there."""
    available = available_geometry(widget)
    if available is None:
        widget.resize(preferred)
        return
    size = fitted_size(preferred, available, share)
    widget.resize(size)
    widget.move(centred(size, available).topLeft())
