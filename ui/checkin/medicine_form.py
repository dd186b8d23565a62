"""Add or change one medicine or supplement: name, kind, start, optional stop, dose as text.

Problems (``validate_medicine``'s wording, or the store's) are shown in the form, and the
answers stay as typed. ``save`` writes through the store and raises ValidationError or
StoreError; the form closes only when it returned.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from tracker.diary.checkin import DOSE_MAX, MEDICINE_KINDS, NAME_MAX, Medicine, validate_medicine
from tracker.diary.episode import ValidationError
from tracker.store import StoreError
from ui.widgets import theme
from ui.widgets.dates import edit_format, to_date


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


class MedicineForm(QDialog):
    def __init__(
        self,
        save: Callable[[Medicine], Medicine],
        medicine: Medicine | None = None,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
        stopping: bool = False,
    ):
        """``medicine``: the one to change (None: a new one); ``stopping``: "Stop today…",
        the stop date ticked and set to today, still editable."""
        super().__init__(parent)
        self._save = save
        self._original = medicine
        self._today = today
        self.saved: Medicine | None = None
        if medicine is None:
            title = "Add a medicine or supplement"
        elif stopping:
            title = f"Stop {medicine.name}"
        else:
            title = f"Change {medicine.name}"
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setMaxLength(NAME_MAX)
        self.name.setAccessibleName("Name")
        self.name.setPlaceholderText("e.g. Magnesium")
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind")
        for code, text in MEDICINE_KINDS.items():
            self.kind.addItem(text, code)
        self.started = self._date_edit("Start date")
        self.stopped_check = QCheckBox("S&topped")
        self.stopped_check.setAccessibleName("Stopped taking it")
        self.stopped = self._date_edit("Stop date")
        self.stopped_check.toggled.connect(self.stopped.setEnabled)
        stop_line = QHBoxLayout()
        stop_line.addWidget(self.stopped_check)
        stop_line.addWidget(self.stopped, 1)
        self.dose = QLineEdit()
        self.dose.setMaxLength(DOSE_MAX)
        self.dose.setAccessibleName("Dose")
        self.dose.setPlaceholderText("Optional, e.g. 300 mg at night")
        for text, widget in (
            ("&Name", self.name),
            ("&Kind", self.kind),
            ("&Started on", self.started),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        form.addRow(stop_line)
        dose_label = QLabel("&Dose")
        dose_label.setBuddy(self.dose)
        form.addRow(dose_label, self.dose)
        layout.addLayout(form)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName("Problems")
        theme.keep_message_colour(self.error_label, "error")
        self.error_label.hide()
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Sa&ve")
        self.save_button.setDefault(True)
        buttons.accepted.connect(self.try_save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("x") * 60)

        now = today()
        start = medicine.started_on if medicine is not None else now
        self.started.setDate(_qdate(start))
        if medicine is not None:
            self.name.setText(medicine.name)
            self.kind.setCurrentIndex(max(0, self.kind.findData(medicine.kind)))
            self.dose.setText(medicine.dose)
        stop = medicine.stopped_on if medicine is not None else None
        if stopping:
            stop = stop or now
        self.stopped_check.setChecked(stop is not None)
        self.stopped.setDate(_qdate(stop or now))
        self.stopped.setEnabled(stop is not None)
        (self.stopped if stopping else self.name).setFocus()

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(edit_format())
        edit.setAccessibleName(name)
        edit.setMaximumDate(_qdate(self._today()))
        return edit

    def medicine(self) -> Medicine:
        return Medicine(
            name=self.name.text().strip(),
            kind=str(self.kind.currentData()),
            started_on=to_date(self.started.date()),
            stopped_on=to_date(self.stopped.date()) if self.stopped_check.isChecked() else None,
            dose=self.dose.text().strip(),
            id=None if self._original is None else self._original.id,
        )

    def try_save(self) -> bool:
        medicine = self.medicine()
        problems = validate_medicine(medicine, self._today())
        try:
            if problems:
                raise ValidationError({str(i): p for i, p in enumerate(problems)})
            self.saved = self._save(medicine)
        except ValidationError as exc:
            self._show_problem("\n".join(exc.errors.values()))
            return False
        except StoreError as exc:
            self._show_problem(f"Could not save: {exc}")
            return False
        self.accept()
        return True

    def _show_problem(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
