"""The report dialog: presets and custom dates, Save as PDF, Print, Preview and Cancel.

Modal system dialogs (file, print, preview) are replaced so nothing blocks; the printer prints
to a PDF file, which is then read back.
"""

import io
from datetime import date, datetime

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog

from tests.tracker.report.test_report_data import IN_PERIOD, OUTSIDE, TZ
from ui.report import dialog as report_dialog
from ui.report import menu as report_menu
from ui.report.dialog import ReportDialog
from ui.widgets.dates import short_date

TODAY = date(2026, 3, 20)


def pdf_text(path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def diary(store):
    for episode in IN_PERIOD + OUTSIDE:
        store.add_episode(episode, now=datetime(2026, 3, 20, tzinfo=TZ))
    return store


@pytest.fixture
def dialog(qtbot, diary):
    dlg = ReportDialog(diary, today=TODAY)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def choose(dialog, key):
    dialog.preset.setCurrentIndex(dialog.preset.findData(key))


def test_presets_and_custom_dates(dialog):
    assert dialog.preset.currentData() == "3m"  # last 3 months by default
    assert not dialog.date_from.isEnabled()
    # 21 Dec 2025 to 20 Mar 2026 holds every one of the nine episodes
    span = f"{short_date(date(2025, 12, 21))} to {short_date(date(2026, 3, 20))}"
    assert dialog.count_label.text().startswith(f"9 episodes, {span}")
    choose(dialog, "custom")
    assert dialog.date_from.isEnabled()
    dialog.date_from.setDate(QDate(2026, 3, 1))
    dialog.date_to.setDate(QDate(2026, 3, 14))
    span = f"{short_date(date(2026, 3, 1))} to {short_date(date(2026, 3, 14))}"
    assert dialog.count_label.text() == f"5 episodes, {span} (14 days)"
    choose(dialog, "all")
    span = f"{short_date(date(2026, 2, 10))} to {short_date(date(2026, 3, 20))}"
    assert dialog.count_label.text().startswith(f"9 episodes, {span}")
    # the optional profile was never filled in, so it cannot be chosen
    assert not dialog.section_checks["profile"].isEnabled()


def test_save_as_pdf(dialog, diary, tmp_path, monkeypatch):
    out = tmp_path / "mine"  # no suffix: .pdf is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "PDF"))
    choose(dialog, "custom")
    dialog.date_from.setDate(QDate(2026, 3, 1))
    dialog.date_to.setDate(QDate(2026, 3, 14))
    dialog.name_edit.setText("Ann Smith")
    dialog.birth_edit.setText("1950-02-03")
    dialog.questions.setPlainText("Could my new pill cause this?")
    dialog.pdf_button.click()
    dialog.wait()
    saved = tmp_path / "mine.pdf"
    assert dialog.last_saved == saved
    assert "Saved" in dialog.status.text() and str(saved) in dialog.status.text()
    text = pdf_text(saved)
    for expected in ("Ann Smith", "1950-02-03", "Could my new pill cause this?",
                     "1 Mar 2026 to 14 Mar 2026", "Every episode in the period"):  # fmt: skip
        assert expected in text
    # nothing typed in the dialog was stored
    dump = "\n".join(diary.conn.iterdump())
    assert "Ann Smith" not in dump and "1950-02-03" not in dump and "new pill" not in dump


def test_sections_can_be_left_out(dialog, tmp_path, monkeypatch):
    out = tmp_path / "short.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "PDF"))
    for key in ("episodes", "relief", "charts"):
        dialog.section_checks[key].setChecked(False)
    dialog.save_as_pdf()
    dialog.wait()
    text = pdf_text(out)
    assert "At a glance" in text
    assert "Every episode" not in text and "Relief tried" not in text


def test_cancelled_file_dialog_writes_nothing(dialog, tmp_path, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    dialog.save_as_pdf()
    assert dialog.last_saved is None and dialog.status.text() == ""


def printing_to(path, monkeypatch, dialog):
    original = dialog._new_printer

    def new_printer():
        printer = original()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        return printer

    monkeypatch.setattr(dialog, "_new_printer", new_printer)


def test_print_uses_the_print_dialog(dialog, tmp_path, monkeypatch):
    out = tmp_path / "printed.pdf"
    printing_to(out, monkeypatch, dialog)
    seen = []

    def exec_(self):
        seen.append(self.printer())
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(report_dialog.QPrintDialog, "exec", exec_)
    dialog.print_button.click()
    dialog.wait()
    assert seen and "Sent" in dialog.status.text()
    assert "Cramp diary summary" in pdf_text(out)


def test_print_dialog_cancelled(dialog, tmp_path, monkeypatch):
    out = tmp_path / "printed.pdf"
    printing_to(out, monkeypatch, dialog)
    monkeypatch.setattr(
        report_dialog.QPrintDialog, "exec", lambda self: QDialog.DialogCode.Rejected
    )
    dialog.print_report()
    dialog.wait()
    assert not out.exists()


def test_preview_paints_the_same_document(dialog, tmp_path, monkeypatch):
    out = tmp_path / "preview.pdf"
    printing_to(out, monkeypatch, dialog)

    def exec_(self):
        self.paintRequested.emit(self.printer())
        return 0

    painted = []
    original = report_dialog.ReportDocument.render

    def render(self, device, progress=None):
        painted.append(device)
        return original(self, device, progress)

    monkeypatch.setattr(report_dialog.ReportDocument, "render", render)
    monkeypatch.setattr(report_dialog.QPrintPreviewDialog, "exec", exec_)
    dialog.preview_button.click()
    dialog.wait()
    assert len(painted) == 1
    assert "Cramp diary summary" in pdf_text(out)  # the preview's printer got every page


def test_menu_action_opens_the_dialog(window, diary, qtbot):
    action = report_menu.install(window)
    assert action in window.file_menu.actions()
    assert action.shortcut().toString() == "Ctrl+P"
    dlg = report_menu.open_report_dialog(window)
    qtbot.addWidget(dlg)
    assert isinstance(dlg, ReportDialog) and dlg.store is window.store


def test_ctrl_p_twice_raises_the_open_dialog_and_reopens_after_close(window, diary, qtbot):
    from PySide6.QtCore import QCoreApplication, QEvent

    first = report_menu.open_report_dialog(window)
    assert report_menu.open_report_dialog(window) is first
    first.close()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    second = report_menu.open_report_dialog(window)
    qtbot.addWidget(second)
    assert second.isVisible()
    assert len(window.findChildren(ReportDialog)) == 1
