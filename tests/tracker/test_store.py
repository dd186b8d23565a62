"""The store keeps every field exactly, edits and deletes safely, and queries the history right."""

import os
import stat
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_episode
from tracker import vocab
from tracker.episode import ValidationError
from tracker.store import (
    EPISODE_COLUMNS,
    SORT_KEYS,
    EpisodeNotFoundError,
    HistoryFilter,
    Store,
    episode_from_row,
)

BERLIN = ZoneInfo("Europe/Berlin")
FULL = dict(
    duration_s=754,
    side="both",
    site=("big_toe", "second_toe", "sole", "calf"),
    severity=9,
    activity="after_exercise",
    hydration="under",
    footwear="high_heels",
    fluid_ml=750,
    footwear_tight=True,
    relief=("stretching", "pulling_toes", "drink"),
    relief_effect="partly",
    context=("hard_exercise", "alcohol", "pregnancy"),
    warning_signs=("numbness", "swelling", "hard_to_walk"),
)


def same_fields(a, b):
    assert a == b  # dataclass equality covers every field but the timestamps
    assert a.started_at.utcoffset() == b.started_at.utcoffset()
    assert a.started_at.isoformat() == b.started_at.isoformat()


@pytest.mark.parametrize(
    "notes",
    [
        "",
        "Crampe au gros orteil — très douloureuse 😣🦶 日本語 \u200b tab\tnewline\n'quote\" ;;",
        "long " * 4_100,  # 20,500 characters
        "<img src='file:///etc/passwd'> %_\\ =SUM(A1)",
    ],
)
def test_round_trip_every_field(store, db_path, notes):
    episode = make_episode(notes=notes, **FULL)
    saved = store.add_episode(episode)
    assert saved.id is not None and saved.created_at and saved.updated_at
    same_fields(store.get_episode(saved.id), episode.replace(id=saved.id))
    store.close()
    with Store.open(db_path) as reopened:
        again = reopened.get_episode(saved.id)
        same_fields(again, episode.replace(id=saved.id))
        assert again.created_at == saved.created_at
        assert len(again.notes) == len(notes)


def test_round_trip_minimal_episode_keeps_empty_and_none(store):
    saved = store.add_episode(make_episode(fluid_ml=None, relief_effect=None))
    loaded = store.get_episode(saved.id)
    assert loaded.fluid_ml is None and loaded.relief_effect is None
    assert loaded.relief == () and loaded.context == () and loaded.warning_signs == ()
    assert loaded.footwear_tight is False


@pytest.mark.parametrize(
    "wall, fold, offset_h",
    [
        ((2026, 3, 29, 1, 59, 59), 0, 1),  # last second of winter time
        ((2026, 3, 29, 3, 0, 0), 0, 2),  # first second of summer time
        ((2026, 10, 25, 2, 30, 0), 0, 2),  # the repeated hour, first pass (summer time)
        ((2026, 10, 25, 2, 30, 0), 1, 1),  # the repeated hour, second pass (winter time)
    ],
)
def test_dst_boundaries_keep_wall_clock_and_offset(store, wall, fold, offset_h):
    local = datetime(*wall, fold=fold, tzinfo=BERLIN)
    fixed = local.astimezone(timezone(local.utcoffset()))
    assert fixed.utcoffset() == timedelta(hours=offset_h)
    saved = store.add_episode(make_episode(started_at=fixed))
    loaded = store.get_episode(saved.id)
    assert loaded.started_at.isoformat() == fixed.isoformat()
    assert loaded.started_at.timestamp() == fixed.timestamp()


def test_repeated_hour_sorted_by_instant_not_wall_clock(store):
    first = datetime(2026, 10, 25, 2, 40, tzinfo=timezone(timedelta(hours=2)))  # 00:40 UTC
    second = datetime(2026, 10, 25, 2, 10, tzinfo=timezone(timedelta(hours=1)))  # 01:10 UTC
    a = store.add_episode(make_episode(started_at=first))
    b = store.add_episode(make_episode(started_at=second))
    ids = [row[0] for row in store.history_rows(descending=False)]
    assert ids == [a.id, b.id]
    assert [e.id for e in store.iter_episodes()] == [a.id, b.id]


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    notes=st.text(max_size=300),
    site=st.lists(st.sampled_from(list(vocab.SITES)), unique=True, min_size=1),
    offset_min=st.integers(min_value=-12 * 60, max_value=14 * 60),
)
def test_round_trip_any_text_and_codes(store, notes, site, offset_min):
    zone = timezone(timedelta(minutes=offset_min))
    episode = make_episode(
        notes=notes, site=tuple(site), started_at=datetime(2025, 5, 5, tzinfo=zone)
    )
    saved = store.add_episode(episode)
    same_fields(store.get_episode(saved.id), episode.replace(id=saved.id))


def test_microseconds_dropped_consistently(store):
    start = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
    saved = store.add_episode(make_episode(started_at=start))
    assert (
        saved.started_at == store.get_episode(saved.id).started_at == start.replace(microsecond=0)
    )


def test_invalid_episode_not_saved(store):
    with pytest.raises(ValidationError):
        store.add_episode(make_episode(severity=12))
    with pytest.raises(ValidationError):
        store.add_episodes([make_episode(), make_episode(side="up")])
    assert store.count_episodes() == 0


def test_add_episodes_bulk(store):
    episodes = [make_episode(duration_s=10 + i, notes=f"n{i}") for i in range(50)]
    assert store.add_episodes(episodes) == 50
    loaded = list(store.iter_episodes())
    assert [e.notes for e in loaded] == [f"n{i}" for i in range(50)]
    assert store.add_episodes([]) == 0


