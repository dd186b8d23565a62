"""Writing files so that a fault never leaves a half-written one: the one helper every writer
uses (exports, the doctor summary PDF, backups, restore, saved charts).

The content goes to a temporary file in the target's own folder, is flushed to disk, checked,
given private permissions (whatever the umask), and only then renamed over the target; the
folder is synced so the rename itself survives a power cut. On any failure the temporary file is
removed and the old target is left exactly as it was. A symlinked target is written through:
the link stays and the file it points to is replaced. Temporary files of the same target that a
killed run left behind (older than LEFTOVER_AGE_S) are removed before a new one is made.

QPdfWriter and the like report no write errors: give them a ``verify`` that reads the file back
(see ui.report.document.check_pdf, tracker.store.backup.check_copy).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

PART_SUFFIX = ".part"
# SQLite keeps a journal beside a database it writes: a killed copy can leave these too
PART_SUFFIXES = (PART_SUFFIX, *(PART_SUFFIX + s for s in ("-journal", "-wal", "-shm")))
PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700
# A temporary file younger than this may belong to a copy of the app still writing it
LEFTOVER_AGE_S = 600.0
NEARLY_FULL_BYTES = 1 << 20


class FileWriteError(OSError):
    """A file could not be written; ``str()`` is a message for a person. The old file, if any,
    is unchanged."""

    def __init__(self, message: str, errno_: int | None = None, reason: str | None = None):
        super().__init__(errno_ or 0, message)
        self.message = message
        self.reason = reason or message  # the cause alone ("the disk is full; ..."), no path

    def __str__(self) -> str:
        return self.message


def describe_os_error(exc: OSError) -> str:
    """What an OSError means for a person ('the disk is full'), not the C library's words."""
    code = getattr(exc, "errno", None)
    if code in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full; free some space and try again"
    if code == errno.EROFS:
        return "the location is read-only; choose a writable folder"
    if code in (errno.EACCES, errno.EPERM):
        return "permission denied; choose a folder you can write to"
    if code == errno.ENAMETOOLONG:
        return "the file name is too long; choose a shorter one"
    if code == errno.ENOENT:
        return "the folder does not exist; choose an existing folder"
    if code == errno.EISDIR:
        return "that is a folder; give a file name"
    return exc.strerror or str(exc)


def resolve_target(path: str | os.PathLike[str]) -> Path:
    """The real file to write: ``~`` expanded and symlinks followed (the link is kept)."""
    return Path(os.path.realpath(Path(path).expanduser()))


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX); harmless where folders cannot be opened."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def make_private_folder(folder: Path) -> None:
    """Create ``folder`` and any missing parents as 0700, whatever the umask (``mkdir -p``
    would give the parents the umask's mode: 0777 under umask 000)."""
    folder = Path(folder)
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for each in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process made it meanwhile
            each.mkdir(mode=PRIVATE_FOLDER)
            os.chmod(each, PRIVATE_FOLDER)


def disk_nearly_full(folder: Path, margin: int = NEARLY_FULL_BYTES) -> bool:
    """Whether the file system holding ``folder`` has less than ``margin`` bytes left: the
    likely cause when a writer that reports no errors (QPdfWriter) produced a short file."""
    try:
        stats = os.statvfs(folder)
    except (OSError, AttributeError):
        return False
    return stats.f_bavail * stats.f_frsize < margin


@contextlib.contextmanager
def atomic_path(
    path: str | os.PathLike[str],
    *,
    verify: Callable[[Path], None] | None = None,
    mode: int = PRIVATE_FILE,
    what: str = "the file",
) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; when the block ends normally, the file written
    there is synced, passed to ``verify`` (which raises to refuse it), chmod-ed to ``mode`` and
    renamed over ``path``. Raises FileWriteError with a message naming the file and the cause.
    """
    target = resolve_target(path)
    if target.is_dir():
        reason = "that is a folder; give a file name"
        raise FileWriteError(f"Could not write {what} '{target}': {reason}.", errno.EISDIR, reason)
    folder = target.parent
    if not folder.is_dir():
        reason = f"the folder '{folder}' does not exist"
        raise FileWriteError(f"Could not write {what} '{target}': {reason}.", errno.ENOENT, reason)
    remove_leftovers(folder, (f".{target.name}.",), min_age_s=LEFTOVER_AGE_S)
    import tempfile  # not at import time: the store imports this module at start-up

    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=PART_SUFFIX)
        os.close(fd)
    except OSError as exc:
        reason = describe_os_error(exc)
        raise FileWriteError(
            f"Could not write {what} '{target}': {reason}.", exc.errno, reason
        ) from None
    tmp = Path(tmp_name)
    try:
        yield tmp
        fsync_file(tmp)
        if verify is not None:
            verify(tmp)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as exc:
        _remove(tmp)
        if isinstance(exc, FileWriteError):
            raise
        reason = describe_os_error(exc)
        raise FileWriteError(
            f"Could not write {what} '{target}': {reason}. "
            + ("The previous file is unchanged." if target.exists() else "Nothing was written."),
            exc.errno,
            reason,
        ) from None
    except BaseException:
        _remove(tmp)
        raise
    fsync_folder(folder)


@contextlib.contextmanager
def atomic_text(
    path: str | os.PathLike[str], *, what: str = "the file", **kw: Any
) -> Iterator[TextIO]:
    """A UTF-8 text stream whose content replaces ``path`` only if the block ends normally."""
    with atomic_path(path, what=what, **kw) as tmp:
        with open(tmp, "w", encoding="utf-8", newline="") as stream:
            yield stream


def remove_leftovers(
    folder: Path, prefixes: tuple[str, ...] = (".",), *, min_age_s: float = 0.0
) -> list[Path]:
    """Delete temporary files a killed run left in ``folder`` (``.NAME.xxxx.part``, and the
    journal SQLite may have left beside one) whose names start with one of ``prefixes``.

    Without ``min_age_s``, only call this for a folder no other running copy writes to; with
    it, files changed more recently than that are left alone (they may still be written).
    """
    return remove_matching(
        folder, lambda name: name.startswith(prefixes) and name.endswith(PART_SUFFIXES), min_age_s
    )


def remove_matching(
    folder: Path, matches: Callable[[str], object], min_age_s: float = 0.0
) -> list[Path]:
    """Delete the regular files in ``folder`` whose name ``matches``, except those changed
    less than ``min_age_s`` seconds ago; never raises. Returns what was removed."""
    removed = []
    now = time.time()
    with contextlib.suppress(OSError):
        for entry in Path(folder).iterdir():
            if not matches(entry.name):
                continue
            with contextlib.suppress(OSError):
                info = entry.lstat()
                young = min_age_s and now - info.st_mtime < min_age_s
                if young or not stat.S_ISREG(info.st_mode):
                    continue
                entry.unlink()
                removed.append(entry)
    return removed


def fsync_file(path: Path) -> None:
    """Flush a written file to the disk (before it is renamed or linked into place)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    """The temporary file and any journal SQLite left beside it."""
    for name in (str(path), *(f"{path}{s}" for s in ("-journal", "-wal", "-shm"))):
        with contextlib.suppress(OSError):
            os.unlink(name)
