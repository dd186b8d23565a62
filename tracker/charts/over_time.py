"""Charts of when cramps happen: over time, by hour, by weekday and hour, monthly medians.

The start time is always recorded; severity may not be. Unrated cramps are a hatched grey
"Not rated" band on top of the over-time bars (they are still cramps on that day) and are left
out of the monthly median severity, which says how many it left out.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from tracker.analysis.aggregates import WEEKDAYS, MedicineMark, MonthlyMedian, OverTime
from tracker.charts.fit import (
    EDGE_IN,
    GAP_IN,
    Candidate,
    axes_box,
    count_label_margin,
    fitted_title,
    integer_ticks,
    legend_columns,
    legend_height,
    line_height,
    points,
    spaced_ticks,
    text_width,
)
from tracker.charts.style import (
    BAND_COLOURS,
    BAND_LABELS,
    CRAMPS_COLOUR,
    NIGHT_LABEL,
    NOT_RATED_LABEL,
    NOT_RECORDED_COLOUR,
    NOT_RECORDED_HATCH,
    NOTE_TOP,
    Table,
    TableRow,
    TipText,
    add_note,
    add_tip,
    current_theme,
    empty,
    margins_of,
    none_rated,
    panel_titles,
    plural,
    prepare,
    set_empty,
    set_margins,
    set_table,
    set_two_panels,
)
from tracker.diary import vocab

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

TickOption = tuple[list[Candidate], tuple[int, ...]]  # candidates and the steps to thin them by
Bucket = tuple[str, int, int, int, int]  # (start, mild, moderate, severe, not rated)


def _bucket_label(key: str, granularity: str, with_year: bool = False) -> str:
    day = date.fromisoformat(key)
    if granularity == "month":
        return day.strftime("%b %Y")
    return f"{day:%b} {day.day}" + (f", {day.year}" if with_year else "")


def _year_ticks(days: list[date]) -> TickOption:
    """The year alone at the first bucket of each year (and at the first bucket shown if
    most of its year is shown)."""
    by_year = [i for i, d in enumerate(days) if i and d.year != days[i - 1].year]
    by_year = ([0] if days[0].month <= 6 else []) + by_year
    return [(i, str(days[i].year), days[i].year) for i in by_year], (1, 2, 5, 10, 20)


def _month_ticks(days: list[date], with_year: bool) -> TickOption:
    """'Mar' (or 'Mar 2025' with the year) at the first bucket of each month."""
    by_month = [i for i, d in enumerate(days) if i == 0 or d.month != days[i - 1].month]
    fmt = "%b %Y" if with_year else "%b"
    return [(i, days[i].strftime(fmt), days[i].month - 1) for i in by_month], (1, 2, 3, 6, 12)


def _day_ticks(days: list[date], with_year: bool) -> TickOption:
    """'Mar 5' (or 'Mar 5, 2025' with the year) at every day."""
    labels = [_bucket_label(d.isoformat(), "day", with_year) for d in days]
    return [(i, labels[i], d.toordinal() - 1) for i, d in enumerate(days)], (1, 2, 7, 14, 28)


def _date_tick_options(days: list[date], granularity: str) -> list[TickOption]:
    """Ways to label buckets starting on ``days``, best first: each a list of candidates
    (index, label, key) for spaced_ticks, and the steps to thin them by.

    Within one calendar year the labels are 'Mar' (or 'Mar 5' for days); once the buckets span
    years each label names its year: 'Mar 2025', 'Mar 5, 2025', or the year alone at the first
    bucket of each year (over three or more years, or where 'Mar 2025' does not fit).
    """
    years = len({d.year for d in days})
    months = _month_ticks(days, years > 1)
    if granularity == "day":
        return [_day_ticks(days, years > 1), months]
    if years >= 3:
        return [_year_ticks(days)]
    return [months, _year_ticks(days)] if years > 1 else [months]


def _date_ticks(
    ax: Axes, days: list[date], granularity: str, bounds: tuple[float, float] | None = None
) -> None:
    """Date labels on the x axis (set its limits first), as many as fit without colliding."""
    options = _date_tick_options(days, granularity)
    for candidates, steps in options:
        spaced_ticks(ax, candidates, steps, bounds=bounds)
        if len(ax.get_xticks()) >= min(2, len(candidates)):
            return
    spaced_ticks(ax, *options[0], bounds=bounds)


def _stacked_bars(
    ax: Axes,
    xs: Sequence[float],
    heights: Sequence[int],
    bottom: Sequence[int],
    width: float,
    colour: str,
    label: str,
    hatch: str | None = None,
) -> None:
    """One band of a stacked bar chart as a single PolyCollection.

    ax.bar makes one Rectangle artist per bar; for a year of days that is a thousand artists
    and most of the time a redraw takes. One collection per band draws the same picture fast.
    """
    from matplotlib.collections import PolyCollection

    half = width / 2
    boxes = [
        [(x - half, b), (x - half, b + h), (x + half, b + h), (x + half, b)]
        for x, h, b in zip(xs, heights, bottom, strict=True)
        if h
    ]
    # A hatch is drawn in the edge colour, so a hatched band gets background-coloured edges of
    # zero width.
    edges = (
        {"edgecolors": current_theme().background, "linewidths": 0, "hatch": hatch}
        if hatch
        else {"edgecolors": "none"}
    )
    ax.add_collection(PolyCollection(boxes, facecolors=colour, label=label, **edges))


def _whole_buckets(buckets: Sequence[Bucket | tuple[str, int, int, int]]) -> list[Bucket]:
    """(start, mild, moderate, severe, not rated); a 4-tuple from older callers has none unrated."""
    return [b if len(b) == 5 else (*b, 0) for b in buckets]


def _room_for_legend(ax: Axes, highest: float, rows: int) -> float:
    """A y limit that keeps bars up to ``highest`` under a legend of ``rows`` at the top."""
    height = axes_box(ax).height
    share = min(0.6, (legend_height(rows) + 0.06) / height)
    return highest / (1 - share) + 0.5


# The bands stacked from the bottom up: (index in a bucket, colour, label, hatch).
_STACK = (
    *(
        (1 + i, BAND_COLOURS[band], BAND_LABELS[band], None)
        for i, band in enumerate(vocab.SEVERITY_BANDS)
    ),
    (4, NOT_RECORDED_COLOUR, NOT_RATED_LABEL, NOT_RECORDED_HATCH),
)


def _severity_stack(ax: Axes, buckets: list[Bucket], not_rated: int) -> list[int]:
    """The bars stacked by band (a 'Not rated' band on top if any); returns their heights."""
    xs = list(range(len(buckets)))
    bottom = [0] * len(buckets)
    width = 0.85 if len(buckets) <= 120 else 1.0
    for index, colour, label, hatch in _STACK:
        if index == 4 and not not_rated:
            continue
        heights = [int(b[index]) for b in buckets]
        _stacked_bars(ax, xs, heights, bottom, width, colour, label, hatch)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    return bottom


def _over_time_tip(buckets: list[Bucket], granularity: str, with_year: bool) -> TipText:
    def tip(x: float, _y: float) -> str | None:
        i = int(round(x))
        if not 0 <= i < len(buckets):
            return None
        key, mild, moderate, severe, unrated = buckets[i]
        when = _bucket_label(key, granularity, with_year)
        also = f", {unrated} not rated" if unrated else ""
        return (
            f"{granularity.title()} of {when}: "
            f"{plural(mild + moderate + severe + unrated)} "
            f"({mild} mild, {moderate} moderate, {severe} severe{also})"
        )

    return tip


def _over_time_table(buckets: list[Bucket], not_rated: int) -> Table:
    headers = ["Starting", "Mild", "Moderate", "Severe"]
    if not_rated:
        return [*headers, NOT_RATED_LABEL, "All"], [(*b, sum(b[1:])) for b in buckets]
    return [*headers, "All"], [(*b[:4], sum(b[1:])) for b in buckets]


def _legend_on_top(ax: Axes, highest: float) -> None:
    """The bands' legend in the top left, with room for it above bars up to ``highest``."""
    # As many legend entries in a row as the width takes (the PDF's half-page chart is narrow).
    _handles, labels = ax.get_legend_handles_labels()
    columns, rows = legend_columns(labels, axes_box(ax).width)
    ax.set_ylim(0, _room_for_legend(ax, highest, rows))
    ax.legend(loc="upper left", fontsize="small", frameon=False, ncols=columns)


