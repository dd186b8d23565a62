"""Edit > Preferences: reminders, tray, start at login and appearance (this computer), and
units, 12/24-hour time and the first day of the week (this diary).

Nothing changes until OK: Cancel (or Esc) leaves every setting, file and window as it was.
OK writes the autostart entry first (the one step that can fail on a full or read-only disk);
when it fails the message says so and the dialog stays open with nothing else changed.
Where each preference is kept: ui/shell/preferences.py (the diary) and computer_preferences.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QMessageBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from tracker.diary import reminders, units
from tracker.store import StoreError
from ui.shell import appearance, autostart, computer_preferences, preferences
from ui.widgets import dates

if TYPE_CHECKING:
    from ui.shell.main_window import MainWindow

NO_TRAY = (
    "This desktop has no system tray, so the tray icon, closing to the tray and reminders "
    "(shown as notifications from the icon) are not available."
)
REMINDER_NOTE = "Reminders are desktop notifications from the tray icon, shown while one is on."
HOUR_CHOICES = (
    (dates.REGION, "As your region writes it"),
    ("24", "24-hour (21:30)"),
    ("12", "12-hour (9:30 PM)"),
)
APPEARANCE_TEXT = {"system": "As the desktop (light or dark)", "light": "Light", "dark": "Dark"}


def _combo(name: str, items: Sequence[tuple[object, str]]) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    for data, text in items:
        combo.addItem(text, data)
    return combo


def _select(combo: QComboBox, data: object) -> None:
    index = combo.findData(data)
    combo.setCurrentIndex(max(0, index))


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setEnabled(False)  # muted, readable in both palettes (theme.readable_palette)
    return label


class PreferencesDialog(QDialog):
    def __init__(self, window: MainWindow, tray_available: bool | None = None) -> None:
        super().__init__(window)
        self.main_window = window
        self.setWindowTitle("Preferences — Cramp Tracker")
        if tray_available is None:
            from ui.shell.tray import tray_available as desktop_has_tray

            tray_available = window.tray.available if window.tray else desktop_has_tray()
        self.tray_available = tray_available
        outer = QVBoxLayout(self)
        columns = QGridLayout()
        columns.setHorizontalSpacing(18)
        columns.addWidget(self._computer_column(), 0, 0)
        columns.addWidget(self._diary_column(), 0, 1)
        columns.setColumnStretch(0, 1)
        columns.setColumnStretch(1, 1)
        outer.addLayout(columns)
        outer.addStretch(1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        self._set_tray_enabled()

    # ----------------------------------------------------------------- building
    def _computer_column(self) -> QWidget:
        column = QWidget()
        box = QVBoxLayout(column)
        box.setContentsMargins(0, 0, 0, 0)
        heading = QLabel("<b>On this computer</b>")
        box.addWidget(heading)

        group = QGroupBox("Reminders")
        form = QFormLayout(group)
        self.reminder_checks: dict[str, QCheckBox] = {}
        self.reminder_times: dict[str, QTimeEdit] = {}
        texts = {
            reminders.EVENING: "&Evening check-in at",
            reminders.MORNING: "&Morning: any cramps last night? at",
        }
        for kind in reminders.KINDS:
            check = QCheckBox(texts[kind])
            check.setAccessibleName(f"{kind.title()} reminder")
            edit = QTimeEdit()
            edit.setAccessibleName(f"{kind.title()} reminder time")
            check.toggled.connect(edit.setEnabled)
            self.reminder_checks[kind] = check
            self.reminder_times[kind] = edit
            form.addRow(check, edit)
        form.addRow(_note(REMINDER_NOTE))
        box.addWidget(group)

        group = QGroupBox("Tray")
        tray_box = QVBoxLayout(group)
        self.show_tray = QCheckBox("Show an &icon in the system tray")
        self.show_tray.setToolTip("Log a cramp, start the timer or open the check-in from it")
        self.close_to_tray = QCheckBox("&Closing the window keeps Cramp Tracker in the tray")
        self.show_tray.toggled.connect(lambda *_: self._set_tray_enabled())
        self.no_tray_note = _note(NO_TRAY)
        self.no_tray_note.setVisible(not self.tray_available)
        tray_box.addWidget(self.show_tray)
        tray_box.addWidget(self.close_to_tray)
        tray_box.addWidget(self.no_tray_note)
        box.addWidget(group)

        group = QGroupBox("Start at login")
        login_box = QVBoxLayout(group)
        self.autostart = QCheckBox("&Start Cramp Tracker at login, in the tray")
        self.autostart.setToolTip(f"Adds {autostart.entry_path()}")
        login_box.addWidget(self.autostart)
        box.addWidget(group)

        group = QGroupBox("Appearance")
        form = QFormLayout(group)
        self.appearance = _combo(
            "Appearance", [(key, APPEARANCE_TEXT[key]) for key, _ in appearance.CHOICES]
        )
        form.addRow("C&olours", self.appearance)
        box.addWidget(group)
        box.addStretch(1)
        return column

    def _diary_column(self) -> QWidget:
        column = QWidget()
        box = QVBoxLayout(column)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(QLabel("<b>In this diary</b>"))
        group = QGroupBox("Units, time and calendar")
        form = QFormLayout(group)
        self.fluid_unit = _combo("Fluid unit", list(units.FLUID_UNITS.items()))
        form.addRow("&Fluid amounts", self.fluid_unit)
        self.hour_format = _combo("Time of day", list(HOUR_CHOICES))
        form.addRow("&Time of day", self.hour_format)
        region_day = dates.WEEK_DAYS[QLocale().firstDayOfWeek().value - 1]
        days = [(0, f"As your region ({region_day})")]
        days += [(number, name) for number, name in enumerate(dates.WEEK_DAYS, start=1)]
        self.first_day = _combo("First day of the week", days)
        form.addRow("&Weeks start on", self.first_day)
        box.addWidget(group)
        self.diary_note = _note(
            "Kept in the diary file, so they go with it. The diary always stores millilitres."
        )
        box.addWidget(self.diary_note)
        box.addStretch(1)
        return column

    def _set_tray_enabled(self) -> None:
        available = self.tray_available
        self.show_tray.setEnabled(available)
        self.close_to_tray.setEnabled(available and self.show_tray.isChecked())
        for kind in reminders.KINDS:
            self.reminder_checks[kind].setEnabled(available)
            on = available and self.reminder_checks[kind].isChecked()
            self.reminder_times[kind].setEnabled(on)

    # ----------------------------------------------------------------- values
    def load(self) -> None:
        """Show the preferences as they are now (each time the dialog opens)."""
        window = self.main_window
        computer = computer_preferences.ComputerPreferences.read(window.settings)
        for item in computer.reminders:
            edit = self.reminder_times[item.kind]
            edit.setDisplayFormat(dates.time_format())
            edit.setTime(QTime(item.at.hour, item.at.minute))
            self.reminder_checks[item.kind].setChecked(item.enabled)
        self.show_tray.setChecked(computer.show_tray)
        self.close_to_tray.setChecked(computer.close_to_tray)
        self.autostart.setChecked(autostart.is_enabled())
        _select(self.appearance, appearance.saved_choice(window.settings))
        diary = preferences.DiaryPreferences.read(window.store)
        _select(self.fluid_unit, diary.fluid_unit)
        _select(self.hour_format, diary.hour_format)
        _select(self.first_day, diary.first_day)
        readonly = bool(getattr(window.store, "readonly", False))
        for combo in (self.fluid_unit, self.hour_format, self.first_day):
            combo.setEnabled(not readonly)
        self.diary_note.setText(
            "This diary is open read-only: its units and time forms cannot be changed."
            if readonly
            else "Kept in the diary file, so they go with it. The diary always stores millilitres."
        )
        self._set_tray_enabled()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)

    def computer_preferences(self) -> computer_preferences.ComputerPreferences:
        prefs = computer_preferences.ComputerPreferences(
            show_tray=self.show_tray.isChecked(), close_to_tray=self.close_to_tray.isChecked()
        )
        for kind in reminders.KINDS:
            shown = self.reminder_times[kind].time()
            prefs = prefs.with_reminder(
                kind,
                time(shown.hour(), shown.minute()),
                self.reminder_checks[kind].isChecked(),
            )
        return prefs

    def diary_preferences(self) -> preferences.DiaryPreferences:
        return preferences.DiaryPreferences(
            fluid_unit=str(self.fluid_unit.currentData()),
            hour_format=str(self.hour_format.currentData()),
            first_day=int(self.first_day.currentData()),
        )

    def save(self) -> None:
        """OK: write and apply everything, or say what failed and change nothing else."""
        window = self.main_window
        want_autostart = self.autostart.isChecked()
        if want_autostart != autostart.is_enabled():
            try:
                autostart.set_enabled(want_autostart)
            except autostart.AutostartError as exc:
                QMessageBox.warning(self, "Start at login", str(exc))
                return
        diary = self.diary_preferences()
        if diary != preferences.DiaryPreferences.read(window.store):
            try:
                diary.write(window.store)
            except StoreError as exc:
                QMessageBox.warning(
                    self,
                    "Preferences not saved",
                    f"The diary's units and time forms could not be saved: {exc}",
                )
                return
            window.apply_diary_preferences(diary)
        self.computer_preferences().write(window.settings)
        window.apply_computer_preferences()
        choice = str(self.appearance.currentData())
        if choice != appearance.saved_choice(window.settings):
            window.appearance.choose(choice)
        self.accept()
