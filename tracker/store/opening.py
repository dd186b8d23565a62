"""Opening a database file safely: file checks, the lock, read-only checks, migrations.

Opening never changes a file it then refuses, nor its -wal, -shm or -journal: the checks read
it without writing (see _checking_connection), and only then is it opened for writing; a backup
copy is taken before any migration. WAL with synchronous=FULL keeps the last save across a crash
or power loss.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sqlite3
import stat
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from tracker.store import fileio
from tracker.store.copies import SQLITE_MAGIC, copy_database
from tracker.store.fileio import (
    atomic_path,
    describe_os_error,
    disk_nearly_full,
    fsync_file,
    fsync_folder,
    make_private_folder,
    resolve_target,
)
from tracker.store.migrations import LATEST_VERSION, MIGRATIONS

try:  # POSIX advisory lock: one writing copy of the app per file
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

BACKUP_DIR = "backups"


class StoreError(Exception):
    """A problem opening or using the database, with a message for a person."""


class MedicineNotFoundError(StoreError):
    """The medicine asked for is not (or no longer) in the list."""


class NotADatabaseError(StoreError):
    pass


class CorruptDatabaseError(StoreError):
    pass


class NewerSchemaError(StoreError):
    pass


class DatabaseLockedError(StoreError):
    pass


class ReadOnlyLocationError(StoreError):
    pass


class EpisodeNotFoundError(StoreError):
    pass


def _describe(path: Path) -> str:
    return f"'{path}'"


def open_for_writing(path: Path) -> tuple[sqlite3.Connection, int | None, bool]:
    """The read-write connection and lock of the diary at ``path`` (absolute), created if
    missing, and whether its integrity was checked (quick_check) on the way: it is when the
    app did not close it cleanly last time (see closed_cleanly) or it is upgraded. Raises a
    StoreError subclass with a message naming the file and what to do. A file that is refused
    is left byte-for-byte as it was, and so are its side files."""
    exists = _check_file(path)
    folder = path.parent
    if not folder.is_dir():  # (a file there is refused by _check_file: not a folder)
        try:
            make_private_folder(folder)  # 0700 with its parents, whatever the umask
        except OSError as exc:
            raise ReadOnlyLocationError(
                f"Cannot create the folder '{folder}' for the database "
                f"({describe_os_error(exc)}). Choose another location with --db."
            ) from None
    if not os.access(folder, os.W_OK | os.X_OK) or (exists and not os.access(path, os.W_OK)):
        raise ReadOnlyLocationError(
            f"The database {_describe(path)} is in a read-only location, so nothing could be "
            "saved. Make the file and its folder writable, or copy the file somewhere writable "
            "and open that copy with --db."
        )

    created = False if exists else _create_new(path)
    lock_fd = _acquire_lock(path)
    try:
        # quick_check reads every page (0.33 s at 1M episodes): only when there is a reason to
        # doubt the file; otherwise the app checks it in the background (check_integrity)
        integrity = not created and not closed_cleanly(path)
        with _checking_connection(path, in_place=False) as check:
            version = _read_checks(check, path, integrity=integrity)
            integrity = integrity or 0 < version < LATEST_VERSION
            if 0 < version < LATEST_VERSION:
                backup_before_migration(check, path, version)
        conn = _connect_checked(path, version)
    except BaseException:
        release_lock(lock_fd)
        if created:
            _remove_new(path)
        raise
    forget_clean_close(path)  # open for writing now: a crash from here on leaves no marker
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)
    return conn, lock_fd, integrity or created


def open_for_reading(path: Path, *, integrity: bool = False) -> sqlite3.Connection:
    """A read-only connection to the diary at ``path`` (absolute), which must exist; its
    integrity is checked when asked, when the app has it open, or when it was not closed
    cleanly."""
    if not _check_file(path):
        raise StoreError(f"There is no database at {_describe(path)}. Check the path.")
    in_use = _in_use_by_writer(path)
    integrity = integrity or in_use or not closed_cleanly(path)
    with _checking_connection(path, in_place=in_use) as check:
        version = _read_checks(check, path, integrity=integrity)
    if version < LATEST_VERSION:
        raise StoreError(
            f"The database {_describe(path)} uses an older format. Open it once in "
            "Cramp Tracker (not read-only) to upgrade it, then try again."
        )
    return _connect_reader(path, in_use)


def open_reader_beside(path: Path) -> sqlite3.Connection:
    """One more read-only connection to a diary this process already has open (its Store
    accepted and checked the file), for a worker thread: no checks again, only the connection,
    which sees every save the Store commits. Close it in the thread that used it."""
    return _connect_reader(path, in_use=True)


def _connect_checked(path: Path, version: int) -> sqlite3.Connection:
    """The read-write connection, opened only once the checks accepted the file (at
    ``version``); recovers what a crash left in the -wal or -journal, then upgrades."""
    try:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise StoreError(
            f"Could not open {_describe(path)} for writing: "
            f"{describe_sqlite_error(exc, folder=path.parent)}."
        ) from None
    try:
        conn.execute("PRAGMA busy_timeout=5000")
        if conn.execute("PRAGMA user_version").fetchone()[0] != version:
            raise StoreError(
                f"{_describe(path)} changed while it was being opened; another program may "
                "be writing to it. Close other programs that use it and try again."
            )
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        _migrate(conn, version, path)
    except sqlite3.Error as exc:
        conn.close()
        raise StoreError(
            f"Could not open {_describe(path)} for writing: "
            f"{describe_sqlite_error(exc, folder=path.parent)}."
        ) from None
    except BaseException:
        conn.close()
        raise
    return conn


# SQLite's side files: a -wal or -journal with content holds changes not yet in the file itself
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")
_NAME_MAX = 255  # where the folder cannot be asked (os.pathconf)


def _side(path: Path, suffix: str) -> Path:
    """A side file as SQLite names it: beside the real file when ``path`` is a symlink."""
    real = Path(os.path.realpath(path))
    return real.with_name(real.name + suffix)


def _path_problem(exc: OSError) -> str:
    if exc.errno == errno.ENOTDIR:
        return "a part of the path is a file, not a folder"
    if exc.errno == errno.ELOOP:
        return "the path has a loop of symbolic links"
    return describe_os_error(exc)


def _check_file(path: Path) -> bool:
    """Whether ``path`` exists; raise unless it is a non-empty regular file that starts like
    an SQLite file.

    Looks with stat before opening anything, so a named pipe (which would block an open for
    ever) or a device is refused without being opened. An empty file is refused too: we never
    leave one (see _create_new), so it was made by something else, or by a mistake.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.lexists(path):
            raise NotADatabaseError(
                f"{_describe(path)} is a link to a file that does not exist. Check the path, or "
                "give the path of the .sqlite file itself with --db."
            ) from None
        info = None
    except OSError as exc:
        raise StoreError(
            f"Cannot open the database {_describe(path)}: {_path_problem(exc)}."
        ) from None
    try:
        name_max = os.pathconf(path.parent, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        name_max = _NAME_MAX
    if len(os.fsencode(path.name + "-journal")) > name_max:
        raise StoreError(
            f"Cannot open the database {_describe(path)}: the file name is too long (SQLite needs "
            f"to add '-journal' to it and stay within {name_max} bytes). "
            "Rename the file or choose a shorter name."
        )
    if info is None:
        return False
    if stat.S_ISDIR(info.st_mode):
        raise NotADatabaseError(
            f"{_describe(path)} is a folder, not a Cramp Tracker database. "
            "Give the path of a .sqlite file instead."
        )
    if not stat.S_ISREG(info.st_mode):
        raise NotADatabaseError(
            f"{_describe(path)} is {_kind_of(info.st_mode)}, not a Cramp Tracker database; "
            "nothing was read from it or written to it. Give the path of a .sqlite file with --db."
        )
    if info.st_size == 0:
        raise NotADatabaseError(
            f"{_describe(path)} is empty (0 bytes), so it is not a Cramp Tracker database. "
            "It was left untouched. Delete it, or choose another file with --db."
        )
    _check_header(path)
    return True


def _kind_of(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _open_no_wait(path: Path) -> int:
    """A read-only descriptor; O_NONBLOCK so that a pipe swapped in after stat cannot hang us."""
    return os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))


