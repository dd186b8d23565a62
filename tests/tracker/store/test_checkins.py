"""Check-ins and medicines in the store: saved exactly, Undo by what a save returns, refused
with the person's messages, counted apart from the episode journal; cramps per day and night."""

import random
import sqlite3
import uuid
from collections import Counter
from datetime import date, datetime, timedelta, timezone

import pytest

from tests.factories import TZ, make_episode
from tracker.diary.checkin import DAY_QUESTIONS, CheckIn, Medicine
from tracker.diary.episode import ValidationError
from tracker.diary.vocab import NIGHT_END_HOUR, NIGHT_START_HOUR
from tracker.store import MedicineNotFoundError, Store

TODAY = date(2026, 6, 30)
FULL = CheckIn(
    day=date(2026, 6, 29),
    fluids="less",
    exercise="hard",
    long_still="yes",
    footwear="tight_heels",
    stretched="no",
    stress="high",
    unwell="no",
    medicines_as_usual="yes",
    night_cramps="yes",
    sleep_disturbance=7,
    notes="Long drive; 🦵 woke at 3",
)


def raw_checkins(store: Store) -> list[tuple]:
    return store.conn.execute("SELECT * FROM checkin ORDER BY day").fetchall()


# --------------------------------------------------------------------------- check-ins
def test_a_check_in_keeps_every_answer(store):
    assert store.save_checkin(FULL, today=TODAY) is None  # the day had none
    assert store.get_checkin(FULL.day) == FULL
    assert store.get_checkin(FULL.day - timedelta(days=1)) is None
    assert store.count_checkins() == 1
    partly = CheckIn(day=date(2026, 6, 28), fluids="usual")  # everything else not recorded
    store.save_checkin(partly, today=TODAY)
    back = store.get_checkin(partly.day)
    assert back == partly
    assert all(back.answer(q.name) is None for q in DAY_QUESTIONS if q.name != "fluids")
    assert back.sleep_disturbance is None and back.night_cramps is None


def test_save_returns_the_previous_check_in_and_saving_it_back_is_undo(store):
    first = CheckIn(day=FULL.day, fluids="usual", notes="first")
    store.save_checkin(first, today=TODAY)
    created = store.conn.execute("SELECT created_at FROM checkin").fetchone()[0]
    previous = store.save_checkin(FULL, today=TODAY)
    assert previous == first
    assert store.get_checkin(FULL.day) == FULL
    # Undo: the previous one saved back restores the day exactly
    assert store.save_checkin(previous, today=TODAY) == FULL
    assert store.get_checkin(FULL.day) == first
    assert store.conn.execute("SELECT created_at FROM checkin").fetchone()[0] == created
    assert store.count_checkins() == 1


def test_undo_of_a_first_check_in_deletes_it(store):
    previous = store.save_checkin(FULL, today=TODAY)
    assert previous is None
    assert store.delete_checkin(FULL.day) == FULL  # what Undo does when the day had none
    assert store.get_checkin(FULL.day) is None
    assert store.delete_checkin(FULL.day) is None  # nothing left to delete
    assert raw_checkins(store) == []


def test_an_empty_check_in_removes_the_day(store):
    store.save_checkin(FULL, today=TODAY)
    empty = CheckIn(day=FULL.day, notes="   ")
    assert empty.is_empty()
    assert store.save_checkin(empty, today=TODAY) == FULL  # still undoable
    assert store.get_checkin(FULL.day) is None
    assert store.count_checkins() == 0
    assert store.save_checkin(empty, today=TODAY) is None  # nothing to remove: nothing stored
    assert raw_checkins(store) == []


