"""Journey: a warning sign stays in view while ordinary cramps follow, and the banner, the Tips
page and the printed summary say the same thing. Done on two days' worth of logging, twice."""

from __future__ import annotations

import io

from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from tests.journeys.driver import Journey, WaitUntil
from tests.journeys.person import CTRL, click, focused_in, key
from tracker.advice import doctor_rules
from tracker.advice.profile import load_profile


def _report_dialog():
    from ui.report.dialog import ReportDialog

    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, ReportDialog)]
    return found[0] if found and found[0].isVisible() else None


def test_a_warning_sign_stays_and_banner_tips_and_summary_agree(sessions, tmp_path, monkeypatch):
    session = sessions()
    window = session.open()
    store = session.store
    pdfs = [tmp_path / "first.pdf", tmp_path / "second.pdf"]
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(pdfs.pop(0)), "PDF files (*.pdf)")
    )
    journey = Journey()
    journey.add("pages built", lambda: WaitUntil(lambda: window.history is not None, "pages"))
    count = [0]

    def log(numb: bool):
        def open_form():
            key(window, Qt.Key.Key_N, CTRL)
            return WaitUntil(lambda: window.log_dialog is not None, "the form")

        def fill_and_save():
            form = window.log_dialog.form
            if numb:
                click(form.details_toggle)
                click(form.warning_signs.box("numbness"))
            key(focused_in(window.log_dialog), Qt.Key.Key_Return)
            count[0] += 1
            return WaitUntil(lambda: store.count_episodes() == count[0], "the save")

        journey.add(f"Ctrl+N ({'numb' if numb else 'plain'})", open_form)
        journey.add("save", fill_and_save)
        journey.add("form closed", lambda: WaitUntil(lambda: window.log_dialog is None, "closed"))

    def banner_says_numb():
        banner = window.tips_feature.banner
        assert banner.isVisible(), "the doctor banner is hidden"
        assert "Numb feet" in banner.body.text()
        alerts = doctor_rules.alerts_now(
            store, load_profile(store), window.tips_feature.banner.clock()
        )
        assert "numbness" in {a.rule_id for a in alerts}

    def open_tips_page():
        page = window.tips_feature.page
        for index in range(window.tabs.count()):
            if window.tabs.widget(index) is page:
                key(window, getattr(Qt.Key, f"Key_{index + 1}"), CTRL)
        assert window.tabs.currentWidget() is page
        return WaitUntil(lambda: not page.refreshing, "the tips (gathered in a thread)")

    def tips_page_leads_with_it():
        page = window.tips_feature.page
        alerts = doctor_rules.alerts_now(
            store, load_profile(store), window.tips_feature.banner.clock()
        )
        doctor = {a.tip_id for a in alerts}
        assert "doctor-numbness" in doctor
        assert set(page.shown_ids()[: len(doctor)]) == doctor

    def print_summary():
        QTimer.singleShot(0, window.report_action.trigger)
        return WaitUntil(lambda: _report_dialog() is not None, "the report dialog")

    def save_pdf():
        dialog = _report_dialog()
        click(dialog.pdf_button)
        return WaitUntil(lambda: dialog.last_saved is not None, "the PDF")

    def summary_lists_it(expected_pdf):
        dialog = _report_dialog()
        reader = PdfReader(io.BytesIO(expected_pdf.read_bytes()))
        text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
        assert "Numb feet" in text, text[:500]
        dialog.close()

    for round_ in (1, 2):  # the same day's story twice: the sign never drops out
        log(numb=True)
        journey.add(f"banner after the numb cramp ({round_})", banner_says_numb)
        log(numb=False)
        log(numb=False)
        journey.add(f"banner still there after 2 plain ones ({round_})", banner_says_numb)
        journey.add(f"the Tips page by its shortcut ({round_})", open_tips_page)
        journey.add(f"Tips page leads with it ({round_})", tips_page_leads_with_it)
        journey.add(f"Ctrl+P ({round_})", print_summary)
        journey.add(f"Save as PDF ({round_})", save_pdf)
        pdf = tmp_path / ("first.pdf" if round_ == 1 else "second.pdf")
        journey.add(f"the summary lists it ({round_})", lambda pdf=pdf: summary_lists_it(pdf))
        journey.add(f"back to History ({round_})", lambda: key(window, Qt.Key.Key_1, CTRL))
    journey.add("close", window.close)
    journey.run()
    assert store.count_episodes() == 6
