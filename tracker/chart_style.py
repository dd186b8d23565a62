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
BAND_COLOURS = {"mild": SKY, "moderate": ORANGE, "severe": VERMILLION}
BAND_LABELS = {"mild": "Mild (0-3)", "moderate": "Moderate (4-6)", "severe": "Severe (7-10)"}
SIDE_COLOURS = {"left": BLUE, "right": ORANGE, "both": PURPLE}
EFFECT_COLOURS = {"yes": GREEN, "partly": YELLOW, "no": VERMILLION, "unknown": GREY}
EFFECT_LABELS = {**vocab.RELIEF_EFFECT, "unknown": "Not recorded"}
NIGHT_SHADE = "#E8E8F0"
FIGSIZE = (6.4, 3.3)


# Margins in inches (left, right, top, bottom) for a plain chart at the default font size.
MARGINS = (0.65, 0.2, 0.4, 0.6)
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


def empty(fig, title: str):
    ax = fig.add_subplot()
    ax.set_title(title)
    ax.set_axis_off()
    ax.text(
        0.5,
        0.5,
        EMPTY_TEXT,
        ha="center",
        va="center",
        fontsize="large",
        color="#444444",
        transform=ax.transAxes,
    )
    fig.cramp_empty = True
    return fig


def plural(n: int, word: str = "cramp") -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")