@pytest.mark.parametrize(
    ("checkin", "message"),
    [
        (CheckIn(day=TODAY, fluids="lots"), "Fluids today: 'lots' is not one of the choices."),
        (CheckIn(day=TODAY, footwear="boots"), "Shoes worn most: 'boots' is not one of"),
        (CheckIn(day=TODAY, night_cramps="maybe"), "Cramps last night: 'maybe' is not one of"),
        (CheckIn(day=TODAY, sleep_disturbance=11), "Sleep disturbance is a whole number from 0"),
        (CheckIn(day=TODAY, sleep_disturbance=-1), "Sleep disturbance is a whole number from 0"),
        (CheckIn(day=TODAY + timedelta(days=1), fluids="usual"), "pick today or an earlier day"),
        (CheckIn(day=TODAY, notes="x" * 2001), "Notes are limited to 2000 characters."),
    ],
)
def test_bad_check_ins_are_refused_with_the_message(store, checkin, message):
    store.save_checkin(FULL, today=TODAY)
    revision = store.checkin_revision
    with pytest.raises(ValidationError) as caught:
        store.save_checkin(checkin, today=TODAY)
    assert message in str(caught.value)
    assert any(message in m for m in caught.value.errors.values())
    assert store.checkin_revision == revision
    assert [c.day for c in store.all_checkins()] == [FULL.day]  # nothing written


def test_the_database_refuses_a_sleep_disturbance_out_of_range(store):
    """The schema itself keeps 0-10, whatever writes around validation."""
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute(
            "INSERT INTO checkin (day, sleep_disturbance, created_at, updated_at) "
            "VALUES ('2026-01-01', 11, 'x', 'x')"
        )
    store.add_episode(make_episode())
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute("UPDATE episode SET sleep_disturbance = 11")
    assert raw_checkins(store) == []
    assert store.conn.execute("SELECT sleep_disturbance FROM episode").fetchall() == [(None,)]


def test_reading_days_and_ranges(store):
    days = [date(2026, 6, d) for d in (1, 2, 5, 9, 10)]
    for i, day in enumerate(reversed(days)):
        store.save_checkin(CheckIn(day=day, sleep_disturbance=i), today=TODAY)
    assert [c.day for c in store.all_checkins()] == days
    assert [c.day for c in store.checkins_between(days[1], days[3])] == days[1:4]  # inclusive
    assert store.checkins_between(date(2026, 6, 6), date(2026, 6, 8)) == []
    assert store.checkin_days(date(2026, 6, 2), date(2026, 6, 9)) == {days[1], days[2], days[3]}
    assert store.checkin_days(date(2025, 1, 1), date(2025, 12, 31)) == set()
    assert store.count_checkins() == 5
    assert store.all_checkins()[0] == CheckIn(day=days[0], sleep_disturbance=4)


def test_all_checkins_of_ten_years_keep_every_value(store):
    rng = random.Random(5)
    made = []
    for n in range(3650):
        values = {
            q.name: rng.choice([None, *q.vocabulary]) for q in DAY_QUESTIONS
        }  # a mix of answers and "not recorded"
        made.append(
            CheckIn(
                day=TODAY - timedelta(days=n),
                night_cramps=rng.choice([None, "none", "yes"]),
                sleep_disturbance=rng.choice([None, *range(11)]),
                notes=rng.choice(["", "x", 'quote " and \\ and ünïcode']),
                **values,
            )
        )
    kept = [c for c in made if not c.is_empty()]
    assert store.add_checkins(made, today=TODAY) == len(kept)
    assert store.all_checkins() == sorted(kept, key=lambda c: c.day)
    assert store.count_checkins() == len(kept)


def test_add_checkins_is_all_or_none_and_may_keep_what_the_diary_has(store):
    store.save_checkin(CheckIn(day=date(2026, 6, 1), fluids="usual"), today=TODAY)
    bad = [CheckIn(day=date(2026, 6, 2), fluids="more"), CheckIn(day=date(2026, 6, 3), stress="x")]
    with pytest.raises(ValidationError, match="2026-06-03: Stress: 'x'"):
        store.add_checkins(bad, today=TODAY)
    assert store.count_checkins() == 1
    incoming = [
        CheckIn(day=date(2026, 6, 1), fluids="less"),
        CheckIn(day=date(2026, 6, 2), fluids="more"),
        CheckIn(day=date(2026, 6, 3)),  # empty: skipped
    ]
    assert store.add_checkins(incoming, replace=False, today=TODAY) == 1
    assert store.get_checkin(date(2026, 6, 1)).fluids == "usual"  # kept
    assert store.add_checkins(incoming, today=TODAY) == 2
    assert store.get_checkin(date(2026, 6, 1)).fluids == "less"  # replaced
    assert store.count_checkins() == 2


