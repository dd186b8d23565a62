"""Import episodes from a Cramp Tracker JSON or CSV export (--dry-run shows what would happen).

Every row is checked with the same rules as the form. Rows that duplicate an episode already in
the diary or earlier in the file (every field the same) are skipped, bad rows are listed with
their line number, and the accepted rows are written in one transaction after a backup. A
spreadsheet with other columns needs the column mapping step of the app's Import dialog.

Exit status: 0 when every row was imported or was a duplicate, 1 when rows with problems were
skipped (the others are imported: the summary says how many), 2 when nothing could be imported.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tracker.cli import CommandError
from tracker.importer import ImportFileError, ImportPreview, commit_import, preview_import
from tracker.store import Store

MAX_LISTED = 50
ROWS_REFUSED = 1


def add_arguments(parser) -> None:
    parser.add_argument(
        "file", metavar="FILE", help="a .json or .csv file exported by Cramp Tracker"
    )
    parser.add_argument("--db", required=True, help="database file to import into")
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="only show what would be imported; write nothing (the database need not exist)",
    )


def run(args) -> int:
    db = Path(args.db).expanduser()
    if args.dry_run and not db.exists():
        print(f"There is no diary at '{db}' yet: showing what an import into a new one would do.")
        preview = _preview(None, args.file)
        _report(preview)
        print("Dry run: nothing was written and no diary was created.")
        return _status(preview)
    with Store.open(db, readonly=args.dry_run) as store:
        preview = _preview(store, args.file)
        _report(preview)
        if args.dry_run:
            print("Dry run: nothing was written.")
            return _status(preview)
        result = commit_import(store, preview)
        print(f"Added {result.added:,} episodes to '{store.path}'.")
        if result.backup_path:
            print(f"The diary as it was before the import is saved in '{result.backup_path}'.")
    return _status(preview)


def _preview(store, path) -> ImportPreview:
    try:
        return preview_import(store, path)
    except ImportFileError as exc:
        raise CommandError(f"{exc} Nothing was imported.") from None


def _report(preview: ImportPreview) -> None:
    print(preview.summary())
    missing = preview.not_recorded_counts()
    if missing:
        parts = ", ".join(f"{label} in {n:,}" for label, n in missing.items())
        print(f"Not recorded (kept empty, not guessed): {parts}.")
    for bad in preview.bad_rows[:MAX_LISTED]:
        print(f"  {bad.describe()}")
    if len(preview.bad_rows) > MAX_LISTED:
        print(f"  ... and {len(preview.bad_rows) - MAX_LISTED:,} more rows with problems.")
    if preview.warnings:
        print(f"{len(preview.warnings):,} rows have warnings (they will be imported), e.g.:")
        print(f"  {preview.warnings[0].describe()}")


def _status(preview: ImportPreview) -> int:
    """Non-zero when rows were refused, so a script notices what a person reads."""
    if not preview.bad_rows:
        return 0
    count = len(preview.bad_rows)
    rows = "1 row with problems was" if count == 1 else f"{count:,} rows with problems were"
    print(
        f"cramp-tracker import: {rows} not imported (listed above). Fix them and import the "
        "file again: rows already in the diary are skipped as duplicates.",
        file=sys.stderr,
    )
    return ROWS_REFUSED
