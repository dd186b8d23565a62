"""Charts of when cramps happen: over time, by hour, by weekday and hour, monthly medians.

The start time is always recorded; severity may not be. Unrated cramps are a hatched grey
"Not rated" band on top of the over-time bars (they are still cramps on that day) and are left
out of the monthly median severity, which says how many it left out.
"""

from __future__ import annotations

import math
from datetime import date

from tracker.analysis.aggregates import WEEKDAYS, MonthlyMedian, OverTime
from tracker.charts.fit import (
    EDGE_IN,
    axes_box,
    count_label_margin,
    fitted_title,
    legend_columns,
    legend_height,
    spaced_ticks,
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
    add_note,
    current_theme,
    empty,
    plural,
    prepare,
    set_margins,
)
from tracker.diary import vocab


def _bucket_label(key: str, granularity: str, with_year: bool = False) -> str:
    day = date.fromisoformat(key)
    if granularity == "month":
        return day.strftime("%b %Y")
    return f"{day:%b} {day.day}" + (f", {day.year}" if with_year else "")


def _date_tick_options(days: list[date], granularity: str) -> list[tuple[list, tuple]]:
    """Ways to label buckets starting on ``days``, best first: each a list of candidates
    (index, label, key) for spaced_ticks, and the steps to thin them by.

    Within one calendar year the labels are 'Mar' (or 'Mar 5' for days); once the buckets span
    years each label names its year: 'Mar 2025', 'Mar 5, 2025', or the year alone at the first
    bucket of each year (over three or more years, or where 'Mar 2025' does not fit).
    """
    years = {d.year for d in days}
    by_year = [i for i, d in enumerate(days) if i and d.year != days[i - 1].year]
    by_year = ([0] if days[0].month <= 6 else []) + by_year  # the first year if mostly shown
    year_labels = ([(i, str(days[i].year), days[i].year) for i in by_year], (1, 2, 5, 10, 20))
    by_month = [i for i, d in enumerate(days) if i == 0 or d.month != days[i - 1].month]
    fmt = "%b %Y" if len(years) > 1 else "%b"
    month_labels = (
        [(i, days[i].strftime(fmt), days[i].month - 1) for i in by_month],
        (1, 2, 3, 6, 12),
    )
    if granularity == "day":
        with_year = len(years) > 1
        labels = [_bucket_label(d.isoformat(), "day", with_year) for d in days]
        day_labels = (
            [(i, labels[i], d.toordinal() - 1) for i, d in enumerate(days)],
            (1, 2, 7, 14, 28),
        )
        return [day_labels, month_labels]
    if len(years) >= 3:
        return [year_labels]
    return [month_labels, year_labels] if len(years) > 1 else [month_labels]


def _date_ticks(ax, days: list[date], granularity: str, bounds=None) -> None:
    """Date labels on the x axis (set its limits first), as many as fit without colliding."""
    options = _date_tick_options(days, granularity)
    for candidates, steps in options:
        spaced_ticks(ax, candidates, steps, bounds=bounds)
        if len(ax.get_xticks()) >= min(2, len(candidates)):
            return
    spaced_ticks(ax, *options[0], bounds=bounds)


def _stacked_bars(ax, xs, heights, bottom, width, colour, label, hatch=None):
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


def _whole_buckets(buckets) -> list[tuple[str, int, int, int, int]]:
    """(start, mild, moderate, severe, not rated); a 4-tuple from older callers has none unrated."""
    return [tuple(b) if len(b) == 5 else (*b, 0) for b in buckets]


def _room_for_legend(ax, highest: float, rows: int) -> float:
    """A y limit that keeps bars up to ``highest`` under a legend of ``rows`` at the top."""
    height = axes_box(ax).height
    share = min(0.6, (legend_height(rows) + 0.06) / height)
    return highest / (1 - share) + 0.5


