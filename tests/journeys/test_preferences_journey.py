"""Journey: Edit > Preferences > fluid amounts in fl oz; the log form then takes fl oz and the
diary stores the right millilitres (twice); the choice is the diary's, so a new session shows
fl oz too; and back to ml."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.journeys.driver import Journey, WaitUntil
from tests.journeys.person import CTRL, click, focused_in, key, type_text
from tracker.diary import units
from ui.shell import preferences

ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture(autouse=True)
def ml_afterwards():
    yield
    preferences.DiaryPreferences().apply()


def _choose_unit(journey: Journey, window, unit: str) -> None:
    def open_edit_menu():
        key(window, Qt.Key.Key_D, ALT)
        return WaitUntil(lambda: QApplication.activePopupWidget() is not None, "the Edit menu")

    def preferences_item():
        key(QApplication.activePopupWidget(), Qt.Key.Key_P)
        return WaitUntil(
            lambda: window.preferences_dialog is not None and window.preferences_dialog.isVisible(),
            "Preferences",
        )

    def pick_unit():
        dialog = window.preferences_dialog
        key(focused_in(dialog), Qt.Key.Key_F, ALT)  # &Fluid amounts
        combo = dialog.fluid_unit
        assert QApplication.focusWidget() is combo
        target = combo.findData(unit)
        step = Qt.Key.Key_Down if target > combo.currentIndex() else Qt.Key.Key_Up
        while combo.currentIndex() != target:
            key(combo, step)
        key(combo, Qt.Key.Key_Return)  # OK is the default button
        return WaitUntil(lambda: not dialog.isVisible(), "Preferences to close")

    journey.add(f"Alt+D ({unit})", open_edit_menu)
    journey.add(f"P: Preferences ({unit})", preferences_item)
    journey.add(f"Alt+F, pick {unit}, Enter", pick_unit)


def _log_fluid(journey: Journey, window, store, typed: str, unit_text: str, ml: int) -> None:
    count = []

    def open_form():
        count.append(store.count_episodes())
        key(window, Qt.Key.Key_N, CTRL)
        return WaitUntil(
            lambda: window.log_dialog is not None and window.log_dialog.isVisible(), "log form"
        )

    def type_amount():
        form = window.log_dialog.form
        assert form.fluid_unit.currentText() == unit_text
        if not form.details.isVisible():
            click(form.details_toggle)
        form.fluid_spin.setFocus()
        form.fluid_spin.selectAll()
        type_text(form.fluid_spin, typed)
        key(focused_in(window.log_dialog), Qt.Key.Key_Return, CTRL)
        return WaitUntil(lambda: store.count_episodes() == count[0] + 1, "saved")

    def stored_right():
        newest = max(store.iter_episodes(), key=lambda e: e.id)
        assert newest.fluid_ml == ml, (typed, unit_text, newest.fluid_ml)

    journey.add(f"Ctrl+N ({typed} {unit_text})", open_form)
    journey.add(f"type {typed} {unit_text}, save", type_amount)
    journey.add(f"stored {ml} ml", stored_right)


def test_fluid_ounces_from_preferences_to_the_stored_millilitres(sessions):
    first = sessions()
    window = first.open()
    store = first.store
    journey = Journey()
    journey.add("pages built", lambda: WaitUntil(lambda: window.history is not None, "history"))
    _choose_unit(journey, window, units.FL_OZ)
    _log_fluid(journey, window, store, "16", "fl oz", 473)
    _log_fluid(journey, window, store, "8", "fl oz", 237)
    journey.run()
    assert store.get_setting(preferences.FLUID_UNIT_KEY) == units.FL_OZ
    first.close()
    preferences.DiaryPreferences().apply()  # as a new process starts

    second = sessions()
    window = second.open()
    store = second.store
    again = Journey()
    again.add("pages built", lambda: WaitUntil(lambda: window.history is not None, "history"))

    def history_in_fl_oz():
        from ui.history.model import COLUMNS

        column = [c for _, c in COLUMNS].index("hydration")
        model = window.history.model
        shown = {model.index(row, column).data() for row in range(model.rowCount())}
        assert shown == {"16 fl oz", "8 fl oz"}, shown

    again.add("the history shows fl oz", history_in_fl_oz)
    _log_fluid(again, window, store, "12", "fl oz", 355)
    _choose_unit(again, window, units.ML)
    _log_fluid(again, window, store, "500", "ml", 500)
    _choose_unit(again, window, units.FL_OZ)
    _log_fluid(again, window, store, "1", "fl oz", 30)
    again.run()
    assert sorted(e.fluid_ml for e in store.iter_episodes()) == [30, 237, 355, 473, 500]
