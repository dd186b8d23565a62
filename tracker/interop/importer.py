"""Import episodes from our JSON and CSV, or from any CSV through a column mapping.

Import happens in two steps so nothing is written before the person has seen what will happen:
``preview_import`` reads and validates every row (with the same rules as the form) and sorts the
rows into those to add, duplicates (every field the same as an episode already in the diary or
earlier in the file; two cramps at the same moment in both legs are two episodes), and bad rows
with their line number and reason. ``commit_import`` then takes a backup and writes every
accepted row in one transaction: all of them, or none.

Files are read a piece at a time (tracker.interop.import_source): our export of a million episodes
(about 470 MB) imports back, and a file with more rows than that is refused as soon as it is
known, before its episodes fill the memory.

A file that is not something we can read (binary, wrong encoding, empty, a header only, far too
big) raises ``ImportFileError`` with a message for a person; no other exception escapes.
"""

from __future__ import annotations

import csv
import dataclasses
import errno
import itertools
import os
import sqlite3
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from tracker.diary.episode import (
    FIELD_LABELS,
    OPTIONAL_FIELDS,
    Episode,
    ValidationError,
    is_recorded,
    validate,
)
from tracker.interop.export_csv import CSV_COLUMNS
from tracker.interop.import_formats import (
    MAX_ROWS,
    REQUIRED_COLUMNS,
    ImportFileError,
    NeedsMappingError,
    csv_records,
    has_our_columns,
    is_our_header,
    json_items,
    json_rows,
    mapped_rows,
    our_csv_rows,
    too_many_rows,
)
from tracker.interop.import_mapping import (
    AmbiguousDatesError,
    ColumnMapping,
    duration_note,
    resolve_formats,
    sniff_table,
)
from tracker.interop.import_source import MAX_FILE_BYTES, ImportSource, physical_lines
from tracker.store import Store, StoreError, episode_params

__all__ = [
    "MAX_FILE_BYTES",
    "ImportFileError",
    "ImportSource",
    "AmbiguousDatesError",
    "ImportWriteError",
    "NeedsMappingError",
    "commit_import",
    "preview_import",
    "preview_import_bytes",
    "preview_source",
]


class ImportWriteError(StoreError):
    """The accepted rows could not be written; nothing was imported and the message says why."""


@dataclass(frozen=True)
class BadRow:
    line: int  # line in the file where the row starts (JSON: position of the episode, from 1)
    reason: str
    unit: str = "line"

    def describe(self) -> str:
        return f"{self.unit.capitalize()} {self.line}: {self.reason}"


@dataclass
class ImportPreview:
    """What an import would do; nothing has been written yet."""

    source: str
    kind: str  # "json", "csv" or "mapped csv"
    to_add: list[Episode] = field(default_factory=list)
    duplicates: list[tuple[int, Episode]] = field(default_factory=list)
    bad_rows: list[BadRow] = field(default_factory=list)
    warnings: list[BadRow] = field(default_factory=list)
    rows_read: int = 0
    filtered_out: int = 0  # rows the mapping's row filter left out (counted, never hidden)
    filter_description: str = ""  # "'Symptom' does not contain 'cramp'"
    notes: list[str] = field(default_factory=list)  # how the file was read, to confirm

    def not_recorded_counts(self) -> dict[str, int]:
        """Field label -> how many episodes to add leave it not recorded (only those > 0)."""
        counts = {
            FIELD_LABELS[name]: sum(not is_recorded(e, name) for e in self.to_add)
            for name in OPTIONAL_FIELDS
        }
        return {label: n for label, n in counts.items() if n}

    def summary(self) -> str:
        left_out = (
            f", {self.filtered_out:,} left out by the row filter ({self.filter_description})"
            if self.filter_description
            else ""
        )
        return (
            f"{self.rows_read:,} rows read from {self.source}: {len(self.to_add):,} to add, "
            f"{len(self.duplicates):,} duplicates (skipped: every field the same as an episode "
            f"already in the diary or earlier in the file), "
            f"{len(self.bad_rows):,} with problems (skipped){left_out}."
        )


@dataclass(frozen=True)
class ImportResult:
    added: int
    skipped: int
    backup_path: Path | None


# --------------------------------------------------------------------------- preview
def preview_import(
    store: Store | None,
    path: str | os.PathLike[str],
    mapping: ColumnMapping | None = None,
    now: datetime | None = None,
) -> ImportPreview:
    """Read and check the file at ``path``; raises ImportFileError (NeedsMappingError).

    ``store`` None previews against an empty diary (one that does not exist yet).
    """
    return preview_source(store, ImportSource.from_path(path), mapping, now)


def preview_import_bytes(
    store: Store | None,
    data: bytes,
    source: str = "the file",
    mapping: ColumnMapping | None = None,
    now: datetime | None = None,
) -> ImportPreview:
    return preview_source(store, ImportSource.from_bytes(data, source), mapping, now)


