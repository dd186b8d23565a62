"""Export dialog: choose a format, a period and a file; the work is done by
tracker.interop.exporting, in a worker with its own read-only connection
(ui.widgets.background): a progress dialog with Cancel appears when it takes over a second.

The file is written atomically (tracker.store.fileio), so a failed or cancelled export never
leaves a half-written file behind and a file that was there before is kept as it was.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

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
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker.diary import vocab
from tracker.diary.periods import ALL, CUSTOM, Period, preset_period
from tracker.diary.progress import Progress
from tracker.interop.exporting import (
    CHECKINS_IN_FORMAT,
    FORMATS,
    ExportError,
    ExportOutcome,
    export_diary,
)
from tracker.store import Store, StoreError
from tracker.store.fileio import FileWriteError
from ui.widgets.background import SHOW_AFTER_MS, BackgroundTask, run_in_background
from ui.widgets.dates import edit_format, to_date
from ui.widgets.file_dialogs import dated_name, remember_folder, save_file, suggested_path

FORMAT_HELP = {
    "csv": "One row per episode, for spreadsheets. A field you did not record is an empty "
    "cell. Formula-like text is protected.",
    "json": "Everything, including ids and timestamps: use this to move your diary.",
    "fhir": "A FHIR R4 bundle of symptom observations that clinic systems can read. Fields "
    "you did not record are left out.",
}
PERIOD_CHOICES = (ALL, "30d", "3m", "6m", "12m", CUSTOM)  # names: tracker.diary.vocab.PERIODS


class ExportDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.exported: tuple[int, Path] | None = None
        self.outcome: ExportOutcome | None = None  # every file written and what is in them
        self.task: BackgroundTask | None = None  # the export under way
        self.show_after_ms = SHOW_AFTER_MS
        self._closing = False
        self.setWindowTitle("Export episodes")
        layout = QVBoxLayout(self)
        form = QFormLayout()

        self.format_combo = QComboBox()
        self.format_combo.setAccessibleName("Export format")
        for name, (_, _, description) in FORMATS.items():
            self.format_combo.addItem(description, name)
        self.format_help = QLabel()
        self.format_help.setWordWrap(True)
        format_box = QVBoxLayout()
        format_box.addWidget(self.format_combo)
        format_box.addWidget(self.format_help)
        form.addRow(_label("&Format:", self.format_combo), format_box)

        # What the format does with the daily check-ins and the medicine list
        self.checkins_box = QCheckBox("Also export daily check-ins and &medicines")
        self.checkins_box.setChecked(True)
        self.checkins_help = QLabel()
        self.checkins_help.setWordWrap(True)
        checkins_layout = QVBoxLayout()
        checkins_layout.addWidget(self.checkins_box)
        checkins_layout.addWidget(self.checkins_help)
        form.addRow(_label("Chec&k-ins:", self.checkins_box), checkins_layout)
        self.format_combo.currentIndexChanged.connect(self._format_changed)

        self.period_combo = QComboBox()
        self.period_combo.setAccessibleName("Period to export")
        for code in PERIOD_CHOICES:
            self.period_combo.addItem(vocab.PERIODS[code], code)
        # "Choose dates…" starts from the default of the doctor summary and Patterns
        last = date.today()
        first = preset_period("3m", last).first or last  # a preset of months has a start
        self.from_edit = self._date_edit(_qdate(first), "Export from date")
        self.to_edit = self._date_edit(_qdate(last), "Export to date")
        self.to_label = QLabel("to")
        range_row = QHBoxLayout()
        range_row.addWidget(self.period_combo)
        range_row.addWidget(self.from_edit)
        range_row.addWidget(self.to_label)
        range_row.addWidget(self.to_edit)
        range_row.addStretch(1)
        form.addRow(_label("&Period:", self.period_combo), range_row)
        self.period_combo.currentIndexChanged.connect(self._period_changed)

        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName("File to write")
        self.path_edit.setMinimumWidth(self.fontMetrics().averageCharWidth() * 64)
        choose = self.choose_button = QPushButton("&Choose…")
        choose.setAccessibleName("Choose the file to write")
        choose.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(choose)
        form.addRow(_label("F&ile:", self.path_edit), file_row)

        # FHIR only: the clinic's own record for this person; empty = a placeholder Patient
        self.patient_edit = QLineEdit()
        self.patient_edit.setAccessibleName("Patient reference (optional)")
        self.patient_edit.setPlaceholderText("Optional, from the clinic, e.g. Patient/123")
        self.patient_label = _label("Pa&tient reference:", self.patient_edit)
        form.addRow(self.patient_label, self.patient_edit)
        layout.addLayout(form)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Export")
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.path_edit.textChanged.connect(self._update_ok)
        self._format_changed()
        self._period_changed()

    def _date_edit(self, value: QDate, name: str) -> QDateEdit:
        edit = QDateEdit(value)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(edit_format())
        edit.setAccessibleName(name)
        return edit

    # ----------------------------------------------------------------- state
    @property
    def fmt(self) -> str:
        return self.format_combo.currentData()

    def patient(self) -> str | None:
        """The Patient reference typed for a FHIR export; None for other formats."""
        return (self.patient_edit.text().strip() or None) if self.fmt == "fhir" else None

    def period(self) -> Period:
        code = self.period_combo.currentData()
        if code == ALL:
            return Period()
        if code == CUSTOM:
            return Period(to_date(self.from_edit.date()), to_date(self.to_edit.date()))
        return preset_period(code, date.today())

    def _format_changed(self) -> None:
        self.format_help.setText(FORMAT_HELP[self.fmt])
        self.checkins_box.setVisible(self.fmt == "csv")  # JSON: always; FHIR: medicines only
        self.checkins_help.setText(CHECKINS_IN_FORMAT[self.fmt])
        fhir = self.fmt == "fhir"
        self.patient_label.setVisible(fhir)
        self.patient_edit.setVisible(fhir)
        suffix = FORMATS[self.fmt].suffix
        text = self.path_edit.text().strip()
        if text:
            base = text
            for _, other, _ in FORMATS.values():
                if base.endswith(other):
                    base = base[: -len(other)]
                    break
            self.path_edit.setText(base + suffix)
        else:
            name = dated_name("cramp-diary", suffix)
            self.path_edit.setText(str(suggested_path("export", name, self)))

    def _period_changed(self) -> None:
        custom = self.period_combo.currentData() == CUSTOM
        for widget in (self.from_edit, self.to_label, self.to_edit):
            widget.setVisible(custom)

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            bool(self.path_edit.text().strip()) and self.task is None
        )

    def choose_file(self) -> None:
        suffix = FORMATS[self.fmt].suffix
        path, _ = save_file(
            self,
            "export",
            "Export to",
            self.path_edit.text().strip() or dated_name("cramp-diary", suffix),
            f"{self.format_combo.currentText()} (*{suffix})",
        )
        if path:
            self.path_edit.setText(path)

    # ----------------------------------------------------------------- action
    def export(self) -> None:
        """Check the choices, then export in a worker; the result comes back to on_exported."""
        if self.task is not None:
            return
        period = self.period()
        if period.first and period.last and period.first > period.last:
            QMessageBox.warning(self, "Export", "The start of the period is after its end.")
            return
        path = Path(self.path_edit.text().strip()).expanduser()
        if path.exists():
            answer = QMessageBox.question(
                self, "Export", f"'{path.name}' already exists. Replace it?"
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        fmt, patient, diary = self.fmt, self.patient(), self.store
        with_checkins = self.checkins_box.isChecked()

        def work(progress: Progress) -> ExportOutcome:
            with diary.reader() as reader:  # this thread's own connection, no second check
                return export_diary(
                    reader,
                    fmt,
                    path,
                    period,
                    with_checkins=with_checkins,
                    patient=patient,
                    progress=progress,
                )

        self._set_busy(True)
        self.task = run_in_background(
            self,
            "Export",
            work,
            lambda outcome: self.on_exported(outcome, path),
            self.on_failed,
            lambda: self._set_busy(False),
            show_after_ms=self.show_after_ms,
        )

    def on_exported(self, outcome: ExportOutcome, path: Path) -> None:
        self._set_busy(False)
        if self._closing:
            return
        remember_folder("export", path.parent, self)
        self.outcome = outcome
        self.exported = (outcome.episodes, path)
        self.accept()

    def on_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if self._closing:
            return
        if isinstance(exc, FileWriteError):  # names the file and the cause; the old file is kept
            QMessageBox.warning(self, "Export failed", str(exc))
        elif isinstance(exc, (ExportError, StoreError, OSError)):
            message = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            QMessageBox.warning(self, "Export failed", f"Nothing was exported: {message}")
        else:
            raise exc

    def _set_busy(self, busy: bool) -> None:
        if not busy:
            self.task = None
        self.choose_button.setEnabled(not busy)
        self._update_ok()
        if busy:
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)

    def reject(self) -> None:
        """Closing while exporting cancels the export and waits for it to undo itself (its
        temporary file removed) before the dialog goes."""
        if self.task is not None:
            self._closing = True
            self.task.cancel()
            self.task.wait(30)
        super().reject()


def _label(text: str, buddy: QWidget) -> QLabel:
    """A label whose mnemonic moves the focus to ``buddy``."""
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)
