"""The check-in calendar: each day shaded by its cramps, a check mark on days with a check-in.

Up to CALENDAR_DAY_CELLS_MAX_DAYS (a year and a bit) a cell is a day: weeks run left to right,
Monday at the top, as on a wall calendar turned sideways. Longer ranges would make a day a pixel
wide, so a cell is then an ISO week, one row per year, and the mark says the week had a
check-in. Days (or weeks) before the diary began, or outside the range, are left blank: blank is
"no diary yet", the palest shade is "no cramps". The check mark is a symbol, not a colour, and
keeps a background-coloured outline, so it reads on the palest and the darkest cell alike.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from tracker.analysis.aggregates import WEEKDAYS
from tracker.charts.fit import (
    axes_box,
    category_font_size,
    fitted_title,
    integer_ticks,
    line_height,
    spaced_ticks,
    tick_label_size,
)
from tracker.charts.style import (
    NOTE_TOP,
    Table,
    TableRow,
    TipText,
    add_note,
    add_tip,
    current_theme,
    empty,
    plural,
    prepare,
    set_empty,
    set_margins,
    set_table,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.colors import Colormap
    from matplotlib.figure import Figure

TITLE = "Check-ins and cramps"
NO_CHECKINS_TEXT = "No check-ins in this period"
CHECK_MARK = "\u2713"
CALENDAR_DAY_CELLS_MAX_DAYS = 378  # 54 weeks: a day is still a few pixels wide
_PALEST = 0.12  # where the heat scale starts, so "no cramps" differs from a blank day


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _long_date(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()]} {day:%b} {day.day}, {day.year}"


def _heat(base: str | Colormap) -> Colormap:
    """The theme's heat scale without its palest end (which is the background's colour)."""
    from matplotlib import colormaps
    from matplotlib.colors import Colormap, ListedColormap

    cmap = base if isinstance(base, Colormap) else colormaps[base]
    steps = 256
    return ListedColormap(
        [cmap(_PALEST + (1 - _PALEST) * i / (steps - 1)) for i in range(steps)], "cramp_calendar"
    )


class _Grid:
    """Cells in rows and columns: counts (None: blank), check-in marks, labels, tooltips."""

    def __init__(self, rows: int, columns: int) -> None:
        self.counts: list[list[int | None]] = [[None] * columns for _ in range(rows)]
        self.marked: list[tuple[int, int]] = []  # (column, row) of the cells with a check-in
        self.tips: dict[tuple[int, int], str] = {}
        self.table: list[TableRow] = []


def _day_grid(
    counts: Mapping[str, int], checkins: set[str], first: date, last: date
) -> tuple[_Grid, list[date]]:
    """A cell per day: columns are the weeks (their Mondays returned), rows Monday..Sunday."""
    start = _monday(first)
    weeks = (_monday(last) - start).days // 7 + 1
    grid = _Grid(7, weeks)
    day = first
    while day <= last:
        key = day.isoformat()
        column, row = (day - start).days // 7, day.weekday()
        n = counts.get(key, 0)
        grid.counts[row][column] = n
        checked = key in checkins
        if checked:
            grid.marked.append((column, row))
        grid.tips[column, row] = f"{_long_date(day)}: {plural(n)}" + (
            ", check-in" if checked else ", no check-in"
        )
        grid.table.append((key, n, "yes" if checked else ""))
        day += timedelta(days=1)
    return grid, [start + timedelta(weeks=i) for i in range(weeks)]


def _week_grid(
    counts: Mapping[str, int], checkins: set[str], first: date, last: date
) -> tuple[_Grid, list[int]]:
    """A cell per ISO week: columns are weeks 1-53, rows the ISO years (returned)."""
    first_year, last_year = first.isocalendar()[0], last.isocalendar()[0]
    years = list(range(first_year, last_year + 1))
    grid = _Grid(len(years), 53)
    week = _monday(first)
    while week <= last:
        days = [week + timedelta(days=i) for i in range(7)]
        shown = [d for d in days if first <= d <= last]
        n = sum(counts.get(d.isoformat(), 0) for d in shown)
        checked = sum(1 for d in shown if d.isoformat() in checkins)
        year, number, _ = week.isocalendar()
        column, row = number - 1, year - first_year
        grid.counts[row][column] = n
        if checked:
            grid.marked.append((column, row))
        grid.tips[column, row] = (
            f"Week of {week:%b} {week.day}, {week.year}: {plural(n)}, "
            f"{plural(checked, 'day')} with a check-in"
        )
        grid.table.append((week.isoformat(), n, checked))
        week += timedelta(weeks=1)
    return grid, years


def _grid_tip(grid: _Grid) -> TipText:
    def tip(x: float, y: float) -> str | None:
        return grid.tips.get((int(round(x)), int(round(y))))

    return tip


def _month_candidates(weeks: list[date]) -> list[tuple[float, str, int]]:
    """'Mar' (with its year when the weeks span two) at the first week holding a month's 1st."""
    with_year = len({w.year for w in weeks} | {(w + timedelta(days=6)).year for w in weeks}) > 1
    out = []
    for i, monday in enumerate(weeks):
        sunday = monday + timedelta(days=6)
        first_of_month = sunday.replace(day=1)
        if i == 0 or monday <= first_of_month <= sunday:
            label = f"{first_of_month:%b %Y}" if with_year else f"{first_of_month:%b}"
            if i == 0 and not monday <= first_of_month:
                label = f"{monday:%b %Y}" if with_year else f"{monday:%b}"
            out.append((float(i), label, sunday.month - 1))
    return out


def _week_day_candidates(weeks: list[date]) -> list[tuple[float, str, int]]:
    """'Mar 2' at each week's Monday (short ranges: every week can be named)."""
    return [(float(i), f"{w:%b} {w.day}", i) for i, w in enumerate(weeks)]


