"""Daily check-ins and the medicine list in our files: JSON items, CSV rows, and back.

Codes are written as stored (tracker.diary.checkin), "not recorded" as JSON ``null`` or an
empty CSV cell, never a guess. Reading checks every value with the same rules as the forms
(``validate_checkin``, ``validate_medicine``) and names what is wrong, so an import never
stores a code the app does not know.

The episodes' CSV stays as other programs know it; check-ins and medicines have their own CSV
files beside it (``side_paths``), recognised on import by their header.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import fields
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from tracker.diary.checkin import CheckIn, Medicine, validate_checkin, validate_medicine
from tracker.interop.export_csv import BOM, guard_cell, unguard_cell

# The stored answers of a check-in, in the dataclass's order (the day first).
CHECKIN_KEYS = tuple(f.name for f in fields(CheckIn))
MEDICINE_KEYS = ("name", "kind", "started_on", "stopped_on", "dose")
_TEXT_ANSWERS = tuple(k for k in CHECKIN_KEYS if k not in ("day", "sleep_disturbance", "notes"))

CHECKINS_SUFFIX = "-checkins.csv"
MEDICINES_SUFFIX = "-medicines.csv"


# ----------------------------------------------------------------------------- writing
def checkin_item(checkin: CheckIn) -> dict[str, object]:
    """A check-in as our JSON writes it: every answer, the day as 'YYYY-MM-DD'."""
    item: dict[str, object] = {name: getattr(checkin, name) for name in CHECKIN_KEYS}
    item["day"] = checkin.day.isoformat()
    return item


def medicine_item(medicine: Medicine) -> dict[str, object]:
    return {
        "name": medicine.name,
        "kind": medicine.kind,
        "started_on": medicine.started_on.isoformat(),
        "stopped_on": None if medicine.stopped_on is None else medicine.stopped_on.isoformat(),
        "dose": medicine.dose,
    }


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, int):
        return value
    return guard_cell(str(value))


def _write_csv(header: Sequence[str], items: Iterable[dict[str, object]], out: TextIO) -> int:
    """A BOM, ``header`` and one row per item (its values in header order); returns the count."""
    writer = csv.writer(out, dialect="excel", lineterminator="\r\n")
    out.write(BOM)
    writer.writerow(header)
    count = 0
    for item in items:
        writer.writerow([_cell(v) for v in item.values()])
        count += 1
    return count


def write_checkins_csv(checkins: Iterable[CheckIn], out: TextIO) -> int:
    """A BOM, the header (``CHECKIN_KEYS``) and one row per check-in; returns the count."""
    return _write_csv(CHECKIN_KEYS, (checkin_item(c) for c in checkins), out)


def write_medicines_csv(medicines: Iterable[Medicine], out: TextIO) -> int:
    """A BOM, the header (``MEDICINE_KEYS``) and one row per medicine; returns the count."""
    return _write_csv(MEDICINE_KEYS, (medicine_item(m) for m in medicines), out)


def side_paths(path: str | Path) -> tuple[Path, Path]:
    """Where the check-ins' and medicines' CSVs go beside an episodes CSV at ``path``:
    'diary.csv' -> 'diary-checkins.csv', 'diary-medicines.csv'."""
    path = Path(path)
    stem = path.name[: -len(".csv")] if path.name.lower().endswith(".csv") else path.name
    return path.with_name(stem + CHECKINS_SUFFIX), path.with_name(stem + MEDICINES_SUFFIX)


# ----------------------------------------------------------------------------- reading
def _day(value: object, what: str, problems: list[str]) -> date | None:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    problems.append(f"{what} '{str(value)[:40]}' is not a date like 2026-03-01.")
    return None


def checkin_from_item(item: object, today: date) -> CheckIn | str:
    """A check-in from one item of our JSON (or a CSV row as a dict), or why it cannot be."""
    if not isinstance(item, dict):
        return "is not a check-in (expected an object with a 'day')."
    problems: list[str] = []
    day = _day(item.get("day"), "The day", problems)
    values: dict[str, Any] = {}
    for name in _TEXT_ANSWERS:
        value = item.get(name)
        if value is not None and not isinstance(value, str):
            problems.append(f"{name}: '{str(value)[:40]}' is not one of the choices.")
        values[name] = value
    sleep = item.get("sleep_disturbance")
    if isinstance(sleep, str):  # a CSV cell
        sleep = int(sleep) if sleep.strip().isdigit() else (None if not sleep.strip() else sleep)
    values["sleep_disturbance"] = sleep
    notes = item.get("notes")
    if notes is None:
        notes = ""
    if not isinstance(notes, str):
        problems.append("notes are not text.")
        notes = ""
    values["notes"] = notes
    if problems or day is None:
        return " ".join(problems)
    checkin = CheckIn(day=day, **values)
    problems = validate_checkin(checkin, today)
    return " ".join(problems) if problems else checkin


def medicine_from_item(item: object, today: date) -> Medicine | str:
    if not isinstance(item, dict):
        return "is not a medicine (expected an object with a 'name')."
    problems: list[str] = []
    name, kind, dose = item.get("name"), item.get("kind"), item.get("dose") or ""
    if not isinstance(name, str) or not isinstance(kind, str) or not isinstance(dose, str):
        return "name, kind and dose must be text."
    started = _day(item.get("started_on"), "The start date", problems)
    stopped_value = item.get("stopped_on")
    stopped = None
    if stopped_value not in (None, ""):
        stopped = _day(stopped_value, "The stop date", problems)
    if problems or started is None:
        return " ".join(problems)
    medicine = Medicine(name.strip(), kind, started, stopped, dose.strip())
    problems = validate_medicine(medicine, today)
    return " ".join(problems) if problems else medicine


def is_checkin_header(columns: Sequence[str]) -> bool:
    return tuple(columns) == CHECKIN_KEYS


def is_medicine_header(columns: Sequence[str]) -> bool:
    return tuple(columns) == MEDICINE_KEYS


def csv_item(columns: Sequence[str], cells: Sequence[str]) -> dict[str, object]:
    """A row of our check-in or medicine CSV as the dict the JSON readers take (an empty cell
    is "not recorded")."""
    return {
        name: (unguard_cell(cell) if cell != "" else (None if name != "notes" else ""))
        for name, cell in zip(columns, cells, strict=False)
    }
