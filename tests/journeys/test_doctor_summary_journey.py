"""Journey: a busy diary's summary for the doctor. The dialog says how much the episode table
lists; the person picks another table period with the keyboard and saves a PDF that follows it
(made in a worker while the dialog stays responsive). Done twice, with the dialog opened afresh
each time."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from tests.journeys.driver import Journey, WaitUntil
from tests.journeys.person import click, key
from tracker.diary import demo
from tracker.report.data import TABLE_RULE
from tracker.store import Store


def _report_dialog():
    from ui.report.dialog import ReportDialog

    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, ReportDialog)]
    return found[0] if found and found[0].isVisible() else None


def test_summary_table_period_chosen_and_saved_twice(sessions, tmp_path, monkeypatch):
    session = sessions()
    session.db_path.parent.mkdir(parents=True, exist_ok=True)
    with Store.open(session.db_path) as store:
        store.add_episodes(demo.generate(900, seed=5, until=date.today()))
    window = session.open()
    pdfs = [tmp_path / "first.pdf", tmp_path / "second.pdf"]
    queue = list(pdfs)
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(queue.pop(0)), "PDF files (*.pdf)")
    )
    journey = Journey()
    journey.add("pages built", lambda: WaitUntil(lambda: window.history is not None, "pages"))

    def open_summary():
        QTimer.singleShot(0, window.report_action.trigger)
        return WaitUntil(lambda: _report_dialog() is not None, "the report dialog")

    def says_what_the_table_lists():
        dialog = _report_dialog()
        assert dialog.table_months.currentData() == TABLE_RULE.months
        # the default period is the last 3 months, which the 3-month table lists whole
        note = dialog.table_note.text()
        assert note.startswith("The table lists every episode of the period ("), note

    def pick_all_dates_and_one_month():
        dialog = _report_dialog()
        dialog.preset.setFocus()
        dialog.preset.setCurrentIndex(dialog.preset.findData("all"))
        dialog.table_months.setFocus()
        key(dialog.table_months, Qt.Key.Key_Up)  # 3 months -> the last month
        assert dialog.table_months.currentData() == 1
        note = dialog.table_note.text()
        assert note.startswith("The table lists the last month (") and "by month" in note, note

    def save():
        dialog = _report_dialog()
        click(dialog.pdf_button)
        # made in a worker: the dialog answers meanwhile, and one summary is made at a time
        assert dialog.busy and not dialog.pdf_button.isEnabled()
        return WaitUntil(lambda: dialog.last_saved is not None, "the PDF")

    def pdf_follows(pdf):
        dialog = _report_dialog()
        reader = PdfReader(io.BytesIO(pdf.read_bytes()))
        text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
        assert "Episodes of the last month, oldest first" in text
        assert "Month by month" in text
        assert f"Saved {len(reader.pages)} pages" in dialog.status.text()
        assert not dialog.busy and dialog.pdf_button.isEnabled()
        dialog.close()
        return WaitUntil(lambda: _report_dialog() is None, "the dialog closed")

    for round_, pdf in enumerate(pdfs, start=1):
        journey.add(f"open the summary ({round_})", open_summary)
        journey.add(f"it says what the table lists ({round_})", says_what_the_table_lists)
        journey.add(f"all dates, table of the last month ({round_})", pick_all_dates_and_one_month)
        journey.add(f"Save as PDF ({round_})", save)
        journey.add(f"the PDF follows the choice ({round_})", lambda pdf=pdf: pdf_follows(pdf))
    journey.add("close", window.close)
    journey.run()
    assert all(pdf.exists() for pdf in pdfs)
