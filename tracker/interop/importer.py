"""Import episodes from our JSON and CSV, or from any CSV through a column mapping.

Import happens in two steps so nothing is written before the person has seen what will happen:
``preview_import`` reads and validates every row (with the same rules as the form) and sorts the
rows into those to add, duplicates (every field the same as an episode already in the diary or
earlier in the file; two cramps at the same moment in both legs are two episodes), and bad rows
with their line number and reason. ``commit_import`` then takes a backup and writes every
accepted row in one transaction: all of them, or none.

Files are read a piece at a time (tracker.interop.import_source) and the preview keeps no
episode in memory: the rows to add go to an unnamed temporary file (``_Spool``) as the values the
insert writes, and duplicates are found through a 16-byte digest of each row's content
(tracker.store.import_writes). So our own export of a million episodes (about 470 MB of JSON)
previews and imports back in well under 300 MB, and the commit writes exactly the rows the preview
counted, however the file changes meanwhile. Our own formats have no row limit; another
program's spreadsheet (a mapped CSV) is refused past MAX_ROWS, as soon as that is known.

Both steps take a ``Progress`` (tracker.diary.progress): they report how far they are and stop
with ``Cancelled`` when asked; a cancelled commit rolls its one transaction back.

A file that is not something we can read (binary, wrong encoding, empty, a header only, far too
big) raises ``ImportFileError`` with a message for a person; no other exception escapes.
"""

from __future__ import annotations

import csv
import dataclasses
import errno
import itertools
import marshal
import os
import sqlite3
import tempfile
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any, cast

