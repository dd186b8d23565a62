"""Bringing in a diary kept in a spreadsheet: which of its columns means which of our fields.

People write "Left", "left foot" or "L", "2:30" or "150" for a duration, a date in one column and
the time in another. The conversions here are lenient about such spelling, but every converted
row still goes through the same validation as the form, so nothing invalid gets in.

Only the start and the duration are needed. A field with no column, or an empty cell, is "not
recorded", as in a quick log: a value the person never wrote down must not turn into a fact in
their charts and reports. A fixed value for every row is still possible when they know it (all
rows were night cramps in bed, say), but it is a choice, never the default.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime

from tracker import vocab
from tracker.episode import FIELD_LABELS, NOT_RECORDED, OPTIONAL_FIELDS, Episode
from tracker.export_csv import CSV_COLUMNS

# Our fields a foreign column can be mapped to, with the names people read in the mapping step.
MAPPABLE_FIELDS = {
    "started_at": "Start (date and time)",
    "date": "Date",
    "time": "Time of day",
    "duration_s": "Duration (seconds or m:ss)",
    "duration_min": "Duration (minutes)",
    **{
        name: FIELD_LABELS[name]
        for name in CSV_COLUMNS[3:]  # side ... notes
    },
}
# Fields that, when the file has no column for them, may get one fixed value for every row
# instead of the default "not recorded".
FIXED_VALUE_FIELDS = OPTIONAL_FIELDS
VOCABULARIES = {
    "side": vocab.SIDES,
    "site": vocab.SITES,
    "activity": vocab.ACTIVITIES,
    "hydration": vocab.HYDRATION,
    "footwear": vocab.FOOTWEAR,
    "relief": vocab.RELIEF,
    "relief_effect": vocab.RELIEF_EFFECT,
    "context": vocab.CONTEXT,
    "warning_signs": vocab.WARNING_SIGNS,
}
MULTI_FIELDS = ("site", "relief", "context", "warning_signs")
PREVIEW_ROWS = 8
_MULTI_SPLIT = re.compile(r"[;,|]")
_EXTRA_SPELLINGS = {
    "side": {"l": "left", "r": "right", "b": "both", "left foot": "left", "right foot": "right"},
    "relief_effect": {"helped": "yes", "partly helped": "partly", "did not help": "no"},
    "hydration": {"well hydrated": "well", "under hydrated": "under", "dehydrated": "under"},
    # The label of the older combined sign before it was split: it stays the older code, since
    # it does not say which of the two it was.
    "warning_signs": {"fever or visible injury": "fever_injury"},
}
_TRUE = {"1", "yes", "y", "true", "x", "tight", "approx", "approximate"}
_FALSE = {"", "0", "no", "n", "false"}


@dataclass(frozen=True)
class ColumnMapping:
    """``columns``: our field -> index of their column; ``defaults``: our field -> fixed value."""

    columns: dict[str, int] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    delimiter: str = ","
    strict_width: bool = False

    def problems(self) -> list[str]:
        """What is still missing before the mapping can be used, in words for a person."""
        problems = []
        if "started_at" not in self.columns and "date" not in self.columns:
            problems.append("Choose the column with the start date (and time).")
        if not ({"duration_s", "duration_min"} & set(self.columns)) and not self.defaults.get(
            "duration_s"
        ):
            problems.append("Choose the column with the duration.")
        return problems

    def not_recorded(self) -> list[str]:
        """Our fields no row of the file will fill (no column, no fixed value), by label."""
        return [
            FIELD_LABELS[name]
            for name in FIXED_VALUE_FIELDS
            if name not in self.columns and not self.defaults.get(name)
        ]

    def describe(self) -> str:
        """The mapping's effect in one paragraph, for the person to check before going on."""
        lines = []
        fixed = [
            f"{FIELD_LABELS[name]} = {_value_label(name, self.defaults[name])}"
            for name in FIXED_VALUE_FIELDS
            if name not in self.columns and self.defaults.get(name)
        ]
        if fixed:
            lines.append("The same value for every row: " + "; ".join(fixed) + ".")
        missing = self.not_recorded()
        if missing:
            lines.append(
                f"{NOT_RECORDED} (no column): {', '.join(missing)}. These stay empty, not guessed."
            )
        lines.append(f"An empty cell means '{NOT_RECORDED.lower()}' for that episode.")
        return " ".join(lines)


@dataclass(frozen=True)
class ForeignTable:
    """The first rows of a CSV, for the person to recognise their columns."""

    header: list[str]
    rows: list[list[str]]
    delimiter: str


def sniff_table(text: str, max_rows: int = PREVIEW_ROWS) -> ForeignTable:
    sample = text[:16384]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    try:
        for row in reader:
            if any(c.strip() for c in row):
                rows.append(row)
            if len(rows) > max_rows:
                break
    except csv.Error:
        pass
    header = rows[0] if rows else []
    return ForeignTable(header, rows[1:], delimiter)


