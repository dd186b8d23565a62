"""View > Appearance: three radio choices, remembered, applied at start and live."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import SIGNAL, QCoreApplication, QEvent, QSettings
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QLabel

from ui.shell import appearance
from ui.shell.main_window import MainWindow
from ui.widgets import theme

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def back_to_system(qapp):
    yield
    appearance.apply("system")


def is_dark() -> bool:
    return theme.is_dark(QGuiApplication.palette())


def test_menu_offers_system_light_and_dark_as_radio_choices(window):
    actions = window.appearance.menu.actions()
    assert [a.text() for a in actions] == ["&System", "&Light", "&Dark"]
    assert all(a.isCheckable() for a in actions)
    assert window.appearance.group.isExclusive()
    assert window.appearance.actions["system"].isChecked()
    assert window.appearance.menu.menuAction() in window.view_menu.actions()


def test_choosing_applies_at_once_and_is_remembered(qtbot, window, settings):
    window.appearance.choose("dark")
    assert is_dark()
    assert settings.value("appearance") == "dark"
    assert window.appearance.actions["dark"].isChecked()
    assert not window.appearance.actions["system"].isChecked()
    window.appearance.choose("light")
    assert not is_dark()
    assert settings.value("appearance") == "light"
    window.appearance.choose("system")
    assert not is_dark()  # the offscreen platform is light


def test_a_new_window_applies_the_saved_choice(qtbot, store, tmp_path):
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    settings.setValue("appearance", "dark")
    appearance.apply("system")
    win = MainWindow(store, settings, install_features=False)
    qtbot.addWidget(win)
    assert is_dark()
    assert win.appearance.actions["dark"].isChecked()


def test_an_unknown_saved_value_means_system(tmp_path):
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    settings.setValue("appearance", "purple")
    assert appearance.saved_choice(settings) == "system"


def test_disabled_and_placeholder_text_read_in_every_choice(window):
    group, role = QPalette.ColorGroup, QPalette.ColorRole
    for choice in ("system", "light", "dark"):
        window.appearance.choose(choice)
        palette = QGuiApplication.palette()
        for text, back in ((role.WindowText, role.Window), (role.Text, role.Base)):
            disabled = palette.color(group.Disabled, text)
            assert theme.contrast_ratio(disabled, palette.color(back)) >= theme.AA_NORMAL
        placeholder = palette.color(role.PlaceholderText)
        assert theme.contrast_ratio(placeholder, palette.color(role.Base)) >= theme.AA_NORMAL


def test_message_colours_follow_the_palette(qtbot, window):
    label = QLabel("Something is wrong")
    qtbot.addWidget(label)
    theme.keep_message_colour(label, "error")
    window.appearance.choose("dark")
    dark_style = label.styleSheet()
    window.appearance.choose("light")
    light_style = label.styleSheet()
    assert light_style != dark_style
    for sheet, window_colour in ((dark_style, "#2b2b2b"), (light_style, "#efefef")):
        colour = QColor(sheet.split("color: ")[1].split(";")[0])
        assert theme.contrast_ratio(colour, QColor(window_colour)) >= theme.AA_NORMAL


def test_a_deleted_widget_stops_following_the_palette(qtbot):
    app = QGuiApplication.instance()
    gc.collect()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # earlier tests' widgets
    listening = app.receivers(SIGNAL("paletteChanged(QPalette)"))
    calls = []
    held = [QLabel()]
    theme.follow_palette(held[0], lambda: calls.append(1))
    assert calls == [1]
    assert app.receivers(SIGNAL("paletteChanged(QPalette)")) == listening + 1
    held[0].deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(held[0]))
    held.clear()
    gc.collect()
    assert app.receivers(SIGNAL("paletteChanged(QPalette)")) == listening
    appearance.apply("dark")
    assert calls == [1]


def test_links_take_the_new_link_colour(qtbot, window):
    label = QLabel('<a href="x">a link</a>')
    qtbot.addWidget(label)
    label.show()
    window.appearance.choose("dark")
    from tests.ui.contrast import pixels, text_contrast

    _, _, colour = text_contrast(pixels(label.grab().toImage()))
    link = QGuiApplication.palette().color(QPalette.ColorRole.Link)
    assert abs(colour[2] - link.blue()) < 40 and abs(colour[0] - link.red()) < 40


def test_a_saved_chart_is_light_even_in_a_dark_window(qtbot, store, tmp_path, window):
    from tests.ui.patterns.test_patterns_page import TODAY, fill
    from ui.patterns.page import PatternsPage

    fill(store, [1, 2, 3, 5, 8])
    page = PatternsPage(store, today=lambda: TODAY, precompute=False)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    window.appearance.choose("dark")
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        page.show()
    card = page.cards[0]
    card.ensure_built()
    assert sum(card.figure.get_facecolor()[:3]) < 1.5
    path = tmp_path / "chart.png"
    card.save(path)
    from matplotlib.image import imread

    assert imread(path)[2, 2, :3].mean() > 0.95  # white paper
    card.ensure_built()
    assert sum(card.figure.get_facecolor()[:3]) < 1.5  # and dark again on screen


def test_start_up_applies_the_saved_choice_without_loading_qt_enums(tmp_path):
    """Dark from the first paint, and the start path costs no Qt enum namespace (~11 ms)."""
    code = (
        "import sys\n"
        "import PySide6.QtCore as core\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from PySide6.QtCore import QSettings\n"
        "app = QApplication([])\n"
        "from ui.shell import appearance\n"
        "from ui.widgets import theme\n"
        f"s = QSettings({str(tmp_path / 's.ini')!r}, QSettings.Format.IniFormat)\n"
        "s.setValue('appearance', sys.argv[1])\n"
        "appearance.apply_saved(s, starting=True)\n"
        "print(theme.is_dark(app.palette()), 'Qt' in core.__dict__)\n"
    )
    results = {}
    for choice in ("system", "light", "dark"):
        done = subprocess.run(
            [sys.executable, "-c", code, choice],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
        )
        assert done.returncode == 0, done.stderr
        results[choice] = done.stdout.split()
    assert results == {
        "system": ["False", "False"],
        "light": ["False", "False"],
        "dark": ["True", "False"],  # dark at once, and Qt's enums not loaded
    }