from tracker.diary.checkin import CheckIn, Medicine
from tracker.diary.episode import (
    FIELD_LABELS,
    OPTIONAL_FIELDS,
    Episode,
    ValidationError,
    validate,
)
from tracker.diary.progress import NO_PROGRESS, Progress
from tracker.interop.checkin_io import (
    checkin_from_item,
    csv_item,
    is_checkin_header,
    is_medicine_header,
    medicine_from_item,
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
from tracker.store import Store, StoreError
from tracker.store.import_writes import (
    BLOCK_ROWS,
    CONTENT_COLUMNS,
    ImportRow,
    add_import_rows,
    content_digest,
    content_row,
    diary_digests,
    episode_of_row,
    import_row,
    insert_new_checkins,
    insert_new_medicines,
    medicine_key,
)

MAX_KEPT = 10_000  # rows with problems, warnings and duplicate lines kept to list (all counted)

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
    """What an import would do; nothing has been written yet.

    Counts cover every row; the lists keep the first MAX_KEPT of each (nobody reads more, and a
    spreadsheet where every row is wrong must not fill the memory). The rows to add wait in an
    unnamed temporary file until ``commit_import`` (``to_add`` reads them back as episodes).
    """

    source: str
    kind: str  # "json", "csv" or "mapped csv"
    add_count: int = 0
    duplicate_count: int = 0
    duplicate_lines: list[int] = field(default_factory=list)
    bad_rows: list[BadRow] = field(default_factory=list)
    bad_count: int = 0
    warnings: list[BadRow] = field(default_factory=list)
    warning_count: int = 0
    rows_read: int = 0
    filtered_out: int = 0  # rows the mapping's row filter left out (counted, never hidden)
    filter_description: str = ""  # "'Symptom' does not contain 'cramp'"
    notes: list[str] = field(default_factory=list)  # how the file was read, to confirm
    not_recorded: dict[str, int] = field(default_factory=dict)  # field name -> rows to add
    spool: _Spool | None = field(default=None, repr=False, compare=False)
    # Daily check-ins and medicines (our JSON of format 3, or their own CSVs). A day the
    # diary (or the file, earlier) already has is kept as it is: identical, it is counted in
    # ``checkins_same``; different, its day is in ``checkin_conflicts`` (the diary's answers
    # stay). A medicine with the name, kind and start date of one in the list is a duplicate.
    checkins_to_add: list[CheckIn] = field(default_factory=list)
    checkins_same: int = 0
    checkin_conflicts: list[date] = field(default_factory=list)
    medicines_to_add: list[Medicine] = field(default_factory=list)
    medicine_duplicates: int = 0
    checkins_read: int = 0
    medicines_read: int = 0

    @property
    def nothing_to_add(self) -> bool:
        return not (self.add_count or self.checkins_to_add or self.medicines_to_add)

    def checkin_summary(self) -> str:
        """The check-ins and medicines line of the preview ('' when the file has none)."""
        if not (self.checkins_read or self.medicines_read):
            return ""
        parts = []
        if self.checkins_read:
            parts.append(
                f"{len(self.checkins_to_add):,} daily check-ins to add, {self.checkins_same:,} "
                f"already in the diary, {len(self.checkin_conflicts):,} days the diary already "
                "has with other answers (the diary's answers are kept)"
            )
        if self.medicines_read:
            parts.append(
                f"{len(self.medicines_to_add):,} medicines to add, "
                f"{self.medicine_duplicates:,} already in the list (same name, kind and start)"
            )
        return "; ".join(parts) + "."

    @property
    def to_add(self) -> list[Episode]:
        """The episodes the commit would add, read back (for a small file; a million take GBs)."""
        return [episode_of_row(row) for block in self.blocks() for row in block]

    def blocks(self) -> Iterator[list[ImportRow]]:
        return self.spool.blocks() if self.spool is not None else iter(())

    def close(self) -> None:
        """Let go of the rows to add (the temporary file); the commit needs them."""
        if self.spool is not None:
            self.spool.close()

    def not_recorded_counts(self) -> dict[str, int]:
        """Field label -> how many episodes to add leave it not recorded (only those > 0)."""
        return {FIELD_LABELS[n]: c for n, c in self.not_recorded.items() if c}

    def summary(self) -> str:
        left_out = (
            f", {self.filtered_out:,} left out by the row filter ({self.filter_description})"
            if self.filter_description
            else ""
        )
        return (
            f"{self.rows_read:,} rows read from {self.source}: {self.add_count:,} to add, "
            f"{self.duplicate_count:,} duplicates (skipped: every field the same as an episode "
            f"already in the diary or earlier in the file), "
            f"{self.bad_count:,} with problems (skipped){left_out}."
            + (f" {self.checkin_summary()}" if self.checkin_summary() else "")
        )


class _Spool:
    """The rows to add, in an unnamed temporary file, a block at a time (marshal).

    Unnamed (``tempfile.TemporaryFile``): it disappears when closed or when the program ends,
    however it ends. Put beside the diary when there is one: that disk receives the rows anyway,
    while the temporary folder may be memory (tmpfs).
    """

    def __init__(self, folder: Path | None) -> None:
        self._file: IO[bytes]
        try:
            self._file = tempfile.TemporaryFile(dir=folder, prefix=".import-")
        except OSError:
            self._file = tempfile.TemporaryFile(prefix="cramp-import-")
        self._block: list[ImportRow] = []

    def add(self, row: ImportRow) -> None:
        self._block.append(row)
        if len(self._block) >= BLOCK_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self._block:
            data = marshal.dumps(self._block)
            self._file.write(len(data).to_bytes(8, "little") + data)  # read back in one piece
            self._block = []

    def blocks(self) -> Iterator[list[ImportRow]]:
        self._flush()
        self._file.seek(0)
        while size := int.from_bytes(self._file.read(8), "little"):
            yield marshal.loads(self._file.read(size))

    def close(self) -> None:
        self._file.close()


@dataclass(frozen=True)
class ImportResult:
    added: int
    skipped: int
    backup_path: Path | None
    checkins_added: int = 0  # days written (a day the diary had meanwhile keeps its own)
    medicines_added: int = 0

    def describe(self) -> str:
        """'Imported 12 episodes, 30 check-ins and 2 medicines.'"""
        parts = [f"{self.added:,} episode{'s' if self.added != 1 else ''}"]
        if self.checkins_added:
            n = self.checkins_added
            parts.append(f"{n:,} check-in{'s' if n != 1 else ''}")
        if self.medicines_added:
            n = self.medicines_added
            parts.append(f"{n:,} medicine{'s' if n != 1 else ''}")
        what = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
        return f"Imported {what}."


# --------------------------------------------------------------------------- preview
def preview_import(
    store: Store | None,
    path: str | os.PathLike[str],
    mapping: ColumnMapping | None = None,
    now: datetime | None = None,
    progress: Progress = NO_PROGRESS,
) -> ImportPreview:
    """Read and check the file at ``path``; raises ImportFileError (NeedsMappingError).

    ``store`` None previews against an empty diary (one that does not exist yet).
    """
    return preview_source(store, ImportSource.from_path(path), mapping, now, progress)


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
    progress: Progress = NO_PROGRESS,
) -> ImportPreview:
    try:
        return _preview(store, source, mapping, now, progress)
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
    progress: Progress,
) -> ImportPreview:
    progress.phase("Reading the file…")
    progress.step(0, source.size)
    source.check_head()
    now = now or datetime.now().astimezone()
    name = source.name
    text = cast(Generator[str, None, None], source.text_chunks())
    first, chunks = _first_character(text)
    preview: ImportPreview
    rows: _Rows
    extras: dict[str, object] = {}
    if mapping is None and first in ("{", "["):
        text.close()  # the JSON reader reads from the start again
        chunks = iter(())  # (and the first piece is not held meanwhile)
        preview = ImportPreview(name, "json")
        rows = json_rows(source, extras)
    else:
        delimiter = mapping.delimiter if mapping else None
        if mapping is not None and not delimiter:  # a saved mapping used on another file
            delimiter = sniff_table(source.head_text(), 1).delimiter
            mapping = dataclasses.replace(mapping, delimiter=delimiter)
        header, records = csv_records(physical_lines(chunks, name), name, delimiter)
        if mapping is None:
            preview, rows = _our_csv_preview(name, header, records, extras)
        else:  # another program's table: refused past MAX_ROWS, counted before anything else
            preview, rows = _mapped_preview(source, mapping, delimiter, header, records)
            if source.has_more_lines_than(MAX_ROWS + 1):
                _refuse_too_many(name, _csv_rows_again(source, delimiter))
    if source.encoding_note:
        preview.notes.insert(0, source.encoding_note)
    preview.spool = _Spool(Path(store.path).parent if store is not None else None)
    try:
        _sort_rows(store, preview, rows, now, source, progress)
        _sort_checkins(store, preview, extras, now.date())
        if preview.rows_read == 0 and not (preview.checkins_read or preview.medicines_read):
            raise ImportFileError(f"'{preview.source}' has no episodes in it (only a header?).")
    except BaseException:
        preview.close()
        raise
    return preview