def test_a_failed_write_rolls_back(store, monkeypatch):
    from tracker.store import checkins

    store.save_checkin(FULL, today=TODAY)

    def broken(conn, items, stamp, *, replace):
        conn.execute("DELETE FROM checkin")
        raise RuntimeError("disk gone")

    monkeypatch.setattr(checkins, "insert_checkins", broken)
    with pytest.raises(RuntimeError):
        store.add_checkins([CheckIn(day=date(2026, 6, 1), fluids="less")], today=TODAY)
    assert store.all_checkins() == [FULL]


# --------------------------------------------------------------------------- revisions
def test_checkin_writes_count_apart_from_the_episode_journal(store):
    store.add_episode(make_episode())
    revision = store.revision
    assert store.changes_since(revision) == []
    seen = store.checkin_revision
    store.save_checkin(FULL, today=TODAY)
    store.save_checkin(CheckIn(day=FULL.day), today=TODAY)  # removes it
    store.delete_checkin(FULL.day)
    store.add_checkins([FULL], today=TODAY)
    med = store.add_medicine(Medicine("Magnesium", "supplement", date(2026, 1, 1)), today=TODAY)
    store.update_medicine(Medicine("Magnesium", "supplement", date(2026, 1, 2), id=med.id))
    store.delete_medicine(med.id)
    assert store.checkin_revision == seen + 7
    assert store.revision == revision  # Patterns and the history see nothing to read again
    assert store.changes_since(revision) == []
    store.add_episode(make_episode(duration_s=5))
    assert store.checkin_revision == seen + 7  # an episode is not a check-in
    store.written_elsewhere()  # a worker wrote: check-ins may have changed too
    assert store.checkin_revision == seen + 8


# --------------------------------------------------------------------------- medicines
def test_medicines_listed_by_start_then_name_with_ids_and_uids(store):
    a = store.add_medicine(
        Medicine(" Statin ", "medicine", date(2026, 3, 1), dose="20 mg"), today=TODAY
    )
    b = store.add_medicine(Medicine("Magnesium", "supplement", date(2026, 3, 1)), today=TODAY)
    c = store.add_medicine(
        Medicine("Diuretic", "medicine", date(2025, 1, 1), date(2025, 6, 1)), today=TODAY
    )
    assert a.id and b.id and c.id and len({a.id, b.id, c.id}) == 3
    assert a.name == "Statin" and a.dose == "20 mg"  # surrounding spaces dropped
    assert [m.name for m in store.medicines()] == ["Diuretic", "Magnesium", "Statin"]
    assert store.get_medicine(c.id) == c and store.get_medicine(c.id).stopped_on == date(2025, 6, 1)
    uids = [r[0] for r in store.conn.execute("SELECT uid FROM medicine")]
    assert len(set(uids)) == 3 and all(uuid.UUID(u).version == 4 for u in uids)


