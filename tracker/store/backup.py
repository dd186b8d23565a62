"""Backups and restore: consistent copies with SQLite's backup API, kept in ``backups/``.

A copy is taken automatically on the first start of each day, before every import and before a
restore. Each copy's name carries a number that grows with every copy made
(``cramps-2026-03-01-080000-daily-n42.sqlite``), and pruning decides by that order of creation,
never by the clock: a clock set 60 days back or a year ahead can neither delete the copy just
made nor keep old copies in place of new ones. Daily copies are pruned to the newest 14 plus the
newest one of each of 4 earlier weeks (like ``borg prune --keep-daily 14 --keep-weekly 4``); the
newest 5 safety copies taken before an import or restore are kept; copies made by hand and those
taken before a database upgrade are never deleted.

Every copy is written through tracker.store.fileio (temporary file, checked with
``quick_check`` and its episode count, then renamed), so a full disk leaves no half-written copy and
says so. Restore verifies the chosen file, backs up the current database, and only then swaps the
verified copy in with an atomic rename onto the real file (a symlinked diary keeps its link).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sqlite3
import stat
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from types import TracebackType

from tracker.diary.progress import NO_PROGRESS, Cancelled, Progress
from tracker.store import fileio
from tracker.store.copies import (
    check_database,
    copy_database_file,
    copy_open_database,
    copy_write_error,
    is_disk_full,
)
from tracker.store.episodes import Store
from tracker.store.fileio import FileWriteError, atomic_path, resolve_target
from tracker.store.opening import StoreError, backup_dir, clean_leftovers

KEEP_DAILY = 14
KEEP_WEEKLY = 4
KEEP_SAFETY = 5  # copies taken before an import or a restore
KINDS = ("daily", "manual", "import", "restore")
SAFETY_KINDS = ("import", "restore")
# "manual" copies and the copies Store takes before a migration are never pruned
_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<day>\d{4}-\d{2}-\d{2})-(?P<clock>\d{6})-(?P<kind>"
    + "|".join(KINDS)
    + r")(?:-n(?P<seq>\d+))?\.sqlite$"
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
    seq: int | None = None  # order of creation; None for copies named before numbering

    def describe(self) -> str:
        when = f"{self.taken_at:%Y-%m-%d %H:%M}" if self.taken_at else self.path.name
        if self.problem:
            return f"{when} - {self.problem}"
        return f"{when} - {self.episodes:,} episodes ({self.kind})"


# --------------------------------------------------------------------------- taking copies
COPYING = "Copying the diary…"
CHECKING_COPY = "Checking the copy…"
CHECKING_BACKUP = "Checking the backup…"
COPYING_BACKUP = "Copying the backup…"
SAVING_CURRENT = "Backing up your current diary first…"
PUTTING_IN_PLACE = "Putting the restored diary in place; this can no longer be cancelled…"


def backup_to(
    store: Store, target: str | os.PathLike[str], *, progress: Progress = NO_PROGRESS
) -> Path:
    """Copy the open database into ``target`` (complete and checked, or not at all).

    Returns the path as given (a link there is kept; the file it points to is replaced).
    Raises BackupError saying what happened (e.g. the disk is full); an older file at
    ``target`` is then unchanged. ``progress`` hears of the copy page by page; a cancel
    raises ``Cancelled`` and leaves no partial file (an older file at ``target`` unchanged).
    """
    given = Path(target).expanduser().absolute()
    real = resolve_target(given)
    if _same_file(real, Path(store.path)):
        raise BackupError("A backup cannot overwrite the database it copies; choose another file.")
    if not real.parent.is_dir():
        raise BackupError(f"The folder '{real.parent}' does not exist; choose another.")
    expected: list[int] = []

    def verify(tmp: Path) -> None:
        _phase(progress, CHECKING_COPY)
        check_copy(tmp, expected[0])

    try:
        with atomic_path(real, verify=verify, what="the backup") as tmp:
            progress.phase(COPYING)
            expected.append(_copy_open_store(store, tmp, progress))
    except FileWriteError as exc:
        raise BackupError(str(exc)) from None
    return given


def backup_now(
    store: Store,
    kind: str = "manual",
    now: datetime | None = None,
    *,
    progress: Progress = NO_PROGRESS,
) -> Path:
    """A copy in the ``backups`` folder beside the database, then pruning of old copies.

    ``now`` only names the copy; its place among the others is its number, one more than the
    highest so far, so pruning never depends on the clock.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown backup kind {kind!r}")
    now = now or datetime.now()
    folder = backup_folder(store.path)
    stem = Path(store.path).stem
    seq = max((b.seq or 0 for b in _scan(folder, stem)), default=0) + 1
    target = folder / _backup_name(stem, now, kind, seq)
    while target.exists():  # another copy of the app took this number meanwhile
        seq += 1
        target = folder / _backup_name(stem, now, kind, seq)
    if progress is NO_PROGRESS:
        backup_to(store, target)  # the call as it always was (tests stand in for it)
    else:
        backup_to(store, target, progress=progress)
    rotate(folder, stem, keep=target)
    return target


