"""Backups and restore under faults: a full disk, a copy that reads back wrong, a symlinked
diary, clocks that jump, killed runs' leftovers and a lax umask."""

import errno
import os
import sqlite3
import stat
import time
from datetime import date, datetime, timedelta

import pytest

from tests.factories import TZ, make_episode
from tests.faults.test_writing import (
    fill,
    small_disk,  # noqa: F401 (a fixture)
    snapshot,
)
from tracker.cli import main as cli
from tracker.store import Store, backup, backup_dir, fileio
from tracker.store.backup import (
    KEEP_DAILY,
    BackupError,
    backup_now,
    backup_to,
    daily_backup_if_due,
    list_backups,
    restore_database,
    verify_backup,
)
from tracker.store.opening import clean_leftovers, clean_marker


def _fill(store, n, start=datetime(2025, 1, 1, 3, 0, tzinfo=TZ)):
    store.add_episodes(
        make_episode(started_at=start + timedelta(hours=7 * i), notes=f"episode {i}")
        for i in range(n)
    )


def _settle(store):
    """Move the WAL into the file, so the file's bytes are the whole diary."""
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _fail_fsync_of(monkeypatch, prefix: str):
    """fsync fails as on a full disk, but only for files whose name starts with ``prefix``."""
    real_fsync = os.fsync

    def fsync(fd):
        name = os.path.basename(os.readlink(f"/proc/self/fd/{fd}"))
        if name.startswith(prefix):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)


# --------------------------------------------------------------------------- full disk
def test_backup_on_a_full_disk_keeps_the_old_copy(store, tmp_path, monkeypatch):
    _fill(store, 3)
    out = tmp_path / "usb"
    out.mkdir()
    old = backup_to(store, out / "copy.sqlite")
    store.add_episode(make_episode(duration_s=9))
    before = snapshot(out)
    _fail_fsync_of(monkeypatch, ".copy.sqlite.")
    with pytest.raises(BackupError) as caught:
        backup_to(store, old)
    assert "Could not write the backup" in str(caught.value)
    assert "the disk is full" in str(caught.value)
    assert "previous file is unchanged" in str(caught.value)
    assert snapshot(out) == before
    assert verify_backup(old).episodes == 3


def test_cli_backup_on_a_full_disk_exits_non_zero(store, db_path, tmp_path, monkeypatch, capsys):
    _fill(store, 2)
    _settle(store)
    diary_before = snapshot(db_path.parent)
    _fail_fsync_of(monkeypatch, ".cramps-")
    assert cli.run(["backup", "--db", str(db_path)]) == 2
    err = capsys.readouterr().err
    assert "the disk is full" in err and "Backed up" not in err
    after = snapshot(db_path.parent)
    assert after == diary_before  # no copy, no leftover, the diary as it was


def test_a_copy_that_reads_back_wrong_is_not_kept(store, tmp_path, monkeypatch):
    _fill(store, 4)
    out = tmp_path / "usb"
    out.mkdir()
    target = out / "copy.sqlite"
    target.write_bytes(b"the copy of last week")
    real_copy = backup._copy_open_store

    def lossy(store_, tmp, *progress):  # as if the last page never reached the disk
        count = real_copy(store_, tmp, *progress)
        conn = sqlite3.connect(tmp)
        conn.execute("DELETE FROM episode WHERE id = (SELECT MAX(id) FROM episode)")
        conn.commit()
        conn.close()
        return count

    monkeypatch.setattr(backup, "_copy_open_store", lossy)
    before = snapshot(out)
    with pytest.raises(BackupError, match="holds 3 episodes instead of 4"):
        backup_to(store, target)
    assert snapshot(out) == before


def test_backup_on_a_real_full_file_system(store, small_disk):  # noqa: F811
    _fill(store, 200)
    old = backup_to(store, small_disk / "copy.sqlite")
    store.add_episodes(make_episode(duration_s=i + 1, notes="x" * 2000) for i in range(200))
    fill(small_disk, leave=8 * 1024)
    before = snapshot(small_disk)
    with pytest.raises(BackupError, match="the disk is full") as caught:
        backup_to(store, old)
    assert "previous file is unchanged" in str(caught.value)
    assert snapshot(small_disk) == before
    assert verify_backup(old).episodes == 200


