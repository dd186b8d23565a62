"""Import episodes from a Cramp Tracker JSON or CSV export (--dry-run shows what would happen).

Every row is checked with the same rules as the form. Rows that duplicate an episode already in
the diary (same start and duration) are skipped, bad rows are listed with their line number, and
the accepted rows are written in one transaction after a backup. A spreadsheet with other
columns needs the column mapping step of the app's Import dialog.
"""

from __future__ import annotations

from tracker.cli import CommandError
from tracker.importer import ImportFileError, commit_import, preview_import
from tracker.store import Store

MAX_LISTED = 50


def add_arguments(parser) -> None:
    parser.add_argument(
        "file", metavar="FILE", help="a .json or .csv file exported by Cramp Tracker"
    )
    parser.add_argument("--db", required=True, help="database file to import into")
    parser.add_argument(
        "--dry-run", action="store_true", help="only show what would be imported; write nothing"
    )


def run(args) -> int:
    with Store.open(args.db, readonly=args.dry_run) as store:
        try:
            preview = preview_import(store, args.file)
        except ImportFileError as exc:
            raise CommandError(f"{exc} Nothing was imported.") from None
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
        if args.dry_run:
            print("Dry run: nothing was written.")
            return 0
        result = commit_import(store, preview)
        print(f"Added {result.added:,} episodes to '{store.path}'.")
        if result.backup_path:
            print(f"The diary as it was before the import is saved in '{result.backup_path}'.")
    return 0