def _year_month_candidates() -> list[tuple[float, str, int]]:
    """Month names at the ISO week holding their 1st (in a typical year)."""
    out = []
    for month in range(1, 13):
        first = date(2025, month, 1)  # 2025-01-01 is in ISO week 1
        out.append((float(first.isocalendar()[1] - 1), f"{first:%b}", month - 1))
    return out


def _row_labels(ax: Axes, labels: Sequence[str]) -> None:
    """One label per row, thinned to every 2nd, 5th... row when the rows are too low."""
    room = axes_box(ax).height / max(len(labels), 1)
    size = tick_label_size("y")
    step = next((s for s in (1, 2, 5, 10, 20, 50) if room * s >= line_height(size)), len(labels))
    rows = [i for i in range(len(labels)) if (len(labels) - 1 - i) % step == 0]
    ax.set_yticks(rows, [labels[i] for i in rows])


def _marks(ax: Axes, grid: _Grid) -> None:
    """A check mark in each cell with a check-in, sized to the cell, outlined for contrast."""
    if not grid.marked:
        return
    from matplotlib import patheffects

    box = axes_box(ax)
    columns, rows = len(grid.counts[0]), len(grid.counts)
    cell_pt = min(box.width / columns, box.height / rows) * 72
    size = max(3.0, min(11.0, cell_pt * 0.6))
    theme = current_theme()
    xs = [c for c, _r in grid.marked]
    ys = [r for _c, r in grid.marked]
    marks = ax.scatter(
        xs,
        ys,
        s=size**2,
        marker=f"${CHECK_MARK}$",
        c=theme.text,
        linewidths=0,
        zorder=3,
    )
    if size >= 6:  # smaller marks need no outline (and hundreds of outlines take long to draw)
        outline = max(0.5, min(1.5, size / 8))
        marks.set_path_effects(
            [
                patheffects.Stroke(linewidth=outline, foreground=theme.background),
                patheffects.Normal(),
            ]
        )


def calendar_figure(
    counts: Mapping[str, int],
    checkin_days: Sequence[str],
    first: str | None,
    last: str | None,
    fig: Figure | None = None,
) -> Figure:
    """Cramps per day (or week) and the check-ins, from ``first`` to ``last`` (ISO dates)."""
    fig = prepare(fig)
    set_empty(fig, False)
    if first is None or last is None or first > last or not (any(counts.values()) or checkin_days):
        return empty(fig, TITLE)
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    checkins = set(checkin_days)
    by_day = (end - start).days + 1 <= CALENDAR_DAY_CELLS_MAX_DAYS
    left = 0.55 if by_day else 0.6
    set_margins(fig, left=left, right=0.85, top=NOTE_TOP + 0.05, bottom=0.45)
    ax = fig.add_subplot()
    if by_day:
        grid, weeks = _day_grid(counts, checkins, start, end)
    else:
        grid, years = _week_grid(counts, checkins, start, end)
    _draw_cells(fig, ax, grid, "Cramps per day" if by_day else "Cramps per week")
    if by_day:
        ax.set_yticks(range(7), WEEKDAYS, fontsize=category_font_size(ax, 7, "small"))
        spaced_ticks(ax, _week_day_candidates(weeks), steps=(1, 2, 4, 8))
        if len(ax.get_xticks()) < min(2, len(weeks)) or len(weeks) > 8:
            spaced_ticks(ax, _month_candidates(weeks), steps=(1, 2, 3, 6, 12))
    else:
        _row_labels(ax, [str(y) for y in years])
        spaced_ticks(ax, _year_month_candidates(), steps=(1, 2, 3, 6, 12))
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    fitted_title(ax, TITLE, on_figure=True)
    cell = "day" if by_day else "week"
    shown = sum(1 for d in checkin_days if first <= d <= last)
    if not shown:
        note = NO_CHECKINS_TEXT
    else:
        note = f"{CHECK_MARK} marks a {cell} with a check-in ({plural(shown, 'check-in')})"
    add_note(ax, note)
    add_tip(fig, ax, _grid_tip(grid))
    table: Table = (
        ["Day", "Cramps", "Check-in"] if by_day else ["Week starting", "Cramps", "Check-in days"],
        grid.table,
    )
    set_table(fig, *table)
    return fig


def _draw_cells(fig: Figure, ax: Axes, grid: _Grid, label: str) -> None:
    """The cells as one mesh (blank cells masked), the colour bar, and the marks."""
    import numpy as np

    rows, columns = len(grid.counts), len(grid.counts[0])
    values = np.ma.masked_invalid(
        np.array([[math.nan if n is None else n for n in row] for row in grid.counts], dtype=float)
    )
    highest = max(1, int(values.max()) if values.count() else 1)
    theme = current_theme()
    cmap = _heat(theme.cmap())
    box = axes_box(ax)
    gap = 0.5 if min(box.width / columns, box.height / rows) * 72 >= 6 else 0.0
    mesh = ax.pcolormesh(
        np.arange(columns + 1) - 0.5,
        np.arange(rows + 1) - 0.5,
        values,
        cmap=cmap,
        vmin=0,
        vmax=highest,
        edgecolors=theme.background,
        linewidth=gap,
    )
    ax.set_xlim(-0.5, columns - 0.5)
    ax.set_ylim(rows - 0.5, -0.5)  # the first row (Monday, or the first year) on top
    colorbar = fig.colorbar(mesh, ax=ax, pad=0.02, fraction=0.05)
    colorbar.set_label(label, fontsize="small")
    colorbar.ax.tick_params(labelsize="small")
    colorbar.outline.set_visible(False)
    integer_ticks(colorbar.ax.yaxis)
    _marks(ax, grid)
