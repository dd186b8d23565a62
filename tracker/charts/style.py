"""Shared look of the Patterns charts: palette, sizes, margins, empty state.

Colours are the Okabe-Ito palette, which stays distinguishable with the common kinds of colour
blindness, and each colour means one thing on every chart (colour_meanings; a legend names it
wherever it is drawn); the heat map uses a single-hue blue scale (faint = few, strong = many)
for the same reason. Everything around the data (background, text, grid, notes) comes from a
light or dark ChartTheme, chosen with ``themed()``. Nothing here imports matplotlib at module
import.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from tracker.diary import vocab

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.colors import Colormap
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import LayoutEngine
    from matplotlib.typing import RcKeyType

EMPTY_TEXT = "No cramps in this period"

# Okabe-Ito (its grey, #999999, is not used: "not recorded" has a lighter grey of its own)
ORANGE, SKY, GREEN, YELLOW, BLUE, VERMILLION, PURPLE, BLACK = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#000000",
)
# Three more where the charts need more meanings than Okabe-Ito has colours; each keeps apart
# from the colours it is drawn next to under simulated colour blindness (tests/tracker).
LIGHT_GREEN, DARK_GREY, VIOLET = "#99D8C7", "#555555", "#7E57C2"
# "Not recorded" is light grey with a hatch wherever it is drawn, so it never reads as one more
# category; it is never part of a percentage.
NOT_RECORDED_COLOUR = "#C8C8C8"
NOT_RECORDED_HATCH = "xx"
NOTE_COLOUR = "#555555"
# Bars and lines of all cramps, not split by anything (their axis label says what they count).
CRAMPS_COLOUR = BLUE
CRAMPS_LABEL = "Cramps"
# Severity reads from light to dark, warm: mild, moderate, severe.
BAND_COLOURS = {"mild": YELLOW, "moderate": ORANGE, "severe": VERMILLION}
# "Mild (0-3)", "Moderate (4-6)", "Severe (7-10)": the limits are vocab.SEVERITY_BANDS.
BAND_LABELS = {
    band: f"{band.capitalize()} ({low}-{high})"
    for band, (low, high) in vocab.SEVERITY_BANDS.items()
}
NOT_RATED_LABEL = "Not rated"
SIDE_COLOURS = {"left": SKY, "right": PURPLE, "both": VIOLET}
# Relief tries whose effect was not recorded are in no share, so they have no colour here.
EFFECT_COLOURS = {"yes": GREEN, "partly": LIGHT_GREEN, "no": DARK_GREY}
EFFECT_LABELS = dict(vocab.RELIEF_EFFECT)
TIGHT_COLOUR = BLACK  # drawn with white stripes, which show on a light and a dark background
TIGHT_HATCH = "//"
TIGHT_LABEL = "Tight or ill-fitting"
NIGHT_SHADE = "#E8E8F0"
NIGHT_LABEL = f"Night ({vocab.NIGHT_START_HOUR:02d}:00-{vocab.NIGHT_END_HOUR - 1:02d}:59)"


def colour_meanings(night_shade: str = NIGHT_SHADE) -> dict[str, tuple[str, ...]]:
    """Each colour the charts fill with -> what it means: its legend label(s), first the name.

    One meaning per colour across every chart; tests/tracker/charts/test_charts.py checks the charts
    keep to it. The night shade follows the light or dark theme.
    """
    return {
        CRAMPS_COLOUR: (CRAMPS_LABEL,),
        **{BAND_COLOURS[band]: (BAND_LABELS[band],) for band in BAND_COLOURS},
        **{SIDE_COLOURS[side]: (vocab.label(vocab.SIDES, side),) for side in SIDE_COLOURS},
        **{EFFECT_COLOURS[e]: (EFFECT_LABELS[e],) for e in EFFECT_COLOURS},
        TIGHT_COLOUR: (TIGHT_LABEL,),
        night_shade: (NIGHT_LABEL,),
        NOT_RECORDED_COLOUR: ("Not recorded", NOT_RATED_LABEL, "Side not recorded"),
    }


FIGSIZE = (6.4, 3.3)


# Margins in inches (left, right, top, bottom) for a plain chart at the default font size.
MARGINS = (0.65, 0.2, 0.4, 0.6)
NOTE_TOP = 0.62  # top margin (inches) that leaves room for a note line under the title


# What a figure tells the page besides its drawing (see tracker/charts/catalog.py).
TipText = Callable[[float, float], "str | None"]
Tip = tuple[Any, "str | TipText"]  # (artist or axes, its text or a function of x, y)
TableRow = tuple[object, ...]
Table = tuple[list[str], list[TableRow]]
_TIPS, _TABLE, _EMPTY = "cramp_tips", "cramp_table", "cramp_empty"


def add_tip(fig: Figure, artist: object, text: str | TipText) -> None:
    """A tooltip for an artist (a fixed text) or for an axes (a function of x and y)."""
    tips: list[Tip] = getattr(fig, _TIPS)
    tips.append((artist, text))


def set_table(fig: Figure, headers: list[str], rows: Sequence[TableRow]) -> None:
    """The exact numbers behind the chart: column headers and rows."""
    setattr(fig, _TABLE, (headers, list(rows)))


def set_empty(fig: Figure, is_empty: bool) -> None:
    """Whether the chart shows its empty state instead of data."""
    setattr(fig, _EMPTY, is_empty)


def new_figure(figsize: tuple[float, float] = FIGSIZE) -> Figure:
    """A standalone Figure (never pyplot, so nothing global and no GUI backend is touched)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize)
    set_margins(fig)
    return fig