def test_update_and_delete_a_medicine_with_undo(store):
    med = store.add_medicine(Medicine("Quinine", "medicine", date(2026, 2, 1)), today=TODAY)
    uid = store.conn.execute("SELECT uid FROM medicine").fetchone()[0]
    stopped = store.update_medicine(
        Medicine("Quinine", "medicine", date(2026, 2, 1), date(2026, 4, 1), "300 mg", id=med.id),
        today=TODAY,
    )
    assert stopped.stopped_on == date(2026, 4, 1) and stopped.dose == "300 mg"
    assert store.conn.execute("SELECT uid FROM medicine").fetchone()[0] == uid  # kept
    deleted = store.delete_medicine(med.id)
    assert deleted == stopped and deleted.id == med.id
    assert store.medicines() == []
    with pytest.raises(MedicineNotFoundError, match="not in the list"):
        store.get_medicine(med.id)
    with pytest.raises(MedicineNotFoundError, match="no longer in the list"):
        store.update_medicine(stopped, today=TODAY)
    with pytest.raises(MedicineNotFoundError):
        store.delete_medicine(med.id)
    back = store.add_medicine(deleted, today=TODAY)  # Undo: under its old id
    assert back.id == med.id and store.medicines() == [stopped]
    with pytest.raises(MedicineNotFoundError, match="never saved"):
        store.update_medicine(Medicine("X", "medicine", date(2026, 1, 1)), today=TODAY)


@pytest.mark.parametrize(
    ("medicine", "message"),
    [
        (
            Medicine("Quinine", "medicine", date(2026, 3, 1), date(2026, 2, 1)),
            "The stop date is before the start date.",
        ),
        (Medicine("  ", "medicine", date(2026, 3, 1)), "Give the medicine or supplement a name."),
        (Medicine("Iron", "pill", date(2026, 3, 1)), "Choose whether it is a medicine or a"),
        (Medicine("Iron", "supplement", TODAY + timedelta(days=1)), "The start date is in the"),
    ],
)
def test_bad_medicines_are_refused_with_the_message(store, medicine, message):
    kept = store.add_medicine(Medicine("Iron", "supplement", date(2026, 1, 1)), today=TODAY)
    with pytest.raises(ValidationError, match=message):
        store.add_medicine(medicine, today=TODAY)
    with pytest.raises(ValidationError, match=message):
        store.update_medicine(Medicine(**{**vars(medicine), "id": kept.id}), today=TODAY)
    assert store.medicines() == [kept]
    assert store.get_medicine(kept.id).started_on == date(2026, 1, 1)


# --------------------------------------------------------------------------- cramps per day
def _at(day: date, hour: int, minute: int, offset_h: float = 1) -> datetime:
    zone = timezone(timedelta(hours=offset_h))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


def test_cramps_by_day_day_and_night_boundaries(store):
    d = date(2026, 3, 10)
    starts = [
        _at(d, 5, 59),  # the night after the 9th
        _at(d, 6, 0),  # day of the 10th
        _at(d, 12, 0),
        _at(d, 21, 59),  # still the day
        _at(d, 22, 0),  # the night after the 10th
        _at(d + timedelta(days=1), 0, 0),  # the same night, after midnight
        _at(d + timedelta(days=1), 5, 59),  # the same night, its last minute
        _at(d + timedelta(days=1), 6, 0),  # the day of the 11th
    ]
    store.add_episodes(make_episode(started_at=s) for s in starts)
    assert store.cramps_by_day() == {
        date(2026, 3, 9): (0, 1),
        date(2026, 3, 10): (3, 3),
        date(2026, 3, 11): (1, 0),
    }


def test_cramps_by_day_reads_the_local_wall_clock_not_utc(store):
    """23:30 at UTC-10 is 09:30 UTC the next day, and 00:30 at UTC+13 is 11:30 UTC the day
    before: both count where the person's own clock put them."""
    store.add_episodes(
        [
            make_episode(started_at=_at(date(2026, 1, 1), 23, 30, offset_h=-10)),
            make_episode(started_at=_at(date(2026, 1, 5), 0, 30, offset_h=13)),
            make_episode(started_at=_at(date(2026, 1, 7), 7, 0, offset_h=5.5)),
        ]
    )
    assert store.cramps_by_day() == {
        date(2026, 1, 1): (0, 1),
        date(2026, 1, 4): (0, 1),
        date(2026, 1, 7): (1, 0),
    }


