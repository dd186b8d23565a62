"""Backups and restore: consistent copies with SQLite's backup API, kept in ``backups/``.

A copy is taken automatically on the first start of each day, before every import and before a
restore; old copies are pruned to the last 14 days plus one per week for 4 more weeks (like
``borg prune --keep-daily 14 --keep-weekly 4``), and the last few safety copies taken before an
import or restore are always kept, so an import can be undone even on a busy day.

Restore verifies the chosen file (integrity_check, a schema this version knows), backs up the
current database, and only then swaps the verified copy in with an atomic rename.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from tracker.migrations import LATEST_VERSION
from tracker.store import SQLITE_MAGIC, Store, StoreError, backup_dir

KEEP_DAILY = 14
KEEP_WEEKLY = 4
KEEP_SAFETY = 5  # copies taken before an import or a restore
KINDS = ("daily", "manual", "import", "restore")
SAFETY_KINDS = ("import", "restore")
_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<day>\d{4}-\d{2}-\d{2})-(?P<clock>\d{6})-(?P<kind>"
    + "|".join(KINDS)
    + r")\.sqlite$"
)
_MIGRATION_NAME = re.compile(r"^(?P<stem>.+)-before-migration-v\d+-(?P<stamp>\d{8}-\d{6})\.sqlite$")


class BackupError(StoreError):
    """A backup or restore that could not be done; the current database is untouched."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime | None
    kind: str  # daily, manual, import, restore, migration, or "file" for any other file
    episodes: int | None = None
    schema_version: int | None = None
    problem: str | None = None

    def describe(self) -> str:
        when = f"{self.taken_at:%Y-%m-%d %H:%M}" if self.taken_at else self.path.name
        if self.problem:
            return f"{when} - {self.problem}"
        return f"{when} - {self.episodes:,} episodes ({self.kind})"


# --------------------------------------------------------------------------- taking copies
def backup_to(store: Store, target: str | os.PathLike) -> Path:
    """Copy the open database into ``target`` (complete or not at all); return the path."""
    target = Path(target).expanduser().absolute()
    if target == Path(store.path).absolute():
        raise BackupError("A backup cannot overwrite the database it copies; choose another file.")
    if not target.parent.is_dir():
        raise BackupError(f"The folder '{target.parent}' does not exist; choose another.")
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    except OSError as exc:
        raise BackupError(f"Cannot write in '{target.parent}' ({exc.strerror}).") from None
    os.close(fd)
    try:
        dest = sqlite3.connect(tmp)
        try:
            store.conn.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal
        finally:
            dest.close()
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except (OSError, sqlite3.Error) as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise BackupError(f"Could not write the backup '{target}' ({exc}).") from None
    return target


def backup_now(store: Store, kind: str = "manual", now: datetime | None = None) -> Path:
    """A copy in the ``backups`` folder beside the database, then pruning of old copies."""
    if kind not in KINDS:
        raise ValueError(f"unknown backup kind {kind!r}")
    now = now or datetime.now()
    folder = backup_dir(store.path)
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"Cannot create the backup folder '{folder}' ({exc.strerror}).") from None
    stem = Path(store.path).stem
    target = folder / f"{stem}-{now:%Y-%m-%d-%H%M%S}-{kind}.sqlite"
    while target.exists():  # two copies within one second: the names still sort in order
        now += timedelta(seconds=1)
        target = folder / f"{stem}-{now:%Y-%m-%d-%H%M%S}-{kind}.sqlite"
    backup_to(store, target)
    rotate(folder, stem)
    return target


def daily_backup_if_due(store: Store, today: date | None = None) -> Path | None:
    """Call at start-up: the day's first start takes a copy. Returns it, or None if not due.

    An empty diary is not copied (there is nothing to lose yet).
    """
    today = today or date.today()
    stem = Path(store.path).stem
    for info in _scan(backup_dir(store.path), stem):
        if info.kind == "daily" and info.taken_at and info.taken_at.date() == today:
            return None
    if store.count_episodes() == 0:
        return None
    return backup_now(store, "daily", datetime.combine(today, datetime.now().time()))


def rotate(folder: Path, stem: str) -> list[Path]:
    """Delete copies no rule keeps; return what was deleted.

    Newest first: the newest copy of each of the last 14 days that have one, then the newest
    copy of each of 4 earlier weeks among the rest, plus the newest 5 safety copies.
    """
    backups = sorted(
        (b for b in _scan(folder, stem) if b.kind in KINDS),
        key=lambda b: b.taken_at,
        reverse=True,
    )
    keep: set[Path] = set()
    days: set[date] = set()
    for b in backups:
        if len(days) < KEEP_DAILY and b.taken_at.date() not in days:
            days.add(b.taken_at.date())
            keep.add(b.path)
    weeks: set[tuple[int, int]] = set()
    for b in backups:
        week = tuple(b.taken_at.isocalendar())[:2]
        if b.path not in keep and len(weeks) < KEEP_WEEKLY and week not in weeks:
            weeks.add(week)
            keep.add(b.path)
    keep.update(b.path for b in [b for b in backups if b.kind in SAFETY_KINDS][:KEEP_SAFETY])
    removed = []
    for b in backups:
        if b.path not in keep:
            with contextlib.suppress(OSError):
                b.path.unlink()
                removed.append(b.path)
    return removed


