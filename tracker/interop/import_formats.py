"""Reading rows from our own CSV and JSON exports, and from a mapped foreign CSV.

Each reader yields ``(line, unit, Episode or reason)``: a row that cannot become an Episode
carries the reason instead, so one bad row never stops the others from being checked. A file
that is unreadable as a whole raises ImportFileError. Files are read a piece at a time
(tracker.interop.import_source). Our own exports have no row limit; another program's table
(mapped_rows) is refused past MAX_ROWS while it is read (tracker.interop.importer).

A quote that is opened and never closed would make the csv module read every following line as
part of one cell; such a row is reported with its line number and the lines after it are read
again as rows of their own.

Only the start and the duration must be there. An empty cell, a JSON ``null`` or a missing key
is "not recorded" (None, or an empty list), exactly as the export writes it; a file without
``time_approximate`` (every export before it existed) means the times are exact.
"""

from __future__ import annotations

import csv
import itertools
import operator
import sys
from collections.abc import Generator, Iterable, Iterator
from datetime import datetime, timezone
from typing import Any

from tracker.diary.episode import (
    BOOL_FIELDS,
    FIELD_LABELS,
    FIELD_SPECS,
    INT_FIELDS,
    MULTI_FIELDS,
    SINGLE_FIELDS,
    Episode,
    ValidationError,
    parse_started_at,
)
from tracker.diary.vocab import split_multi
from tracker.interop import import_mapping
from tracker.interop.export_csv import CSV_COLUMNS, GUARD, unguard_cell
from tracker.interop.export_json import FORMAT_NAME, FORMAT_VERSION
from tracker.interop.import_mapping import ColumnMapping, sep_line
from tracker.interop.import_source import ImportFileError, ImportSource, JsonReader, physical_lines

MAX_ROWS = 1_000_000
MAX_SQLITE_INT = 2**63 - 1
MAX_QUOTE_PROBLEMS = 1_000
REQUIRED_COLUMNS = frozenset(("started_at", "duration_s"))
# Columns a newer export adds after ours: read as ours, the local ones ignored (they repeat
# started_at), uid kept when this version's Episode has one.
EXTRA_COLUMNS = ("local_date", "local_time", "uid")
FILTERED = None  # what mapped_rows yields for a row the row filter leaves out
QUOTE_NOT_CLOSED = (
    'a quote (") is never closed, so this row was skipped and the lines after it were read as '
    "rows of their own. Check the quotes in this row."
)
_LINE_ENDS = ("\n", "\r")

__all__ = ["ImportFileError", "NeedsMappingError", "MAX_ROWS", "REQUIRED_COLUMNS"]


class NeedsMappingError(ImportFileError):
    """A CSV whose columns are not ours: the person has to say which column is which."""


def too_many_rows(source: str) -> ImportFileError:
    return ImportFileError(
        f"'{source}' has more than {MAX_ROWS:,} rows, more than Cramp Tracker imports at once. "
        "Split it into smaller files (or export shorter periods) and import them one after "
        "the other."
    )


# --------------------------------------------------------------------------- CSV
class _Lines:
    """Physical lines handed to the csv module, numbered; lines can be put back to read again."""

    def __init__(self, lines: Iterator[str]):
        self._lines = lines
        self._back: list[str] = []  # put back, last first
        self.taken: list[str] = []  # the lines of the record being read
        self.next_number = 1

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self._back.pop() if self._back else next(self._lines)
        self.taken.append(line)
        self.next_number += 1
        return line

    def start_record(self) -> int:
        self.taken = []
        return self.next_number

    def read_again(self, lines: list[str]) -> None:
        self._back.extend(reversed(lines))
        self.next_number -= len(lines)


def csv_records(
    lines: Iterable[str] | str, source: str, delimiter: str | None = None
) -> tuple[list[str], Iterator[tuple[int, list[str] | str]]]:
    """The header and an iterator of (start line, cells or the reason the record is bad)."""
    if isinstance(lines, str):
        lines = physical_lines(iter([lines]), source)
    rest, delimiter = _named_delimiter(iter(lines), delimiter)
    tracked = _Lines(rest)
    reader = csv.reader(tracked, delimiter=delimiter, strict=False)
    header = _header(tracked, reader, source, delimiter)
    return header, _records(tracked, reader, source, delimiter, len(header))


