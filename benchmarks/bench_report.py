"""Doctor summary speed: a typical year (about 500 episodes) and a 100,000-episode history as PDF.

Run: .venv/bin/python benchmarks/bench_report.py [--episodes N] [--typical N]
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


def make_db(path: Path, episodes: int, until: date) -> None:
    from tracker.diary import demo
    from tracker.store import Store

    with Store.open(path) as store:
        store.add_episodes(demo.generate(episodes, seed=1, until=until))


def summary_seconds(db: Path, out: Path, period) -> tuple[float, int, int]:
    """Open read-only, build the figures and charts, write the PDF: as the report command does."""
    from PySide6.QtGui import QPageSize

    from tracker.report.data import ReportRequest, build_report
    from tracker.store import Store
    from ui.report.document import ReportDocument, save_pdf

    began = time.perf_counter()
    with Store.open(db, readonly=True) as store:
        data = build_report(store, ReportRequest(period, date.today(), name="Benchmark"))
        document = ReportDocument(data, store)
        save_pdf(document, out, QPageSize(QPageSize.PageSizeId.A4))
    return time.perf_counter() - began, data.total, document.page_count


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=100_000)
    parser.add_argument("--typical", type=int, default=1_000, help="episodes over two years")
    args = parser.parse_args(argv)

    from PySide6.QtGui import QGuiApplication

    from tracker.analysis.aggregates import Period

    app = QGuiApplication.instance() or QGuiApplication([])
    today = date.today()
    year = Period(today - timedelta(days=364), today)
    with tempfile.TemporaryDirectory(prefix="bench-report-") as folder:
        typical, big = Path(folder) / "typical.sqlite", Path(folder) / "big.sqlite"
        make_db(typical, args.typical, today)
        make_db(big, args.episodes, today)
        out = Path(folder) / "summary.pdf"
        cold, year_total, year_pages = summary_seconds(typical, out, year)
        warm = [summary_seconds(typical, out, year)[0] for _ in range(3)]
        year_kb = out.stat().st_size / 1024
        full, big_total, big_pages = summary_seconds(big, out, Period(None, today))
        big_mb = out.stat().st_size / 1024 / 1024
    del app

    ok = print_table(
        "Doctor summary saved as PDF (A4), seconds",
        [
            target(f"one year, {year_total} episodes, first run", cold, 2, digits=2),
            target("one year, warm (median of 3)", warm, 2, digits=2),
            ("one year: pages, PDF size", f"{year_pages} pages, {year_kb:.0f} KB", "", None),
            target(f"full history, {big_total:,} episodes", full, 30, digits=1),
            ("full history: pages, PDF size", f"{big_pages:,} pages, {big_mb:.0f} MB", "", None),
        ],
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
