"""The summary is made in a worker: the UI thread stays free, a progress dialog shows when it
takes over a second, and Cancel leaves no file (an existing one as it was).

A slow step is simulated by wrapping a step of the work (ui.report.jobs); everything else is
the real dialog, the real worker and real mouse clicks.
"""

from __future__ import annotations

import io
import threading
import time

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QPushButton

from tests.ui.report.test_report_dialog import TODAY, diary  # noqa: F401 (fixture)
from ui.report import document as report_document
from ui.report import jobs
from ui.report.dialog import ReportDialog
from ui.report.table import DRAWING

OLD_PDF = b"%PDF-1.4 the summary saved last week\n%%EOF\n"


@pytest.fixture
def dialog(qtbot, diary):  # noqa: F811
    dlg = ReportDialog(diary, today=TODAY)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def saving_to(monkeypatch, path):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), "PDF"))


def pdf_text(path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_summary_is_read_laid_out_and_written_off_the_ui_thread(
    dialog, qtbot, tmp_path, monkeypatch
):
    out = tmp_path / "summary.pdf"
    saving_to(monkeypatch, out)
    threads: dict[str, threading.Thread] = {}
    build, render = jobs.build_report, report_document.ReportDocument.render

    def recording_build(*args, **kwargs):
        threads["read"] = threading.current_thread()
        return build(*args, **kwargs)

    def recording_render(self, device, progress=None):
        threads["paint"] = threading.current_thread()
        return render(self, device, progress)

    monkeypatch.setattr(jobs, "build_report", recording_build)
    monkeypatch.setattr(report_document.ReportDocument, "render", recording_render)
    QTest.mouseClick(dialog.pdf_button, Qt.MouseButton.LeftButton)
    assert dialog.busy and not dialog.pdf_button.isEnabled()  # one summary at a time
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    assert set(threads) == {"read", "paint"}
    assert all(t is not threading.main_thread() for t in threads.values())
    assert dialog.last_saved == out and dialog.pdf_button.isEnabled()
    assert "Saved" in dialog.status.text() and "Every episode" in pdf_text(out)


def test_the_ui_thread_runs_while_the_summary_is_read(dialog, qtbot, tmp_path, monkeypatch):
    """The work waits for a timer on the UI thread: on the UI thread it could never finish."""
    out = tmp_path / "summary.pdf"
    saving_to(monkeypatch, out)
    ticked = threading.Event()
    build = jobs.build_report

    def waiting_build(*args, **kwargs):
        ticked.wait(20)
        return build(*args, **kwargs)

    monkeypatch.setattr(jobs, "build_report", waiting_build)
    began = time.monotonic()
    dialog.save_as_pdf()
    QTimer.singleShot(50, ticked.set)  # runs only if the UI thread is free
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    assert time.monotonic() - began < 15  # the timer set it; it did not wait the 20 s out
    assert dialog.last_saved == out


def slow_step(monkeypatch, started: threading.Event, stage: str):
    """One stage of the work takes long, reporting as it goes (so Cancel stops it): drawing
    the charts (before any file exists), or drawing the pages (the PDF half written)."""
    if stage == "charts":
        build, make_document = jobs.build_report, jobs.ReportDocument
        taken = {}

        def keeping_progress(store, request, progress):
            taken["progress"] = progress
            return build(store, request, progress)

        def slow_document(*args, **kwargs):
            started.set()
            for _ in range(1500):  # 30 s, unless cancelled (step raises Cancelled)
                taken["progress"].step(0, 1, jobs.DRAWING_CHARTS)
                time.sleep(0.02)
            return make_document(*args, **kwargs)

        monkeypatch.setattr(jobs, "build_report", keeping_progress)
        monkeypatch.setattr(jobs, "ReportDocument", slow_document)
        return jobs.DRAWING_CHARTS
    render = report_document.ReportDocument.render

    def slow_render(self, device, progress=None):
        started.set()
        for _ in range(1500):
            if not progress(0, 1, DRAWING):
                return False
            time.sleep(0.02)
        return render(self, device, progress)

    monkeypatch.setattr(report_document.ReportDocument, "render", slow_render)
    return DRAWING


def progress_dialog(dialog):
    task = dialog.task
    return task.dialog if task is not None else None


@pytest.mark.parametrize("stage", ["charts", "pages"])
@pytest.mark.parametrize("existing", [False, True])
def test_cancel_in_the_progress_dialog_writes_nothing(
    dialog, qtbot, tmp_path, monkeypatch, existing, stage
):
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "summary.pdf"
    if existing:
        out.write_bytes(OLD_PDF)
    saving_to(monkeypatch, out)
    started = threading.Event()
    label = slow_step(monkeypatch, started, stage)
    dialog.save_as_pdf()
    assert started.wait(30)
    if stage == "pages":  # the PDF is being written: its temporary file exists
        assert [p.name for p in folder.iterdir() if p.name.endswith(".part")]
    # no dialog for the first second; then one with the step's name and a Cancel button
    assert progress_dialog(dialog) is None
    qtbot.waitUntil(lambda: progress_dialog(dialog) is not None, timeout=5_000)
    bar = progress_dialog(dialog)
    qtbot.waitUntil(bar.isVisible)
    qtbot.waitUntil(lambda: label in bar.labelText())
    cancel = next(b for b in bar.findChildren(QPushButton) if b.text() == "Cancel")
    QTest.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=30_000)
    assert "cancelled" in dialog.status.text() and dialog.last_saved is None
    assert dialog.pdf_button.isEnabled()
    if existing:
        assert out.read_bytes() == OLD_PDF
    assert sorted(folder.iterdir()) == ([out] if existing else [])  # no temporary file
    # and the next save works
    monkeypatch.undo()
    saving_to(monkeypatch, out)
    dialog.save_as_pdf()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    assert dialog.last_saved == out and "Every episode" in pdf_text(out)


