"""Which dates a named period covers, ending today: one meaning for every page.

The names are in tracker.diary.vocab.PERIODS, one name each. History, Patterns, the doctor summary
and export all offer them, so "Last 3 months" is the same dates wherever it is chosen. Periods
named in days count days back from today; periods named in months go back the same number of
calendar months (the day after the same date that many months ago, so the 20 March to 20 June).
"""

from __future__ import annotations

from datetime import date, timedelta

from tracker.analysis.aggregates import Period

ALL = "all"
CUSTOM = "custom"
_DAYS = {"7d": 7, "30d": 30}
# "1m" has no name of its own (it is too close to "Last 30 days") but stays for callers of
# report_data.preset_period that used it.
_MONTHS = {"1m": 1, "3m": 3, "6m": 6, "12m": 12}


def preset_period(code: str, today: date) -> Period:
    """The Period a named period stands for on `today`; "all" is open at its start."""
    if code == ALL:
        return Period(None, today)
    if code in _DAYS:
        return Period.last_days(_DAYS[code], today)
    if code in _MONTHS:
        return Period(months_back(today, _MONTHS[code]) + timedelta(days=1), today)
    raise ValueError(f"unknown period {code!r}")


def months_back(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (the month's last day if it is shorter)."""
    year, month = divmod(day.month - 1 - months, 12)
    year, month = day.year + year, month + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")
