"""Shared look of the Patterns charts: palette, sizes, margins, empty state.

Colours are the Okabe-Ito palette, which stays distinguishable with the common kinds of colour
blindness; the heat map uses a single-hue blue scale (light = few, dark = many) for the same
reason. Nothing here imports matplotlib at module import.
"""

from __future__ import annotations

from tracker import vocab

EMPTY_TEXT = "No episodes in this range"

# Okabe-Ito
ORANGE, SKY, GREEN, YELLOW, BLUE, VERMILLION, PURPLE, GREY = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#999999",
)
# "Not recorded" is light grey with a hatch wherever it is drawn, so it never reads as one more
# category; it is never part of a percentage.
NOT_RECORDED_COLOUR = "#C8C8C8"
NOT_RECORDED_HATCH = "xx"
NOTE_COLOUR = "#555555"
BAND_COLOURS = {"mild": SKY, "moderate": ORANGE, "severe": VERMILLION}
BAND_LABELS = {"mild": "Mild (0-3)", "moderate": "Moderate (4-6)", "severe": "Severe (7-10)"}
NOT_RATED_LABEL = "Not rated"
SIDE_COLOURS = {"left": BLUE, "right": ORANGE, "both": PURPLE}
# Relief tries whose effect was not recorded are in no share, so they have no colour here.
EFFECT_COLOURS = {"yes": GREEN, "partly": YELLOW, "no": VERMILLION}
EFFECT_LABELS = dict(vocab.RELIEF_EFFECT)
NIGHT_SHADE = "#E8E8F0"
FIGSIZE = (6.4, 3.3)


# Margins in inches (left, right, top, bottom) for a plain chart at the default font size.
MARGINS = (0.65, 0.2, 0.4, 0.6)
NOTE_TOP = 0.62  # top margin (inches) that leaves room for a note line under the title
_CHAR_WIDTH_IN = 0.068  # average width of a 10 pt DejaVu Sans character


def new_figure(figsize=FIGSIZE):
    """A standalone Figure (never pyplot, so nothing global and no GUI backend is touched)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize)
    set_margins(fig)
    return fig


_ENGINE_CLASS = None


def _margin_engine_class():
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

            def __init__(self, left, right, top, bottom, wspace):
                super().__init__()
                self.margins = (left, right, top, bottom, wspace)

            def execute(self, fig):
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


def set_margins(fig, left=None, right=None, top=None, bottom=None, wspace=0.3):
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


def label_margin(labels) -> float:
    """Left margin that fits the longest category label of a horizontal bar chart."""
    return max((len(str(label)) for label in labels), default=4) * _CHAR_WIDTH_IN + 0.25


def prepare(fig, figsize=FIGSIZE):
    if fig is None:
        fig = new_figure(figsize)
    else:
        fig.clear()
    set_margins(fig)
    fig.cramp_tips = []
    fig.cramp_table = ([], [])
    return fig


def empty(fig, title: str, text: str = EMPTY_TEXT):
    """Title and one line of text instead of blank axes (no episodes, or none recorded this)."""
    ax = fig.add_subplot()
    ax.set_title(title)
    ax.set_axis_off()
    ax.text(
        0.5,
        0.5,
        text,
        ha="center",
        va="center",
        fontsize="large",
        color="#444444",
        transform=ax.transAxes,
    )
    fig.cramp_empty = True
    return fig


def add_note(ax, text: str) -> None:
    """A small grey line between an axes' title and its plot, e.g. how many were not recorded.

    The figure needs a top margin of NOTE_TOP for it; the title moves up to make room. On a
    chart with one axes the line is centred on the whole figure, so a long note can use the
    width of the category labels too instead of being cut off at the figure's edge.
    """
    from matplotlib.transforms import blended_transform_factory

    fig = ax.get_figure()
    ax.set_title(ax.get_title(), pad=15)
    alone = len(fig.axes) == 1
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
        color=NOTE_COLOUR,
    )


def none_recorded_text(what: str, total: int) -> str:
    """Empty-state text when there are cramps but none recorded this field."""
    return f"{what} not recorded for any of the {plural(total)} in this range"


def plural(n: int, word: str = "cramp") -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")
