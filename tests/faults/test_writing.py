"""Every file the app writes (summary PDF, exports, saved charts) survives a full disk: the old
file is kept byte for byte, nothing half-written is left, and the message says what happened.

A full disk is simulated in-process (``os.fsync`` raising ENOSPC, or the PDF cut short while it
is written) and, where this machine lets us mount one, on a real 256 KB file system.
"""

import errno
import io
import os
import shutil
import stat
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QPageSize

import main
from tests.tracker.report.test_report_data import IN_PERIOD, PERIOD, TZ
from tracker.analysis.aggregates import Period
from tracker.cli import main as cli
from tracker.diary import demo
from tracker.interop.exporting import export_to_file
from tracker.report.data import ReportRequest, build_report
from tracker.store import fileio
from tracker.store.fileio import FileWriteError
from ui.report import document as report_document
from ui.report.document import ReportDocument, check_pdf, save_pdf

ROOT = Path(__file__).resolve().parents[2]
A4 = QPageSize(QPageSize.PageSizeId.A4)
OLD_PDF = b"%PDF-1.4\n% the summary saved last month\n%%EOF\n"


# --------------------------------------------------------------------------- helpers
def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too) with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


@pytest.fixture
def disk_full(monkeypatch):
    """Every fsync fails as on a full disk (write-back file systems report it there)."""

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)


@pytest.fixture
def small_disk(tmp_path):
    """A real 256 KB file system (tmpfs); skipped where mounting is not permitted."""
    folder = tmp_path / "small"
    folder.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small file system needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"mount is not permitted here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        if subprocess.run(["umount", str(folder)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def fill(folder: Path, leave: int = 12 * 1024) -> None:
    """Fill the file system holding ``folder`` until only ``leave`` bytes are free."""
    stats = os.statvfs(folder)
    free = stats.f_bavail * stats.f_frsize
    with open(folder / "filler", "wb") as fh:
        fh.write(b"\0" * max(0, free - leave))
    stats = os.statvfs(folder)
    assert stats.f_bavail * stats.f_frsize <= leave + stats.f_frsize


def run_main(*argv: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "main.py", *argv],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def summary(store, period=PERIOD, images=None) -> ReportDocument:
    data = build_report(store, ReportRequest(period, date(2026, 3, 20), name="Ann Smith"))
    return ReportDocument(data, store, images=images)


@pytest.fixture
def diary(store):
    for episode in IN_PERIOD:
        store.add_episode(episode, now=datetime(2026, 3, 20, tzinfo=TZ))
    return store


@pytest.fixture
def long_diary(store):
    """Enough episodes for a summary of several pages."""
    store.add_episodes(demo.generate(400, seed=3, until=date(2026, 3, 20)))
    return store


LONG = Period(date(2025, 3, 21), date(2026, 3, 20))


# --------------------------------------------------------------------------- the summary PDF
def test_pdf_on_a_full_disk_keeps_the_old_pdf_and_says_so(qapp, diary, tmp_path, disk_full):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "summary.pdf").write_bytes(OLD_PDF)
    before = snapshot(out_dir)
    with pytest.raises(FileWriteError) as caught:
        save_pdf(summary(diary, images={}), out_dir / "summary.pdf", A4)
    message = str(caught.value)
    assert "Could not write the PDF" in message and "summary.pdf" in message
    assert "the disk is full" in message and "previous file is unchanged" in message
    assert snapshot(out_dir) == before


def _cut_short(monkeypatch, folder: Path, keep: int = 3000):
    """Make the PDF come out truncated, as QPdfWriter silently does when the disk fills up."""
    real_render = ReportDocument.render

    def render(self, device, progress=None):
        finished = real_render(self, device, progress)
        [part] = folder.glob(".summary.pdf.*.part")
        os.truncate(part, keep)
        return finished

    monkeypatch.setattr(ReportDocument, "render", render)


