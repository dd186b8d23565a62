"""When the cramp started: a date-time edit that cannot go past today, quick buttons for recent
and rough past times, and an "approximate" mark for times only roughly known.

Editing a saved episode keeps its stored start (instant *and* UTC offset) unless the person
changes the date or time: the edit shows times in the machine's current zone, so converting an
unchanged value back would rewrite ``00:30+01:00`` (logged in Berlin) as ``16:30-07:00`` the
day before (edited in Los Angeles). Ticking or clearing "approximate" alone keeps the time too.
A time the person does change is read in the machine's current zone, the zone the edit shows;
when the episode was logged at another offset a note under the edit says so.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QDate, QDateTime, QTimeZone, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker.diary.quick_times import last_night_choices, this_morning, yesterday_evening
from tracker.diary.time_zones import logged_in_other_zone, offset_text, on_this_machine
from ui.widgets.dates import date_time_edit_format, short_date, short_time


def now_local() -> datetime:
    return datetime.now().astimezone().replace(second=0, microsecond=0)


def to_qdatetime(value: datetime) -> QDateTime:
    local = value.astimezone()  # show in the machine's zone
    return QDateTime.fromSecsSinceEpoch(int(local.timestamp()), QTimeZone.systemTimeZone())


def from_qdatetime(value: QDateTime) -> datetime:
    return datetime.fromtimestamp(value.toSecsSinceEpoch()).astimezone()


class StartTimeInput(QWidget):
    """``changed`` fires on every change of the time, by typing, the calendar or a button."""

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._now = now_local
        # The saved start being edited, and the edit's value right after showing it.
        self._loaded: datetime | None = None
        self._loaded_shown: QDateTime | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(4)
        top = QHBoxLayout()
        self.edit = QDateTimeEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat(date_time_edit_format())
        self.edit.setAccessibleName("Start date and time")
        self.edit.dateTimeChanged.connect(lambda *_: self.changed.emit())
        self.approximate = QCheckBox("Time is appro&ximate")
        self.approximate.setAccessibleName("Start time is approximate")
        self.approximate.setToolTip("Tick when you only know the rough hour")
        top.addWidget(self.edit, 1)
        top.addWidget(self.approximate)
        outer.addLayout(top)
        self.zone_note = QLabel()
        self.zone_note.setWordWrap(True)
        self.zone_note.setAccessibleName("Time zone note")
        self.zone_note.setVisible(False)
        outer.addWidget(self.zone_note)

        self.quick_row = QWidget()
        quick = QHBoxLayout(self.quick_row)
        quick.setContentsMargins(0, 0, 0, 0)
        quick.setSpacing(4)
        self.quick_buttons: dict[object, QPushButton] = {}
        for key, text in (
            (0, "Now"),
            (15, "15 min ago"),
            (60, "1 hour ago"),
            ("morning", "This morning"),
            ("evening", "Yesterday evening"),
            ("night", "Last night…"),
        ):
            button = QPushButton(text)
            button.setAutoDefault(False)
            button.setAccessibleName(f"Start {text.rstrip('…').lower()}")
            quick.addWidget(button)
            self.quick_buttons[key] = button
        quick.addStretch(1)
        for minutes in (0, 15, 60):
            self.quick_buttons[minutes].clicked.connect(
                lambda _=False, m=minutes: self.set_minutes_ago(m)
            )
        self.quick_buttons["morning"].clicked.connect(
            lambda: self.set_value(this_morning(self._now()), approximate=True)
        )
        self.quick_buttons["evening"].clicked.connect(
            lambda: self.set_value(yesterday_evening(self._now()), approximate=True)
        )
        self.night_menu = QMenu(self)
        self.night_menu.aboutToShow.connect(self._fill_night_menu)
        self.quick_buttons["night"].setMenu(self.night_menu)
        self.quick_buttons["night"].setToolTip(
            "Pick the rough hour; the time is marked approximate"
        )
        outer.addWidget(self.quick_row)

    # ----------------------------------------------------------------- behaviour
    def refresh_limits(self) -> None:
        """The calendar offers no day after today, and the time is in the 12- or 24-hour form
        chosen in Preferences (called whenever the form is opened)."""
        self.edit.setMaximumDate(QDate.currentDate())
        shown = date_time_edit_format()
        if self.edit.displayFormat() != shown:
            self.edit.setDisplayFormat(shown)

    def set_quick_buttons_visible(self, visible: bool) -> None:
        self.quick_row.setVisible(visible)

    def set_value(self, value: datetime, *, approximate: bool = False) -> None:
        """Show a new start time (read back in the machine's zone)."""
        self._loaded = self._loaded_shown = None
        self.zone_note.setVisible(False)
        self.refresh_limits()
        self.edit.setDateTime(to_qdatetime(value))
        self.approximate.setChecked(approximate)

    def load_value(self, value: datetime, *, approximate: bool = False) -> None:
        """Show a saved start time; ``value()`` returns it unchanged unless the time is changed."""
        self.set_value(value, approximate=approximate)
        self._loaded, self._loaded_shown = value, self.edit.dateTime()
        if logged_in_other_zone(value):
            here = offset_text(on_this_machine(value))
            self.zone_note.setText(
                f"This cramp was logged at {offset_text(value)}, at "
                f"{short_time(value)} on {short_date(value)} there. Times here are in your current "
                f"zone ({here}); the logged time is kept unless you change it."
            )
            self.zone_note.setVisible(True)
        else:
            self.zone_note.clear()

    def time_changed(self) -> bool:
        """True unless a loaded time is still shown as it was loaded."""
        return self._loaded is None or self.edit.dateTime() != self._loaded_shown

    def set_minutes_ago(self, minutes: int) -> None:
        self.set_value(self._now() - timedelta(minutes=minutes))

    def value(self) -> datetime:
        if self._loaded is not None and not self.time_changed():
            return self._loaded
        return from_qdatetime(self.edit.dateTime())

    def is_approximate(self) -> bool:
        return self.approximate.isChecked()

    def _fill_night_menu(self) -> None:
        self.night_menu.clear()
        for hour in last_night_choices(self._now()):
            action = self.night_menu.addAction(f"Around {short_time(hour)}")
            action.triggered.connect(lambda _=False, h=hour: self.set_value(h, approximate=True))
