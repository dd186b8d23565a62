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
from collections.abc import Iterable
from typing import TextIO

from tracker.diary.episode import Episode
from tracker.store import EPISODE_COLUMNS

# The columns the foundation issue specifies: every stored field but the two timestamps, in
# the store's order.
CSV_COLUMNS = tuple(c for c in EPISODE_COLUMNS if c not in ("created_at", "updated_at", "uid"))
# Derived from started_at for spreadsheets; a reader of our CSV may ignore them.
SPREADSHEET_COLUMNS = ("local_date", "local_time")
EXPORT_COLUMNS = (*CSV_COLUMNS, *SPREADSHEET_COLUMNS, "uid")
BOM = "\ufeff"
MULTI_SEPARATOR = ";"
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


def _blank(value) -> object:
    """An empty cell for "not recorded" (None); the value itself otherwise."""
    return "" if value is None else value


def episode_row(episode: Episode) -> list:
    """One CSV row: ints stay ints (numeric cells), every text cell is guarded."""
    text = {
        "started_at": episode.started_at.isoformat(),
        "side": _blank(episode.side),
        "site": MULTI_SEPARATOR.join(episode.site),
        "activity": _blank(episode.activity),
        "hydration": _blank(episode.hydration),
        "footwear": _blank(episode.footwear),
        "relief": MULTI_SEPARATOR.join(episode.relief),
        "relief_effect": _blank(episode.relief_effect),
        "context": MULTI_SEPARATOR.join(episode.context),
        "warning_signs": MULTI_SEPARATOR.join(episode.warning_signs),
        "notes": episode.notes,
    }
    numbers = {
        "id": _blank(episode.id),
        "duration_s": episode.duration_s,
        "severity": _blank(episode.severity),
        "fluid_ml": _blank(episode.fluid_ml),
        "footwear_tight": int(episode.footwear_tight),
        "time_approximate": int(episode.time_approximate),
    }
    contract = [numbers[n] if n in numbers else guard_cell(text[n]) for n in CSV_COLUMNS]
    local = episode.started_at  # the wall clock the person saw, whatever the offset
    return [
        *contract,
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
