"""Lays out and paints the doctor summary on any paged device: a PDF file, a printer, a preview.

One document, painted page by page with QPainter, so preview, print and PDF are identical and
every page gets the same footer ("Self-reported by the patient; not a diagnosis", "page N of
M"). The first part (figures, charts, relief, warning signs) is rich text laid out by
QTextDocument at the device's page size, so A4 and US Letter each lay out for their own page.
The episode table is painted row by row instead: QTextDocument needs about a millisecond per
table row to lay out, far too slow for 100,000 episodes, while measuring and drawing the cells
directly keeps whole rows on one page and repeats the header row on every page, at a fraction
of the cost.
"""

from __future__ import annotations

import errno
import importlib.util
import re
import unicodedata
from pathlib import Path

from PySide6.QtCore import (
    QFile,
    QFileDevice,
    QIODevice,
    QLocale,
    QMarginsF,
    QRectF,
    QSizeF,
    Qt,
    QUrl,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPdfWriter,
    QPen,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextLayout,
)

from tracker.report import html_summary as report_html
from tracker.report.data import DISCLAIMER, TITLE, ReportData, iter_table_rows
from tracker.store import fileio
from tracker.store.fileio import atomic_path
from ui.report.table import DRAWING, READING, EpisodeTable, Progress, report_font

FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf")
FALLBACK_FAMILY = "DejaVu Sans"
MARGIN_MM = 14
BODY_PT = 9.0
CLIP_INSET = 0.5  # device pixels: see _draw_text_page
KEEP_TOGETHER_SHARE = 0.4  # a paragraph up to this share of a page is never split
MAX_MOVES = 100  # page breaks _keep_together may add (a few per page)
KEEP_WITH_HEADING_PT = 70  # room a heading needs below it, or it moves to the next page


_family: str | None = None


def register_fonts() -> str:
    """Register the DejaVu Sans that matplotlib ships, so text is real text with no system fonts.

    Headless and with no fonts configured, Qt would print every glyph as a box and say nothing.
    """
    global _family
    if _family is not None:
        return _family
    spec = importlib.util.find_spec("matplotlib")  # locate without importing matplotlib
    origin = spec.origin if spec else None
    folder = Path(origin).parent / "mpl-data" / "fonts" / "ttf" if origin else None
    family = FALLBACK_FAMILY
    for name in FONT_FILES:
        if folder is None or not (folder / name).exists():
            continue
        font_id = QFontDatabase.addApplicationFont(str(folder / name))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if families:
            family = families[0]
    _family = family
    return family


# A character no font can draw would print as an empty box ("tofu"), and its text in the PDF
# would stand for a glyph nobody can see. Such characters are replaced by a visible placeholder.
EMOJI_PLACEHOLDER = "[emoji]"
SCRIPT_PLACEHOLDER = "[?]"
_JOINERS = {0x200D, 0xFE0E, 0xFE0F, 0x20E3, *range(0x1F3FB, 0x1F400), *range(0xE0020, 0xE0080)}
_drawable: dict[str, bool] = {}


def printable(text: str) -> str:
    """``text`` with every character that neither the bundled font nor an installed font can
    draw replaced by a placeholder: an emoji (with its modifiers and joined parts) by "[emoji]",
    a run of letters (one word) of a script no font covers by "[?]".

    The app ships DejaVu Sans only (a colour emoji font is ~10 MB, and none is on PyPI under a
    clear licence), so an emoji is printed when the computer has an emoji font (Qt falls back
    to it, as on most desktops) and as "[emoji]" otherwise: never as a box.
    """
    if text.isascii():
        return text
    out, i, n, missing_run = [], 0, len(text), False
    while i < n:
        char = text[i]
        if _draws(char):
            if missing_run and unicodedata.category(char).startswith("M"):
                i += 1  # an accent on a letter already replaced
                continue
            missing_run = False
            out.append(char)
            i += 1
            continue
        if _is_emoji(char):
            i += 1
            while i < n and (ord(text[i]) in _JOINERS or (ord(text[i - 1]) == 0x200D)):
                i += 1
            out.append(EMOJI_PLACEHOLDER)
            missing_run = False
            continue
        if not missing_run:
            out.append(SCRIPT_PLACEHOLDER)
            missing_run = True
        i += 1
    return "".join(out)


def _is_emoji(char: str) -> bool:
    code = ord(char)
    return (
        code >= 0x1F000
        or 0x2600 <= code <= 0x27BF
        or 0x2B00 <= code <= 0x2BFF
        or unicodedata.category(char) == "So"
    )


