"""Dates and times as the person reads them: the computer's language and region (QLocale).

One short and one long form, used everywhere the window shows a date: tables, lists, date
fields, notices and status messages use the short form ("21/11/2026" in the UK, "11/21/26" in
the US); a question that names one moment before acting on it (restoring a backup) the long
one ("Saturday, 21 November 2026"). File names keep ISO dates (ui/widgets/file_dialogs.py) and the
printed summary its own fixed forms (tracker side).

Values are shown as the wall-clock time they carry: a datetime with a UTC offset is not moved
to this computer's zone here (history shows an episode's own offset beside it).
"""

from __future__ import annotations

from datetime import date, datetime, time

from PySide6.QtCore import QDate, QLocale, QTime

SHORT = QLocale.FormatType.ShortFormat
LONG = QLocale.FormatType.LongFormat
# Without a configured language (LANG=C, many containers and CI) Qt's short date is
# "21 11 2026"; spell the month instead, which nobody misreads.
C_SHORT_DATE = "d MMM yyyy"


def _locale() -> QLocale:
    return QLocale()


def _is_c(locale: QLocale) -> bool:
    return locale.language() == QLocale.Language.C


def short_date_format(locale: QLocale | None = None) -> str:
    locale = locale or _locale()
    return C_SHORT_DATE if _is_c(locale) else locale.dateFormat(SHORT)


def edit_format(locale: QLocale | None = None) -> str:
    """The short form for a date field, with the year in full so no century is guessed."""
    text = short_date_format(locale)
    if "yyyy" not in text:
        text = text.replace("yy", "yyyy")
    return text


def date_time_edit_format(locale: QLocale | None = None) -> str:
    """A date-and-time field: the short date, then the time of day."""
    locale = locale or _locale()
    return f"{edit_format(locale)}  {locale.timeFormat(SHORT)}"


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def short_date(value: date) -> str:
    """21/11/2026 (UK), 11/21/26 (US), 21 Nov 2026 without a configured language."""
    locale = _locale()
    return locale.toString(_qdate(value), short_date_format(locale))


def long_date(value: date) -> str:
    """Saturday, 21 November 2026 (UK), Saturday, November 21, 2026 (US)."""
    return _locale().toString(_qdate(value), LONG)


def short_time(value: time | datetime) -> str:
    """03:05 or 3:05 AM, as the region writes the time of day."""
    return _locale().toString(QTime(value.hour, value.minute), SHORT)


def date_time(value: datetime) -> str:
    """The short date and the time of day: 21/11/2026, 03:05."""
    return f"{short_date(value)}, {short_time(value)}"


def long_date_time(value: datetime) -> str:
    """For sentences: Saturday, 21 November 2026 at 03:05."""
    return f"{long_date(value)} at {short_time(value)}"


def to_date(value: QDate) -> date:
    """A date field's value as a Python date."""
    return date(value.year(), value.month(), value.day())
