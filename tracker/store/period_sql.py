"""The one place a Period (tracker.diary.periods) becomes an SQL condition.

The indexed ``start_utc`` column narrows the rows; for the local dates of the episodes' own
clocks (Patterns, the doctor summary, Tips, export) the local date written in ``started_at``
then decides, so an episode logged in another time zone counts on the date its clock showed.
The history's days are this machine's days: there the instants alone decide.
"""

from __future__ import annotations

from tracker.diary.periods import Period

# The local date on the episode's own clock ('YYYY-MM-DD'), whatever its offset.
LOCAL_DATE_SQL = "substr(started_at, 1, 10)"


def period_clauses(period: Period, *, machine_days: bool = False) -> tuple[list[str], list[object]]:
    """Conditions (to be joined with AND) and their parameters for the episodes of ``period``.

    ``machine_days``: days of this machine's clock (the history), else the local dates of each
    episode's own clock.
    """
    clauses: list[str] = []
    params: list[object] = []
    if machine_days:
        low, high = period.machine_utc_bounds()
        if low is not None:
            clauses.append("start_utc >= ?")
            params.append(low)
        if high is not None:
            clauses.append("start_utc < ?")
            params.append(high)
        return clauses, params
    low, high = period.utc_bounds()
    if period.first is not None:
        clauses.append(f"start_utc >= ? AND {LOCAL_DATE_SQL} >= ?")
        params += [low, period.first.isoformat()]
    if period.last is not None:
        clauses.append(f"start_utc < ? AND {LOCAL_DATE_SQL} <= ?")
        params += [high, period.last.isoformat()]
    return clauses, params


def where(period: Period, *extra: str) -> tuple[str, list[object]]:
    """' WHERE ...' (or '') for the episodes of ``period`` that also meet every ``extra``
    condition (SQL text written in tracker/store, never from user input), and its parameters."""
    clauses, params = period_clauses(period)
    clauses = [*extra, *clauses]
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params
