"""Fourteen days in a row at the top of the check-in: which have a check-in, which is shown.

A day with a check-in shows a check mark and a tinted background (never colour alone); today is
bold and says "today"; future days are disabled. One query per strip (``Store.checkin_days``).
Keyboard: the strip is one Tab stop (the shown day); Left/Right move along it, Enter or Space
switch the dialog to the focused day. "‹ Earlier" and "Newer ›" move by 14 days.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPalette
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from ui.widgets import theme

DAYS = 14
CHECK = "✓"


class CalendarStrip(QWidget):
    day_chosen = Signal(object)  # a date the person picked

    def __init__(
        self,
        days_with_checkin: Callable[[date, date], set[date]],
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setAccessibleName("Days: which have a check-in")
        self._days_with_checkin = days_with_checkin
        self._today = today
        self.last_day = today()  # the newest day shown
        self.current: date = self.last_day  # the day the dialog is about
        self.marked: set[date] = set()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.earlier_button = QPushButton("‹ E&arlier")
        self.earlier_button.setToolTip("Show the 14 days before these")
        self.earlier_button.setAutoDefault(False)
        self.earlier_button.clicked.connect(lambda: self.show_days_ending(self.last_day - _SPAN))
        layout.addWidget(self.earlier_button)
        self.day_buttons: list[QPushButton] = []
        for _ in range(DAYS):
            button = QPushButton()
            button.setCheckable(True)
            button.setAutoDefault(False)
            button.installEventFilter(self)
            metrics = button.fontMetrics()
            button.setFixedWidth(metrics.horizontalAdvance("today") + 22)  # bold, with margins
            button.setMinimumHeight(2 * metrics.height() + 8)
            button.clicked.connect(lambda _=False, b=button: self._choose(b))
            self.day_buttons.append(button)
            layout.addWidget(button)
        self.newer_button = QPushButton("Ne&wer ›")
        self.newer_button.setToolTip("Show the next 14 days")
        self.newer_button.setAutoDefault(False)
        self.newer_button.clicked.connect(lambda: self.show_days_ending(self.last_day + _SPAN))
        layout.addWidget(self.newer_button)
        theme.follow_palette(self, self._restyle)

    # ----------------------------------------------------------------- days
    def days(self) -> list[date]:
        return [self.last_day - timedelta(days=DAYS - 1 - i) for i in range(DAYS)]

    def button_for(self, day: date) -> QPushButton | None:
        days = self.days()
        return self.day_buttons[days.index(day)] if day in days else None

    def show_days_ending(self, last_day: date) -> None:
        """Show the 14 days up to ``last_day`` (never past today), read which have a check-in."""
        self.last_day = min(last_day, self._today())
        days = self.days()
        self.marked = self._days_with_checkin(days[0], days[-1])
        self._update_buttons()

    def set_current(self, day: date) -> None:
        """The dialog now shows ``day``: bring it into view and mark it as the shown one."""
        self.current = day
        if day not in self.days():
            self.show_days_ending(day + timedelta(days=DAYS // 2))
        else:
            self._update_buttons()

    def set_marked(self, day: date, has_checkin: bool) -> None:
        """A save or an undo changed whether ``day`` has a check-in (no query needed)."""
        if has_checkin:
            self.marked.add(day)
        else:
            self.marked.discard(day)
        self._update_buttons()

    def _update_buttons(self) -> None:
        today = self._today()
        for day, button in zip(self.days(), self.day_buttons, strict=True):
            marked = day in self.marked
            head = "today" if day == today else f"{day:%a}"
            button.setText(f"{head}\n{CHECK if marked else ' '} {day.day}")
            state = "has a check-in" if marked else "no check-in"
            button.setAccessibleName(f"{day:%A} {day.day} {day:%B}: {state}")
            button.setToolTip(f"{day:%A} {day.day} {day:%B}: {state}")
            button.setEnabled(day <= today)
            button.setChecked(day == self.current)
            button.setProperty("marked", marked)
            font = button.font()
            font.setBold(day == today)
            button.setFont(font)
            is_stop = day == self.current or (self.current not in self.days() and day == today)
            button.setFocusPolicy(
                Qt.FocusPolicy.StrongFocus if is_stop else Qt.FocusPolicy.ClickFocus
            )
        self.newer_button.setEnabled(self.last_day < today)
        self._restyle()

    def _restyle(self) -> None:
        """Marked days tinted with the palette's highlight, text from the same palette."""
        palette = theme.app_palette()
        base = palette.color(QPalette.ColorRole.Button)
        tint = _mix(base, palette.color(QPalette.ColorRole.Highlight), 0.35)
        text = theme.readable_on(tint, palette.color(QPalette.ColorRole.ButtonText))
        for button in self.day_buttons:
            if button.property("marked"):
                button.setStyleSheet(
                    f"QPushButton {{ background: {tint.name()}; color: {text.name()};"
                    " border: 1px solid palette(mid); border-radius: 3px; padding: 2px 4px; }"
                    " QPushButton:checked { border: 2px solid palette(highlight); }"
                    " QPushButton:focus { border: 2px dashed palette(highlight); }"
                )
            else:  # the shown day stands out by its border, marked or not
                button.setStyleSheet(
                    "QPushButton:checked { border: 2px solid palette(highlight);"
                    " border-radius: 3px; padding: 2px 4px; }"
                )

    # ----------------------------------------------------------------- choosing
    def _choose(self, button: QPushButton) -> None:
        day = self.days()[self.day_buttons.index(button)]
        button.setChecked(day == self.current)  # the dialog decides (it may ask first)
        self.day_chosen.emit(day)  # the shown day again: the dialog moves on to its questions

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() != QEvent.Type.KeyPress or watched not in self.day_buttons:
            return False
        assert isinstance(event, QKeyEvent)
        index = self.day_buttons.index(watched)
        key = event.key()
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            step = -1 if key == Qt.Key.Key_Left else 1
            target = index + step
            if 0 <= target < DAYS and self.day_buttons[target].isEnabled():
                self.day_buttons[target].setFocus(Qt.FocusReason.TabFocusReason)
            elif target < 0:
                self.show_days_ending(self.last_day - timedelta(days=1))
                self.day_buttons[0].setFocus(Qt.FocusReason.TabFocusReason)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self._choose(self.day_buttons[index])
            return True
        return False


_SPAN = timedelta(days=DAYS)


def _mix(a: QColor, b: QColor, share_of_b: float) -> QColor:
    return QColor(
        round(a.red() + (b.red() - a.red()) * share_of_b),
        round(a.green() + (b.green() - a.green()) * share_of_b),
        round(a.blue() + (b.blue() - a.blue()) * share_of_b),
    )
