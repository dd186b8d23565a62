"""The summary's episode table in the dialog, the PDF and the `report` command: the dialog
says what the table lists and lets the person pick its period; a long diary stays a few pages."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QPageSize

from tests.factories import make_episode
from tests.tracker.report.test_report_data import IN_PERIOD, OUTSIDE, TZ
from tracker.diary import demo
from tracker.diary.periods import Period
from tracker.diary.progress import NO_PROGRESS
from tracker.report.data import TABLE_RULE, ReportRequest, build_report
from ui.report import jobs
from ui.report.dialog import ReportDialog
from ui.report.document import ReportDocument, save_pdf

TODAY = date(2026, 3, 20)
A4 = QPageSize(QPageSize.PageSizeId.A4)
LAST_JUNE = make_episode(started_at=datetime(2025, 6, 10, 3, tzinfo=TZ))  # before 3 months
PAGES_AT_MOST = 20  # a summary of any size: page one, month by month, ~300 table rows


def pdf_text(path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def dialog(qtbot, store):
    for episode in IN_PERIOD + OUTSIDE + [LAST_JUNE]:
        store.add_episode(episode, now=datetime(2026, 3, 20, tzinfo=TZ))
    dlg = ReportDialog(store, today=TODAY)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def test_dialog_says_what_the_table_lists_and_lets_the_person_choose(dialog):
    months = [dialog.table_months.itemData(i) for i in range(dialog.table_months.count())]
    assert months == list(TABLE_RULE.month_choices)
    assert dialog.table_months.currentData() == TABLE_RULE.months == 3
    # "Last 3 months" holds all nine episodes: the table is the whole period
    assert dialog.table_note.text() == "The table lists every episode of the period (9 cramps)."
    dialog.preset.setCurrentIndex(dialog.preset.findData("12m"))  # and 10 June 2025
    assert dialog.table_note.text() == (
        "The table lists the last 3 months (9 cramps); the rest is summarised by month."
    )
    dialog.table_months.setCurrentIndex(dialog.table_months.findData(1))
    # 21 Feb to 20 Mar: the seven episodes from 1 March on (20 Feb and 10 Feb are earlier)
    assert dialog.table_note.text() == (
        "The table lists the last month (7 cramps); the rest is summarised by month."
    )
    assert dialog.request().table_months == 1
    dialog.section_checks["episodes"].setChecked(False)
    assert not dialog.table_months.isEnabled()
    assert "No episode table" in dialog.table_note.text()
    dialog.section_checks["episodes"].setChecked(True)
    assert dialog.table_months.isEnabled() and "last month (7" in dialog.table_note.text()
    dialog.preset.setCurrentIndex(dialog.preset.findData("custom"))
    dialog.date_from.setDate(date(2025, 1, 1))
    dialog.date_to.setDate(date(2025, 1, 31))
    assert dialog.table_note.text() == "No episodes in this period, so no table."


def test_the_pdf_follows_the_chosen_table_period(dialog, tmp_path):
    dialog.preset.setCurrentIndex(dialog.preset.findData("12m"))
    dialog.table_months.setCurrentIndex(dialog.table_months.findData(1))
    document = jobs.prepare(dialog.store, dialog.request(), NO_PROGRESS)
    out = tmp_path / "summary.pdf"
    assert save_pdf(document, out, A4)
    text = pdf_text(out)
    assert "Episodes of the last month, oldest first (7)" in text
    assert "Month by month" in text and "Apr 2025" in text and "Mar 2026" in text
    assert "2026-02-20" not in text.split("Episodes of the last month")[1]
    assert len(document.rows) == 7


def dense_diary(store, episodes: int, until: date) -> int:
    """The benchmark's density rule (benchmarks/bench_report.py): 30% in the last year."""
    year_start = until - timedelta(days=364)
    in_year = [
        e
        for e in demo.generate(round(0.6 * episodes), seed=2, until=until)
        if e.started_at.date() >= year_start
    ]
    store.add_episodes(demo.generate(episodes - len(in_year), seed=1, until=year_start))
    store.add_episodes(in_year)
    return len(in_year)


def test_a_busy_diary_stays_a_few_pages(qapp, store, tmp_path):
    in_year = dense_diary(store, 6000, TODAY)
    assert 1500 < in_year < 2500
    for period in (Period(TODAY - timedelta(days=364), TODAY), Period(None, TODAY)):
        data = build_report(store, ReportRequest(period, TODAY))
        assert data.total > 1500 and data.table is not None
        assert data.table.count == TABLE_RULE.most_episodes
        document = ReportDocument(data, store, images={})
        out = tmp_path / "summary.pdf"
        assert save_pdf(document, out, A4)
        assert len(document.rows) == TABLE_RULE.most_episodes
        assert document.page_count == len(PdfReader(out).pages) <= PAGES_AT_MOST
        text = pdf_text(out)
        assert f"The latest {TABLE_RULE.most_episodes} episodes, oldest first" in text
        assert "Month by month" in text


def test_report_command_picks_the_table_period(qapp, store, db_path, tmp_path, capsys):
    from main import main as run_main

    for episode in IN_PERIOD + OUTSIDE:
        store.add_episode(episode, now=datetime(2026, 3, 20, tzinfo=TZ))
    out = tmp_path / "summary.pdf"
    argv = ["report", "--db", str(db_path), "--out", str(out), "--from", "2026-01-01"]
    argv += ["--to", "2026-03-20"]
    assert run_main([*argv, "--table-months", "1"]) == 0
    err = capsys.readouterr().err
    assert "The table lists the last month (7 cramps); the rest is summarised by month." in err
    assert "Episodes of the last month, oldest first (7)" in pdf_text(out)
    assert run_main(argv) == 0  # default: TABLE_RULE.months, here the whole period
    assert "The table lists every episode of the period (9 cramps)." in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:  # argparse: "invalid choice: 5 (choose from ...)"
        run_main([*argv, "--table-months", "5"])
    assert exited.value.code == 2
    assert "--table-months: invalid choice: 5 (choose from 1, 3, 6, 12)" in capsys.readouterr().err
