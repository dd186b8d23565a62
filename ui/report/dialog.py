"""The "summary for my doctor" dialog: pick a period and sections, then preview, print or save.

Preview, Print and Save as PDF paint the same ReportDocument, so what the preview shows is what
comes out of the printer. Name, date of birth and questions are printed only: nothing typed
here is saved. The summary is made in a worker with its own connection (ui/report/jobs.py):
Save as PDF reads, lays out and writes it there; Print and Preview gather it there and paint
on the UI thread. Work over a second shows a progress dialog whose Cancel writes nothing.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDate, QSize, Qt
from PySide6.QtGui import QPageSize
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
)

from tracker.analysis import aggregates
from tracker.diary import vocab
from tracker.diary.periods import ALL, CUSTOM, Period, preset_period
from tracker.report.data import SECTIONS, TABLE_RULE, ReportRequest, table_span
from tracker.store import StoreError
from ui.report import jobs
from ui.report.document import (
    ReportDocument,
    default_page_size,
    print_to_file,
    register_fonts,
    set_report_margins,
)
from ui.report.table import DRAWING, LAYOUT, READING
from ui.widgets.background import BackgroundTask, run_in_background
from ui.widgets.dates import edit_format, short_date, to_date
from ui.widgets.file_dialogs import dated_name, save_file
from ui.widgets.screen_fit import available_geometry, fitted_size

PRESETS = tuple((code, vocab.PERIODS[code]) for code in ("30d", "3m", "6m", "12m", ALL, CUSTOM))
PAPERS = (
    ("A4", QPageSize.PageSizeId.A4),
    ("US Letter", QPageSize.PageSizeId.Letter),
)
SAVING, PREPARING_PRINT, PREPARING_PREVIEW = (
    "Saving the PDF",
    "Preparing the summary to print",
    "Preparing the preview",
)
CANCELLED = {
    SAVING: "Saving was cancelled; no file was written.",
    PREPARING_PRINT: "Printing was cancelled.",
    PREPARING_PREVIEW: "The preview was cancelled.",
}
PROGRESS_FROM = 3000  # episodes in the period from which a progress dialog is worth showing
# Share of the progress bar (of 1000) per stage of ReportDocument.render: (start, span).
STAGES = {READING: (0, 250), LAYOUT: (250, 100), DRAWING: (350, 650)}


def has_profile(store) -> bool:
    try:
        from tracker.advice.profile import load_profile
    except ImportError:  # pragma: no cover - the optional profile feature is absent
        return False
    return not load_profile(store).is_empty


def _period_text(period: Period) -> str:
    """'1 Mar 2026 to 14 Mar 2026 (14 days)' in the person's date format (the PDF has its own)."""
    if period.first is None or period.last is None:
        return period.describe()
    return f"{short_date(period.first)} to {short_date(period.last)} ({period.days:,} days)"


def _months_text(months: int) -> str:
    return "the last month" if months == 1 else f"the last {months} months"