def _named_delimiter(lines: Iterator[str], delimiter: str | None) -> tuple[Iterator[str], str]:
    """The lines and the delimiter: Excel's "sep=;" first line names it (and is not the
    header), else the one given, else a comma."""
    first = next(lines, None)
    named = sep_line(first) if first is not None else None
    if named is not None:
        return itertools.chain([""], lines), named or ","  # keep line numbers as in the file
    if first is not None:
        lines = itertools.chain([first], lines)
    return lines, delimiter or ","


def _header(tracked: _Lines, reader: Iterator[list[str]], source: str, delimiter: str) -> list[str]:
    """The first row that is not blank."""
    header = None
    try:
        while header is None:
            start = tracked.start_record()
            row = next(reader, None)
            if row is None:
                break
            if _unclosed_quote(tracked.taken, row, delimiter, None):
                raise ImportFileError(
                    f"'{source}', line {start}: the first row cannot be read as CSV because a "
                    'quote (") in it is never closed. Check the quotes in that line.'
                )
            if any(cell.strip() for cell in row):
                header = row
    except csv.Error as exc:
        reason = 'a quote (") in it is never closed' if len(tracked.taken) > 1 else str(exc)
        raise ImportFileError(
            f"'{source}', line {start}: the first row cannot be read as CSV ({reason}). "
            "Check that line of the file."
        ) from None
    if header is None:
        raise ImportFileError(f"'{source}' is empty: there is nothing to import.")
    return header


def _records(
    lines: _Lines, reader: Iterator[list[str]], source: str, delimiter: str, width: int
) -> Iterator[tuple[int, list[str] | str]]:
    quote_problems = 0
    while True:
        start = lines.start_record()
        record = _read_record(lines, reader, delimiter, width)
        if record is None:
            return
        if isinstance(record, list):
            if any(cell.strip() for cell in record):
                yield start, record
            continue
        reason = record
        if reason is QUOTE_NOT_CLOSED:
            quote_problems += 1
            if quote_problems > MAX_QUOTE_PROBLEMS:
                raise ImportFileError(
                    f"'{source}': more than {MAX_QUOTE_PROBLEMS:,} rows have a quote (\") that is "
                    "never closed. Is it a CSV file? If it is, save it again from your "
                    "spreadsheet program as CSV and import that."
                )
        # Only the first line is the bad row: read the lines it swallowed again, as rows.
        lines.read_again(lines.taken[1:])
        reader = csv.reader(lines, delimiter=delimiter, strict=False)
        yield start, reason


def _read_record(
    lines: _Lines, reader: Iterator[list[str]], delimiter: str, width: int
) -> list[str] | str | None:
    """The next record's cells, or the reason it is a bad record; None at the end."""
    try:
        row = next(reader)
    except StopIteration:
        return None
    except csv.Error as exc:
        return QUOTE_NOT_CLOSED if len(lines.taken) > 1 else f"cannot be read as CSV ({exc})."
    return QUOTE_NOT_CLOSED if _unclosed_quote(lines.taken, row, delimiter, width) else row


def _unclosed_quote(taken: list[str], row: list[str], delimiter: str, width: int | None) -> bool:
    """Did a quote swallow line ends that were meant to end rows?

    A record that is one whole line is fine (the usual case, decided without parsing again).
    Otherwise the csv module in strict mode tells: it fails when the file ends inside quotes
    and when a quote "closes" in the middle of a cell (a later row's opening quote); a real cell
    with line breaks, as spreadsheets and our export write it, passes.
    """
    if (
        len(taken) == 1
        and taken[0].endswith(_LINE_ENDS)
        and not (row and row[-1].endswith(_LINE_ENDS))
    ):
        return False
    if width is not None and len(taken) > 1 and len(row) > width:
        return True
    try:
        for _ in csv.reader(taken, delimiter=delimiter, strict=True):
            pass
    except csv.Error:
        return True
    return False


def our_columns(columns: list[str]) -> list[str]:
    """The header without the columns a newer export adds at the end (local_date, ...)."""
    end = len(columns)
    while end and columns[end - 1] in EXTRA_COLUMNS:
        end -= 1
    return columns[:end]


def is_our_header(columns: list[str]) -> bool:
    core = our_columns(columns)
    extras = columns[len(core) :]
    return (
        REQUIRED_COLUMNS <= set(core)
        and set(core) <= set(CSV_COLUMNS)
        and len(set(columns)) == len(columns)
        and len(set(extras)) == len(extras)
    )


