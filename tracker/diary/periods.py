"""Periods: which local calendar dates a page shows, and the instants that can fall in them.

One ``Period`` type for History, Patterns, Tips, the doctor summary and export. A period is a
pair of local calendar dates, both inclusive (``None`` leaves that end open). Its SQL condition
is built in one place, tracker.store.period_sql, on the indexed ``start_utc`` column.

The names of the preset periods are in tracker.diary.vocab.PERIODS, one name each, so "Last 3
months" is the same dates wherever it is chosen. Periods named in days count days back from
today; periods named in months go back the same number of calendar months (the day after the
same date that many months ago, so the 20 March to 20 June).

Local dates: an episode keeps the wall clock it was logged in, with its UTC offset. Its local
date is the date on that clock, whatever the offset was; the instants of one local date
therefore lie within a day either side of that date in UTC (an offset is less than 24 hours),
which ``utc_bounds`` gives for narrowing a query on the index. The history instead shows the
days of this machine's clock: ``machine_utc_bounds``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

ALL = "all"
CUSTOM = "custom"
_DAYS = {"7d": 7, "30d": 30}
# "1m" has no name of its own (it is too close to "Last 30 days") but stays for callers of
# report_data.preset_period that used it.
_MONTHS = {"1m": 1, "3m": 3, "6m": 6, "12m": 12}

# An offset is less than a day either way (offsets in use run from UTC-12 to UTC+14, but an
# imported file may say anything up to +/-23:59): the instants of a local date lie within
# [midnight UTC - 1 day, next midnight UTC + 1 day).
OFFSET_MARGIN_S = 24 * 3600


@dataclass(frozen=True)
class Period:
    """Local calendar dates, both inclusive; ``None`` leaves that end open."""

    first: date | None = None
    last: date | None = None

    @classmethod
    def last_days(cls, days: int, today: date) -> Period:
        return cls(today - timedelta(days=days - 1), today)

    @property
    def days(self) -> int | None:
        if self.first is None or self.last is None:
            return None
        return (self.last - self.first).days + 1

    def before(self) -> Period:
        """The period of the same length that ends the day before this one starts."""
        days = self.days
        if days is None or self.first is None:
            raise ValueError("an open period has no period before it")
        return Period(self.first - timedelta(days=days), self.first - timedelta(days=1))

    def describe(self) -> str:
        """'all episodes', '2026-03-01 to 2026-03-14', 'the first episode to 2026-03-14'."""
        if not self.first and not self.last:
            return "all episodes"
        return f"{self.first or 'the first episode'} to {self.last or 'the last episode'}"

    def utc_bounds(self) -> tuple[int | None, int | None]:
        """[low, high) in Unix seconds holding every instant whose local date (on the clock it
        was logged in, any offset) lies in the period; ``None`` for an open end."""
        low = None if self.first is None else utc_midnight(self.first) - OFFSET_MARGIN_S
        high = None
        if self.last is not None:
            high = utc_midnight(self.last + timedelta(days=1)) + OFFSET_MARGIN_S
        return low, high

    def machine_utc_bounds(self) -> tuple[int | None, int | None]:
        """[low, high) in Unix seconds: from the start of the first day to the start of the
        day after the last, on this machine's clock (the history's days)."""
        low = None if self.first is None else local_day_start_utc(self.first)
        high = None
        if self.last is not None:
            high = local_day_start_utc(self.last + timedelta(days=1))
        return low, high


def utc_midnight(day: date) -> int:
    """Unix seconds at midnight UTC starting ``day``."""
    return int(datetime.combine(day, time(), UTC).timestamp())


def local_day_start_utc(day: str | date) -> int:
    """Unix seconds at which the local calendar day begins on this machine."""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    return int(datetime.combine(day, time()).astimezone().timestamp())


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
