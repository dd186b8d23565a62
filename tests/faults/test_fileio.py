"""The one atomic-write helper: a fault leaves the old file as it was and says what happened."""

import errno
import os
import stat
import tempfile

import pytest

from tracker.store import fileio
from tracker.store.fileio import FileWriteError, atomic_path, atomic_text


def test_success_replaces_the_file_private_whatever_the_umask(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    old_umask = os.umask(0)
    try:
        with atomic_text(target) as stream:
            stream.write("new")
    finally:
        os.umask(old_umask)
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_disk_full_keeps_the_old_file_and_says_so(tmp_path, monkeypatch):
    target = tmp_path / "out.csv"
    target.write_text("old")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fileio.os, "fsync", full)
    with pytest.raises(FileWriteError) as caught:
        with atomic_text(target, what="the export") as stream:
            stream.write("new")
    assert "the disk is full" in str(caught.value)
    assert "previous file is unchanged" in str(caught.value)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_a_failed_check_keeps_the_old_file(tmp_path):
    target = tmp_path / "summary.pdf"
    target.write_bytes(b"%PDF-old")

    def refuse(path):
        raise FileWriteError("the PDF could not be read back")

    with pytest.raises(FileWriteError, match="read back"):
        with atomic_path(target, verify=refuse) as tmp:
            tmp.write_bytes(b"%PDF-trunc")
    assert target.read_bytes() == b"%PDF-old"
    assert len(list(tmp_path.iterdir())) == 1


def test_a_symlinked_target_is_written_through_and_the_link_kept(tmp_path):
    real = tmp_path / "real" / "data.json"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    with atomic_text(link) as stream:
        stream.write("new")
    assert link.is_symlink() and real.read_text() == "new"


def test_read_only_folder_message(tmp_path, monkeypatch):
    def read_only(*a, **k):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    with pytest.raises(FileWriteError, match="read-only"):
        with atomic_text(tmp_path / "x.csv"):
            pass


def test_leftovers_of_killed_runs_are_removed(tmp_path):
    (tmp_path / ".out.csv.abc123.part").write_text("half")
    (tmp_path / "keep.part.txt").write_text("mine")
    (tmp_path / "cramps.sqlite").write_text("db")
    removed = fileio.remove_leftovers(tmp_path)
    assert [p.name for p in removed] == [".out.csv.abc123.part"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cramps.sqlite", "keep.part.txt"]


def test_private_folder_under_umask_zero(tmp_path):
    old_umask = os.umask(0)
    try:
        fileio.make_private_folder(tmp_path / "a" / "b")
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE((tmp_path / "a" / "b").stat().st_mode) == 0o700