def has_our_columns(header: list[str]) -> bool:
    """A table that holds our export's columns (perhaps with others added in a spreadsheet)."""
    columns = {c.strip().lower() for c in header}
    return REQUIRED_COLUMNS | {"notes"} <= columns


def our_csv_rows(
    columns: list[str], records: Iterable[tuple[int, list[str] | str]]
) -> Iterator[tuple[int, str, Episode | str]]:
    core = our_columns(columns)
    fast = _FastCsv(columns) if set(CSV_COLUMNS) - _FAST_MAY_LACK <= set(columns) else None
    width = len(columns)
    for line, cells in records:
        if isinstance(cells, str):
            yield line, "line", cells
            continue
        if fast is not None and len(cells) == width and GUARD not in "".join(cells):
            episode = fast.episode(cells)
            if episode is not None:
                yield line, "line", episode
                continue
        if not len(core) <= len(cells) <= len(columns):
            yield line, "line", f"has {len(cells)} cells but the header has {len(columns)}."
            continue
        cells = cells + [""] * (len(columns) - len(cells))  # a row added without the extras
        values = {name: unguard_cell(cell) for name, cell in zip(columns, cells, strict=True)}
        for name in ("local_date", "local_time"):
            values.pop(name, None)
        yield line, "line", _episode_from_strings(values)


_CACHE_LIMIT = 10_000  # distinct cell texts remembered per column (codes repeat; notes do not)


# Columns a file exported before they existed lacks (schema 6): read as "not recorded".
_FAST_MAY_LACK = frozenset({"sleep_disturbance"})


class _FastCsv:
    """Our own CSV's usual row, read without the general checks: a row with all of our columns,
    no guarded cell, plain whole numbers, 0/1 flags and a start ``fromisoformat`` reads with an
    offset. ``episode`` gives the same Episode ``_episode_from_strings`` would, or None to leave
    the row to it (which then names what is wrong): a million rows read in half the time."""

    def __init__(self, columns: list[str]) -> None:
        at = {name: columns.index(name) for name in (*CSV_COLUMNS, "uid") if name in columns}
        self.id_at = at["id"]
        self.start_at = at["started_at"]
        self.notes_at = at["notes"]
        self.uid_at = at.get("uid")
        self.ints = [
            (name, at[name], FIELD_SPECS[name].required) for name in INT_FIELDS if name in at
        ]
        self.flags = [(name, at[name]) for name in BOOL_FIELDS]
        self.singles = [(name, at[name]) for name in SINGLE_FIELDS]
        self.multis: list[tuple[str, int, dict[str, tuple[str, ...]]]] = [
            (name, at[name], {}) for name in MULTI_FIELDS
        ]

    def episode(self, cells: list[str]) -> Episode | None:
        fields: dict[str, Any] = {}
        for name, index, required in self.ints:
            text = cells[index]
            if not text:
                if required:
                    return None
                fields[name] = None
            elif len(text) < 18 and text.isascii() and text.isdigit():
                fields[name] = int(text)
            else:
                return None
        for name, index in self.flags:
            text = cells[index]
            if text == "1":
                fields[name] = True
            elif text == "0" or not text:
                fields[name] = False
            else:
                return None
        id_text = cells[self.id_at]
        episode_id = None
        if id_text:
            if not (len(id_text) < 18 and id_text.isascii() and id_text.isdigit()):
                return None
            episode_id = int(id_text)
            if episode_id < 1:
                return None
        try:
            started_at = datetime.fromisoformat(cells[self.start_at])
        except ValueError:
            return None
        if started_at.tzinfo is None:
            return None
        for name, index in self.singles:
            fields[name] = cells[index].strip() or None
        for name, index, cache in self.multis:
            text = cells[index]
            codes = cache.get(text)
            if codes is None:
                codes = tuple([s for c in split_multi(text) if (s := c.strip())])
                if len(cache) >= _CACHE_LIMIT:
                    cache.clear()
                cache[text] = codes
            fields[name] = codes
        if self.uid_at is not None:
            uid = cells[self.uid_at].strip()
            if uid:
                fields["uid"] = uid
        return Episode(started_at=started_at, notes=cells[self.notes_at], id=episode_id, **fields)


