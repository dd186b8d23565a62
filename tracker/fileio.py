"""Writing files so that a fault never leaves a half-written one: the one helper every writer
uses (exports, the doctor summary PDF, backups, restore, saved charts).

The content goes to a temporary file in the target's own folder, is flushed to disk, checked,
given private permissions (whatever the umask), and only then renamed over the target; the
folder is synced so the rename itself survives a power cut. On any failure the temporary file is
removed and the old target is left exactly as it was. A symlinked target is written through:
the link stays and the file it points to is replaced.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

PART_SUFFIX = ".part"
PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


class FileWriteError(OSError):
    """A file could not be written; ``str()`` is a message for a person. The old file, if any,
    is unchanged."""

    def __init__(self, message: str, errno_: int | None = None):
        super().__init__(errno_ or 0, message)
        self.message = message

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


def resolve_target(path: str | os.PathLike) -> Path:
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
    """Create ``folder`` (and parents) as 0700, whatever the umask."""
    if not folder.exists():
        folder.mkdir(parents=True, mode=PRIVATE_FOLDER)
        os.chmod(folder, PRIVATE_FOLDER)


@contextlib.contextmanager
def atomic_path(
    path: str | os.PathLike,
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
        raise FileWriteError(
            f"Could not write {what} '{target}': that is a folder; give a file name."
        )
    folder = target.parent
    if not folder.is_dir():
        raise FileWriteError(
            f"Could not write {what} '{target}': the folder '{folder}' does not exist."
        )
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=PART_SUFFIX)
        os.close(fd)
    except OSError as exc:
        raise FileWriteError(
            f"Could not write {what} '{target}': {describe_os_error(exc)}.", exc.errno
        ) from None
    tmp = Path(tmp_name)
    try:
        yield tmp
        _fsync_file(tmp)
        if verify is not None:
            verify(tmp)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as exc:
        _remove(tmp)
        if isinstance(exc, FileWriteError):
            raise
        raise FileWriteError(
            f"Could not write {what} '{target}': {describe_os_error(exc)}. "
            + ("The previous file is unchanged." if target.exists() else "Nothing was written."),
            exc.errno,
        ) from None
    except BaseException:
        _remove(tmp)
        raise
    fsync_folder(folder)


@contextlib.contextmanager
def atomic_text(path: str | os.PathLike, *, what: str = "the file", **kw) -> Iterator[TextIO]:
    """A UTF-8 text stream whose content replaces ``path`` only if the block ends normally."""
    with atomic_path(path, what=what, **kw) as tmp:
        with open(tmp, "w", encoding="utf-8", newline="") as stream:
            yield stream


def remove_leftovers(folder: Path, prefixes: tuple[str, ...] = (".",)) -> list[Path]:
    """Delete temporary files a killed run left in ``folder`` (``.NAME.xxxx.part`` and the
    given prefixes); only call this for a folder no other running copy writes to."""
    removed = []
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            name = entry.name
            if name.startswith(prefixes) and name.endswith(PART_SUFFIX) and entry.is_file():
                with contextlib.suppress(OSError):
                    entry.unlink()
                    removed.append(entry)
    return removed


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
