"""Save the summary for a doctor as a PDF, without opening a window.

The same document as the app's Print and Save as PDF. The database is opened read-only, so this
works while the app has the file open. Without --from the summary covers the whole history; a
name or date of birth given here is printed on the summary and never stored.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

from tracker.cli import CommandError
from tracker.commands.export import parse_date_option
from tracker.store import Store

PAPER = ("a4", "letter")


def add_arguments(parser) -> None:
    parser.add_argument("--db", required=True, help="database file to read")
    parser.add_argument("--out", required=True, metavar="FILE.pdf", help="PDF file to write")
    parser.add_argument(
        "--from", dest="date_from", metavar="YYYY-MM-DD", help="first day (default: first episode)"
    )
    parser.add_argument(
        "--to", dest="date_to", metavar="YYYY-MM-DD", help="last day (default: today)"
    )
    parser.add_argument("--name", default="", help="name to print on the summary (not stored)")
    parser.add_argument(
        "--birth-date", default="", metavar="TEXT", help="date of birth to print (not stored)"
    )
    parser.add_argument(
        "--paper", choices=PAPER, help="paper size (default: from the locale, A4 or US Letter)"
    )


def run(args) -> int:
    from tracker.aggregates import Period
    from tracker.report_data import ReportRequest, build_report

    today = date.today()
    first = parse_date_option(args.date_from, "--from")
    last = parse_date_option(args.date_to, "--to") or today
    if first and first > last:
        raise CommandError("--from is later than --to; swap them.")
    out = Path(args.out)
    if not out.parent.is_dir():
        raise CommandError(f"The folder '{out.parent}' does not exist; create it first.")
    app = _application()
    from PySide6.QtGui import QPageSize

    from ui.report_document import ReportDocument, save_pdf

    size = None
    if args.paper:
        size = QPageSize(
            QPageSize.PageSizeId.A4 if args.paper == "a4" else QPageSize.PageSizeId.Letter
        )
    with Store.open(args.db, readonly=True) as store:
        request = ReportRequest(
            Period(first, last), today, name=args.name, birth_date=args.birth_date
        )
        data = build_report(store, request)
        document = ReportDocument(data, store.conn)
        save_pdf(document, out, size)
    del app
    print(
        f"Saved the summary of {data.total:,} episodes ({data.period_text()}, "
        f"{document.page_count} pages) to '{out}'.",
        file=sys.stderr,
    )
    return 0


def _application():
    """A Qt application for fonts and painting; offscreen, so no display is needed."""
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication(["cramp-tracker"])
    return app
