"""Backups, rotation by simulated dates, verification and restore."""

import os
import sqlite3
from datetime import date, datetime, timedelta

import pytest

from tests.factories import TZ, make_episode
from tracker.cli import main as cli
from tracker.store import Store, backup, backup_dir
from tracker.store.backup import (
    BackupError,
    backup_now,
    backup_to,
    daily_backup_if_due,
    list_backups,
    restore_database,
    rotate,
    verify_backup,
)
from tracker.store.migrations import MIGRATIONS


def _fill(store, n, start=datetime(2025, 1, 1, 3, 0, tzinfo=TZ)):
    store.add_episodes(
        make_episode(started_at=start + timedelta(hours=7 * i), notes=f"episode {i} " * 20)
        for i in range(n)
    )


def test_backup_now_is_a_consistent_private_single_file(store):
    _fill(store, 3)
    path = backup_now(store, "manual")
    assert path.parent == backup_dir(store.path)
    assert oct(path.stat().st_mode & 0o777) == oct(0o600)
    assert not os.path.exists(f"{path}-wal")
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("SELECT COUNT(*) FROM episode").fetchone()[0] == 3
    conn.close()
    [info] = list_backups(store.path)
    assert info.episodes == 3 and info.kind == "manual" and info.problem is None


def test_backup_to_refuses_itself_and_missing_folders(store, tmp_path):
    with pytest.raises(BackupError, match="cannot overwrite"):
        backup_to(store, store.path)
    with pytest.raises(BackupError, match="does not exist"):
        backup_to(store, tmp_path / "nope" / "x.sqlite")
    target = tmp_path / "copy.sqlite"
    target.write_bytes(b"old")
    backup_to(store, target)
    assert verify_backup(target).episodes == 0


def test_daily_backup_once_per_day_and_not_for_empty_diary(store):
    assert daily_backup_if_due(store, date(2026, 3, 1)) is None  # nothing to lose yet
    _fill(store, 1)
    first = daily_backup_if_due(store, date(2026, 3, 1))
    assert first is not None and "2026-03-01" in first.name
    assert daily_backup_if_due(store, date(2026, 3, 1)) is None
    assert daily_backup_if_due(store, date(2026, 3, 2)) is not None
    assert len(list_backups(store.path)) == 2


def test_rotation_keeps_14_daily_and_4_weekly(store):
    _fill(store, 1)
    day = date(2026, 1, 1)
    while day <= date(2026, 3, 1):  # 60 days, one start a day
        daily_backup_if_due(store, day)
        day += timedelta(days=1)
    kept = sorted(b.taken_at.date() for b in list_backups(store.path))
    last_14 = [date(2026, 2, 16) + timedelta(days=i) for i in range(14)]
    weekly = [date(2026, 1, 25), date(2026, 2, 1), date(2026, 2, 8), date(2026, 2, 15)]
    assert kept == weekly + last_14


def test_rotation_keeps_the_last_safety_copies_of_a_busy_day(store):
    _fill(store, 1)
    morning = datetime(2026, 5, 5, 8, 0)
    backup_now(store, "manual", morning)
    for i in range(8):
        backup_now(store, "import", morning + timedelta(minutes=i + 1))
    kinds = [(b.kind, b.taken_at.minute) for b in list_backups(store.path)]
    # the copy made by hand is never pruned; of the safety copies the newest five stay
    assert kinds == [("import", m) for m in (8, 7, 6, 5, 4)] + [("manual", 0)]


def test_rotation_leaves_other_files_alone(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / "cramps-before-migration-v1-20200101-000000.sqlite").write_bytes(b"x")
    assert rotate(tmp_path, "cramps") == []
    assert len(list(tmp_path.iterdir())) == 2


def _corrupt_copy(store, tmp_path):
    _fill(store, 300)
    path = backup_to(store, tmp_path / "corrupt.sqlite")
    data = bytearray(path.read_bytes())
    assert len(data) > 5 * 4096
    data[4096 * 3 : 4096 * 3 + 200] = b"\xa5" * 200
    path.write_bytes(bytes(data))
    return path


def _newer_copy(store, tmp_path):
    path = backup_to(store, tmp_path / "newer.sqlite")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    return path


def _foreign_db(store, tmp_path):
    path = tmp_path / "foreign.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE x (y)")
    conn.close()
    return path


