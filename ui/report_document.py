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

import importlib.util
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLocale, QMarginsF, QPointF, QRectF, QSizeF, Qt, QUrl
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
)

from tracker import report_html
from tracker.report_data import DISCLAIMER, TABLE_HEADERS, TITLE, ReportData, iter_table_rows

FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf")
FALLBACK_FAMILY = "DejaVu Sans"
MARGIN_MM = 14
# Share of the table width per column, in TABLE_HEADERS order.
COLUMN_SHARES = (0.097, 0.095, 0.11, 0.06, 0.09, 0.095, 0.09, 0.13, 0.073, 0.16)
TABLE_PT = 7.0
BODY_PT = 9.0
KEEP_WITH_HEADING_PT = 70  # room a heading needs below it, or it moves to the next page
PROGRESS_EVERY = 500
TEXT, RULE, EDGE = QColor("black"), QColor("#c5ced8"), QColor("#8899aa")
HEAD, SHADE = QColor(report_html.HEAD_BG), QColor("#f4f6f9")
_SAME_WIDTH = str.maketrans("123456789", "000000000")  # digits share one width in DejaVu Sans

Progress = Callable[[int, int, str], bool]  # (done, total, what) -> False to cancel

_family: str | None = None


def register_fonts() -> str:
    """Register the DejaVu Sans that matplotlib ships, so text is real text with no system fonts.

    Headless and with no fonts configured, Qt would print every glyph as a box and say nothing.
    """
    global _family
    if _family is not None:
        return _family
    spec = importlib.util.find_spec("matplotlib")  # locate without importing matplotlib
    folder = Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" if spec else None
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


def report_font(family: str, points: float, bold: bool = False) -> QFont:
    """The report's font, without ligatures: "fi" must stay two letters for search and copy."""
    font = QFont(family)
    font.setPointSizeF(points)
    font.setBold(bold)
    for tag in ("liga", "clig"):
        font.setFeature(QFont.Tag(tag), 0)
    return font


def set_report_margins(device) -> None:
    device.setPageMargins(QMarginsF(*(MARGIN_MM,) * 4), QPageLayout.Unit.Millimeter)


def default_page_size() -> QPageSize:
    """US Letter where the locale measures in inches (the United States), A4 elsewhere."""
    if QLocale().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem:
        return QPageSize(QPageSize.PageSizeId.Letter)
    return QPageSize(QPageSize.PageSizeId.A4)


def save_pdf(document, path, page_size: QPageSize | None = None, progress=None) -> bool:
    """Write the PDF atomically: the file is the complete summary or left as it was.

    Returns False (and writes nothing) if cancelled.
    """
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        writer = QPdfWriter(str(temporary))
        writer.setPageSize(page_size or default_page_size())
        set_report_margins(writer)
        writer.setResolution(300)
        writer.setTitle(TITLE)
        writer.setCreator("Cramp Tracker")
        finished = document.render(writer, progress)
        del writer  # closes the file
        if finished:
            os.replace(temporary, path)
        return finished
    finally:
        if temporary.exists():
            temporary.unlink()


class _SummaryText(QTextDocument):
    """Rich text that can show only the images we add: a stray URL never loads a file."""

    def loadResource(self, kind, url):  # noqa: N802 (Qt override)
        return None