def _draws(char: str) -> bool:
    """True for a character some font draws (or one that needs no glyph: spaces, controls)."""
    known = _drawable.get(char)
    if known is not None:
        return known
    if char.isspace() or unicodedata.category(char)[0] in "CZ" or ord(char) in _JOINERS:
        known = True  # controls, bidi isolates, joiners: no glyph of their own
    else:
        layout = QTextLayout(char, report_font(register_fonts(), BODY_PT))
        layout.beginLayout()
        layout.createLine()
        layout.endLayout()
        runs = layout.glyphRuns()
        known = bool(runs) and all(0 not in run.glyphIndexes() for run in runs)
    _drawable[char] = known
    return known


def set_report_margins(device) -> None:
    device.setPageMargins(QMarginsF(*(MARGIN_MM,) * 4), QPageLayout.Unit.Millimeter)


def default_page_size() -> QPageSize:
    """US Letter where the locale measures in inches (the United States), A4 elsewhere."""
    if QLocale().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem:
        return QPageSize(QPageSize.PageSizeId.Letter)
    return QPageSize(QPageSize.PageSizeId.A4)


def save_pdf(document, path, page_size: QPageSize | None = None, progress=None) -> bool:
    """Write the PDF atomically: the file is the complete summary or left as it was.

    Returns False (and writes nothing) if cancelled. Raises FileWriteError (an OSError) with
    a message for a person if the PDF could not be written completely; the old file is kept.
    QPdfWriter itself never reports a failed write, so the file goes through a QFile we check,
    and the finished file is read back and its pages counted before it replaces the old one.
    """
    try:
        with atomic_path(path, verify=_pdf_check(document), what="the PDF") as temporary:
            output = QFile(str(temporary))
            if not output.open(QIODevice.OpenModeFlag.WriteOnly):
                raise OSError(errno.EIO, f"the file could not be opened ({output.errorString()})")
            writer = QPdfWriter(output)
            writer.setPageSize(page_size or default_page_size())
            set_report_margins(writer)
            writer.setResolution(300)
            writer.setTitle(TITLE)
            writer.setCreator("Cramp Tracker")
            try:
                finished = document.render(writer, progress)
            finally:
                del writer  # finishes the PDF
                output.flush()
                error, message = output.error(), output.errorString()
                output.close()
            if error != QFileDevice.FileError.NoError:
                raise OSError(
                    _WRITE_ERRNO.get(error, errno.EIO), f"the PDF was cut short ({message})"
                )
            if not finished:
                raise _Cancelled
    except _Cancelled:
        return False
    return True


def print_to_file(document, printer, progress=None) -> bool:
    """Render on a printer whose output is a file (the print dialog's "Print to File"), with
    the same promise as save_pdf: complete and checked, or the old file left as it was."""
    path = printer.outputFileName()
    try:
        with atomic_path(path, verify=_pdf_check(document), what="the PDF") as temporary:
            printer.setOutputFileName(str(temporary))
            try:
                finished = document.render(printer, progress)
            finally:
                printer.setOutputFileName(path)
            if not finished:
                raise _Cancelled
    except _Cancelled:
        return False
    return True


class _Cancelled(Exception):
    """The person cancelled: the temporary file is dropped and nothing is replaced."""


_WRITE_ERRNO = {QFileDevice.FileError.ResourceError: errno.ENOSPC}
_PAGE_OBJECT = re.compile(rb"/Type\s{0,4}/Page(?![A-Za-z])")  # a page, not the /Pages tree
_CHUNK = 1 << 20


def _pdf_check(document):
    return lambda path: check_pdf(path, document.page_count)


def check_pdf(path: Path, pages: int | None = None) -> None:
    """Raise OSError unless ``path`` is a finished PDF (``%PDF-`` ... ``%%EOF``) with ``pages``
    page objects. A disk that filled up while the PDF was written is named as the cause."""
    tail, counted = b"", 0
    offset, carry, last_start = 0, b"", -1  # offset: where ``carry`` starts in the file
    with open(path, "rb") as fh:
        head = fh.read(5)
        fh.seek(0)
        while True:
            chunk = fh.read(_CHUNK)
            data = carry + chunk
            for match in _PAGE_OBJECT.finditer(data):
                start = offset + match.start()
                # at the end of a chunk the next byte is unknown (/Page or /Pages?): next round
                if start > last_start and (match.end() < len(data) or not chunk):
                    counted, last_start = counted + 1, start
            if not chunk:
                break
            tail = (tail + chunk)[-1024:]
            keep = min(32, len(data))  # longer than any match: none is lost between chunks
            offset += len(data) - keep
            carry = data[len(data) - keep :]
    problem = None
    if head != b"%PDF-":
        problem = "it is not a PDF" if head else "it is empty"
    elif not tail.rstrip().endswith(b"%%EOF"):
        problem = "it has no end"
    elif pages is not None and counted != pages:
        problem = f"it has {counted} of {pages} pages"
    if problem is None:
        return
    if fileio.disk_nearly_full(Path(path).parent):
        raise OSError(errno.ENOSPC, "the disk is full")
    raise OSError(errno.EIO, f"the PDF came out incomplete ({problem}); try again")


