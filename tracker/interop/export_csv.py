"""CSV export as the foundation issue specifies: RFC 4180, a header row, one row per episode.

Spreadsheet programs run a cell that starts with = + - @, tab, CR or LF as a formula (OWASP "CSV
injection"), so such text cells get a leading apostrophe, which spreadsheets show as plain text.
A cell that itself starts with an apostrophe gets one too, so that import can remove exactly one
and every note comes back unchanged. Numbers are written as numbers and never prefixed.

A field the person did not record (side, severity, ... left out of a quick log) is an empty
cell, never a guessed value; yes/no fields are 0 or 1.

For spreadsheets: the file starts with a UTF-8 byte-order mark (Excel and LibreOffice otherwise
guess a legacy encoding and show "naÃ¯ve cafÃ©"), and after the contract columns come
``local_date`` (YYYY-MM-DD) and ``local_time`` (HH:MM:SS), the wall clock the person saw, which
spreadsheets recognise as a date and a time (``started_at`` with its offset stays text there),
then the episode's stable ``uid``. The contract header is a prefix of the full header, so a
reader that knows only the contract columns finds them where they always were.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, TextIO

from tracker.diary.episode import FIELDS, Episode
from tracker.diary.vocab import join_multi, split_multi
from tracker.interop.export_plan import UID_COLUMN, Memo, column_plan

# The columns the foundation issue specifies: the id, then every recorded field in the
# declared order (tracker.diary.episode.FIELDS), never the timestamps.
CSV_COLUMNS = ("id", *(spec.name for spec in FIELDS))
# Derived from started_at for spreadsheets; a reader of our CSV may ignore them.
SPREADSHEET_COLUMNS = ("local_date", "local_time")
EXPORT_COLUMNS = (*CSV_COLUMNS, *SPREADSHEET_COLUMNS, "uid")
BOM = "\ufeff"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
GUARD = "'"


def guard_cell(text: str) -> str:
    """Neutralise a text cell a spreadsheet would otherwise evaluate as a formula."""
    if text.startswith(FORMULA_TRIGGERS) or text.startswith(GUARD):
        return GUARD + text
    return text


def unguard_cell(text: str) -> str:
    """Undo ``guard_cell`` (used when importing our own CSV)."""
    if text.startswith(GUARD) and text[1:2] and text[1:].startswith((*FORMULA_TRIGGERS, GUARD)):
        return text[1:]
    return text


def _blank(value: object) -> object:
    """An empty cell for "not recorded" (None); the value itself otherwise."""
    return "" if value is None else value


def _text(value: object) -> str:
    return guard_cell("" if value is None else str(value))


# How each kind of field becomes a cell: numbers stay numbers, yes/no is 0 or 1, text (codes,
# lists, the start, notes) is guarded against formulas.
_CELL: dict[str, Callable[[Any], object]] = {
    "datetime": lambda value: guard_cell(value.isoformat()),
    "int": _blank,
    "single": _text,
    "multi": lambda codes: guard_cell(join_multi(codes)),
    "bool": int,
    "text": _text,
}
_CELLS = tuple((spec.name, _CELL[spec.kind]) for spec in FIELDS)


def episode_row(episode: Episode) -> list[object]:
    """One CSV row: ints stay ints (numeric cells), every text cell is guarded."""
    local = episode.started_at  # the wall clock the person saw, whatever the offset
    return [
        _blank(episode.id),
        *[cell(getattr(episode, name)) for name, cell in _CELLS],
        local.date().isoformat(),
        local.time().replace(microsecond=0).isoformat(),
        guard_cell(episode.uid or ""),
    ]


def write_csv(episodes: Iterable[Episode], out: TextIO) -> int:
    """Write a BOM, the header and one row per episode (in the order given); return the count.

    ``out`` must be opened with ``newline=""`` so the csv module's CRLF line ends (RFC 4180)
    and line breaks inside quoted notes are written exactly.
    """
    writer = csv.writer(out, dialect="excel", lineterminator="\r\n")
    out.write(BOM)
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for episode in episodes:
        writer.writerow(episode_row(episode))
        count += 1
    return count


# ----------------------------------------------------------------- from stored rows, in blocks
# The same cells as episode_row, computed from the stored row (tracker.store.EPISODE_COLUMNS)
# without building an Episode: the few distinct codes and lists are converted once and then
# looked up. tests/tracker/interop/test_export_streaming.py checks that both agree byte for byte.
_ROW_CELL: dict[str, Callable[[Any], object]] = {
    "single": Memo(_text).__getitem__,
    "multi": Memo(lambda text: guard_cell(join_multi(split_multi(text)))).__getitem__,
    "bool": Memo(lambda value: int(bool(value)), int).__getitem__,
    "text": _text,
}


_ROW_PLAN = column_plan(_ROW_CELL)
_FIELDS_END = len(CSV_COLUMNS)  # the id and the declared fields; then created, updated, uid
_from_text = datetime.fromisoformat


def stored_row_cells(row: Sequence[Any]) -> list[object]:
    """One CSV row (as ``episode_row`` writes it) from a stored row."""
    cells = list(row[:_FIELDS_END])
    for index, convert in _ROW_PLAN:
        cells[index] = convert(cells[index])
    # The start as episode_row writes it; isoformat() starts with a digit: never guarded.
    # Its first 10 characters are the local date, 11 to 19 the time to the second.
    start = cells[1] = _from_text(row[1]).isoformat()
    cells += (start[:10], start[11:19], guard_cell(row[UID_COLUMN] or ""))
    return cells


def write_csv_rows(blocks: Iterable[Sequence[Sequence[Any]]], out: TextIO) -> int:
    """``write_csv`` from blocks of stored rows: the same bytes, each block written at once."""
    writer = csv.writer(out, dialect="excel", lineterminator="\r\n")
    out.write(BOM)
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for block in blocks:
        writer.writerows([stored_row_cells(row) for row in block])
        count += len(block)
    return count
