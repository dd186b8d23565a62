"""The store keeps every field exactly, edits and deletes safely, and queries the history right."""

import os
import random
import stat
import string
import time
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_episode
from tests.tracker.episode_strategies import unique_episodes
from tracker.diary import vocab
from tracker.diary.episode import Episode, ValidationError
from tracker.store import (
    EPISODE_COLUMNS,
    MULTI_CHOICES,
    NOT_RECORDED_CODE,
    SEVERITY_BANDS,
    SINGLE_CHOICES,
    SITE_AREAS,
    SORT_KEYS,
    EpisodeNotFoundError,
    HistoryFilter,
    Store,
    episode_from_row,
    local_day_start_utc,
    search_matches,
    taken_uids,
)
from tracker.store.history import history_sql

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
@pytest.fixture
def machine_tz():
    """Set this machine's time zone (TZ) for a test; the history's dates are local dates."""
    saved = os.environ.get("TZ")

    def use(name):
        os.environ["TZ"] = name
        time.tzset()

    yield use
    if saved is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = saved
    time.tzset()


def _fill_history(store, machine_tz):
    """Five episodes an hour east of UTC, on a machine in the same zone."""
    machine_tz("Etc/GMT-1")  # POSIX sign: one hour *east* of UTC, like the episodes
    tz = timezone(timedelta(hours=1))
    specs = [
        dict(
            started_at=datetime(2026, 1, 1, 23, 59, tzinfo=tz),
            notes="100% sure",
            duration_s=30,
            severity=3,
            side="right",
            activity="walking",
            site=("calf",),
            footwear="barefoot",
        ),
        dict(
            started_at=datetime(2026, 1, 2, 0, 0, tzinfo=tz),
            notes="big_toe again",
            duration_s=300,
            severity=7,
            side="left",
            activity="in_bed",
            site=("big_toe",),
            footwear="high_heels",
            footwear_tight=True,
            relief=("stretching",),
            relief_effect="partly",
        ),
        dict(
            started_at=datetime(2026, 1, 5, 8, 0, tzinfo=tz),
            notes="bigXtoe",
            duration_s=45,
            severity=None,
            side="both",
            activity="standing",
            site=("toes", "sole"),
            footwear=None,
            hydration="under",
            relief=("cold",),
            context=("pregnancy",),
        ),
        dict(
            started_at=datetime(2026, 1, 31, 12, 0, tzinfo=tz),
            notes="back\\slash",
            duration_s=60,
            severity=4,
            side="left",
            activity=None,
            site=(),
            relief=("walking",),
            relief_effect="yes",
            warning_signs=("numbness",),
        ),
        dict(
            started_at=datetime(2026, 2, 1, 0, 30, tzinfo=tz),
            notes="Cold FLOOR",
            duration_s=120,
            severity=10,
            side=None,
            activity="resting",
            site=("top_of_foot",),
            footwear="flat",
            hydration=None,
        ),
    ]
    return [store.add_episode(make_episode(**spec)).id for spec in specs]


def test_history_newest_first_by_default(store, machine_tz):
    ids = _fill_history(store, machine_tz)
    rows = store.history_rows()
    assert [r[0] for r in rows] == ids[::-1]
    assert len(rows[0]) == len(EPISODE_COLUMNS)
    assert episode_from_row(rows[0]).notes == "Cold FLOOR"