@pytest.mark.parametrize(
    "full, expected",
    [(True, "the disk is full"), (False, "the PDF came out incomplete")],
)
def test_a_truncated_pdf_is_never_saved(qapp, long_diary, tmp_path, monkeypatch, full, expected):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "summary.pdf").write_bytes(OLD_PDF)
    before = snapshot(out_dir)
    _cut_short(monkeypatch, out_dir)
    monkeypatch.setattr(fileio, "disk_nearly_full", lambda folder, margin=0: full)
    document = summary(long_diary, LONG, images={})
    with pytest.raises(FileWriteError) as caught:
        save_pdf(document, out_dir / "summary.pdf", A4)
    assert document.page_count >= 5
    assert expected in str(caught.value)
    assert "previous file is unchanged" in str(caught.value)
    assert snapshot(out_dir) == before


def test_report_command_fails_loudly_on_a_truncated_pdf(
    qapp, long_diary, db_path, tmp_path, monkeypatch, capsys
):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "summary.pdf").write_bytes(OLD_PDF)
    before = snapshot(out_dir)
    _cut_short(monkeypatch, out_dir)
    monkeypatch.setattr(fileio, "disk_nearly_full", lambda folder, margin=0: True)
    argv = ["report", "--db", str(db_path), "--out", str(out_dir / "summary.pdf")]
    assert main.main([*argv, "--from", "2025-03-21", "--to", "2026-03-20"]) == 2
    err = capsys.readouterr().err
    assert "the disk is full" in err and "previous file is unchanged" in err
    assert "Saved" not in err and "Traceback" not in err
    assert snapshot(out_dir) == before