def preview_source(
    store: Store | None,
    source: ImportSource,
    mapping: ColumnMapping | None = None,
    now: datetime | None = None,
) -> ImportPreview:
    try:
        return _preview(store, source, mapping, now)
    except ImportFileError:
        raise
    except (RecursionError, MemoryError):
        raise ImportFileError(
            f"'{source.name}' is too deeply nested or too large to read; is it the right file?"
        ) from None
    except (
        ValueError,
        TypeError,
        ArithmeticError,
        csv.Error,
    ) as exc:  # a last line of defence, never a traceback
        raise ImportFileError(f"'{source.name}' could not be read ({exc}).") from None


_Rows = Iterator[tuple[int, str, Episode | str | None]]


def _preview(
    store: Store | None,
    source: ImportSource,
    mapping: ColumnMapping | None,
    now: datetime | None,
) -> ImportPreview:
    source.check_head()
    now = now or datetime.now().astimezone()
    name = source.name
    text = cast(Generator[str, None, None], source.text_chunks())
    first, chunks = _first_character(text)
    preview: ImportPreview
    rows: _Rows
    if mapping is None and first in ("{", "["):
        text.close()  # the JSON reader reads from the start again
        if source.has_more_lines_than(MAX_ROWS):  # count before building a million episodes
            _refuse_too_many(name, json_items(source))
        preview = ImportPreview(name, "json")
        rows = json_rows(source)
    else:
        delimiter = mapping.delimiter if mapping else None
        if mapping is not None and not delimiter:  # a saved mapping used on another file
            delimiter = sniff_table(source.head_text(), 1).delimiter
            mapping = dataclasses.replace(mapping, delimiter=delimiter)
        header, records = csv_records(physical_lines(chunks, name), name, delimiter)
        if mapping is None:
            preview, rows = _our_csv_preview(name, header, records)
        else:
            preview, rows = _mapped_preview(source, mapping, delimiter, header, records)
        if source.has_more_lines_than(MAX_ROWS + 1):
            _refuse_too_many(name, _csv_rows_again(source, delimiter))
    if source.encoding_note:
        preview.notes.insert(0, source.encoding_note)
    _sort_rows(store, preview, rows, now)
    return preview


def _our_csv_preview(
    name: str, header: list[str], records: Iterable[tuple[int, list[str] | str]]
) -> tuple[ImportPreview, _Rows]:
    """A CSV written by Cramp Tracker (or shaped like one): its header names the fields."""
    columns = [c.strip().lower() for c in header]
    if not is_our_header(columns):
        raise NeedsMappingError(
            f"'{name}' is not a Cramp Tracker CSV ({_header_mismatch(columns)}). "
            "Use Import in the app's File menu to say which of its columns is which."
        )
    return ImportPreview(name, "csv"), our_csv_rows(columns, records)


def _mapped_preview(
    source: ImportSource,
    mapping: ColumnMapping,
    delimiter: str | None,
    header: list[str],
    records: Iterable[tuple[int, list[str] | str]],
) -> tuple[ImportPreview, _Rows]:
    """Any other CSV, read through the column mapping the person set up."""
    problems = mapping.problems()
    if problems:
        raise ImportFileError("The column mapping is incomplete: " + " ".join(problems))
    mapping = mapping.bind(header)
    if has_our_columns(header):
        mapping = dataclasses.replace(mapping, unguard=True)
    _, again = _csv_rows_again(source, delimiter, with_header=True)
    mapping, notes = resolve_formats(
        mapping, header, (cells for _, cells in again if not isinstance(cells, str))
    )
    preview = ImportPreview(source.name, "mapped csv")
    preview.notes = [duration_note(mapping, header), *notes]
    preview.filter_description = mapping.describe_filter(header)
    return preview, mapped_rows(mapping, header, records)


def _first_character(chunks: Iterator[str]) -> tuple[str, Iterator[str]]:
    """The first character that is not white space, and the text with nothing lost."""
    seen: list[str] = []
    for chunk in chunks:
        seen.append(chunk)
        stripped = chunk.lstrip()
        if stripped:
            return stripped[0], itertools.chain(seen, chunks)
    return "", itertools.chain(seen, chunks)


def _csv_rows_again(source: ImportSource, delimiter: str | None, with_header: bool = False) -> Any:
    header, records = csv_records(
        physical_lines(source.text_chunks(), source.name), source.name, delimiter
    )
    return (header, records) if with_header else records


def _refuse_too_many(name: str, items: Iterable[object]) -> None:
    """Count the rows without turning them into episodes; refuse past MAX_ROWS."""
    for count, _ in enumerate(items, start=1):
        if count > MAX_ROWS:
            raise too_many_rows(name)


