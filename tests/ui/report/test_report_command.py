"""`report` command: the same PDF without a window, with clear errors for bad options."""

import io
from datetime import datetime

from pypdf import PdfReader

from main import main as run_main
from tests.tracker.report.test_report_data import IN_PERIOD, TZ


def test_report_command_writes_the_pdf(qapp, store, db_path, tmp_path, capsys):
    for episode in IN_PERIOD:
        store.add_episode(episode, now=datetime(2026, 3, 20, tzinfo=TZ))
    out = tmp_path / "summary.pdf"
    argv = ["report", "--db", str(db_path), "--out", str(out), "--from", "2026-03-01"]
    argv += ["--to", "2026-03-14", "--name", "Ann Smith", "--paper", "letter"]
    assert run_main(argv) == 0
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Ann Smith" in text
    assert "1 Mar 2026 to 14 Mar 2026 (14 days)" in text
    assert round(float(reader.pages[0].mediabox.width)) == 612  # US Letter
    assert "Saved the summary of 5 episodes" in capsys.readouterr().err


def test_report_command_errors(qapp, store, db_path, tmp_path, capsys):
    out = str(tmp_path / "x.pdf")
    assert run_main(["report", "--db", str(db_path), "--out", out, "--from", "2026-02-30"]) == 2
    assert "--from: '2026-02-30' is not a date" in capsys.readouterr().err
    argv = ["report", "--db", str(db_path), "--out", out, "--from", "2026-03-02", "--to"]
    assert run_main([*argv, "2026-03-01"]) == 2
    assert "swap them" in capsys.readouterr().err
    missing = str(tmp_path / "nowhere" / "x.pdf")
    assert run_main(["report", "--db", str(db_path), "--out", missing]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert run_main(["report", "--db", str(tmp_path / "none.sqlite"), "--out", out]) == 2
    assert "There is no database" in capsys.readouterr().err


def test_report_command_with_details_not_recorded(qapp, store, db_path, tmp_path):
    from tests.tracker.report.test_report_data import PARTIAL

    for episode in PARTIAL:
        store.add_episode(episode, now=datetime(2026, 3, 20, tzinfo=TZ))
    out = tmp_path / "summary.pdf"
    argv = ["report", "--db", str(db_path), "--out", str(out), "--from", "2026-03-01"]
    assert run_main([*argv, "--to", "2026-03-14"]) == 0
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    text = "".join("".join(page.extract_text().split()) for page in reader.pages)
    assert "Barefoot:3of3recorded(100%);2notrecorded" in text
    assert "2026-03-02≈03:00" in text