@pytest.mark.parametrize(
    "flt, expected",
    [
        # the period: local calendar dates, inclusive
        (HistoryFilter(date_from="2026-01-02"), [1, 2, 3, 4]),
        (HistoryFilter(date_to="2026-01-01"), [0]),
        (HistoryFilter(date_from="2026-01-02", date_to="2026-01-31"), [1, 2, 3]),
        (HistoryFilter(date_from="2026-03-01"), []),
        # words in notes, with % _ and \ taken literally
        (HistoryFilter(text="%"), [0]),
        (HistoryFilter(text="_"), [1]),
        (HistoryFilter(text="big_toe"), [1]),  # a code is not a label: only the note matches
        (HistoryFilter(text="\\"), [3]),
        (HistoryFilter(text="cold floor"), [2, 4]),  # relief "Cold or cold floor", and a note
        (HistoryFilter(text="  FLOOR "), [2, 4]),
        (HistoryFilter(text="big", date_from="2026-01-03"), [2]),
        (HistoryFilter(text=""), [0, 1, 2, 3, 4]),
        # words in the labels people see, in every labelled field
        (HistoryFilter(text="walk"), [0, 3]),  # activity "Walking", relief "Walking"
        (HistoryFilter(text="WALKING"), [0, 3]),
        (HistoryFilter(text="heel"), [1]),  # footwear "High heels"
        (HistoryFilter(text="tight"), [1]),  # shown as "(tight)" after the footwear
        (HistoryFilter(text="bed"), [1]),  # activity "Asleep or in bed"
        (HistoryFilter(text="in_bed"), []),  # the code is never shown
        (HistoryFilter(text="arch"), [2]),  # site "Sole / arch"
        (HistoryFilter(text="toe"), [1, 2]),  # "Big toe", "Toes (not sure which)", "bigXtoe"
        (HistoryFilter(text="both"), [2]),  # side
        (HistoryFilter(text="under"), [2]),  # hydration "Under-hydrated"
        (HistoryFilter(text="partly"), [1]),  # relief effect "Partly helped"
        (HistoryFilter(text="pregnan"), [2]),  # possible context
        (HistoryFilter(text="numb"), [3]),  # warning signs
        (HistoryFilter(text="flat"), [4]),  # footwear "Flat everyday shoes"
        # several words: each must be found, in any field
        (HistoryFilter(text="stretch heel"), [1]),
        (HistoryFilter(text="walking heels"), []),
        (HistoryFilter(text="walk numbness"), [3]),
        # filters beside the period
        (HistoryFilter(severity_band="mild"), [0]),
        (HistoryFilter(severity_band="moderate"), [3]),
        (HistoryFilter(severity_band="severe"), [1, 4]),
        (HistoryFilter(severity_band=NOT_RECORDED_CODE), [2]),
        (HistoryFilter(site_area="toes"), [1, 2]),  # any toe
        (HistoryFilter(site_area="sole"), [2]),
        (HistoryFilter(site_area="calf"), [0]),
        (HistoryFilter(site_area=NOT_RECORDED_CODE), [3]),
        (HistoryFilter(activity="walking"), [0]),
        (HistoryFilter(activity="in_bed"), [1]),
        (HistoryFilter(activity=NOT_RECORDED_CODE), [3]),
        (HistoryFilter(severity_band="severe", site_area="toes"), [1]),
        (HistoryFilter(severity_band="severe", text="floor", date_from="2026-02-01"), [4]),
        (HistoryFilter(site_area="toes", activity="walking"), []),
    ],
)
def test_history_filter(store, machine_tz, flt, expected):
    ids = _fill_history(store, machine_tz)
    rows = store.history_rows(flt, descending=False)
    assert [r[0] for r in rows] == [ids[i] for i in expected]


@pytest.mark.parametrize(
    "flt",
    [
        HistoryFilter(severity_band="extreme"),
        HistoryFilter(site_area="knee"),
        HistoryFilter(site_area="big_toe"),  # a site, not one of the areas
        HistoryFilter(activity="swimming"),
    ],
)
def test_history_filter_unknown_choice_refused(store, flt):
    with pytest.raises(ValueError):
        store.history_ids(flt)


def test_severity_bands_match_the_vocabulary(store):
    for severity in range(11):
        store.add_episode(make_episode(severity=severity, duration_s=10 + severity))
    for band in SEVERITY_BANDS:
        found = [
            r[EPISODE_COLUMNS.index("severity")]
            for r in store.history_rows(
                HistoryFilter(severity_band=band), sort_key="severity", descending=False
            )
        ]
        assert found == [s for s in range(11) if vocab.severity_band(s) == band]


def test_site_areas_cover_every_site_once():
    covered = [code for codes in SITE_AREAS.values() for code in codes]
    assert sorted(covered) == sorted(vocab.SITES)
    assert set(SITE_AREAS["toes"]) == {"toes", *vocab.TOE_SITES}


