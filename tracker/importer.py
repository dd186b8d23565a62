"""Import episodes from our JSON and CSV, or from any CSV through a column mapping.

Import happens in two steps so nothing is written before the person has seen what will happen:
``preview_import`` reads and validates every row (with the same rules as the form) and sorts the
rows into those to add, duplicates of episodes already in the diary (same start instant and
duration), and bad rows with their line number and reason. ``commit_import`` then takes a backup
and writes every accepted row in one transaction: all of them, or none.

A file that is not something we can read (binary, wrong encoding, empty, a header only, far too
big) raises ``ImportFileError`` with a message for a person; no other exception escapes.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tracker.episode import (
    FIELD_LABELS,
    OPTIONAL_FIELDS,
    Episode,
    ValidationError,
    is_recorded,
    validate,
)
from tracker.export_csv import CSV_COLUMNS
from tracker.import_formats import (
    MAX_ROWS,
    REQUIRED_COLUMNS,
    ImportFileError,
    NeedsMappingError,
    csv_records,
    is_our_header,
    json_rows,
    mapped_rows,
    our_csv_rows,
)
from tracker.import_mapping import ColumnMapping
from tracker.store import Store, _episode_params

MAX_FILE_BYTES = 100 * 1024 * 1024


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

    def not_recorded_counts(self) -> dict[str, int]:
        """Field label -> how many episodes to add leave it not recorded (only those > 0)."""
        counts = {
            FIELD_LABELS[name]: sum(not is_recorded(e, name) for e in self.to_add)
            for name in OPTIONAL_FIELDS
        }
        return {label: n for label, n in counts.items() if n}

    def summary(self) -> str:
        return (
            f"{self.rows_read:,} rows read from {self.source}: {len(self.to_add):,} to add, "
            f"{len(self.duplicates):,} duplicates of episodes already in the diary (skipped), "
            f"{len(self.bad_rows):,} with problems (skipped)."
        )


@dataclass(frozen=True)
class ImportResult:
    added: int
    skipped: int
    backup_path: Path | None


# --------------------------------------------------------------------------- reading the file
def read_file(path: str | os.PathLike) -> bytes:
    path = Path(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise ImportFileError(f"'{path}' is a folder; choose a CSV or JSON file.")
        if size > MAX_FILE_BYTES:
            raise ImportFileError(
                f"'{path.name}' is {size / 1e6:,.0f} MB; Cramp Tracker imports files up to "
                f"{MAX_FILE_BYTES // 1_000_000} MB. Is it the right file? Split it if it is."
            )
        with open(path, "rb") as fh:
            return fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ImportFileError(f"Cannot read '{path}': {exc.strerror or exc}.") from None


def decode_text(data: bytes, name: str = "The file") -> str:
    """Bytes to text, refusing what is clearly not a UTF-8 text file."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            f"{name} is larger than {MAX_FILE_BYTES // 1_000_000} MB; Cramp Tracker does not "
            "import files that big. Is it the right file?"
        )
    if not data.strip():
        raise ImportFileError(f"{name} is empty: there is nothing to import.")
    if data.startswith(b"SQLite format 3"):
        raise ImportFileError(
            f"{name} is a database file, not an export. To bring back a backup, use "
            "Restore from backup instead of Import."
        )
    if data.startswith(b"PK\x03\x04"):
        raise ImportFileError(
            f"{name} is a compressed file such as an Excel (.xlsx) or OpenDocument (.ods) "
            "spreadsheet. In your spreadsheet program, save it as CSV (UTF-8) and import that."
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError(
            f"{name} is UTF-16 text. In your spreadsheet program, save it as 'CSV UTF-8' and "
            "import that."
        )
    head = data[:8192]
    if head.count(b"\x00") > max(2, len(head) // 100):  # text may hold a stray NUL; binary has many
        raise ImportFileError(
            f"{name} is a binary file, not CSV or JSON text. Export your data as CSV (UTF-8) "
            "or JSON and import that."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            f"{name} is not UTF-8 text (unexpected byte 0x{data[exc.start]:02x} on line {line}). "
            "In your spreadsheet program, save it as 'CSV UTF-8' and import that."
        ) from None


def looks_like_json(text: str) -> bool:
    return text.lstrip()[:1] in ("{", "[")


# --------------------------------------------------------------------------- preview
def preview_import(
    store: Store,
    path: str | os.PathLike,
    mapping: ColumnMapping | None = None,
    now: datetime | None = None,
) -> ImportPreview:
    """Read and check the file at ``path``; raises ImportFileError (NeedsMappingError)."""
    path = Path(path)
    return preview_import_bytes(store, read_file(path), path.name, mapping, now)


def preview_import_bytes(
    store: Store,
    data: bytes,
    source: str = "the file",
    mapping: ColumnMapping | None = None,
    now: datetime | None = None,
) -> ImportPreview:
    try:
        return _preview(store, data, source, mapping, now)
    except ImportFileError:
        raise
    except (RecursionError, MemoryError):
        raise ImportFileError(
            f"'{source}' is too deeply nested or too large to read; is it the right file?"
        ) from None
    except (
        ValueError,
        TypeError,
        ArithmeticError,
        csv.Error,
    ) as exc:  # a last line of defence, never a traceback
        raise ImportFileError(f"'{source}' could not be read ({exc}).") from None


def _preview(store, data, source, mapping, now) -> ImportPreview:
    text = decode_text(data, f"'{source}'")
    now = now or datetime.now().astimezone()
    if mapping is None and looks_like_json(text):
        preview = ImportPreview(source, "json")
        rows = json_rows(text, source)
    else:
        header, records = csv_records(text, source, mapping.delimiter if mapping else None)
        if mapping is None:
            columns = [c.strip().lower() for c in header]
            if not is_our_header(columns):
                raise NeedsMappingError(
                    f"'{source}' is not a Cramp Tracker CSV ({_header_mismatch(columns)}). "
                    "Use Import in the app's File menu to say which of its columns is which."
                )
            preview = ImportPreview(source, "csv")
            rows = our_csv_rows(columns, records)
        else:
            problems = mapping.problems()
            if problems:
                raise ImportFileError("The column mapping is incomplete: " + " ".join(problems))
            preview = ImportPreview(source, "mapped csv")
            rows = mapped_rows(mapping, header, records)
    _sort_rows(store, preview, rows, now)
    return preview


def _header_mismatch(columns: list[str]) -> str:
    missing = sorted(REQUIRED_COLUMNS - set(columns))
    if missing:
        return f"missing columns: {', '.join(missing)}"
    unknown = [c for c in dict.fromkeys(columns) if c not in CSV_COLUMNS]
    if unknown:
        return f"columns it does not know: {', '.join(c[:40] for c in unknown[:5])}"
    return "a column is named twice"


def _sort_rows(store, preview: ImportPreview, rows, now) -> None:
    """Validate each row and sort it into to_add, duplicates or bad_rows."""
    seen = {tuple(r) for r in store.conn.execute("SELECT start_utc, duration_s FROM episode")}
    for line, unit, result in rows:
        preview.rows_read += 1
        if preview.rows_read > MAX_ROWS:
            raise ImportFileError(
                f"'{preview.source}' has more than {MAX_ROWS:,} rows; split it into smaller files."
            )
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
        key = (int(result.started_at.replace(microsecond=0).timestamp()), result.duration_s)
        if key in seen:
            preview.duplicates.append((line, result))
        else:
            seen.add(key)
            preview.to_add.append(result)
    if preview.rows_read == 0:
        raise ImportFileError(f"'{preview.source}' has no episodes in it (only a header?).")


# --------------------------------------------------------------------------- commit
def commit_import(store: Store, preview: ImportPreview, *, backup: bool = True) -> ImportResult:
    """Back up, then write every accepted row in one transaction (all or nothing).

    Ids from the file are kept when free, so a diary moved to a new computer keeps them;
    duplicates are checked again inside the transaction in case the diary changed meanwhile.
    """
    if not preview.to_add:
        return ImportResult(0, 0, None)
    backup_path = None
    if backup:
        from tracker.backup import backup_now

        backup_path = backup_now(store, kind="import")
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    skipped = 0
    with store.transaction() as conn:
        keys = {tuple(r) for r in conn.execute("SELECT start_utc, duration_s FROM episode")}
        ids = {r[0] for r in conn.execute("SELECT id FROM episode")}
        rows = []
        for episode in preview.to_add:
            params = _episode_params(episode)
            key = (params["start_utc"], params["duration_s"])
            if key in keys:
                skipped += 1
                continue
            keys.add(key)
            keep_id = episode.id is not None and episode.id not in ids
            if keep_id:
                ids.add(episode.id)
            params["id"] = episode.id if keep_id else None
            params["created_at"] = episode.created_at or stamp
            params["updated_at"] = episode.updated_at or stamp
            rows.append(params)
        if rows:
            columns = list(rows[0])
            # ids kept from the file first, so a new id can never take one that is still to come
            rows.sort(key=lambda r: r["id"] is None)
            conn.executemany(
                f"INSERT INTO episode ({', '.join(columns)}) "
                f"VALUES ({', '.join(':' + c for c in columns)})",
                rows,
            )
    return ImportResult(len(rows), skipped, backup_path)
