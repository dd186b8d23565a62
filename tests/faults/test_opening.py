"""Opening a diary under faults: every refusal says what is wrong and leaves every file involved
(the file, its -wal, -shm and -journal) byte-for-byte as it was.

Leftover side files are made the way they happen: a copy taken while the app had unsaved pages
in its -wal (or a crash), or while another program was in the middle of a rollback-journal
transaction (a "hot" -journal).
"""

import contextlib
import errno
import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import tracker.store.opening as store_module
from tests.factories import make_episode
from tracker.store import (
    CorruptDatabaseError,
    NewerSchemaError,
    NotADatabaseError,
    ReadOnlyLocationError,
    Store,
    StoreError,
    fileio,
)
from tracker.store.backup import backup_to, restore_database
from tracker.store.migrations import LATEST_VERSION
from tracker.store.opening import clean_marker

ROOT = Path(__file__).resolve().parents[2]
V1_FIXTURE = ROOT / "tests" / "fixtures" / "v1.sqlite"
SIDE = ("-wal", "-shm", "-journal")


# --------------------------------------------------------------------------- helpers
def snapshot(folder: Path) -> dict[str, str]:
    """Name -> sha256 of every file in the folder: changed bytes and new side files both show."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def side(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def run_main(*args, timeout=60, env_extra=None):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CRAMP_TRACKER_EXIT_AFTER_SHOW="1")
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "main.py", *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def copy_set(source: Path, target: Path) -> None:
    """Copy a database with whatever side files it has, as a person copying a folder would."""
    shutil.copyfile(source, target)
    for suffix in SIDE:
        if side(source, suffix).exists():
            shutil.copyfile(side(source, suffix), side(target, suffix))


def make_diary(path: Path, episodes: int = 3) -> None:
    with Store.open(path) as store:
        store.add_episodes(
            [make_episode(notes=f"note {i} " * 20, duration_s=10 + i) for i in range(episodes)]
        )


def ours_with_wal(target: Path, *, user_version: int | None = None, damage: bool = False):
    """Our diary copied while the app had a save only in its -wal (as after a crash)."""
    source = target.parent.parent / "source" / target.name
    source.parent.mkdir(exist_ok=True)
    make_diary(source, episodes=300 if damage else 3)
    with Store.open(source) as store:
        store.conn.execute("PRAGMA wal_autocheckpoint=0")
        store.add_episode(make_episode(notes="only in the -wal"))
        if user_version is not None:
            store.conn.execute(f"PRAGMA user_version = {user_version}")
        copy_set(source, target)
    assert side(target, "-wal").stat().st_size > 0
    if damage:
        data = bytearray(target.read_bytes())
        data[2 * 4096 : 3 * 4096] = bytes(4096)  # page 3: part of the episode table
        target.write_bytes(bytes(data))


def newer_with_wal(target: Path) -> None:
    ours_with_wal(target, user_version=99)


def damaged_with_wal(target: Path) -> None:
    ours_with_wal(target, damage=True)


def other_app_with_wal(target: Path) -> None:
    source = target.parent.parent / "source" / target.name
    source.parent.mkdir(exist_ok=True)
    conn = sqlite3.connect(source, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("CREATE TABLE moz_bookmarks (id INTEGER PRIMARY KEY, title TEXT)")
    conn.execute("INSERT INTO moz_bookmarks (title) VALUES ('not ours')")
    copy_set(source, target)
    conn.close()
    assert side(target, "-wal").stat().st_size > 0


def with_hot_journal(target: Path, prepare) -> None:
    """A rollback-journal database copied in the middle of a transaction whose changed pages
    were already written to the file: the -journal is "hot" and must be rolled back."""
    source = target.parent.parent / "source" / target.name
    source.parent.mkdir(exist_ok=True)
    prepare(source)
    conn = sqlite3.connect(source, isolation_level=None)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA cache_size=2")  # spill changed pages into the file before COMMIT
    conn.execute("BEGIN")
    table = conn.execute("SELECT name FROM sqlite_master WHERE type='table' LIMIT 1").fetchone()[0]
    conn.execute(f"CREATE TABLE spill AS SELECT * FROM {table}")
    conn.execute("INSERT INTO spill SELECT * FROM spill")
    conn.execute("PRAGMA user_version = 7")
    copy_set(source, target)
    conn.execute("ROLLBACK")
    conn.close()
    assert side(target, "-journal").stat().st_size > 0
    # really hot: a read-only connection to a throwaway copy cannot read it
    probe = target.parent.parent / "probe" / target.name
    probe.parent.mkdir(exist_ok=True)
    copy_set(target, probe)
    with pytest.raises(sqlite3.OperationalError):
        sqlite3.connect(f"file:{probe}?mode=ro", uri=True).execute("PRAGMA user_version")


def newer_with_hot_journal(target: Path) -> None:
    def prepare(path):
        make_diary(path, episodes=200)
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("PRAGMA user_version = 99")
        conn.commit()
        conn.close()

    with_hot_journal(target, prepare)


def other_app_with_hot_journal(target: Path) -> None:
    def prepare(path):
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
        conn.executemany("INSERT INTO moz_places (url) VALUES (?)", [("x" * 400,)] * 400)
        conn.commit()
        conn.close()

    with_hot_journal(target, prepare)


def ours_with_hot_journal(target: Path) -> None:
    def prepare(path):
        make_diary(path, episodes=200)
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.close()

    with_hot_journal(target, prepare)


@pytest.fixture
def folder(tmp_path) -> Path:
    target = tmp_path / "diary"
    target.mkdir()
    return target


# --------------------------------------------------------------------------- 1. refused files
REFUSED = [
    ("newer, save in -wal", newer_with_wal, NewerSchemaError, "newer version"),
    ("damaged, save in -wal", damaged_with_wal, CorruptDatabaseError, "damaged"),
    ("other app, rows in -wal", other_app_with_wal, NotADatabaseError, "another program"),
    ("newer, hot -journal", newer_with_hot_journal, NewerSchemaError, "newer version"),
    ("other app, hot -journal", other_app_with_hot_journal, NotADatabaseError, "another program"),
]


@pytest.mark.parametrize("readonly", [False, True], ids=["write", "readonly"])
@pytest.mark.parametrize("name, make, error, words", REFUSED, ids=[c[0] for c in REFUSED])
def test_refused_with_leftover_side_files_all_untouched(folder, name, make, error, words, readonly):
    path = folder / "cramps.sqlite"
    make(path)
    before = snapshot(folder)
    with pytest.raises(error) as info:
        Store.open(path, readonly=readonly)
    message = str(info.value)
    assert str(path) in message and words in message and "left untouched" in message
    assert snapshot(folder) == before, f"{name}: a file changed, appeared or went"


@pytest.mark.parametrize(
    "command",
    [
        ["demo", "--append", "--episodes", "3"],
        ["export", "--format", "json"],
        ["backup"],
        ["import", "--dry-run", "IMPORT"],
    ],
    ids=["demo", "export", "backup", "import-dry-run"],
)
def test_command_line_refuses_a_newer_file_with_its_wal_untouched(folder, tmp_path, command):
    path = folder / "cramps.sqlite"
    newer_with_wal(path)
    source = tmp_path / "in.json"
    source.write_text('{"episodes": []}', encoding="utf-8")
    args = [str(source) if a == "IMPORT" else a for a in command]
    before = snapshot(folder)
    result = run_main(*args, "--db", path)
    assert result.returncode != 0
    assert "newer version" in result.stderr and str(path) in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(folder) == before


def test_window_refuses_a_newer_file_with_its_wal_untouched(folder):
    path = folder / "cramps.sqlite"
    newer_with_wal(path)
    before = snapshot(folder)
    result = run_main("--db", path)
    assert result.returncode == 1
    assert "newer version" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(folder) == before


@pytest.mark.parametrize("readonly", [False, True], ids=["write", "readonly"])
def test_refused_through_a_symlink_the_real_files_untouched(folder, tmp_path, readonly):
    """SQLite keeps the -wal beside the real file, not beside the link."""
    path = folder / "cramps.sqlite"
    newer_with_wal(path)
    link = tmp_path / "link.sqlite"
    link.symlink_to(path)
    before = snapshot(folder)
    with pytest.raises(NewerSchemaError):
        Store.open(link, readonly=readonly)
    assert snapshot(folder) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["diary", "link.sqlite", "source"]


def test_our_file_with_a_save_in_its_wal_is_read_with_it(folder):
    path = folder / "cramps.sqlite"
    ours_with_wal(path)
    with Store.open(path, readonly=True) as reader:  # sees the save that is only in the -wal
        assert reader.count_episodes() == 4
    with Store.open(path) as store:  # and the app recovers it into the file
        assert store.count_episodes() == 4
    assert not side(path, "-wal").exists()  # the last connection folded it in


def test_our_file_with_a_hot_journal_read_only_says_to_open_it_in_the_app(folder):
    path = folder / "cramps.sqlite"
    ours_with_hot_journal(path)
    before = snapshot(folder)
    with pytest.raises(StoreError) as info:
        Store.open(path, readonly=True)
    message = str(info.value)
    assert "unfinished change from a crash" in message and "-journal" in message
    assert "damaged" not in message
    assert snapshot(folder) == before
    with Store.open(path) as store:  # opening for writing rolls the unfinished change back
        assert store.count_episodes() == 200
        tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master")}
        assert "spill" not in tables and store.schema_version == LATEST_VERSION
    assert not side(path, "-journal").exists()


def test_a_clean_refused_wal_file_gets_no_side_files(folder):
    """A plain read-only connection would create an empty -wal and -shm beside it."""
    path = folder / "cramps.sqlite"
    make_diary(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    assert not side(path, "-wal").exists()
    before = snapshot(folder)
    for readonly in (False, True):
        with pytest.raises(NewerSchemaError):
            Store.open(path, readonly=readonly)
        assert snapshot(folder) == before


# --------------------------------------------------------------------------- 4. pre-upgrade copy
@pytest.fixture
def v1_diary(folder) -> Path:
    path = folder / "cramps.sqlite"
    shutil.copyfile(V1_FIXTURE, path)
    return path


def test_upgrade_refused_when_backups_cannot_be_a_folder(v1_diary):
    folder = v1_diary.parent
    (folder / "backups").write_text("a file where the backups folder should be")
    before = snapshot(folder)
    with pytest.raises(StoreError) as info:
        Store.open(v1_diary)
    message = str(info.value)
    assert "safety copy" in message and "nothing was changed" in message
    assert "is a file, not a folder" in message and str(v1_diary) in message
    assert snapshot(folder) == before


def test_upgrade_refused_when_the_disk_is_full(v1_diary, monkeypatch):
    folder = v1_diary.parent
    before = snapshot(folder)

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fileio.os, "fsync", full)
    with pytest.raises(StoreError) as info:
        Store.open(v1_diary)
    monkeypatch.undo()
    message = str(info.value)
    assert "safety copy" in message and "the disk is full" in message
    assert "nothing was changed" in message
    assert snapshot(folder) == before
    assert list((folder / "backups").iterdir()) == []  # no half-written copy
    with Store.open(v1_diary) as store:  # with room again, it upgrades
        assert store.schema_version == LATEST_VERSION


def test_upgrade_refused_when_the_backups_folder_is_read_only(v1_diary):
    folder = v1_diary.parent
    (folder / "backups").mkdir()
    before = snapshot(folder)
    with read_only(folder / "backups"):
        with pytest.raises(StoreError) as info:
            Store.open(v1_diary)
    message = str(info.value)
    assert "safety copy" in message and "read-only" in message
    assert "nothing was changed" in message
    assert snapshot(folder) == before and list((folder / "backups").iterdir()) == []


@pytest.mark.parametrize("gui", [False, True], ids=["command-line", "window"])
def test_upgrade_refused_cleanly_in_a_real_process(v1_diary, gui):
    folder = v1_diary.parent
    (folder / "backups").write_text("not a folder")
    before = snapshot(folder)
    args = ["--db", v1_diary] if gui else ["demo", "--append", "--episodes", "2", "--db", v1_diary]
    result = run_main(*args)
    assert result.returncode != 0
    assert "safety copy" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(folder) == before


# --------------------------------------------------------------------------- 5. odd paths
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize(
    "args",
    [["demo", "--episodes", "2"], ["export"], ["backup"], []],
    ids=["demo", "export", "backup", "window"],
)
def test_named_pipe_refused_without_hanging(folder, args):
    fifo = folder / "pipe.sqlite"
    os.mkfifo(fifo)
    result = run_main(*args, "--db", fifo, timeout=30)  # a hang fails here, not the suite
    assert result.returncode != 0
    assert "named pipe" in result.stderr and "Traceback" not in result.stderr
    assert [p.name for p in folder.iterdir()] == ["pipe.sqlite"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


@contextlib.contextmanager
def no_files_left_beside(device: str):
    """Assert no side file appears beside a device, and never leave one there if it does."""
    before = {s: os.path.lexists(device + s) for s in SIDE}
    try:
        yield
        assert {s: os.path.lexists(device + s) for s in SIDE} == before
    finally:
        for suffix, existed in before.items():
            if not existed:
                with contextlib.suppress(OSError):
                    os.unlink(device + suffix)


@pytest.mark.parametrize("device", ["/dev/null", "/dev/zero"])
@pytest.mark.parametrize("readonly", [False, True], ids=["write", "readonly"])
def test_device_refused(device, readonly):
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    with no_files_left_beside(device):
        with pytest.raises(NotADatabaseError, match="is a device"):
            Store.open(device, readonly=readonly)


def test_device_refused_on_the_command_line():
    if not os.path.exists("/dev/null"):
        pytest.skip("no /dev/null")
    with no_files_left_beside("/dev/null"):
        result = run_main("demo", "--episodes", "2", "--db", "/dev/null")
    assert result.returncode != 0
    assert "is a device" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("length", [300, 250], ids=["over-long", "no-room-for-journal"])
@pytest.mark.parametrize("readonly", [False, True], ids=["write", "readonly"])
def test_too_long_name_refused(folder, length, readonly):
    path = folder / ("x" * (length - len(".sqlite")) + ".sqlite")
    with pytest.raises(StoreError, match="too long"):
        Store.open(path, readonly=readonly)
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("gui", [False, True], ids=["command-line", "window"])
def test_too_long_name_refused_in_a_real_process(folder, gui):
    path = folder / ("x" * 300 + ".sqlite")
    args = ["--db", path] if gui else ["demo", "--episodes", "2", "--db", path]
    result = run_main(*args)
    assert result.returncode != 0
    assert "too long" in result.stderr and "Traceback" not in result.stderr


def test_path_through_a_file_refused(folder):
    (folder / "plain.txt").write_text("x")
    with pytest.raises(StoreError, match="not a folder"):
        Store.open(folder / "plain.txt" / "cramps.sqlite")


@pytest.mark.parametrize("readonly", [False, True], ids=["write", "readonly"])
def test_empty_file_refused_and_left_empty(folder, readonly):
    path = folder / "cramps.sqlite"
    path.touch()
    with pytest.raises(NotADatabaseError) as info:
        Store.open(path, readonly=readonly)
    assert "is empty" in str(info.value) and "Delete it" in str(info.value)
    assert [p.name for p in folder.iterdir()] == ["cramps.sqlite"]
    assert path.stat().st_size == 0


def test_a_new_diary_is_never_an_empty_file(folder, monkeypatch):
    """Created whole under a temporary name and linked into place, so a crash cannot leave the
    0-byte file that the next start would refuse."""
    path = folder / "cramps.sqlite"
    seen = []
    real_link = os.link

    def link(src, dst, *a, **k):
        seen.append(os.path.getsize(src))
        return real_link(src, dst, *a, **k)

    monkeypatch.setattr(store_module.os, "link", link)
    with Store.open(path) as store:
        assert store.count_episodes() == 0
    assert seen and seen[0] > 0
    # the diary, and the marker that it was closed cleanly: no temporary file left
    assert sorted(p.name for p in folder.iterdir()) == [
        ".cramps.sqlite.closed-cleanly",
        "cramps.sqlite",
    ]


def test_a_new_diary_that_fails_to_open_is_removed(folder, monkeypatch):
    def broken(*args):
        raise StoreError("simulated failure while upgrading")

    monkeypatch.setattr(store_module, "_migrate", broken)
    with pytest.raises(StoreError, match="simulated"):
        Store.open(folder / "cramps.sqlite")
    assert list(folder.iterdir()) == []


def test_side_files_of_a_missing_diary_are_not_applied_to_a_new_one(folder):
    path = folder / "cramps.sqlite"
    ours_with_wal(path)
    path.unlink()  # the diary was moved away without its -wal
    before = snapshot(folder)
    with pytest.raises(StoreError) as info:
        Store.open(path)
    assert "cramps.sqlite-wal" in str(info.value) and "moved or deleted" in str(info.value)
    assert snapshot(folder) == before


# --------------------------------------------------------------------------- 9. read-only folder
@contextlib.contextmanager
def read_only(folder: Path):
    """A folder nobody can create files in. chmod does not stop root; chattr +i does."""
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    if os.geteuid() != 0:
        folder.chmod(0o500)
        try:
            yield
        finally:
            folder.chmod(0o700)
        return
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(folder)]).returncode != 0:
        pytest.skip("running as root and cannot make a folder immutable (chattr +i)")
    try:
        with pytest.raises(OSError):
            (folder / "probe").touch()
        yield
    finally:
        subprocess.run([chattr, "-i", str(folder)], check=True)


def wal_diary_without_side_files(path: Path) -> None:
    make_diary(path, episodes=5)  # closed: the -wal is folded in and -wal/-shm are removed
    marker = clean_marker(path).name
    assert sorted(p.name for p in path.parent.iterdir()) == [marker, path.name]
    with open(path, "rb") as fh:
        assert fh.read(20)[18:20] == b"\x02\x02"  # still a WAL-mode file


def test_read_only_location_is_read_not_called_damaged(folder, tmp_path):
    path = folder / "cramps.sqlite"
    wal_diary_without_side_files(path)
    before = snapshot(folder)
    out = tmp_path / "out"
    out.mkdir()
    with read_only(folder):
        with Store.open(path, readonly=True) as reader:
            assert reader.count_episodes() == 5
        exported = run_main("export", "--db", path, "--out", out / "e.csv")
        backed_up = run_main("backup", "--db", path, "--out", out / "b.sqlite")
        reported = run_main("report", "--db", path, "--out", out / "r.pdf", timeout=120)
        with pytest.raises(ReadOnlyLocationError, match="read-only location"):
            Store.open(path)  # writing there is impossible, and it says so
        assert snapshot(folder) == before
    for result in (exported, backed_up, reported):
        assert result.returncode == 0, result.stderr
        assert "damaged" not in result.stderr and "Traceback" not in result.stderr
    assert (out / "e.csv").read_text().count("\n") == 6
    assert (out / "r.pdf").read_bytes().startswith(b"%PDF")
    with Store.open(out / "b.sqlite", readonly=True) as copy:
        assert copy.count_episodes() == 5


def test_read_only_location_with_a_save_in_the_wal_says_what_to_do(folder):
    path = folder / "cramps.sqlite"
    ours_with_wal(path)
    side(path, "-shm").unlink()  # copied without it: SQLite must rebuild it to read the -wal
    before = snapshot(folder)
    with read_only(folder):
        with pytest.raises(ReadOnlyLocationError) as info:
            Store.open(path, readonly=True)
        result = run_main("export", "--db", path)
        assert snapshot(folder) == before
    message = str(info.value)
    assert "read-only location" in message and "-wal" in message and "copy" in message.lower()
    assert "damaged" not in message
    assert result.returncode != 0 and "read-only location" in result.stderr
    assert "damaged" not in result.stderr


# --------------------------------------------------------------------------- 11. WAL + FULL
def durability(conn: sqlite3.Connection) -> tuple[str, int]:
    return (
        conn.execute("PRAGMA journal_mode").fetchone()[0],
        conn.execute("PRAGMA synchronous").fetchone()[0],
    )


WAL_FULL = ("wal", 2)  # synchronous 2 = FULL: a commit survives a power cut


def test_every_writing_connection_is_wal_with_full_sync(folder, tmp_path, monkeypatch):
    with Store.open(folder / "new.sqlite") as store:
        assert durability(store.conn) == WAL_FULL
        store.add_episode(make_episode())
        backup = backup_to(store, tmp_path / "copy.sqlite")
    shutil.copyfile(V1_FIXTURE, folder / "old.sqlite")
    with Store.open(folder / "old.sqlite") as migrated:
        assert durability(migrated.conn) == WAL_FULL
    restored = restore_database(Store.open(folder / "new.sqlite"), backup)
    try:
        assert durability(restored.conn) == WAL_FULL
        restored.close()
        restored.reopen()  # as after a failed swap
        assert durability(restored.conn) == WAL_FULL
    finally:
        restored.close()

    # the stores the command-line commands write through
    seen = []
    real_close = Store.close

    def recording_close(self):
        if self.conn is not None and not self.readonly:
            seen.append(durability(self.conn))
        real_close(self)

    monkeypatch.setattr(Store, "close", recording_close)
    from tracker.cli import main as cli

    assert cli.run(["demo", "--db", str(folder / "cli.sqlite"), "--episodes", "3"]) == 0
    assert cli.run(["restore", str(backup), "--db", str(folder / "cli.sqlite")]) == 0
    assert len(seen) >= 2 and set(seen) == {WAL_FULL}


# --------------------------------------------------------------------------- save messages
def test_a_save_on_a_full_disk_says_the_disk_is_full(folder):
    with Store.open(folder / "cramps.sqlite") as store:
        store.add_episode(make_episode())
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(StoreError) as info:
            store.add_episode(make_episode(notes="x" * 20_000))
        assert "the disk is full" in str(info.value) and "damaged" not in str(info.value)
        assert "Nothing was changed" in str(info.value)
        assert store.count_episodes() == 1


def test_a_save_to_a_read_only_file_says_read_only(folder):
    with Store.open(folder / "cramps.sqlite") as store:
        store.conn.execute("PRAGMA query_only = 1")
        with pytest.raises(StoreError) as info:
            store.add_episode(make_episode())
        assert "read-only" in str(info.value) and "damaged" not in str(info.value)


def test_an_io_error_on_a_full_disk_is_called_a_full_disk(tmp_path, monkeypatch):
    """SQLite reports a full disk while growing its -shm as an I/O error; say what it is."""
    import sqlite3

    import tracker.store.opening as store_module

    error = sqlite3.OperationalError("disk I/O error")
    error.sqlite_errorcode = sqlite3.SQLITE_IOERR_SHMSIZE
    monkeypatch.setattr(store_module, "disk_nearly_full", lambda folder: True)
    assert "disk is full" in store_module.describe_sqlite_error(error, folder=tmp_path)
    monkeypatch.setattr(store_module, "disk_nearly_full", lambda folder: False)
    assert "drive is still connected" in store_module.describe_sqlite_error(error, folder=tmp_path)
    assert "drive is still connected" in store_module.describe_sqlite_error(error)
