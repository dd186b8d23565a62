"""Daily check-ins, the medicine list, and cramps counted per local day and night (issue 16).

The Store's methods (tracker.store.episodes) call these inside their transactions. Check-ins
and medicines are not episodes: writing them never touches the episode journal
(``Store.changes_since``); ``Store.checkin_revision`` counts their writes instead.

A check-in's ``day`` is the local calendar day it is about, stored as 'YYYY-MM-DD' (the
table's key). Lists that workers read (every check-in of ten years) come from SQLite as one
packed JSON value (``pattern_queries.packed_rows``: row by row, a worker waits for the GIL at
every row while another thread runs Python).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from tracker.diary.checkin import DAY_QUESTIONS, CheckIn, Medicine
from tracker.diary.vocab import NIGHT_END_HOUR, NIGHT_START_HOUR
from tracker.store.opening import MedicineNotFoundError
from tracker.store.pattern_queries import packed_rows

# ----------------------------------------------------------------------------- check-ins
# The stored answers, in the order of the CheckIn's fields (the day first).
CHECKIN_COLUMNS = (
    "day",
    *(q.name for q in DAY_QUESTIONS),
    "night_cramps",
    "sleep_disturbance",
    "notes",
)
CHECKIN_SELECT = ", ".join(CHECKIN_COLUMNS)
_ANSWERS = CHECKIN_COLUMNS[1:]
_UPSERT = (
    f"INSERT INTO checkin ({CHECKIN_SELECT}, created_at, updated_at) "
    f"VALUES ({', '.join(':' + c for c in CHECKIN_COLUMNS)}, :stamp, :stamp) "
    "ON CONFLICT(day) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in _ANSWERS)
    + ", updated_at = excluded.updated_at"
)
_INSERT_NEW = (
    f"INSERT OR IGNORE INTO checkin ({CHECKIN_SELECT}, created_at, updated_at) "
    f"VALUES ({', '.join(':' + c for c in CHECKIN_COLUMNS)}, :stamp, :stamp)"
)


def checkin_from_row(row: Sequence[Any]) -> CheckIn:
    """A stored row (CHECKIN_COLUMNS order) as a CheckIn."""
    values = dict(zip(CHECKIN_COLUMNS, row, strict=True))
    values["day"] = date.fromisoformat(values["day"])
    return CheckIn(**values)


def checkin_params(checkin: CheckIn, stamp: str) -> dict[str, Any]:
    """What a check-in stores (``stamp``: its created/updated time, UTC ISO 8601)."""
    params: dict[str, Any] = {name: getattr(checkin, name) for name in _ANSWERS}
    params["day"] = checkin.day.isoformat()
    params["stamp"] = stamp
    return params


def get_checkin(conn: sqlite3.Connection, day: date) -> CheckIn | None:
    row = conn.execute(
        f"SELECT {CHECKIN_SELECT} FROM checkin WHERE day = ?", (day.isoformat(),)
    ).fetchone()
    return None if row is None else checkin_from_row(row)


def save_checkin(conn: sqlite3.Connection, checkin: CheckIn, stamp: str) -> CheckIn | None:
    """Write the day's check-in (replacing it; an empty one removes it); return the one before."""
    before = get_checkin(conn, checkin.day)
    if checkin.is_empty():
        conn.execute("DELETE FROM checkin WHERE day = ?", (checkin.day.isoformat(),))
    else:
        conn.execute(_UPSERT, checkin_params(checkin, stamp))
    return before


def delete_checkin(conn: sqlite3.Connection, day: date) -> CheckIn | None:
    before = get_checkin(conn, day)
    if before is not None:
        conn.execute("DELETE FROM checkin WHERE day = ?", (day.isoformat(),))
    return before


def insert_checkins(
    conn: sqlite3.Connection, checkins: Iterable[CheckIn], stamp: str, *, replace: bool
) -> int:
    """Write many check-ins (empty ones are skipped). ``replace``: a day already in the diary
    takes the new answers; otherwise it keeps its own. Returns how many rows were written."""
    rows = [checkin_params(c, stamp) for c in checkins if not c.is_empty()]
    before = conn.total_changes
    conn.executemany(_UPSERT if replace else _INSERT_NEW, rows)
    return conn.total_changes - before


def checkins_between(conn: sqlite3.Connection, first: date, last: date) -> list[CheckIn]:
    """Every check-in from ``first`` to ``last`` (both included), by day."""
    sql = f"SELECT {CHECKIN_SELECT} FROM checkin WHERE day >= ? AND day <= ? ORDER BY day"
    rows = packed_rows(conn, sql, (first.isoformat(), last.isoformat()))
    return [checkin_from_row(r) for r in rows]


def all_checkins(conn: sqlite3.Connection) -> list[CheckIn]:
    """Every check-in, by day (one packed read: 3,650 rows for ten years)."""
    sql = f"SELECT {CHECKIN_SELECT} FROM checkin ORDER BY day"
    return [checkin_from_row(r) for r in packed_rows(conn, sql, ())]


def checkin_days(conn: sqlite3.Connection, first: date, last: date) -> set[date]:
    """The days from ``first`` to ``last`` (both included) that have a check-in."""
    sql = "SELECT day FROM checkin WHERE day >= ? AND day <= ?"
    rows = packed_rows(conn, sql, (first.isoformat(), last.isoformat()))
    return {date.fromisoformat(r[0]) for r in rows}


def count_checkins(conn: sqlite3.Connection) -> int:
    n: int = conn.execute("SELECT COUNT(*) FROM checkin").fetchone()[0]
    return n