def test_restore_on_a_full_disk_leaves_the_diary_as_it_was(store, db_path, tmp_path, monkeypatch):
    _fill(store, 4)
    saved = backup_to(store, tmp_path / "four.sqlite")
    store.add_episode(make_episode(duration_s=7))
    _settle(store)
    before, saved_bytes = db_path.read_bytes(), saved.read_bytes()
    _fail_fsync_of(monkeypatch, f".{db_path.name}.")  # the copy to be swapped in
    with pytest.raises(BackupError) as caught:
        restore_database(store, saved)
    assert "the disk is full" in str(caught.value) and "nothing changed" in str(caught.value)
    assert db_path.read_bytes() == before and saved.read_bytes() == saved_bytes
    assert store.count_episodes() == 5  # still open, still writable, still locked
    store.add_episode(make_episode(duration_s=8))
    with pytest.raises(Exception, match="already open"):
        Store.open(db_path)
    assert not [p for p in db_path.parent.iterdir() if p.name.endswith(".part")]


# --------------------------------------------------------------------------- symlinked diary
@pytest.fixture
def linked_diary(tmp_path):
    real = tmp_path / "cloud" / "cramps.sqlite"
    real.parent.mkdir()
    with Store.open(real) as s:
        _fill(s, 3)
    link = tmp_path / "home" / "cramps.sqlite"
    link.parent.mkdir()
    link.symlink_to(real)
    return link, real


def test_restore_through_a_symlinked_diary_writes_the_real_file(linked_diary, tmp_path):
    link, real = linked_diary
    store = Store.open(link)
    saved = backup_to(store, tmp_path / "three.sqlite")
    store.add_episodes(make_episode(duration_s=i + 1) for i in range(4))
    new_store = restore_database(store, saved)
    try:
        assert link.is_symlink() and os.readlink(link) == str(real)
        with sqlite3.connect(real.as_uri() + "?mode=ro", uri=True) as conn:
            assert conn.execute("SELECT COUNT(*) FROM episode").fetchone()[0] == 3
        assert new_store.count_episodes() == 3
        with pytest.raises(Exception, match="already open"):
            Store.open(real)  # the lock is on the real file
        [safety] = [b for b in list_backups(link) if b.kind == "restore"]
        assert safety.episodes == 7
    finally:
        new_store.close()
    # no temporary file left (only the marker that the diary was closed cleanly)
    left = [p for p in real.parent.iterdir() if p.name.startswith(".")]
    assert left == [clean_marker(real)]


def test_cli_restore_through_a_symlinked_diary(linked_diary, tmp_path, capsys):
    link, real = linked_diary
    with Store.open(real) as s:
        saved = backup_to(s, tmp_path / "three.sqlite")
        s.add_episode(make_episode(duration_s=5))
    assert cli.run(["restore", str(saved), "--db", str(link)]) == 0
    assert "3 episodes (there were 4)" in capsys.readouterr().out
    assert link.is_symlink()
    with Store.open(real, readonly=True) as s:
        assert s.count_episodes() == 3


# --------------------------------------------------------------------------- clocks
def _names(store):
    return [b.path.name for b in list_backups(store.path)]


def test_clock_60_days_back_keeps_the_import_safety_copy(store):
    _fill(store, 1)
    today = datetime(2026, 5, 20, 9, 0)
    for i in range(60):  # two months of daily copies fill every daily and weekly slot
        daily_backup_if_due(store, now=today - timedelta(days=60 - i))
    for i in range(5):
        backup_now(store, "import", today - timedelta(hours=5 - i))
    wrong_clock = today - timedelta(days=60)
    safety = backup_now(store, "import", wrong_clock)  # the importer names it in its message
    assert safety.exists()
    assert _names(store)[0] == safety.name  # listed as the newest: it is
    assert len([b for b in list_backups(store.path) if b.kind == "import"]) == 5
    daily = daily_backup_if_due(store, now=wrong_clock)  # that day's start, clock still wrong
    assert daily is not None and daily.exists()


def test_clock_a_year_ahead_then_back_keeps_the_later_daily_copies(store):
    _fill(store, 1)
    start = datetime(2026, 1, 1, 8, 0)
    for i in range(20):
        daily_backup_if_due(store, now=start + timedelta(days=i))
    for i in range(15):  # the clock ran a year ahead for a while
        daily_backup_if_due(store, now=start + timedelta(days=365 + 20 + i))
    later = []
    for i in range(11):  # then it was put right
        later.append(daily_backup_if_due(store, now=start + timedelta(days=35 + i)))
    assert all(p is not None and p.exists() for p in later), "a later daily copy was deleted"
    daily = [b for b in list_backups(store.path) if b.kind == "daily"]
    assert len(daily) <= KEEP_DAILY + 4
    assert [b.path for b in daily[:11]] == later[::-1]  # newest first, by order of creation
    assert len({b.path for b in daily[:KEEP_DAILY]}) == KEEP_DAILY


