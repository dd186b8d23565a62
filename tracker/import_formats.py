"""Reading rows from our own CSV and JSON exports, and from a mapped foreign CSV.

Each reader yields ``(line, unit, Episode or reason)``: a row that cannot become an Episode
carries the reason instead, so one bad row never stops the others from being checked. A file
that is unreadable as a whole raises ImportFileError.

Only the start and the duration must be there. An empty cell, a JSON ``null`` or a missing key
is "not recorded" (None, or an empty list), exactly as the export writes it; a file without
``time_approximate`` (every export before it existed) means the times are exact.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime

from tracker import import_mapping
from tracker.episode import Episode, ValidationError, parse_started_at
from tracker.export_csv import CSV_COLUMNS, MULTI_SEPARATOR, unguard_cell
from tracker.export_json import FORMAT_NAME, FORMAT_VERSION
from tracker.import_mapping import ColumnMapping

MAX_ROWS = 1_000_000
MAX_SQLITE_INT = 2**63 - 1
REQUIRED_COLUMNS = frozenset(("started_at", "duration_s"))
_MULTI = ("site", "relief", "context", "warning_signs")
_CODES = ("side", "activity", "hydration", "footwear")
_FLAGS = {"footwear_tight": "Tight or ill-fitting", "time_approximate": "Approximate time"}


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message says why and what to do."""


class NeedsMappingError(ImportFileError):
    """A CSV whose columns are not ours: the person has to say which column is which."""


# --------------------------------------------------------------------------- CSV
def csv_records(
    text: str, source: str, delimiter: str | None = None
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and an iterator of (start line, cells) for every non-empty record."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter or ",", strict=False)
    try:
        header = next(reader, None)
        while header is not None and not any(c.strip() for c in header):
            header = next(reader, None)
    except csv.Error as exc:
        raise ImportFileError(f"'{source}': the first row cannot be read as CSV ({exc}).") from None
    if header is None:
        raise ImportFileError(f"'{source}' is empty: there is nothing to import.")

    def records():
        line = reader.line_num + 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise ImportFileError(
                    f"'{source}', line {line}: cannot be read as CSV ({exc}). Nothing was imported."
                ) from None
            if any(cell.strip() for cell in row):
                yield line, row
            line = reader.line_num + 1

    return header, records()


def is_our_header(columns: list[str]) -> bool:
    return (
        REQUIRED_COLUMNS <= set(columns)
        and set(columns) <= set(CSV_COLUMNS)
        and len(set(columns)) == len(columns)
    )


def our_csv_rows(columns: list[str], records) -> Iterator[tuple[int, str, Episode | str]]:
    for line, cells in records:
        if len(cells) != len(columns):
            yield line, "line", f"has {len(cells)} cells but the header has {len(columns)}."
            continue
        values = {name: unguard_cell(cell) for name, cell in zip(columns, cells, strict=True)}
        yield line, "line", _episode_from_strings(values)


def _episode_from_strings(values: dict[str, str]) -> Episode | str:
    """Our own CSV cells to an Episode (strict: stored codes only), or a reason it is bad."""
    errors: list[str] = []

    def integer(name: str, label: str, optional: bool = False) -> int | None:
        text = values.get(name, "").strip()
        if not text and optional:
            return None
        try:
            number = int(text)
        except ValueError:
            errors.append(f"{label}: '{text[:40]}' is not a whole number.")
            return None
        if abs(number) > MAX_SQLITE_INT:
            errors.append(f"{label}: {text[:40]} is far too large.")
            return None
        return number

    episode_id = integer("id", "Id", optional=True)
    if episode_id is not None and episode_id < 1:
        errors.append("Id: must be a positive whole number.")
    try:
        started_at = parse_started_at(values.get("started_at", ""))
    except ValidationError as exc:
        errors.append(exc.errors["started_at"])
        started_at = None
    duration = integer("duration_s", "Duration")
    severity = integer("severity", "Severity", optional=True)
    fluid = integer("fluid_ml", "Fluid drunk", optional=True)
    flags = {}
    for name, label in _FLAGS.items():
        text = values.get(name, "").strip().lower()
        if text not in ("0", "1", "", "true", "false"):
            errors.append(f"{label}: '{text[:20]}' should be 0 or 1.")
        flags[name] = text in ("1", "true")
    if errors:
        return " ".join(errors)
    multi = {
        name: tuple(c.strip() for c in values.get(name, "").split(MULTI_SEPARATOR) if c.strip())
        for name in _MULTI
    }
    return Episode(
        started_at=started_at,
        duration_s=duration,
        severity=severity,
        fluid_ml=fluid,
        relief_effect=values.get("relief_effect", "").strip() or None,
        notes=values.get("notes", ""),
        id=episode_id,
        **flags,
        **{name: values.get(name, "").strip() or None for name in _CODES},
        **multi,
    )


def mapped_rows(mapping: ColumnMapping, header, records):
    width = len(header)
    for line, cells in records:
        if len(cells) != width and mapping.strict_width:
            yield line, "line", f"has {len(cells)} cells but the header has {width}."
            continue
        yield line, "line", import_mapping.episode_from_cells(mapping, cells)


# --------------------------------------------------------------------------- JSON
def json_rows(text: str, source: str) -> Iterator[tuple[int, str, Episode | str]]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            f"'{source}' is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise ImportFileError(
            f"'{source}' is JSON but not a Cramp Tracker export (it has no "
            f'"format": "{FORMAT_NAME}").'
        )
    version = document.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ImportFileError(f"'{source}' has no valid format_version.")
    if version > FORMAT_VERSION:
        raise ImportFileError(
            f"'{source}' was written by a newer Cramp Tracker (format {version}; this version "
            f"reads up to {FORMAT_VERSION}). Update Cramp Tracker to import it."
        )
    episodes = document.get("episodes")
    if not isinstance(episodes, list):
        raise ImportFileError(f"'{source}' has no list of episodes.")
    if len(episodes) > MAX_ROWS:
        raise ImportFileError(f"'{source}' has more than {MAX_ROWS:,} episodes; split it.")
    for position, item in enumerate(episodes, start=1):
        yield position, "episode", _episode_from_json(item)