_X_LABELS = {"day": "Date", "week": "Week starting", "month": "Month"}


def over_time_figure(
    over_time: OverTime, fig: Figure | None = None, medicines: Sequence[MedicineMark] = ()
) -> Figure:
    """Episodes per day, week or month, stacked by severity band (unrated cramps on top); a
    line at each medicine's start (solid) and stop (dashed) within the range, named above."""
    title = f"Episodes per {over_time.granularity}, by severity"
    fig = prepare(fig)
    set_empty(fig, False)
    buckets = _whole_buckets(over_time.buckets)
    if not buckets or not any(sum(b[1:]) for b in buckets):
        return empty(fig, title)
    not_rated = sum(b[4] for b in buckets)
    highest = max(sum(b[1:]) for b in buckets)
    events = _medicine_events(buckets, over_time.granularity, medicines)
    notes = []
    if not_rated:
        notes.append(f"{plural(not_rated)} with no severity recorded shown as '{NOT_RATED_LABEL}'")
    set_margins(
        fig,
        left=count_label_margin(highest * 2 + 1),
        top=NOTE_TOP if not_rated or events else None,
    )
    ax = fig.add_subplot()
    bottom = _severity_stack(ax, buckets, not_rated)
    days = [date.fromisoformat(b[0]) for b in buckets]
    with_year = len({d.year for d in days}) > 1
    add_tip(fig, ax, _over_time_tip(buckets, over_time.granularity, with_year))
    ax.set_xlim(-0.6, len(buckets) - 0.4)
    names = _place_names(fig, ax, events)
    if events:
        unnamed = f" ({names[2]} not named: crowded)" if names[2] else ""
        notes.append(f"medicines: solid line started, dashed stopped{unnamed}")
    title_pad = 6.0
    if notes:
        title_pad = add_note(ax, "; ".join(notes))
    fitted_title(ax, title, on_figure=True, pad=title_pad)
    if events:
        _medicine_lines(fig, ax, events, names, title, title_pad)
    _date_ticks(ax, days, over_time.granularity)
    ax.set_xlabel(_X_LABELS[over_time.granularity])
    ax.set_ylabel("Episodes (count)")
    integer_ticks(ax.yaxis)
    _legend_on_top(ax, max(bottom))
    ax.spines[["top", "right"]].set_visible(False)
    if not events:
        set_table(fig, *_over_time_table(buckets, not_rated))
    else:
        headers, rows = _over_time_table(buckets, not_rated)
        changes = [(when, f"{name} {kind}") for _x, when, name, kind in events]
        set_table(fig, [*headers, "Medicines"], _with_changes(buckets, rows, changes))
    return fig


