"""The doctor summary made in a worker thread: read, laid out and saved off the UI thread.

``prepare`` reads the figures, draws the charts and fetches the table's rows on its own
read-only connection (SQLite connections never cross threads), then closes it: the document it
returns holds everything it paints. ``save`` also lays the pages out and writes the PDF,
atomically (tracker.store.fileio through document.save_pdf): QTextDocument, QPdfWriter and
QPainter on a paged device work in any thread (Qt draws a document's images as QImage there,
never QPixmap), so the UI thread only starts the work and shows what came of it. Printing
paints on the UI thread (QPrintDialog and the printer are UI), from a prepared document.

Cyclic garbage collection pauses while they run (doctor_window.collections_paused): a full
collection walks every object with the GIL held, and the UI thread waited for it.

Both take a tracker.diary.progress.Progress: its Cancel raises ``Cancelled`` at the next step,
and a cancelled save leaves no file and an existing file at the target as it was.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtGui import QPageSize

from tracker.advice.doctor_window import collections_paused
from tracker.diary.progress import Cancelled, Progress
from tracker.report.data import ReportRequest, build_report
from tracker.store import Store
from ui.report.document import ReportDocument, save_pdf
from ui.report.table import Progress as Callback

DRAWING_CHARTS = "Drawing the charts"


def prepare(diary: Store, request: ReportRequest, progress: Progress):
    """The summary of ``request`` from the open ``diary``, read on a connection of this thread's
    own (``Store.reader``: no second check of a file the app already checked), ready to paint on
    any device (its store is None: the rows are read and kept). Raises Cancelled, StoreError."""
    with collections_paused(), diary.reader() as store:
        data = build_report(store, request, progress)
        progress.step(0, 1, DRAWING_CHARTS)
        document = ReportDocument(data, store)
        if not document.load_rows(callback(progress)):
            raise Cancelled
        document.store = None  # closed with this connection; has_table stays true by its rows
    return document


def save(
    diary: Store,
    request: ReportRequest,
    path: str | os.PathLike[str],
    page_size: QPageSize,
    progress: Progress,
) -> ReportDocument:
    """``prepare``, then write the PDF to ``path`` atomically; returns the document (its
    ``page_count`` is what was written). Raises Cancelled (nothing written), StoreError,
    OSError (FileWriteError: the old file is kept)."""
    document = prepare(diary, request, progress)
    with collections_paused():
        if not save_pdf(document, Path(path), page_size, callback(progress)):
            raise Cancelled
    document.table = None  # the last layout's fonts and metrics stay with this thread
    return document


def callback(progress: Progress) -> Callback:
    """The document's ``(done, total, what) -> go on?`` callback, reporting to ``progress``."""

    def report(done: int, total: int, what: str) -> bool:
        try:
            progress.step(done, total, what)
        except Cancelled:
            return False
        return True

    return report
