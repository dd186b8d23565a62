"""Notice colours come from the palette and always read with AA contrast, light or dark."""

import pytest
from PySide6.QtGui import QColor, QPalette

from ui.widgets import theme


def _palette(window: str, text: str) -> QPalette:
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor(window))
    palette.setColor(QPalette.ColorRole.WindowText, QColor(text))
    return palette


PALETTES = [
    ("#efefef", "#000000"),
    ("#2b2b2b", "#e6e6e6"),
    ("#ffffff", "#202020"),
    ("#000", "#fff"),
]


@pytest.mark.parametrize("window,text", PALETTES)
@pytest.mark.parametrize("kind", sorted(theme.NOTICE_HUES))
def test_every_notice_text_reads_on_its_background(qapp, window, text, kind):
    colors = theme.notice_colors(_palette(window, text), kind)
    for role in ("text", "accent", "muted"):
        assert theme.contrast_ratio(colors[role], colors["background"]) >= theme.AA_NORMAL, role
    assert theme.contrast_ratio(theme.text_color(_palette(window, text), "error"),
                                QColor(window)) >= theme.AA_NORMAL  # fmt: skip


def test_dark_palette_gives_a_dark_notice(qapp):
    dark = theme.notice_colors(_palette("#2b2b2b", "#e6e6e6"), "doctor")
    light = theme.notice_colors(_palette("#efefef", "#000000"), "doctor")
    assert dark["background"].lightnessF() < 0.4 < light["background"].lightnessF()


def test_contrast_ratio_matches_wcag_examples():
    assert round(theme.contrast_ratio(QColor("#000000"), QColor("#ffffff")), 1) == 21.0
    assert round(theme.contrast_ratio(QColor("#777777"), QColor("#ffffff")), 2) == 4.48


@pytest.mark.parametrize("dark", [False, True])
def test_built_palettes_read_everywhere(qapp, dark):
    palette = theme.built_palette(dark)
    assert theme.is_dark(palette) == dark
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    for text, back in (
        (role.WindowText, role.Window),
        (role.Text, role.Base),
        (role.ButtonText, role.Button),
        (role.HighlightedText, role.Highlight),
        (role.ToolTipText, role.ToolTipBase),
        (role.PlaceholderText, role.Base),
        (role.Link, role.Base),
        (role.Link, role.Window),
    ):
        ratio = theme.contrast_ratio(palette.color(text), palette.color(back))
        assert ratio >= theme.AA_NORMAL, (text, back, ratio)
    for text, back in ((role.WindowText, role.Window), (role.ButtonText, role.Button)):
        disabled = palette.color(group.Disabled, text)
        assert theme.contrast_ratio(disabled, palette.color(back)) >= theme.AA_NORMAL


@pytest.mark.parametrize("window,text", PALETTES)
def test_disabled_text_is_made_readable_on_any_palette(qapp, window, text):
    palette = _palette(window, text)
    palette.setColor(QPalette.ColorRole.Base, QColor(window))
    palette.setColor(QPalette.ColorRole.Text, QColor(text))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor(window))
    fixed = theme.readable_palette(palette)
    disabled = fixed.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
    assert theme.contrast_ratio(disabled, QColor(window)) >= theme.AA_NORMAL
    assert disabled != fixed.color(QPalette.ColorRole.WindowText)  # still a softer colour


@pytest.mark.parametrize("highlight", ["#308cc6", "#2f65a8", "#9fd0ff", "#ffcc00"])
def test_the_log_button_text_reads_on_any_highlight(qapp, highlight):
    palette = theme.built_palette(False)
    palette.setColor(QPalette.ColorRole.Highlight, QColor(highlight))
    style = theme.primary_button_style(palette)
    background = QColor(style.split("background: ")[1].split(";")[0])
    text = QColor(style.split("color: ")[1].split(";")[0])
    assert theme.contrast_ratio(text, background) >= theme.AA_NORMAL