_ENGINE_CLASS: type[LayoutEngine] | None = None


def _margin_engine_class() -> type[LayoutEngine]:
    """A layout engine keeping fixed margins in inches whatever the figure's size.

    matplotlib's constrained layout measures every text on every draw, which doubled the time
    to draw a chart; our charts know their labels, so fixed margins do the same job for free.
    """
    global _ENGINE_CLASS
    if _ENGINE_CLASS is None:
        from matplotlib.layout_engine import LayoutEngine

        class FixedMargins(LayoutEngine):
            _adjust_compatible = True
            _colorbar_gridspec = True

            def __init__(
                self, left: float, right: float, top: float, bottom: float, wspace: float
            ) -> None:
                super().__init__()
                self.margins = (left, right, top, bottom, wspace)

            def execute(self, fig: Figure) -> None:
                left, right, top, bottom, wspace = self.margins
                width, height = fig.get_size_inches()
                fig.subplots_adjust(
                    left=min(0.45, left / width),
                    right=max(0.55, 1 - right / width),
                    top=max(0.5, 1 - top / height),
                    bottom=min(0.45, bottom / height),
                    wspace=wspace,
                )

        _ENGINE_CLASS = FixedMargins
    return _ENGINE_CLASS


def set_margins(
    fig: Figure,
    left: float | None = None,
    right: float | None = None,
    top: float | None = None,
    bottom: float | None = None,
    wspace: float = 0.3,
) -> None:
    """Keep these margins (inches) around the axes; None keeps the default for that side.

    A figure the caller gave its own layout engine (the doctor summary uses constrained layout
    for print) keeps it.
    """
    engine_class = _margin_engine_class()
    engine = fig.get_layout_engine()
    if engine is not None and not isinstance(engine, engine_class):
        return
    defaults = dict(zip(("left", "right", "top", "bottom"), MARGINS, strict=True))
    given = {"left": left, "right": right, "top": top, "bottom": bottom}
    values = {k: defaults[k] if v is None else v for k, v in given.items()}
    fig.set_layout_engine(engine_class(wspace=wspace, **values))


def label_margin(labels: Iterable[str], size: float | str = "medium") -> float:
    """Left margin that fits the longest category label of a horizontal bar chart."""
    from tracker.charts.fit import EDGE_IN, text_width

    widest = max((text_width(label, size) for label in labels), default=0.3)
    return EDGE_IN + widest + 0.12  # 0.12: the tick and its padding


def margins_of(fig: Figure) -> dict[str, float]:
    """The margins (inches) the figure keeps now, to change one of them."""
    engine = fig.get_layout_engine()
    values = getattr(engine, "margins", None) or (*MARGINS, 0.3)
    return dict(zip(("left", "right", "top", "bottom", "wspace"), values, strict=True))


