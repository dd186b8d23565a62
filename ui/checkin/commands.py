"""Undoable check-in and medicine changes, on the window's undo stack (Edit > Undo).

As with episodes (ui/episode/commands.py), the change is made before the command is pushed, so
a refusal reaches the person as a message and nothing lands on the stack; undo and redo replay
it through the store and report failures through ``report_error`` (Qt swallows exceptions in
redo()/undo()). ``changed`` tells the check-in feature, never ``episodes_changed``: check-ins
are not episodes, and the pages need not read again.
"""

from __future__ import annotations

from datetime import date

from tracker.diary.checkin import CheckIn, Medicine
from tracker.store import MedicineNotFoundError, Store, StoreError
from ui.episode.commands import CommandContext, StoreCommand

CheckinContext = CommandContext  # the same three callables as the episodes' commands


class _Command(StoreCommand):
    REPORTED = (StoreError, ValueError)  # ValidationError is a ValueError


def _put_back(store: Store, day: date, checkin: CheckIn | None) -> None:
    """Make ``day``'s check-in ``checkin`` again (None: no check-in). A past day is always
    allowed (``today`` is the day itself), whenever the undo happens."""
    if checkin is None:
        store.delete_checkin(day)
    else:
        store.save_checkin(checkin, today=max(day, date.today()))


class SaveCheckInCommand(_Command):
    def __init__(
        self, context: CheckinContext, day: date, before: CheckIn | None, after: CheckIn | None
    ):
        super().__init__(context, f"Check-in for {day_title(day)}")
        self.day = day
        self.before = before
        self.after = after

    def do(self, store: Store) -> None:
        _put_back(store, self.day, self.after)

    def undo_in(self, store: Store) -> None:
        _put_back(store, self.day, self.before)


class AddMedicineCommand(_Command):
    def __init__(self, context: CheckinContext, added: Medicine):
        super().__init__(context, f"Add {added.name}")
        self.medicine = added

    def do(self, store: Store) -> None:
        store.add_medicine(self.medicine, today=_latest(self.medicine))

    def undo_in(self, store: Store) -> None:
        store.delete_medicine(_saved_id(self.medicine))


class EditMedicineCommand(_Command):
    def __init__(self, context: CheckinContext, before: Medicine, after: Medicine, text: str):
        super().__init__(context, text)
        self._before = before
        self._after = after

    def do(self, store: Store) -> None:
        store.update_medicine(self._after, today=_latest(self._after))

    def undo_in(self, store: Store) -> None:
        store.update_medicine(self._before, today=_latest(self._before))


class DeleteMedicineCommand(_Command):
    def __init__(self, context: CheckinContext, deleted: Medicine):
        super().__init__(context, f"Delete {deleted.name}")
        self.medicine = deleted

    def do(self, store: Store) -> None:
        store.delete_medicine(_saved_id(self.medicine))

    def undo_in(self, store: Store) -> None:
        store.add_medicine(self.medicine, today=_latest(self.medicine))  # under its own id


def _latest(medicine: Medicine) -> date:
    """The "today" a replayed entry is checked against: it was valid when first saved."""
    return max(date.today(), medicine.started_on, medicine.stopped_on or medicine.started_on)


def _saved_id(medicine: Medicine) -> int:
    if medicine.id is None:
        raise MedicineNotFoundError("This medicine was never saved.")
    return medicine.id


def day_title(day: date, today: date | None = None) -> str:
    """Saturday 21 November (and the year when it is not this year's)."""
    today = today or date.today()
    text = f"{day:%A} {day.day} {day:%B}"
    return text if day.year == today.year else f"{text} {day.year}"