def test_filter_is_active():
    assert not HistoryFilter().is_active
    assert not HistoryFilter(text="   ").is_active
    for changed in (
        dict(date_from="2026-01-01"),
        dict(date_to="2026-01-01"),
        dict(text="x"),
        dict(severity_band="mild"),
        dict(site_area="calf"),
        dict(activity=NOT_RECORDED_CODE),
    ):
        assert HistoryFilter(**changed).is_active


def test_period_bounds_are_local_dates_of_this_machine(store, machine_tz):
    """New York machine: the day runs from local midnight to midnight, whatever offset an
    episode was saved with, and a day of a clock change lasts 23 hours."""
    machine_tz("America/New_York")
    assert local_day_start_utc("2026-01-02") == int(datetime(2026, 1, 2, 5, tzinfo=UTC).timestamp())
    spring = local_day_start_utc("2026-03-09") - local_day_start_utc("2026-03-08")
    assert spring == 23 * 3600
    ny = timezone(timedelta(hours=-5))
    late = store.add_episode(make_episode(started_at=datetime(2026, 1, 1, 23, 59, tzinfo=ny)))
    midnight = store.add_episode(make_episode(started_at=datetime(2026, 1, 2, 0, 0, tzinfo=ny)))
    # saved while travelling: 03:00 in Paris on 2 January is 21:00 on 1 January in New York
    paris = store.add_episode(
        make_episode(started_at=datetime(2026, 1, 2, 3, 0, tzinfo=timezone(timedelta(hours=1))))
    )
    first = HistoryFilter(date_to="2026-01-01")
    assert store.history_ids(first, descending=False) == [paris.id, late.id]
    day = HistoryFilter(date_from="2026-01-02", date_to="2026-01-02")
    assert store.history_ids(day) == [midnight.id]


def test_period_filter_uses_the_start_index(store):
    sql, params = history_sql("id", HistoryFilter("2026-01-01", "2026-01-31"), "severity", True)
    plan = " ".join(row[3] for row in store.conn.execute("EXPLAIN QUERY PLAN " + sql, params))
    assert "USING INDEX episode_start_utc" in plan


# Sorting: not recorded last in both directions; choices by the label people read (lists by
# their first choice, then the whole list); ties by the instant, then id, in the same direction.
_BLANKS = " \t\n\r"
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_VOCABS = {
    "side": vocab.SIDES,
    "activity": vocab.ACTIVITIES,
    "footwear": vocab.FOOTWEAR,
    "hydration": vocab.HYDRATION,
    "site": vocab.SITES,
    "relief": vocab.RELIEF,
    "context": vocab.CONTEXT,
    "warning_signs": vocab.WARNING_SIGNS,
}


def _sort_value(episode, key):
    """The value an episode sorts by, or None when it is not recorded."""
    value = getattr(episode, key)
    if key == "started_at":
        return 0  # the instant decides
    if key in ("duration_s", "severity"):
        return value
    if key == "notes":
        text = value.lstrip(_BLANKS)
        return text.translate(_ASCII_LOWER) if text else None
    labels = _VOCABS[key]
    if isinstance(value, tuple):
        return (labels[value[0]].lower(), ";".join(value)) if value else None
    return None if value is None else labels[value].lower()


def _expected_order(episodes, key, descending):
    def tie(e):
        return (int(e.started_at.timestamp()), e.id)

    recorded = [e for e in episodes if _sort_value(e, key) is not None]
    missing = [e for e in episodes if _sort_value(e, key) is None]
    recorded.sort(key=lambda e: (_sort_value(e, key), *tie(e)), reverse=descending)
    missing.sort(key=tie, reverse=descending)
    return [e.id for e in recorded + missing]


