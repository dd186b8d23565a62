"""Edit > Preferences: what it shows, where OK keeps each choice, that Cancel changes nothing,
and that the places which show fluid amounts, times and calendars follow."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from tests.factories import make_episode
from tracker.diary import units
from ui.history.model import COLUMNS
from ui.shell import appearance, autostart, computer_preferences, preferences
from ui.shell.preferences_dialog import NO_TRAY, PreferencesDialog
from ui.widgets import dates
from ui.widgets import units as fluid_units

TZ = timezone(timedelta(hours=1))


@pytest.fixture(autouse=True)
def defaults_afterwards(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    yield
    preferences.DiaryPreferences().apply()
    appearance.apply("system")


def open_dialog(window, available=True) -> PreferencesDialog:
    dialog = PreferencesDialog(window, tray_available=available)
    dialog.load()
    dialog.show()
    return dialog


def press(dialog: PreferencesDialog, which: QDialogButtonBox.StandardButton) -> None:
    QTest.mouseClick(dialog.buttons.button(which), Qt.MouseButton.LeftButton)


OK = QDialogButtonBox.StandardButton.Ok
CANCEL = QDialogButtonBox.StandardButton.Cancel


def test_edit_menu_opens_preferences(qtbot, window):
    assert window.preferences_action.text() == "&Preferences…"
    assert window.preferences_action in window.menuBar().actions()[2].menu().actions()
    window.preferences_action.trigger()
    dialog = window.preferences_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.reject()
    window.preferences_action.trigger()  # again: the same dialog, shown again
    assert window.preferences_dialog is dialog and dialog.isVisible()
    dialog.reject()


def test_defaults_everything_off_and_as_the_region(window):
    dialog = open_dialog(window)
    assert not dialog.reminder_checks["evening"].isChecked()
    assert not dialog.reminder_checks["morning"].isChecked()
    assert dialog.reminder_times["evening"].time().hour() == 21
    assert not dialog.show_tray.isChecked() and not dialog.close_to_tray.isEnabled()
    assert not dialog.autostart.isChecked()
    assert dialog.fluid_unit.currentData() == units.ML
    assert dialog.hour_format.currentData() == dates.REGION
    assert dialog.first_day.currentData() == 0
    assert dialog.no_tray_note.isHidden()
    dialog.reject()


def _change_everything(dialog: PreferencesDialog) -> None:
    dialog.reminder_checks["evening"].setChecked(True)
    dialog.reminder_times["evening"].setTime(dialog.reminder_times["evening"].time().addSecs(-3600))
    dialog.reminder_checks["morning"].setChecked(True)
    dialog.show_tray.setChecked(True)
    dialog.close_to_tray.setChecked(False)
    dialog.autostart.setChecked(True)
    dialog.appearance.setCurrentIndex(dialog.appearance.findData("dark"))
    dialog.fluid_unit.setCurrentIndex(dialog.fluid_unit.findData(units.FL_OZ))
    dialog.hour_format.setCurrentIndex(dialog.hour_format.findData("12"))
    dialog.first_day.setCurrentIndex(dialog.first_day.findData(7))


def test_cancel_changes_nothing(window, store):
    before_settings = {k: window.settings.value(k) for k in window.settings.allKeys()}
    dialog = open_dialog(window)
    _change_everything(dialog)
    press(dialog, CANCEL)
    assert not dialog.isVisible()
    assert {k: window.settings.value(k) for k in window.settings.allKeys()} == before_settings
    assert preferences.DiaryPreferences.read(store) == preferences.DiaryPreferences()
    assert not autostart.entry_path().exists()
    assert fluid_units.fluid_unit() == units.ML and dates.hour_format() == dates.REGION
    assert appearance.saved_choice(window.settings) == "system"


def test_ok_keeps_each_choice_where_it_belongs_and_applies_it(window, store):
    dialog = open_dialog(window)
    _change_everything(dialog)
    press(dialog, OK)
    assert not dialog.isVisible()
    # the diary's
    assert preferences.DiaryPreferences.read(store) == preferences.DiaryPreferences(
        units.FL_OZ, "12", 7
    )
    assert store.get_setting(preferences.FLUID_UNIT_KEY) == units.FL_OZ
    # this computer's
    computer = computer_preferences.ComputerPreferences.read(window.settings)
    assert computer.show_tray and not computer.close_to_tray
    assert computer.evening.enabled and computer.evening.at == time(20, 0)
    assert computer.morning.enabled and computer.morning.at == time(8, 0)
    assert window.settings.value(appearance.SETTING_KEY) == "dark"
    assert autostart.is_enabled()
    # in force
    assert fluid_units.fluid_unit() == units.FL_OZ
    assert dates.hour_format() == "12" and dates.first_day_of_week() == 7
    # shown as saved when opened again
    again = open_dialog(window)
    assert again.fluid_unit.currentData() == units.FL_OZ and again.autostart.isChecked()
    assert again.reminder_times["evening"].time().hour() == 20
    again.autostart.setChecked(False)
    press(again, OK)
    assert not autostart.entry_path().exists()


def test_without_a_tray_its_options_are_off_and_it_says_why(window):
    dialog = open_dialog(window, available=False)
    assert not dialog.no_tray_note.isHidden() and dialog.no_tray_note.text() == NO_TRAY
    for widget in (dialog.show_tray, dialog.close_to_tray, *dialog.reminder_checks.values()):
        assert not widget.isEnabled()
    assert dialog.autostart.isEnabled()
    dialog.reject()


def test_autostart_failure_says_so_and_changes_nothing_else(window, store, monkeypatch, tmp_path):
    blocker = tmp_path / "config" / "autostart"
    blocker.parent.mkdir(parents=True)
    blocker.write_text("a file where the folder should be")
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warnings.append(a[2]))
    dialog = open_dialog(window)
    _change_everything(dialog)
    press(dialog, OK)
    assert len(warnings) == 1 and "could not set itself to start at login" in warnings[0]
    assert dialog.isVisible()  # still open: the person can untick it and press OK again
    assert preferences.DiaryPreferences.read(store) == preferences.DiaryPreferences()
    assert not computer_preferences.ComputerPreferences.read(window.settings).show_tray
    dialog.autostart.setChecked(False)
    press(dialog, OK)
    assert not dialog.isVisible()
    assert computer_preferences.ComputerPreferences.read(window.settings).show_tray


def test_fits_a_small_screen(window):
    dialog = open_dialog(window)
    hint = dialog.sizeHint()
    assert hint.width() <= 1366 - 40 and hint.height() <= 768 - 80, hint
    dialog.reject()


def _set_diary_prefs(window, **changes):
    prefs = preferences.DiaryPreferences(**changes)
    prefs.write(window.store)
    window.apply_diary_preferences(prefs)


def test_fl_oz_in_the_history_and_the_log_form(qtbot, window, store):
    store.add_episode(make_episode(fluid_ml=500))
    window.episodes_changed.emit()
    model = window.history.model
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    column = [c for _, c in COLUMNS].index("hydration")
    assert model.index(0, column).data().endswith("500 ml")
    _set_diary_prefs(window, fluid_unit=units.FL_OZ)
    assert model.index(0, column).data().endswith("17 fl oz")
    dialog = window.open_log_dialog()
    form = dialog.form
    assert form.fluid_unit.currentText() == "fl oz"
    assert form.fluid_unit.itemText(1) == "glasses (8.5 fl oz)"
    form.fluid_spin.setValue(16)
    assert form.episode().fluid_ml == 473
    dialog.reject()


def test_an_unchanged_amount_keeps_its_stored_millilitres(qtbot, window, store):
    saved = store.add_episode(make_episode(fluid_ml=500))
    _set_diary_prefs(window, fluid_unit=units.FL_OZ)
    dialog = window.edit_episode(saved.id)
    assert dialog.form.fluid_spin.value() == 17
    assert dialog.form.episode().fluid_ml == 500  # not 503
    dialog.form.fluid_spin.setValue(18)
    assert dialog.form.episode().fluid_ml == 532
    dialog.reject()


def test_12_and_24_hour_time_in_the_history_and_the_form(qtbot, window, store):
    store.add_episode(make_episode(started_at=datetime(2026, 3, 10, 21, 30, tzinfo=TZ)))
    window.episodes_changed.emit()
    model = window.history.model
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    _set_diary_prefs(window, hour_format="12")
    shown = model.index(0, 0).data()
    assert "9:30" in shown and "PM" in shown.upper(), shown
    dialog = window.open_log_dialog()
    assert "AP" in dialog.form.start_edit.displayFormat()
    dialog.reject()
    _set_diary_prefs(window, hour_format="24")
    assert "21:30" in model.index(0, 0).data()
    dialog = window.open_log_dialog()
    assert "HH:mm" in dialog.form.start_edit.displayFormat()
    dialog.reject()


@pytest.mark.parametrize("day", [7, 1, 6])
def test_first_day_of_week_in_date_pickers(qtbot, window, day):
    _set_diary_prefs(window, first_day=day)
    edit = window.history.date_from
    window.history.show()
    qtbot.waitExposed(edit)
    arrow = QPoint(edit.width() - 6, edit.height() // 2)
    QTest.mouseClick(edit, Qt.MouseButton.LeftButton, pos=arrow)
    calendar = edit.calendarWidget()
    qtbot.waitUntil(calendar.isVisible)
    assert calendar.firstDayOfWeek() == Qt.DayOfWeek(day)
    calendar.window().hide()
    dialog = window.open_log_dialog()  # a calendar built before the change follows it too
    popup = dialog.form.start_edit.calendarWidget()
    _set_diary_prefs(window, first_day=(day % 7) + 1)
    assert popup.firstDayOfWeek() == Qt.DayOfWeek((day % 7) + 1)
    dialog.reject()
