"""The daily check-in: one compact, keyboard-first dialog about one day and the night before it.

Nothing is pre-selected: an untouched question is saved as "not recorded" (None), never as a
default answer, and a chosen answer can be taken back (click it again, its number again, or
Delete). The dialog is built once and shown again (``load``), like the log form. It does not
write: ``save`` (given by ui/checkin/menu.py) writes through the store and pushes the undo
command, and raises ValidationError/StoreError, shown here with nothing lost.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker.diary.checkin import (
    DAY_QUESTIONS,
    NIGHT_CRAMPS,
    NOTES_MAX,
    SLEEP_DISTURBANCE_MAX,
    SLEEP_DISTURBANCE_MIN,
    CheckIn,
)
from tracker.diary.episode import ValidationError
from tracker.store import StoreError
from ui.checkin.calendar_strip import CalendarStrip
from ui.checkin.commands import day_title
from ui.checkin.toggle_row import ToggleRow
from ui.widgets import theme

# Each question's label with its Alt+letter (distinct from the dialog's other letters).
LABELS = {
    "fluids": "&Fluids today",
    "exercise": "&Exercise",
    "long_still": "&Long sitting or standing",
    "footwear": "S&hoes worn most",
    "stretched": "S&tretched",
    "stress": "St&ress",
    "unwell": "&Unwell",
    "medicines_as_usual": "&Medicines or supplements as usual",
}
HINT = (
    "Number keys or ←→ Space choose · the same again or Del: not recorded · "
    "Tab or ↑↓: next question · Enter saves · Esc cancels"
)

SaveCheckIn = Callable[[CheckIn, "CheckIn | None"], None]


class CheckInDialog(QDialog):
    def __init__(
        self,
        save: SaveCheckIn,
        load_checkin: Callable[[date], CheckIn | None],
        days_with_checkin: Callable[[date, date], set[date]],
        log_night: Callable[[date], object],
        parent: QWidget | None = None,
        today: Callable[[], date] = date.today,
    ):
        super().__init__(parent)
        self._save = save
        self._load_checkin = load_checkin
        self._log_night = log_night
        self._today = today
        self.day = today()
        self.mode = "evening"
        self.loaded: CheckIn | None = None  # the stored check-in of ``day`` when loaded
        self.saved: CheckIn | None = None  # what the last save wrote
        layout = QVBoxLayout(self)

        self.heading = QLabel()
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.heading.setFont(font)
        layout.addWidget(self.heading)
        self.strip = CalendarStrip(days_with_checkin, today)
        self.strip.day_chosen.connect(self.switch_to_day)
        layout.addWidget(self.strip)

        self.rows: dict[str, ToggleRow] = {}
        self.day_box = QGroupBox("About the day")
        day_form = QFormLayout(self.day_box)
        for question in DAY_QUESTIONS:
            row = ToggleRow(list(question.vocabulary.items()), question.label)
            label = QLabel(LABELS.get(question.name, question.label))
            label.setBuddy(row)
            day_form.addRow(label, row)
            self.rows[question.name] = row

        self.night_box = QGroupBox("About last night")
        night_form = QFormLayout(self.night_box)
        night = self.rows["night_cramps"] = ToggleRow(
            list(NIGHT_CRAMPS.items()), "Cramps last night"
        )
        self.log_button = QPushButton("Lo&g them…")  # auto-default: Enter on it logs
        self.log_button.setToolTip("Log last night's cramps, the time preset to the night")
        self.log_button.clicked.connect(lambda: self._log_night(self.day))
        night_line = QHBoxLayout()
        night_line.addWidget(night)
        night_line.addWidget(self.log_button)
        night_line.addStretch(1)
        night_label = QLabel("&Cramps last night?")
        night_label.setBuddy(night)
        night_form.addRow(night_label, night_line)
        scale = [(str(n), str(n)) for n in range(SLEEP_DISTURBANCE_MIN, SLEEP_DISTURBANCE_MAX + 1)]
        sleep = self.rows["sleep_disturbance"] = ToggleRow(
            scale, "How much cramps disturbed sleep, 0 to 10", first_digit=0
        )
        for button in sleep.buttons:
            button.setMinimumWidth(button.fontMetrics().horizontalAdvance("10") + 18)
            button.setMaximumWidth(button.minimumWidth() + 8)
        sleep_label = QLabel("Slee&p disturbed by cramps")
        sleep_label.setBuddy(sleep)
        sleep_line = QVBoxLayout()
        sleep_line.setSpacing(0)
        sleep_line.addWidget(sleep)
        scale_hint = QLabel("0 not at all … 10 could not sleep")
        scale_hint.setEnabled(False)
        sleep_line.addWidget(scale_hint)
        night_form.addRow(sleep_label, sleep_line)

        self.notes = QLineEdit()
        self.notes.setMaxLength(NOTES_MAX)
        self.notes.setPlaceholderText("Optional")
        self.notes.setAccessibleName("Notes")
        notes_label = QLabel("&Notes")
        notes_label.setBuddy(self.notes)
        self.notes_form = QFormLayout()
        self.notes_form.addRow(notes_label, self.notes)

        self.sections = QVBoxLayout()
        self.sections.addWidget(self.day_box)
        self.sections.addWidget(self.night_box)
        layout.addLayout(self.sections)
        layout.addLayout(self.notes_form)

        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName("Problems")
        theme.keep_message_colour(self.error_label, "error")
        self.error_label.hide()
        layout.addWidget(self.error_label)

        bottom = QHBoxLayout()
        hint = QLabel(HINT)
        hint.setWordWrap(True)
        hint.setEnabled(False)
        bottom.addWidget(hint, 1)
        self.save_button = QPushButton("&Save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.try_save)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.cancel_button)
        layout.addLayout(bottom)

        order = [*self.rows.values()]
        for index, row in enumerate(order):
            row.chosen_by_key.connect(lambda i=index: self._next_row_after(i, by_key=True))
        night.changed.connect(self._update_log_button)
        self._update_log_button()

    # ----------------------------------------------------------------- loading
    def row_order(self) -> list[ToggleRow]:
        """The questions in the order shown (the night first in the morning)."""
        day = [self.rows[q.name] for q in DAY_QUESTIONS]
        night = [self.rows["night_cramps"], self.rows["sleep_disturbance"]]
        return night + day if self.mode == "morning" else day + night

    def load(self, day: date, mode: str = "evening") -> None:
        """Show ``day``'s check-in (empty if none); ``mode`` 'morning' asks about the night
        first."""
        if mode != self.mode:
            self.mode = mode
            first, second = (
                (self.night_box, self.day_box)
                if mode == "morning"
                else (self.day_box, self.night_box)
            )
            self.sections.removeWidget(first)
            self.sections.removeWidget(second)
            self.sections.addWidget(first)
            self.sections.addWidget(second)
        self._show_day(day)
        self.strip.show_days_ending(self._today())
        self.strip.set_current(day)
        self._chain_focus()
        self.focus_first_question()

    def focus_first_question(self) -> None:
        self.row_order()[0].focus_stop().setFocus(Qt.FocusReason.OtherFocusReason)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)  # QDialog gives the focus to its default button here
        self.focus_first_question()

    def _show_day(self, day: date) -> None:
        self.day = day
        self.loaded = self._load_checkin(day)
        self.show_checkin(self.loaded or CheckIn(day=day))
        title = f"Check-in for {day_title(day, self._today())}"
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.heading.setText(title)
        self.error_label.hide()

    def show_checkin(self, checkin: CheckIn) -> None:
        for name, row in self.rows.items():
            value = getattr(checkin, name)
            row.set_value(None if value is None else str(value))
        self.notes.setText(checkin.notes)
        self._update_log_button()

    def checkin(self) -> CheckIn:
        """The answers as shown: an untouched question is None."""
        answers: dict[str, str | None] = {name: row.value() for name, row in self.rows.items()}
        sleep = answers.pop("sleep_disturbance")
        return CheckIn(
            day=self.day,
            sleep_disturbance=None if sleep is None else int(sleep),
            notes=self.notes.text().strip(),
            **answers,
        )

    def is_changed(self) -> bool:
        return self.checkin() != (self.loaded or CheckIn(day=self.day))

    # ----------------------------------------------------------------- switching days
    def switch_to_day(self, day: date) -> bool:
        """Show ``day`` instead; with unsaved answers, ask Save/Discard/Cancel first."""
        if day > self._today():
            return False
        if day == self.day:
            self.focus_first_question()
            return True
        if self.is_changed():
            buttons = QMessageBox.StandardButton
            answer = self._ask_to_save()
            if answer == buttons.Cancel:
                self.strip.set_current(self.day)
                return False
            if answer == buttons.Save and not self._write():
                self.strip.set_current(self.day)
                return False
        self._show_day(day)
        self.strip.set_current(day)
        self._chain_focus()
        self.focus_first_question()  # the day chosen: on to its questions
        return True

    # ----------------------------------------------------------------- saving
    def _write(self) -> bool:
        checkin = self.checkin()
        try:
            self._save(checkin, self.loaded)
        except ValidationError as exc:
            self._show_problem("\n".join(exc.errors.values()))
            return False
        except StoreError as exc:
            self._show_problem(f"Could not save the check-in: {exc}")
            return False
        self.saved = checkin
        self.loaded = None if checkin.is_empty() else checkin
        self.strip.set_marked(checkin.day, not checkin.is_empty())
        self.error_label.hide()
        return True

    def try_save(self) -> bool:
        if self._write():
            self.accept()
            return True
        return False

    def _ask_to_save(self) -> QMessageBox.StandardButton:
        """Save, Discard or Cancel for the unsaved answers of the day shown."""
        buttons = QMessageBox.StandardButton
        return QMessageBox.question(
            self,
            "Save this check-in?",
            f"Your answers for {day_title(self.day, self._today())} are not saved yet.",
            buttons.Save | buttons.Discard | buttons.Cancel,
            buttons.Save,
        )

    def reject(self) -> None:
        """Esc, Cancel or closing: with unsaved answers, ask Save/Discard/Cancel first (answers
        given at 3 a.m. are not lost to a stray Esc)."""
        if self.isVisible() and self.is_changed():
            buttons = QMessageBox.StandardButton
            answer = self._ask_to_save()
            if answer == buttons.Cancel:
                return
            if answer == buttons.Save:
                self.try_save()
                return
        super().reject()

    def _show_problem(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    # ----------------------------------------------------------------- keyboard
    def _chain_focus(self) -> None:
        """Tab goes through the strip, then the questions in the order shown, then the rest."""
        stops: list[QWidget] = [self.strip.earlier_button]
        stops += self.strip.day_buttons + [self.strip.newer_button]
        for row in self.row_order():
            stops += row.buttons
            if row is self.rows["night_cramps"]:
                stops.append(self.log_button)
        stops += [self.notes, self.save_button, self.cancel_button]
        for first, second in zip(stops, stops[1:], strict=False):
            QWidget.setTabOrder(first, second)
        order = self.row_order()
        for index, row in enumerate(order):
            row.move_focus = partial(self._move_from, index)

    def _move_from(self, index: int, step: int) -> None:
        self._next_row_after(index, step=step)

    def _next_row_after(self, index: int, step: int = 1, by_key: bool = False) -> None:
        order = self.row_order()
        if by_key:  # ``index`` counts in creation order; find the row in the shown order
            row = [*self.rows.values()][index]
            if row is self.rows["night_cramps"] and row.value() == "yes":
                self.log_button.setFocus(Qt.FocusReason.TabFocusReason)  # Enter: log them
                return
            index = order.index(row)
        target = index + step
        if target < 0:
            button = self.strip.button_for(self.day)
            (button or self.strip.earlier_button).setFocus(Qt.FocusReason.BacktabFocusReason)
        elif target >= len(order):
            self.notes.setFocus(Qt.FocusReason.TabFocusReason)
        else:
            order[target].focus_stop().setFocus(Qt.FocusReason.TabFocusReason)

    def _update_log_button(self) -> None:
        self.log_button.setEnabled(self.rows["night_cramps"].value() == "yes")
