"""Medicines and supplements: the list (name, kind, started, stopped, dose), add, change, stop,
delete, each undoable.

The dialog is not modal, so Edit > Undo (and its own Undo button, the window's undo stack)
work while it is open. It reads the list from the store each time something changed
(``reload``): a handful of rows, and nothing in ``ui/`` keeps a row as truth.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tracker.diary.checkin import MEDICINE_KINDS, Medicine
from tracker.store import StoreError
from ui.checkin.medicine_form import MedicineForm
from ui.widgets.dates import short_date

if TYPE_CHECKING:
    from ui.checkin.menu import CheckinFeature

COLUMNS = ("Name", "Kind", "Started", "Stopped", "Dose")
STILL_TAKING = "still taking"
NOTE = (
    "This list is a record for you and your doctor. Whether to start, change or stop a "
    "medicine is for your doctor to decide; Cramp Tracker gives no advice about it."
)


class MedicineTableModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.medicines: list[Medicine] = []

    def set_medicines(self, medicines: list[Medicine]) -> None:
        self.beginResetModel()
        self.medicines = list(medicines)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.medicines)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> object:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return None
        medicine = self.medicines[index.row()]
        return cell_text(medicine, index.column())

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None


def cell_text(medicine: Medicine, column: int) -> str:
    if column == 0:
        return medicine.name
    if column == 1:
        return MEDICINE_KINDS.get(medicine.kind, medicine.kind)
    if column == 2:
        return short_date(medicine.started_on)
    if column == 3:
        return STILL_TAKING if medicine.stopped_on is None else short_date(medicine.stopped_on)
    return medicine.dose


class MedicinesDialog(QDialog):
    def __init__(
        self, feature: CheckinFeature, parent: QWidget, today: Callable[[], date] = date.today
    ):
        super().__init__(parent)
        self.feature = feature
        self._today = today
        self.form: MedicineForm | None = None  # the open add/change form
        self.setWindowTitle("Medicines and supplements")
        self.setAccessibleName(self.windowTitle())
        layout = QVBoxLayout(self)
        self.model = MedicineTableModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("Medicines and supplements")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda *_: self.edit())
        layout.addWidget(self.table, 1)
        self.empty_label = QLabel("Nothing in the list yet: press Add… to record one.")
        self.empty_label.setEnabled(False)
        layout.addWidget(self.empty_label)
        note = QLabel(NOTE)
        note.setWordWrap(True)
        layout.addWidget(note)

        buttons = QHBoxLayout()
        self.add_button = QPushButton("&Add…")
        self.add_button.clicked.connect(self.add)
        self.edit_button = QPushButton("&Edit…")
        self.edit_button.clicked.connect(self.edit)
        self.stop_button = QPushButton("Stop &today…")
        self.stop_button.clicked.connect(self.stop_today)
        self.delete_button = QPushButton("De&lete")
        self.delete_button.clicked.connect(self.delete)
        self.undo_button = QToolButton()
        self.undo_action = feature.window.undo_stack.createUndoAction(self, "&Undo")
        self.undo_button.setDefaultAction(self.undo_action)
        self.close_button = QPushButton("&Close")
        self.close_button.clicked.connect(self.close)
        for button in (self.add_button, self.edit_button, self.stop_button, self.delete_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        # Ctrl+Z here too (the window's own shortcut does not reach a separate window).
        QShortcut(QKeySequence.StandardKey.Undo, self, feature.window.undo_stack.undo)
        self.resize(720, 380)
        self.reload()

    # ----------------------------------------------------------------- the list
    def reload(self, select_id: int | None = None) -> None:
        keep = select_id if select_id is not None else self._selected_id()
        try:
            medicines = self.feature.store().medicines()
        except StoreError as exc:
            self.feature.window.show_error(str(exc))
            medicines = []
        self.model.set_medicines(medicines)
        self.empty_label.setVisible(not medicines)
        for row, medicine in enumerate(medicines):
            if medicine.id == keep:
                self.table.selectRow(row)
                break
        self._update_buttons()

    def selected(self) -> Medicine | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.medicines[rows[0].row()] if rows else None

    def _selected_id(self) -> int | None:
        medicine = self.selected()
        return None if medicine is None else medicine.id

    def _update_buttons(self, *_: object) -> None:
        chosen = self.selected() is not None
        for button in (self.edit_button, self.stop_button, self.delete_button):
            button.setEnabled(chosen)

    # ----------------------------------------------------------------- actions
    def add(self) -> MedicineForm:
        return self._open_form(
            MedicineForm(self.feature.add_medicine, None, self, today=self._today)
        )

    def edit(self) -> MedicineForm | None:
        medicine = self.selected()
        if medicine is None:
            return None
        form = MedicineForm(
            lambda after: self.feature.update_medicine(medicine, after),
            medicine,
            self,
            today=self._today,
        )
        return self._open_form(form)

    def stop_today(self) -> MedicineForm | None:
        medicine = self.selected()
        if medicine is None:
            return None
        form = MedicineForm(
            lambda after: self.feature.update_medicine(medicine, after, stopping=True),
            medicine,
            self,
            today=self._today,
            stopping=True,
        )
        return self._open_form(form)

    def _open_form(self, form: MedicineForm) -> MedicineForm:
        self.form = form
        form.accepted.connect(lambda: self.reload(form.saved.id if form.saved else None))
        form.finished.connect(self._forget_form)
        form.open()
        return form

    def _forget_form(self, *_: object) -> None:
        if self.form is not None:
            self.form.deleteLater()
        self.form = None
        self.table.setFocus()

    def delete(self) -> bool:
        medicine = self.selected()
        if medicine is None:
            return False
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self,
            "Delete from the list?",
            f"Delete {medicine.name} from your list of medicines and supplements?\n\n"
            "You can bring it back with Undo.",
            buttons.Yes | buttons.No,
            buttons.No,
        )
        if answer != buttons.Yes:
            return False
        return self.feature.delete_medicine(medicine)
