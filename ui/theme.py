"""Colours that follow the palette: light and dark themes, and notice colours with readable text.

No widget hard-codes a colour: it asks this module, which derives every colour from the
application palette (or from the theme the person chose under View > Appearance), so text and
background always come from the same source and keep WCAG AA contrast (4.5:1).
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

AA_NORMAL = 4.5
AA_LARGE = 3.0

# Hues of the notice kinds; their lightness is chosen for the theme in notice_colors().
NOTICE_HUES = {
    "doctor": QColor("#b3261e"),  # red: when to see a doctor
    "tip": QColor("#0b5cad"),  # blue: a tip
    "info": QColor("#8a5300"),  # amber: the not-a-diagnosis note
    "error": QColor("#b00020"),  # a field's error message
    "warning": QColor("#8a5300"),  # a field's warning
}


def relative_luminance(color: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = color.redF(), color.greenF(), color.blueF()
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(a: QColor, b: QColor) -> float:
    la, lb = relative_luminance(a), relative_luminance(b)
    high, low = max(la, lb), min(la, lb)
    return (high + 0.05) / (low + 0.05)


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5


def _mix(a: QColor, b: QColor, share_of_b: float) -> QColor:
    t = max(0.0, min(1.0, share_of_b))
    return QColor.fromRgbF(
        a.redF() * (1 - t) + b.redF() * t,
        a.greenF() * (1 - t) + b.greenF() * t,
        a.blueF() * (1 - t) + b.blueF() * t,
    )


def readable_on(background: QColor, hue: QColor, minimum: float = AA_NORMAL) -> QColor:
    """``hue`` made lighter or darker until it reads on ``background`` with ``minimum`` contrast."""
    target = QColor("white") if relative_luminance(background) < 0.18 else QColor("black")
    color = QColor(hue)
    for step in range(21):
        color = _mix(hue, target, step / 20)
        if contrast_ratio(color, background) >= minimum:
            return color
    return target


def notice_colors(palette: QPalette, kind: str) -> dict[str, QColor]:
    """Background, text, accent (border, heading) and muted text for a notice of ``kind``:
    a faint tint of the kind's hue over the window colour, text from the palette, every text
    colour checked for AA contrast against the background."""
    hue = NOTICE_HUES.get(kind, NOTICE_HUES["info"])
    window = palette.color(QPalette.ColorRole.Window)
    background = _mix(window, hue, 0.22 if is_dark(palette) else 0.09)
    text = readable_on(background, palette.color(QPalette.ColorRole.WindowText))
    accent = readable_on(background, hue)
    muted = readable_on(background, _mix(text, background, 0.35))
    return {"background": background, "text": text, "accent": accent, "muted": muted}


def notice_style(palette: QPalette, kind: str, selector: str = "QFrame") -> str:
    """A style sheet for a notice frame whose text and background both come from here."""
    c = notice_colors(palette, kind)
    return (
        f"{selector} {{ background: {c['background'].name()}; color: {c['text'].name()};"
        f" border-left: 4px solid {c['accent'].name()}; }}"
    )


def text_color(palette: QPalette, kind: str) -> QColor:
    """A message colour (error, warning) readable on the palette's window background."""
    return readable_on(palette.color(QPalette.ColorRole.Window), NOTICE_HUES[kind])