def test_copies_made_by_hand_are_never_pruned(store):
    _fill(store, 1)
    start = datetime(2026, 1, 1, 8, 0)
    manual = [backup_now(store, "manual", start + timedelta(minutes=i)) for i in range(3)]
    migration = backup_dir(store.path) / "cramps-before-migration-v1-20251231-120000.sqlite"
    migration.write_bytes(b"kept")
    for i in range(60):
        daily_backup_if_due(store, now=start + timedelta(days=i + 1))
    assert all(p.exists() for p in manual) and migration.exists()
    assert len([b for b in list_backups(store.path) if b.kind == "daily"]) == KEEP_DAILY + 4


def test_older_unnumbered_copies_count_as_older(store):
    _fill(store, 1)
    folder = backup_dir(store.path)
    folder.mkdir(mode=0o700)
    for i in range(16):  # named by an older version, dated in the future by a wrong clock
        backup_to(store, folder / f"cramps-2027-01-{i + 1:02d}-080000-daily.sqlite")
    made = daily_backup_if_due(store, now=datetime(2026, 3, 1, 8, 0))
    assert made.exists() and made.name.endswith("-daily-n1.sqlite")
    # the new copy and the 13 newest old ones (in their own date order) stay, then weeklies
    kept = sorted(p.name for p in folder.iterdir())
    assert made.name in kept and len(kept) == KEEP_DAILY + 1
    assert "cramps-2027-01-03-080000-daily.sqlite" in kept  # the newest of an earlier week
    assert "cramps-2027-01-02-080000-daily.sqlite" not in kept


# --------------------------------------------------------------------------- leftovers, modes
def _age(path, seconds=3600):
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_leftovers_of_killed_runs_are_removed_at_the_next_start(store, db_path):
    _fill(store, 2)
    folder = db_path.parent
    backups = backup_dir(db_path)
    backups.mkdir(mode=0o700)
    killed = [
        folder / ".cramps.sqlite.k1ll3d.part",  # a restore's copy
        folder / ".cramps.sqlite.k1ll3d.part-journal",
        folder / ".restore-abc123.sqlite",  # an older version's restore copy
        folder / ".summary.pdf.x7.part",  # a PDF saved beside the diary
        backups / ".cramps-2026-01-01-080000-daily-n3.sqlite.q9.part",
    ]
    for path in killed:
        path.write_bytes(b"half")
    for path in killed[3:]:
        _age(path)  # another copy of the app could still be writing a young one
    young = folder / ".export.csv.y0ung.part"
    young.write_bytes(b"being written")
    mine = [folder / "notes.part", folder / "keep.sqlite", backups / "README"]
    for path in mine:
        path.write_bytes(b"mine")
    assert daily_backup_if_due(store, date(2026, 3, 1)) is not None  # what every GUI start runs
    assert not any(p.exists() for p in killed)
    assert young.exists() and all(p.exists() for p in mine)


def test_read_only_commands_leave_young_temporary_files(store, db_path, tmp_path, capsys):
    _fill(store, 1)
    restoring = db_path.parent / ".cramps.sqlite.busy.part"  # the app may be restoring now
    restoring.write_bytes(b"busy")
    assert cli.run(["export", "--db", str(db_path), "--out", str(tmp_path / "x.csv")]) == 0
    assert restoring.exists()
    _age(restoring)
    assert clean_leftovers(db_path) == [restoring]


def test_backups_folder_and_copies_are_private_whatever_the_umask(store, db_path):
    _fill(store, 1)
    old = os.umask(0)
    try:
        copy = backup_now(store, "manual")
    finally:
        os.umask(old)
    assert stat.S_IMODE(copy.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600


def test_a_lax_backups_folder_is_made_private(store, db_path):
    _fill(store, 1)
    folder = backup_dir(db_path)
    folder.mkdir()
    os.chmod(folder, 0o777)
    backup_now(store, "manual")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_private_folders_with_their_parents(tmp_path):
    old = os.umask(0)
    try:
        fileio.make_private_folder(tmp_path / "a" / "b" / "c")
    finally:
        os.umask(old)
    for folder in ("a", "a/b", "a/b/c"):
        assert stat.S_IMODE((tmp_path / folder).stat().st_mode) == 0o700, folder