def over_time_figure(over_time: OverTime, fig=None):
    """Episodes per day, week or month, stacked by severity band (unrated cramps on top)."""
    title = f"Episodes per {over_time.granularity}, by severity"
    fig = prepare(fig)
    fig.cramp_empty = False
    buckets = _whole_buckets(over_time.buckets)
    if not buckets or not any(sum(b[1:]) for b in buckets):
        return empty(fig, title)
    not_rated = sum(b[4] for b in buckets)
    highest = max(sum(b[1:]) for b in buckets)
    set_margins(fig, left=count_label_margin(highest * 2 + 1), top=NOTE_TOP if not_rated else None)
    ax = fig.add_subplot()
    xs = list(range(len(buckets)))
    bottom = [0] * len(buckets)
    width = 0.85 if len(buckets) <= 120 else 1.0
    for i, band in enumerate(vocab.SEVERITY_BANDS):
        heights = [b[1 + i] for b in buckets]
        _stacked_bars(ax, xs, heights, bottom, width, BAND_COLOURS[band], BAND_LABELS[band])
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    if not_rated:
        heights = [b[4] for b in buckets]
        _stacked_bars(
            ax, xs, heights, bottom, width, NOT_RECORDED_COLOUR, NOT_RATED_LABEL, NOT_RECORDED_HATCH
        )
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    days = [date.fromisoformat(b[0]) for b in buckets]
    with_year = len({d.year for d in days}) > 1

    def tip(x, _y):
        i = int(round(x))
        if not 0 <= i < len(buckets):
            return None
        key, mild, moderate, severe, unrated = buckets[i]
        when = _bucket_label(key, over_time.granularity, with_year)
        also = f", {unrated} not rated" if unrated else ""
        return (
            f"{over_time.granularity.title()} of {when}: "
            f"{plural(mild + moderate + severe + unrated)} "
            f"({mild} mild, {moderate} moderate, {severe} severe{also})"
        )

    fig.cramp_tips.append((ax, tip))
    fitted_title(ax, title, on_figure=True)
    if not_rated:
        add_note(ax, f"{plural(not_rated)} with no severity recorded shown as '{NOT_RATED_LABEL}'")
    ax.set_xlim(-0.6, len(buckets) - 0.4)
    _date_ticks(ax, days, over_time.granularity)
    ax.set_xlabel({"day": "Date", "week": "Week starting", "month": "Month"}[over_time.granularity])
    ax.set_ylabel("Episodes (count)")
    ax.yaxis.get_major_locator().set_params(integer=True)
    # As many legend entries in a row as the width takes (the PDF's half-page chart is narrow).
    _handles, labels = ax.get_legend_handles_labels()
    columns, rows = legend_columns(labels, axes_box(ax).width)
    ax.set_ylim(0, _room_for_legend(ax, max(bottom), rows))
    ax.legend(loc="upper left", fontsize="small", frameon=False, ncols=columns)
    ax.spines[["top", "right"]].set_visible(False)
    headers = ["Starting", "Mild", "Moderate", "Severe"]
    if not_rated:
        fig.cramp_table = (
            [*headers, NOT_RATED_LABEL, "All"],
            [(*b, sum(b[1:])) for b in buckets],
        )
    else:
        fig.cramp_table = ([*headers, "All"], [(*b[:4], sum(b[1:])) for b in buckets])
    return fig


def _shade_night(ax):
    """Shaded bands behind the night hours (22:00-05:59), named in the legend."""
    shade = current_theme().night_shade
    morning, evening = vocab.NIGHT_END_HOUR - 0.5, vocab.NIGHT_START_HOUR - 0.5
    band = ax.axvspan(-0.5, morning, color=shade, zorder=0, linewidth=0, label=NIGHT_LABEL)
    ax.axvspan(evening, 23.5, color=shade, zorder=0, linewidth=0)
    return band


