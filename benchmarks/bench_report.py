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
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench_common import print_table, target

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

YEAR_SHARE = 0.3  # of the big diary's episodes in its last year


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


def summary_seconds(db: Path, out: Path, period, **table) -> tuple[float, int, int]:
    """Open read-only, build the figures and charts, write the PDF: as the report command does."""
    from PySide6.QtGui import QPageSize

    from tracker.report.data import ReportRequest, build_report
    from tracker.store import Store
    from ui.report.document import ReportDocument, save_pdf

    began = time.perf_counter()
    with Store.open(db, readonly=True) as store:
        request = ReportRequest(period, date.today(), name="Benchmark", **table)
        data = build_report(store, request)
        document = ReportDocument(data, store)
        save_pdf(document, out, QPageSize(QPageSize.PageSizeId.A4))
    return time.perf_counter() - began, data.total, document.page_count


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=100_000)
    parser.add_argument("--typical", type=int, default=1_000, help="episodes over two years")
    parser.add_argument("--before", action="store_true", help="also time a table of every row")
    parser.add_argument("--keep", type=Path, help="folder to keep the PDFs in (to look at)")
    args = parser.parse_args(argv)

    from PySide6.QtGui import QGuiApplication

    from tracker.analysis.aggregates import Period

    app = QGuiApplication.instance() or QGuiApplication([])
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
        cold, year_total, year_pages = summary_seconds(typical, out, year)
        warm = [summary_seconds(typical, out, year)[0] for _ in range(3)]
        year_kb = out.stat().st_size / 1024
        rows += [
            target(f"typical year, {year_total} episodes, first run", cold, 2, digits=2),
            target("typical year, warm (median of 3)", warm, 2, digits=2),
            ("typical year: pages, PDF size", f"{year_pages} pages, {year_kb:.0f} KB", "", None),
        ]
        for name, period, limit, pages_limit in (
            ("one year", year, 2, 20),
            ("all time", Period(None, today), 5, 25),
        ):
            out = pdfs / f"{name.replace(' ', '-')}.pdf"
            seconds, total, pages = summary_seconds(big, out, period)
            size = out.stat().st_size / 1024
            rows += [
                target(f"{name} of {args.episodes:,}: {total:,} episodes", seconds, limit, 2),
                (f"{name}: pages, PDF size", f"{pages} pages, {size:.0f} KB", f"<= {pages_limit}",
                 pages <= pages_limit),
            ]  # fmt: skip
            if args.before:
                out = pdfs / f"{name.replace(' ', '-')}-every-row.pdf"
                seconds, total, pages = summary_seconds(big, out, period, **every_row)
                rows.append(
                    (f"{name}, before (every row in the table)", f"{seconds:.1f}", "", None)
                )
                rows.append((f"{name}, before: pages", f"{pages:,} pages", "", None))
    del app

    ok = print_table("Doctor summary saved as PDF (A4), seconds", rows)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