class _SummaryText(QTextDocument):
    """Rich text that can show only the images we add: a stray URL never loads a file."""

    def loadResource(self, kind, url):  # noqa: N802 (Qt override)
        return None


class ReportDocument:
    """The summary for one ReportData; ``render`` paints it onto a QPrinter or QPdfWriter."""

    def __init__(self, data: ReportData, store=None, images: dict[str, bytes] | None = None):
        """``store``: the Store the table's rows are read from (None: no table)."""
        self.data = data
        self.store = store
        self.images = report_html.chart_images(data) if images is None else images
        self.html = report_html.summary_html(data, self.images)
        self.rows: list[tuple[str, ...]] | None = None
        self.page_count = 0
        self.table: EpisodeTable | None = None  # the last render's table layout

    @property
    def has_table(self) -> bool:
        """The summary lists episodes: they are read from ``store``, or were read already
        (``rows``, kept after the connection that read them is closed: ui/report/jobs.py)."""
        readable = self.store is not None or self.rows is not None
        return not self.data.empty and self.data.includes("episodes") and readable

    def load_rows(self, progress: Progress | None = None) -> bool:
        """Fetch the table's rows once (kept for later renders); False if cancelled."""
        if self.rows is not None or not self.has_table:
            return True
        span = self.data.table
        total = span.count if span is not None else self.data.total
        cancelled = False
        rows: list[tuple[str, ...]] = []

        def stop() -> bool:
            nonlocal cancelled
            cancelled = progress is not None and not progress(len(rows), total, READING)
            return cancelled

        period = span.period if span is not None else self.data.period
        since = span.since if span is not None else None
        for row in iter_table_rows(self.store, period, stop, since):
            rows.append(row if all(cell.isascii() for cell in row) else _printable_row(row))
        if cancelled:
            return False
        self.rows = rows
        return True

    # ----------------------------------------------------------------- painting
    def render(self, device, progress: Progress | None = None) -> bool:
        """Paint every page on ``device``; False if cancelled part way."""
        if not self.load_rows(progress):
            return False
        family = register_fonts()
        painter = QPainter()
        if not painter.begin(device):
            raise OSError("Could not start drawing on the printer or PDF file.")
        try:
            finished = self._paint(device, painter, family, progress)
            abort = getattr(device, "abort", None)  # a printer: drop the partial print job
            if not finished and abort is not None:
                abort()
            return finished
        finally:
            painter.end()

    def _paint(self, device, painter: QPainter, family: str, progress: Progress | None) -> bool:
        pt = device.resolution() / 72.0  # device pixels per point
        page = QRectF(0, 0, device.width(), device.height())
        small = report_font(family, 7.5)
        band = QFontMetricsF(small, device).height() + 6 * pt
        body = page.adjusted(0, band, 0, -band)

        text = self._summary_document(device, family, body.size())
        summary_pages = text.pageCount()
        # The table follows on the summary's last page when a title, header and a few rows fit.
        used = _content_bottom(text) - (summary_pages - 1) * body.height() + 12 * pt
        rows = self.rows or []
        self.table = table = EpisodeTable(rows, family, painter, body, pt)
        room = body.height() - used
        share_page = room >= table.title_height + table.header_height + 3 * table.min_row * 3
        pages = table.paginate(room if share_page else body.height(), progress)
        if pages is None:
            return False
        if not self.has_table:
            pages = []
        total = summary_pages + len(pages) - (1 if share_page and pages else 0)
        self.page_count = total
        for index in range(summary_pages):
            if index:
                device.newPage()
            self._draw_text_page(painter, text, index, body)
            self._decorate(painter, page, band, small, index + 1, total)
        number, done = summary_pages, 0
        for index, (start, end) in enumerate(pages):
            top = body.top()
            if index == 0 and share_page:
                top += used
            else:
                device.newPage()
                number += 1
                self._decorate(painter, page, band, small, number, total)
            table.draw_page(painter, start, end, top, first=index == 0, title=self._title())
            done += end - start
            if progress is not None and not progress(done, len(rows), DRAWING):
                return False
        return True

    def _title(self) -> str:
        span = self.data.table
        if span is None:  # pragma: no cover - a summary with a table always has its span
            return f"Every episode in the period, oldest first ({len(self.rows or []):,})"
        return span.title()

    def _summary_document(self, device, family: str, size: QSizeF) -> QTextDocument:
        text = _SummaryText()
        text.documentLayout().setPaintDevice(device)
        text.setDefaultFont(report_font(family, BODY_PT))
        text.setDocumentMargin(0)
        for name, png in self.images.items():
            text.addResource(
                QTextDocument.ResourceType.ImageResource,
                QUrl(f"chart-{name}.png"),
                # PySide6's stub wants bytes for the format; at run time only a str is accepted.
                QImage.fromData(png, "PNG"),  # type: ignore[arg-type]
            )
        text.setHtml(printable(self.html))
        text.setPageSize(size)
        height = size.height()
        room = KEEP_WITH_HEADING_PT * device.resolution() / 72
        _keep_together(text, height, KEEP_TOGETHER_SHARE * height, room)
        return text

    @staticmethod
    def _draw_text_page(painter: QPainter, text: QTextDocument, index: int, body: QRectF):
        painter.save()
        height = body.height()
        painter.translate(body.left(), body.top() - index * height)
        clip = QRectF(0, index * height, body.width(), height)
        painter.setClipRect(clip)
        context = QAbstractTextDocumentLayout.PaintContext()
        # Qt draws every line that touches the clip, and a line that ends exactly at the page
        # boundary touches the next page too: drawn there invisibly (the painter clips it), its
        # text would still be in the PDF's text layer, twice. Lines never straddle a page
        # boundary (the layout moves them down), so a clip a hair smaller is exact.
        context.clip = clip.adjusted(0, CLIP_INSET, 0, -CLIP_INSET)
        context.palette.setColor(QPalette.ColorRole.Text, QColor("black"))
        text.documentLayout().draw(painter, context)
        painter.restore()

    def _decorate(self, painter, page: QRectF, band: float, font: QFont, number: int, total: int):
        """Header (from page two on) and footer with the disclaimer and page number.

        The colours are paper colours (printed on white whatever the screen's theme)."""
        painter.save()
        painter.setFont(font)
        painter.setPen(QPen(QColor("#8899aa"), 0))
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        footer = QRectF(page.left(), page.bottom() - band * 0.8, page.width(), band * 0.8)
        painter.drawLine(footer.topLeft(), footer.topRight())
        painter.setPen(QColor("#333333"))
        painter.drawText(footer, left, DISCLAIMER)
        painter.drawText(footer, right, f"page {number} of {total}")
        if number > 1:
            header = QRectF(page.left(), page.top(), page.width(), band * 0.8)
            request = self.data.request
            name = printable(report_html.isolate(request.name.strip()))
            who = f" — {name}" if name else ""
            painter.drawText(header, left, f"{TITLE}{who}")
            painter.drawText(header, right, self.data.period_text())
            painter.setPen(QPen(QColor("#8899aa"), 0))
            painter.drawLine(header.bottomLeft(), header.bottomRight())
        painter.restore()