def _integer(values: dict[str, str], name: str, errors: list[str], optional: bool) -> int | None:
    label = FIELD_LABELS.get(name, "Id")
    text = values.get(name, "").strip()
    if not text:
        if not optional:
            errors.append(f"{label}: the cell is empty; every row needs one.")
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


def _start_from_string(text: str, errors: list[str]) -> datetime | None:
    if not text.strip():
        errors.append("Start: the cell is empty; every row needs a date and time.")
        return None
    return _parse_start(text, errors)


def _flag(values: dict[str, str], name: str, errors: list[str]) -> bool:
    text = values.get(name, "").strip().lower()
    if text not in ("0", "1", "", "true", "false"):
        errors.append(f"{FIELD_LABELS[name]}: '{text[:20]}' should be 0 or 1.")
    return text in ("1", "true")


def _episode_from_strings(values: dict[str, str]) -> Episode | str:
    """Our own CSV cells to an Episode (strict: stored codes only), or a reason it is bad."""
    errors: list[str] = []
    episode_id = _integer(values, "id", errors, optional=True)
    if episode_id is not None and episode_id < 1:
        errors.append("Id: must be a positive whole number.")
    started_at = _start_from_string(values.get("started_at", ""), errors)
    fields: dict[str, Any] = {
        name: _integer(values, name, errors, optional=not FIELD_SPECS[name].required)
        for name in INT_FIELDS
    }
    fields.update((name, _flag(values, name, errors)) for name in BOOL_FIELDS)
    if errors or started_at is None:
        return " ".join(errors)
    uid = values.get("uid", "").strip()
    if uid:
        fields["uid"] = uid
    return Episode(
        started_at=_shared_zone(started_at),
        notes=values.get("notes", ""),
        id=episode_id,
        **fields,
        **_codes_from_strings(values),
    )


def _codes_from_strings(values: dict[str, str]) -> dict[str, Any]:
    """The code and list fields of our CSV's cells, as stored (one shared string per code)."""
    codes: dict[str, Any] = {
        name: _shared(values.get(name, "").strip()) or None for name in SINGLE_FIELDS
    }
    for name in MULTI_FIELDS:
        codes[name] = tuple([_shared(s) for c in split_multi(values.get(name)) if (s := c.strip())])
    return codes


def mapped_rows(
    mapping: ColumnMapping, header: list[str], records: Iterable[tuple[int, list[str] | str]]
) -> Iterator[tuple[int, str, Episode | str | None]]:
    width = len(header)
    for line, cells in records:
        if isinstance(cells, str):
            yield line, "line", cells
            continue
        if not mapping.keeps(cells):
            yield line, "line", FILTERED
            continue
        if len(cells) != width and mapping.strict_width:
            yield line, "line", f"has {len(cells)} cells but the header has {width}."
            continue
        yield line, "line", import_mapping.episode_from_cells(mapping, cells)


# --------------------------------------------------------------------------- JSON
EXTRA_KEYS = ("checkins", "medicines")  # format 3: read whole (a row a day at most)


def json_rows(
    source: ImportSource, extras: dict[str, object] | None = None
) -> Iterator[tuple[int, str, Episode | str]]:
    """The episodes; once they are all read, ``extras`` holds the file's ``checkins`` and
    ``medicines`` (format 3) as they are in it."""
    for position, item in json_items(source, extras):
        yield position, "episode", _episode_from_json(item)


def json_items(
    source: ImportSource, extras: dict[str, object] | None = None
) -> Iterator[tuple[int, object]]:
    """(position from 1, item) for each item of ``episodes``, read one at a time.

    Our export writes ``format`` and ``format_version`` first, so they are checked before the
    first episode is read. A file with the keys in another order (``jq -S`` sorts them) is read
    twice: once to find the format, once for the episodes.
    """
    reader = _json_reader(source)
    header: dict[str, object] = {}
    found = streamed = False
    for key in reader.object_keys():
        if key != "episodes" or found:
            _header_value(reader, key, header)
            continue
        found = True
        streamed = yield from _episodes_if_checked(reader, source.name, header)
    reader.expect_end()
    _check_format(source.name, header)
    _check_version(source.name, header)
    if not found:
        raise ImportFileError(f"'{source.name}' has no list of episodes.")
    if extras is not None:
        extras.update((key, header[key]) for key in EXTRA_KEYS if key in header)
    if not streamed:
        yield from _episodes_again(source)


