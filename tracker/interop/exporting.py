"""What every export shares: choosing the period, the formats, and writing files atomically.

An export file is either complete or absent: tracker.store.fileio writes it to a temporary
file beside the target and renames it over the target only when every byte is on disk, so a crash or
a full disk never leaves a half-written file that looks like a finished one.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple, TextIO

from tracker.diary.episode import Episode
from tracker.diary.periods import Period
from tracker.diary.progress import NO_PROGRESS, Progress
from tracker.interop.export_csv import write_csv, write_csv_rows
from tracker.interop.export_fhir import write_fhir
from tracker.interop.export_json import write_json, write_json_rows
from tracker.store import Store, episode_from_row, export_queries
from tracker.store.fileio import atomic_text

ALL_DATES = Period()

__all__ = [
    "FORMATS",
    "ExportFormat",
    "ExportError",
    "Period",
    "episodes_in_period",
    "export_to_file",
    "export_to_stdout",
    "write_episodes",
]


class ExportFormat(NamedTuple):
    """One export format: the writer (episodes, stream -> count), its file suffix and what a
    person is told it is for."""

    write: Callable[..., int]
    suffix: str
    description: str


# Every export format, by the name the CLI and the dialog use.
FORMATS: Mapping[str, ExportFormat] = MappingProxyType(
    {
        "csv": ExportFormat(write_csv, ".csv", "CSV spreadsheet"),
        "json": ExportFormat(write_json, ".json", "Cramp Tracker JSON (everything)"),
        "fhir": ExportFormat(write_fhir, ".fhir.json", "FHIR R4 Bundle for clinics"),
    }
)


# Writers of the stored rows, block by block (the same bytes as FORMATS' writers, several times
# faster: no Episode per row). A format without one is written from Episodes.
RowBlocks = Iterable[Sequence[Sequence[Any]]]
_ROW_WRITERS: Mapping[str, Callable[[RowBlocks, TextIO], int]] = MappingProxyType(
    {"csv": write_csv_rows, "json": write_json_rows}
)
EXPORTING = "Exporting episodes…"


class ExportError(Exception):
    """An export that cannot be done, with a message for a person."""


def episodes_in_period(store: Store, period: Period = ALL_DATES) -> Iterator[Episode]:
    """Episodes oldest first whose local start date lies in the period.

    The local date is the one the person saw on their clock (tracker.store.period_sql).
    """
    return export_queries.episodes_in_period(store, period)


def check_patient(fmt: str, patient: str | None) -> str | None:
    """The Patient reference for a FHIR export (None: the diary's placeholder Patient)."""
    patient = (patient or "").strip() or None
    if patient is None:
        return None
    if fmt != "fhir":
        raise ExportError("A Patient reference is only used by the FHIR export.")
    from tracker.interop.export_fhir import is_patient_reference

    if not is_patient_reference(patient):
        raise ExportError(
            f"'{patient[:80]}' is not a Patient reference like Patient/123 (from the clinic)."
        )
    return patient


def write_episodes(
    store: Store,
    fmt: str,
    out: TextIO,
    period: Period = ALL_DATES,
    *,
    patient: str | None = None,
    progress: Progress = NO_PROGRESS,
) -> int:
    """Write the period's episodes to an open text stream in ``fmt``; return how many.

    ``patient`` (FHIR only) is the clinic's Patient reference, e.g. ``Patient/123``. The
    episodes are read and written block by block; ``progress`` hears of each block and may
    cancel between two (``Cancelled`` is raised; what was written is then incomplete).
    """
    if fmt not in FORMATS:
        raise ExportError(f"Unknown export format '{fmt}'; choose one of: {', '.join(FORMATS)}.")
    patient = check_patient(fmt, patient)
    progress.phase(EXPORTING)
    total = export_queries.count_in_period(store, period) if progress is not NO_PROGRESS else 0
    blocks = _stepped(export_queries.row_blocks(store, period), progress, total)
    if fmt in _ROW_WRITERS:
        return int(_ROW_WRITERS[fmt](blocks, out))
    episodes = (episode_from_row(row) for block in blocks for row in block)
    writer = FORMATS[fmt].write
    if fmt == "fhir":
        written = writer(episodes, out, patient_ref=patient, diary_uid=store.diary_uid())
    else:
        written = writer(episodes, out)
    return int(written)


def _stepped(
    blocks: Iterator[list[export_queries.StoredRow]], progress: Progress, total: int
) -> Iterator[list[export_queries.StoredRow]]:
    """The blocks, telling ``progress`` how far the export is before each (which is where a
    cancel takes effect) and once at the end."""
    done = 0
    try:
        for block in blocks:
            progress.step(done, total)
            yield block
            done += len(block)
        progress.step(done, total)
    finally:
        close = getattr(blocks, "close", None)
        if close is not None:
            close()  # a cancel ends the read (the cursor) at once


def export_to_file(
    store: Store,
    fmt: str,
    path: str | os.PathLike[str],
    period: Period = ALL_DATES,
    *,
    patient: str | None = None,
    progress: Progress = NO_PROGRESS,
) -> int:
    """Export into ``path`` atomically; return the number of episodes written.

    Raises FileWriteError (an OSError) saying what happened, e.g. that the disk is full; the
    file that was there before is then unchanged. A link is followed and kept. A cancel
    (``progress``) raises ``Cancelled`` and leaves no file either: the temporary file is
    removed and the file that was there before is unchanged.
    """
    if fmt not in FORMATS:  # before a temporary file is made
        raise ExportError(f"Unknown export format '{fmt}'; choose one of: {', '.join(FORMATS)}.")
    check_patient(fmt, patient)  # before a temporary file is made
    with atomic_text(path, what="the export") as out:
        return write_episodes(store, fmt, out, period, patient=patient, progress=progress)


def export_to_stdout(
    store: Store, fmt: str, period: Period = ALL_DATES, *, patient: str | None = None
) -> int:
    """UTF-8 with the format's own line endings, whatever the terminal's settings."""
    check_patient(fmt, patient)
    stream = open(sys.stdout.fileno(), "w", encoding="utf-8", newline="", closefd=False)  # noqa: SIM115
    with stream:
        return write_episodes(store, fmt, stream, period, patient=patient)
