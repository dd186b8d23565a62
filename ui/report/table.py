"""The episode table of the doctor summary, measured and painted row by row.

Whole rows stay on one page and the header row is repeated on every page. Painting cells
directly is what makes 100,000 episodes possible in seconds (QTextDocument needs about a
millisecond per table row just to lay it out).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QTextOption

from tracker.report import html_summary as report_html
from tracker.report.data import TABLE_HEADERS

NOTES = TABLE_HEADERS.index("Notes")  # the one cell of typed text, isolated for bidi
# Share of the table width per column, in TABLE_HEADERS order.
COLUMN_SHARES = (0.097, 0.095, 0.11, 0.06, 0.09, 0.095, 0.09, 0.125, 0.088, 0.15)
TABLE_PT = 7.0
PROGRESS_EVERY = 500
# Paper colours: the table is printed on white whatever the screen's theme (not UI colours).
TEXT, RULE, EDGE = QColor("black"), QColor("#c5ced8"), QColor("#8899aa")
HEAD, SHADE = QColor(report_html.HEAD_BG), QColor("#f4f6f9")
_SAME_WIDTH = str.maketrans("123456789", "000000000")  # digits share one width in DejaVu Sans

Progress = Callable[[int, int, str], bool]  # (done, total, what) -> False to cancel
# The stages ReportDocument.render reports, in order.
READING, LAYOUT, DRAWING = "Reading episodes", "Laying out the episode table", "Drawing pages"


def report_font(family: str, points: float, bold: bool = False) -> QFont:
    """The report's font, without ligatures: "fi" must stay two letters for search and copy."""
    font = QFont(family)
    font.setPointSizeF(points)
    font.setBold(bold)
    for tag in ("liga", "clig"):
        font.setFeature(QFont.Tag(tag), 0)
    return font


def typed_cells(row: tuple[str, ...]) -> tuple[str, ...]:
    """The row with its notes made bidi-safe (see report_html.isolate): a note with a
    right-to-left override cannot reverse the lines painted after it."""
    if len(row) <= NOTES or row[NOTES].isascii():
        return row
    return (*row[:NOTES], report_html.isolate(row[NOTES]), *row[NOTES + 1 :])


class EpisodeTable:
    """The episode table: whole rows per page, the header row repeated on every page."""

    def __init__(self, rows, family: str, painter: QPainter, body: QRectF, pt: float):
        """``painter`` is active on the target device: cells are measured as they will be drawn."""
        device = painter.device()
        self.painter = painter
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
        # Words wider than their column (a long "Discolouration", a web address) break anywhere
        # rather than run into the next column.
        self.option = QTextOption(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.title_height = QFontMetricsF(self.title_font, device).height() + 6 * pt
        self.inners = [width - 2 * self.pad_x for width in self.widths]
        painter.save()
        painter.setFont(self.bold)
        self.header_height = self._height(TABLE_HEADERS, self.bold_metrics, {})
        painter.restore()
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
                    box = self.painter.boundingRect(QRectF(0, 0, inner, 1e6), text, self.option)
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
        self.painter.setFont(self.font)
        for i, row in enumerate(self.rows):
            row = typed_cells(row)
            height = min(self._height(row, self.metrics, cache), room_other)  # giant rows clip
            self.heights.append(height)
            if used + height > room and i > start:
                pages.append((start, i))
                start, used, room = i, 0.0, room_other
                self.rooms.append(room)
            used += height
            if progress is not None and i % PROGRESS_EVERY == 0:
                if not progress(i, len(self.rows), LAYOUT):
                    return None
        if self.rows:
            pages.append((start, len(self.rows)))
        self.pages = pages
        return pages

    def draw_page(self, painter: QPainter, start: int, end: int, y: float, first: bool, title):
        if first:
            painter.setFont(self.title_font)
            painter.setPen(QColor(report_html.ACCENT))
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
            y = self._draw_cells(painter, typed_cells(self.rows[i]), y, height)
        painter.setPen(QPen(RULE, 0))
        left, right = self.body.left(), self.body.right()
        for top in tops:
            painter.drawLine(QPointF(left, top), QPointF(right, top))
        painter.setPen(QPen(EDGE, 0))
        painter.drawLine(QPointF(left, y), QPointF(right, y))

    def _draw_cells(self, painter: QPainter, cells, y: float, height: float) -> float:
        top, inner_height, option = y + self.pad_y, height - 2 * self.pad_y, self.option
        for text, left, inner in zip(cells, self.lefts, self.inners, strict=True):
            if text:
                painter.drawText(QRectF(left + self.pad_x, top, inner, inner_height), text, option)
        return y + height