def _with_changes(
    buckets: list[Bucket], rows: list[TableRow], changes: list[tuple[str, str]]
) -> list[TableRow]:
    """The table's rows with a last column naming the medicine changes in each bucket."""
    starts = [b[0] for b in buckets]
    named: dict[int, list[str]] = {}
    for when, what in changes:
        named.setdefault(bisect_right(starts, when) - 1, []).append(what)
    return [(*row, "; ".join(named.get(i, []))) for i, row in enumerate(rows)]


# ----------------------------------------------------------------- medicine markers
MARKER_ROWS = 2  # rows of names above the chart; names that fit in neither are counted
MARKER_NAME_MAX_IN = 1.6  # a longer name is shortened with an ellipsis
Event = tuple[float, str, str, str]  # (x, ISO date, name, "started" or "stopped")


def _bucket_end(start: date, granularity: str) -> date:
    if granularity == "day":
        return start + timedelta(days=1)
    if granularity == "week":
        return start + timedelta(days=7)
    return date(start.year + start.month // 12, start.month % 12 + 1, 1)


def _medicine_events(
    buckets: list[Bucket], granularity: str, medicines: Sequence[MedicineMark]
) -> list[Event]:
    """Each start and stop within the buckets, at its place on the x axis (bucket i spans
    i - 0.5 .. i + 0.5, a day at its share of it), in date order."""
    starts = [date.fromisoformat(b[0]) for b in buckets]
    end = _bucket_end(starts[-1], granularity)
    events: list[Event] = []
    for mark in medicines:
        for when, kind in ((mark.started_on, "started"), (mark.stopped_on, "stopped")):
            if when is None:
                continue
            day = date.fromisoformat(when)
            if not starts[0] <= day < end:
                continue
            i = bisect_right(starts, day) - 1
            span = (_bucket_end(starts[i], granularity) - starts[i]).days
            x = i - 0.5 + ((day - starts[i]).days + 0.5) / span
            events.append((x, when, mark.name, kind))
    return sorted(events)


def _short_name(name: str, size: float) -> str:
    if text_width(name, size) <= MARKER_NAME_MAX_IN:
        return name
    while len(name) > 1 and text_width(name + "\u2026", size) > MARKER_NAME_MAX_IN:
        name = name[:-1]
    return name.rstrip() + "\u2026"


Placement = tuple[list[tuple[int, float, str]], int, int]  # (row, left, text), rows, unnamed


def _place_names(fig: Figure, ax: Axes, events: list[Event]) -> Placement:
    """Where each event's name goes in the rows above the axes (inches from the left): centred
    on its line, kept inside the figure, in the first row where it overlaps no other name.
    Names that fit in no row are left out (counted): crowded changes never overprint."""
    size = points("small")
    box = axes_box(ax)
    low, high = ax.get_xlim()
    right_edge = fig.get_figwidth() - EDGE_IN
    rows_end: list[float] = []
    placed: list[tuple[int, float, str]] = []
    unnamed = 0
    for x, _when, name, _kind in events:
        text = _short_name(name, size)
        width = text_width(text, size)
        centre = box.x0 + (x - low) / (high - low) * box.width
        left = min(max(centre - width / 2, EDGE_IN), right_edge - width)
        for row in range(MARKER_ROWS):
            if row == len(rows_end):
                rows_end.append(-1.0)
            if left >= rows_end[row] + GAP_IN:
                rows_end[row] = left + width
                placed.append((row, left, text))
                break
        else:
            unnamed += 1
    return placed, len(rows_end), unnamed


def _medicine_lines(
    fig: Figure, ax: Axes, events: list[Event], names: Placement, title: str, pad: float
) -> None:
    """A vertical line per event and the names placed above the axes; the title and its note
    move up by the rows of names."""
    from matplotlib.transforms import ScaledTranslation

    theme = current_theme()
    for x, _when, _name, kind in events:
        ax.axvline(
            x,
            color=theme.lines,
            linewidth=1.1,
            linestyle="-" if kind == "started" else "--",
            zorder=1.5,
        )
    placed, rows, _unnamed = names
    band = rows * line_height("small")
    margins = margins_of(fig)
    set_margins(fig, **{**margins, "top": margins["top"] + band})
    box = axes_box(ax)
    for row, left, text in placed:
        ax.text(
            left,
            box.y1 + 0.03 + row * line_height("small"),
            text,
            transform=fig.dpi_scale_trans,
            ha="left",
            va="bottom",
            fontsize="small",
            color=theme.text,
        )
    lift = ScaledTranslation(0, band, fig.dpi_scale_trans)
    for note in ax.texts:
        if note.get_fontstyle() == "italic":  # the note under the title (style.add_note)
            note.set_transform(note.get_transform() + lift)
    fitted_title(ax, title, on_figure=True, pad=pad + band * 72)


def _shade_night(ax: Axes) -> Rectangle:
    """Shaded bands behind the night hours (22:00-05:59), named in the legend."""
    shade = current_theme().night_shade
    morning, evening = vocab.NIGHT_END_HOUR - 0.5, vocab.NIGHT_START_HOUR - 0.5
    band = ax.axvspan(-0.5, morning, color=shade, zorder=0, linewidth=0, label=NIGHT_LABEL)
    ax.axvspan(evening, 23.5, color=shade, zorder=0, linewidth=0)
    return band


def time_of_day_figure(hours: list[int], fig: Figure | None = None) -> Figure:
    """24 bars on the local wall clock; the night hours are shaded."""
    title = "Time of day the cramp started"
    fig = prepare(fig)
    set_empty(fig, False)
    if not sum(hours):
        return empty(fig, title)
    set_margins(fig, left=count_label_margin(max(hours) * 2 + 1))
    ax = fig.add_subplot()
    night = _shade_night(ax)
    bars = ax.bar(range(24), hours, width=0.8, color=CRAMPS_COLOUR, zorder=2)
    total = sum(hours)
    for h, (bar, n) in enumerate(zip(bars, hours, strict=True)):
        add_tip(
            fig, bar, f"{h:02d}:00-{h:02d}:59: {plural(n)} ({round(100 * n / total)}% of {total})"
        )
    ax.set_xlim(-0.5, 23.5)
    spaced_ticks(ax, [(h, f"{h:02d}:00", h // 3) for h in range(0, 24, 3)], steps=(1, 2, 4))
    ax.set_ylim(0, _room_for_legend(ax, max(hours), 1))
    fitted_title(ax, title, on_figure=True)
    ax.set_xlabel("Local time (hour)")
    ax.set_ylabel("Episodes (count)")
    integer_ticks(ax.yaxis)
    ax.legend([night], [NIGHT_LABEL], loc="upper center", fontsize="small", frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    set_table(
        fig,
        ["Hour", "Episodes", "Night"],
        [(f"{h:02d}:00", n, "yes" if vocab.is_night_hour(h) else "") for h, n in enumerate(hours)],
    )
    return fig


def _weekday_hour_tip(matrix: list[list[int]]) -> TipText:
    def tip(x: float, y: float) -> str | None:
        hour, day = int(round(x)), int(round(y))
        if 0 <= hour < 24 and 0 <= day < 7:
            return f"{WEEKDAYS[day]} {hour:02d}:00-{hour:02d}:59: {plural(matrix[day][hour])}"
        return None

    return tip


def weekday_hour_figure(matrix: list[list[int]], fig: Figure | None = None) -> Figure:
    """Heat map: day of the week (rows, Monday first) by local hour (columns)."""
    title = "Day of week by time of day"
    fig = prepare(fig)
    set_empty(fig, False)
    if not any(any(row) for row in matrix):
        return empty(fig, title)
    set_margins(fig, left=0.8, right=0.7, top=0.55)
    ax = fig.add_subplot()
    image = ax.imshow(
        matrix,
        aspect="auto",
        cmap=current_theme().cmap(),
        interpolation="nearest",
        origin="upper",
        extent=(-0.5, 23.5, 6.5, -0.5),
    )
    colorbar = fig.colorbar(image, ax=ax, pad=0.01)
    colorbar.set_label("Episodes (count)")
    integer_ticks(colorbar.ax.yaxis)
    night = current_theme().night_text
    morning, evening = vocab.NIGHT_END_HOUR - 0.5, vocab.NIGHT_START_HOUR - 0.5
    for x in (morning, evening):
        ax.axvline(x, color=night, linewidth=1.2, linestyle="--")
    for x in ((-0.5 + morning) / 2, (evening + 23.5) / 2):  # the middle of each night band
        ax.text(x, -0.6, "night", ha="center", va="bottom", fontsize="small", color=night)
    ax.set_yticks(range(7), WEEKDAYS)
    ax.set_xticks(range(0, 24, 3), [f"{h:02d}" for h in range(0, 24, 3)])
    ax.set_title(title, pad=14)
    ax.set_xlabel("Local time (hour)")
    ax.set_ylabel("Day of week")
    add_tip(fig, ax, _weekday_hour_tip(matrix))
    set_table(
        fig,
        ["Day", *[f"{h:02d}" for h in range(24)]],
        [(WEEKDAYS[d], *matrix[d]) for d in range(7)],
    )
    return fig


def _month_label(month: str) -> str:
    return date.fromisoformat(month + "-01").strftime("%b %Y")  # "Dec 25" would read as a day


MARGINS_LEFT_RIGHT = (0.65, 0.2)


def _median_tip(
    monthly: list[MonthlyMedian],
    values: list[float],
    unit: str,
    counted: Callable[[MonthlyMedian], int],
) -> TipText:
    """The tooltip of a monthly median: the month's median of how many cramps."""

    def tip(x: float, _y: float) -> str | None:
        i = int(round(x))
        if 0 <= i < len(monthly):
            m = monthly[i]
            if math.isnan(values[i]):
                return f"{_month_label(m.month)}: none of {plural(m.count)} rated"
            median = f"{_month_label(m.month)}: median {values[i]:g}{unit}"
            return f"{median} of {plural(counted(m))}"
        return None

    return tip


def _month_axes(fig: Figure, axes: tuple[Axes, Axes], monthly: list[MonthlyMedian]) -> None:
    """Month labels, grid and spines of the two axes side by side."""
    months = [date.fromisoformat(m.month + "-01") for m in monthly]
    width = fig.get_figwidth()
    for ax in axes:
        ax.set_xlim(-0.5, len(monthly) - 0.5)
        box = axes_box(ax)
        # Each axes' labels stay under it, clear of the other's tick labels.
        bounds = (EDGE_IN, box.x1 + 0.1) if ax is axes[0] else (box.x0 - 0.1, width - EDGE_IN)
        _date_ticks(ax, months, "month", bounds)
        ax.set_xlabel("Month")
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="y", color=current_theme().grid, linewidth=0.6)


def _severity_text(m: MonthlyMedian) -> str:
    return "not rated" if math.isnan(m.median_severity) else f"{m.median_severity:g}"


def _monthly_table(monthly: list[MonthlyMedian], not_rated: int) -> Table:
    rows: list[TableRow]
    if not_rated:
        rows = [
            (m.month, m.count, m.not_rated, _severity_text(m), f"{m.median_duration_s:g}")
            for m in monthly
        ]
        return ["Month", "Episodes", "Not rated", "Median severity", "Median duration (s)"], rows
    rows = [(m.month, m.count, _severity_text(m), f"{m.median_duration_s:g}") for m in monthly]
    return ["Month", "Episodes", "Median severity", "Median duration (s)"], rows


def monthly_trend_figure(monthly: list[MonthlyMedian], fig: Figure | None = None) -> Figure:
    """Median severity and median duration per month: is it getting better or worse?"""
    title = "Monthly medians"
    fig = prepare(fig)
    set_empty(fig, False)
    if not monthly:
        return empty(fig, title)
    not_rated = sum(m.not_rated for m in monthly)
    xs = list(range(len(monthly)))
    sev = [m.median_severity for m in monthly]
    dur = [m.median_duration_s for m in monthly]
    top_duration = max(dur) * 1.2 + 1
    # The gap between the two axes holds the duration axis's tick labels and its label.
    left, right = MARGINS_LEFT_RIGHT
    gap = count_label_margin(top_duration) + 0.15
    set_two_panels(fig, left, gap, right, top=NOTE_TOP if not_rated else None)
    ax_sev, ax_dur = fig.subplots(1, 2)
    # Lines of all cramps in the month, whatever their severity: the cramps colour.
    ax_sev.plot(xs, sev, marker="o", color=CRAMPS_COLOUR, markersize=4)
    ax_dur.plot(xs, dur, marker="s", color=CRAMPS_COLOUR, markersize=4)
    ax_sev.set_ylim(0, 10.5)
    ax_dur.set_ylim(0, top_duration)
    note = f"of rated cramps; {not_rated} not rated" if not_rated else None
    panel_titles(ax_sev, ax_dur, ("Median severity", "Median duration"), note)
    if all(math.isnan(s) for s in sev):
        none_rated(ax_sev)
    ax_sev.set_ylabel("Severity (0-10)")
    ax_dur.set_ylabel("Duration (seconds)")
    _month_axes(fig, (ax_sev, ax_dur), monthly)
    add_tip(fig, ax_sev, _median_tip(monthly, sev, "", lambda m: m.count - m.not_rated))
    add_tip(fig, ax_dur, _median_tip(monthly, dur, " s", lambda m: m.count))
    set_table(fig, *_monthly_table(monthly, not_rated))
    return fig