def _our_csv_preview(
    name: str,
    header: list[str],
    records: Iterable[tuple[int, list[str] | str]],
    extras: dict[str, object],
) -> tuple[ImportPreview, _Rows]:
    """A CSV written by Cramp Tracker (or shaped like one): its header names the fields. Our
    check-ins' or medicines' CSV (recognised by its header) fills ``extras`` instead."""
    columns = [c.strip().lower() for c in header]
    for key, recognise in (("checkins", is_checkin_header), ("medicines", is_medicine_header)):
        if recognise(columns):
            extras[key] = [
                csv_item(columns, cells) if not isinstance(cells, str) else cells
                for _, cells in records
            ]
            return ImportPreview(name, f"{key} csv"), iter(())
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


_NOT_RECORDED_AT = tuple((name, CONTENT_COLUMNS.index(name)) for name in OPTIONAL_FIELDS)
_EMPTY = (None, "")  # "not recorded" as stored: None, or "" for a list
_PROGRESS_EVERY = 256  # rows between progress reports (each asks the clock)


def _sort_rows(
    store: Store | None,
    preview: ImportPreview,
    rows: Iterable[tuple[int, str, Episode | str | None]],
    now: datetime,
    source: ImportSource,
    progress: Progress,
) -> None:
    """Validate each row and sort it into the rows to add, duplicates or bad rows.

    A duplicate has the content of an episode in the diary or of a row accepted earlier in the
    file: a cramp in the left leg and one in the right at the same moment are two episodes.
    Both are found in one set of content digests, so nothing is quadratic and no episode is kept.
    """
    if store is not None:
        progress.phase("Reading your diary…")
        seen = diary_digests(store, lambda done, total: progress.step(done, total))
    else:
        seen = set()
    progress.phase("Reading the file…")
    spool = cast(_Spool, preview.spool)
    not_recorded = dict.fromkeys(OPTIONAL_FIELDS, 0)
    mapped = preview.kind == "mapped csv"
    size = source.size
    count = 0
    for line, unit, result in rows:
        count += 1
        if not count % _PROGRESS_EVERY:
            progress.step(source.bytes_read, size)
        if mapped and count > MAX_ROWS:
            raise too_many_rows(preview.source)
        if result is None:  # left out by the row filter
            preview.filtered_out += 1
            continue
        if isinstance(result, str):
            preview.bad_count += 1
            if preview.bad_count <= MAX_KEPT:
                preview.bad_rows.append(BadRow(line, result, unit))
            continue
        try:
            warnings = validate(result, now)
        except ValidationError as exc:
            preview.bad_count += 1
            if preview.bad_count <= MAX_KEPT:
                preview.bad_rows.append(BadRow(line, " ".join(exc.errors.values()), unit))
            continue
        for warning in warnings:
            preview.warning_count += 1
            if preview.warning_count <= MAX_KEPT:
                preview.warnings.append(BadRow(line, warning, unit))
        content = content_row(result)
        digest = content_digest(content)
        if digest in seen:
            preview.duplicate_count += 1
            if preview.duplicate_count <= MAX_KEPT:
                preview.duplicate_lines.append(line)
            continue
        seen.add(digest)
        preview.add_count += 1
        for name, index in _NOT_RECORDED_AT:
            if content[index] in _EMPTY:
                not_recorded[name] += 1
        spool.add(import_row(result, content))
    preview.rows_read = count
    preview.not_recorded = not_recorded
    progress.step(size, size)


