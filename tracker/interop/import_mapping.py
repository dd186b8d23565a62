"""Bringing in a diary kept in a spreadsheet: which of its columns means which of our fields.

People write "Left", "left foot" or "L", "2:30" or "150" for a duration, a date in one column and
the time in another. The conversions here are lenient about such spelling, but every converted
row still goes through the same validation as the form, so nothing invalid gets in.

Only the start and the duration are needed. A field with no column, or an empty cell, is "not
recorded", as in a quick log: a value the person never wrote down must not turn into a fact in
their charts and reports. A fixed value for every row is still possible when they know it (all
rows were night cramps in bed, say), but it is a choice, never the default. The duration may be
fixed too (a diary that never noted it), in a unit the person chooses.

Files from other programs differ in ways a single row cannot tell: 01/03/2026 is March or
January, 1.500 is one and a half or fifteen hundred. ``resolve_formats`` reads the whole column
first; when every date fits both orders the mapping must say (``date_order``), and how the file
was read is reported in the preview (the duration's unit, the date order, a decimal comma). A
row filter keeps only the rows whose cell contains a word (cramps among headaches); the rows it
leaves out are counted, never dropped silently. Mappings are saved as JSON (``to_json``), with
columns by title so that they fit next month's file too.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from tracker.diary.episode import (
    BOOL_FIELDS,
    FIELD_LABELS,
    FIELDS,
    MULTI_FIELDS,
    NOT_RECORDED,
    OPTIONAL_FIELDS,
    SINGLE_FIELDS,
    Episode,
)
from tracker.interop.export_csv import unguard_cell
from tracker.interop.import_source import ImportFileError

# Our fields a foreign column can be mapped to, with the names people read in the mapping step.
MAPPABLE_FIELDS = {
    "started_at": "Start (date and time)",
    "date": "Date",
    "time": "Time of day",
    "duration_s": "Duration (unit below, or m:ss)",
    "duration_min": "Duration (minutes)",
    **{spec.name: spec.label for spec in FIELDS if not spec.required},  # side ... notes
}
# Fields that, when the file has no column for them, may get one fixed value for every row
# instead of the default "not recorded". The duration may have one too (in ``duration_unit``),
# for a diary that never noted it: a choice the person makes, shown in the preview.
FIXED_VALUE_FIELDS = OPTIONAL_FIELDS
DURATION_UNITS = {"seconds": 1, "minutes": 60, "hours": 3600}
DATE_ORDERS = {"dmy": "day first, as in 31/01/2026", "mdy": "month first, as in 01/31/2026"}
MAPPING_FORMAT = "cramp-tracker-column-mapping"
_UNIT_WORDS = {
    "minutes": {"min", "mins", "minute", "minutes", "minuten", "minuti", "minutos", "m"},
    "hours": {"h", "hr", "hrs", "hour", "hours", "stunden", "std", "heures", "horas"},
    "seconds": {"s", "sec", "secs", "second", "seconds", "sek", "sekunden", "secondes"},
}
_DURATION_WORDS = {"duration", "dauer", "length", "how long", "duree", "durata", "duracion"}
VOCABULARIES: dict[str, Mapping[str, str]] = {
    spec.name: spec.vocabulary for spec in FIELDS if spec.vocabulary is not None
}
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


class AmbiguousDatesError(ImportFileError):
    """Every date of a column reads both day-first and month-first: the mapping must say."""


@dataclass(frozen=True)
class ColumnMapping:
    """``columns``: our field -> index of their column; ``defaults``: our field -> fixed value.

    Before ``bind`` a column may also be named by its title (a saved mapping reused on another
    file). Empty ``date_order``/``decimal``/``delimiter`` mean "found from the file".
    """

    columns: dict[str, int | str] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    delimiter: str = ","
    strict_width: bool = False
    duration_unit: str = ""  # seconds, minutes or hours; "" = seconds (m:ss is always exact)
    filter_column: int | str | None = None  # keep only rows whose cell here contains...
    filter_text: str = ""  # ...this text (any case)
    date_order: str = ""  # "dmy" or "mdy" when the dates fit both
    decimal: str = ""  # "." or ","
    unguard: bool = False  # our own CSV with columns added: undo the export's formula guard

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

    def unit_factor(self) -> int:
        return DURATION_UNITS.get(self.duration_unit, 1)

    def keeps(self, cells: list[str]) -> bool:
        """The row filter: False for a row to leave out (counted, never silently dropped)."""
        if self.filter_column is None or not self.filter_text.strip():
            return True
        index = self.filter_column
        cell = cells[index] if isinstance(index, int) and index < len(cells) else ""
        return self.filter_text.strip().casefold() in cell.casefold()

    def describe_filter(self, header: list[str]) -> str:
        if self.filter_column is None or not self.filter_text.strip():
            return ""
        return f"{_title(header, self.filter_column)} does not contain '{self.filter_text.strip()}'"

    def bind(self, header: list[str]) -> ColumnMapping:
        """Column titles to their index in this file's ``header``; raises ImportFileError."""
        titles = {_norm(title): i for i, title in reversed(list(enumerate(header)))}
        missing = []

        def index(ref: int | str | None) -> int | None:
            if isinstance(ref, int) or ref is None:
                return ref
            found = titles.get(_norm(ref))
            if found is None:
                missing.append(ref)
            return found

        columns = cast(
            dict[str, int | str], {name: index(ref) for name, ref in self.columns.items()}
        )
        filter_column = index(self.filter_column)
        if missing:
            raise ImportFileError(
                "The column mapping names columns this file does not have: "
                + ", ".join(f"'{m[:40]}'" for m in missing)
                + f". Its columns are: {', '.join(repr(t[:40]) for t in header[:20])}."
            )
        return dataclasses.replace(self, columns=columns, filter_column=filter_column)

    def to_json(self, header: list[str] | None = None) -> str:
        """A mapping to save and use again: columns by title when ``header`` is given."""

        def ref(index: int | str | None) -> int | str | None:
            if isinstance(index, int) and header is not None and index < len(header):
                return header[index]
            return index + 1 if isinstance(index, int) else index

        data = {
            "format": MAPPING_FORMAT,
            "version": 1,
            "columns": {name: ref(i) for name, i in self.columns.items()},
            "fixed": dict(self.defaults),
            "duration_unit": self.duration_unit or "seconds",
            "date_order": self.date_order,
            "decimal": self.decimal,
            "delimiter": self.delimiter,
        }
        if self.filter_column is not None and self.filter_text.strip():
            data["keep_rows_where"] = {
                "column": ref(self.filter_column),
                "contains": self.filter_text.strip(),
            }
        return json.dumps(data, indent=2, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> ColumnMapping:
        """Raises ValueError with a message for a person when the text is not a mapping."""
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ValueError(f"the mapping is not valid JSON ({exc})") from None
        if not isinstance(data, dict) or not isinstance(data.get("columns"), dict):
            raise ValueError('the mapping has no "columns" object')
        columns = _columns_from_json(data["columns"])
        fixed = _fixed_from_json(data.get("fixed") or {})
        settings = {key: _setting_from_json(data, key) for key in _SETTINGS}
        filter_column, filter_text = _filter_from_json(data.get("keep_rows_where") or {})
        return cls(
            columns=columns,
            defaults={k: str(v) for k, v in fixed.items() if v not in (None, "")},
            filter_column=filter_column,
            filter_text=filter_text,
            **settings,
        )

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
        if not ({"duration_s", "duration_min"} & set(self.columns)) and self.defaults.get(
            "duration_s"
        ):
            value = self.defaults["duration_s"]
            unit = self.duration_unit or "seconds"
            unit = unit.rstrip("s") if value in ("1", "1.0", "1,0") else unit
            fixed.insert(0, f"Duration = {value} {unit}")
        if fixed:
            lines.append("The same value for every row: " + "; ".join(fixed) + ".")
        missing = self.not_recorded()
        if missing:
            lines.append(
                f"{NOT_RECORDED} (no column): {', '.join(missing)}. These stay empty, not guessed."
            )
        lines.append(f"An empty cell means '{NOT_RECORDED.lower()}' for that episode.")
        return " ".join(lines)


def _ref(value: object, where: str) -> int | str:
    """A saved column: its title, or its number from 1 (an index from 0 here)."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"{where}: expected a column title or a column number from 1")
    if isinstance(value, int):
        if value < 1:
            raise ValueError(f"{where}: column numbers start at 1")
        return value - 1
    return value


def _filter_from_json(keep: object) -> tuple[int | str | None, str]:
    if not isinstance(keep, dict):
        raise ValueError('"keep_rows_where" should be {"column": ..., "contains": ...}')
    column = _ref(keep["column"], "keep_rows_where") if keep.get("column") else None
    return column, str(keep.get("contains") or "")


def _columns_from_json(saved: dict[str, object]) -> dict[str, int | str]:
    columns = {}
    for name, value in saved.items():
        if name not in MAPPABLE_FIELDS:
            raise ValueError(f"unknown field '{name}' (known: {', '.join(MAPPABLE_FIELDS)})")
        if value is not None:
            columns[name] = _ref(value, name)
    return columns


def _fixed_from_json(fixed: object) -> dict[str, Any]:
    if not isinstance(fixed, dict):
        raise ValueError('"fixed" should be an object of field: value')
    for name, value in fixed.items():
        if name not in (*FIXED_VALUE_FIELDS, "duration_s"):
            raise ValueError(f"'{name}' cannot have a fixed value")
        vocabulary = VOCABULARIES.get(name)
        if vocabulary is not None and value and value not in vocabulary:
            raise ValueError(f"fixed {name}: '{value}' is none of {', '.join(vocabulary)}")
    return fixed


# A saved mapping's settings: each one's allowed values ("" = found from the file) and the
# message for any other value.
_SETTINGS: Mapping[str, tuple[Callable[[str], bool], Callable[[str], str]]] = {
    "duration_unit": (
        lambda unit: not unit or unit in DURATION_UNITS,
        lambda unit: f"duration_unit: '{unit}' is none of {', '.join(DURATION_UNITS)}",
    ),
    "date_order": (
        lambda order: not order or order in DATE_ORDERS,
        lambda order: f"date_order: '{order}' should be dmy or mdy",
    ),
    "decimal": (
        lambda decimal: decimal in ("", ".", ","),
        lambda _: "decimal: should be '.' or ','",
    ),
    "delimiter": (
        lambda delimiter: len(delimiter) <= 1,
        lambda _: "delimiter: one character, such as ',' or ';'",
    ),
}


def _setting_from_json(data: dict[str, Any], key: str) -> Any:
    value = data.get(key) or ""
    allowed, message = _SETTINGS[key]
    if not allowed(value):
        raise ValueError(message(value))
    return value


@dataclass(frozen=True)
class ForeignTable:
    """The first rows of a CSV, for the person to recognise their columns."""

    header: list[str]
    rows: list[list[str]]
    delimiter: str


_SEP_LINE = re.compile(r"sep=(.)\s*")


def sep_line(line: str) -> str | None:
    """The delimiter named by Excel's ``sep=;`` first line, or None."""
    match = _SEP_LINE.fullmatch(line.lstrip("\ufeff").rstrip("\r\n"))
    return match.group(1) if match else None


def sniff_delimiter(first_line: str) -> str:
    """The delimiter of a table from its header line: the most frequent of tab, ; and ,."""
    counts = {d: first_line.count(d) for d in ("\t", ";", ",")}
    best = max(counts, key=lambda d: counts[d])  # ties: tab, then semicolon, then comma
    return best if counts[best] else ","


def _delimited(text: str) -> tuple[str, str]:
    """The table's text and delimiter: from a "sep=" first line (left out of the text), else
    sniffed from the first line that is not blank."""
    lines = text.splitlines(keepends=True)
    delimiter = sep_line(lines[0]) if lines else None
    if delimiter is not None:
        return "".join(lines[1:]), delimiter
    first = next((line for line in lines if line.strip()), "")
    return text, sniff_delimiter(first)


def sniff_table(text: str, max_rows: int = PREVIEW_ROWS) -> ForeignTable:
    text, delimiter = _delimited(text)
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


def guess_duration_unit(title: str) -> str | None:
    """ "Duration (min)", "Minutes", "Dauer (s)": the unit a column title names, if any."""
    words = set(_norm(title).split())
    for unit, spellings in _UNIT_WORDS.items():
        if words & spellings:
            return unit
    return None


# Other titles people give the columns: (normalised title, field).
_TITLE_ALIASES = {
    "duration": "duration_s",
    "seconds": "duration_s",
    "secs": "duration_s",
    "minutes": "duration_min",
    "mins": "duration_min",
    "start": "started_at",
    "when": "started_at",
    "datetime": "started_at",
    "timestamp": "started_at",
    "date time": "started_at",
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
_DURATION_FIELDS = {"duration_s", "duration_min"}


def _title_names() -> dict[str, str]:
    """Normalised column title -> the field it names: each field's name and labels, then the
    aliases."""
    names: dict[str, str] = {}
    for name, label in MAPPABLE_FIELDS.items():
        for spelling in (name, label, FIELD_LABELS.get(name, name), name.replace("_", " ")):
            names.setdefault(_norm(spelling), name)
    names.update(_TITLE_ALIASES)
    return names


def _field_of(title: str, names: dict[str, str]) -> str | None:
    fld = names.get(_norm(title))
    if fld is None and _is_duration_title(title):
        return "duration_s"
    return fld


def _is_free(fld: str, columns: dict[str, int | str]) -> bool:
    """Whether no earlier column took the field (one duration column of either kind)."""
    return fld not in columns and not (fld in _DURATION_FIELDS and _DURATION_FIELDS & set(columns))


def guess_mapping(header: list[str], delimiter: str = ",") -> ColumnMapping:
    """Match column titles to our fields by name or label, so the common case needs no clicks."""
    names = _title_names()
    columns: dict[str, int | str] = {}
    unit = ""
    for index, title in enumerate(header):
        fld = _field_of(title, names)
        if not fld or not _is_free(fld, columns):
            continue
        columns[fld] = index
        if fld == "duration_s":
            unit = guess_duration_unit(title) or ""
        elif fld == "duration_min":
            unit = "minutes"
    return ColumnMapping(columns=columns, delimiter=delimiter, duration_unit=unit)


def _is_duration_title(title: str) -> bool:
    text = _norm(title)
    return any(word in text for word in _DURATION_WORDS)


def _title(header: list[str], index: int | str | None) -> str:
    if isinstance(index, int) and index < len(header):
        return f"'{header[index]}'"
    return f"column {index + 1}" if isinstance(index, int) else f"'{index}'"


def duration_note(mapping: ColumnMapping, header: list[str]) -> str:
    """How durations are read, for the person to confirm in the preview."""
    if "duration_min" in mapping.columns:
        column = _title(header, mapping.columns["duration_min"])
        return f"Duration read as minutes (from the title {column})."
    index = mapping.columns.get("duration_s")
    unit = mapping.duration_unit or "seconds"
    if index is None:
        value = mapping.defaults.get("duration_s")
        unit = unit.rstrip("s") if value in ("1", "1.0", "1,0") else unit
        return f"Duration: the same for every row, {value} {unit} (the file has no duration)."
    title = header[index] if isinstance(index, int) and index < len(header) else str(index)
    guessed = guess_duration_unit(title)
    if guessed and guessed == unit:
        return f"Duration read as {unit} (from the title '{title}')."
    if mapping.duration_unit:
        return f"Duration read as {unit} (as chosen for the column '{title}')."
    return (
        f"Duration read as seconds: the title '{title}' does not name a unit. If the numbers "
        "are minutes or hours, choose that unit."
    )


def _cell_reader(mapping: ColumnMapping, cells: list[str]) -> Callable[[str], str | None]:
    """The text of a field in this row: its column's cell, or the mapping's default."""

    def cell(name: str) -> str | None:
        index = mapping.columns.get(name)
        if index is None:
            return mapping.defaults.get(name)
        position = cast(int, index)  # a bound mapping: columns by index
        text = cells[position].strip() if position < len(cells) else ""
        return unguard_cell(text) if mapping.unguard else text

    return cell


def _mapped_duration(
    mapping: ColumnMapping, cell: Callable[[str], str | None], errors: list[str]
) -> int | None:
    if "duration_min" in mapping.columns:
        return _duration(cell("duration_min"), 60, mapping.decimal, errors)
    return _duration(cell("duration_s"), mapping.unit_factor(), mapping.decimal, errors)


def _coded_values(cell: Callable[[str], str | None], errors: list[str]) -> dict[str, Any]:
    """The fields read as codes of a vocabulary, lists of codes, or yes/no."""
    values: dict[str, Any] = {}
    for name in SINGLE_FIELDS:
        text = cell(name)
        values[name] = _code(name, text, errors) if text else None
    for name in MULTI_FIELDS:
        values[name] = _codes(name, cell(name), errors)
    for name in BOOL_FIELDS:
        values[name] = _yes_no(name, cell(name), errors)
    return values


def episode_from_cells(mapping: ColumnMapping, cells: list[str]) -> Episode | str:
    """One foreign row to an Episode, or the reason it cannot be one."""
    cell = _cell_reader(mapping, cells)
    errors: list[str] = []
    started = _start(cell("started_at"), cell("date"), cell("time"), errors, mapping.date_order)
    duration = _mapped_duration(mapping, cell, errors)
    severity_text = cell("severity")
    severity = (
        _number(severity_text, "Severity", mapping.decimal, errors, whole=True)
        if severity_text
        else None
    )
    fluid_text = cell("fluid_ml")
    fluid = _number(fluid_text, "Fluid drunk", mapping.decimal, errors) if fluid_text else None
    values = _coded_values(cell, errors)
    if errors or started is None or duration is None:
        return " ".join(errors)
    return Episode(
        started_at=started,
        duration_s=duration,
        severity=severity,
        fluid_ml=fluid,
        notes=cell("notes") or "",
        **values,
    )


# --------------------------------------------------------------------------- formats
_DATE = re.compile(r"(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})")
_TIME = re.compile(
    r"(\d{1,2})(?:[:.](\d{2})(?:[:.](\d{2})(?:[.,]\d+)?)?)?\s*(?:([ap])\.?\s*m\.?)?"
    r"\s*(z|[+-]\d{2}:?\d{2})?",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"\s*(?:[T,]\s*|\s+)", re.IGNORECASE)


@dataclass
class FileFormats:
    """What the whole of a mapped file's columns say about how its dates and numbers read."""

    day_first: bool = False  # some date only fits day-first (31/01)
    month_first: bool = False  # some date only fits month-first (01/31)
    either: str = ""  # an example of a date that fits both (01/03/2026)
    decimal_point: str = ""  # an example that needs a decimal point (2.5, 1,500.5)
    decimal_comma: str = ""  # an example that needs a decimal comma (2,5)

    def see_date(self, text: str) -> None:
        orders = _date_orders(text)
        if orders == {"dmy"}:
            self.day_first = True
        elif orders == {"mdy"}:
            self.month_first = True
        elif orders == {"dmy", "mdy"} and not self.either:
            self.either = text.strip()[:40]

    def see_number(self, text: str) -> None:
        text = text.strip().replace(" ", "").replace("\u00a0", "")
        if "." in text and "," in text:
            if text.rfind(",") > text.rfind("."):
                self.decimal_comma = self.decimal_comma or text
            else:
                self.decimal_point = self.decimal_point or text
        elif re.fullmatch(r"-?\d*,(\d{1,2}|\d{4,})", text):
            self.decimal_comma = self.decimal_comma or text
        elif re.fullmatch(r"-?\d*\.(\d{1,2}|\d{4,})", text):
            self.decimal_point = self.decimal_point or text


_DATE_FIELDS = ("started_at", "date")
_NUMBER_FIELDS = ("duration_s", "duration_min", "fluid_ml", "severity")


def resolve_formats(
    mapping: ColumnMapping, header: list[str], rows: Iterable[list[str]]
) -> tuple[ColumnMapping, list[str]]:
    """Read every kept row once to find the date order and the decimal separator.

    Returns the mapping with both decided and the notes to show in the preview; raises
    AmbiguousDatesError when every date fits both orders and the mapping does not say which.
    """
    seen = _scan(mapping, rows)
    notes = []
    order = _date_order(mapping, header, seen)
    if order:
        how = "as chosen" if mapping.date_order else "from the whole column"
        notes.append(f"Dates read {DATE_ORDERS[order]} ({how}).")
    decimal = mapping.decimal or _decimal(mapping, seen)
    if not mapping.decimal and decimal == ",":
        notes.append("Numbers read with a decimal comma (2,5 is two and a half; 1.500 is 1500).")
    return dataclasses.replace(mapping, date_order=order, decimal=decimal), notes


def _scan(mapping: ColumnMapping, rows: Iterable[list[str]]) -> FileFormats:
    """What the dates and numbers of the kept rows (and the fixed numbers) say."""
    seen = FileFormats()
    columns = [(index, seen.see_date) for index in _indexes(mapping, _DATE_FIELDS)]
    columns += [(index, seen.see_number) for index in _indexes(mapping, _NUMBER_FIELDS)]
    for cells in rows:
        if mapping.keeps(cells):
            for index, see in columns:
                if index < len(cells):
                    see(cells[index])
    for name in _NUMBER_FIELDS:
        if name in mapping.defaults and name not in mapping.columns:
            seen.see_number(mapping.defaults[name])
    return seen


def _indexes(mapping: ColumnMapping, names: tuple[str, ...]) -> list[int]:
    """The columns of these fields in a bound mapping, in order."""
    found = (mapping.columns.get(name) for name in names)
    return [index for index in found if isinstance(index, int)]


def _date_order(mapping: ColumnMapping, header: list[str], seen: FileFormats) -> str:
    """The mapping's date order, else the one the dates show; raises AmbiguousDatesError."""
    if mapping.date_order:
        return mapping.date_order
    column = _title(header, mapping.columns.get("started_at", mapping.columns.get("date")))
    if seen.day_first and seen.month_first:
        raise AmbiguousDatesError(
            f"The dates in the column {column} mix day-first and month-first dates. Choose the "
            'date order (date_order "dmy" or "mdy"); rows that do not fit it are listed.'
        )
    if seen.day_first:
        return "dmy"
    if seen.month_first:
        return "mdy"
    if seen.either:
        raise AmbiguousDatesError(
            f"The dates in the column {column} fit both day-first and month-first (such as "
            f"'{seen.either}'): choose the date order (day first, dmy, or month first, mdy)."
        )
    return ""


def _decimal(mapping: ColumnMapping, seen: FileFormats) -> str:
    if seen.decimal_comma and not seen.decimal_point:
        return ","
    if seen.decimal_point and not seen.decimal_comma:
        return "."
    # No number says; a file separated by semicolons is a decimal-comma file.
    return "," if mapping.delimiter == ";" else "."


def _date_orders(text: str) -> set[str]:
    match = _DATE.match(text.strip())
    if not match:
        return set()
    first, sep, second, third = match.groups()
    if len(first) >= 3:
        return set()  # year first: ISO or 2026/03/01
    if sep == ".":
        return {"dmy"}  # 01.03.2026 is day-first wherever it is written
    a, b = int(first), int(second)
    orders = set()
    if 1 <= a <= 31 and 1 <= b <= 12:
        orders.add("dmy")
    if 1 <= a <= 12 and 1 <= b <= 31:
        orders.add("mdy")
    return orders


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


def _codes(name: str, text: str | None, errors: list[str]) -> tuple[str, ...]:
    """A multi-value cell ("calf, sole", "Calf;Sole") to its codes, each once, in order."""
    parts = [p.strip() for p in _MULTI_SPLIT.split(text or "") if p.strip()]
    return tuple(dict.fromkeys(_code(name, p, errors) for p in parts))


def _yes_no(name: str, text: str | None, errors: list[str]) -> bool:
    text = (text or "").lower()
    if text not in _TRUE | _FALSE:
        errors.append(f"{FIELD_LABELS[name]}: '{text[:20]}' should be yes or no.")
    return text in _TRUE


def _start(
    started: str | None, day: str | None, clock: str | None, errors: list[str], order: str = ""
) -> datetime | None:
    text = started if started else " ".join(p for p in (day, clock) if p)
    if not (text or "").strip():
        errors.append("Start: the cell is empty; every row needs a date (and time).")
        return None
    value = _parse_datetime(text or "", order)
    if value is None:
        errors.append(f"Start: '{(text or '')[:40]}' is not a date and time like 2026-03-29 02:30.")
        return None
    if value.tzinfo is None:  # a spreadsheet's wall-clock time: the computer's own time zone
        value = value.astimezone()
    return value


def _parse_datetime(text: str, order: str = "") -> datetime | None:
    text = text.strip()
    if len(text) > 60:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    parts = _SPLIT.split(text, maxsplit=1)
    date = _date_parts(parts[0], order)
    clock = _clock_parts(parts[1]) if len(parts) > 1 and parts[1] else (0, 0, 0, None)
    if date is None or clock is None:
        return None
    hour, minute, second, zone = clock
    try:
        value = datetime(*date, hour, minute, second)
    except ValueError:
        return None
    return _with_zone(value, zone) if zone else value


def _with_zone(value: datetime, zone: str) -> datetime | None:
    """A wall-clock time with the UTC offset written after it (Z, +01:00, +0100)."""
    zone = "+00:00" if zone.lower() == "z" else zone
    try:
        return datetime.fromisoformat(value.isoformat() + zone)
    except ValueError:
        return None


def _date_parts(text: str, order: str) -> tuple[int, int, int] | None:
    """(year, month, day) of 2026-03-29, 29.03.2026, 29/03/26 (03/29/26 with order "mdy")."""
    match = _DATE.fullmatch(text)
    if not match:
        return None
    first, sep, second, third = match.groups()
    if len(first) >= 3:
        year, month, day = first, second, third
    elif order == "mdy" and sep != ".":
        month, day, year = first, second, third
    else:
        day, month, year = first, second, third
    if len(year) not in (1, 2, 4):
        return None
    return int(year) + (2000 if len(year) <= 2 else 0), int(month), int(day)


def _clock_parts(text: str) -> tuple[int, int, int, str | None] | None:
    """(hour, minute, second, UTC offset or None) of 02:30, 2.30 pm, 14:05:09+01:00."""
    clock = _TIME.fullmatch(text)
    if not clock or (clock.group(2) is None and clock.group(4) is None):
        return None
    hour, minute, second = (int(clock.group(i) or 0) for i in (1, 2, 3))
    meridiem = (clock.group(4) or "").lower()
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "p" else 0)
    return hour, minute, second, clock.group(5)


_CLOCK_DURATION = re.compile(r"(?:(\d+):)?(\d+):(\d{1,2})")
_NUMBER_DURATION = re.compile(
    r"([\d.,]*\d)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?)?"
)


def _clock_seconds(text: str) -> int | None:
    """'1:30' or '1:02:30' (hours:minutes:seconds) in seconds."""
    match = _CLOCK_DURATION.fullmatch(text)
    if not match:
        return None
    hours, mins, secs = (int(g or 0) for g in match.groups())
    return hours * 3600 + mins * 60 + secs


def _number_seconds(text: str, unit: int, decimal: str) -> int | None:
    """'90', '1.5 min', '2h' in seconds; a bare number is in ``unit`` seconds."""
    match = _NUMBER_DURATION.fullmatch(text)
    number = _parse_number(match.group(1), decimal) if match else None
    if match is None or number is None:
        return None
    suffix = match.group(2) or ""
    factor = 60 if suffix.startswith("m") else 3600 if suffix.startswith("h") else 1
    return round(number * (factor if suffix else unit))


def _duration(text: str | None, unit: int, decimal: str, errors: list[str]) -> int | None:
    text = (text or "").strip().lower()
    if not text:
        errors.append("Duration: the cell is empty; every row needs a duration.")
        return None
    if len(text) > 20:
        errors.append(f"Duration: '{text[:20]}...' is not a duration.")
        return None
    seconds = _clock_seconds(text)
    if seconds is None:
        seconds = _number_seconds(text, unit, decimal)
    if seconds is None:
        errors.append(f"Duration: '{text[:40]}' is not a number of seconds or minutes:seconds.")
    return seconds


def _parse_number(text: str, decimal: str) -> float | None:
    """A number written with the file's separators: 1.500 is 1500 with a decimal comma.

    No separator decided (a mapping used without reading the file first): either is a decimal.
    """
    if not decimal:
        found = _parse_number(text, ".")
        return found if found is not None else _parse_number(text, ",")
    thousands = "." if decimal == "," else ","
    text = text.strip().replace("\u00a0", "").replace(" ", "").replace("'", "")
    d, t = re.escape(decimal), re.escape(thousands)
    if not re.fullmatch(rf"-?(\d{{1,3}}(?:{t}\d{{3}})+|\d+)(?:{d}\d+)?|-?{d}\d+", text):
        return None
    return float(text.replace(thousands, "").replace(decimal, "."))


def _number(
    text: str | None, label: str, decimal: str, errors: list[str], whole: bool = False
) -> int | None:
    text = (text or "").strip()
    match = len(text) <= 20 and re.fullmatch(r"(.+?)(?:\s*/\s*10)?", text)
    number = _parse_number(match.group(1), decimal) if match else None
    if number is None or (whole and number != int(number)):
        errors.append(f"{label}: '{text[:40]}' is not a whole number.")
        return None
    return round(number)
