"""quick_check reads every page (0.33 s at 1M episodes): an open runs it only when there is a
reason to doubt the file; otherwise the app checks it in the background (integrity_problem)."""

import os
import random
import shutil
from pathlib import Path

import pytest

import tracker.store.opening as opening
from tests.factories import make_episode
from tracker.store import CorruptDatabaseError, Store, integrity_problem
from tracker.store.opening import clean_marker, closed_cleanly


@pytest.fixture
def checks(monkeypatch):
    """Counts the full checks the opens run."""
    calls = []
    real = opening.check_integrity

    def counted(conn, path):
        calls.append(path)
        return real(conn, path)

    monkeypatch.setattr(opening, "check_integrity", counted)
    return calls


def make_diary(path: Path, episodes: int = 300) -> None:
    with Store.open(path) as store:
        store.add_episodes([make_episode(notes=f"note {i} " * 20) for i in range(episodes)])


def rot_quietly(path: Path) -> None:
    """Damage a page of the table as a failing disk would: behind the app's back, with the
    file's size and time as the app left them (so the clean-close marker still matches)."""
    info = os.stat(path)
    data = bytearray(path.read_bytes())
    data[2 * 4096 : 3 * 4096] = random.Random(3).randbytes(4096)
    path.write_bytes(bytes(data))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


def test_a_cleanly_closed_diary_opens_without_the_full_check(tmp_path, checks):
    path = tmp_path / "cramps.sqlite"
    make_diary(path)
    assert closed_cleanly(path)
    for readonly in (False, True, False):
        with Store.open(path, readonly=readonly) as store:
            assert store.count_episodes() == 300
            assert not store.checked_on_open or readonly
    assert checks == []


def test_the_marker_is_gone_while_open_for_writing_so_a_crash_leaves_none(tmp_path, checks):
    path = tmp_path / "cramps.sqlite"
    make_diary(path)
    store = Store.open(path)
    try:
        assert not clean_marker(path).exists() and not closed_cleanly(path)
        store.add_episode(make_episode(notes="only in the -wal"))
        crashed = tmp_path / "crashed"
        crashed.mkdir()
        for name in ("cramps.sqlite", "cramps.sqlite-wal"):  # as a crash leaves it
            shutil.copyfile(tmp_path / name, crashed / name)
    finally:
        store.close()
    with Store.open(crashed / "cramps.sqlite") as reopened:
        assert reopened.checked_on_open and reopened.count_episodes() == 301
    assert checks == [crashed / "cramps.sqlite"]


@pytest.mark.parametrize(
    "change",
    [
        lambda p: clean_marker(p).unlink(),  # never closed cleanly
        lambda p: p.write_bytes(p.read_bytes()),  # rewritten by something else, same bytes
        lambda p: shutil.copyfile(p, p.with_name("x")) and os.replace(p.with_name("x"), p),
    ],
    ids=["no marker", "changed since", "replaced"],
)
def test_a_reason_to_doubt_makes_the_open_check(tmp_path, checks, change):
    path = tmp_path / "cramps.sqlite"
    make_diary(path, episodes=3)
    change(path)
    with Store.open(path) as store:
        assert store.checked_on_open
    assert checks == [path]


def test_a_quietly_damaged_diary_is_found_in_the_background_then_refused(tmp_path):
    path = tmp_path / "cramps.sqlite"
    make_diary(path)
    rot_quietly(path)
    assert closed_cleanly(path)
    store = Store.open(path)  # no reason to doubt it: opened without the full check
    try:
        assert not store.checked_on_open
        message = integrity_problem(path)  # what the app's worker runs, beside the writer
        assert message is not None
        assert str(path) in message and "damaged" in message and "backup" in message
        store.mark_damaged()
    finally:
        store.close()
    assert not clean_marker(path).exists()  # so the next open checks it, and refuses it
    before = path.read_bytes()
    with pytest.raises(CorruptDatabaseError, match="damaged"):
        Store.open(path)
    assert path.read_bytes() == before


def test_an_intact_diary_passes_the_background_check(tmp_path):
    path = tmp_path / "cramps.sqlite"
    make_diary(path, episodes=3)
    with Store.open(path):
        assert integrity_problem(path) is None
    assert integrity_problem(path) is None
    assert closed_cleanly(path)
