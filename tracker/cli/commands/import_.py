"""Import episodes from a Cramp Tracker JSON or CSV export (--dry-run shows what would happen).

Every row is checked with the same rules as the form. Rows that duplicate an episode already in
the diary or earlier in the file (every field the same) are skipped, bad rows are listed with
their line number, and the accepted rows are written in one transaction after a backup. A
spreadsheet with other columns needs a column mapping: ``--map MAPPING.json`` (saved from the
app's Import dialog, or written by hand: see docs/example-mapping.json).

Exit status: 0 when every row was imported or was a duplicate, 1 when rows with problems were
skipped (the others are imported: the summary says how many), 2 when nothing could be imported.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tracker.cli.main import CommandError
from tracker.interop.import_mapping import ColumnMapping
from tracker.interop.importer import (
    ImportFileError,
    ImportPreview,
    NeedsMappingError,
    commit_import,
    preview_import,
)
from tracker.store import Store

MAX_LISTED = 50
ROWS_REFUSED = 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", metavar="FILE", help="a .json or .csv file exported by Cramp Tracker"
    )
    parser.add_argument("--db", required=True, help="database file to import into")
    parser.add_argument(
        "--map",
        metavar="MAPPING.json",
        help="column mapping for another program's CSV (see docs/example-mapping.json)",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="only show what would be imported; write nothing (the database need not exist)",
    )


def run(args: argparse.Namespace) -> int:
    db = Path(args.db).expanduser()
    mapping = _mapping(args.map) if args.map else None
    if args.dry_run and not db.exists():
        print(f"There is no diary at '{db}' yet: showing what an import into a new one would do.")
        preview = _preview(None, args.file, mapping)
        _report(preview)
        print("Dry run: nothing was written and no diary was created.")
        return _status(preview)
    with Store.open(db, readonly=args.dry_run) as store:
        preview = _preview(store, args.file, mapping)
        _report(preview)
        if args.dry_run:
            print("Dry run: nothing was written.")
            return _status(preview)
        result = commit_import(store, preview)
        print(f"Added {result.added:,} episodes to '{store.path}'.")
        if result.backup_path:
            print(f"The diary as it was before the import is saved in '{result.backup_path}'.")
    return _status(preview)


def _mapping(path: str) -> ColumnMapping:
    try:
        text = Path(path).expanduser().read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(
            f"Cannot read the mapping '{path}': {exc}. Nothing was imported."
        ) from None
    try:
        mapping = ColumnMapping.from_json(text)
    except ValueError as exc:
        raise CommandError(
            f"'{path}' is not a column mapping: {exc}. Nothing was imported."
        ) from None
    problems = mapping.problems()
    if problems:
        raise CommandError(f"The mapping '{path}' is incomplete: {' '.join(problems)}")
    return mapping


def _preview(store: Store | None, path: str, mapping: ColumnMapping | None = None) -> ImportPreview:
    try:
        return preview_import(store, path, mapping)
    except NeedsMappingError as exc:
        raise CommandError(
            f"{exc} Or give a column mapping with --map MAPPING.json (see "
            "docs/example-mapping.json). Nothing was imported."
        ) from None
    except ImportFileError as exc:
        raise CommandError(f"{exc} Nothing was imported.") from None


def _report(preview: ImportPreview) -> None:
    for note in preview.notes:
        print(note)
    print(preview.summary())
    missing = preview.not_recorded_counts()
    if missing:
        parts = ", ".join(f"{label} in {n:,}" for label, n in missing.items())
        print(f"Not recorded (kept empty, not guessed): {parts}.")
    for bad in preview.bad_rows[:MAX_LISTED]:
        print(f"  {bad.describe()}")
    if preview.bad_count > MAX_LISTED:
        print(f"  ... and {preview.bad_count - MAX_LISTED:,} more rows with problems.")
    if preview.warnings:
        print(f"{preview.warning_count:,} rows have warnings (they will be imported), e.g.:")
        print(f"  {preview.warnings[0].describe()}")


def _status(preview: ImportPreview) -> int:
    """Non-zero when rows were refused, so a script notices what a person reads."""
    if not preview.bad_rows:
        return 0
    count = preview.bad_count
    rows = "1 row with problems was" if count == 1 else f"{count:,} rows with problems were"
    print(
        f"cramp-tracker import: {rows} not imported (listed above). Fix them and import the "
        "file again: rows already in the diary are skipped as duplicates.",
        file=sys.stderr,
    )
    return ROWS_REFUSED