def _check_header(path: Path) -> None:
    try:
        fd = _open_no_wait(path)
    except PermissionError:
        raise ReadOnlyLocationError(
            f"Cannot read {_describe(path)}: permission denied. Check the file's permissions."
        ) from None
    except OSError as exc:
        raise StoreError(f"Cannot read {_describe(path)}: {_path_problem(exc)}.") from None
    try:
        mode = os.fstat(fd).st_mode
        head = os.read(fd, len(SQLITE_MAGIC)) if stat.S_ISREG(mode) else b""
    except OSError as exc:
        raise StoreError(f"Cannot read {_describe(path)}: {_path_problem(exc)}.") from None
    finally:
        os.close(fd)
    if not stat.S_ISREG(mode):
        raise NotADatabaseError(
            f"{_describe(path)} is {_kind_of(mode)}, not a Cramp Tracker database. "
            "Give the path of a .sqlite file with --db."
        )
    if head != SQLITE_MAGIC:
        raise NotADatabaseError(
            f"{_describe(path)} is not a Cramp Tracker database (it is not an SQLite file). "
            "It was left untouched. Check the path, or open a different file with --db."
        )


def _has_leftovers(path: Path) -> bool:
    """Whether a -wal or -journal beside ``path`` holds something (a crash, or a copy taken
    while the app was saving): SQLite would write it into the file on the next open."""
    for suffix in ("-wal", "-journal"):
        try:
            if os.stat(_side(path, suffix)).st_size > 0:
                return True
        except FileNotFoundError:
            continue
        except OSError:
            return True  # cannot tell: treat it as holding changes
    return False


