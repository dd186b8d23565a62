"""What every export shares: choosing the period, the formats, and writing files atomically.

An export file is either complete or absent: tracker.store.fileio writes it to a temporary
file beside the target and renames it over the target only when every byte is on disk, so a crash or
a full disk never leaves a half-written file that looks like a finished one.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple, TextIO

from tracker.diary.checkin import CheckIn, Medicine
from tracker.diary.episode import Episode
from tracker.diary.periods import Period
from tracker.diary.progress import NO_PROGRESS, Progress
from tracker.interop.checkin_io import side_paths, write_checkins_csv, write_medicines_csv
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
    "ExportOutcome",
    "Period",
    "export_diary",
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
    if fmt == "json":  # everything: the period's check-ins and medicines too (format 3)
        checkins, medicines = _checkins_and_medicines(store, period)
        return int(write_json_rows(blocks, out, checkins, medicines))
    if fmt in _ROW_WRITERS:
        return int(_ROW_WRITERS[fmt](blocks, out))
    episodes = (episode_from_row(row) for block in blocks for row in block)
    writer = FORMATS[fmt].write
    if fmt == "fhir":
        written = writer(
            episodes,
            out,
            patient_ref=patient,
            diary_uid=store.diary_uid(),
            medicines=export_queries.medicines_in_period(store, period),
        )
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


def _checkins_and_medicines(store: Store, period: Period) -> tuple[list[CheckIn], list[Medicine]]:
    return (
        export_queries.checkins_in_period(store, period),
        export_queries.medicines_in_period(store, period),
    )


# What each format does with the daily check-ins and the medicine list, for the dialog and docs.
CHECKINS_IN_FORMAT: Mapping[str, str] = MappingProxyType(
    {
        "json": "Check-ins and medicines are included in the file.",
        "csv": "Check-ins and medicines go to two more CSV files beside it "
        "(NAME-checkins.csv and NAME-medicines.csv).",
        "fhir": "Medicines are included as MedicationStatements. Check-ins are not: FHIR has "
        "no standard codes for their answers, so they are in the JSON export only.",
    }
)


class ExportOutcome(NamedTuple):
    """What an export wrote: how many of each, and every file (the episodes' first)."""

    episodes: int
    checkins: int
    medicines: int
    files: tuple[Path, ...]

    def describe(self) -> str:
        """'Exported 12 episodes, 30 check-ins and 2 medicines to 'a.json'.'"""
        parts = [f"{self.episodes:,} episode{'s' if self.episodes != 1 else ''}"]
        if self.checkins:
            parts.append(f"{self.checkins:,} check-in{'s' if self.checkins != 1 else ''}")
        if self.medicines:
            parts.append(f"{self.medicines:,} medicine{'s' if self.medicines != 1 else ''}")
        what = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
        names = ", ".join(f"'{f}'" for f in self.files)
        return f"Exported {what} to {names}."


def export_diary(
    store: Store,
    fmt: str,
    path: str | os.PathLike[str],
    period: Period = ALL_DATES,
    *,
    with_checkins: bool = True,
    patient: str | None = None,
    progress: Progress = NO_PROGRESS,
) -> ExportOutcome:
    """``export_to_file`` that says what it wrote. CSV with ``with_checkins``: the period's
    check-ins and medicines (when it has any) also go to their own CSVs beside ``path``
    (``side_paths``); every
    file is written atomically, and a cancel or failure before the end leaves none of them.
    JSON always holds them; FHIR holds the medicines (``CHECKINS_IN_FORMAT``)."""
    if fmt not in FORMATS:
        raise ExportError(f"Unknown export format '{fmt}'; choose one of: {', '.join(FORMATS)}.")
    check_patient(fmt, patient)
    target = Path(path)
    checkins, medicines = _checkins_and_medicines(store, period)
    if fmt == "json":
        count = export_to_file(store, fmt, target, period, progress=progress)
        return ExportOutcome(count, len(checkins), len(medicines), (target,))
    if fmt == "fhir":
        count = export_to_file(store, fmt, target, period, patient=patient, progress=progress)
        return ExportOutcome(count, 0, len(medicines), (target,))
    if not (with_checkins and (checkins or medicines)):  # no side files of nothing
        count = export_to_file(store, fmt, target, period, progress=progress)
        return ExportOutcome(count, 0, 0, (target,))
    checkins_path, medicines_path = side_paths(target)
    with ExitStack() as files:  # each renamed into place only once all are written
        out = files.enter_context(atomic_text(target, what="the export"))
        count = write_episodes(store, fmt, out, period, progress=progress)
        write_checkins_csv(checkins, files.enter_context(atomic_text(checkins_path)))
        write_medicines_csv(medicines, files.enter_context(atomic_text(medicines_path)))
    return ExportOutcome(
        count, len(checkins), len(medicines), (target, checkins_path, medicines_path)
    )


def export_to_stdout(
    store: Store, fmt: str, period: Period = ALL_DATES, *, patient: str | None = None
) -> int:
    """UTF-8 with the format's own line endings, whatever the terminal's settings."""
    check_patient(fmt, patient)
    stream = open(sys.stdout.fileno(), "w", encoding="utf-8", newline="", closefd=False)  # noqa: SIM115
    with stream:
        return write_episodes(store, fmt, stream, period, patient=patient)
