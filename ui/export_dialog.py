"""Export dialog: choose a format, a period and a file; the work is done by tracker.exporting.

The file is written atomically (tracker.fileio), so a failed export never leaves a half-written
file behind and a file that was there before is kept as it was.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QStandardPaths, Qt
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
)

from tracker.exporting import FORMATS, ExportError, Period, export_to_file
from tracker.fileio import FileWriteError
from tracker.store import StoreError

FORMAT_HELP = {
    "csv": "One row per episode, for spreadsheets. A field you did not record is an empty "
    "cell. Formula-like text is protected.",
    "json": "Everything, including ids and timestamps: use this to move your diary.",
    "fhir": "A FHIR R4 bundle of symptom observations that clinic systems can read. Fields "
    "you did not record are left out.",
}


class ExportDialog(QDialog):
    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        self.exported: tuple[int, Path] | None = None
        self.setWindowTitle("Export episodes")
        layout = QVBoxLayout(self)
        form = QFormLayout()

        self.format_combo = QComboBox()
        self.format_combo.setAccessibleName("Export format")
        for name, (_, _, _, description) in FORMATS.items():
            self.format_combo.addItem(description, name)
        self.format_help = QLabel()
        self.format_help.setWordWrap(True)
        format_box = QVBoxLayout()
        format_box.addWidget(self.format_combo)
        format_box.addWidget(self.format_help)
        form.addRow(QLabel("&Format:", buddy=self.format_combo), format_box)
        self.format_combo.currentIndexChanged.connect(self._format_changed)

        self.all_radio = QRadioButton("&All episodes")
        self.range_radio = QRadioButton("&Only from")
        self.all_radio.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.all_radio)
        group.addButton(self.range_radio)
        today = QDate.currentDate()
        self.from_edit = self._date_edit(today.addMonths(-3), "Export from date")
        self.to_edit = self._date_edit(today, "Export to date")
        range_row = QHBoxLayout()
        range_row.addWidget(self.range_radio)
        range_row.addWidget(self.from_edit)
        range_row.addWidget(QLabel("to"))
        range_row.addWidget(self.to_edit)
        range_row.addStretch(1)
        period_box = QVBoxLayout()
        period_box.addWidget(self.all_radio)
        period_box.addLayout(range_row)
        form.addRow(QLabel("&Period:", buddy=self.all_radio), period_box)
        self.range_radio.toggled.connect(self._period_changed)

        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName("File to write")
        self.path_edit.setMinimumWidth(self.fontMetrics().averageCharWidth() * 64)
        choose = QPushButton("&Choose…")
        choose.setAccessibleName("Choose the file to write")
        choose.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(choose)
        form.addRow(QLabel("F&ile:", buddy=self.path_edit), file_row)
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
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setAccessibleName(name)
        return edit

    # ----------------------------------------------------------------- state
    @property
    def fmt(self) -> str:
        return self.format_combo.currentData()

    def period(self) -> Period:
        if not self.range_radio.isChecked():
            return Period()
        return Period(_to_date(self.from_edit.date()), _to_date(self.to_edit.date()))

    def _format_changed(self) -> None:
        self.format_help.setText(FORMAT_HELP[self.fmt])
        suffix = FORMATS[self.fmt][2]
        text = self.path_edit.text().strip()
        if text:
            base = text
            for _, _, other, _ in FORMATS.values():
                if base.endswith(other):
                    base = base[: -len(other)]
                    break
            self.path_edit.setText(base + suffix)
        else:
            folder = QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.DocumentsLocation
            )
            name = f"cramp-diary-{date.today():%Y-%m-%d}{suffix}"
            self.path_edit.setText(str(Path(folder or Path.home()) / name))

    def _period_changed(self) -> None:
        self.from_edit.setEnabled(self.range_radio.isChecked())
        self.to_edit.setEnabled(self.range_radio.isChecked())

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            bool(self.path_edit.text().strip())
        )

    def choose_file(self) -> None:
        suffix = FORMATS[self.fmt][2]
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Export to",
            self.path_edit.text(),
            f"{self.format_combo.currentText()} (*{suffix})",
        )
        if path:
            self.path_edit.setText(path)

    # ----------------------------------------------------------------- action
    def export(self) -> None:
        period = self.period()
        if period.date_from and period.date_to and period.date_from > period.date_to:
            QMessageBox.warning(self, "Export", "The start of the period is after its end.")
            return
        path = Path(self.path_edit.text().strip()).expanduser()
        if path.exists():
            answer = QMessageBox.question(
                self, "Export", f"'{path.name}' already exists. Replace it?"
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            count = export_to_file(self.store, self.fmt, path, period)
        except FileWriteError as exc:  # names the file and the cause; the old file is kept
            QApplication.restoreOverrideCursor()
            QMessageBox.warning(self, "Export failed", str(exc))
            return
        except (ExportError, StoreError, OSError) as exc:
            QApplication.restoreOverrideCursor()
            message = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            QMessageBox.warning(self, "Export failed", f"Nothing was exported: {message}")
            return
        QApplication.restoreOverrideCursor()
        self.exported = (count, path)
        self.accept()


def _to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())