@contextlib.contextmanager
def _checking_connection(path: Path, *, in_place: bool) -> Iterator[sqlite3.Connection]:
    """A connection for the checks made before a file is accepted; it changes no file.

    Any ordinary SQLite connection, even ``mode=ro``, may write: it rebuilds or updates the
    -shm, creates an empty -wal/-shm for a WAL file, and the last one to close folds the -wal
    into the file and deletes it. So:

    - ``in_place``: a running copy of the app has the file open for writing, so it is ours and
      its side files are live: read it as any reader alongside does (``mode=ro``).
    - nothing holds a -wal or -journal with content: the file alone is the whole database,
      read with ``immutable=1`` (no locks, no side files). Safe because nothing else writes it:
      the caller holds our lock, or found nobody holding it a moment ago.
    - otherwise (left by a crash, or copied while the app was saving): the newest data, e.g. a
      newer ``user_version``, may be in the -wal, and the file cannot be read in place without
      recovering it. The checks read a private copy of the file and its -wal/-journal instead.
    """
    if in_place or not _has_leftovers(path):
        flags = "mode=ro" if in_place else "mode=ro&immutable=1"
        conn = _connect_for_checks(path, f"{path.as_uri()}?{flags}", uri=True)
        try:
            yield conn
        finally:
            conn.close()
        return
    import shutil  # only when a crash left a -wal or -journal: not on every start

    folder = _private_copy(path)
    try:
        conn = _connect_for_checks(path, folder / "check.sqlite")
        try:
            yield conn
        finally:
            conn.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _connect_for_checks(path: Path, target: str | Path, *, uri: bool = False) -> sqlite3.Connection:
    try:
        return sqlite3.connect(target, uri=uri, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        reason = describe_sqlite_error(exc)
        raise StoreError(f"{_describe(path)} cannot be read: {reason}.") from None


def _private_copy(path: Path) -> Path:
    """A folder only we can read, holding a copy of ``path`` with its -wal and -journal (the
    -shm is rebuilt from the -wal). The caller removes the folder."""
    import shutil
    import tempfile

    folder = None
    try:
        folder = Path(tempfile.mkdtemp(prefix="cramp-tracker-check-"))
        copy = folder / "check.sqlite"
        shutil.copyfile(path, copy)
        for suffix in ("-wal", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                shutil.copyfile(_side(path, suffix), _side(copy, suffix))
    except OSError as exc:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        raise StoreError(
            f"Could not check {_describe(path)} before opening it: it has changes from an "
            "unfinished save (in its -wal or -journal file), and a temporary copy to check them "
            f"could not be made in '{tempfile.gettempdir()}' ({describe_os_error(exc)}). "
            "It was left untouched."
        ) from None
    return folder


def _in_use_by_writer(path: Path) -> bool:
    """Whether a running copy of the app has ``path`` open for writing (holds our lock)."""
    if fcntl is None:  # pragma: no cover - cannot tell: read it as a reader alongside would
        return True
    try:
        fd = _open_no_wait(path)
    except OSError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)  # also lets go of the shared lock at once
    return False


def _connect_reader(path: Path, in_use: bool) -> sqlite3.Connection:
    """The connection of a read-only Store, for a file the checks accepted.

    A plain ``mode=ro`` connection, which sees a running app's saves. It needs a -shm (and, for
    a WAL file, a -wal) beside the file and creates them when missing. In a read-only folder it
    cannot: then, when no -wal holds changes and no copy of the app is writing, the file is
    read with ``immutable=1``, which is safe there because no SQLite program can write to a file
    whose folder does not let it create the -wal or -journal a write needs. With a -wal holding
    changes it says so instead of showing data without them.
    """
    try:
        conn = sqlite3.connect(
            f"{path.as_uri()}?mode=ro", uri=True, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as exc:
        problem = exc
    else:
        try:
            conn.execute("PRAGMA busy_timeout=5000")
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # open the -wal now
            return conn
        except sqlite3.Error as exc:
            conn.close()
            problem = exc
    if getattr(problem, "sqlite_errorname", "") == "SQLITE_READONLY_ROLLBACK":
        raise StoreError(
            f"{_describe(path)} has an unfinished change from a crash (in its -journal file), "
            "which a read-only open cannot undo. Open it once in Cramp Tracker (not read-only, "
            "in a writable folder) to recover it, then try again. It was left untouched."
        )
    read_only_folder = not os.access(path.parent, os.W_OK | os.X_OK)
    if read_only_folder and not in_use:
        if not _has_leftovers(path):
            return _connect_for_checks(path, f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
        raise ReadOnlyLocationError(
            f"{_describe(path)} is in a read-only location and has changes not yet written into "
            f"it (in its -wal file). To read them SQLite needs to create a small helper file "
            "(-shm) beside it, and cannot. Copy the file together with its -wal file to a "
            "writable folder and open that copy with --db. It was left untouched."
        )
    if read_only_folder:
        raise ReadOnlyLocationError(
            f"{_describe(path)} is in a read-only location and SQLite cannot create the small "
            "helper files (-wal, -shm) it needs beside it to read it. Copy it somewhere writable "
            "and open that copy with --db."
        )
    reason = describe_sqlite_error(problem, folder=path.parent)
    raise StoreError(f"{_describe(path)} cannot be read: {reason}.")


def describe_sqlite_error(
    exc: sqlite3.Error, default: str | None = None, folder: Path | None = None
) -> str:
    """What an SQLite error means for a person ('the disk is full'), not SQLite's words.

    ``default`` is returned for an error without a plain meaning (None: SQLite's own words).
    With ``folder``, an I/O or open error on a disk with almost no space left is called what it
    almost surely is: SQLite reports a full disk while growing its -shm file as an I/O error.
    """
    code = getattr(exc, "sqlite_errorcode", None)
    primary = None if code is None else code & 0xFF
    if (
        folder is not None
        and primary in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN)
        and disk_nearly_full(folder)
    ):
        primary = sqlite3.SQLITE_FULL
    reasons = {
        sqlite3.SQLITE_FULL: "the disk is full; free some space and try again",
        sqlite3.SQLITE_READONLY: (
            "the file or its folder is read-only; make them writable, or copy the diary to a "
            "writable folder"
        ),
        sqlite3.SQLITE_IOERR: (
            "the disk reported an error while reading or writing; check that the drive is "
            "still connected and working"
        ),
        sqlite3.SQLITE_CANTOPEN: (
            "the file or a helper file beside it could not be opened; check that the folder "
            "still exists and is writable"
        ),
        sqlite3.SQLITE_BUSY: "it is busy in another program; close that program and try again",
        sqlite3.SQLITE_LOCKED: "it is busy in another program; close that program and try again",
        sqlite3.SQLITE_CORRUPT: "the file is damaged",
        sqlite3.SQLITE_NOTADB: "the file is damaged",
        sqlite3.SQLITE_PERM: "permission denied; check the file's permissions",
    }
    if primary in reasons:
        return reasons[primary]
    return str(exc) if default is None else default


def _read_checks(conn: sqlite3.Connection, path: Path, *, integrity: bool = True) -> int:
    """Checks that only read: a readable database of a schema we know, and, with ``integrity``
    (or before an upgrade), intact."""
    with _reading(path):
        version: int = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]
    if integrity or 0 < version < LATEST_VERSION:
        check_integrity(conn, path)
    if version > LATEST_VERSION:
        raise NewerSchemaError(
            f"{_describe(path)} was saved by a newer version of Cramp Tracker (format {version}; "
            f"this version knows up to {LATEST_VERSION}). It was left untouched. "
            "Update Cramp Tracker to open it."
        )
    if version == 0 and tables:
        raise NotADatabaseError(
            f"{_describe(path)} is an SQLite database from another program, not Cramp "
            "Tracker. It was left untouched. Open a different file with --db."
        )
    return version


@contextlib.contextmanager
def _reading(path: Path) -> Iterator[None]:
    """SQLite errors while reading ``path`` as a StoreError saying what is wrong."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        code = getattr(exc, "sqlite_errorcode", None)
        primary = None if code is None else code & 0xFF
        if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            raise DatabaseLockedError(
                f"{_describe(path)} is busy in another program. Close it and try again."
            ) from None
        if primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB, None):
            raise CorruptDatabaseError(
                f"{_describe(path)} is damaged and cannot be read ({exc}). It was left "
                "untouched. Restore it from a backup (the 'backups' folder beside it), or open "
                "another file."
            ) from None
        reason = describe_sqlite_error(exc)
        raise StoreError(
            f"{_describe(path)} cannot be read: {reason}. It was left untouched."
        ) from None


def check_integrity(conn: sqlite3.Connection, path: Path) -> None:
    """Raise CorruptDatabaseError, with the message for the person, unless SQLite's
    ``quick_check`` finds every page of the file at ``path`` (read through ``conn``) intact."""
    with _reading(path):
        problems = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
    if problems != ["ok"]:
        # quick_check may put several lines in one row: keep the message to one short line
        first = " ".join(str(problems[0]).split())
        first = first if len(first) <= 160 else first[:157] + "…"
        raise CorruptDatabaseError(
            f"{_describe(path)} is damaged ({first}). It was left untouched. "
            "Restore it from a backup (the 'backups' folder beside it), or open another file."
        )


# ----------------------------------------------------------------- the clean-close marker
# A small file beside the diary records the file as the app left it when it closed it cleanly
# (its -wal folded in and removed): inode, size and modification time. It is removed when the
# diary is opened for writing, so after a crash there is none. When it is missing, or the file
# is no longer the one it describes (changed by anything else: a copy, a restore, a disk tool),
# the open runs the full quick_check; otherwise the app checks in the background.
CLEAN_MARKER_SUFFIX = ".closed-cleanly"


def clean_marker(path: Path) -> Path:
    real = Path(os.path.realpath(path))
    return real.with_name(f".{real.name}{CLEAN_MARKER_SUFFIX}")


def _fingerprint(info: os.stat_result) -> str:
    return f"{info.st_dev} {info.st_ino} {info.st_size} {info.st_mtime_ns}"


def closed_cleanly(path: Path) -> bool:
    """Whether the app closed ``path`` cleanly last time and nothing has changed it since."""
    try:
        recorded = clean_marker(path).read_text(encoding="ascii").strip()
        current = _fingerprint(os.stat(path))
    except (OSError, ValueError):
        return False
    return recorded == current and not _has_leftovers(path)


def mark_closed_cleanly(path: Path) -> None:
    """Record that the app has just closed ``path`` cleanly (its writing connection closed,
    the lock still held). Never raises: without a marker the next open checks the file."""
    with contextlib.suppress(OSError):
        if _has_leftovers(path):  # another connection kept the -wal: not a clean close
            return
        info = os.stat(path)
        # One nanosecond back: any later write sets the time to now, so even a change within
        # the same clock tick (same size, same coarse timestamp) no longer matches the marker.
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns - 1))
        marker = clean_marker(path)
        tmp = marker.with_name(marker.name + ".tmp")
        tmp.write_text(_fingerprint(os.stat(path)) + "\n", encoding="ascii")
        os.replace(tmp, marker)


def forget_clean_close(path: Path) -> None:
    """Remove the marker: the diary is open for writing (or known to be damaged)."""
    with contextlib.suppress(OSError):
        os.unlink(clean_marker(path))


def _create_new(path: Path) -> bool:
    """Create an empty diary at ``path`` in one step; return whether this call created it.

    It is made beside it under a temporary name and linked into place, so ``path`` is never a
    0-byte or half-made file, even if the app is killed meanwhile. Side files left beside a
    missing diary are refused: SQLite would apply an old -wal to the new file.
    """
    leftovers = [_side(path, s) for s in SIDE_SUFFIXES if os.path.lexists(_side(path, s))]
    if leftovers:
        names = ", ".join(f"'{p.name}'" for p in leftovers)
        raise StoreError(
            f"There is no database at {_describe(path)}, but {names} beside it belong to one "
            "that was moved or deleted (they may hold its last changes). Put the diary back, or "
            "move those files away, then try again."
        )
    import tempfile  # only when a new diary is made

    tmp: Path | None = None
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=".new-diary.", suffix=".part")
        os.close(fd)
        tmp = Path(name)
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")  # writes the first page: a valid file
        finally:
            conn.close()
        fsync_file(tmp)
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False  # another copy created it a moment ago: open that one
        except OSError as exc:  # no hard links here (e.g. FAT): rename, if still missing
            if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOSYS, errno.EXDEV):
                raise
            if os.path.lexists(path):
                return False
            os.rename(tmp, path)
        fsync_folder(path.parent)
        return True
    except (OSError, sqlite3.Error) as exc:
        reason = describe_os_error(exc) if isinstance(exc, OSError) else describe_sqlite_error(exc)
        raise ReadOnlyLocationError(
            f"Cannot create the database {_describe(path)}: {reason}. "
            "Choose another location with --db."
        ) from None
    finally:
        if tmp is not None:
            for leftover in (tmp, *(_side(tmp, s) for s in SIDE_SUFFIXES)):
                with contextlib.suppress(OSError):
                    os.unlink(leftover)


def _remove_new(path: Path) -> None:
    """Remove a diary this call created, when opening it then failed."""
    for name in (path, *(_side(path, s) for s in SIDE_SUFFIXES)):
        with contextlib.suppress(OSError):
            os.unlink(name)


def _migrate(conn: sqlite3.Connection, version: int, path: Path) -> None:
    for number in range(version + 1, LATEST_VERSION + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(MIGRATIONS[number - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            kept = (
                " A safety copy from before the upgrade is in the 'backups' folder beside it."
                if version > 0
                else ""
            )
            raise StoreError(
                f"Could not upgrade {_describe(path)} to format {number}: "
                f"{describe_sqlite_error(exc)}. That step was undone; nothing was lost.{kept}"
            ) from None
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (executescript would commit on its own)."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


def backup_dir(db_path: Path) -> Path:
    return Path(db_path).parent / BACKUP_DIR


def backup_before_migration(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    """Copy the file with SQLite's backup API before its schema is upgraded.

    ``conn`` is the checking connection, so the copy is taken before anything opens the file for
    writing: if it cannot be saved, the file is not upgraded and nothing has changed.
    """
    folder = backup_dir(path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{path.stem}-before-migration-v{version}-{stamp}.sqlite"
    try:
        if folder.exists() and not folder.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "not a folder")
        make_private_folder(folder)
        with atomic_path(target, what="the safety copy") as tmp:
            copy_database(conn, tmp)
    except (OSError, sqlite3.Error) as exc:
        if isinstance(exc, NotADirectoryError):
            reason = f"'{folder}' is a file, not a folder; move it away"
        elif isinstance(exc, OSError) and exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            reason = f"the folder '{folder}' is read-only; make it writable"
        elif isinstance(exc, OSError):
            reason = describe_os_error(exc)
        else:
            reason = describe_sqlite_error(exc)
        raise StoreError(
            f"{_describe(path)} needs upgrading to this version's format, but a safety copy "
            f"could not be saved first ({reason}). It was not upgraded and nothing was changed."
        ) from None
    return target


def _acquire_lock(path: Path) -> int | None:
    if fcntl is None:  # pragma: no cover
        return None
    try:
        fd = os.open(path, os.O_RDWR | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise ReadOnlyLocationError(
            f"Cannot open {_describe(path)} for writing ({describe_os_error(exc)}). "
            "Check the file's permissions or choose another file with --db."
        ) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise DatabaseLockedError(
            f"{_describe(path)} is already open in another copy of Cramp Tracker. "
            "Switch to that window (or close it) and try again."
        ) from None
    return fd


def release_lock(fd: int | None) -> None:
    # SQLite's own POSIX locks are dropped when any descriptor of the file closes, so the
    # lock descriptor is closed only after the connection.
    if fd is not None:
        with contextlib.suppress(OSError):
            os.close(fd)


# ----------------------------------------------------------------- leftovers of killed runs
_LEGACY_RESTORE = re.compile(r"^\.restore-.+\.sqlite(-journal|-wal|-shm)?$")  # before fileio


def clean_leftovers(db_path: str | os.PathLike[str], *, locked: bool = False) -> list[Path]:
    """Remove temporary files killed runs left beside the diary and in its backups folder.

    ``.NAME.xxxx.part`` files (with any SQLite journal beside them) and ``.restore-*`` files
    of older versions. With ``locked`` (the caller holds the diary open for writing, so no
    restore of it can be running) the diary's own restore copies go at once; everything else
    only once it is LEFTOVER_AGE_S old, since another copy of the app may still be writing it.
    Never raises.
    """
    given = Path(db_path).expanduser().absolute()
    real = resolve_target(given)
    age = fileio.LEFTOVER_AGE_S
    removed: list[Path] = []
    if locked:
        removed += fileio.remove_leftovers(real.parent, (f".{real.name}.",))
    for folder in dict.fromkeys((real.parent, given.parent)):
        removed += fileio.remove_leftovers(folder, min_age_s=age)
        removed += _remove_legacy_restore_copies(folder, 0.0 if locked else age)
    for folder in dict.fromkeys((backup_dir(given), backup_dir(real))):
        removed += fileio.remove_leftovers(folder, min_age_s=age)
    return removed


def _remove_legacy_restore_copies(folder: Path, min_age_s: float) -> list[Path]:
    return fileio.remove_matching(folder, _LEGACY_RESTORE.match, min_age_s)
