"""A real version-1 file upgrades to the latest schema with nothing lost and a backup first."""

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

import tracker.store.opening as store_module
from tests.fixtures.make_v1 import EPISODES
from tracker.store import Store, backup_dir
from tracker.store.migrations import LATEST_VERSION, MIGRATIONS

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "v1.sqlite"
COLUMNS = (
    "id, started_at, duration_s, side, site, severity, activity, hydration, fluid_ml, footwear, "
    "footwear_tight, relief, relief_effect, context, warning_signs, notes, created_at, updated_at"
)


def _read_only(path) -> sqlite3.Connection:
    # immutable for the committed fixture: a plain read-only open of a WAL file would leave
    # -shm/-wal files beside it in the source tree
    flags = "mode=ro&immutable=1" if Path(path) == FIXTURE else "mode=ro"
    return sqlite3.connect(f"file:{path}?{flags}", uri=True)


def raw_rows(path) -> list[tuple]:
    conn = _read_only(path)
    try:
        return conn.execute(f"SELECT {COLUMNS} FROM episode ORDER BY id").fetchall()
    finally:
        conn.close()


def version_of(path) -> int:
    conn = _read_only(path)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def v1_copy(tmp_path):
    target = tmp_path / "old" / "cramps.sqlite"
    target.parent.mkdir()
    shutil.copyfile(FIXTURE, target)
    return target


def test_fixture_is_version_1_with_episodes():
    assert version_of(FIXTURE) == 1
    assert raw_rows(FIXTURE) == [tuple(row) for row in EPISODES]


def test_v1_upgrades_to_latest_with_every_episode_intact(v1_copy):
    before = raw_rows(v1_copy)
    with Store.open(v1_copy) as store:
        assert store.schema_version == LATEST_VERSION
        assert store.count_episodes() == len(EPISODES)
        loaded = {e.id: e for e in store.iter_episodes()}
        assert loaded[3].site == ("calf",) and loaded[3].warning_signs == (
            "hard_to_walk",
            "swelling",
        )
        assert loaded[3].notes.startswith("Long one after the 10 km run 🏃")
        assert loaded[2].relief == () and loaded[2].fluid_ml == 500
        assert loaded[4].started_at.isoformat() == "2025-10-26T02:30:00+01:00"
        assert len(loaded[4].notes) == 20_000
        assert loaded[1].created_at == "2025-03-30T00:50:00+00:00"
        # the upgraded file is fully usable
        store.set_setting("after_upgrade", "yes")
        store.update_episode(loaded[2].replace(severity=5))
    assert raw_rows(v1_copy)[0] == before[0]
    assert raw_rows(v1_copy)[2:] == before[2:]
    with Store.open(v1_copy) as again:  # second open: nothing more to migrate, no new backup
        assert again.get_setting("after_upgrade") == "yes"
    assert len(list(backup_dir(v1_copy).iterdir())) == 1


def test_backup_written_before_migration(v1_copy):
    fixture_hash = hashlib.sha256(FIXTURE.read_bytes()).hexdigest()
    with Store.open(v1_copy):
        pass
    backups = list(backup_dir(v1_copy).glob("*.sqlite"))
    assert len(backups) == 1
    backup = backups[0]
    assert "v1" in backup.name
    assert version_of(backup) == 1  # taken before the upgrade, not after
    assert raw_rows(backup) == raw_rows(FIXTURE)
    assert oct(backup.stat().st_mode & 0o777) == oct(0o600)
    conn = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert hashlib.sha256(FIXTURE.read_bytes()).hexdigest() == fixture_hash


def test_failed_migration_rolls_back_and_keeps_data(v1_copy, monkeypatch):
    broken = [*MIGRATIONS, "CREATE TABLE later_step (x INTEGER);\nTHIS IS NOT SQL;"]
    monkeypatch.setattr(store_module, "MIGRATIONS", broken)
    monkeypatch.setattr(store_module, "LATEST_VERSION", len(broken))
    with pytest.raises(Exception):  # noqa: B017 - any failure, as long as nothing is half-done
        Store.open(v1_copy)
    assert version_of(v1_copy) == LATEST_VERSION  # good steps kept, the broken one rolled back
    conn = sqlite3.connect(f"file:{v1_copy}?mode=ro", uri=True)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    conn.close()
    assert "later_step" not in tables
    assert raw_rows(v1_copy) == raw_rows(FIXTURE)
    monkeypatch.undo()
    with Store.open(v1_copy) as store:  # and the file still opens normally afterwards
        assert store.count_episodes() == len(EPISODES)