def test_update_delete_restore(store):
    saved = store.add_episode(make_episode(notes="first"))
    changed = store.update_episode(saved.replace(severity=2, notes="edited", site=("calf",)))
    assert (changed.severity, changed.notes, changed.site) == (2, "edited", ("calf",))
    assert changed.created_at == saved.created_at
    assert store.get_episode(saved.id) == changed

    with pytest.raises(ValidationError):
        store.update_episode(changed.replace(duration_s=0))
    assert store.get_episode(saved.id) == changed

    deleted = store.delete_episode(saved.id)
    assert deleted == changed and deleted.updated_at == changed.updated_at
    assert store.count_episodes() == 0
    with pytest.raises(EpisodeNotFoundError):
        store.get_episode(saved.id)
    with pytest.raises(EpisodeNotFoundError):
        store.delete_episode(saved.id)
    with pytest.raises(EpisodeNotFoundError):
        store.update_episode(changed)

    store.restore_episode(deleted)
    back = store.get_episode(saved.id)
    assert back == changed
    assert (back.created_at, back.updated_at) == (changed.created_at, changed.updated_at)


def test_update_unsaved_refused(store):
    with pytest.raises(EpisodeNotFoundError):
        store.update_episode(make_episode())


# --------------------------------------------------------------------------- history rows
def _fill_history(store):
    tz = timezone(timedelta(hours=1))
    specs = [
        (datetime(2026, 1, 1, 23, 59, tzinfo=tz), "100% sure", 30, 3, "right", "walking"),
        (datetime(2026, 1, 2, 0, 0, tzinfo=tz), "big_toe again", 300, 7, "left", "in_bed"),
        (datetime(2026, 1, 5, 8, 0, tzinfo=tz), "bigXtoe", 45, 5, "both", "standing"),
        (datetime(2026, 1, 31, 12, 0, tzinfo=tz), "back\\slash", 60, 1, "left", "driving"),
        (datetime(2026, 2, 1, 0, 30, tzinfo=tz), "Cold FLOOR", 120, 9, "right", "resting"),
    ]
    ids = []
    for start, notes, duration, severity, side, activity in specs:
        ep = make_episode(
            started_at=start,
            notes=notes,
            duration_s=duration,
            severity=severity,
            side=side,
            activity=activity,
        )
        ids.append(store.add_episode(ep).id)
    return ids


def test_history_newest_first_by_default(store):
    ids = _fill_history(store)
    rows = store.history_rows()
    assert [r[0] for r in rows] == ids[::-1]
    assert len(rows[0]) == len(EPISODE_COLUMNS)
    assert episode_from_row(rows[0]).notes == "Cold FLOOR"


@pytest.mark.parametrize(
    "flt, expected",
    [
        (HistoryFilter(date_from="2026-01-02"), [1, 2, 3, 4]),
        (HistoryFilter(date_to="2026-01-01"), [0]),
        (HistoryFilter(date_from="2026-01-02", date_to="2026-01-31"), [1, 2, 3]),
        (HistoryFilter(date_from="2026-03-01"), []),
        (HistoryFilter(text="%"), [0]),
        (HistoryFilter(text="_"), [1]),
        (HistoryFilter(text="big_toe"), [1]),
        (HistoryFilter(text="\\"), [3]),
        (HistoryFilter(text="cold floor"), [4]),
        (HistoryFilter(text="  floor "), [4]),
        (HistoryFilter(text="big", date_from="2026-01-03"), [2]),
        (HistoryFilter(text=""), [0, 1, 2, 3, 4]),
    ],
)
def test_history_filter(store, flt, expected):
    ids = _fill_history(store)
    rows = store.history_rows(flt, descending=False)
    assert [r[0] for r in rows] == [ids[i] for i in expected]


@pytest.mark.parametrize("key", sorted(SORT_KEYS))
@pytest.mark.parametrize("descending", [False, True])
def test_history_sort_by_every_key(store, key, descending):
    _fill_history(store)
    rows = store.history_rows(sort_key=key, descending=descending)
    column = EPISODE_COLUMNS.index(key)
    values = [r[column] for r in rows]
    if key == "started_at":
        values = [datetime.fromisoformat(v).timestamp() for v in values]
    assert values == sorted(values, reverse=descending)
    assert len(rows) == 5


def test_history_sort_unknown_key_refused(store):
    with pytest.raises(ValueError):
        store.history_rows(sort_key="id; DROP TABLE episode")


def test_last_defaults(store):
    assert store.last_defaults() == {}
    store.add_episode(make_episode(activity="walking", footwear="boots", hydration="under"))
    old = datetime(2020, 1, 1, tzinfo=UTC)
    store.add_episode(
        make_episode(
            started_at=old, activity="driving", footwear="dress", side="both", site=("calf",)
        )
    )
    assert store.last_defaults() == {
        "activity": "driving",
        "footwear": "dress",
        "hydration": "normal",
        "side": "both",
        "site": ("calf",),
    }


def test_settings(store):
    assert store.get_setting("k", "dflt") == "dflt"
    store.set_setting("k", "é😀")
    store.set_setting("k", "v2")
    assert store.get_setting("k") == "v2"
    store.set_setting("k", None)
    assert store.get_setting("k") is None


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_new_database_private(tmp_path):
    path = tmp_path / "new" / "deeper" / "cramps.sqlite"
    with Store.open(path) as s:
        s.add_episode(make_episode())
        wal = path.with_name(path.name + "-wal")
        assert wal.exists() and stat.S_IMODE(wal.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_wal_and_full_sync(store):
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