def test_cramps_by_day_first_of_the_month_and_year(store):
    store.add_episodes(
        [
            make_episode(started_at=_at(date(2026, 1, 1), 3, 0)),
            make_episode(started_at=_at(date(2024, 3, 1), 1, 0)),  # leap year
        ]
    )
    assert store.cramps_by_day() == {date(2025, 12, 31): (0, 1), date(2024, 2, 29): (0, 1)}


def test_cramps_by_day_matches_a_count_in_python(store):
    rng = random.Random(11)
    zones = [timezone(timedelta(hours=h)) for h in (-8, 0, 1, 2, 5.5, 13)]
    episodes = [
        make_episode(
            started_at=datetime(2025, 1, 1, tzinfo=rng.choice(zones))
            + timedelta(minutes=rng.randrange(365 * 24 * 60))
        )
        for _ in range(3000)
    ]
    store.add_episodes(episodes)
    expected: Counter = Counter()
    for e in episodes:
        local = e.started_at
        night = local.hour >= NIGHT_START_HOUR or local.hour < NIGHT_END_HOUR
        day = local.date() - timedelta(days=1) if local.hour < NIGHT_END_HOUR else local.date()
        expected[(day, night)] += 1
    days = {day for day, _ in expected}
    assert store.cramps_by_day() == {d: (expected[(d, False)], expected[(d, True)]) for d in days}


def test_cramps_by_day_of_an_empty_diary(store):
    assert store.cramps_by_day() == {}


# --------------------------------------------------------------------------- the episode field
def test_an_episode_keeps_its_sleep_disturbance(store):
    night = store.add_episode(make_episode(sleep_disturbance=8))
    day = store.add_episode(make_episode(started_at=datetime(2026, 3, 10, 14, 0, tzinfo=TZ)))
    assert store.get_episode(night.id).sleep_disturbance == 8
    assert store.get_episode(day.id).sleep_disturbance is None  # not recorded
    store.update_episode(store.get_episode(night.id).replace(sleep_disturbance=0))
    assert store.get_episode(night.id).sleep_disturbance == 0
    with pytest.raises(ValidationError, match=r"Sleep disturbance \(0-10\): choose a whole"):
        store.add_episode(make_episode(sleep_disturbance=11))
    assert store.count_episodes() == 2


# --------------------------------------------------------------------------- backup, restore
def test_backup_and_restore_keep_check_ins_and_medicines(store, tmp_path):
    from tracker.store.backup import backup_to, restore_database, verify_backup

    store.add_episode(make_episode(sleep_disturbance=5))
    store.save_checkin(FULL, today=TODAY)
    kept = store.add_medicine(Medicine("Statin", "medicine", date(2026, 1, 5), dose="20 mg"))
    saved = backup_to(store, tmp_path / "copy.sqlite")
    assert verify_backup(saved).problem is None
    # changed after the backup: the restore must bring back the backed-up state
    store.save_checkin(CheckIn(day=FULL.day, fluids="more"), today=TODAY)
    store.save_checkin(CheckIn(day=date(2026, 6, 1), stress="low"), today=TODAY)
    store.delete_medicine(kept.id)
    restored = restore_database(store, saved)
    try:
        assert restored.all_checkins() == [FULL]
        assert restored.medicines() == [kept] and restored.medicines()[0].id == kept.id
        assert [e.sleep_disturbance for e in restored.iter_episodes()] == [5]
        restored.save_checkin(CheckIn(day=date(2026, 6, 2), unwell="yes"), today=TODAY)
        assert restored.count_checkins() == 2  # writable
    finally:
        restored.close()


def test_a_diary_of_check_ins_only_gets_its_daily_backup(store):
    from tracker.store.backup import daily_backup_if_due

    assert daily_backup_if_due(store, date(2026, 6, 1)) is None  # nothing at all yet
    store.save_checkin(FULL, today=TODAY)
    copy = daily_backup_if_due(store, date(2026, 6, 2))
    assert copy is not None
    with Store.open(copy, readonly=True) as backup:
        assert backup.all_checkins() == [FULL]
