"""One chart on the Patterns page: a matplotlib canvas, exact numbers on demand, save as PNG/SVG.

This module imports matplotlib's Qt canvas at the top, so only import it when the first chart
is about to be shown (the Patterns page does so in its first showEvent), never at start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from PySide6.QtCore import Qt
from PySide6.QtGui import QCursor, QPalette
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
)

from tracker.charts.catalog import new_figure
from tracker.charts.style import LIGHT, chart_theme, themed
from tracker.store.fileio import atomic_path
from ui.widgets import theme
from ui.widgets.file_dialogs import save_file

CANVAS_HEIGHT = 330
# The narrowest a chart is drawn (tests/tracker/charts/test_chart_layout.py checks every chart fits
# from here up); a narrower window scrolls sideways instead of squeezing the text.
MIN_CANVAS_WIDTH = 470
FILTERS = "PNG image (*.png);;SVG image (*.svg)"


class LazyCanvas(FigureCanvasQTAgg):
    """A canvas that redraws a changed figure only when it is painted, i.e. when on screen.

    FigureCanvasQTAgg.draw_idle renders even canvases scrolled out of view; with ten charts that
    would make every range change (and the first show, when every canvas is resized) pay for
    ten renders instead of the two or three one sees.
    """

    def __init__(self, figure, prepare=None):
        super().__init__(figure)
        self.stale = False
        self.prepare = prepare  # called before a stale figure is rendered (builds it lazily)
        # the chart theme's context: ticks are made while drawing
        self.style: Callable[[], AbstractContextManager[object]] = nullcontext
        self.resized = None  # called when the width changes: the figure is laid out for a width
        self.renders = 0

    def draw_idle(self) -> None:
        """Mark the figure as changed; paint it now only if some of it is on screen."""
        self.stale = True
        if not self.visibleRegion().isEmpty():
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

    def paintEvent(self, event):  # noqa: N802 - Qt override
        if self.stale:
            self.stale = False
            with self.style():
                if self.prepare is not None:
                    self.prepare()
                self.draw()
            self.renders += 1
        super().paintEvent(event)


class ChartCard(QFrame):
    """A figure drawn by a tracker.charts.catalog function, with tooltips and a numbers table."""

    def __init__(self, key: str, title: str, draw_function, parent=None, inputs=None):
        super().__init__(parent)
        self.key = key
        self.title = title
        self._draw_function = draw_function
        # data -> a comparable form of what the chart draws from it; None: always redraw
        self._inputs = inputs
        self._drawn_inputs: object = None
        self.rebuilds = 0  # times new data meant the figure had to be built again
        self.builds = 0  # times the figure was really built (only once on screen, or saved)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(f"{title} chart")

        self._data = None
        self._built = True
        self.canvas = LazyCanvas(new_figure(), prepare=self.ensure_built)
        self.canvas.resized = self._width_changed
        self.canvas.setMinimumWidth(MIN_CANVAS_WIDTH)
        self.canvas.setMinimumHeight(CANVAS_HEIGHT)
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.canvas.setFixedHeight(CANVAS_HEIGHT)
        self.canvas.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.canvas.customContextMenuRequested.connect(self._context_menu)
        self.canvas.mpl_connect("motion_notify_event", self._hover)
        self.canvas.setToolTip("")
        self.canvas.style = self._themed
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

    def _themed(self) -> AbstractContextManager[object]:
        return themed(self.chart_theme)

    def _palette_changed(self) -> None:
        """Light or dark like the window: the figure is rebuilt in the matching style."""
        palette = theme.app_palette()
        self.chart_theme = chart_theme(
            "dark" if theme.is_dark(palette) else "light",
            background=palette.color(QPalette.ColorRole.Base).name(),
            text=palette.color(QPalette.ColorRole.Text).name(),
        )
        self.canvas.figure.set_facecolor(self.chart_theme.background)
        if self._data is not None:
            self._built = False
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
        self._built = False
        if not getattr(data, "total", 1):
            self.ensure_built()  # cheap, and the buttons must say at once there is nothing
        self._update_buttons()
        if self.table.isVisible():
            self._fill_table()
        self.canvas.draw_idle()

    def ensure_built(self) -> None:
        """Draw the latest data into the Figure now if that has not happened yet."""
        if not self._built and self._data is not None:
            with self._themed():
                self._draw_function(self._data, self.canvas.figure)
            self._built = True
            self.builds += 1
            self._update_buttons()

    def is_empty(self) -> bool:
        """True while there is no data, or the chart says there is nothing to show."""
        if self._data is None:
            return True
        return self._built and getattr(self.canvas.figure, "cramp_empty", False)

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
            self._built = False

    def paintEvent(self, event):  # noqa: N802 - Qt override
        # Build as soon as any of the card shows, so its buttons know whether it is empty.
        if not self._built and self._data is not None and self.isVisible():
            self.ensure_built()
        super().paintEvent(event)

    # ----------------------------------------------------------------- exact numbers
    def _toggle_numbers(self, on: bool) -> None:
        if on:
            self._fill_table()
        self.table.setVisible(on)
        self.numbers_button.setText("Hide numbers" if on else "Show numbers")

    def table_rows(self) -> tuple[list[str], list[tuple]]:
        self.ensure_built()
        return getattr(self.canvas.figure, "cramp_table", ([], []))

    def _fill_table(self) -> None:
        headers, rows = self.table_rows()
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
    def tip_at(self, event) -> str | None:
        """The tooltip text under a matplotlib mouse event, if any."""
        for artist, tip in getattr(self.canvas.figure, "cramp_tips", ()):
            if callable(tip):
                if event.inaxes is artist and event.xdata is not None:
                    text = tip(event.xdata, event.ydata)
                    if text:
                        return text
            elif artist.contains(event)[0]:
                return tip
        return None

    def _hover(self, event) -> None:
        text = self.tip_at(event)
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
        white paper or a white page. (A dark window's figure is rebuilt for the screen after.)
        """
        dark = self.chart_theme.name != "light" and self._data is not None
        if dark:
            with themed(LIGHT):
                self._draw_function(self._data, self.canvas.figure)
        else:
            self.ensure_built()
        fmt = path.suffix.lower().lstrip(".") or "png"
        try:
            with themed(LIGHT if dark else self.chart_theme):
                with atomic_path(path, what="the chart") as temporary:
                    figure = self.canvas.figure
                    figure.savefig(temporary, format=fmt, dpi=150 if fmt == "png" else None)
        finally:
            if dark:
                self._built = False
                self.canvas.draw_idle()
