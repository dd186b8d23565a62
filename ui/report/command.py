"""Save the summary for a doctor as a PDF, without opening a window.

The same document as the app's Print and Save as PDF, written the same way: checked before it
replaces an older PDF, which is kept (and the exit code is non-zero) if the disk fills up. The
database is opened read-only, so this works while the app has the file open. Without --from the
summary covers the whole history; the episode table lists its last months (--table-months,
tracker.report.data.TABLE_RULE) and the rest is summarised month by month. A name or date of
birth given here is printed on the summary and never stored.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

from tracker.cli.commands.export import parse_date_option
from tracker.cli.main import CommandError
from tracker.store import Store
from tracker.store.fileio import resolve_target
from tracker.store.opening import clean_leftovers

PAPER = ("a4", "letter")


def add_arguments(parser) -> None:
    from tracker.report.data import TABLE_RULE

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
        "--table-months",
        type=int,
        choices=TABLE_RULE.month_choices,
        default=TABLE_RULE.months,
        help=(
            f"months the episode table lists (default: {TABLE_RULE.months}; at most the latest "
            f"{TABLE_RULE.most_episodes} episodes); earlier months are summarised month by month"
        ),
    )
    parser.add_argument(
        "--paper", choices=PAPER, help="paper size (default: from the locale, A4 or US Letter)"
    )


def run(args) -> int:
    from tracker.diary.periods import Period
    from tracker.report.data import ReportRequest, build_report
    from tracker.report.html_summary import BIDI_CONTROLS

    today = date.today()
    first = parse_date_option(args.date_from, "--from")
    last = parse_date_option(args.date_to, "--to") or today
    if first and first > last:
        raise CommandError("--from is later than --to; swap them.")
    out = Path(args.out).expanduser()
    folder = resolve_target(out).parent  # --out may be a link: the file it points to is written
    if not folder.is_dir():
        raise CommandError(f"The folder '{folder}' does not exist; create it first.")
    app = _application()
    from PySide6.QtGui import QPageSize

    from ui.report.document import ReportDocument, save_pdf

    size = None
    if args.paper:
        size = QPageSize(
            QPageSize.PageSizeId.A4 if args.paper == "a4" else QPageSize.PageSizeId.Letter
        )
    with Store.open(args.db, readonly=True) as store:
        clean_leftovers(store.path)
        # No bidi embedding or override from the command line reaches the page header.
        name, birth_date = (text.translate(BIDI_CONTROLS) for text in (args.name, args.birth_date))
        request = ReportRequest(
            Period(first, last),
            today,
            name=name,
            birth_date=birth_date,
            table_months=args.table_months,
        )
        data = build_report(store, request)
        document = ReportDocument(data, store)
        save_pdf(document, out, size)  # FileWriteError: the old PDF is kept, exit code 2
    del app
    table = f" {data.table.note()}" if data.table is not None else ""
    print(
        f"Saved the summary of {data.total:,} episodes ({data.period_text()}, "
        f"{document.page_count} pages) to '{out}'.{table}",
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