def _items(value: object, what: str, preview: ImportPreview) -> list[object]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ImportFileError(f"'{preview.source}': its {what} are not a list; export it again.")
    return value


def _bad(preview: ImportPreview, position: int, reason: str, unit: str) -> None:
    preview.bad_count += 1
    if preview.bad_count <= MAX_KEPT:
        preview.bad_rows.append(BadRow(position, reason, unit))


def _sort_checkins(
    store: Store | None, preview: ImportPreview, extras: dict[str, object], today: date
) -> None:
    """Check each check-in and medicine of the file and sort them as ImportPreview says."""
    checkin_items = _items(extras.get("checkins"), "check-ins", preview)
    medicine_items = _items(extras.get("medicines"), "medicines", preview)
    preview.checkins_read, preview.medicines_read = len(checkin_items), len(medicine_items)
    if not (checkin_items or medicine_items):
        return
    known = {c.day: c for c in store.all_checkins()} if store is not None else {}
    for position, item in enumerate(checkin_items, start=1):
        checkin = item if isinstance(item, str) else checkin_from_item(item, today)
        if isinstance(checkin, str):
            _bad(preview, position, checkin, "check-in")
        elif checkin.is_empty():
            _bad(preview, position, "has no answer at all.", "check-in")
        elif checkin.day in known:
            if known[checkin.day] == checkin:
                preview.checkins_same += 1
            else:
                preview.checkin_conflicts.append(checkin.day)
        else:
            known[checkin.day] = checkin
            preview.checkins_to_add.append(checkin)
    listed = {medicine_key(m) for m in store.medicines()} if store is not None else set()
    for position, item in enumerate(medicine_items, start=1):
        medicine = item if isinstance(item, str) else medicine_from_item(item, today)
        if isinstance(medicine, str):
            _bad(preview, position, medicine, "medicine")
        elif medicine_key(medicine) in listed:
            preview.medicine_duplicates += 1
        else:
            listed.add(medicine_key(medicine))
            preview.medicines_to_add.append(medicine)


# --------------------------------------------------------------------------- commit


def commit_import(
    store: Store,
    preview: ImportPreview,
    *,
    backup: bool = True,
    progress: Progress = NO_PROGRESS,
) -> ImportResult:
    """Back up, then write every accepted row in one transaction (all or nothing).

    Ids from the file are kept when free, so a diary moved to a new computer keeps them;
    duplicates are checked again inside the transaction in case the diary changed meanwhile.
    Raises ImportWriteError (a StoreError) when the backup or the writing fails, and Cancelled
    when ``progress`` was cancelled: the transaction is rolled back, nothing was added.
    """
    if preview.nothing_to_add:
        return ImportResult(0, 0, None)
    backup_path = None
    if backup:
        from tracker.store.backup import backup_now

        progress.phase("Saving a copy of your diary first…")
        progress.step(0, 0)
        try:
            backup_path = backup_now(store, kind="import")
        except (StoreError, sqlite3.Error) as exc:
            what = "the safety copy of your diary (taken before every import) could not be written"
            raise ImportWriteError(_write_failure(store, exc, what)) from exc
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    progress.phase(f"Saving {preview.add_count:,} episodes…")
    written = [0, 0]

    def checkins_and_medicines(conn: sqlite3.Connection) -> None:
        written[0] = insert_new_checkins(conn, preview.checkins_to_add, stamp)
        written[1] = insert_new_medicines(conn, preview.medicines_to_add, stamp)

    try:
        if preview.add_count:
            added, skipped = add_import_rows(
                store,
                preview.blocks,
                preview.add_count,
                stamp,
                progress.step,
                also=checkins_and_medicines,
            )
            if preview.checkins_to_add or preview.medicines_to_add:
                store.checkin_revision += 1
        else:  # check-ins and medicines only
            added = skipped = 0
            with store.transaction(checkins_only=True) as conn:
                checkins_and_medicines(conn)
    except (StoreError, sqlite3.Error) as exc:
        raise ImportWriteError(
            _write_failure(store, exc, "the episodes could not be saved")
        ) from exc
    return ImportResult(added, skipped, backup_path, written[0], written[1])


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