def test_report_command_on_a_full_disk_exits_non_zero(
    qapp, diary, db_path, tmp_path, disk_full, capsys
):
    out = tmp_path / "summary.pdf"
    out.write_bytes(OLD_PDF)
    assert main.main(["report", "--db", str(db_path), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "the disk is full" in err and "Saved" not in err
    assert out.read_bytes() == OLD_PDF
    assert not list(tmp_path.glob(".summary.pdf.*"))


def test_report_on_a_real_full_file_system(diary, db_path, small_disk):
    out = small_disk / "summary.pdf"
    argv = ["report", "--db", str(db_path), "--out", str(out), "--from", "2026-03-01"]
    argv += ["--to", "2026-03-14"]
    first = run_main(*argv)
    assert first.returncode == 0, first.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    fill(small_disk)
    before = snapshot(small_disk)
    second = run_main(*argv)
    assert second.returncode != 0
    assert "the disk is full" in second.stderr and "previous file is unchanged" in second.stderr
    assert "Saved" not in second.stderr and "Traceback" not in second.stderr
    assert snapshot(small_disk) == before
    assert PdfReader(io.BytesIO(out.read_bytes())).pages  # the old summary still opens


def test_exports_on_a_real_full_file_system(diary, db_path, small_disk):
    (small_disk / "diary.json").write_text('{"old": true}')
    fill(small_disk, leave=0)
    before = snapshot(small_disk)
    for fmt, name in (("json", "diary.json"), ("csv", "diary.csv")):
        result = run_main(
            "export", "--db", str(db_path), "--format", fmt, "--out", str(small_disk / name)
        )
        assert result.returncode != 0, fmt
        assert "the disk is full" in result.stderr and "Exported" not in result.stderr
    assert snapshot(small_disk) == before


def test_check_pdf_counts_page_objects_not_the_page_tree(tmp_path, monkeypatch):
    pdf = tmp_path / "x.pdf"
    body = b"%PDF-1.4\n" + b"<< /Type /Pages /Count 3 >>\n" + b"<< /Type /Page >>\n" * 3
    pdf.write_bytes(body + b"%%EOF\n \r\n")  # trailing whitespace is allowed
    for chunk in (1 << 20, 5, 7, 16, 31):  # matches split across reads count once
        monkeypatch.setattr(report_document, "_CHUNK", chunk)
        check_pdf(pdf, 3)
    with pytest.raises(OSError, match="it has 3 of 4 pages"):
        check_pdf(pdf, 4)
    pdf.write_bytes(body)
    with pytest.raises(OSError, match="it has no end"):
        check_pdf(pdf, 3)
    pdf.write_bytes(b"")
    with pytest.raises(OSError, match="it is empty"):
        check_pdf(pdf, 3)


def test_a_real_summary_passes_its_own_check(qapp, long_diary, tmp_path):
    document = summary(long_diary, LONG, images={})
    out = tmp_path / "summary.pdf"
    assert save_pdf(document, out, A4)
    assert len(PdfReader(io.BytesIO(out.read_bytes())).pages) == document.page_count >= 5
    check_pdf(out, document.page_count)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


# --------------------------------------------------------------------------- exports
@pytest.mark.parametrize("fmt", ["csv", "json", "fhir"])
def test_export_on_a_full_disk_keeps_the_old_file(diary, tmp_path, disk_full, fmt):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "diary.out").write_text("the export of last month")
    before = snapshot(out_dir)
    with pytest.raises(FileWriteError) as caught:
        export_to_file(diary, fmt, out_dir / "diary.out")
    assert "Could not write the export" in str(caught.value)
    assert "the disk is full" in str(caught.value)
    assert "previous file is unchanged" in str(caught.value)
    assert snapshot(out_dir) == before


def test_cli_export_on_a_full_disk_exits_non_zero(diary, db_path, tmp_path, disk_full, capsys):
    out = tmp_path / "diary.csv"
    out.write_text("old")
    assert cli.run(["export", "--db", str(db_path), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "the disk is full" in err and "Exported" not in err
    assert out.read_text() == "old"
    assert not list(tmp_path.glob(".diary.csv.*"))


# --------------------------------------------------------------------------- saved charts
@pytest.fixture
def chart(qtbot):
    from ui.patterns.chart_card import ChartCard

    def draw(data, figure):
        figure.add_subplot().bar([1, 2, 3], [3, 1, 2])

    card = ChartCard("test", "Test chart", draw)
    qtbot.addWidget(card)
    card.show_data(object())
    return card


def test_chart_on_a_full_disk_keeps_the_old_image(chart, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    target = tmp_path / "chart.png"
    target.write_bytes(b"\x89PNG old chart")
    before = snapshot(tmp_path)
    warnings = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(target), ""))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warnings.append(a[1:3]))

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    assert chart.save_dialog("png") is None
    [(title, text)] = warnings
    assert "Could not write the chart" in text and "the disk is full" in text
    assert snapshot(tmp_path) == before


# --------------------------------------------------------------------------- links, modes
def test_out_onto_a_symlink_writes_the_target_and_keeps_the_link(
    qapp, diary, db_path, tmp_path, chart
):
    real = tmp_path / "real"
    real.mkdir()
    links = tmp_path / "links"
    links.mkdir()
    for name in ("diary.csv", "summary.pdf", "copy.sqlite", "chart.svg"):
        (real / name).write_bytes(b"old")
        (links / name).symlink_to(real / name)
    assert cli.run(["export", "--db", str(db_path), "--out", str(links / "diary.csv")]) == 0
    argv = ["report", "--db", str(db_path), "--out", str(links / "summary.pdf")]
    assert main.main(argv) == 0
    assert cli.run(["backup", "--db", str(db_path), "--out", str(links / "copy.sqlite")]) == 0
    chart.save(links / "chart.svg")
    for name in ("diary.csv", "summary.pdf", "copy.sqlite", "chart.svg"):
        assert (links / name).is_symlink(), name
        assert os.readlink(links / name) == str(real / name)
        assert (real / name).read_bytes() != b"old", name
    assert (real / "diary.csv").read_text(encoding="utf-8-sig").startswith("id,started_at")
    assert (real / "summary.pdf").read_bytes().startswith(b"%PDF-")
    assert b"<svg" in (real / "chart.svg").read_bytes()[:400]
    assert sorted(p.name for p in links.iterdir()) == sorted(p.name for p in real.iterdir())


def test_backup_out_onto_a_link_to_the_diary_is_refused(diary, db_path, tmp_path, capsys):
    link = tmp_path / "looks-like-a-copy.sqlite"
    link.symlink_to(db_path)
    diary.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = db_path.read_bytes()
    assert cli.run(["backup", "--db", str(db_path), "--out", str(link)]) == 2
    assert "cannot overwrite the database" in capsys.readouterr().err
    assert link.is_symlink() and db_path.read_bytes() == before


def test_everything_written_is_private_whatever_the_umask(qapp, diary, db_path, tmp_path, chart):
    out = tmp_path / "out"
    out.mkdir()
    old = os.umask(0)
    try:
        assert save_pdf(summary(diary, images={}), out / "summary.pdf", A4)
        export_to_file(diary, "json", out / "diary.json")
        chart.save(out / "chart.png")
        assert cli.run(["backup", "--db", str(db_path), "--out", str(out / "copy.sqlite")]) == 0
    finally:
        os.umask(old)
    for name in ("summary.pdf", "diary.json", "chart.png", "copy.sqlite"):
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o600, name


# --------------------------------------------------------------------------- the report dialog
@pytest.fixture
def report_dialog_(qtbot, diary):
    from ui.report.dialog import ReportDialog

    dialog = ReportDialog(diary, today=date(2026, 3, 20))
    qtbot.addWidget(dialog)
    return dialog


def test_dialog_save_on_a_full_disk_says_so(report_dialog_, tmp_path, monkeypatch, disk_full):
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    out = tmp_path / "summary.pdf"
    out.write_bytes(OLD_PDF)
    warnings = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "PDF"))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warnings.append(a[2]))
    report_dialog_.save_as_pdf()
    report_dialog_.wait()  # the PDF is written in a worker
    [text] = warnings
    assert "the disk is full" in text and "previous file is unchanged" in text
    assert report_dialog_.last_saved is None and "not saved" in report_dialog_.status.text()
    assert out.read_bytes() == OLD_PDF and sorted(tmp_path.iterdir()) == [
        tmp_path / "data",
        out,
    ]


