"""Copying a database and checking a database file: one way each, for every caller.

``copy_database`` is SQLite's backup API into a self-contained file (no -wal): used for the
safety copy before a migration, for backups of the open diary and for restoring a backup.
``check_database`` reads a file without writing to it: SQLite's header, ``quick_check`` or
``integrity_check``, the schema version and the episode count.

Given a ``Progress`` (tracker.diary.progress), a copy goes ``COPY_PAGES`` pages at a time and
reports after each step, and a check can be interrupted: a cancel raises ``Cancelled`` between
two steps (the caller's atomic write then removes the partial file).
"""

from __future__ import annotations

import errno
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from tracker.diary.progress import Progress
from tracker.store.migrations import LATEST_VERSION

SQLITE_MAGIC = b"SQLite format 3\x00"
_SQLITE_FULL = 13
COPY_PAGES = 2048  # pages per step of a copy with progress (8 MB of 4 KB pages)
CHECK_STEPS = 200_000  # SQLite instructions between two looks at a cancel during a check


def copy_database(
    source: sqlite3.Connection, target: Path, *, progress: Progress | None = None
) -> None:
    """Copy the database behind ``source`` into a new file at ``target`` with the backup API;
    the copy is one self-contained file (journal_mode DELETE, no -wal). Raises sqlite3.Error,
    or ``Cancelled`` when ``progress`` was cancelled (the file at ``target`` is then partial)."""
    dest = sqlite3.connect(target)
    try:
        if progress is None:
            source.backup(dest)
        else:
            progress.step(0, 0)

            def report(status: int, remaining: int, total: int) -> None:
                progress.step(total - remaining, total)  # raising here ends the copy

            source.backup(dest, pages=COPY_PAGES, progress=report)
        dest.execute("PRAGMA journal_mode=DELETE")
    finally:
        dest.close()


def copy_database_file(source: Path, target: Path, *, progress: Progress | None = None) -> None:
    """``copy_database`` from a file opened read-only. Raises sqlite3.Error."""
    src = sqlite3.connect(source.as_uri() + "?mode=ro", uri=True)
    try:
        copy_database(src, target, progress=progress)
    finally:
        src.close()


def count_episodes(conn: sqlite3.Connection) -> int:
    count: int = conn.execute("SELECT COUNT(*) FROM episode").fetchone()[0]
    return count


def copy_open_database(
    conn: sqlite3.Connection, target: Path, *, progress: Progress | None = None
) -> int:
    """Copy an open diary into ``target``; return the episode count of the snapshot copied
    (count and copy see one snapshot, even while another program writes). Raises sqlite3.Error.
    """
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")
    try:
        episodes = count_episodes(conn)
        copy_database(conn, target, progress=progress)
    finally:
        if own:
            conn.execute("ROLLBACK")
    return episodes


def is_disk_full(exc: sqlite3.Error) -> bool:
    return bool(getattr(exc, "sqlite_errorcode", 0) & 0xFF == _SQLITE_FULL)


def copy_write_error(exc: sqlite3.Error) -> OSError:
    """An SQLite error while writing a copy, as the OSError tracker.store.fileio reports."""
    if is_disk_full(exc):
        return OSError(errno.ENOSPC, str(exc))
    return OSError(errno.EIO, f"SQLite could not write the copy ({exc})")


@dataclass(frozen=True)
class FileCheck:
    """What ``check_database`` found: a problem for a person, or the version and count."""

    problem: str | None = None
    schema_version: int | None = None
    episodes: int | None = None


def has_sqlite_header(path: Path) -> bool:
    """Whether the file starts like an SQLite file. Raises OSError when it cannot be read."""
    with open(path, "rb") as fh:
        return fh.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC


def check_database(
    path: Path, *, full: bool, quick: bool = False, progress: Progress | None = None
) -> FileCheck:
    """Check a database file read-only: an SQLite file of a Cramp Tracker schema this version
    knows, intact (``full``: integrity_check; ``quick``: quick_check), and its episode count.
    Never raises for a bad file: the result names the problem. A cancel of ``progress``
    interrupts the check and raises ``Cancelled``."""
    try:
        if not has_sqlite_header(path):
            return FileCheck("not a Cramp Tracker database (not an SQLite file)")
    except OSError as exc:
        return FileCheck(f"cannot be read ({exc.strerror})")
    try:
        conn = sqlite3.connect(Path(path).absolute().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return FileCheck(f"cannot be opened ({exc})")
    if progress is not None:
        progress.check()
        conn.set_progress_handler(lambda: progress.cancelled, CHECK_STEPS)
    try:
        version: int = conn.execute("PRAGMA user_version").fetchone()[0]
        if full or quick:
            pragma = "integrity_check" if full else "quick_check"
            problems = [r[0] for r in conn.execute(f"PRAGMA {pragma}").fetchall()]
            if problems != ["ok"]:
                return FileCheck(f"the file is damaged ({problems[0]})")
        if version > LATEST_VERSION:
            return FileCheck(
                f"it was saved by a newer Cramp Tracker (format {version}; this version knows "
                f"up to {LATEST_VERSION}); update Cramp Tracker first"
            )
        has_table = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'episode'"
        ).fetchone()
        if version < 1 or not has_table:
            return FileCheck("it is not a Cramp Tracker database")
        return FileCheck(None, version, count_episodes(conn))
    except sqlite3.Error as exc:
        if progress is not None:
            progress.check()  # "interrupted" by a cancel: not a damaged file
        return FileCheck(f"the file is damaged ({exc})")
    finally:
        conn.close()
