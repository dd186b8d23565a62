"""A chart built and rendered to pixels in any one thread (no Qt, no pyplot).

The Patterns page renders its charts in a worker thread, so the window keeps answering while
matplotlib works (a chart takes 50-100 ms to build and draw). Each rendering gets a figure of
its own, which only the thread making it touches until it is handed over complete; matplotlib's
global state (rcParams, the chart theme) is only changed under style.THEME_LOCK, which
``themed`` holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tracker.charts.style import ChartTheme, new_figure, themed

if TYPE_CHECKING:
    from matplotlib.figure import Figure

BASE_DPI = 100  # a figure inch is this many logical pixels (as on matplotlib's Qt canvas)

Draw = Callable[[Any, "Figure"], object]  # a catalog function: (data, fig) draws into fig


@dataclass(frozen=True)
class Rendering:
    """A drawn figure and its pixels: RGBA, ``width`` x ``height`` device pixels."""

    figure: Figure
    rgba: bytes
    width: int
    height: int
    ratio: float  # device pixels per logical pixel


def build(
    draw: Draw, data: object, theme: ChartTheme, width: int, height: int, ratio: float = 1.0
) -> Figure:
    """A new figure ``width`` x ``height`` logical pixels, with ``data`` drawn in ``theme``."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    with themed(theme):
        fig = new_figure((width / BASE_DPI, height / BASE_DPI))
        FigureCanvasAgg(fig)  # the figure's canvas: text is measured and drawn with Agg
        fig.set_dpi(BASE_DPI * ratio)
        fig.set_facecolor(theme.background)
        draw(data, fig)
    return fig


def render(fig: Figure, theme: ChartTheme) -> Rendering:
    """Draw a figure with Agg (ticks are made while drawing, so in its theme) to RGBA pixels."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    with themed(theme):
        canvas.draw()  # type: ignore[no-untyped-call]  # the stub lacks types
    width, height = canvas.get_width_height(physical=True)
    rgba = bytes(canvas.buffer_rgba())  # type: ignore[no-untyped-call]  # the stub lacks types
    return Rendering(fig, rgba, width, height, fig.dpi / BASE_DPI)


def build_and_render(
    draw: Draw, data: object, theme: ChartTheme, width: int, height: int, ratio: float = 1.0
) -> Rendering:
    """``build`` then ``render``; another thread may take the theme lock in between."""
    return render(build(draw, data, theme, width, height, ratio), theme)