def test_migrations_are_numbered_append_only():
    assert LATEST_VERSION == len(MIGRATIONS) >= 2
    assert "CREATE TABLE episode" in MIGRATIONS[0]


V2_FIXTURE = FIXTURE.with_name("v2.sqlite")


def test_v2_fixture_upgrades_keeping_every_value_and_setting(tmp_path):
    """Version 3 rebuilds the episode table so fields may be "not recorded": old rows keep
    every value they had (nothing becomes "not recorded"), settings survive, a backup is taken."""
    from tests.fixtures.make_v2 import SETTINGS

    copy = tmp_path / "v2" / "cramps.sqlite"
    copy.parent.mkdir()
    shutil.copyfile(V2_FIXTURE, copy)
    assert version_of(copy) == 2
    before = raw_rows(copy)
    with Store.open(copy) as store:
        assert store.schema_version == LATEST_VERSION
        assert raw_rows(copy) == before
        for key, value in SETTINGS:
            assert store.get_setting(key) == value
        loaded = {e.id: e for e in store.iter_episodes()}
        assert loaded[1].side == "left" and loaded[1].severity == 6
        assert loaded[4].footwear == "high_heels" and loaded[4].footwear_tight is True
        assert not any(e.time_approximate for e in loaded.values())
        # the upgraded table accepts "not recorded" and keeps using its indexes
        new = store.add_episode(
            loaded[1].replace(id=None, side=None, site=(), severity=None, activity=None)
        )
        assert store.get_episode(new.id).severity is None
        indexes = {r[1] for r in store.conn.execute("PRAGMA index_list(episode)")}
        assert {"episode_start_utc", "episode_created_at"} <= indexes
    assert len(list(backup_dir(copy).iterdir())) == 1


V3_FIXTURE = FIXTURE.with_name("v3.sqlite")


def test_v3_fixture_upgrades_giving_every_episode_a_unique_uid(tmp_path):
    """Version 4 adds a stable uid per episode (for exports a server can recognise) and one per
    diary; every row and setting is kept, and new or imported rows get a uid of their own."""
    import uuid

    from tests.fixtures.make_v3 import SETTINGS, V3_EPISODES

    copy = tmp_path / "v3" / "cramps.sqlite"
    copy.parent.mkdir()
    shutil.copyfile(V3_FIXTURE, copy)
    assert version_of(copy) == 3
    before = raw_rows(copy)
    assert len(before) == len(EPISODES) + len(V3_EPISODES)
    with Store.open(copy) as store:
        assert store.schema_version == LATEST_VERSION
        assert raw_rows(copy) == before
        for key, value in SETTINGS:
            assert store.get_setting(key) == value
        loaded = {e.id: e for e in store.iter_episodes()}
        uids = [e.uid for e in loaded.values()]
        assert len(set(uids)) == len(before)
        assert all(uuid.UUID(u).version == 4 and str(uuid.UUID(u)) == u for u in uids)
        assert loaded[5].side is None and loaded[5].time_approximate is True
        diary = store.diary_uid()
        assert uuid.UUID(diary).version == 4 and diary not in uids
        # an insert that names no uid (as the importer's does) still gets one
        store.conn.execute(
            "INSERT INTO episode (started_at, start_utc, duration_s, created_at, updated_at) "
            "VALUES ('2026-03-01T10:00:00+01:00', 1772355600, 30, 'x', 'x')"
        )
        store.conn.commit()
        fresh = store.conn.execute("SELECT uid FROM episode ORDER BY id DESC").fetchone()[0]
        assert uuid.UUID(fresh) and fresh not in uids
        indexes = {r[1] for r in store.conn.execute("PRAGMA index_list(episode)")}
        assert {"episode_start_utc", "episode_created_at", "episode_uid"} <= indexes
    with Store.open(copy) as again:  # uids stay as they were
        assert [e.uid for e in again.iter_episodes()][: len(uids)] == uids
        assert again.diary_uid() == diary
    assert len(list(backup_dir(copy).iterdir())) == 1


V4_FIXTURE = FIXTURE.with_name("v4.sqlite")
V5_INDEXES = {
    "episode_duration",
    "episode_severity",
    "episode_severity_recorded_first",
    "episode_activity",
}