def _header_mismatch(columns: list[str]) -> str:
    missing = sorted(REQUIRED_COLUMNS - set(columns))
    if missing:
        return f"it has no {' or '.join(missing)} column"
    if "" in columns:
        return f"column {columns.index('') + 1} of its first row has no name"
    unknown = [c for c in dict.fromkeys(columns) if c not in CSV_COLUMNS]
    if unknown:
        return f"columns it does not know: {', '.join(c[:40] for c in unknown[:5])}"
    twice = [c for c in dict.fromkeys(columns) if columns.count(c) > 1]
    return f"the column {twice[0]} is named twice"


class _Seen:
    """Episodes already in the diary or accepted earlier from the file.

    Compared field by field: a cramp in the left leg and one in the right at the same moment are
    two episodes, not a duplicate. Found through a hash of the fields (the file) or the start
    index (the diary, see tracker.store.import_writes), so many rows at one moment never make
    the import quadratic.
    """

    def __init__(self, store: Store | None):
        self.diary = store.import_index() if store is not None else None
        self.file: dict[int, int | list[int]] = {}

    def in_diary(self, episode: Episode) -> bool:
        return self.diary is not None and self.diary.contains(episode)

    @staticmethod
    def key(episode: Episode) -> int:
        """A hash of the fields; equal episodes have equal keys (checked exactly on a match)."""
        e = episode
        start = int(e.started_at.replace(microsecond=0).timestamp())
        return hash(
            (start, e.started_at.utcoffset(), e.duration_s, e.side, e.site, e.severity)
            + (e.activity, e.hydration, e.fluid_ml, e.footwear, e.footwear_tight, e.relief)
            + (e.relief_effect, e.context, e.warning_signs, e.notes, e.time_approximate)
        )

    def in_file(self, episode: Episode, key: int, accepted: list[Episode]) -> bool:
        found = self.file.get(key)
        if found is None:
            return False
        content = episode_params(episode)
        indices = found if isinstance(found, list) else [found]
        return any(episode_params(accepted[i]) == content for i in indices)

    def add(self, key: int, index: int) -> None:
        found = self.file.get(key)
        if found is None:
            self.file[key] = index
        elif isinstance(found, list):
            found.append(index)
        else:
            self.file[key] = [found, index]


def _sort_rows(
    store: Store | None,
    preview: ImportPreview,
    rows: Iterable[tuple[int, str, Episode | str | None]],
    now: datetime,
) -> None:
    """Validate each row and sort it into to_add, duplicates or bad_rows."""
    seen = _Seen(store)
    for line, unit, result in rows:
        preview.rows_read += 1
        if preview.rows_read > MAX_ROWS:
            raise too_many_rows(preview.source)
        if result is None:  # left out by the row filter
            preview.filtered_out += 1
            continue
        if isinstance(result, str):
            preview.bad_rows.append(BadRow(line, result, unit))
            continue
        try:
            warnings = validate(result, now)
        except ValidationError as exc:
            preview.bad_rows.append(BadRow(line, " ".join(exc.errors.values()), unit))
            continue
        for warning in warnings:
            preview.warnings.append(BadRow(line, warning, unit))
        key = seen.key(result)
        if seen.in_diary(result) or seen.in_file(result, key, preview.to_add):
            preview.duplicates.append((line, result))
        else:
            seen.add(key, len(preview.to_add))
            preview.to_add.append(result)
    if preview.rows_read == 0:
        raise ImportFileError(f"'{preview.source}' has no episodes in it (only a header?).")


# --------------------------------------------------------------------------- commit


def commit_import(store: Store, preview: ImportPreview, *, backup: bool = True) -> ImportResult:
    """Back up, then write every accepted row in one transaction (all or nothing).

    Ids from the file are kept when free, so a diary moved to a new computer keeps them;
    duplicates are checked again inside the transaction in case the diary changed meanwhile.
    Raises ImportWriteError (a StoreError) when the backup or the writing fails.
    """
    if not preview.to_add:
        return ImportResult(0, 0, None)
    backup_path = None
    if backup:
        from tracker.store.backup import backup_now

        try:
            backup_path = backup_now(store, kind="import")
        except (StoreError, sqlite3.Error) as exc:
            what = "the safety copy of your diary (taken before every import) could not be written"
            raise ImportWriteError(_write_failure(store, exc, what)) from exc
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    try:
        added, skipped = store.add_imported(preview.to_add, stamp)
    except (StoreError, sqlite3.Error) as exc:
        raise ImportWriteError(
            _write_failure(store, exc, "the episodes could not be saved")
        ) from exc
    return ImportResult(added, skipped, backup_path)


def _write_failure(store: Store, exc: BaseException, what: str) -> str:
    if _disk_full(exc):
        return (
            f"Nothing was imported: {what} because the disk holding '{Path(store.path).parent}' "
            "is full. Your diary is as it was. Free some space on that disk and import again."
        )
    return f"Nothing was imported ({what}): {exc}"


def _disk_full(exc: BaseException | None) -> bool:
    """Is a full disk (or quota) somewhere in the chain of causes?"""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
            return True
        text = str(exc).lower()
        if "disk is full" in text or "no space left" in text:
            return True
        exc = exc.__cause__ or exc.__context__
    return False
