"""Backup and restore with progress and Cancel: page by page, and a cancel leaves nothing
half-made (no partial copy, the diary and an older file at the target unchanged)."""

import threading
from datetime import datetime, timedelta

import pytest

from tests.factories import TZ, make_episode
from tracker.diary.progress import Cancelled, Progress
from tracker.store import Store, backup_dir, copies
from tracker.store.backup import (
    CHECKING_BACKUP,
    COPYING,
    COPYING_BACKUP,
    PUTTING_IN_PLACE,
    SAVING_CURRENT,
    backup_to,
    finish_restore,
    prepare_restore,
    restore_database,
    verify_backup,
)


def _fill(store, n):
    start = datetime(2025, 1, 1, 3, 0, tzinfo=TZ)
    store.add_episodes(
        make_episode(started_at=start + timedelta(hours=7 * i), notes=f"episode {i} " * 30)
        for i in range(n)
    )


def _recording() -> tuple[Progress, list[tuple[int, int, str]]]:
    seen: list[tuple[int, int, str]] = []
    return Progress(lambda d, t, x: seen.append((d, t, x)), interval=0), seen


def _cancelling_at(text: str, after: int = 1) -> Progress:
    """A progress cancelled once it has heard ``after`` reports of the phase ``text``."""
    heard = []

    def report(done, total, label):
        if label == text:
            heard.append(done)
            if len(heard) >= after:
                progress.cancel()

    progress = Progress(report, interval=0)
    return progress


def _files(folder):
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def small_steps(monkeypatch):
    monkeypatch.setattr(copies, "COPY_PAGES", 2)


def test_backup_reports_each_step_of_pages(store, tmp_path, small_steps):
    _fill(store, 200)
    progress, seen = _recording()
    backup_to(store, tmp_path / "copy.sqlite", progress=progress)
    copying = [(d, t) for d, t, x in seen if x == COPYING and t]
    assert len(copying) > 10
    assert copying[-1][0] == copying[-1][1]  # every page
    assert [d for d, _ in copying] == sorted(d for d, _ in copying)
    assert verify_backup(tmp_path / "copy.sqlite").episodes == 200


def test_cancelled_backup_leaves_no_partial_file_and_keeps_the_old_one(
    store, tmp_path, small_steps
):
    _fill(store, 200)
    out = tmp_path / "usb"
    out.mkdir()
    old = out / "copy.sqlite"
    old.write_bytes(b"last week's copy")
    for target in (old, out / "new.sqlite"):
        with pytest.raises(Cancelled):
            backup_to(store, target, progress=_cancelling_at(COPYING, after=3))
    assert _files(out) == ["copy.sqlite"] and old.read_bytes() == b"last week's copy"


def test_cancelled_check_is_not_reported_as_damage(store, db_path):
    _fill(store, 50)
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        verify_backup(db_path, progress=progress)


@pytest.mark.parametrize("phase", [CHECKING_BACKUP, COPYING_BACKUP, SAVING_CURRENT])
def test_cancelled_restore_leaves_the_diary_as_it_was(store, db_path, tmp_path, small_steps, phase):
    _fill(store, 120)
    saved = backup_to(store, tmp_path / "saved.sqlite")
    store.add_episode(make_episode(duration_s=7))
    before = _files(db_path.parent)
    with pytest.raises(Cancelled):
        restore_database(store, saved, progress=_cancelling_at(phase))
    assert store.is_open and store.count_episodes() == 121
    assert not [n for n in _files(db_path.parent) if n.endswith(".part")]
    assert [n for n in _files(db_path.parent) if n != "backups"] == [
        n for n in before if n != "backups"
    ]
    store.add_episode(make_episode(duration_s=8))  # still writable


def test_restore_prepared_in_a_worker_swaps_in_on_the_owning_thread(store, tmp_path):
    _fill(store, 30)
    saved = backup_to(store, tmp_path / "saved.sqlite")
    store.add_episode(make_episode(duration_s=9))
    progress, seen = _recording()
    result = {}
    worker = threading.Thread(
        target=lambda: result.update(p=prepare_restore(store.path, saved, progress=progress))
    )
    worker.start()
    worker.join(60)
    prepared = result["p"]
    assert store.count_episodes() == 31  # nothing swapped yet, the store untouched
    assert seen[-1][2] == PUTTING_IN_PLACE
    restored = finish_restore(store, prepared)
    try:
        assert restored.count_episodes() == 30
        assert any("restore" in p.name for p in backup_dir(store.path).iterdir())
    finally:
        restored.close()


def test_a_prepared_restore_can_be_dropped(store, db_path, tmp_path):
    _fill(store, 10)
    saved = backup_to(store, tmp_path / "saved.sqlite")
    prepared = prepare_restore(store.path, saved)
    assert [n for n in _files(db_path.parent) if n.endswith(".part")]
    prepared.discard()
    prepared.discard()
    assert not [n for n in _files(db_path.parent) if n.endswith(".part")]
    assert store.count_episodes() == 10
    with Store.open(db_path, readonly=True) as reader:
        assert reader.count_episodes() == 10