class ReportDialog(QDialog):
    def __init__(self, store, parent=None, today: date | None = None):
        super().__init__(parent)
        self.store = store
        self.today = today or date.today()
        self.last_saved: Path | None = None
        self.task: BackgroundTask | None = None  # the summary being made in a worker
        self.setWindowTitle("Summary for my doctor")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "A summary of your cramp diary to bring to an appointment: the key figures and "
            "charts on the first page, then a table of your recent episodes (earlier months are "
            "summarised month by month). It says plainly that it is self-reported and not a "
            "diagnosis."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self._period_box())
        layout.addWidget(self._sections_box())
        layout.addWidget(self._about_box())
        paper_row = QHBoxLayout()
        paper_label = QLabel("P&aper size for the PDF and preview (printing uses the printer's):")
        paper_label.setBuddy(self.paper)
        paper_row.addWidget(paper_label)
        paper_row.addWidget(self.paper)
        paper_row.addStretch(1)
        layout.addLayout(paper_row)
        layout.addLayout(self._buttons())
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)
        self._preset_changed()
        self.resize(560, self.sizeHint().height())

    # ----------------------------------------------------------------- building the form
    def _period_box(self) -> QGroupBox:
        box = QGroupBox("Period")
        form = QFormLayout(box)
        self.preset = QComboBox()
        self.preset.setAccessibleName("Period")
        for key, label in PRESETS:
            self.preset.addItem(label, key)
        self.preset.setCurrentIndex(self.preset.findData("3m"))  # what a doctor usually asks
        form.addRow("&Covering:", self.preset)
        dates = QHBoxLayout()
        self.date_from, self.date_to = QDateEdit(), QDateEdit()
        for edit, name in ((self.date_from, "From date"), (self.date_to, "To date")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(edit_format())
            edit.setAccessibleName(name)
            edit.setMaximumDate(QDate(self.today.year, self.today.month, self.today.day))
            edit.dateChanged.connect(self._update_count)
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel("to"))
        dates.addWidget(self.date_to)
        dates.addStretch(1)
        dates_label = QLabel("&Dates:")
        dates_label.setBuddy(self.date_from)
        form.addRow(dates_label, dates)
        self.count_label = QLabel()
        form.addRow("", self.count_label)
        self.preset.currentIndexChanged.connect(self._preset_changed)
        return box

    def _sections_box(self) -> QGroupBox:
        box = QGroupBox("Include")
        grid = QGridLayout(box)
        self.section_checks: dict[str, QCheckBox] = {}
        for i, (key, label) in enumerate(SECTIONS.items()):
            check = QCheckBox(label)
            check.setChecked(True)
            if key == "profile" and not has_profile(self.store):
                check.setChecked(False)
                check.setEnabled(False)
                check.setToolTip("You have not entered a health profile; it is optional.")
            self.section_checks[key] = check
            grid.addWidget(check, i // 2, i % 2)
        # The episode table's period, and in words what it lists (TABLE_RULE).
        row = QHBoxLayout()
        self.table_months = QComboBox()
        self.table_months.setAccessibleName("Episode table period")
        for months in TABLE_RULE.month_choices:
            self.table_months.addItem(_months_text(months), months)
        self.table_months.setCurrentIndex(self.table_months.findData(TABLE_RULE.months))
        table_label = QLabel("&Table lists:")
        table_label.setBuddy(self.table_months)
        row.addWidget(table_label)
        row.addWidget(self.table_months)
        row.addStretch(1)
        self.table_note = QLabel()
        self.table_note.setWordWrap(True)
        self.table_note.setAccessibleName("What the episode table lists")
        top = len(SECTIONS) // 2 + 1
        grid.addLayout(row, top, 0, 1, 2)
        grid.addWidget(self.table_note, top + 1, 0, 1, 2)
        self.table_months.currentIndexChanged.connect(self._update_table_note)
        self.section_checks["episodes"].toggled.connect(self._update_table_note)
        return box

    def _about_box(self) -> QGroupBox:
        box = QGroupBox("About you (optional; printed on the summary, never saved)")
        form = QFormLayout(box)
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Name")
        self.birth_edit = QLineEdit()
        self.birth_edit.setAccessibleName("Date of birth")
        self.birth_edit.setPlaceholderText("for example 1958-04-02")
        self.questions = QPlainTextEdit()
        self.questions.setAccessibleName("Questions for my doctor")
        self.questions.setPlaceholderText("For example: Could one of my medicines cause this?")
        self.questions.setFixedHeight(self.fontMetrics().lineSpacing() * 5 + 12)
        self.paper = QComboBox()
        self.paper.setAccessibleName("Paper size")
        for label, size in PAPERS:
            self.paper.addItem(label, size)
        default = default_page_size().id()
        self.paper.setCurrentIndex(1 if default == QPageSize.PageSizeId.Letter else 0)
        form.addRow("&Name:", self.name_edit)
        form.addRow("Date of &birth:", self.birth_edit)
        form.addRow("&Questions for\nmy doctor:", self.questions)
        return box

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.preview_button = QPushButton("Pre&view…")
        self.print_button = QPushButton("&Print…")
        self.pdf_button = QPushButton("&Save as PDF…")
        self.pdf_button.setDefault(True)
        close = QPushButton("Close")
        self.preview_button.clicked.connect(self.preview)
        self.print_button.clicked.connect(self.print_report)
        self.pdf_button.clicked.connect(self.save_as_pdf)
        close.clicked.connect(self.reject)
        for button in (self.preview_button, self.print_button, self.pdf_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(close)
        return row

    # ----------------------------------------------------------------- period and request
    def _preset_changed(self) -> None:
        key = self.preset.currentData()
        custom = key == CUSTOM
        self.date_from.setEnabled(custom)
        self.date_to.setEnabled(custom)
        if not custom:
            period = preset_period(key, self.today)
            first = period.first or self._first_episode_day() or self.today
            last = period.last or self.today  # a preset ends today
            for edit, day in ((self.date_from, first), (self.date_to, last)):
                edit.blockSignals(True)
                edit.setDate(QDate(day.year, day.month, day.day))
                edit.blockSignals(False)
        self._update_count()

    def _first_episode_day(self) -> date | None:
        first, _ = aggregates.date_span(self.store, Period(None, self.today))
        return date.fromisoformat(first) if first else None

    def period(self) -> Period:
        key = self.preset.currentData()
        if key != CUSTOM:
            return preset_period(key, self.today)
        first, last = to_date(self.date_from.date()), to_date(self.date_to.date())
        return Period(min(first, last), max(first, last))

    def _update_count(self) -> None:
        period = self.period()
        count = aggregates.count(self.store, period)
        shown = period if period.first else Period(to_date(self.date_from.date()), period.last)
        noun = "episode" if count == 1 else "episodes"
        self.count_label.setText(f"{count:,} {noun}, {_period_text(shown)}")
        self._update_table_note()

    def _update_table_note(self) -> None:
        """Say which episodes the table will list; the choice only matters with a table."""
        if not hasattr(self, "table_note"):
            return  # the form is still being built
        included = self.section_checks["episodes"].isChecked()
        self.table_months.setEnabled(included)
        if not included:
            self.table_note.setText("No episode table: the summary has the figures only.")
            return
        period = self.period()
        if period.first is None:  # "All dates": from the first episode on
            period = Period(to_date(self.date_from.date()), period.last or self.today)
        span = table_span(self.store, period, self.table_months.currentData())
        if span.count == 0:
            self.table_note.setText("No episodes in this period, so no table.")
        else:
            self.table_note.setText(span.note())

    def request(self) -> ReportRequest:
        return ReportRequest(
            self.period(),
            self.today,
            name=self.name_edit.text(),
            birth_date=self.birth_edit.text(),
            questions=self.questions.toPlainText(),
            sections=frozenset(k for k, check in self.section_checks.items() if check.isChecked()),
            table_months=self.table_months.currentData(),
        )

    def page_size(self) -> QPageSize:
        return QPageSize(self.paper.currentData())

    # ----------------------------------------------------------------- work in a thread
    @property
    def busy(self) -> bool:
        """A summary is being made (buttons are off until it is done or cancelled)."""
        return self.task is not None

    def _start(self, title: str, work, on_done, failed_status: str) -> None:
        """Run ``work(progress)`` in a worker with its own read-only connection; a progress
        dialog with Cancel shows when it takes over a second; ``on_done(result)`` runs on the
        UI thread."""
        if self.task is not None:
            return
        register_fonts()  # on the UI thread, once: the worker paints with the bundled font

        def finished(result) -> None:
            self._finish()
            on_done(result)

        def failed(exc: BaseException) -> None:
            self._finish()
            self.status.setText(failed_status)
            if isinstance(exc, StoreError | OSError):  # says which file and why; old file kept
                message = str(exc)
            else:
                message = f"The summary could not be made ({type(exc).__name__}: {exc})."
            QMessageBox.warning(self, "Summary for my doctor", message)

        def cancelled() -> None:
            self._finish()
            self.status.setText(CANCELLED.get(title, "Cancelled."))

        self._set_buttons(False)
        self.status.setText(f"{title}…")
        self.task = run_in_background(self, title, work, finished, failed, cancelled)

    def _finish(self) -> None:
        self.task = None
        self._set_buttons(True)

    def _set_buttons(self, enabled: bool) -> None:
        for button in (self.preview_button, self.print_button, self.pdf_button):
            button.setEnabled(enabled)

    def wait(self, timeout: float = 120.0) -> None:
        """Block until the summary under way is done and its result shown (tests, scripts)."""
        task = self.task
        if task is None:
            return
        task.wait(timeout)
        deadline = time.monotonic() + timeout
        while self.task is task and time.monotonic() < deadline:
            QCoreApplication.sendPostedEvents()
            QCoreApplication.processEvents()

    def reject(self) -> None:
        """Closing the dialog cancels a summary under way: nothing is written."""
        if self.task is not None:
            self.task.cancel()
        super().reject()

    def _prepare(self, title: str, then, failed_status: str) -> None:
        """Gather the summary in the worker, then ``then(document)`` on the UI thread."""
        db, request = self.store, self.request()

        def work(progress):
            return jobs.prepare(db, request, progress)

        self._start(title, work, then, failed_status)

    # ----------------------------------------------------------------- output
    def _progress(self, document: ReportDocument, title: str):
        """A progress callback with Cancel for long histories; None when it would only flash."""
        if document.data.total < PROGRESS_FROM:
            return None, None
        dialog = QProgressDialog(title, "Cancel", 0, 1000, self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setMinimumWidth(380)

        def progress(done: int, total: int, what: str) -> bool:
            start, span = STAGES.get(what, (0, 1000))  # one bar across all stages
            dialog.setLabelText(f"{title}\n{what}…")
            dialog.setValue(start + round(span * min(done, total) / max(total, 1)))
            QApplication.processEvents()
            return not dialog.wasCanceled()

        return progress, dialog

    def _new_printer(self) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(self.page_size())
        set_report_margins(printer)
        printer.setDocName("Cramp diary summary")
        return printer

    def preview(self) -> None:
        self._prepare(PREPARING_PREVIEW, self._show_preview, "No preview was made.")

    def _show_preview(self, document: ReportDocument) -> None:
        self.status.setText("")
        printer = self._new_printer()
        dialog = QPrintPreviewDialog(printer, self)
        dialog.setWindowTitle("Preview: summary for my doctor")

        def paint(device) -> None:
            progress, bar = self._progress(document, "Preparing the preview")
            document.render(device, progress)
            if bar is not None:
                bar.close()

        dialog.paintRequested.connect(paint)
        # A page's shape, as big as fits: 900x1000 does not fit a 1366x768 screen.
        available = available_geometry(self)
        preview_size = QSize(900, 1000)
        dialog.resize(fitted_size(preview_size, available, 0.9) if available else preview_size)
        dialog.exec()

    def print_report(self) -> None:
        self._prepare(PREPARING_PRINT, self._print_document, "Nothing was printed.")

    def _print_document(self, document: ReportDocument) -> None:
        """The print dialog and the painting stay on the UI thread; the data is gathered."""
        self.status.setText("")
        printer = self._new_printer()
        if QPrintDialog(printer, self).exec() != QDialog.DialogCode.Accepted:
            return
        progress, bar = self._progress(document, "Printing")
        to_file = printer.outputFileName()  # "Print to File": written like Save as PDF
        try:
            if to_file:
                finished = print_to_file(document, printer, progress)
            else:
                finished = document.render(printer, progress)
        except OSError as exc:  # a FileWriteError says which file and why; the old one is kept
            self.status.setText("Nothing was printed.")
            QMessageBox.warning(self, "Summary for my doctor", str(exc))
            return
        finally:
            if bar is not None:
                bar.close()
        if not finished:
            self.status.setText("Printing was cancelled.")
        elif to_file:
            self.status.setText(f"Sent {document.page_count} pages to {to_file}.")
        else:
            self.status.setText(f"Sent {document.page_count} pages to the printer.")

    def save_as_pdf(self) -> None:
        if self.task is not None:
            return
        suggested = dated_name("cramp-summary", ".pdf", self.today)
        path, _ = save_file(self, "report", "Save summary as PDF", suggested, "PDF files (*.pdf)")
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        db, request, size = self.store, self.request(), self.page_size()

        def saved(document: ReportDocument) -> None:
            self.last_saved = Path(path)
            self.status.setText(f"Saved {document.page_count} pages to {path}.")

        self._start(
            SAVING,
            lambda progress: jobs.save(db, request, path, size, progress),
            saved,
            "The PDF was not saved.",
        )
