"""Notice colours come from the palette and always read with AA contrast, light or dark."""

import pytest
from PySide6.QtGui import QColor, QPalette

from ui import theme


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
