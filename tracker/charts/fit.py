"""Making a chart's text fit its figure: measured text, margins, thinned ticks, fitted legends.

A chart is built for the size it is shown at (the Patterns card rebuilds a chart when its width
changes; the PDF report has sizes of its own), so these choices are made once, when the figure
is built, from text measured by the same Agg text engine that draws it: no guessed character
widths, and no layout pass on every draw (constrained layout doubled the time a draw takes).
tests/tracker/charts/test_chart_layout.py checks the result from what was really drawn.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.figure import Figure
    from matplotlib.legend import Legend
    from matplotlib.text import Text
    from matplotlib.transforms import Bbox

FontSize = float | str  # points, or a name: 'small', 'large', ...
FontStyle = Literal["normal", "italic", "oblique"]
Candidate = tuple[float, str, int]  # (x, label, key) of a tick spaced_ticks may label
Placed = tuple[float, float, float, str]  # (left, right) in inches, x and label of a tick

EDGE_IN = 0.04  # text keeps this far inside the figure's edge
GAP_IN = 0.12  # at least this between two tick labels side by side (about two spaces)
_MEASURE_DPI = 100
_SAFETY = 1.06  # hinting makes drawn text a few per cent wider or narrower at other dpis
_LINE = 1.25  # a line of text is this many font sizes high, with its spacing


def points(size: FontSize) -> float:
    """A font size ('small', 'large', 9, ...) in points, as matplotlib resolves it."""
    from matplotlib.font_manager import FontProperties

    return FontProperties(size=size).get_size_in_points()


@lru_cache(maxsize=1)
def _renderer() -> RendererAgg:
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg(8, 8, _MEASURE_DPI)  # type: ignore[no-untyped-call]  # stub lacks types


@lru_cache(maxsize=4096)
def _line_width_in(line: str, size_pt: float, style: FontStyle) -> float:
    from matplotlib.font_manager import FontProperties

    prop = FontProperties(size=size_pt, style=style)
    renderer = _renderer()
    # get_text_width_height_descent is untyped in matplotlib's stub (it returns three floats).
    width, _h, _d = renderer.get_text_width_height_descent(line, prop, ismath=False)  # type: ignore[no-untyped-call]
    return float(width) / _MEASURE_DPI * _SAFETY


def text_width(text: object, size: FontSize = "medium", style: FontStyle = "normal") -> float:
    """Width in inches of text (its longest line) drawn at this font size."""
    size_pt = points(size)
    return max((_line_width_in(line, size_pt, style) for line in str(text).split("\n")), default=0)


def line_height(size: FontSize = "medium") -> float:
    """Height in inches of one line of text at this font size, with its spacing."""
    return points(size) * _LINE / 72


def figure_of(ax: Axes) -> Figure:
    """The figure the axes is drawn on (charts never use subfigures)."""
    fig = ax.get_figure(root=True)
    if fig is None:
        raise ValueError("the axes is on no figure")
    return fig


def axes_box(ax: Axes) -> Bbox:
    """Where the axes will be drawn, in inches from the figure's lower left corner.

    The fixed-margins layout engine places the axes from the figure's size alone, so running
    it now gives the final position before anything is drawn.
    """
    from matplotlib.transforms import Bbox

    fig = figure_of(ax)
    engine = fig.get_layout_engine()
    if engine is not None and getattr(engine, "margins", None) is not None:
        engine.execute(fig)
    box = ax.get_position()
    width, height = fig.get_size_inches()
    return Bbox.from_extents(box.x0 * width, box.y0 * height, box.x1 * width, box.y1 * height)


def tick_label_size(axis: Literal["x", "y"] = "x") -> float:
    from matplotlib import rcParams

    return points(rcParams["xtick.labelsize" if axis == "x" else "ytick.labelsize"])


def spaced_ticks(
    ax: Axes,
    candidates: Sequence[Candidate],
    steps: Sequence[int] = (1, 2, 3, 4, 6, 12),
    bounds: tuple[float, float] | None = None,
    size: float | None = None,
) -> None:
    """Label the candidates ((x, label, key) triples) whose key is a multiple of the smallest
    step at which labels keep GAP_IN apart and stay inside ``bounds`` (inches; default the
    figure).

    The key aligns the labels to the calendar: a month's key is its number from 0, so a step
    of 3 labels January, April, July and October (other offsets are tried only if no step
    shows two aligned labels). Call it after the x limits are set. A label that would cross
    the bounds is left out rather than cut off; if no step fits, one label alone is kept.
    """
    fig = figure_of(ax)
    box = axes_box(ax)
    low, high = sorted(ax.get_xlim())
    left, right = bounds if bounds is not None else (EDGE_IN, fig.get_figwidth() - EDGE_IN)
    label_size = size if size is not None else tick_label_size("x")

    def place(step: int, offset: int) -> list[Placed]:
        out: list[Placed] = []
        for x, label, key in candidates:
            if key % step != offset or not low <= x <= high:
                continue
            centre = box.x0 + (x - low) / (high - low) * box.width
            half = text_width(label, label_size) / 2
            if centre - half >= left and centre + half <= right:
                out.append((centre - half, centre + half, x, label))
        return out

    def fits(placed: list[Placed]) -> bool:
        return all(b[0] - a[1] >= GAP_IN for a, b in zip(placed, placed[1:], strict=False))

    def first_fit(offsets: Callable[[int], Iterable[int]]) -> list[Placed] | None:
        for step in steps:
            tries = [place(step, offset) for offset in offsets(step)]
            good = [p for p in tries if len(p) >= min(2, len(candidates)) and fits(p)]
            if good:
                return max(good, key=len)
        return None

    # Aligned to the calendar (or to round numbers) if that shows two labels at all, else
    # any offset; else the first label alone.
    placed = first_fit(lambda step: [0]) or first_fit(range)
    if placed is None:
        placed = next((p[:1] for p in (place(1, 0), place(steps[-1], 0)) if p), [])
    ax.set_xticks([p[2] for p in placed], [p[3] for p in placed])


def count_ticks(ax: Axes) -> None:
    """Integer count ticks on the x axis no closer than their widest label needs, leaving out
    a tick whose label would cross the figure's edge (call after the x limits are set).

    matplotlib's own locator assumes a label three characters wide; '10000' is five.
    """
    from matplotlib.ticker import MaxNLocator

    fig = figure_of(ax)
    box = axes_box(ax)
    low, high = ax.get_xlim()
    size = tick_label_size("x")
    widest = text_width(f"{int(max(abs(low), abs(high)))}", size)
    bins = max(1, min(8, int(box.width / (widest + GAP_IN)) - 1))
    ticks = []
    for value in MaxNLocator(nbins=bins, integer=True, min_n_ticks=1).tick_values(low, high):
        centre = box.x0 + (value - low) / (high - low) * box.width
        half = text_width(f"{value:g}", size) / 2
        if (
            low <= value <= high
            and EDGE_IN <= centre - half
            and centre + half <= fig.get_figwidth() - EDGE_IN
        ):
            ticks.append(value)
    ax.set_xticks(ticks)


def integer_ticks(axis: Axis) -> None:
    """Ticks only at whole numbers on this axis (of counts)."""
    from matplotlib.ticker import MaxNLocator

    locator = axis.get_major_locator()
    if isinstance(locator, MaxNLocator):  # the default AutoLocator is one
        locator.set_params(integer=True)


def count_label_margin(highest: float, label: str | None = "Episodes (count)") -> float:
    """Left margin (inches) for a vertical count axis: its widest tick label and its label."""
    ticks = text_width(f"{int(highest)}", tick_label_size("y"))
    title = line_height() if label else 0
    return EDGE_IN + title + 0.12 + ticks + 0.07


def legend_columns(labels: Sequence[str], room: float, size: FontSize = "small") -> tuple[int, int]:
    """(columns, rows) of the widest legend layout of these labels that fits ``room`` inches."""
    em = points(size) / 72
    entries = [2.0 * em + 0.8 * em + text_width(label, size) for label in labels]
    for columns in range(len(entries), 0, -1):
        rows = -(-len(entries) // columns)
        widths = [max(entries[c * rows : (c + 1) * rows], default=0) for c in range(columns)]
        total = sum(w for w in widths if w) + 2.0 * em * (columns - 1) + 1.8 * em
        if total <= room:
            return columns, rows
    return 1, len(entries)


def legend_height(rows: int, size: FontSize = "small") -> float:
    return rows * points(size) * 1.7 / 72 + 0.05


def legend_below(
    ax: Axes,
    handles: Sequence[Artist] | None = None,
    labels: Sequence[str] | None = None,
    size: FontSize = "small",
) -> Legend:
    """A legend under the axes, centred on the figure, in as few rows as its width allows.

    Its bottom sits EDGE_IN above the figure's edge: reserve ``legend_height`` (from
    ``legend_columns``) in the bottom margin.
    """
    from matplotlib.transforms import blended_transform_factory

    fig = figure_of(ax)
    if handles is None or labels is None:
        handles, labels = ax.get_legend_handles_labels()
    columns, _rows = legend_columns(labels, fig.get_figwidth() - 2 * EDGE_IN, size)
    return ax.legend(
        handles,
        labels,
        loc="lower center",
        bbox_to_anchor=(0.5, EDGE_IN / fig.get_figheight()),
        bbox_transform=blended_transform_factory(fig.transFigure, fig.transFigure),
        ncols=columns,
        fontsize=size,
        frameon=False,
        borderaxespad=0,
    )


def fitted_title(ax: Axes, text: str, on_figure: bool = False, pad: float | None = None) -> Text:
    """The axes' title, centred on the figure if asked, in a smaller font if it would not fit.

    A chart with one axes and long category labels centres its title on the figure, so the
    title can use the width of the labels too.
    """
    from matplotlib.transforms import blended_transform_factory

    fig = figure_of(ax)
    title = ax.set_title(text, pad=pad)
    box = axes_box(ax)
    centre = fig.get_figwidth() / 2 if on_figure else (box.x0 + box.x1) / 2
    if on_figure:
        transform = blended_transform_factory(fig.transFigure, ax.transAxes)
        # titleOffsetTrans is set in Axes.__init__ but missing from the stub.
        title.set_transform(transform + ax.titleOffsetTrans)  # type: ignore[attr-defined]
    room = 2 * min(centre, fig.get_figwidth() - centre) - 2 * EDGE_IN
    size = points(title.get_fontsize())
    while size > 8 and text_width(text, size) > room:
        size -= 0.5
    title.set_fontsize(size)
    return title


def fit_text(text: str, room: float, size: FontSize = "small", style: FontStyle = "normal") -> str:
    """The text as is if it fits ``room`` inches, else broken into two lines.

    It breaks after '; ' if there is one, else at the space nearest the middle.
    """
    if text_width(text, size, style) <= room:
        return text
    if "; " in text:
        head, tail = text.split("; ", 1)
        return f"{head};\n{tail}"
    spaces = [i for i, c in enumerate(text) if c == " "]
    if not spaces:
        return text
    middle = min(spaces, key=lambda i: abs(i - len(text) / 2))
    return text[:middle] + "\n" + text[middle + 1 :]


def bar_end_room(
    ax: Axes,
    values: Sequence[float],
    labels: Sequence[str],
    size: FontSize = "small",
    pad_pt: float = 3,
) -> float:
    """The x limit that leaves room for each label after the end of its horizontal bar."""
    box = axes_box(ax)
    needed = 0.0
    for value, label in zip(values, labels, strict=True):
        share = (text_width(label, size) + pad_pt / 72) / box.width
        needed = max(needed, value / max(0.2, 1 - share))
    return needed or 1


def category_font_size(ax: Axes, count: int, largest: FontSize = "medium") -> float:
    """Font size (points) for ``count`` category labels one above another on this axes."""
    room = axes_box(ax).height / max(count, 1)
    return max(6.0, min(points(largest), room * 72 / _LINE))