def _header_value(reader: JsonReader, key: str, header: dict[str, object]) -> None:
    """Keep the value of ``format``, ``format_version``, ``checkins`` and ``medicines``; skip
    any other key's."""
    if key in ("format", "format_version", *EXTRA_KEYS):
        header[key] = reader.value()
    else:
        reader.skip_value()


def _episodes_if_checked(
    reader: JsonReader, name: str, header: dict[str, object]
) -> Generator[tuple[int, object], None, bool]:
    """The episodes, if the format and its version came before them and are ours (returns
    True); else read past them without yielding (returns False)."""
    if reader.peek() != "[":
        raise ImportFileError(f"'{name}' has no list of episodes.")
    if "format" in header:
        _check_format(name, header)
    if "format" in header and "format_version" in header:
        _check_version(name, header)
        yield from _numbered(reader, name)
        return True
    for _ in _numbered(reader, name):
        pass
    return False


def _episodes_again(source: ImportSource) -> Iterator[tuple[int, object]]:
    """The episodes of a file read a second time, once its format was checked."""
    reader = _json_reader(source)
    for key in reader.object_keys():
        if key == "episodes":
            yield from _numbered(reader, source.name)
            return
        reader.skip_value()


def _json_reader(source: ImportSource) -> JsonReader:
    reader = JsonReader(source.text_chunks(), source.name)
    if reader.peek() != "{":
        raise ImportFileError(_not_our_export(source.name))
    return reader


def _numbered(reader: JsonReader, source: str) -> Iterator[tuple[int, object]]:
    """The episodes with their position; our own export has no limit on how many."""
    return enumerate(reader.array(), start=1)


def _not_our_export(source: str) -> str:
    return (
        f"'{source}' is JSON but not a Cramp Tracker export (it has no "
        f'"format": "{FORMAT_NAME}"). Import a file made with Export in Cramp Tracker, or a CSV.'
    )


def _check_format(source: str, header: dict[str, object]) -> None:
    if header.get("format") != FORMAT_NAME:
        raise ImportFileError(_not_our_export(source))


def _check_version(source: str, header: dict[str, object]) -> None:
    version = header.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ImportFileError(
            f"'{source}' has no valid format_version (a whole number such as "
            f"{FORMAT_VERSION}), so it cannot be read safely. Export it again from Cramp Tracker."
        )
    if version > FORMAT_VERSION:
        raise ImportFileError(
            f"'{source}' was written by a newer Cramp Tracker (format {version}; this version "
            f"reads up to {FORMAT_VERSION}). Update Cramp Tracker to import it."
        )


def _is_text_or_none(value: object) -> bool:
    return value is None or isinstance(value, str)


def _is_code_list(value: object) -> bool:
    return value is None or (isinstance(value, list) and all(isinstance(v, str) for v in value))


def _is_id(value: object) -> bool:
    return value is None or (
        isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_SQLITE_INT
    )


def _json_errors(item: dict[str, Any]) -> list[str]:
    """What is wrong with the types of an episode's codes, lists and id, in field order."""
    errors = [
        f"{name}: expected text or null."
        for name in SINGLE_FIELDS
        if not _is_text_or_none(item.get(name))
    ]
    errors += [
        f"{name}: expected a list of codes."
        for name in MULTI_FIELDS
        if not _is_code_list(item.get(name))
    ]
    if not _is_id(item.get("id")):
        errors.append("id: expected a positive whole number or null.")
    return errors


def _start_from_json(started: object, errors: list[str]) -> datetime | None:
    if not isinstance(started, str):
        errors.append("started_at: expected text like 2026-03-29T02:30:00+01:00.")
        return None
    return _parse_start(started, errors)


def _parse_start(text: str, errors: list[str]) -> datetime | None:
    try:
        return parse_started_at(text)
    except ValidationError as exc:
        errors.append(exc.errors["started_at"])
        return None


_JSON_SINGLES = operator.itemgetter(*SINGLE_FIELDS)
_JSON_MULTIS = operator.itemgetter(*MULTI_FIELDS)
# (A key an older export lacks, _FAST_MAY_LACK, is read apart: absent is "not recorded".)
_JSON_NUMBER_NAMES = tuple(n for n in (*INT_FIELDS, *BOOL_FIELDS) if n not in _FAST_MAY_LACK)
_JSON_NUMBERS = operator.itemgetter(*_JSON_NUMBER_NAMES)