def _printable_row(row: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(printable(cell) for cell in row)


def _content_bottom(text: QTextDocument) -> float:
    layout = text.documentLayout()
    return layout.blockBoundingRect(text.lastBlock()).bottom()


def _keep_together(text: QTextDocument, page_height: float, longest: float, room: float) -> None:
    """Page breaks that keep things together, set one at a time on a fresh layout.

    A paragraph that a page break would split (a reason to see a doctor, a question) moves to the
    next page whole, unless it is longer than ``longest``. A heading moves to the next page when
    less than ``room`` of its section would fit under it.

    Keeping paragraphs whole also keeps the text layer clean: Qt draws the last line above a
    page's clip along with the page (the painter hides it, the PDF's text layer keeps it), so a
    split paragraph would have its line before the break in the PDF twice.
    """
    for _ in range(MAX_MOVES):
        block = _first_to_move(text, page_height, longest, room)
        if block is None:
            return
        fmt = block.blockFormat()
        fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        QTextCursor(block).setBlockFormat(fmt)


def _first_to_move(text: QTextDocument, page_height: float, longest: float, room: float):
    text.pageCount()  # lays the whole document out again: positions below are current
    layout = text.documentLayout()
    block = text.begin()
    while block.isValid():
        fmt = block.blockFormat()
        if fmt.pageBreakPolicy() == QTextFormat.PageBreakFlag.PageBreak_Auto:
            rect = layout.blockBoundingRect(block)
            top_page = rect.top() // page_height
            split = (rect.bottom() - 1) // page_height > top_page
            if split and rect.height() <= longest and rect.top() % page_height > 1:
                return block
            if fmt.headingLevel() > 0:
                page_end = (top_page + 1) * page_height
                if page_end - rect.bottom() < room and rect.top() % page_height > 1:
                    return block
        block = block.next()
    return None
