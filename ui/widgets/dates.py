"""Dates and times as the person reads them: the computer's language and region (QLocale).

One short and one long form, used everywhere the window shows a date: tables, lists, date
fields, notices and status messages use the short form ("21/11/2026" in the UK, "11/21/26" in
the US); a question that names one moment before acting on it (restoring a backup) the long
one ("Saturday, 21 November 2026"). File names keep ISO dates (ui/widgets/file_dialogs.py) and the
printed summary its own fixed forms (tracker side).

Values are shown as the wall-clock time they carry: a datetime with a UTC offset is not moved
to this computer's zone here (history shows an episode's own offset beside it).

Two preferences of the diary (Edit > Preferences, ui/shell/preferences.py) change every place
at once: the time of day in 12- or 24-hour form (``set_hour_format``; "region" keeps the
locale's), and the first day of the week of every calendar (``set_first_day_of_week``): a
calendar gets it when it takes the focus (a date field's popup does as it opens) and any
calendar already built gets it when the preference changes.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QLocale, QTime

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QCalendarWidget, QWidget

SHORT = QLocale.FormatType.ShortFormat
LONG = QLocale.FormatType.LongFormat
# Without a configured language (LANG=C, many containers and CI) Qt's short date is
# "21 11 2026"; spell the month instead, which nobody misreads.
C_SHORT_DATE = "d MMM yyyy"
REGION = "region"
HOUR_FORMATS = {REGION: None, "24": "HH:mm", "12": "h:mm AP"}
# Qt.DayOfWeek values: 1 Monday ... 7 Sunday; 0 the region's.
WEEK_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class _Preferences:
    hour_format = REGION
    first_day = 0
    following = False


_prefs = _Preferences()


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


def time_format(locale: QLocale | None = None) -> str:
    """The time of day's form: the region's, or 24-hour or 12-hour as chosen."""
    fixed = HOUR_FORMATS.get(_prefs.hour_format)
    return fixed if fixed else (locale or _locale()).timeFormat(SHORT)


def date_time_edit_format(locale: QLocale | None = None) -> str:
    """A date-and-time field: the short date, then the time of day."""
    locale = locale or _locale()
    return f"{edit_format(locale)}  {time_format(locale)}"


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
    """03:05 or 3:05 AM, as the region writes the time of day (or as chosen)."""
    fixed = HOUR_FORMATS.get(_prefs.hour_format)
    qtime = QTime(value.hour, value.minute)
    return _locale().toString(qtime, fixed) if fixed else _locale().toString(qtime, SHORT)


def date_time(value: datetime) -> str:
    """The short date and the time of day: 21/11/2026, 03:05."""
    return f"{short_date(value)}, {short_time(value)}"


def long_date_time(value: datetime) -> str:
    """For sentences: Saturday, 21 November 2026 at 03:05."""
    return f"{long_date(value)} at {short_time(value)}"


def to_date(value: QDate) -> date:
    """A date field's value as a Python date."""
    return date(value.year(), value.month(), value.day())


# ----------------------------------------------------------------- preferences
def hour_format() -> str:
    return _prefs.hour_format


def set_hour_format(value: str) -> None:
    """ "region", "12" or "24"; anything else is the region's."""
    _prefs.hour_format = value if value in HOUR_FORMATS else REGION


def first_day_of_week() -> int:
    """The chosen first day (1 Monday ... 7 Sunday), or the region's."""
    return _prefs.first_day or _locale().firstDayOfWeek().value


def chosen_first_day() -> int:
    """0 for the region's, else 1 Monday ... 7 Sunday."""
    return _prefs.first_day


def set_first_day_of_week(day: int) -> None:
    """0 (the region's) or 1 Monday ... 7 Sunday: every calendar follows, now and later."""
    _prefs.first_day = day if 1 <= day <= 7 else 0
    from PySide6.QtWidgets import QApplication, QCalendarWidget

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    for widget in app.allWidgets():
        if isinstance(widget, QCalendarWidget):
            apply_week_start(widget)
    _follow(app)


def apply_week_start(calendar: QCalendarWidget) -> None:
    from PySide6.QtCore import Qt

    day = Qt.DayOfWeek(first_day_of_week())
    if calendar.firstDayOfWeek() != day:
        calendar.setFirstDayOfWeek(day)


def _follow(app: QApplication) -> None:
    """Calendars built later (a date field builds its popup when first opened) get the first
    day when they take the focus, before their first paint."""
    if _prefs.following:
        return
    _prefs.following = True
    app.focusChanged.connect(_focus_changed)


def _focus_changed(_old: QWidget | None, new: QWidget | None) -> None:
    from PySide6.QtWidgets import QCalendarWidget

    widget = new
    while widget is not None:
        if isinstance(widget, QCalendarWidget):
            apply_week_start(widget)
            return
        widget = widget.parentWidget()