class ReportDocument:
    """The summary for one ReportData; ``render`` paints it onto a QPrinter or QPdfWriter."""

    def __init__(self, data: ReportData, conn=None, images: dict[str, bytes] | None = None):
        self.data = data
        self.conn = conn
        self.images = report_html.chart_images(data) if images is None else images
        self.html = report_html.summary_html(data, self.images)
        self.rows: list[tuple[str, ...]] | None = None
        self.page_count = 0
        self.table: _Table | None = None  # the last render's table layout

    @property
    def has_table(self) -> bool:
        return not self.data.empty and self.data.includes("episodes") and self.conn is not None

    def load_rows(self, progress: Progress | None = None) -> bool:
        """Fetch the table's rows once (kept for later renders); False if cancelled."""
        if self.rows is not None or not self.has_table:
            return True
        total, rows, cancelled = self.data.total, [], False

        def stop() -> bool:
            nonlocal cancelled
            cancelled = progress is not None and not progress(len(rows), total, "Reading episodes")
            return cancelled

        for row in iter_table_rows(self.conn, self.data.period, stop):
            rows.append(row)
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
            return self._paint(device, painter, family, progress)
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
        self.table = table = _Table(self.rows or [], family, device, body, pt)
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
            table.draw_page(painter, start, end, top, first=index == 0, total=len(self.rows))
            done += end - start
            if progress is not None and not progress(done, len(self.rows), "Drawing pages"):
                return False
        return True

    def _summary_document(self, device, family: str, size: QSizeF) -> QTextDocument:
        text = _SummaryText()
        text.documentLayout().setPaintDevice(device)
        text.setDefaultFont(report_font(family, BODY_PT))
        text.setDocumentMargin(0)
        for name, png in self.images.items():
            text.addResource(
                QTextDocument.ResourceType.ImageResource,
                QUrl(f"chart-{name}.png"),
                QImage.fromData(png, "PNG"),
            )
        text.setHtml(self.html)
        text.setPageSize(size)
        _keep_headings_with_text(
            text, size.height(), KEEP_WITH_HEADING_PT * device.resolution() / 72
        )
        return text

    @staticmethod
    def _draw_text_page(painter: QPainter, text: QTextDocument, index: int, body: QRectF):
        painter.save()
        height = body.height()
        painter.translate(body.left(), body.top() - index * height)
        clip = QRectF(0, index * height, body.width(), height)
        painter.setClipRect(clip)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.clip = clip
        context.palette.setColor(QPalette.ColorRole.Text, QColor("black"))
        text.documentLayout().draw(painter, context)
        painter.restore()

    def _decorate(self, painter, page: QRectF, band: float, font: QFont, number: int, total: int):
        """Header (from page two on) and footer with the disclaimer and page number."""
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
            who = f" — {request.name.strip()}" if request.name.strip() else ""
            painter.drawText(header, left, f"{TITLE}{who}")
            painter.drawText(header, right, self.data.period_text())
            painter.setPen(QPen(QColor("#8899aa"), 0))
            painter.drawLine(header.bottomLeft(), header.bottomRight())
        painter.restore()


def _content_bottom(text: QTextDocument) -> float:
    layout = text.documentLayout()
    return layout.blockBoundingRect(text.lastBlock()).bottom()


