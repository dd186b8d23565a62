"""Episode > "Daily check-in…" (Ctrl+K) and "Medicines and supplements…", installed by the main
window's finish_setup(); ``MainWindow.checkin_requested('evening' | 'morning')`` (the tray and
reminders) opens the check-in too.

This is where check-ins and medicines are written: through the window's store, each change
pushed on the window's undo stack. The dialogs are imported when first used. Each is built once
and shown again, and never deleted while the window lives (a child of the window).
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction

from tracker.diary.checkin import DAY_QUESTIONS, CheckIn, Medicine
from tracker.store import Store
from ui.checkin.commands import (
    AddMedicineCommand,
    CheckinContext,
    DeleteMedicineCommand,
    EditMedicineCommand,
    SaveCheckInCommand,
    day_title,
)

if TYPE_CHECKING:
    from ui.checkin.checkin_dialog import CheckInDialog
    from ui.checkin.medicines_dialog import MedicinesDialog
    from ui.episode.log_dialog import LogDialog
    from ui.shell.main_window import MainWindow

# "Cramps last night? Yes → Log them…" presets the log form to this hour of the night that
# ended on the check-in's day, marked approximate (never later than now).
NIGHT_PRESET = time(3, 0)


class CheckinFeature(QObject):
    changed = Signal()  # a check-in or medicine was written, undone or redone

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.context = CheckinContext(self.store, self.changed.emit, window.show_error)
        self.checkin_dialog: CheckInDialog | None = None
        self.medicines_dialog: MedicinesDialog | None = None
        self.checkin_action = QAction("Daily &check-in…", window)
        self.checkin_action.setShortcut("Ctrl+K")
        self.checkin_action.setStatusTip("Answer a few questions about today and last night")
        self.checkin_action.triggered.connect(lambda: self.open_checkin())
        self.medicines_action = QAction("&Medicines and supplements…", window)
        self.medicines_action.setStatusTip("The medicines and supplements you take or took")
        self.medicines_action.triggered.connect(lambda: self.open_medicines())
        menu = window.episode_menu
        menu.addSeparator()
        menu.addAction(self.checkin_action)
        menu.addAction(self.medicines_action)
        window.checkin_requested.connect(lambda kind: self.open_checkin(kind))
        window.checkin_answered = self.answered  # a reminder for a done check-in is not shown
        self.changed.connect(self._refresh)
        self.changed.connect(window.checkins_changed)  # undo and redo

    def answered(self, kind: str, day: date) -> bool:
        """Whether ``day``'s check-in of ``kind`` is done: 'morning' when the night was answered,
        'evening' when any question about the day was."""
        checkin = self.store().get_checkin(day)
        if checkin is None:
            return False
        if kind == "morning":
            return checkin.night_cramps is not None or checkin.sleep_disturbance is not None
        return any(checkin.answer(q.name) is not None for q in DAY_QUESTIONS)

    def store(self) -> Store:
        return self.window.store

    # ----------------------------------------------------------------- the check-in
    def open_checkin(self, mode: str = "evening", day: date | None = None) -> CheckInDialog:
        """Show the check-in of ``day`` (today): 'morning' asks about the night first. An open
        check-in is brought to the front instead (unsaved answers are kept)."""
        dialog = self._checkin_dialog()
        if dialog.isVisible():
            dialog.raise_()
            dialog.activateWindow()
            return dialog
        dialog.load(day or date.today(), "morning" if mode == "morning" else "evening")
        dialog.open()
        return dialog

    def _checkin_dialog(self) -> CheckInDialog:
        if self.checkin_dialog is None or not _is_alive(self.checkin_dialog):
            from ui.checkin.checkin_dialog import CheckInDialog

            store = self.store
            self.checkin_dialog = CheckInDialog(
                self.save_checkin,
                lambda day: store().get_checkin(day),
                lambda first, last: store().checkin_days(first, last),
                self.log_night,
                self.window,
            )
        return self.checkin_dialog

    def save_checkin(self, checkin: CheckIn, _shown_before: CheckIn | None = None) -> None:
        """Write the day's check-in (raises ValidationError/StoreError), push its undo, say it.
        Unchanged answers write nothing and push nothing."""
        day = checkin.day
        before = self.store().get_checkin(day)
        if checkin == (before or CheckIn(day=day)):
            self.window.show_status(f"Check-in for {day_title(day)}: nothing changed.")
            return
        before = self.store().save_checkin(checkin)
        after = None if checkin.is_empty() else checkin
        self.window.undo_stack.push(SaveCheckInCommand(self.context, day, before, after))
        self.window.checkins_changed.emit()
        what = "removed" if after is None else "saved"
        self.window.show_status(f"Check-in {what} for {day_title(day)}. Undo with Ctrl+Z.", 15000)

    def log_night(self, day: date) -> LogDialog | None:
        """Open the log form with its start preset to the night that ended on ``day``."""
        now = datetime.now().astimezone()
        start = datetime.combine(day, NIGHT_PRESET).astimezone()
        start = min(start, now)
        dialog = self.window.open_log_dialog(start)
        if dialog is not None:
            dialog.form.set_start(start, approximate=True)
        return dialog

    # ----------------------------------------------------------------- medicines
    def open_medicines(self) -> MedicinesDialog:
        if self.medicines_dialog is None or not _is_alive(self.medicines_dialog):
            from ui.checkin.medicines_dialog import MedicinesDialog

            self.medicines_dialog = MedicinesDialog(self, self.window)
        dialog = self.medicines_dialog
        dialog.reload()
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def add_medicine(self, medicine: Medicine) -> Medicine:
        saved = self.store().add_medicine(medicine)
        self.window.undo_stack.push(AddMedicineCommand(self.context, saved))
        self.window.checkins_changed.emit()
        self.window.show_status(f"Added {saved.name}. Undo with Ctrl+Z.", 15000)
        return saved

    def update_medicine(
        self, before: Medicine, after: Medicine, *, stopping: bool = False
    ) -> Medicine:
        saved = self.store().update_medicine(after)
        text = f"Stop {saved.name}" if stopping else f"Change {saved.name}"
        self.window.undo_stack.push(EditMedicineCommand(self.context, before, saved, text))
        self.window.checkins_changed.emit()
        self.window.show_status(f"Saved: {text}. Undo with Ctrl+Z.", 15000)
        return saved

    def delete_medicine(self, medicine: Medicine) -> bool:
        from tracker.store import StoreError

        if medicine.id is None:
            return False
        try:
            deleted = self.store().delete_medicine(medicine.id)
        except StoreError as exc:
            self.window.show_error(str(exc))
            return False
        self.window.undo_stack.push(DeleteMedicineCommand(self.context, deleted))
        self.window.checkins_changed.emit()
        self.window.show_status(f"Deleted {deleted.name}. Undo with Ctrl+Z.", 15000)
        self._refresh()
        return True

    def _refresh(self) -> None:
        """After an undo or redo: the open dialogs show what is stored now."""
        medicines = self.medicines_dialog
        if medicines is not None and _is_alive(medicines) and medicines.isVisible():
            medicines.reload()
        dialog = self.checkin_dialog
        if dialog is not None and _is_alive(dialog) and dialog.isVisible():
            dialog.strip.show_days_ending(dialog.strip.last_day)


def _is_alive(dialog: QObject) -> bool:
    """Whether Qt has not deleted it (someone may delete a window's child dialog)."""
    import shiboken6

    return shiboken6.isValid(dialog)


def install(window: MainWindow) -> CheckinFeature:
    """The window keeps what this returns as ``checkin_feature``."""
    return CheckinFeature(window)
