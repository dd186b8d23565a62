"""Restore the database from a backup file (checked first; the current file is backed up).

The backup is verified (integrity_check, a schema this version knows) before anything changes;
a damaged file or one from a newer version is refused and the current database left untouched.
Close the app first: restore needs the database to itself. A symlinked database keeps its link:
the file it points to is replaced.
"""

from __future__ import annotations

import argparse

from tracker.store import Store
from tracker.store.backup import restore_database, verify_backup


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="backup file to restore from")
    parser.add_argument("--db", required=True, help="database file to replace")


def run(args: argparse.Namespace) -> int:
    info = verify_backup(args.file)
    store = Store.open(args.db)
    before = store.count_episodes()
    store = restore_database(store, args.file)
    try:
        after = store.count_episodes()
        path = store.path
    finally:
        store.close()
    print(
        f"Restored '{path}' from '{info.path}': {after:,} episodes (there were {before:,}). "
        "The previous state is saved in the backups folder beside it."
    )
    return 0
