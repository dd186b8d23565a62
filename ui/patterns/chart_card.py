"""One chart on the Patterns page: a rendered image, exact numbers on demand, save as PNG/SVG.

The figure is built and rendered in a worker thread (ui/patterns/render_worker.py) and shown as
an image, so a save or a range change never holds the window while matplotlib draws (a chart
takes 50-100 ms). Only charts on screen are rendered; a chart whose numbers did not change is
left as it is. Tooltips hit-test the figure that made the image on screen; saving builds a
figure of its own on the UI thread (an explicit action, in the light style).

This module imports matplotlib lazily through tracker.charts, so only import it when the first
chart is about to be shown (the Patterns page does so in its first showEvent).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QCursor, QImage, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QMenu,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from tracker.charts import render
from tracker.charts.catalog import new_figure
from tracker.charts.style import LIGHT, ChartTheme, chart_theme, themed
from tracker.store.fileio import atomic_path
from ui.patterns import render_worker
from ui.widgets import theme
from ui.widgets.file_dialogs import save_file

CANVAS_HEIGHT = 330
# The narrowest a chart is drawn (tests/tracker/charts/test_chart_layout.py checks every chart fits
# from here up); a narrower window scrolls sideways instead of squeezing the text.
MIN_CANVAS_WIDTH = 470
FILTERS = "PNG image (*.png);;SVG image (*.svg)"


class ChartCanvas(QWidget):
    """Shows the image of a rendered figure; asks for a new one only when painted stale.

    Rendering canvases scrolled out of view would make every range change (and the first show)
    pay for ten charts instead of the two or three one sees, so ``draw_idle`` only marks the
    image stale, and a paint of a stale canvas asks for it (``request``). Until the new image
    arrives the old one stays, unstretched.
    """

    def __init__(self, figure, request=None):
        super().__init__()
        self.figure = figure  # the latest figure built (the one tables and tests read)
        self.shown_figure = None  # the figure whose image is on screen (tooltips hit-test it)
        self.image: QImage | None = None
        self._pixels: bytes | None = None  # the image's memory
        self.stale = False
        self.request = request  # called when a stale canvas is painted: render it
        self.theme: Callable[[], ChartTheme] = lambda: LIGHT  # the style to draw in
        self.resized = None  # called when the width changes: the figure is laid out for a width
        self.hovered = None  # called with the mouse position (logical pixels) as it moves
        # until the card sets its chart theme: the window's own base colour (dark stays dark)
        self.background = self.palette().color(QPalette.ColorRole.Base)
        self.renders = 0
        self.setMouseTracking(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    @property
    def device_pixel_ratio(self) -> float:
        return self.devicePixelRatioF()

    def draw_idle(self) -> None:
        """Mark the image as out of date; ask for a new one now only if some of it is on
        screen."""
        self.stale = True
        if not self.visibleRegion().isEmpty():
            self.update()

    def draw(self) -> None:
        """Render ``figure`` now, on this thread (tests; everything else uses the worker)."""
        self.show_rendering(render.render(self.figure, self.theme()))

    def show_rendering(self, rendering: render.Rendering) -> None:
        """Put a finished rendering on screen (on the UI thread)."""
        self._pixels = rendering.rgba
        image = QImage(
            self._pixels,
            rendering.width,
            rendering.height,
            rendering.width * 4,
            QImage.Format.Format_RGBA8888,
        )
        # Once here, not on every paint: the figure is opaque, so premultiplied is the same.
        image = image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(rendering.ratio)
        self.image = image
        self.figure = self.shown_figure = rendering.figure
        self.renders += 1
        self.update()

    def resizeEvent(self, event):  # noqa: N802 - Qt override
        if event.size().width() != event.oldSize().width() and self.resized is not None:
            self.resized()
        super().resizeEvent(event)

    def wheelEvent(self, event):  # noqa: N802 - Qt override
        """Let the wheel scroll the page: the charts cover most of it and use no wheel.

        The event goes to the scroll area the chart is in (ignoring it would only reach the
        page for wheel events from the system, not for ones the application sends).
        """
        area = self.parentWidget()
        while area is not None and not isinstance(area, QAbstractScrollArea):
            area = area.parentWidget()
        if area is None:
            event.ignore()
            return
        QApplication.sendEvent(area.viewport(), event)
        event.accept()

    def mouseMoveEvent(self, event):  # noqa: N802 - Qt override
        if self.hovered is not None:
            self.hovered(event.position())
        super().mouseMoveEvent(event)

    def paintEvent(self, event):  # noqa: N802 - Qt override
        if self.stale and self.request is not None:
            self.stale = False
            self.request()
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.background)
        if self.image is not None:
            painter.drawImage(QPoint(0, 0), self.image)
        painter.end()


class ChartCard(QFrame):
    """A figure drawn by a tracker.charts.catalog function, with tooltips and a numbers table."""

    def __init__(
        self, key: str, title: str, draw_function, parent=None, inputs=None, renderer=None
    ):
        super().__init__(parent)
        self.key = key
        self.title = title
        self._draw_function = draw_function
        # data -> a comparable form of what the chart draws from it; None: always redraw
        self._inputs = inputs
        self._drawn_inputs: object = None
        self._renderer = renderer
        self.rebuilds = 0  # times new data meant the figure had to be built again
        self.builds = 0  # times a figure was really built (only once on screen, or saved)
        self.dropped = 0  # renderings that arrived after newer data or a new size: not shown
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(f"{title} chart")

        self._data = None
        self._token = 0  # bumped whenever what the image must show changes
        self._figure_token = -1  # the token canvas.figure was built for
        self._empty = False  # what the latest figure said
        self.canvas = ChartCanvas(new_figure(), request=self._request_render)
        self.canvas.resized = self._width_changed
        self.canvas.hovered = self._hover_at
        self.canvas.setMinimumWidth(MIN_CANVAS_WIDTH)
        self.canvas.setMinimumHeight(CANVAS_HEIGHT)
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.canvas.setFixedHeight(CANVAS_HEIGHT)
        self.canvas.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.canvas.customContextMenuRequested.connect(self._context_menu)
        self.canvas.setToolTip("")
        self.canvas.theme = lambda: self.chart_theme
        self.chart_theme = LIGHT
        theme.follow_palette(self, self._palette_changed)

        self.numbers_button = QPushButton("Show numbers")
        self.numbers_button.setCheckable(True)
        self.numbers_button.setToolTip(f"Show the exact numbers behind '{title}'")
        self.numbers_button.toggled.connect(self._toggle_numbers)
        self.save_button = QPushButton("Save chart…")
        self.save_button.setToolTip("Save this chart as a PNG or SVG image")
        self.save_button.clicked.connect(self.save_dialog)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.numbers_button)
        buttons.addWidget(self.save_button)

        self.table = QTableWidget()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.table.verticalHeader().setVisible(False)
        self.table.setAccessibleName(f"Numbers behind {title}")
        self.table.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.canvas)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        self._update_buttons()  # nothing to show or save until the first data arrives

    @property
    def figure(self):
        return self.canvas.figure

    @property
    def _built(self) -> bool:
        return self._figure_token == self._token

    def _palette_changed(self) -> None:
        """Light or dark like the window: the figure is rebuilt in the matching style."""
        palette = theme.app_palette()
        self.chart_theme = chart_theme(
            "dark" if theme.is_dark(palette) else "light",
            background=palette.color(QPalette.ColorRole.Base).name(),
            text=palette.color(QPalette.ColorRole.Text).name(),
        )
        self.canvas.background = QColor(self.chart_theme.background)
        self._changed()

    def _changed(self) -> None:
        """What the image must show changed (data, size or style): older renderings are void."""
        self._token += 1
        (self._renderer or render_worker.shared()).discard(self)
        self.canvas.draw_idle()

    def show_data(self, data) -> None:
        """Take new PatternData; the figure is rebuilt and rendered once it is on screen.

        Building a figure costs about as much as rendering it, so charts scrolled out of view
        wait until they are scrolled to (or saved, or their numbers shown); and a chart whose
        inputs are what it already shows (a save that changed other numbers) is left alone.
        """
        inputs = self._inputs(data) if self._inputs is not None else None
        if inputs is not None and self._data is not None and inputs == self._drawn_inputs:
            self._data = data  # the same figure: nothing to build, render or fill again
            return
        self._drawn_inputs = inputs
        self.rebuilds += 1
        self._data = data
        self._changed()
        self._update_buttons()
        if self.table.isVisible():
            self._fill_table()

    # ----------------------------------------------------------------- building and rendering
    def _size(self) -> tuple[int, int, float]:
        return self.canvas.width(), self.canvas.height(), self.canvas.device_pixel_ratio

    def _request_render(self) -> None:
        """The canvas is painted with an old image: have the worker render the latest data."""
        if self._data is None:
            return
        width, height, ratio = self._size()
        job = render_worker.Job(
            id(self),
            self._token,
            self._draw_function,
            self._data,
            self.chart_theme,
            width,
            height,
            ratio,
        )
        (self._renderer or render_worker.shared()).submit(self, job)

    def deliver(self, job: render_worker.Job, rendering: render.Rendering | None) -> None:
        """A rendering from the worker, on the UI thread: shown if it is still what the chart
        must show, else dropped (newer data, size or style came meanwhile)."""
        if job.token != self._token or rendering is None:
            self.dropped += 1
            return
        self.canvas.show_rendering(rendering)
        self._figure_token = job.token
        self.builds += 1
        self._figure_done()

    def ensure_built(self) -> None:
        """Build the latest data into a figure now, on this thread, if not done yet (for the
        numbers table before the worker's figure is in, and for tests)."""
        if self._built or self._data is None:
            return
        width, height, ratio = self._size()
        self.canvas.figure = render.build(
            self._draw_function, self._data, self.chart_theme, width, height, ratio
        )
        self._figure_token = self._token
        self.builds += 1
        self._figure_done()

    def _figure_done(self) -> None:
        self._empty = bool(getattr(self.canvas.figure, "cramp_empty", False))
        self._update_buttons()
        if self.table.isVisible():
            self._fill_table()

    def is_current(self) -> bool:
        """The image on screen shows the latest data, size and style."""
        return self._data is None or (self._built and self.canvas.shown_figure is self.figure)

    def is_empty(self) -> bool:
        """True while there is no data or no episodes, or the chart says there is nothing to
        show (known once its figure is built)."""
        if self._data is None or not getattr(self._data, "total", 1):
            return True
        return self._built and self._empty

    def _update_buttons(self) -> None:
        """An empty chart has no numbers to show and nothing worth saving."""
        empty = self.is_empty()
        if empty and self.numbers_button.isChecked():
            self.numbers_button.setChecked(False)  # hides the table
        self.numbers_button.setEnabled(not empty)
        self.save_button.setEnabled(not empty)

    def _width_changed(self) -> None:
        """Lay the figure out again for the new width (ticks, legends and notes are fitted to
        it when it is built); it is rebuilt when next painted."""
        if self._data is not None:
            self._changed()

    # ----------------------------------------------------------------- exact numbers
    def _toggle_numbers(self, on: bool) -> None:
        if on:
            self.ensure_built()
            self._fill_table()
        self.table.setVisible(on)
        self.numbers_button.setText("Hide numbers" if on else "Show numbers")

    def table_rows(self) -> tuple[list[str], list[tuple]]:
        self.ensure_built()
        return getattr(self.canvas.figure, "cramp_table", ([], []))

    def _fill_table(self) -> None:
        """The numbers of the figure built last (the worker's figure fills it again when in)."""
        headers, rows = getattr(self.canvas.figure, "cramp_table", ([], []))
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setRowCount(len(rows))
        self.table.setHorizontalHeaderLabels(headers)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                item = QTableWidgetItem(str(value))
                if isinstance(value, int | float):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(r, c, item)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        height = self.table.horizontalHeader().height() + 4
        height += sum(self.table.rowHeight(r) for r in range(min(len(rows), 8)))
        self.table.setFixedHeight(height)

    # ----------------------------------------------------------------- tooltips
    def tip_at(self, event, figure=None) -> str | None:
        """The tooltip text under a matplotlib mouse event on ``figure`` (default: the latest
        figure built), if any."""
        figure = self.canvas.figure if figure is None else figure
        for artist, tip in getattr(figure, "cramp_tips", ()):
            if callable(tip):
                if event.inaxes is artist and event.xdata is not None:
                    text = tip(event.xdata, event.ydata)
                    if text:
                        return text
            elif artist.contains(event)[0]:
                return tip
        return None

    def mouse_event(self, position):
        """A matplotlib mouse event at a canvas position (logical pixels) on the figure whose
        image is on screen; None before the first image."""
        from matplotlib.backend_bases import MouseEvent

        figure = self.canvas.shown_figure
        if figure is None:
            return None
        ratio = figure.dpi / render.BASE_DPI
        x = position.x() * ratio
        y = figure.bbox.height - position.y() * ratio  # matplotlib counts from the bottom
        return MouseEvent("motion_notify_event", figure.canvas, x, y)

    def _hover_at(self, position) -> None:
        event = self.mouse_event(position)
        text = self.tip_at(event, self.canvas.shown_figure) if event is not None else None
        if text:
            QToolTip.showText(QCursor.pos(), text, self.canvas)
        else:
            QToolTip.hideText()

    # ----------------------------------------------------------------- saving
    def _context_menu(self, pos) -> None:
        menu = QMenu(self)
        actions = [
            menu.addAction("Save as PNG…", lambda: self.save_dialog("png")),
            menu.addAction("Save as SVG…", lambda: self.save_dialog("svg")),
            menu.addAction(
                "Hide numbers" if self.table.isVisible() else "Show numbers",
                self.numbers_button.toggle,
            ),
        ]
        for action in actions:
            action.setEnabled(not self.is_empty())
        menu.popup(self.canvas.mapToGlobal(pos))

    def save_dialog(self, preferred: str = "png") -> Path | None:
        selected = FILTERS.split(";;")[1 if preferred == "svg" else 0]
        name, chosen = save_file(
            self,
            "chart",
            f"Save '{self.title}' chart",
            f"cramps-{self.key}.{preferred}",
            FILTERS,
            selected,
        )
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() not in (".png", ".svg"):
            path = path.with_suffix(".svg" if "svg" in (chosen or "").lower() else ".png")
        try:
            self.save(path)
        except OSError as exc:  # a FileWriteError names the file and the cause
            QMessageBox.warning(self, "Could not save chart", str(exc))
            return None
        return path

    def save(self, path: Path) -> None:
        """Write the chart through tracker.store.fileio: complete, private, or the old file kept.

        Always in the light style, like the printed summary: a saved chart is mostly shared on
        white paper or a white page. Built here, on a figure of its own, at the size on screen
        (an explicit action: the chart on screen and the worker's figures are left alone).
        """
        if self._data is None:
            return
        width, height, _ = self._size()
        figure = render.build(self._draw_function, self._data, LIGHT, width, height)
        fmt = path.suffix.lower().lstrip(".") or "png"
        with themed(LIGHT), atomic_path(path, what="the chart") as temporary:
            figure.savefig(temporary, format=fmt, dpi=150 if fmt == "png" else None)
