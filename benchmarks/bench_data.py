"""Export, import, backup and restore with a large diary (default 100,000 episodes).

Run: .venv/bin/python benchmarks/bench_data.py [--episodes N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from bench_common import make_demo_db, print_table

from tracker.interop.exporting import export_to_file
from tracker.interop.importer import commit_import, preview_import
from tracker.store import Store
from tracker.store.backup import backup_now, list_backups, restore_database, verify_backup


def clock(func):
    began = time.perf_counter()
    value = func()
    return value, time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--episodes", type=int, default=100_000)
    n = parser.parse_args().episodes
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        db = folder / "big.sqlite"
        rows.append(
            (f"demo database with {n:,} episodes", f"{make_demo_db(db, n):.1f} s", "", None)
        )
        with Store.open(db) as store:
            for fmt, limit in (("csv", 5), ("json", 5), ("fhir", 15)):
                out = folder / f"all.{fmt}"
                count, secs = clock(lambda fmt=fmt, out=out: export_to_file(store, fmt, out))
                size = out.stat().st_size / 1e6
                rows.append(
                    (
                        f"export {fmt} ({count:,} rows, {size:.1f} MB)",
                        f"{secs:.2f} s",
                        f"< {limit} s",
                        secs < limit,
                    )
                )
            _, secs = clock(lambda: backup_now(store, "manual"))
            rows.append(("backup (SQLite backup API)", f"{secs * 1000:.0f} ms", "", None))
            backups = list_backups(db)
            _, secs = clock(lambda: verify_backup(backups[0].path))
            rows.append(("verify backup (integrity_check)", f"{secs * 1000:.0f} ms", "", None))
            _, secs = clock(lambda: list_backups(db))
            rows.append(("list backups with counts", f"{secs * 1000:.0f} ms", "", None))
            source = backups[0].path
        store = Store.open(db)
        store, secs = clock(lambda: restore_database(store, source))
        store.close()
        rows.append(("restore (verify, back up, swap, reopen)", f"{secs:.2f} s", "", None))

        for fmt in ("json", "csv"):
            with Store.open(folder / f"empty-{fmt}.sqlite") as empty:
                preview, secs = clock(
                    lambda fmt=fmt, e=empty: preview_import(e, folder / f"all.{fmt}")
                )
                rows.append(
                    (
                        f"import {fmt}: read + validate + preview",
                        f"{secs:.2f} s",
                        "< 10 s",
                        secs < 10,
                    )
                )
                result, secs = clock(lambda e=empty, p=preview: commit_import(e, p))
                rows.append(
                    (
                        f"import {fmt}: commit {result.added:,} (one transaction)",
                        f"{secs:.2f} s",
                        "< 5 s",
                        secs < 5,
                    )
                )
                assert empty.count_episodes() == n - preview.duplicate_count
                again, secs = clock(
                    lambda fmt=fmt, e=empty: preview_import(e, folder / f"all.{fmt}")
                )
                rows.append(
                    (
                        f"import {fmt} again: {again.duplicate_count:,} duplicates found",
                        f"{secs:.2f} s",
                        "",
                        None,
                    )
                )
    return 0 if print_table(f"Export / import / backup with {n:,} episodes", rows) else 1


if __name__ == "__main__":
    sys.exit(main())
