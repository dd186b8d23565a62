"""Files the store must refuse: a clear message naming the file, and the file left untouched."""

import hashlib
import os
import random
import sqlite3
from pathlib import Path

import pytest

from tests.factories import make_episode
from tracker.store import (
    SQLITE_MAGIC,
    CorruptDatabaseError,
    DatabaseLockedError,
    NewerSchemaError,
    NotADatabaseError,
    ReadOnlyLocationError,
    Store,
    StoreError,
)


def snapshot(folder: Path) -> dict[str, str]:
    """Name -> sha256 of every file in the folder: bytes and any new side files both show."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def make_real_db(path: Path, episodes: int = 3) -> None:
    with Store.open(path) as store:
        store.add_episodes(
            [make_episode(notes=f"note {i} " * 20, duration_s=10 + i) for i in range(episodes)]
        )


def text_file(path: Path) -> None:
    path.write_text("date,duration\n2026-01-01,90\n", encoding="utf-8")


def random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(1).randbytes(8192))


def magic_then_garbage(path: Path) -> None:
    path.write_bytes(SQLITE_MAGIC + random.Random(2).randbytes(8192 - len(SQLITE_MAGIC)))


def damaged_page(path: Path) -> None:
    make_real_db(path, episodes=300)
    data = bytearray(path.read_bytes())
    assert len(data) > 5 * 4096
    data[2 * 4096 : 3 * 4096] = random.Random(3).randbytes(4096)  # page 3: part of the table
    path.write_bytes(bytes(data))


def newer_schema(path: Path) -> None:
    make_real_db(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()


def other_app(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE moz_bookmarks (id INTEGER PRIMARY KEY, title TEXT)")
    conn.execute("INSERT INTO moz_bookmarks (title) VALUES ('not ours')")
    conn.commit()
    conn.close()


CASES = [
    ("text file", text_file, NotADatabaseError),
    ("random bytes", random_bytes, NotADatabaseError),
    ("sqlite header, garbage body", magic_then_garbage, CorruptDatabaseError),
    ("damaged page", damaged_page, CorruptDatabaseError),
    ("newer schema", newer_schema, NewerSchemaError),
    ("another app's database", other_app, NotADatabaseError),
]


@pytest.mark.parametrize("readonly", [False, True], ids=["write", "readonly"])
@pytest.mark.parametrize("name, make, error", CASES, ids=[c[0] for c in CASES])
def test_bad_file_refused_and_untouched(tmp_path, name, make, error, readonly):
    path = tmp_path / "bad.sqlite"
    make(path)
    before = snapshot(tmp_path)
    with pytest.raises(error) as info:
        Store.open(path, readonly=readonly)
    message = str(info.value)
    assert str(path) in message
    assert "Traceback" not in message and len(message) > 40
    after = snapshot(tmp_path)
    assert after["bad.sqlite"] == before["bad.sqlite"], f"{name}: file changed"
    # the checks read with immutable=1 (or a private copy): not even an empty -wal/-shm appears
    assert after == before, f"{name}: side files left beside it"
    assert not (tmp_path / "backups").exists()


def test_newer_schema_message_says_update(tmp_path):
    path = tmp_path / "new.sqlite"
    newer_schema(path)
    with pytest.raises(NewerSchemaError, match="newer version"):
        Store.open(path)


def test_folder_refused(tmp_path):
    folder = tmp_path / "a_folder.sqlite"
    folder.mkdir()
    (folder / "inside.txt").write_text("x")
    with pytest.raises(NotADatabaseError) as info:
        Store.open(folder)
    assert str(folder) in str(info.value) and "folder" in str(info.value)
    assert [p.name for p in folder.iterdir()] == ["inside.txt"]


def test_missing_file_readonly_refused(tmp_path):
    path = tmp_path / "missing.sqlite"
    with pytest.raises(StoreError) as info:
        Store.open(path, readonly=True)
    assert str(path) in str(info.value)
    assert not path.exists()


def test_locked_by_another_open_store(tmp_path):
    path = tmp_path / "cramps.sqlite"
    make_real_db(path)
    with Store.open(path) as first:
        first.add_episode(make_episode(notes="by the first copy"))
        db_hash = hashlib.sha256(path.read_bytes()).hexdigest()
        wal_hash = hashlib.sha256(Path(f"{path}-wal").read_bytes()).hexdigest()
        with pytest.raises(DatabaseLockedError) as info:
            Store.open(path)
        assert str(path) in str(info.value) and "another copy" in str(info.value)
        assert hashlib.sha256(path.read_bytes()).hexdigest() == db_hash
        assert hashlib.sha256(Path(f"{path}-wal").read_bytes()).hexdigest() == wal_hash
        # the first copy keeps working: its edits are not lost
        first.add_episode(make_episode(notes="still saving"))
        # reading alongside is allowed and sees the saved edits
        with Store.open(path, readonly=True) as reader:
            assert reader.count_episodes() == 5
    with Store.open(path) as later:  # released on close
        assert later.count_episodes() == 5


def _deny_writes_to(monkeypatch, denied: Path):
    """Simulate a read-only location (chmod does not stop root): os.access says no for it."""
    real_access = os.access

    def fake_access(path, mode, *args, **kwargs):
        if Path(path) == denied and mode & os.W_OK:
            return False
        return real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", fake_access)


@pytest.mark.parametrize("deny", ["folder", "file"])
def test_read_only_location_simulated(tmp_path, monkeypatch, deny):
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "cramps.sqlite"
    make_real_db(path)
    before = snapshot(folder)
    _deny_writes_to(monkeypatch, folder if deny == "folder" else path)
    with pytest.raises(ReadOnlyLocationError) as info:
        Store.open(path)
    assert str(path) in str(info.value) and "read-only" in str(info.value)
    assert snapshot(folder) == before


def test_read_only_new_file_location_simulated(tmp_path, monkeypatch):
    folder = tmp_path / "ro"
    folder.mkdir()
    _deny_writes_to(monkeypatch, folder)
    with pytest.raises(ReadOnlyLocationError) as info:
        Store.open(folder / "cramps.sqlite")
    assert "cramps.sqlite" in str(info.value)
    assert list(folder.iterdir()) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="running as root: chmod does not deny root, see the simulated test above",
)
def test_read_only_folder_real_chmod(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "cramps.sqlite"
    make_real_db(path)
    before = snapshot(folder)
    folder.chmod(0o500)
    try:
        with pytest.raises(ReadOnlyLocationError) as info:
            Store.open(path)
        assert str(path) in str(info.value)
        assert snapshot(folder) == before
    finally:
        folder.chmod(0o700)
