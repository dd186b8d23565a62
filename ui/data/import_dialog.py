"""Import dialog: choose a file, map its columns if it is a foreign CSV, check, then import.

Nothing is written until the last step, where the person has seen how many rows will be added,
how many are duplicates, and every bad row with its line number. The import itself is one
transaction after a backup (tracker.interop.importer.commit_import).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from tracker.diary.episode import NOT_RECORDED
from tracker.interop.import_mapping import ColumnMapping, sniff_table
from tracker.interop.importer import (
    ImportFileError,
    ImportPreview,
    ImportResult,
    ImportSource,
    NeedsMappingError,
    commit_import,
    preview_source,
)
from tracker.store import Store, StoreError
from ui.data.import_mapping_page import ImportMappingPage
from ui.widgets import theme

MAX_LISTED = 500
FILE_PAGE, MAPPING_PAGE, SUMMARY_PAGE = range(3)

_T = TypeVar("_T")


class ImportDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.source: ImportSource | None = None  # read again for each preview, never held whole
        self.preview: ImportPreview | None = None
        self.import_result: ImportResult | None = None  # what was imported, once it is
        self.setWindowTitle("Import episodes")
        layout = QVBoxLayout(self)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_file_page())
        self.mapping_page = ImportMappingPage(store=store)
        self.mapping_page.changed.connect(self._update_buttons)
        self.pages.addWidget(self.mapping_page)
        self.pages.addWidget(self._build_summary_page())
        layout.addWidget(self.pages, 1)

        buttons = QHBoxLayout()
        self.back_button = QPushButton("< &Back")
        self.next_button = QPushButton("&Next >")
        self.import_button = QPushButton("&Import")
        self.cancel_button = QPushButton("Cancel")
        self.next_button.setDefault(True)
        buttons.addStretch(1)
        for button in (self.back_button, self.next_button, self.import_button, self.cancel_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.go_next)
        self.import_button.clicked.connect(self.do_import)
        self.cancel_button.clicked.connect(self.reject)
        self.resize(self.fontMetrics().averageCharWidth() * 110, self.fontMetrics().height() * 36)
        self._show_page(FILE_PAGE)

    # ----------------------------------------------------------------- pages
    def _build_file_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        intro = QLabel(
            "Bring in episodes from a Cramp Tracker export (JSON or CSV) or from a spreadsheet "
            "you kept before (saved as CSV). You will see what would be imported before "
            "anything is written, and a backup of your diary is taken first."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName("File to import")
        self.path_edit.textChanged.connect(self._update_buttons)
        choose = QPushButton("&Choose…")
        choose.setAccessibleName("Choose the file to import")
        choose.clicked.connect(self.choose_file)
        label = QLabel("&File:")
        label.setBuddy(self.path_edit)
        row.addWidget(label)
        row.addWidget(self.path_edit, 1)
        row.addWidget(choose)
        layout.addLayout(row)
        self.file_error = QLabel()
        self.file_error.setWordWrap(True)
        theme.keep_message_colour(self.file_error, "error")
        self.file_error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.file_error)
        layout.addStretch(1)
        return page

    def _build_summary_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        font = self.summary_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.summary_label.setFont(font)
        layout.addWidget(self.summary_label)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setAccessibleName("Rows with problems and warnings")
        layout.addWidget(self.details, 1)
        return page

    def _show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self._update_buttons()

    def _update_buttons(self) -> None:
        index = self.pages.currentIndex()
        self.back_button.setEnabled(index != FILE_PAGE)
        self.next_button.setVisible(index != SUMMARY_PAGE)
        self.import_button.setVisible(index == SUMMARY_PAGE)
        if index == FILE_PAGE:
            self.next_button.setEnabled(bool(self.path_edit.text().strip()))
        elif index == MAPPING_PAGE:
            self.next_button.setEnabled(not self.mapping_page.problems())
        else:
            count = len(self.preview.to_add) if self.preview else 0
            self.import_button.setEnabled(count > 0)
            self.import_button.setText(f"&Import {count:,} episode{'s' if count != 1 else ''}")
            self.import_button.setDefault(True)

    # ----------------------------------------------------------------- navigation
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Import from",
            self.path_edit.text(),
            "CSV or JSON files (*.csv *.json *.txt);;All files (*)",
        )
        if path:
            self.path_edit.setText(path)

    def go_back(self) -> None:
        index = self.pages.currentIndex()
        if index == SUMMARY_PAGE and self.preview and self.preview.kind == "mapped csv":
            self._show_page(MAPPING_PAGE)
        else:
            self._show_page(FILE_PAGE)

    def go_next(self) -> None:
        if self.pages.currentIndex() == FILE_PAGE:
            self.open_file(Path(self.path_edit.text().strip()).expanduser())
        else:
            self._preview(self.mapping_page.mapping(), self.mapping_page.problems_label)

    def open_file(self, path: Path) -> None:
        self.file_error.clear()
        try:
            source = self.source = ImportSource.from_path(path)
        except ImportFileError as exc:
            self.file_error.setText(str(exc))
            return
        try:
            preview = self.preview = self._run(lambda: preview_source(self.store, source))
        except NeedsMappingError:
            try:
                table = sniff_table(source.head_text())
            except ImportFileError as exc:  # it could not be read again
                self.file_error.setText(str(exc))
                return
            if len(table.header) < 2:
                self.file_error.setText(
                    f"'{path.name}' does not look like a table: its first row has "
                    f"{'only one column' if table.header else 'no columns'} (no commas, "
                    "semicolons or tabs between values). Save the spreadsheet as CSV and try again."
                )
                return
            self.mapping_page.set_table(table)
            self._show_page(MAPPING_PAGE)
            return
        except ImportFileError as exc:
            self.file_error.setText(str(exc))
            return
        self._show_summary(preview)

    def _preview(self, mapping: ColumnMapping, error_label: QLabel) -> None:
        source = self.source
        if source is None:  # the mapping page is reached only after a file was opened
            return
        try:
            preview = self.preview = self._run(lambda: preview_source(self.store, source, mapping))
        except ImportFileError as exc:
            error_label.setText(str(exc))
            return
        self._show_summary(preview)

    def _run(self, work: Callable[[], _T]) -> _T:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return work()
        finally:
            QApplication.restoreOverrideCursor()

    def _show_summary(self, p: ImportPreview) -> None:
        lines = [html.escape(note, quote=False) for note in p.notes]
        lines += [
            f"<b>{len(p.to_add):,}</b> episodes will be added.",
            f"{len(p.duplicates):,} duplicates (the same in every field as an episode already in "
            "your diary or earlier in the file) will be skipped.",
            f"{len(p.bad_rows):,} with problems will be skipped"
            + (" (listed below)." if p.bad_rows else "."),
        ]
        if p.filter_description:
            lines.append(
                f"{p.filtered_out:,} left out by the row filter "
                f"({html.escape(p.filter_description, quote=False)})."
            )
        missing = p.not_recorded_counts()
        if missing:
            parts = ", ".join(f"{html.escape(label)} in {n:,}" for label, n in missing.items())
            lines.append(f"{NOT_RECORDED} (kept empty, not guessed): {parts}.")
        self.summary_label.setText(
            f"Read {p.rows_read:,} rows from {html.escape(p.source)}:<br>" + "<br>".join(lines)
        )
        details = [bad.describe() for bad in p.bad_rows[:MAX_LISTED]]
        if len(p.bad_rows) > MAX_LISTED:
            details.append(f"… and {len(p.bad_rows) - MAX_LISTED:,} more rows with problems.")
        if p.warnings:
            details.append("")
            details.append("Imported, but worth knowing:")
            details.extend(w.describe() for w in p.warnings[:MAX_LISTED])
        self.details.setPlainText("\n".join(details) or "Every row is fine.")
        self._show_page(SUMMARY_PAGE)

    def do_import(self) -> None:
        preview = self.preview
        if preview is None:  # the Import button shows only on the summary of a preview
            return
        try:
            self.import_result = self._run(lambda: commit_import(self.store, preview))
        except StoreError as exc:  # ImportWriteError: says that nothing was imported, and why
            QMessageBox.warning(self, "Import failed", str(exc))
            return
        self.accept()