def prepare(fig: Figure | None, figsize: tuple[float, float] = FIGSIZE) -> Figure:
    """The figure to draw a chart in (a new one, or the given one cleared), with no tips, an
    empty table and not marked empty."""
    if fig is None:
        fig = new_figure(figsize)
    else:
        fig.clear()
    fig.set_facecolor(_current.background)  # a reused figure keeps its old colour otherwise
    fig.set_edgecolor(_current.background)
    set_margins(fig)
    setattr(fig, _TIPS, [])
    set_table(fig, [], [])
    return fig


def empty(fig: Figure, title: str, text: str = EMPTY_TEXT) -> Figure:
    """Title and one line of text instead of blank axes (no episodes, or none recorded this)."""
    from tracker.charts.fit import EDGE_IN, fit_text, fitted_title

    ax = fig.add_subplot()
    fitted_title(ax, title, on_figure=True)
    ax.set_axis_off()
    ax.text(
        0.5,
        0.5,
        fit_text(text, fig.get_figwidth() - 2 * EDGE_IN, "large"),
        ha="center",
        va="center",
        multialignment="center",
        fontsize="large",
        color=_current.muted,
        transform=ax.transAxes,
    )
    set_empty(fig, True)
    return fig


def add_note(ax: Axes, text: str) -> float:
    """A small grey line between an axes' title and its plot, e.g. how many were not recorded.

    The figure needs a top margin of NOTE_TOP for it; the title moves up to make room. On a
    chart with one axes the line is centred on the whole figure, so a long note can use the
    width of the category labels too instead of being cut off at the figure's edge; a note
    still too long for the width takes two lines, and the top margin grows by one.
    """
    from matplotlib.transforms import blended_transform_factory

    from tracker.charts.fit import EDGE_IN, axes_box, figure_of, fit_text, line_height

    fig = figure_of(ax)
    alone = len(fig.axes) == 1
    box = axes_box(ax)
    room = fig.get_figwidth() - 2 * EDGE_IN if alone else box.width + 0.2
    text = fit_text(text, room, "small", "italic")
    pad = 15.0
    if "\n" in text:
        extra = line_height("small")
        pad += extra * 72
        margins = margins_of(fig)
        set_margins(fig, **{**margins, "top": margins["top"] + extra})
    ax.set_title(ax.get_title(), pad=pad, fontsize=ax.title.get_fontsize())
    ax.text(
        0.5,
        1.02,
        text,
        transform=blended_transform_factory(fig.transFigure, ax.transAxes)
        if alone
        else ax.transAxes,
        ha="center",
        va="bottom",
        fontsize="small",
        style="italic",
        color=_current.note,
    )
    return pad  # the title's new padding (points), for a neighbour's title to line up with


def set_two_panels(
    fig: Figure,
    left: float,
    gap: float,
    right: float = MARGINS[1],
    top: float | None = None,
    bottom: float | None = None,
) -> None:
    """Margins for two axes side by side with ``gap`` inches between them."""
    each = (fig.get_figwidth() - left - right - gap) / 2
    set_margins(fig, left=left, right=right, top=top, bottom=bottom, wspace=gap / each)


def panel_titles(ax_left: Axes, ax_right: Axes, titles: tuple[str, str], note: str | None) -> None:
    """Titles of two axes side by side, and a note under the left one's (the right title
    moves up with it, so the two stay on one line)."""
    from tracker.charts.fit import fitted_title

    fitted_title(ax_left, titles[0])
    title_right = fitted_title(ax_right, titles[1])
    if note:
        pad = add_note(ax_left, note)
        ax_right.set_title(title_right.get_text(), pad=pad, fontsize=title_right.get_fontsize())


def none_rated(ax: Axes) -> None:
    """'None rated' in the middle of an axes of severities where no cramp was rated."""
    ax.text(0.5, 0.5, "None rated", transform=ax.transAxes, ha="center", color=_current.muted)


def none_recorded_text(what: str, total: int) -> str:
    """Empty-state text when there are cramps but none recorded this field."""
    cramps = "the 1 cramp" if total == 1 else f"any of the {plural(total)}"
    return f"{what} not recorded for {cramps} in this period"