def _episode_from_json(item) -> Episode | str:
    if not isinstance(item, dict):
        return "is not an object with episode fields."
    missing = sorted(REQUIRED_COLUMNS - set(item))
    if missing:
        return f"missing field(s): {', '.join(missing)}."
    errors = []
    for name in (*_CODES, "relief_effect"):
        value = item.get(name)
        if value is not None and not isinstance(value, str):
            errors.append(f"{name}: expected text or null.")
    for name in _MULTI:
        value = item.get(name)
        if value is not None and (
            not isinstance(value, list) or not all(isinstance(v, str) for v in value)
        ):
            errors.append(f"{name}: expected a list of codes.")
    episode_id = item.get("id")
    if episode_id is not None and (
        isinstance(episode_id, bool)
        or not isinstance(episode_id, int)
        or not 0 < episode_id <= MAX_SQLITE_INT
    ):
        errors.append("id: expected a positive whole number or null.")
    started = item["started_at"]
    if not isinstance(started, str):
        errors.append("started_at: expected text like 2026-03-29T02:30:00+01:00.")
    else:
        try:
            started = parse_started_at(started)
        except ValidationError as exc:
            errors.append(exc.errors["started_at"])
    notes = item.get("notes", "")
    if isinstance(notes, str) and not _is_text(notes):
        errors.append("notes: contains characters that are not valid text.")
    if errors:
        return " ".join(errors)
    # Types of the numbers and yes/no fields are checked by validate(), with the form's words.
    return Episode(
        started_at=started,
        duration_s=item["duration_s"],
        severity=item.get("severity"),
        fluid_ml=item.get("fluid_ml"),
        footwear_tight=item.get("footwear_tight", False),
        time_approximate=item.get("time_approximate", False),
        relief_effect=item.get("relief_effect"),
        notes=notes,
        id=episode_id,
        created_at=_timestamp(item.get("created_at")),
        updated_at=_timestamp(item.get("updated_at")),
        **{name: item.get(name) for name in _CODES},
        **{name: tuple(item.get(name) or ()) for name in _MULTI},
    )


def _is_text(value: str) -> bool:
    """False for strings JSON can carry but a database cannot store (lone surrogates)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _timestamp(value) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return None
    return value