def _sort_fixture(store):
    """Sixteen episodes with ties, lists sharing a first choice, and gaps in every field."""
    rng = random.Random(7)
    start = datetime(2026, 1, 1, 8, 0, tzinfo=timezone(timedelta(hours=1)))

    def maybe(choices):
        return rng.choice([None, *choices])

    def some(vocabulary):
        return tuple(rng.sample(list(vocabulary), rng.choice([0, 1, 1, 2, 3])))

    notes = ["", "  ", "apple", "Banana", "\n  cherry", "banana split", "Zebra", "zoo", "éclair"]
    saved = []
    for i in range(16):
        episode = Episode(
            started_at=start + timedelta(hours=i * 7 % 16),  # not in id order
            duration_s=rng.choice([30, 30, 90, 600, 601, 1200]),
            side=maybe(vocab.SIDES),
            site=("big_toe", "sole")
            if i == 3
            else ("big_toe", "calf")
            if i == 4
            else some(vocab.SITES),
            severity=maybe(range(11)),
            activity=maybe(vocab.ACTIVITIES),
            hydration=maybe(vocab.HYDRATION),
            footwear=maybe(vocab.FOOTWEAR),
            relief=some(vocab.RELIEF),
            context=some(vocab.CONTEXT),
            warning_signs=some(vocab.WARNING_SIGNS),
            notes=notes[i % len(notes)],
        )
        saved.append(store.add_episode(episode))
    return saved


@pytest.mark.parametrize("key", sorted(SORT_KEYS))
@pytest.mark.parametrize("descending", [False, True])
def test_history_sort_by_every_key(store, key, descending):
    episodes = _sort_fixture(store)
    assert {_sort_value(e, key) is None for e in episodes} == (
        {False} if key in ("started_at", "duration_s") else {False, True}
    )  # the fixture really has gaps to put last
    ids = store.history_ids(sort_key=key, descending=descending)
    assert ids == _expected_order(episodes, key, descending)
    rows = store.history_rows(sort_key=key, descending=descending)
    assert [r[0] for r in rows] == ids


def test_every_history_column_is_sortable():
    from_labels = set(SINGLE_CHOICES) | set(MULTI_CHOICES)
    assert set(SORT_KEYS) - {"started_at", "duration_s", "severity", "notes"} <= from_labels


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(episodes=unique_episodes(max_size=10), descending=st.booleans())
def test_history_sort_any_episodes(store, episodes, descending):
    for episode_id in store.history_ids():
        store.delete_episode(episode_id)
    saved = [store.add_episode(e.replace(notes=e.notes.replace("\x00", ""))) for e in episodes]
    for key in SORT_KEYS:
        assert store.history_ids(sort_key=key, descending=descending) == _expected_order(
            saved, key, descending
        ), key


_WORDS = st.one_of(
    st.sampled_from(
        [
            "walk",
            "heel",
            "toe",
            "cold",
            "%",
            "_",
            "a",
            "in_bed",
            "ü",
            "Ü",
            "HELP",
            "not",
            "ti",
            "tight",
            "numb",
            "sure",
            "floor",
            "x",
        ]
    ),
    st.text(alphabet="abcdeilnorstuwHW%_\\ü", min_size=1, max_size=4),
)


def _reference_match(word, episode):
    """Independently of the store: is this (folded) word in the notes or a shown label?"""
    word = word.translate(_ASCII_LOWER)
    if word in episode.notes.translate(_ASCII_LOWER):
        return True
    shown = [
        vocab.label(vocab.SIDES, episode.side),
        vocab.label(vocab.ACTIVITIES, episode.activity),
        vocab.label(vocab.HYDRATION, episode.hydration),
        vocab.label(vocab.FOOTWEAR, episode.footwear),
        vocab.label(vocab.RELIEF_EFFECT, episode.relief_effect),
        *(vocab.SITES[c] for c in episode.site),
        *(vocab.RELIEF[c] for c in episode.relief),
        *(vocab.CONTEXT[c] for c in episode.context),
        *(vocab.WARNING_SIGNS[c] for c in episode.warning_signs),
    ]
    if episode.footwear is not None and episode.footwear_tight:
        shown.append("tight")
    return any(word in text.translate(_ASCII_LOWER) for text in shown if text)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(episodes=unique_episodes(max_size=8), words=st.lists(_WORDS, min_size=1, max_size=3))
