"""Back up the database now (into the backups folder beside it, or to --out FILE).

Uses SQLite's backup API on a read-only connection, so it works while the app is open and
always produces a consistent copy. The copy is checked (quick_check, episode count) before it
replaces anything; on a full disk the exit code is non-zero and an older file at --out is kept.
A link given with --out is kept and the file it points to is replaced.
"""

from __future__ import annotations

import argparse

from tracker.store import Store
from tracker.store.backup import backup_now, backup_to, verify_backup
from tracker.store.opening import clean_leftovers


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", required=True, help="database file to back up")
    parser.add_argument(
        "--out", metavar="FILE", help="where to write the copy (default: the backups folder)"
    )


def run(args: argparse.Namespace) -> int:
    with Store.open(args.db, readonly=True) as store:
        clean_leftovers(store.path)
        target = backup_to(store, args.out) if args.out else backup_now(store, "manual")
    count = verify_backup(target).episodes  # what the copy holds, not what the diary held
    print(f"Backed up {count:,} episodes to '{target}'.")
    return 0