def test_v4_fixture_upgrades_adding_the_history_indexes(tmp_path):
    """Version 5 only adds indexes (for the history's sorts and filters): every row, uid and
    setting stays as it was, the uid trigger still works, and the history uses the indexes."""
    from tests.fixtures.make_v3 import SETTINGS
    from tracker.store import HistoryFilter

    copy = tmp_path / "v4" / "cramps.sqlite"
    copy.parent.mkdir()
    shutil.copyfile(V4_FIXTURE, copy)
    assert version_of(copy) == 4
    before = raw_rows(copy)
    with Store.open(copy) as store:
        assert store.schema_version == LATEST_VERSION >= 5
        assert raw_rows(copy) == before
        for key, value in SETTINGS:
            assert store.get_setting(key) == value
        indexes = {r[1] for r in store.conn.execute("PRAGMA index_list(episode)")}
        assert V5_INDEXES | {"episode_start_utc", "episode_created_at", "episode_uid"} <= indexes
        for descending in (True, False):  # "not recorded" last both ways
            ids = store.history_ids(sort_key="severity", descending=descending)
            order = [store.get_episode(i).severity for i in ids]
            rated = [s for s in order if s is not None]
            assert order == [
                *sorted(rated, reverse=descending),
                *[None] * (len(order) - len(rated)),
            ]
            assert len(rated) < len(order)
        assert store.history_ids(HistoryFilter(activity="in_bed"))  # the activity index
        new = store.add_episode(store.get_episode(7).replace(id=None, uid=None))
        assert new.uid and new.uid != store.get_episode(7).uid  # the v4 trigger still there
    assert len(list(backup_dir(copy).iterdir())) == 1


V5_FIXTURE = FIXTURE.with_name("v5.sqlite")


def test_v5_fixture_upgrades_adding_check_ins_medicines_and_sleep_disturbance(tmp_path):
    """Version 6 adds the check-in and medicine tables (empty) and episode.sleep_disturbance
    (NULL, "not recorded", for every older episode); every row, uid and setting is kept."""
    from datetime import date

    from tests.fixtures.make_v3 import SETTINGS
    from tests.fixtures.make_v5 import V5_EPISODES
    from tracker.diary.checkin import CheckIn, Medicine

    copy = tmp_path / "v5" / "cramps.sqlite"
    copy.parent.mkdir()
    shutil.copyfile(V5_FIXTURE, copy)
    assert version_of(copy) == 5
    conn = _read_only(copy)
    before = conn.execute(f"SELECT {COLUMNS}, time_approximate, uid FROM episode ORDER BY id")
    before = before.fetchall()
    conn.close()
    assert len(before) == len(EPISODES) + 4 + len(V5_EPISODES)  # v3 and v4 added two each
    assert all(row[-1] for row in before)  # every uid
    with Store.open(copy) as store:
        assert store.schema_version == LATEST_VERSION >= 6
        after = store.conn.execute(
            f"SELECT {COLUMNS}, time_approximate, uid FROM episode ORDER BY id"
        ).fetchall()
        assert after == before
        assert store.conn.execute(
            "SELECT COUNT(*) FROM episode WHERE sleep_disturbance IS NOT NULL"
        ).fetchone() == (0,)
        assert all(e.sleep_disturbance is None for e in store.iter_episodes())
        for key, value in SETTINGS:
            assert store.get_setting(key) == value
        assert store.count_checkins() == 0 and store.all_checkins() == []
        assert store.medicines() == []
        assert store.cramps_by_day()[date(2026, 3, 31)] == (0, 1)  # 9: 02:40 on April 1st
        # the upgraded file takes the new data, and the old triggers and indexes still work
        store.save_checkin(CheckIn(day=date(2026, 4, 1), night_cramps="yes"))
        store.add_medicine(Medicine("Magnesium", "supplement", date(2026, 3, 1)))
        night = store.get_episode(9)
        store.update_episode(night.replace(sleep_disturbance=6))
        assert store.get_episode(9).sleep_disturbance == 6
        new = store.add_episode(night.replace(id=None, uid=None))
        assert new.uid and new.uid != night.uid
        indexes = {r[1] for r in store.conn.execute("PRAGMA index_list(episode)")}
        assert V5_INDEXES | {"episode_start_utc", "episode_created_at", "episode_uid"} <= indexes
    with Store.open(copy) as again:
        assert again.get_checkin(date(2026, 4, 1)).night_cramps == "yes"
        assert [m.name for m in again.medicines()] == ["Magnesium"]
    assert len(list(backup_dir(copy).iterdir())) == 1
