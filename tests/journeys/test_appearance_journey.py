"""Journey: with Patterns open, switch View > Appearance between Dark and Light through the
menu (twice), see the notices and charts follow with readable text, then close and reopen:
the choice is remembered."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.factories import make_episode
from tests.journeys.driver import Journey, WaitUntil
from tests.journeys.person import key
from tests.ui.contrast import luminance, pixels, readings, unreadable
from tracker.diary import demo
from tracker.store import Store
from ui.shell import appearance
from ui.widgets import theme

ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture(autouse=True)
def back_to_system(qapp):
    yield
    appearance.apply("system")


def _fill(path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    store = Store.open(path)
    store.add_episodes(demo.generate(150, seed=11, until=date.today()))
    recent = datetime.now().astimezone() - timedelta(hours=3)
    store.add_episode(make_episode(started_at=recent, severity=9, warning_signs=("numbness",)))
    store.close()


def _dark_pixels(widget) -> bool:
    """Is the most common colour of the widget as drawn a dark one?"""
    area = pixels(widget.grab().toImage())
    colours, counts = np.unique(area.reshape(-1, 3), axis=0, return_counts=True)
    return float(luminance(colours[counts.argmax()])) < 0.18


def _figure_is_dark(card) -> bool:
    red, green, blue, _ = card.figure.get_facecolor()
    return (red + green + blue) / 3 < 0.5


def test_switching_appearance_follows_everywhere_and_is_remembered(sessions):
    first = sessions()
    _fill(first.db_path)
    window = first.open()
    journey = Journey()
    renders = [0]

    journey.add(
        "pages built",
        lambda: WaitUntil(lambda: getattr(window, "patterns_page", None) is not None, "pages"),
    )

    def open_patterns():
        key(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
        page = window.patterns_page
        assert window.tabs.currentWidget() is page
        return WaitUntil(
            lambda: page.data is not None and page.cards[0].canvas.renders > 0, "charts drawn"
        )

    journey.add("Ctrl+2: Patterns with its charts", open_patterns)

    def choose(scheme: str, mnemonic: Qt.Key):
        def open_view_menu():
            key(window, Qt.Key.Key_V, ALT)
            return WaitUntil(
                lambda: QApplication.activePopupWidget() is window.view_menu, "the View menu"
            )

        def open_appearance():
            key(window.view_menu, Qt.Key.Key_A)
            return WaitUntil(
                lambda: QApplication.activePopupWidget() is window.appearance.menu,
                "the Appearance menu",
            )

        def pick():
            renders[0] = window.patterns_page.cards[0].canvas.renders
            key(window.appearance.menu, mnemonic)
            dark = scheme == "dark"
            return WaitUntil(
                lambda: (
                    QApplication.activePopupWidget() is None
                    and theme.is_dark(theme.app_palette()) == dark
                ),
                f"the {scheme} palette",
            )

        def everything_follows():
            dark = scheme == "dark"
            assert window.appearance.actions[scheme].isChecked()
            banner = window.tips_feature.banner
            assert banner.isVisible(), "the doctor banner is gone"
            assert _dark_pixels(banner) == dark, "the doctor banner kept its old background"
            card = window.patterns_page.cards[0]
            assert _figure_is_dark(card) == dark, "the chart kept its old background"
            assert card.canvas.renders > renders[0], "the chart was not redrawn"
            failures = unreadable(readings(window))
            assert not failures, "\n".join(failures)

        journey.add(f"Alt+V ({scheme})", open_view_menu)
        journey.add("A: Appearance", open_appearance)
        journey.add(f"{scheme.title()}", pick)
        journey.add(
            f"the chart is redrawn ({scheme})",
            lambda: WaitUntil(
                lambda: window.patterns_page.cards[0].canvas.renders > renders[0], "a redraw"
            ),
        )
        journey.add(f"banner, chart and text follow ({scheme})", everything_follows)

    for _ in range(2):
        choose("dark", Qt.Key.Key_D)
        choose("light", Qt.Key.Key_L)
    choose("dark", Qt.Key.Key_D)
    journey.run()

    first.close()
    appearance.apply("system")  # as a new process starts: the platform's light palette
    assert not theme.is_dark(theme.app_palette())

    second = sessions()
    window = second.open()
    again = Journey()
    again.add("pages built", lambda: WaitUntil(lambda: window.history is not None, "pages"))

    def remembered():
        assert window.settings.value(appearance.SETTING_KEY) == "dark"
        assert window.appearance.actions["dark"].isChecked()
        assert theme.is_dark(theme.app_palette())
        assert _dark_pixels(window.tips_feature.banner)
        failures = unreadable(readings(window))
        assert not failures, "\n".join(failures)

    again.add("Dark is remembered", remembered)
    again.run()