def time_of_day_figure(hours: list[int], fig=None):
    """24 bars on the local wall clock; the night hours are shaded."""
    title = "Time of day the cramp started"
    fig = prepare(fig)
    fig.cramp_empty = False
    if not sum(hours):
        return empty(fig, title)
    set_margins(fig, left=count_label_margin(max(hours) * 2 + 1))
    ax = fig.add_subplot()
    night = _shade_night(ax)
    bars = ax.bar(range(24), hours, width=0.8, color=CRAMPS_COLOUR, zorder=2)
    total = sum(hours)
    for h, (bar, n) in enumerate(zip(bars, hours, strict=True)):
        fig.cramp_tips.append(
            (bar, f"{h:02d}:00-{h:02d}:59: {plural(n)} ({round(100 * n / total)}% of {total})")
        )
    ax.set_xlim(-0.5, 23.5)
    spaced_ticks(ax, [(h, f"{h:02d}:00", h // 3) for h in range(0, 24, 3)], steps=(1, 2, 4))
    ax.set_ylim(0, _room_for_legend(ax, max(hours), 1))
    fitted_title(ax, title, on_figure=True)
    ax.set_xlabel("Local time (hour)")
    ax.set_ylabel("Episodes (count)")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend([night], [NIGHT_LABEL], loc="upper center", fontsize="small", frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.cramp_table = (
        ["Hour", "Episodes", "Night"],
        [(f"{h:02d}:00", n, "yes" if vocab.is_night_hour(h) else "") for h, n in enumerate(hours)],
    )
    return fig


def weekday_hour_figure(matrix: list[list[int]], fig=None):
    """Heat map: day of the week (rows, Monday first) by local hour (columns)."""
    title = "Day of week by time of day"
    fig = prepare(fig)
    fig.cramp_empty = False
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
    colorbar.ax.yaxis.get_major_locator().set_params(integer=True)
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

    def tip(x, y):
        hour, day = int(round(x)), int(round(y))
        if 0 <= hour < 24 and 0 <= day < 7:
            return f"{WEEKDAYS[day]} {hour:02d}:00-{hour:02d}:59: {plural(matrix[day][hour])}"
        return None

    fig.cramp_tips.append((ax, tip))
    fig.cramp_table = (
        ["Day", *[f"{h:02d}" for h in range(24)]],
        [(WEEKDAYS[d], *matrix[d]) for d in range(7)],
    )
    return fig


def _month_label(month: str) -> str:
    return date.fromisoformat(month + "-01").strftime("%b %Y")  # "Dec 25" would read as a day


MARGINS_LEFT_RIGHT = (0.65, 0.2)


def monthly_trend_figure(monthly: list[MonthlyMedian], fig=None):
    """Median severity and median duration per month: is it getting better or worse?"""
    title = "Monthly medians"
    fig = prepare(fig)
    fig.cramp_empty = False
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
    each = (fig.get_figwidth() - left - right - gap) / 2
    set_margins(fig, left=left, right=right, wspace=gap / each, top=NOTE_TOP if not_rated else None)
    ax_sev, ax_dur = fig.subplots(1, 2)
    # Lines of all cramps in the month, whatever their severity: the cramps colour.
    ax_sev.plot(xs, sev, marker="o", color=CRAMPS_COLOUR, markersize=4)
    ax_dur.plot(xs, dur, marker="s", color=CRAMPS_COLOUR, markersize=4)
    ax_sev.set_ylim(0, 10.5)
    ax_dur.set_ylim(0, top_duration)
    fitted_title(ax_sev, "Median severity")
    title_dur = fitted_title(ax_dur, "Median duration")
    if not_rated:
        pad = add_note(ax_sev, f"of rated cramps; {not_rated} not rated")
        ax_dur.set_title(title_dur.get_text(), pad=pad, fontsize=title_dur.get_fontsize())
    if all(math.isnan(s) for s in sev):
        ax_sev.text(
            0.5,
            0.5,
            "None rated",
            transform=ax_sev.transAxes,
            ha="center",
            color=current_theme().muted,
        )
    ax_sev.set_ylabel("Severity (0-10)")
    ax_dur.set_ylabel("Duration (seconds)")
    months = [date.fromisoformat(m.month + "-01") for m in monthly]
    width = fig.get_figwidth()
    for ax in (ax_sev, ax_dur):
        ax.set_xlim(-0.5, len(monthly) - 0.5)
        box = axes_box(ax)
        # Each axes' labels stay under it, clear of the other's tick labels.
        bounds = (EDGE_IN, box.x1 + 0.1) if ax is ax_sev else (box.x0 - 0.1, width - EDGE_IN)
        _date_ticks(ax, months, "month", bounds)
        ax.set_xlabel("Month")
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="y", color=current_theme().grid, linewidth=0.6)

    def tip_for(values, unit, counted):
        def tip(x, _y):
            i = int(round(x))
            if 0 <= i < len(monthly):
                m = monthly[i]
                if math.isnan(values[i]):
                    return f"{_month_label(m.month)}: none of {plural(m.count)} rated"
                median = f"{_month_label(m.month)}: median {values[i]:g}{unit}"
                return f"{median} of {plural(counted(m))}"
            return None

        return tip

    fig.cramp_tips.append((ax_sev, tip_for(sev, "", lambda m: m.count - m.not_rated)))
    fig.cramp_tips.append((ax_dur, tip_for(dur, " s", lambda m: m.count)))

    def severity_text(m: MonthlyMedian) -> str:
        return "not rated" if math.isnan(m.median_severity) else f"{m.median_severity:g}"

    if not_rated:
        fig.cramp_table = (
            ["Month", "Episodes", "Not rated", "Median severity", "Median duration (s)"],
            [
                (m.month, m.count, m.not_rated, severity_text(m), f"{m.median_duration_s:g}")
                for m in monthly
            ],
        )
    else:
        fig.cramp_table = (
            ["Month", "Episodes", "Median severity", "Median duration (s)"],
            [(m.month, m.count, severity_text(m), f"{m.median_duration_s:g}") for m in monthly],
        )
    return fig
