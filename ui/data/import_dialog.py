"""Import dialog: choose a file, map its columns if it is a foreign CSV, check, then import.

Nothing is written until the last step, where the person has seen how many rows will be added,
how many are duplicates, and every bad row with its line number. The import itself is one
transaction after a backup (tracker.interop.importer.commit_import).

Reading the file (the preview) and saving (the commit) run in a worker thread
(ui.widgets.background) with connections of their own: a read-only Store for the preview, a
second read-write connection (``Store.for_worker``) for the commit. A progress dialog shows when
it takes over a second and its Cancel stops it; a cancelled commit rolls back, so nothing is
added. While work runs, the buttons are disabled, and closing the dialog cancels it first.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
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
from tracker.diary.progress import Progress
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
from ui.widgets.background import SHOW_AFTER_MS, BackgroundTask, run_in_background

MAX_LISTED = 500
FILE_PAGE, MAPPING_PAGE, SUMMARY_PAGE = range(3)
CANCELLED = "The import was cancelled: nothing was added to your diary."
PROGRESS_AFTER_MS = SHOW_AFTER_MS  # the progress dialog shows once work takes this long


class ImportDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.source: ImportSource | None = None  # read again for each preview, never held whole
        self.preview: ImportPreview | None = None
        self.import_result: ImportResult | None = None  # what was imported, once it is
        self.task: BackgroundTask | None = None  # the preview or commit under way
        self._close_when_done = False  # closed while working: close once the work stopped
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
        self.finished.connect(self._discard_preview)
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

    @property
    def busy(self) -> bool:
        """A preview or commit is under way in the worker."""
        return self.task is not None

    def _update_buttons(self) -> None:
        index = self.pages.currentIndex()
        idle = not self.busy
        self.pages.setEnabled(idle)
        self.back_button.setEnabled(idle and index != FILE_PAGE)
        self.next_button.setVisible(index != SUMMARY_PAGE)
        self.import_button.setVisible(index == SUMMARY_PAGE)
        if index == FILE_PAGE:
            self.next_button.setEnabled(idle and bool(self.path_edit.text().strip()))
        elif index == MAPPING_PAGE:
            self.next_button.setEnabled(idle and not self.mapping_page.problems())
        else:
            count = self.preview.add_count if self.preview else 0
            nothing = self.preview is None or self.preview.nothing_to_add
            self.import_button.setEnabled(idle and not nothing)
            if count or nothing:
                self.import_button.setText(f"&Import {count:,} episode{'s' if count != 1 else ''}")
            else:  # check-ins or medicines only
                self.import_button.setText("&Import")
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
        self._start_preview(source, None, self.file_error)

    def _preview(self, mapping: ColumnMapping, error_label: QLabel) -> None:
        source = self.source
        if source is None:  # the mapping page is reached only after a file was opened
            return
        error_label.clear()
        self._start_preview(source, mapping, error_label)

    def _start_preview(
        self, source: ImportSource, mapping: ColumnMapping | None, error_label: QLabel
    ) -> None:
        """Read and check the file in the worker, against a read-only Store of its own."""
        diary = self.store

        def work(progress: Progress) -> ImportPreview:
            with diary.reader() as reader:  # this thread's own connection, no second check
                return preview_source(reader, source, mapping, progress=progress)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, NeedsMappingError) and mapping is None:
                self._ask_for_mapping(source)
            elif isinstance(exc, (ImportFileError, StoreError)):
                error_label.setText(str(exc))
            else:
                error_label.setText(f"The file could not be read ({exc}).")

        self._start("Checking the file", work, self._previewed, failed, None)

    def _previewed(self, preview: ImportPreview) -> None:
        self._discard_preview()
        self.preview = preview
        self._show_summary(preview)

    def _discard_preview(self) -> None:
        """Let go of the rows a preview holds (in a temporary file) once they are not needed."""
        if self.preview is not None:
            self.preview.close()
            self.preview = None

    def _ask_for_mapping(self, source: ImportSource) -> None:
        try:
            table = sniff_table(source.head_text())
        except ImportFileError as exc:  # it could not be read again
            self.file_error.setText(str(exc))
            return
        if len(table.header) < 2:
            self.file_error.setText(
                f"'{source.name}' does not look like a table: its first row has "
                f"{'only one column' if table.header else 'no columns'} (no commas, "
                "semicolons or tabs between values). Save the spreadsheet as CSV and try again."
            )
            return
        self.mapping_page.set_table(table)
        self._show_page(MAPPING_PAGE)

    def _start(
        self,
        title: str,
        work: Callable[[Progress], Any],
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None],
        cancelled: Callable[[], None] | None,
        *,
        saves: bool = False,
    ) -> None:
        """Run ``work`` in the worker; the handlers run on the UI thread once it ends. Closed
        meanwhile, the dialog closes then, unless ``saves`` and the work was done (the import
        happened: the window must hear of it)."""

        def finish(handler: Callable[..., None], *args: Any) -> None:
            self.task = None
            self._update_buttons()
            if self._close_when_done and not (saves and handler is done):
                if handler is done and isinstance(args[0], ImportPreview):
                    args[0].close()
                super(ImportDialog, self).reject()
                return
            handler(*args)

        self.task = run_in_background(
            self,
            title,
            work,
            lambda result: finish(done, result),
            lambda exc: finish(failed, exc),
            lambda: finish(cancelled or (lambda: None)),
            show_after_ms=PROGRESS_AFTER_MS,
        )
        self._update_buttons()

    def _show_summary(self, p: ImportPreview) -> None:
        lines = [html.escape(note, quote=False) for note in p.notes]
        lines += [
            f"<b>{p.add_count:,}</b> episodes will be added.",
            f"{p.duplicate_count:,} duplicates (the same in every field as an episode already in "
            "your diary or earlier in the file) will be skipped.",
            f"{p.bad_count:,} with problems will be skipped"
            + (" (listed below)." if p.bad_rows else "."),
        ]
        if p.filter_description:
            lines.append(
                f"{p.filtered_out:,} left out by the row filter "
                f"({html.escape(p.filter_description, quote=False)})."
            )
        if p.checkin_summary():
            lines.append(html.escape(p.checkin_summary(), quote=False))
        missing = p.not_recorded_counts()
        if missing:
            parts = ", ".join(f"{html.escape(label)} in {n:,}" for label, n in missing.items())
            lines.append(f"{NOT_RECORDED} (kept empty, not guessed): {parts}.")
        self.summary_label.setText(
            f"Read {p.rows_read:,} rows from {html.escape(p.source)}:<br>" + "<br>".join(lines)
        )
        details = [bad.describe() for bad in p.bad_rows[:MAX_LISTED]]
        if p.bad_count > MAX_LISTED:
            details.append(f"… and {p.bad_count - MAX_LISTED:,} more rows with problems.")
        if p.checkin_conflicts:
            days = ", ".join(d.isoformat() for d in p.checkin_conflicts[:MAX_LISTED])
            more = len(p.checkin_conflicts) - MAX_LISTED
            details.append(
                "Check-ins kept as they are in your diary (the file has other answers for "
                f"these days): {days}" + (f" and {more:,} more." if more > 0 else ".")
            )
        if p.warnings:
            details.append("")
            details.append("Imported, but worth knowing:")
            details.extend(w.describe() for w in p.warnings[:MAX_LISTED])
        self.details.setPlainText("\n".join(details) or "Every row is fine.")
        self._show_page(SUMMARY_PAGE)

    def do_import(self) -> None:
        preview = self.preview
        if preview is None or self.busy:  # the Import button shows only on a summary
            return
        main = self.store

        def work(progress: Progress) -> ImportResult:
            writer = main.for_worker()
            try:
                return commit_import(writer, preview, progress=progress)
            finally:
                writer.close()

        def done(result: ImportResult) -> None:
            main.written_elsewhere()
            self.import_result = result
            self.accept()

        def failed(exc: BaseException) -> None:
            # ImportWriteError says that nothing was imported, and why
            QMessageBox.warning(self, "Import failed", str(exc))

        def cancelled() -> None:
            self.summary_label.setText(self.summary_label.text() + f"<br><b>{CANCELLED}</b>")

        self._start("Importing", work, done, failed, cancelled, saves=True)

    # ----------------------------------------------------------------- closing
    def reject(self) -> None:
        """Cancel or the Escape key: with work under way, stop it first, then close."""
        if self.task is not None:
            self._close_when_done = True
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        if self.task is not None:
            self.reject()
            event.ignore()
            return
        super().closeEvent(event)
