"""Colours that follow the palette: light and dark themes, and notice colours with readable text.

No widget hard-codes a colour: it asks this module, which derives every colour from the
application palette (or from the theme the person chose under View > Appearance), so text and
background always come from the same source and keep WCAG AA contrast (4.5:1).
"""

from __future__ import annotations

import copy
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtGui import QColor, QGuiApplication, QPalette

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

# Hues of the kinds of tip (each reads on white with 4.5:1); tip_html.kind_colour() adjusts
# them to the background they are shown on.
TIP_KIND_HUES = {
    "relief": "#00695c",
    "prevention": "#0b5cad",
    "cause": "#6a4c93",
    "doctor": "#a4262c",
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


# ----------------------------------------------------------------- whole palettes
# Used when the person asks for Light or Dark and the platform cannot switch by itself (Qt's
# own colour-scheme request changes nothing on X11 without a desktop theme plugin, for one).
_ROLES = QPalette.ColorRole
DARK_COLOURS = {
    _ROLES.Window: "#2b2b2b",
    _ROLES.WindowText: "#e8e8e8",
    _ROLES.Base: "#1f1f1f",
    _ROLES.AlternateBase: "#292929",
    _ROLES.Text: "#e8e8e8",
    _ROLES.Button: "#3a3a3a",
    _ROLES.ButtonText: "#e8e8e8",
    _ROLES.BrightText: "#ff8a80",
    _ROLES.Light: "#505050",
    _ROLES.Midlight: "#444444",
    _ROLES.Mid: "#333333",
    _ROLES.Dark: "#191919",
    _ROLES.Shadow: "#0d0d0d",
    _ROLES.Highlight: "#2f65a8",
    _ROLES.HighlightedText: "#ffffff",
    _ROLES.Link: "#8ab4f8",
    _ROLES.LinkVisited: "#c58af9",
    _ROLES.ToolTipBase: "#3a3a3a",
    _ROLES.ToolTipText: "#e8e8e8",
    _ROLES.PlaceholderText: "#a6a6a6",
    _ROLES.Accent: "#2f65a8",
}
LIGHT_COLOURS = {
    _ROLES.Window: "#efefef",
    _ROLES.WindowText: "#000000",
    _ROLES.Base: "#ffffff",
    _ROLES.AlternateBase: "#f7f7f7",
    _ROLES.Text: "#000000",
    _ROLES.Button: "#efefef",
    _ROLES.ButtonText: "#000000",
    _ROLES.BrightText: "#ffffff",
    _ROLES.Light: "#ffffff",
    _ROLES.Midlight: "#cacaca",
    _ROLES.Mid: "#b8b8b8",
    _ROLES.Dark: "#9f9f9f",
    _ROLES.Shadow: "#767676",
    _ROLES.Highlight: "#2a6fb0",
    _ROLES.HighlightedText: "#ffffff",
    _ROLES.Link: "#0b57b0",
    _ROLES.LinkVisited: "#6a3d9a",
    _ROLES.ToolTipBase: "#ffffdc",
    _ROLES.ToolTipText: "#000000",
    _ROLES.PlaceholderText: "#6b6b6b",
    _ROLES.Accent: "#2a6fb0",
}


def built_palette(dark: bool) -> QPalette:
    """A complete light or dark palette (for the Fusion style), readable as it is."""
    palette = QPalette()
    for role, colour in (DARK_COLOURS if dark else LIGHT_COLOURS).items():
        palette.setColor(role, QColor(colour))
    return readable_palette(palette)


def _opaque(color: QColor, background: QColor) -> QColor:
    """``color`` as seen over ``background`` (Qt's placeholder text is half-transparent)."""
    return _mix(background, QColor(color.red(), color.green(), color.blue()), color.alphaF())


def muted(background: QColor, text: QColor) -> QColor:
    """A softer text colour that still reads on ``background`` (AA, 4.5:1)."""
    return readable_on(background, _mix(_opaque(text, background), background, 0.4))


def readable_palette(palette: QPalette) -> QPalette:
    """``palette`` with disabled and placeholder text that still reads (AA, 4.5:1).

    Qt's disabled text is about 1.6:1 on the window colour: hints and disabled labels (the log
    form's "Enter saves" line, the severity scale's ends) would be unreadable. Here they stay a
    softer grey, but a readable one.
    """
    result = copy.copy(palette)  # QPalette(palette) would load Qt's enums: ~11 ms at start
    group = QPalette.ColorGroup
    for text, background in (
        (_ROLES.WindowText, _ROLES.Window),
        (_ROLES.Text, _ROLES.Base),
        (_ROLES.ButtonText, _ROLES.Button),
    ):
        back = palette.color(group.Active, background)
        colour = muted(back, palette.color(group.Active, text))
        # Styles shade a button's face lighter or darker than the Button colour (Fusion's
        # disabled dark button is about #4f4f4f on #3a3a3a): read on those faces too, with a
        # margin for anti-aliased glyphs, whose thin strokes never reach the full colour.
        for face in (back.lighter(135), back.darker(112)):
            colour = readable_on(face, colour, AA_NORMAL + 0.5)
        result.setColor(group.Disabled, text, colour)
    base = palette.color(group.Active, _ROLES.Base)
    for colour_group in (group.Active, group.Inactive, group.Disabled):
        placeholder = palette.color(colour_group, _ROLES.PlaceholderText)
        result.setColor(
            colour_group, _ROLES.PlaceholderText, readable_on(base, _opaque(placeholder, base))
        )
    return result


# ----------------------------------------------------------------- following the palette
def app_palette() -> QPalette:
    """The application's palette: widgets with a style sheet have their own, so ask this."""
    return QGuiApplication.palette()


def follow_palette(widget: QObject, restyle: Callable[[], object]) -> None:
    """Call ``restyle`` now and each time the application palette changes, while ``widget``
    lives. (A widget with a style sheet gets no PaletteChange event of its own, so listen to
    the application.)"""
    restyle()
    app = QGuiApplication.instance()
    if not isinstance(app, QGuiApplication):  # pragma: no cover - every widget needs one
        return

    def changed(_palette: QPalette | None = None) -> None:
        if shiboken6.isValid(widget):
            restyle()

    app.paletteChanged.connect(changed)

    def forget() -> None:
        try:
            app.paletteChanged.disconnect(changed)
        except (RuntimeError, TypeError):  # pragma: no cover - already gone at exit
            pass

    widget.destroyed.connect(forget)


def message_style(palette: QPalette, kind: str) -> str:
    """Style sheet for a QLabel saying an error or a warning on the window background."""
    return f"QLabel {{ color: {text_color(palette, kind).name()}; }}"


def keep_message_colour(label, kind: str) -> None:
    """Colour ``label`` as an error or warning message, now and after any palette change."""
    follow_palette(label, lambda: label.setStyleSheet(message_style(app_palette(), kind)))


def keep_notice_style(frame, kind: str, selector: str, recolour=None) -> None:
    """Style ``frame`` as a notice now and after any palette change; ``recolour`` re-sets its
    rich text (whose colours come from notice_colors)."""

    def restyle() -> None:
        frame.setStyleSheet(notice_style(app_palette(), kind, selector))
        if recolour is not None:
            recolour()

    follow_palette(frame, restyle)


def box_style(palette: QPalette, kind: str, selector: str) -> str:
    """A rounded box (the Patterns findings) in a notice's colours."""
    c = notice_colors(palette, kind)
    border = _mix(c["background"], c["accent"], 0.45)
    return (
        f"{selector} {{ background: {c['background'].name()}; color: {c['text'].name()};"
        f" border: 1px solid {border.name()}; border-radius: 6px; }}"
    )


def primary_button_style(palette: QPalette) -> str:
    """The main action's button: the palette's highlight, darkened until its text reads."""
    text = palette.color(_ROLES.HighlightedText)
    background = palette.color(_ROLES.Highlight)
    black = QColor("black")
    for step in range(21):
        candidate = _mix(background, black, step / 20)
        if contrast_ratio(text, candidate) >= AA_NORMAL:
            background = candidate
            break
    else:
        text = readable_on(background, text)
    hover = _mix(background, black, 0.15)
    window = palette.color(_ROLES.Window)
    focus = readable_on(window, QColor("#f2a900"), AA_LARGE)
    return (
        f"QPushButton {{ background: {background.name()}; color: {text.name()};"
        f" border-radius: 6px; padding: 4px 28px; }}"
        f" QPushButton:hover {{ background: {hover.name()}; }}"
        f" QPushButton:focus {{ border: 3px solid {focus.name()}; }}"
    )
