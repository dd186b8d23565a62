"""The light rows the doctor rules read (tracker/advice/doctor_rules.py): only the fields a rule
looks at, from the indexed ``start_utc`` window, so the banner's check after a save does not
build a full Episode for every cramp of the last five weeks, nor the summary's check of a year
(tracker.report.data.doctor_reasons) one for every cramp of the year."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from tracker.store.rows import split_codes

if TYPE_CHECKING:
    from tracker.store.episodes import Store


class CrampRow(NamedTuple):
    """What the doctor rules need of one episode (the same names as Episode's fields)."""

    id: int
    started_at: datetime
    duration_s: int
    severity: int | None
    activity: str | None
    warning_signs: tuple[str, ...]
    time_approximate: bool


def doctor_rows(store: Store, start_utc: int, end_utc: int | None = None) -> list[CrampRow]:
    """Every episode starting at or after ``start_utc`` (and before ``end_utc``, if given),
    oldest first, as light rows.

    SQLite hands them over as one JSON value: these rows are read in worker threads (the doctor
    banner, the Tips page, the summary), and row by row each row would give up Python's GIL and
    wait to get it back (up to the switch interval) while another thread runs Python. Two such
    workers at once took 14 s for 5,554 rows of a 100,000 diary; one value takes milliseconds.
    The inner ORDER BY gives the order of the array (the same as the history's packed ids)."""
    where = "start_utc >= ?"
    params: tuple[int, ...] = (start_utc,)
    if end_utc is not None:
        where += " AND start_utc < ?"
        params = (start_utc, end_utc)
    sql = (
        "SELECT json_group_array(json_array(id, started_at, duration_s, severity, activity,"
        " warning_signs, time_approximate)) FROM (SELECT id, started_at, duration_s, severity,"
        f" activity, warning_signs, time_approximate FROM episode WHERE {where}"
        " ORDER BY start_utc, id)"
    )
    (packed,) = store.db.execute(sql, params).fetchone()
    parse = datetime.fromisoformat
    return [
        CrampRow(i, parse(at), d, s, a, split_codes(w) if w else (), bool(t))
        for i, at, d, s, a, w, t in json.loads(packed)
    ]