def _backup_name(stem: str, when: datetime, kind: str, seq: int) -> str:
    return f"{stem}-{when:%Y-%m-%d-%H%M%S}-{kind}-n{seq}.sqlite"


def backup_folder(db_path: str | os.PathLike[str]) -> Path:
    """The ``backups`` folder beside the database, created (and kept) private: 0700."""
    folder = backup_dir(Path(db_path))
    try:
        fileio.make_private_folder(folder)
    except OSError as exc:
        raise BackupError(
            f"Cannot create the backup folder '{folder}' ({fileio.describe_os_error(exc)})."
        ) from None
    with contextlib.suppress(OSError):  # made by an older version under a lax umask
        if stat.S_IMODE(folder.stat().st_mode) != fileio.PRIVATE_FOLDER:
            os.chmod(folder, fileio.PRIVATE_FOLDER)
    return folder


def daily_backup_if_due(
    store: Store, today: date | None = None, *, now: datetime | None = None
) -> Path | None:
    """Call at start-up: the day's first start takes a copy. Returns it, or None if not due.

    Due unless the latest daily copy made (by order of creation, whatever dates the others
    carry) is dated today. An empty diary is not copied (there is nothing to lose yet). Also
    removes what killed runs left behind (see clean_leftovers).
    """
    clean_leftovers(store.path, locked=not store.readonly)
    if now is None:
        now = datetime.combine(today, datetime.now().time()) if today else datetime.now()
    stem = Path(store.path).stem
    daily = [b for b in _creation_order(_scan(backup_dir(store.path), stem)) if b.kind == "daily"]
    if daily and _when(daily[0]).date() == now.date():
        return None
    if store.count_episodes() == 0 and store.count_checkins() == 0 and not store.medicines():
        return None  # (check-ins and medicines are worth a copy too)
    return backup_now(store, "daily", now)


def rotate(folder: Path, stem: str, keep: Path | None = None) -> list[Path]:
    """Delete copies no rule keeps; return what was deleted. ``keep`` (the copy just made) and
    the newest copy are never deleted.

    By order of creation, newest first: the 14 newest daily copies, then the newest daily copy
    of each of 4 earlier weeks (weeks by the dates the copies carry), and the 5 newest safety
    copies. Copies made by hand and migration copies are not pruned.
    """
    ordered = _creation_order(_scan(folder, stem))
    daily = [b for b in ordered if b.kind == "daily"]
    safety = [b for b in ordered if b.kind in SAFETY_KINDS]
    kept = {b.path for b in daily[:KEEP_DAILY]} | {b.path for b in safety[:KEEP_SAFETY]}
    kept.update(b.path for b in ordered[:1])
    if keep is not None:
        kept.add(Path(keep))
    weeks: set[tuple[int, int]] = set()
    for b in daily[KEEP_DAILY:]:
        if len(weeks) == KEEP_WEEKLY:
            break
        iso = _when(b).isocalendar()
        week = (iso[0], iso[1])
        if week not in weeks:
            weeks.add(week)
            kept.add(b.path)
    removed = []
    for b in daily + safety:
        if b.path not in kept:
            with contextlib.suppress(OSError):
                b.path.unlink()
                removed.append(b.path)
    return removed


def _when(info: BackupInfo) -> datetime:
    """When a copy found by its name was taken (every such copy's name says)."""
    return info.taken_at or datetime.min


def _creation_order(infos: list[BackupInfo]) -> list[BackupInfo]:
    """Newest first by number; copies named before numbering are older than numbered ones."""
    return sorted(infos, key=lambda b: (b.seq or 0, b.taken_at), reverse=True)