def _text_file(store, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("id,started_at\n")
    return path


@pytest.mark.parametrize(
    "make, message",
    [
        (_corrupt_copy, "damaged"),
        (_newer_copy, "newer Cramp Tracker"),
        (_foreign_db, "not a Cramp Tracker database"),
        (_text_file, "not an SQLite file"),
    ],
)
def test_restore_refuses_bad_files_and_leaves_database_untouched(store, tmp_path, make, message):
    bad = make(store, tmp_path)
    _fill(store, 2, start=datetime(2026, 1, 1, tzinfo=TZ))
    count = store.count_episodes()
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = store.path.read_bytes()
    with pytest.raises(BackupError, match=message):
        restore_database(store, bad)
    assert store.path.read_bytes() == before
    assert store.count_episodes() == count  # still open and usable
    store.add_episode(make_episode(duration_s=5))
    assert list_backups(store.path) == []  # refused before anything was written
    assert not [p for p in store.path.parent.iterdir() if p.name.startswith(".restore-")]


def test_restore_swaps_in_the_backup_after_backing_up_current(store, tmp_path):
    _fill(store, 4)
    saved = backup_to(store, tmp_path / "four.sqlite")
    store.add_episode(make_episode(duration_s=7, notes="added after the backup"))
    new_store = restore_database(store, saved)
    try:
        assert store.conn is None  # the old handle was closed
        assert new_store.count_episodes() == 4
        [safety] = list_backups(new_store.path)
        assert safety.kind == "restore" and safety.episodes == 5
        new_store.add_episode(make_episode(duration_s=9))  # writable, holds the lock
        with pytest.raises(Exception, match="already open"):
            Store.open(new_store.path)
    finally:
        new_store.close()


def test_restore_of_an_older_schema_migrates_it(store, tmp_path):
    old = tmp_path / "v1.sqlite"
    conn = sqlite3.connect(old)
    conn.executescript(MIGRATIONS[0])
    conn.execute(
        "INSERT INTO episode (started_at, start_utc, duration_s, side, site, severity, activity,"
        " hydration, footwear, created_at, updated_at) VALUES ('2024-01-01T03:00:00+01:00',"
        " 1704074400, 60, 'left', 'calf', 5, 'in_bed', 'normal', 'barefoot', 'x', 'x')"
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    new_store = restore_database(store, old)
    try:
        assert new_store.schema_version == len(MIGRATIONS)
        assert new_store.count_episodes() == 1
    finally:
        new_store.close()


def test_failed_swap_reopens_the_original(store, tmp_path, monkeypatch):
    _fill(store, 2)
    saved = backup_to(store, tmp_path / "two.sqlite")
    store.add_episode(make_episode(duration_s=3))

    real_replace = os.replace

    def refuse(src, dst):
        if str(dst) == str(store.path):
            raise OSError(13, "Permission denied")
        real_replace(src, dst)

    monkeypatch.setattr(backup.os, "replace", refuse)
    with pytest.raises(BackupError, match="nothing changed"):
        restore_database(store, saved)
    assert store.count_episodes() == 3
    store.add_episode(make_episode(duration_s=4))


def test_cli_backup_while_app_has_the_file_open(store, db_path, tmp_path, capsys):
    _fill(store, 2)
    assert cli.run(["backup", "--db", str(db_path)]) == 0
    assert "Backed up 2 episodes" in capsys.readouterr().out
    out = tmp_path / "elsewhere.sqlite"
    assert cli.run(["backup", "--db", str(db_path), "--out", str(out)]) == 0
    assert verify_backup(out).episodes == 2


def test_cli_restore(db_path, tmp_path, capsys):
    with Store.open(db_path) as s:
        _fill(s, 3)
        good = backup_to(s, tmp_path / "good.sqlite")
        corrupt = _corrupt_copy(s, tmp_path)
    before = db_path.read_bytes()
    assert cli.run(["restore", str(corrupt), "--db", str(db_path)]) == 2
    err = capsys.readouterr().err
    assert "damaged" in err and "Traceback" not in err
    assert db_path.read_bytes() == before
    assert cli.run(["restore", str(good), "--db", str(db_path)]) == 0
    assert "3 episodes (there were 303)" in capsys.readouterr().out
    with Store.open(db_path) as s:
        assert s.count_episodes() == 3