def test_dialog_print_to_file_is_written_like_a_saved_pdf(report_dialog_, tmp_path, monkeypatch):
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QDialog, QMessageBox

    from ui.report import dialog as report_dialog

    out = tmp_path / "printed.pdf"
    out.write_bytes(OLD_PDF)
    original = report_dialog_._new_printer

    def new_printer():  # the print dialog's "Print to File"
        printer = original()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return printer

    monkeypatch.setattr(report_dialog_, "_new_printer", new_printer)
    monkeypatch.setattr(report_dialog.QPrintDialog, "exec", lambda self: QDialog.Accepted)
    old = os.umask(0)
    try:
        report_dialog_.print_report()
        report_dialog_.wait()  # the summary is gathered in a worker, then printed
    finally:
        os.umask(old)
    assert out.read_bytes().startswith(b"%PDF-") and out.read_bytes() != OLD_PDF
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    printed = out.read_bytes()
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warnings.append(a[2]))

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    report_dialog_.print_report()
    report_dialog_.wait()
    [text] = warnings
    assert "the disk is full" in text and "previous file is unchanged" in text
    assert out.read_bytes() == printed
    assert not list(tmp_path.glob(".printed.pdf.*"))


def test_writing_a_file_again_removes_what_a_killed_run_left(diary, tmp_path):
    out = tmp_path / "diary.csv"
    killed = tmp_path / ".diary.csv.k1ll3d.part"
    killed.write_text("half an export")
    then = time.time() - 3600
    os.utime(killed, (then, then))
    young = tmp_path / ".diary.csv.busy.part"  # perhaps another copy of the app, writing now
    young.write_text("being written")
    export_to_file(diary, "csv", out)
    assert not killed.exists() and young.exists()
    assert out.read_text(encoding="utf-8-sig").startswith("id,started_at")
