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
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tracker import import_mapping
from tracker.episode import Episode, ValidationError, parse_started_at, validate
from tracker.export_csv import CSV_COLUMNS, MULTI_SEPARATOR, unguard_cell
from tracker.export_json import FORMAT_NAME, FORMAT_VERSION
from tracker.import_mapping import ColumnMapping
from tracker.store import Store, _episode_params

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_ROWS = 1_000_000
MAX_SQLITE_INT = 2**63 - 1
REQUIRED_COLUMNS = frozenset(
    ("started_at", "duration_s", "side", "site", "severity", "activity", "hydration", "footwear")
)
_MULTI = ("site", "relief", "context", "warning_signs")
_CODES = ("side", "activity", "hydration", "footwear")


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message says why and what to do."""


class NeedsMappingError(ImportFileError):
    """A CSV whose columns are not ours: the person has to say which column is which."""


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
        rows = _json_rows(text, source)
    else:
        header, records = _csv_records(text, source, mapping.delimiter if mapping else None)
        if mapping is None:
            columns = [c.strip().lower() for c in header]
            if not _is_our_header(columns):
                missing = ", ".join(sorted(REQUIRED_COLUMNS - set(columns)))
                raise NeedsMappingError(
                    f"'{source}' is not a Cramp Tracker CSV (missing columns: {missing}). "
                    "Use Import in the app's File menu to say which of its columns is which."
                )
            preview = ImportPreview(source, "csv")
            rows = _our_csv_rows(columns, records)
        else:
            problems = mapping.problems()
            if problems:
                raise ImportFileError("The column mapping is incomplete: " + " ".join(problems))
            preview = ImportPreview(source, "mapped csv")
            rows = _mapped_rows(mapping, header, records)
    _sort_rows(store, preview, rows, now)
    return preview


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


# --------------------------------------------------------------------------- CSV
def _csv_records(
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


def _is_our_header(columns: list[str]) -> bool:
    return (
        REQUIRED_COLUMNS <= set(columns)
        and set(columns) <= set(CSV_COLUMNS)
        and len(set(columns)) == len(columns)
    )


def _our_csv_rows(columns: list[str], records) -> Iterator[tuple[int, str, Episode | str]]:
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
    severity = integer("severity", "Severity")
    fluid = integer("fluid_ml", "Fluid drunk", optional=True)
    tight = values.get("footwear_tight", "0").strip().lower()
    if tight not in ("0", "1", "", "true", "false"):
        errors.append(f"Tight or ill-fitting: '{tight[:20]}' should be 0 or 1.")
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
        footwear_tight=tight in ("1", "true"),
        relief_effect=values.get("relief_effect", "").strip() or None,
        notes=values.get("notes", ""),
        id=episode_id,
        **{name: values[name].strip() for name in _CODES},
        **multi,
    )


def _mapped_rows(mapping: ColumnMapping, header, records):
    width = len(header)
    for line, cells in records:
        if len(cells) != width and mapping.strict_width:
            yield line, "line", f"has {len(cells)} cells but the header has {width}."
            continue
        yield line, "line", import_mapping.episode_from_cells(mapping, cells)


# --------------------------------------------------------------------------- JSON
def _json_rows(text: str, source: str) -> Iterator[tuple[int, str, Episode | str]]:
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
    for name in _CODES:
        if not isinstance(item[name], str):
            errors.append(f"{name}: expected text.")
    for name in _MULTI:
        value = item.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            errors.append(f"{name}: expected a list of codes.")
    effect = item.get("relief_effect")
    if effect is not None and not isinstance(effect, str):
        errors.append("relief_effect: expected text or null.")
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
    return Episode(
        started_at=started,
        duration_s=item["duration_s"],
        side=item["side"],
        site=tuple(item["site"]),
        severity=item["severity"],
        activity=item["activity"],
        hydration=item["hydration"],
        footwear=item["footwear"],
        fluid_ml=item.get("fluid_ml"),
        footwear_tight=item.get("footwear_tight", False),
        relief=tuple(item.get("relief", [])),
        relief_effect=effect,
        context=tuple(item.get("context", [])),
        warning_signs=tuple(item.get("warning_signs", [])),
        notes=notes,
        id=episode_id,
        created_at=_timestamp(item.get("created_at")),
        updated_at=_timestamp(item.get("updated_at")),
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