def _copy_open_store(store: Store, target: Path, progress: Progress = NO_PROGRESS) -> int:
    """Copy ``store`` into ``target``; return the episode count of the snapshot copied."""
    try:
        return copy_open_database(store.db, target, progress=_given(progress))
    except sqlite3.Error as exc:
        raise copy_write_error(exc) from None


def check_copy(path: Path, episodes: int) -> None:
    """Raise OSError unless the copy at ``path`` passes ``quick_check`` and holds ``episodes``
    episodes: what was written is read back before it replaces anything."""
    found = check_database(Path(path), full=False, quick=True)
    problem = found.problem
    if problem is None and found.episodes != episodes:
        problem = f"it holds {found.episodes:,} episodes instead of {episodes:,}"
    if problem is None:
        return
    if fileio.disk_nearly_full(Path(path).parent):
        raise OSError(errno.ENOSPC, "the disk is full")
    raise OSError(errno.EIO, f"the copy came out wrong: {problem}")


def _same_file(a: Path, b: Path) -> bool:
    if resolve_target(a) == resolve_target(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


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
                seq = int(match["seq"]) if match["seq"] else None
                found.append(BackupInfo(path, taken, match["kind"], seq=seq))
            continue
        match = _MIGRATION_NAME.match(path.name)
        if match and (stem is None or match["stem"] == stem):
            with contextlib.suppress(ValueError):
                taken = datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S")
                found.append(BackupInfo(path, taken, "migration"))
    return found


def list_backups(db_path: str | os.PathLike[str]) -> list[BackupInfo]:
    """Every backup of this database, newest first, with its episode count.

    Numbered copies keep their order of creation whatever dates they carry; copies without a
    number (taken before a migration, or by an older version) are placed by their date.
    """
    stem = Path(db_path).stem
    found = _scan(backup_dir(Path(db_path)), stem)
    numbered = _creation_order([b for b in found if b.seq is not None])
    others = sorted((b for b in found if b.seq is None), key=_when, reverse=True)
    infos = []
    while numbered or others:
        if others and (not numbered or _when(others[0]) >= _when(numbered[0])):
            infos.append(others.pop(0))
        else:
            infos.append(numbered.pop(0))
    return [_inspect(b.path, b, full=False) for b in infos]


def verify_backup(path: str | os.PathLike[str], *, progress: Progress = NO_PROGRESS) -> BackupInfo:
    """Check a file fully (integrity_check, schema version); raise BackupError if unusable.
    A cancel of ``progress`` interrupts the check (``Cancelled``)."""
    path = Path(path).expanduser().absolute()
    info = _inspect(path, BackupInfo(path, None, "file"), full=True, progress=progress)
    if info.problem:
        raise BackupError(f"'{path}' cannot be restored: {info.problem}.")
    return info


def _phase(progress: Progress, text: str) -> None:
    """Say what is being done now (a step of unknown length); raises ``Cancelled`` if asked."""
    progress.phase(text)
    progress.step(0, 0)


def _given(progress: Progress) -> Progress | None:
    """None for NO_PROGRESS: the copies and checks then run in one go, as they always did."""
    return None if progress is NO_PROGRESS else progress


def _inspect(
    path: Path, base: BackupInfo, full: bool, progress: Progress = NO_PROGRESS
) -> BackupInfo:
    found = check_database(path, full=full, progress=_given(progress))
    if found.problem:
        return replace(base, path=path, problem=found.problem)
    return replace(base, path=path, episodes=found.episodes, schema_version=found.schema_version)


# --------------------------------------------------------------------------- restore
def restore_database(
    store: Store, source: str | os.PathLike[str], *, progress: Progress = NO_PROGRESS
) -> Store:
    """Replace the open database with the backup ``source``; return the Store to use now.

    Order: copy ``source`` into a temporary file beside the real database file (a symlinked
    diary is written through, the link kept) and verify the copy; back up the current file;
    close ``store`` (releasing its lock); rename the copy over the database; reopen it (which
    migrates an older backup and takes the lock on the new file). If anything fails, BackupError
    is raised and ``store`` is open and untouched. The UI and the command line both go through
    here: the UI runs the first part (``prepare_restore``) in a worker, with ``progress`` and
    Cancel, and the swap (``finish_restore``) on its own thread.
    """
    if store.readonly:
        raise BackupError("Restore needs the database opened for writing.")
    prepared = prepare_restore(store.path, source, progress=progress)
    return finish_restore(store, prepared)


@dataclass
class PreparedRestore:
    """A verified copy of a backup beside the diary, with a safety copy of the diary taken:
    ready to be put in place (``finish_restore``) or dropped (``discard``)."""

    db_path: Path
    source: Path
    info: BackupInfo  # what the copy holds
    _writing: AbstractContextManager[Path] = field(repr=False)
    _open: bool = True

    def discard(self) -> None:
        """Remove the copy (the diary stays as it is). Harmless if already done."""
        self._end(Cancelled, Cancelled(), None)

    def _end(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._open:
            self._open = False
            self._writing.__exit__(kind, exc, tb)


def prepare_restore(
    db_path: str | os.PathLike[str],
    source: str | os.PathLike[str],
    *,
    verified: BackupInfo | None = None,
    progress: Progress = NO_PROGRESS,
) -> PreparedRestore:
    """The part of a restore that may run in a worker and be cancelled: verify ``source``
    (unless ``verified`` says what the person was shown), copy it beside the diary at
    ``db_path`` and verify the copy fully, then back up the diary through a read-only
    connection of its own. Changes nothing the diary's Store uses. Raises BackupError or
    ``Cancelled``; no temporary file is left then."""
    db_path = Path(db_path).absolute()
    real = resolve_target(db_path)
    source = Path(source).expanduser().absolute()
    if _same_file(source, real):
        raise BackupError("That is the database that is open now; choose a backup file.")
    _phase(progress, CHECKING_BACKUP)
    info = verified or verify_backup(source, progress=progress)
    clean_leftovers(db_path, locked=True)
    writing = atomic_path(real, what="the restored diary")
    try:
        tmp = writing.__enter__()
    except FileWriteError as exc:
        raise _swap_error(real, exc) from None
    prepared = PreparedRestore(db_path, source, info, writing)
    try:
        _phase(progress, COPYING_BACKUP)
        _copy_database(source, tmp, progress)
        _phase(progress, CHECKING_COPY)
        copy = verify_backup(tmp, progress=progress)  # the bytes we swap in, not only the file
        if copy.episodes != info.episodes:
            raise BackupError(
                f"The copy of '{source}' holds {copy.episodes:,} episodes instead of "
                f"{info.episodes:,}; nothing changed."
            )
        _phase(progress, SAVING_CURRENT)
        with Store.open(db_path, readonly=True) as reader:
            backup_now(reader, "restore", progress=progress)
        _phase(progress, PUTTING_IN_PLACE)  # the last chance to cancel; the label says so
        fileio.fsync_file(tmp)  # the slow part of putting it in place, done here
    except BaseException as exc:
        try:
            prepared._end(type(exc), exc, exc.__traceback__)  # removes the copy
        except FileWriteError as failed:  # an OSError, said as fileio says it
            raise _swap_error(real, failed) from None
        if isinstance(exc, FileWriteError):
            raise _swap_error(real, exc) from None
        raise
    return prepared


def _swap_error(real: Path, exc: FileWriteError) -> BackupError:
    return BackupError(
        f"Could not replace '{real}' with the backup: {exc.reason}; nothing changed."
    )


def finish_restore(store: Store, prepared: PreparedRestore) -> Store:
    """Swap the prepared copy in for ``store``'s file and return the Store to use now (on the
    thread that owns ``store``). If it cannot be done, BackupError is raised and ``store`` is
    open and untouched; the copy is removed either way."""
    real = resolve_target(prepared.db_path)
    if store.readonly:
        prepared.discard()
        raise BackupError("Restore needs the database opened for writing.")
    try:
        store.checkpoint()
        store.close()
        prepared._end(None, None, None)  # synced, checked, renamed over the diary
    except FileWriteError as exc:
        if not store.is_open:
            store.reopen()
        raise _swap_error(real, exc) from None
    except BaseException as exc:
        prepared._end(type(exc), exc, exc.__traceback__)
        if not store.is_open:
            store.reopen()
        raise
    for suffix in ("-wal", "-shm"):  # never let the old file's journal touch the new one
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{real}{suffix}")
    return Store.open(prepared.db_path)


def _copy_database(source: Path, target: Path, progress: Progress = NO_PROGRESS) -> None:
    try:
        copy_database_file(source, target, progress=_given(progress))
    except sqlite3.Error as exc:
        if is_disk_full(exc):
            raise OSError(errno.ENOSPC, str(exc)) from None
        raise BackupError(
            f"'{source}' cannot be copied ({exc}); the file may be damaged."
        ) from None
