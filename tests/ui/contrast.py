"""Read text contrast from the pixels a person sees, for the contrast tests and journeys.

The window is grabbed once (so a parent's style-sheet background is in the picture, as on
screen); each label or button with visible text is cut out of it. In that cut-out the most
common colour is the background and the colour furthest from it (covering a few pixels, so one
stray pixel does not count) is the text. Colours written into rich text (``color:#...``) are
each checked against the measured background too, since a softer span would not be the
strongest colour.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QStyle,
    QTextEdit,
    QWidget,
)

AA_NORMAL = 4.5
AA_LARGE = 3.0
TEXT_PIXELS = 4  # the text colour must cover at least this many pixels
INLINE_COLOUR = re.compile(r"color:\s*(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})\b")


@dataclass
class Reading:
    widget: QWidget
    what: str
    ratio: float
    needed: float
    background: tuple[int, int, int]
    text: tuple[int, int, int]

    def __str__(self) -> str:
        bg, fg = (f"#{r:02x}{g:02x}{b:02x}" for r, g, b in (self.background, self.text))
        return f"{self.what}: {self.ratio:.2f}:1 (needs {self.needed}) text {fg} on {bg}"


def pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height, line = image.width(), image.height(), image.bytesPerLine()
    data = np.frombuffer(image.constBits(), np.uint8, count=line * height)
    return data.reshape(height, line)[:, : width * 3].reshape(height, width, 3).copy()


def luminance(rgb: np.ndarray) -> np.ndarray:
    c = np.asarray(rgb, dtype=float) / 255.0
    c = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return c @ np.array([0.2126, 0.7152, 0.0722])


def ratio(a, b) -> float:
    la, lb = float(luminance(np.array(a))), float(luminance(np.array(b)))
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def text_contrast(area: np.ndarray):
    """(contrast, background, text colour) of a cut-out holding text on a plain background."""
    colours, counts = np.unique(area.reshape(-1, 3), axis=0, return_counts=True)
    background = colours[counts.argmax()]
    lum, lb = luminance(colours), float(luminance(background))
    ratios = (np.maximum(lum, lb) + 0.05) / (np.minimum(lum, lb) + 0.05)
    order = np.argsort(-ratios)
    covered = np.cumsum(counts[order])
    pick = order[min(np.searchsorted(covered, TEXT_PIXELS), len(order) - 1)]
    return (
        float(ratios[pick]),
        tuple(int(v) for v in background),
        tuple(int(v) for v in colours[pick]),
    )


def _visible_text(widget: QWidget) -> str:
    if isinstance(widget, QLabel | QAbstractButton):
        text = widget.text()
        return re.sub(r"<[^>]*>", "", text).replace("&nbsp;", " ").strip()
    return ""


def _is_large(widget: QWidget) -> bool:
    font = widget.font()
    size = font.pointSizeF()
    return size >= 18 or (font.bold() and size >= 14)


def _text_rect(widget: QWidget) -> QRect:
    """Where the widget's text is: inside frames, bevels and check-box indicators."""
    if isinstance(widget, QLabel):
        return widget.contentsRect()
    rect = widget.rect()
    if isinstance(widget, QCheckBox | QRadioButton):
        style = widget.style()
        metric = QStyle.PixelMetric
        skip = style.pixelMetric(metric.PM_IndicatorWidth, None, widget) + style.pixelMetric(
            metric.PM_CheckBoxLabelSpacing, None, widget
        )
        return rect.adjusted(skip, 0, 0, 0)
    if isinstance(widget, QPushButton):
        return rect.adjusted(6, 5, -6, -5)  # the bevel, and a focus ring drawn inside it
    return rect.adjusted(3, 3, -3, -3)


def readings(top: QWidget) -> list[Reading]:
    """A contrast reading for every visible label and button with text inside ``top``."""
    image = pixels(top.grab().toImage())
    found = []
    for widget in top.findChildren(QWidget):
        text = _visible_text(widget)
        if not text or not widget.isVisible() or not widget.isVisibleTo(top):
            continue
        if widget.window() is not top:
            continue
        shown = widget.visibleRegion().boundingRect().intersected(_text_rect(widget))
        if shown.width() < 4 or shown.height() < 4:
            continue
        origin = widget.mapTo(top, QPoint(shown.x(), shown.y()))
        x0, y0 = max(origin.x(), 0), max(origin.y(), 0)
        area = image[y0 : origin.y() + shown.height(), x0 : origin.x() + shown.width()]
        if area.size == 0:
            continue
        contrast, background, colour = text_contrast(area)
        needed = AA_LARGE if _is_large(widget) else AA_NORMAL
        name = widget.accessibleName() or widget.objectName() or type(widget).__name__
        what = f"{name} {text[:40]!r}"
        found.append(Reading(widget, what, contrast, needed, background, colour))
        if isinstance(widget, QLabel):
            for hex_colour in set(INLINE_COLOUR.findall(widget.text())):
                rgb = _rgb(hex_colour)
                found.append(
                    Reading(
                        widget, f"{what} span {hex_colour}", ratio(rgb, background), AA_NORMAL,
                        background, rgb,
                    )
                )  # fmt: skip
    return found


def document_readings(view: QTextEdit) -> list[Reading]:
    """Each colour written into a text browser's document, against its measured background."""
    area = pixels(view.viewport().grab().toImage())
    colours, counts = np.unique(area.reshape(-1, 3), axis=0, return_counts=True)
    background = tuple(int(v) for v in colours[counts.argmax()])
    html = view.document().toHtml()
    found = []
    name = view.accessibleName() or type(view).__name__
    for hex_colour in set(INLINE_COLOUR.findall(html)):
        rgb = _rgb(hex_colour)
        found.append(
            Reading(
                view, f"{name} {hex_colour}", ratio(rgb, background), AA_NORMAL, background, rgb
            )
        )
    contrast, _, colour = text_contrast(area)
    found.append(Reading(view, f"{name} text", contrast, AA_NORMAL, background, colour))
    return found


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return tuple(int(value[i : i + 2], 16) for i in (0, 2, 4))


def unreadable(found: list[Reading]) -> list[str]:
    return [str(r) for r in found if r.ratio < r.needed]