def plural(n: int, word: str = "cramp") -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


# ----------------------------------------------------------------- light and dark
@dataclass(frozen=True)
class ChartTheme:
    """Colours of everything around the data; the Okabe-Ito data colours read on both.

    Plain colour strings, so the UI can pass its palette's colours without Qt reaching here.
    Every text colour keeps 4.5:1 against ``background`` (and ``night_text`` against
    ``night_shade``, where it is drawn).
    """

    name: str
    background: str
    text: str
    muted: str  # the empty-state text, "None rated"
    note: str  # the small italic note under a title
    lines: str  # spines and tick marks
    grid: str
    night_shade: str
    night_text: str
    bar_edge: str  # outline of the relief bars, some of them light yellow
    heat: tuple[str, ...]  # heat map colours from few to many

    def rc(self) -> dict[RcKeyType, Any]:
        """rcParams for figures built (and drawn) with this theme."""
        return {
            "figure.facecolor": self.background,
            "figure.edgecolor": self.background,
            "axes.facecolor": self.background,
            "axes.edgecolor": self.lines,
            "axes.labelcolor": self.text,
            "axes.titlecolor": self.text,
            "text.color": self.text,
            "xtick.color": self.lines,
            "ytick.color": self.lines,
            "xtick.labelcolor": self.text,
            "ytick.labelcolor": self.text,
            "grid.color": self.grid,
            "legend.facecolor": self.background,
            "legend.edgecolor": self.grid,
            "legend.labelcolor": self.text,
            "patch.edgecolor": self.lines,
        }

    def cmap(self) -> str | Colormap:
        """The heat map's colour map: light to dark blue on white, dark to light on dark."""
        if self.name == "light":
            return "Blues"
        from matplotlib.colors import LinearSegmentedColormap

        return LinearSegmentedColormap.from_list(f"cramp_heat_{self.name}", self.heat)


LIGHT = ChartTheme(
    name="light",
    background="#FFFFFF",
    text="#000000",
    muted="#444444",
    note=NOTE_COLOUR,
    lines="#000000",
    grid="#DDDDDD",
    night_shade=NIGHT_SHADE,
    night_text="#555577",
    bar_edge="#666666",
    heat=("#F7FBFF", "#08306B"),
)
DARK = ChartTheme(
    name="dark",
    background="#1F1F1F",
    text="#E8E8E8",
    muted="#C4C4C4",
    note="#BDBDBD",
    lines="#A8A8A8",
    grid="#454545",
    night_shade="#2D3140",
    night_text="#B9B9D8",
    bar_edge="#9A9A9A",
    heat=("#26303B", "#1F6FB2", "#9AD0F5"),
)
THEMES = {"light": LIGHT, "dark": DARK}

_current = LIGHT  # the theme figures are being built in; the PDF report never changes it
# matplotlib's rcParams and ``_current`` are global: one thread at a time builds or draws in a
# theme (the Patterns page renders its charts in a worker thread while the UI thread may build
# a figure to save or print). Re-entrant: a themed build may draw in the same theme.
THEME_LOCK = threading.RLock()


def chart_theme(
    name: str = "light", background: str | None = None, text: str | None = None
) -> ChartTheme:
    """The light or dark chart theme, on the window's own ``background`` and ``text`` colours
    when given (e.g. the Qt palette's Base and Text)."""
    base = THEMES[name]
    if not (background or text):
        return base
    return replace(base, background=background or base.background, text=text or base.text)


def current_theme() -> ChartTheme:
    return _current


@contextmanager
def themed(theme: ChartTheme | str = "light") -> Iterator[ChartTheme]:
    """Build and draw figures in ``theme`` (matplotlib's rcParams are restored afterwards:
    nothing global changes, so a chart for the printed report is always light).

    Holds THEME_LOCK meanwhile: rcParams are shared by every thread, so two threads each in
    their own theme would see each other's colours.
    """
    import matplotlib

    global _current
    theme = THEMES[theme] if isinstance(theme, str) else theme
    with THEME_LOCK:
        previous, _current = _current, theme
        try:
            with matplotlib.rc_context(theme.rc()):
                yield theme
        finally:
            _current = previous