def test_closing_the_dialog_cancels_the_save(dialog, qtbot, tmp_path, monkeypatch):
    out = tmp_path / "out" / "summary.pdf"
    out.parent.mkdir()
    saving_to(monkeypatch, out)
    started = threading.Event()
    slow_step(monkeypatch, started, "pages")
    dialog.save_as_pdf()
    assert started.wait(30)
    task = dialog.task
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert task.wait(30)  # the worker stopped at its next step
    assert not out.exists() and list(out.parent.iterdir()) == []


def test_a_save_that_fails_says_so_and_keeps_the_old_file(dialog, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    folder = tmp_path / "gone"  # the folder was removed after it was chosen
    saving_to(monkeypatch, folder / "summary.pdf")
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warnings.append(a[2]))
    dialog.save_as_pdf()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    [text] = warnings
    assert "does not exist" in text and str(folder) in text
    assert dialog.status.text() == "The PDF was not saved." and dialog.last_saved is None


def test_print_gathers_in_the_worker_and_paints_on_the_ui_thread(
    dialog, qtbot, tmp_path, monkeypatch
):
    """The print dialog and the printer are UI: only the data is gathered in the worker."""
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QDialog

    from ui.report import dialog as report_dialog

    out = tmp_path / "printed.pdf"
    original = dialog._new_printer

    def new_printer():
        printer = original()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return printer

    monkeypatch.setattr(dialog, "_new_printer", new_printer)
    asked = []

    def exec_(self):
        asked.append(threading.current_thread())
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(report_dialog.QPrintDialog, "exec", exec_)
    threads: dict[str, threading.Thread] = {}
    build, render = jobs.build_report, report_document.ReportDocument.render

    def recording_build(*args, **kwargs):
        threads["read"] = threading.current_thread()
        return build(*args, **kwargs)

    def recording_render(self, device, progress=None):
        threads["paint"] = threading.current_thread()
        return render(self, device, progress)

    monkeypatch.setattr(jobs, "build_report", recording_build)
    monkeypatch.setattr(report_document.ReportDocument, "render", recording_render)
    QTest.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert not asked  # the print dialog waits for the data
    qtbot.waitUntil(lambda: not dialog.busy and bool(asked), timeout=60_000)
    assert threads["read"] is not threading.main_thread()
    assert asked == [threading.main_thread()] and threads["paint"] is threading.main_thread()
    assert "Sent" in dialog.status.text() and "Cramp diary summary" in pdf_text(out)