def guess_mapping(header: list[str], delimiter: str = ",") -> ColumnMapping:
    """Match column titles to our fields by name or label, so the common case needs no clicks."""
    names = {}
    for fld, label in MAPPABLE_FIELDS.items():
        for spelling in (fld, label, FIELD_LABELS.get(fld, fld), fld.replace("_", " ")):
            names.setdefault(_norm(spelling), fld)
    names.update(
        {
            "duration": "duration_s",
            "seconds": "duration_s",
            "secs": "duration_s",
            "minutes": "duration_min",
            "mins": "duration_min",
            "start": "started_at",
            "when": "started_at",
            "datetime": "started_at",
            "date and time": "started_at",
            "where": "site",
            "location": "site",
            "pain": "severity",
            "how bad": "severity",
            "intensity": "severity",
            "shoes": "footwear",
            "note": "notes",
            "comment": "notes",
            "comments": "notes",
        }
    )
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        fld = names.get(_norm(title))
        if fld and fld not in columns:
            columns[fld] = index
    return ColumnMapping(columns=columns, delimiter=delimiter)


def episode_from_cells(mapping: ColumnMapping, cells: list[str]) -> Episode | str:
    """One foreign row to an Episode, or the reason it cannot be one."""

    def cell(name: str) -> str | None:
        index = mapping.columns.get(name)
        if index is None:
            return mapping.defaults.get(name)
        return cells[index].strip() if index < len(cells) else ""

    errors: list[str] = []
    started = _start(cell("started_at"), cell("date"), cell("time"), errors)
    duration = _duration(cell("duration_s"), cell("duration_min"), errors)
    severity_text = cell("severity")
    severity = _number(severity_text, "Severity", errors) if severity_text else None
    fluid_text = cell("fluid_ml")
    fluid = _number(fluid_text, "Fluid drunk", errors) if fluid_text else None
    values = {}
    for name in ("side", "activity", "hydration", "footwear", "relief_effect"):
        text = cell(name)
        values[name] = _code(name, text, errors) if text else None
    for name in MULTI_FIELDS:
        parts = [p.strip() for p in _MULTI_SPLIT.split(cell(name) or "") if p.strip()]
        values[name] = tuple(dict.fromkeys(_code(name, p, errors) for p in parts))
    for name in ("footwear_tight", "time_approximate"):
        text = (cell(name) or "").lower()
        if text not in _TRUE | _FALSE:
            errors.append(f"{FIELD_LABELS[name]}: '{text[:20]}' should be yes or no.")
        values[name] = text in _TRUE
    if errors:
        return " ".join(errors)
    return Episode(
        started_at=started,
        duration_s=duration,
        severity=severity,
        fluid_ml=fluid,
        notes=cell("notes") or "",
        **values,
    )


def _value_label(name: str, code: str) -> str:
    if name == "severity":
        return f"{code}/10"
    return VOCABULARIES[name].get(code, code)


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _code(name: str, text: str, errors: list[str]) -> str:
    vocabulary = VOCABULARIES[name]
    key = _norm(text)
    for code, label in vocabulary.items():
        if key in (_norm(code), _norm(label)):
            return code
    extra = _EXTRA_SPELLINGS.get(name, {}).get(key)
    if extra:
        return extra
    errors.append(
        f"{FIELD_LABELS[name]}: '{text[:40]}' is none of: {', '.join(vocabulary.values())}."
    )
    return text


def _start(started: str | None, day: str | None, clock: str | None, errors) -> datetime | None:
    text = started if started else " ".join(p for p in (day, clock) if p)
    if not (text or "").strip():
        errors.append("Start: the cell is empty; every row needs a date (and time).")
        return None
    value = _parse_datetime(text or "")
    if value is None:
        errors.append(f"Start: '{(text or '')[:40]}' is not a date and time like 2026-03-29 02:30.")
        return None
    if value.tzinfo is None:  # a spreadsheet's wall-clock time: the computer's own time zone
        value = value.astimezone()
    return value


def _parse_datetime(text: str) -> datetime | None:
    text = text.strip()
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    for fmt in ("%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y", "%Y/%m/%d %H:%M", "%Y/%m/%d"):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def _duration(seconds: str | None, minutes: str | None, errors) -> int | None:
    text, unit = (seconds, 1) if seconds else (minutes, 60)
    text = (text or "").strip().lower()
    if not text:
        errors.append("Duration: the cell is empty; every row needs a duration.")
        return None
    if len(text) > 20:
        errors.append(f"Duration: '{text[:20]}...' is not a duration.")
        return None
    match = re.fullmatch(r"(?:(\d+):)?(\d+):(\d{1,2})", text)
    if match:
        hours, mins, secs = (int(g or 0) for g in match.groups())
        return hours * 3600 + mins * 60 + secs
    match = re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*(s|sec|secs|seconds?|m|min|mins|minutes?)?", text)
    if match:
        number = float(match.group(1).replace(",", "."))
        suffix = match.group(2) or ""
        factor = 60 if suffix.startswith("m") else 1 if suffix else unit
        return round(number * factor)
    errors.append(f"Duration: '{text[:40]}' is not a number of seconds or minutes:seconds.")
    return None


def _number(text: str | None, label: str, errors) -> int | None:
    text = (text or "").strip()
    match = len(text) <= 20 and re.fullmatch(r"(-?\d+(?:[.,]0+)?)(?:\s*/\s*10)?", text)
    if not match:
        errors.append(f"{label}: '{text[:40]}' is not a whole number.")
        return None
    return int(match.group(1).replace(",", ".").split(".")[0])
