"""Doctor summary speed and size: a typical year, one dense year of a 100,000-episode diary,
and the whole 100,000, each saved as a PDF the way the app and the `report` command do.

Run: .venv/bin/python benchmarks/bench_report.py [--episodes N] [--typical N] [--before]

The big diary holds ``--episodes`` episodes with about 30% of them in the last year (30,000 of
100,000: the diary of issue #11), the rest over the two years before. The summary's episode
table follows tracker.report.data.TABLE_RULE (the last 3 months, at most the latest 300
episodes; the rest by month). ``--before`` also times the old behaviour, a table of every
episode of the period (slow: minutes at 100,000).
The first typical run includes importing matplotlib and registering the font (what a person
pays the first time they press Save as PDF); the warm runs are the median of three.

The year of the big diary must take under 2000 ms end to end (figures, doctor reasons, charts,
layout, PDF written; median of three). ``--db FILE`` also times the last year of a copy of an
existing diary (the file itself is never written). The dialog's Save as PDF of that year runs
in a worker: the longest gap between ticks of a 5 ms timer on the UI thread while it saves is
the longest the window stops responding (the progress dialog appearing after 1 s included).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench_common import median, print_table, target, upgraded_copy

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

YEAR_SHARE = 0.3  # of the big diary's episodes in its last year
YEAR_MS = 2000  # one year of the big diary, end to end
GAP_MS = 150  # the longest the UI thread may stop while the dialog saves the year


def make_db(path: Path, episodes: int, until: date) -> None:
    from tracker.diary import demo
    from tracker.store import Store

    with Store.open(path) as store:
        store.add_episodes(demo.generate(episodes, seed=1, until=until))


def make_dense_db(path: Path, episodes: int, until: date) -> int:
    """``episodes`` in all, YEAR_SHARE of them in the year up to ``until``; returns that count.

    demo.generate spreads its episodes over two years, so the dense year is twice as many
    generated up to ``until``, keeping those of the last year."""
    from tracker.diary import demo
    from tracker.store import Store

    year_start = until - timedelta(days=364)
    in_year = [
        e
        for e in demo.generate(round(2 * YEAR_SHARE * episodes), seed=2, until=until)
        if e.started_at.date() >= year_start
    ]
    older = demo.generate(episodes - len(in_year), seed=1, until=year_start - timedelta(days=1))
    with Store.open(path) as store:
        store.add_episodes(older)
        store.add_episodes(in_year)
    return len(in_year)


def summary_seconds(db: Path, out: Path, period, **table) -> tuple[float, int, int, float]:
    """Open read-only, build the figures and charts, write the PDF: as the report command does.
    (wall seconds, episodes, pages, CPU seconds: on a busy machine CPU time compares better)."""
    from PySide6.QtGui import QPageSize

    from tracker.report.data import ReportRequest, build_report
    from tracker.store import Store
    from ui.report.document import ReportDocument, save_pdf

    began, cpu = time.perf_counter(), time.process_time()
    with Store.open(db, readonly=True) as store:
        request = ReportRequest(period, date.today(), name="Benchmark", **table)
        data = build_report(store, request)
        document = ReportDocument(data, store)
        save_pdf(document, out, QPageSize(QPageSize.PageSizeId.A4))
    cpu = time.process_time() - cpu
    return time.perf_counter() - began, data.total, document.page_count, cpu


def ui_gap_ms(db: Path, out: Path) -> tuple[float, float, int]:
    """Save the last year through the dialog's Save as PDF, with a 5 ms timer ticking on the UI
    thread: (longest gap between ticks in ms, seconds until saved, ticks)."""
    from PySide6.QtCore import QEventLoop, QTimer

    from tracker.store import Store
    from ui.report import dialog as report_dialog

    with Store.open(db) as store:
        dialog = report_dialog.ReportDialog(store)
        dialog.preset.setCurrentIndex(dialog.preset.findData("12m"))
        report_dialog.save_file = lambda *a, **k: (str(out), "PDF")  # no file dialog
        dialog.show()
        ticks: list[float] = []
        timer = QTimer()
        timer.setInterval(5)
        timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
        loop = QEventLoop()
        check = QTimer()
        check.setInterval(20)
        check.timeout.connect(lambda: dialog.last_saved is not None and loop.quit())
        began = time.perf_counter()
        ticks.append(began)
        timer.start()
        check.start()
        QTimer.singleShot(0, dialog.pdf_button.click)
        loop.exec()
        seconds = time.perf_counter() - began
        timer.stop()
        check.stop()
        ticks.append(time.perf_counter())
        dialog.close()
        dialog.deleteLater()
    gap = max(b - a for a, b in zip(ticks, ticks[1:], strict=False)) * 1000
    return gap, seconds, len(ticks)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=100_000)
    parser.add_argument("--typical", type=int, default=1_000, help="episodes over two years")
    parser.add_argument("--before", action="store_true", help="also time a table of every row")
    parser.add_argument("--keep", type=Path, help="folder to keep the PDFs in (to look at)")
    parser.add_argument("--db", type=Path, help="also time the last year of a copy of this diary")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the big diary's year")
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication

    from tracker.analysis.aggregates import Period

    app = QApplication.instance() or QApplication([])
    today = date.today()
    year = Period(today - timedelta(days=364), today)
    every_row = {"table_months": None, "table_most": None}
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-report-") as folder:
        typical, big = Path(folder) / "typical.sqlite", Path(folder) / "big.sqlite"
        pdfs = args.keep or Path(folder)
        pdfs.mkdir(parents=True, exist_ok=True)
        make_db(typical, args.typical, today)
        make_dense_db(big, args.episodes, today)
        out = pdfs / "typical-year.pdf"
        cold, year_total, year_pages, _ = summary_seconds(typical, out, year)
        warm = [summary_seconds(typical, out, year)[0] for _ in range(3)]
        year_kb = out.stat().st_size / 1024
        rows += [
            target(f"typical year, {year_total} episodes, first run", cold, 2, digits=2),
            target("typical year, warm (median of 3)", warm, 2, digits=2),
            ("typical year: pages, PDF size", f"{year_pages} pages, {year_kb:.0f} KB", "", None),
        ]
        for name, period, limit, pages_limit, repeat in (
            ("one year", year, YEAR_MS, 20, args.repeat),
            ("all time", Period(None, today), 5000, 25, 1),
        ):
            out = pdfs / f"{name.replace(' ', '-')}.pdf"
            runs = [summary_seconds(big, out, period) for _ in range(repeat)]
            ms = [r[0] * 1000 for r in runs]
            _, total, pages, _ = runs[0]
            size = out.stat().st_size / 1024
            each = ", ".join(f"{m:.0f}" for m in ms)
            cpu = median([r[3] * 1000 for r in runs])
            rows += [
                target(f"{name} of {args.episodes:,}: {total:,} episodes, ms ({each})", ms, limit),
                (f"{name}: CPU ms (median)", f"{cpu:.0f}", "", None),
                (f"{name}: pages, PDF size", f"{pages} pages, {size:.0f} KB", f"<= {pages_limit}",
                 pages <= pages_limit),
            ]  # fmt: skip
            if args.before:
                out = pdfs / f"{name.replace(' ', '-')}-every-row.pdf"
                seconds, total, pages, _ = summary_seconds(big, out, period, **every_row)
                rows.append(
                    (f"{name}, before (every row in the table)", f"{seconds:.1f}", "", None)
                )
                rows.append((f"{name}, before: pages", f"{pages:,} pages", "", None))
        if args.db is not None:
            copy = Path(folder) / "copy.sqlite"
            upgraded_copy(args.db, copy)  # never written: a copy is opened
            out = pdfs / "db-year.pdf"
            runs = [summary_seconds(copy, out, year) for _ in range(args.repeat)]
            ms = [r[0] * 1000 for r in runs]
            each = ", ".join(f"{m:.0f}" for m in ms)
            label = f"last year of {args.db.name}: {runs[0][1]:,} episodes, ms ({each})"
            cpu = median([r[3] * 1000 for r in runs])
            rows += [
                (label, f"{median(ms):.0f}", "", None),
                (f"last year of {args.db.name}: CPU ms (median)", f"{cpu:.0f}", "", None),
            ]
        gaps = [ui_gap_ms(big, pdfs / "dialog-year.pdf") for _ in range(args.repeat)]
        each = ", ".join(f"{g[0]:.0f}" for g in gaps)
        saved = [g[1] * 1000 for g in gaps]
        rows += [
            target(f"dialog saves one year: longest UI-thread gap, ms ({each})",
                   [g[0] for g in gaps], GAP_MS),
            (f"dialog saves one year: until saved, ms ({', '.join(f'{m:.0f}' for m in saved)})",
             f"{median(saved):.0f}", "", None),
        ]  # fmt: skip
    del app

    ok = print_table("Doctor summary saved as PDF (A4)", rows)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