def test_search_sql_and_highlighting_agree(store, episodes, words):
    """The rows SQL finds are those where every word is in the notes or a shown label, and for
    each of them search_matches (which the table highlights with) names a field per word."""
    for episode_id in store.history_ids():
        store.delete_episode(episode_id)
    saved = [store.add_episode(e.replace(notes=e.notes.replace("\x00", ""))) for e in episodes]
    text = " ".join(words)
    expected = {e.id for e in saved if all(_reference_match(w, e) for w in text.split())}
    found = store.history_rows(HistoryFilter(text=text))
    assert {r[0] for r in found} == expected
    for row in found:
        values = dict(zip(EPISODE_COLUMNS, row, strict=True))
        for word in text.split():
            assert search_matches(word, values), (word, values)


def test_search_matches_names_the_fields(store, machine_tz):
    ids = _fill_history(store, machine_tz)
    rows = store.rows_by_id(ids)

    def matched(index, text):
        return search_matches(text, dict(zip(EPISODE_COLUMNS, rows[ids[index]], strict=True)))

    assert matched(0, "walk") == {"activity"}
    assert matched(3, "walk") == {"relief"}
    assert matched(1, "heel tight partly") == {"footwear", "footwear_tight", "relief_effect"}
    assert matched(2, "toe") == {"site", "notes"}
    assert matched(2, "cold floor") == {"relief"}
    assert matched(4, "cold floor") == {"notes"}
    assert matched(4, "zebra") == frozenset()
    assert matched(4, "") == frozenset()


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
        "footwear_tight": False,
        "hydration": "normal",
        "side": "both",
        "site": ("calf",),
        "severity": 6,
    }


def test_last_defaults_leave_out_what_was_not_recorded(store):
    store.add_episode(make_episode(activity=None, hydration=None, severity=None, footwear=None))
    last = store.last_defaults()
    assert last == {"side": "left", "site": ("big_toe",)}


def test_last_defaults_look_past_a_quick_log_that_recorded_nothing(store):
    store.add_episode(make_episode(activity="walking", severity=3))
    store.add_episode(make_episode(side=None, site=(), severity=None, activity=None,
                                   hydration=None, footwear=None))  # fmt: skip
    last = store.last_defaults()
    assert (last["activity"], last["severity"], last["side"]) == ("walking", 3, "left")
    assert store.last_defaults(look_back=1) == {}


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


# ----------------------------------------------------------------- stable uids (migration 4)
def test_every_saved_episode_gets_a_stable_uuid(store):
    import uuid

    saved = store.add_episode(make_episode())
    assert uuid.UUID(saved.uid).version == 4
    assert store.get_episode(saved.id).uid == saved.uid
    assert saved == saved.replace(uid="something else")  # equality is about content
    edited = store.update_episode(saved.replace(severity=2, uid=None))
    assert edited.uid == saved.uid  # an edit never changes the identifier
    deleted = store.delete_episode(saved.id)
    assert store.restore_episode(deleted).uid == saved.uid
    assert store.get_episode(saved.id).uid == saved.uid  # Undo keeps it


def test_a_given_uid_is_kept_unless_another_episode_has_it(store):
    given = "0b0c9a6e-5d0e-4c1a-9f3e-1d2c3b4a5f60"
    first = store.add_episode(make_episode(uid=given))
    assert first.uid == given
    copy = store.add_episode(first.replace(id=None))  # e.g. "log again like this"
    assert copy.uid != given
    store.add_episodes([make_episode(uid=given), make_episode(), make_episode(uid="x-1")])
    store.add_episodes([make_episode(uid="x-1")])
    uids = [e.uid for e in store.iter_episodes()]
    assert len(uids) == len(set(uids)) == 6 and None not in uids
    assert uids.count("x-1") == 1
    assert taken_uids(store.db, [given, "x-1", "nope", None]) == {given, "x-1"}


def test_diary_uid_is_made_once(store, db_path):
    uid = store.diary_uid()
    assert uid == store.diary_uid()
    store.set_setting("diary_uid", None)
    again = store.diary_uid()
    assert again != uid and again == store.diary_uid()
    store.close()
    with Store.open(db_path, readonly=True) as reader:
        assert reader.diary_uid() == again