# ----------------------------------------------------------------------------- medicines
MEDICINE_COLUMNS = ("id", "name", "kind", "started_on", "stopped_on", "dose")
MEDICINE_SELECT = ", ".join(MEDICINE_COLUMNS)


def medicine_from_row(row: Sequence[Any]) -> Medicine:
    medicine_id, name, kind, started_on, stopped_on, dose = row
    return Medicine(
        name=name,
        kind=kind,
        started_on=date.fromisoformat(started_on),
        stopped_on=None if stopped_on is None else date.fromisoformat(stopped_on),
        dose=dose,
        id=medicine_id,
    )


def _medicine_params(medicine: Medicine) -> dict[str, Any]:
    return {
        "id": medicine.id,
        "name": medicine.name.strip(),
        "kind": medicine.kind,
        "started_on": medicine.started_on.isoformat(),
        "stopped_on": None if medicine.stopped_on is None else medicine.stopped_on.isoformat(),
        "dose": medicine.dose.strip(),
    }


def medicines(conn: sqlite3.Connection) -> list[Medicine]:
    """The whole list, by start date, then name."""
    sql = f"SELECT {MEDICINE_SELECT} FROM medicine ORDER BY started_on, name"
    return [medicine_from_row(r) for r in conn.execute(sql)]


def get_medicine(conn: sqlite3.Connection, medicine_id: int) -> Medicine:
    row = conn.execute(
        f"SELECT {MEDICINE_SELECT} FROM medicine WHERE id = ?", (medicine_id,)
    ).fetchone()
    if row is None:
        raise MedicineNotFoundError(
            f"Medicine {medicine_id} is not in the list; it may have been deleted."
        )
    return medicine_from_row(row)


def insert_medicine(conn: sqlite3.Connection, medicine: Medicine, stamp: str) -> Medicine:
    """Add it (under its own id when it has one: Undo of a delete); return it with its id."""
    params = _medicine_params(medicine)
    cur = conn.execute(
        f"INSERT INTO medicine ({MEDICINE_SELECT}, created_at, updated_at) "
        f"VALUES ({', '.join(':' + c for c in MEDICINE_COLUMNS)}, :stamp, :stamp)",
        {**params, "stamp": stamp},
    )
    assert cur.lastrowid is not None
    return get_medicine(conn, cur.lastrowid)


def update_medicine(conn: sqlite3.Connection, medicine: Medicine, stamp: str) -> Medicine:
    if medicine.id is None:
        raise MedicineNotFoundError("Cannot change a medicine that was never saved.")
    params = _medicine_params(medicine)
    assignments = ", ".join(f"{c} = :{c}" for c in MEDICINE_COLUMNS[1:])
    cur = conn.execute(
        f"UPDATE medicine SET {assignments}, updated_at = :stamp WHERE id = :id",
        {**params, "stamp": stamp},
    )
    if cur.rowcount != 1:
        raise MedicineNotFoundError(
            f"Medicine {medicine.id} is no longer in the list; it may have been deleted."
        )
    return get_medicine(conn, medicine.id)


def delete_medicine(conn: sqlite3.Connection, medicine_id: int) -> Medicine:
    """Delete and return it, so the caller can offer Undo (``insert_medicine`` puts it back)."""
    medicine = get_medicine(conn, medicine_id)
    conn.execute("DELETE FROM medicine WHERE id = ?", (medicine_id,))
    return medicine


# ----------------------------------------------------------------------------- cramps per day
# The local day a cramp is counted on: its own date from NIGHT_END_HOUR on, the day before for
# a start in the small hours (05:59 belongs to the night that followed the previous day). Read
# from the stored local wall clock ('YYYY-MM-DDTHH:MM:SS+HH:MM'), whatever its UTC offset.
# Episodes are first counted per local date and hour (a GROUP BY on a plain prefix of the text,
# the cheapest sort), then those counts are folded into days and nights: 43 ms at 100k
# episodes, against 64 ms for the day and night worked out on every row.
_DAY_FROM, _NIGHT_FROM = f"{NIGHT_END_HOUR:02d}", f"{NIGHT_START_HOUR:02d}"
_IN_DAY = f"h >= '{_DAY_FROM}' AND h < '{_NIGHT_FROM}'"
CRAMPS_BY_DAY_SQL = (
    f"SELECT CASE WHEN h < '{_DAY_FROM}' THEN date(d, '-1 day') ELSE d END AS day, "
    f"SUM(CASE WHEN {_IN_DAY} THEN n ELSE 0 END) AS daytime, "
    f"SUM(CASE WHEN {_IN_DAY} THEN 0 ELSE n END) AS night "
    "FROM (SELECT substr(dh, 1, 10) AS d, substr(dh, 12, 2) AS h, n FROM "
    "(SELECT substr(started_at, 1, 13) AS dh, COUNT(*) AS n FROM episode GROUP BY dh)) "
    "GROUP BY day"
)
# Handed over as one JSON value (see pattern_queries.packed_rows; its column names are known
# here, so the query runs once, not once more for its description).
_CRAMPS_BY_DAY_PACKED = (
    f"SELECT json_group_array(json_array(day, daytime, night)) FROM ({CRAMPS_BY_DAY_SQL})"
)


def cramps_by_day(conn: sqlite3.Connection) -> dict[date, tuple[int, int]]:
    """For each local day D with a cramp: (cramps starting D from NIGHT_END_HOUR until
    NIGHT_START_HOUR, cramps in the night that follows, D NIGHT_START_HOUR .. D+1
    NIGHT_END_HOUR). One grouped query over every episode, handed over packed."""
    (packed,) = conn.execute(_CRAMPS_BY_DAY_PACKED).fetchone()
    return {date.fromisoformat(day): (daytime, night) for day, daytime, night in json.loads(packed)}