def _fast_episode_from_json(item: dict[str, Any]) -> Episode | None:
    """Our own export's usual episode (every key there, codes as text, lists of text, a start
    with an offset), without the general checks: the same Episode ``_episode_from_json`` gives,
    or None to leave the item to it (which then names what is wrong)."""
    try:
        singles = _JSON_SINGLES(item)
        multis = _JSON_MULTIS(item)
        numbers = _JSON_NUMBERS(item)
        started = item["started_at"]
        notes = item["notes"]
        episode_id = item["id"]
    except KeyError:
        return None
    for value in singles:
        if value is not None and type(value) is not str:
            return None
    lists = []
    for value in multis:
        if value is None:
            lists.append(())
            continue
        if type(value) is not list:
            return None
        for code in value:
            if type(code) is not str:
                return None
        lists.append(tuple(value))
    if episode_id is not None and not (
        type(episode_id) is int and 0 < episode_id <= MAX_SQLITE_INT
    ):
        return None
    if type(notes) is not str or not (notes.isascii() or _is_text(notes)):
        return None
    if type(started) is not str:
        return None
    try:
        started_at = datetime.fromisoformat(started)
    except ValueError:
        return None
    if started_at.tzinfo is None:
        return None
    uid = item.get("uid")
    fields: dict[str, Any] = dict(zip(SINGLE_FIELDS, singles, strict=True))
    fields.update(zip(MULTI_FIELDS, lists, strict=True))
    fields.update(zip(_JSON_NUMBER_NAMES, numbers, strict=True))
    for name in _FAST_MAY_LACK:
        fields[name] = item.get(name)
    return Episode(
        started_at=started_at,
        notes=notes,
        id=episode_id,
        created_at=_timestamp(item.get("created_at")),
        updated_at=_timestamp(item.get("updated_at")),
        uid=uid if isinstance(uid, str) else None,
        **fields,
    )


def _episode_from_json(item: object) -> Episode | str:
    if not isinstance(item, dict):
        return "is not an object with episode fields."
    return _fast_episode_from_json(item) or _checked_episode_from_json(item)


def _checked_episode_from_json(item: dict[str, Any]) -> Episode | str:
    """Any item, each field checked: the Episode, or what is wrong with the item."""
    missing = sorted(REQUIRED_COLUMNS - set(item))
    if missing:
        return f"missing field(s): {', '.join(missing)}."
    errors = _json_errors(item)
    started = _start_from_json(item["started_at"], errors)
    notes = item.get("notes", "")
    if isinstance(notes, str) and not _is_text(notes):
        errors.append("notes: contains characters that are not valid text.")
    if errors or started is None:
        return " ".join(errors)
    # Types of the numbers and yes/no fields are checked by validate(), with the form's words.
    return Episode(
        started_at=_shared_zone(started),
        notes=notes,
        id=item.get("id"),
        created_at=_timestamp(item.get("created_at")),
        updated_at=_timestamp(item.get("updated_at")),
        **_fields_from_json(item),
    )


def _fields_from_json(item: dict[str, Any]) -> dict[str, Any]:
    """Numbers, yes/no, codes and lists as the item has them (validate() checks their types),
    and the uid when it is text."""
    fields: dict[str, Any] = {name: item.get(name) for name in INT_FIELDS}
    fields.update((name, item.get(name, False)) for name in BOOL_FIELDS)
    fields.update((name, _shared(item.get(name))) for name in SINGLE_FIELDS)
    for name in MULTI_FIELDS:
        fields[name] = tuple(_shared(v) for v in item.get(name) or ())
    if isinstance(item.get("uid"), str):
        fields["uid"] = item["uid"]
    return fields


def _shared(value: Any) -> Any:
    """One string object for each code ("left", "calf"...), not one per row: a million
    episodes held for the preview then take hundreds of MB less."""
    return sys.intern(value) if isinstance(value, str) and len(value) <= 64 else value


_ZONES: dict[timezone, timezone] = {}


def _shared_zone(value: datetime) -> datetime:
    """The same: one time zone object per UTC offset."""
    zone = value.tzinfo
    if not isinstance(zone, timezone):
        return value
    shared = _ZONES.setdefault(zone, zone)
    return value if shared is zone else value.replace(tzinfo=shared)


def _is_text(value: str) -> bool:
    """False for strings JSON can carry but a database cannot store (lone surrogates)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _timestamp(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return None
    return value