def _keep_headings_with_text(text: QTextDocument, page_height: float, room: float) -> None:
    """Move a heading to the next page when too little of its section would fit under it."""
    layout = text.documentLayout()
    block = text.begin()
    while block.isValid():
        if block.blockFormat().headingLevel() > 0:
            rect = layout.blockBoundingRect(block)
            page_end = (rect.top() // page_height + 1) * page_height
            if page_end - rect.bottom() < room and rect.top() % page_height > 1:
                fmt = block.blockFormat()
                fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
                QTextCursor(block).setBlockFormat(fmt)
        block = block.next()


class _Table:
    """The episode table: whole rows per page, the header row repeated on every page."""

    def __init__(self, rows, family: str, device, body: QRectF, pt: float):
        self.rows = rows
        self.body = body
        self.pt = pt
        self.font = report_font(family, TABLE_PT)
        self.bold = report_font(family, TABLE_PT, bold=True)
        self.title_font = report_font(family, 11, bold=True)
        self.metrics = QFontMetricsF(self.font, device)
        self.bold_metrics = QFontMetricsF(self.bold, device)
        self.pad_x, self.pad_y = 2.5 * pt, 2.0 * pt
        self.widths = [share * body.width() for share in COLUMN_SHARES]
        self.lefts = [body.left() + sum(self.widths[:i]) for i in range(len(self.widths))]
        self.flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop) | int(
            Qt.TextFlag.TextWordWrap
        )
        self.title_height = QFontMetricsF(self.title_font, device).height() + 6 * pt
        self.inners = [width - 2 * self.pad_x for width in self.widths]
        self.header_height = self._height(TABLE_HEADERS, self.bold_metrics, {})
        self.min_row = self.metrics.height() + 2 * self.pad_y
        self.heights: list[float] = []
        self.rooms: list[float] = []  # height available for rows on each page
        self.pages: list[tuple[int, int]] = []

    def _height(self, cells, metrics: QFontMetricsF, cache: dict) -> float:
        """Height of a row: its tallest cell once wrapped, plus padding.

        Most cells repeat ("Asleep or in bed") or differ only in digits, which all have the same
        width, so each shape is measured once: 100,000 rows cost seconds less.
        """
        tallest = metrics.height()
        for column, text in enumerate(cells):
            if not text:
                continue
            key = (column, text.translate(_SAME_WIDTH)) if len(text) <= 80 else None
            height = cache.get(key) if key is not None else None
            if height is None:
                inner = self.inners[column]
                if "\n" not in text and metrics.horizontalAdvance(text) <= inner:
                    height = 0.0  # one line
                else:
                    box = metrics.boundingRect(QRectF(0, 0, inner, 1e6), self.flags, text)
                    height = box.height()
                if key is not None:
                    cache[key] = height
            if height > tallest:
                tallest = height
        return tallest + 2 * self.pad_y

    def paginate(self, first_room: float, progress: Progress | None):
        """Row ranges per page: a row that does not fit starts the next page."""
        room_first = first_room - self.title_height - self.header_height
        room_other = self.body.height() - self.header_height
        pages, start, used = [], 0, 0.0
        room = room_first
        self.heights, self.rooms = [], [room_first]
        cache: dict = {}
        for i, row in enumerate(self.rows):
            height = min(self._height(row, self.metrics, cache), room_other)  # giant rows clip
            self.heights.append(height)
            if used + height > room and i > start:
                pages.append((start, i))
                start, used, room = i, 0.0, room_other
                self.rooms.append(room)
            used += height
            if progress is not None and i % PROGRESS_EVERY == 0:
                if not progress(i, len(self.rows), "Laying out the episode table"):
                    return None
        if self.rows:
            pages.append((start, len(self.rows)))
        self.pages = pages
        return pages

    def draw_page(self, painter: QPainter, start: int, end: int, y: float, first: bool, total):
        if first:
            painter.setFont(self.title_font)
            painter.setPen(QColor(report_html.ACCENT))
            title = f"Every episode in the period, oldest first ({total:,})"
            painter.drawText(QRectF(self.body.left(), y, self.body.width(), self.title_height),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             title)  # fmt: skip
            y += self.title_height
        tops = [y]
        painter.fillRect(QRectF(self.body.left(), y, self.body.width(), self.header_height), HEAD)
        painter.setFont(self.bold)
        painter.setPen(TEXT)
        y = self._draw_cells(painter, TABLE_HEADERS, y, self.header_height)
        painter.setFont(self.font)
        for i in range(start, end):
            tops.append(y)
            height = self.heights[i]
            if i % 2:
                painter.fillRect(QRectF(self.body.left(), y, self.body.width(), height), SHADE)
            y = self._draw_cells(painter, self.rows[i], y, height)
        painter.setPen(QPen(RULE, 0))
        left, right = self.body.left(), self.body.right()
        for top in tops:
            painter.drawLine(QPointF(left, top), QPointF(right, top))
        painter.setPen(QPen(EDGE, 0))
        painter.drawLine(QPointF(left, y), QPointF(right, y))

    def _draw_cells(self, painter: QPainter, cells, y: float, height: float) -> float:
        top, inner_height, flags = y + self.pad_y, height - 2 * self.pad_y, self.flags
        for text, left, inner in zip(cells, self.lefts, self.inners, strict=True):
            if text:
                painter.drawText(QRectF(left + self.pad_x, top, inner, inner_height), flags, text)
        return y + height
