"""Export episodes as CSV, JSON or a FHIR R4 bundle (to a file, or to standard output).

The database is opened read-only, so exporting works while the app has the file open. A file
given with --out is replaced atomically: it is either the complete export or left as it was
(and the exit code says it failed, e.g. on a full disk). A link given with --out is kept and
the file it points to is replaced.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date

from tracker.cli.main import CommandError
from tracker.interop.exporting import FORMATS, ExportError, Period, export_to_file, export_to_stdout
from tracker.store import Store
from tracker.store.opening import clean_leftovers


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", required=True, help="database file to export from")
    parser.add_argument(
        "--format", choices=sorted(FORMATS), default="csv", help="output format (default csv)"
    )
    parser.add_argument("--out", metavar="FILE", help="file to write (default: standard output)")
    parser.add_argument(
        "--from", dest="date_from", metavar="YYYY-MM-DD", help="first local date to include"
    )
    parser.add_argument(
        "--to", dest="date_to", metavar="YYYY-MM-DD", help="last local date to include"
    )
    parser.add_argument(
        "--patient",
        metavar="REFERENCE",
        help="FHIR only: the clinic's Patient reference, e.g. Patient/123 (default: a "
        "placeholder Patient with no personal data, the same on every export)",
    )


def parse_date_option(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option}: '{text}' is not a date like 2026-03-29.") from None


def run(args: argparse.Namespace) -> int:
    period = Period(
        parse_date_option(args.date_from, "--from"), parse_date_option(args.date_to, "--to")
    )
    if period.first and period.last and period.first > period.last:
        raise CommandError("--from is later than --to; swap them.")
    with Store.open(args.db, readonly=True) as store:
        clean_leftovers(store.path)
        try:
            if args.out:
                count = export_to_file(store, args.format, args.out, period, patient=args.patient)
            else:
                count = export_to_stdout(store, args.format, period, patient=args.patient)
        except ExportError as exc:
            raise CommandError(str(exc)) from None
        except BrokenPipeError:  # e.g. piped into `head`: the reader has all it wanted
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return 0
    if args.out:
        print(
            f"Exported {count:,} episodes ({period.describe()}) to '{args.out}'.", file=sys.stderr
        )
    return 0