# --------------------------------------------------------------------------- listing, checking
def _scan(folder: Path, stem: str | None = None) -> list[BackupInfo]:
    """Backups in ``folder`` by their names alone (no file is opened)."""
    found = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for path in entries:
        match = _NAME.match(path.name)
        if match and (stem is None or match["stem"] == stem):
            with contextlib.suppress(ValueError):
                taken = datetime.strptime(f"{match['day']} {match['clock']}", "%Y-%m-%d %H%M%S")
                found.append(BackupInfo(path, taken, match["kind"]))
            continue
        match = _MIGRATION_NAME.match(path.name)
        if match and (stem is None or match["stem"] == stem):
            with contextlib.suppress(ValueError):
                taken = datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S")
                found.append(BackupInfo(path, taken, "migration"))
    return found


def list_backups(db_path: str | os.PathLike) -> list[BackupInfo]:
    """Every backup of this database, newest first, with its episode count."""
    stem = Path(db_path).stem
    infos = sorted(_scan(backup_dir(Path(db_path)), stem), key=lambda b: b.taken_at, reverse=True)
    return [_inspect(b.path, b, full=False) for b in infos]


def verify_backup(path: str | os.PathLike) -> BackupInfo:
    """Check a file fully (integrity_check, schema version); raise BackupError if unusable."""
    path = Path(path).expanduser().absolute()
    info = _inspect(path, BackupInfo(path, None, "file"), full=True)
    if info.problem:
        raise BackupError(f"'{path}' cannot be restored: {info.problem}.")
    return info


def _inspect(path: Path, base: BackupInfo, full: bool) -> BackupInfo:
    def bad(problem: str) -> BackupInfo:
        return BackupInfo(path, base.taken_at, base.kind, problem=problem)

    try:
        with open(path, "rb") as fh:
            if fh.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
                return bad("not a Cramp Tracker database (not an SQLite file)")
    except OSError as exc:
        return bad(f"cannot be read ({exc.strerror})")
    try:
        conn = sqlite3.connect(path.as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return bad(f"cannot be opened ({exc})")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if full:
            problems = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
            if problems != ["ok"]:
                return bad(f"the file is damaged ({problems[0]})")
        if version > LATEST_VERSION:
            return bad(
                f"it was saved by a newer Cramp Tracker (format {version}; this version knows "
                f"up to {LATEST_VERSION}); update Cramp Tracker first"
            )
        has_table = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'episode'"
        ).fetchone()
        if version < 1 or not has_table:
            return bad("it is not a Cramp Tracker database")
        episodes = conn.execute("SELECT COUNT(*) FROM episode").fetchone()[0]
    except sqlite3.Error as exc:
        return bad(f"the file is damaged ({exc})")
    finally:
        conn.close()
    return BackupInfo(path, base.taken_at, base.kind, episodes, version)


# --------------------------------------------------------------------------- restore
def restore_database(store: Store, source: str | os.PathLike) -> Store:
    """Replace the open database with the backup ``source``; return the Store to use now.

    Order: copy ``source`` beside the database and verify the copy; back up the current file;
    close ``store`` (releasing its lock); rename the copy over the database; reopen it (which
    migrates an older backup). If verification fails, BackupError is raised and ``store`` stays
    open and untouched. The UI and the command line both go through here.
    """
    if store.readonly:
        raise BackupError("Restore needs the database opened for writing.")
    db_path = Path(store.path).absolute()
    source = Path(source).expanduser().absolute()
    if source == db_path:
        raise BackupError("That is the database that is open now; choose a backup file.")
    verify_backup(source)
    fd, tmp = tempfile.mkstemp(dir=db_path.parent, prefix=".restore-", suffix=".sqlite")
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        _copy_database(source, tmp_path)
        verify_backup(tmp_path)  # the bytes we swap in, not only the file we were shown
        backup_now(store, "restore")
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise
    store.close()
    try:
        os.chmod(tmp_path, 0o600)
        os.replace(tmp_path, db_path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        _reopen_into(store, db_path)
        raise BackupError(
            f"Could not replace '{db_path}' ({exc.strerror}); nothing changed."
        ) from None
    for suffix in ("-wal", "-shm"):  # never let the old file's journal touch the new one
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{db_path}{suffix}")
    return Store.open(db_path)


def _copy_database(source: Path, target: Path) -> None:
    try:
        src = sqlite3.connect(source.as_uri() + "?mode=ro", uri=True)
        try:
            dest = sqlite3.connect(target)
            try:
                src.backup(dest)
                dest.execute("PRAGMA journal_mode=DELETE")
            finally:
                dest.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise BackupError(
            f"'{source}' cannot be copied ({exc}); the file may be damaged."
        ) from None


def _reopen_into(store: Store, path: Path) -> None:
    """After a failed swap, make the caller's Store usable again on the unchanged file."""
    fresh = Store.open(path)
    store.conn, store._lock_fd = fresh.conn, fresh._lock_fd
