"""Charts of when cramps happen: over time, by hour, by weekday and hour, monthly medians.

The start time is always recorded; severity may not be. Unrated cramps are a hatched grey
"Not rated" band on top of the over-time bars (they are still cramps on that day) and are left
out of the monthly median severity, which says how many it left out.
"""

from __future__ import annotations

import math
from datetime import date

from tracker.aggregates import BANDS, NIGHT_HOURS, WEEKDAYS, MonthlyMedian, OverTime
from tracker.chart_style import (
    BAND_COLOURS,
    BAND_LABELS,
    BLUE,
    NIGHT_SHADE,
    NOT_RATED_LABEL,
    NOT_RECORDED_COLOUR,
    NOT_RECORDED_HATCH,
    NOTE_TOP,
    ORANGE,
    VERMILLION,
    add_note,
    empty,
    plural,
    prepare,
    set_margins,
)


def _bucket_label(key: str, granularity: str) -> str:
    day = date.fromisoformat(key)
    if granularity == "month":
        return day.strftime("%b %Y")
    return f"{day.strftime('%b')} {day.day}"


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
    # A hatch is drawn in the edge colour, so a hatched band gets white edges of zero width.
    edges = (
        {"edgecolors": "white", "linewidths": 0, "hatch": hatch}
        if hatch
        else {"edgecolors": "none"}
    )
    ax.add_collection(PolyCollection(boxes, facecolors=colour, label=label, **edges))


def _whole_buckets(buckets) -> list[tuple[str, int, int, int, int]]:
    """(start, mild, moderate, severe, not rated); a 4-tuple from older callers has none unrated."""
    return [tuple(b) if len(b) == 5 else (*b, 0) for b in buckets]


def over_time_figure(over_time: OverTime, fig=None):
    """Episodes per day, week or month, stacked by severity band (unrated cramps on top)."""
    title = f"Episodes per {over_time.granularity}, by severity"
    fig = prepare(fig)
    fig.cramp_empty = False
    buckets = _whole_buckets(over_time.buckets)
    if not buckets or not any(sum(b[1:]) for b in buckets):
        return empty(fig, title)
    not_rated = sum(b[4] for b in buckets)
    if not_rated:
        set_margins(fig, top=NOTE_TOP)
    ax = fig.add_subplot()
    xs = list(range(len(buckets)))
    bottom = [0] * len(buckets)
    width = 0.85 if len(buckets) <= 120 else 1.0
    for i, band in enumerate(BANDS):
        heights = [b[1 + i] for b in buckets]
        _stacked_bars(ax, xs, heights, bottom, width, BAND_COLOURS[band], BAND_LABELS[band])
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    if not_rated:
        heights = [b[4] for b in buckets]
        _stacked_bars(
            ax, xs, heights, bottom, width, NOT_RECORDED_COLOUR, NOT_RATED_LABEL, NOT_RECORDED_HATCH
        )
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    ax.set_ylim(0, max(bottom) * 1.25 + 0.5)

    def tip(x, _y):
        i = int(round(x))
        if not 0 <= i < len(buckets):
            return None
        key, mild, moderate, severe, unrated = buckets[i]
        when = _bucket_label(key, over_time.granularity)
        also = f", {unrated} not rated" if unrated else ""
        return (
            f"{over_time.granularity.title()} of {when}: "
            f"{plural(mild + moderate + severe + unrated)} "
            f"({mild} mild, {moderate} moderate, {severe} severe{also})"
        )

    fig.cramp_tips.append((ax, tip))
    step = max(1, -(-len(buckets) // 7))  # at most seven date labels, so they never collide
    ticks = xs[::step]
    ax.set_xticks(ticks, [_bucket_label(buckets[i][0], over_time.granularity) for i in ticks])
    ax.set_xlim(-0.6, len(buckets) - 0.4)
    ax.set_title(title)
    if not_rated:
        add_note(ax, f"{plural(not_rated)} with no severity recorded shown as '{NOT_RATED_LABEL}'")
    ax.set_xlabel({"day": "Date", "week": "Week starting", "month": "Month"}[over_time.granularity])
    ax.set_ylabel("Episodes (count)")
    ax.yaxis.get_major_locator().set_params(integer=True)
    # Four entries fit in one row only on a wide figure (the PDF's half-page chart is narrow).
    columns = (4 if fig.get_figwidth() >= 6 else 2) if not_rated else 3
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


def _shade_night(ax, label=True):
    """Grey bands behind the night hours (22:00-05:59) so night is visible at a glance."""
    ax.axvspan(-0.5, 5.5, color=NIGHT_SHADE, zorder=0, linewidth=0)
    ax.axvspan(21.5, 23.5, color=NIGHT_SHADE, zorder=0, linewidth=0)
    if label:
        for x in (2.5, 22.5):
            ax.text(
                x,
                0.97,
                "night",
                transform=ax.get_xaxis_transform(),
                ha="center",
                va="top",
                fontsize="small",
                color="#555577",
            )


def time_of_day_figure(hours: list[int], fig=None):
    """24 bars on the local wall clock; the night hours are shaded."""
    title = "Time of day the cramp started"
    fig = prepare(fig)
    fig.cramp_empty = False
    if not sum(hours):
        return empty(fig, title)
    ax = fig.add_subplot()
    _shade_night(ax)
    colours = [BLUE if h in NIGHT_HOURS else ORANGE for h in range(24)]
    bars = ax.bar(range(24), hours, width=0.8, color=colours, zorder=2)
    total = sum(hours)
    for h, (bar, n) in enumerate(zip(bars, hours, strict=True)):
        fig.cramp_tips.append(
            (bar, f"{h:02d}:00-{h:02d}:59: {plural(n)} ({round(100 * n / total)}% of {total})")
        )
    ax.set_xticks(range(0, 24, 3), [f"{h:02d}:00" for h in range(0, 24, 3)])
    ax.set_xlim(-0.5, 23.5)
    ax.set_ylim(0, max(hours) * 1.2 + 0.5)
    ax.set_title(title)
    ax.set_xlabel("Local time (hour)")
    ax.set_ylabel("Episodes (count)")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)
    fig.cramp_table = (
        ["Hour", "Episodes", "Night"],
        [(f"{h:02d}:00", n, "yes" if h in NIGHT_HOURS else "") for h, n in enumerate(hours)],
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
        cmap="Blues",
        interpolation="nearest",
        origin="upper",
        extent=(-0.5, 23.5, 6.5, -0.5),
    )
    colorbar = fig.colorbar(image, ax=ax, pad=0.01)
    colorbar.set_label("Episodes (count)")
    colorbar.ax.yaxis.get_major_locator().set_params(integer=True)
    for x in (5.5, 21.5):
        ax.axvline(x, color="#555577", linewidth=1.2, linestyle="--")
    ax.text(2.5, -0.6, "night", ha="center", va="bottom", fontsize="small", color="#555577")
    ax.text(22.5, -0.6, "night", ha="center", va="bottom", fontsize="small", color="#555577")
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


def monthly_trend_figure(monthly: list[MonthlyMedian], fig=None):
    """Median severity and median duration per month: is it getting better or worse?"""
    title = "Monthly medians"
    fig = prepare(fig)
    fig.cramp_empty = False
    if not monthly:
        return empty(fig, title)
    not_rated = sum(m.not_rated for m in monthly)
    set_margins(fig, wspace=0.45, top=NOTE_TOP if not_rated else None)
    ax_sev, ax_dur = fig.subplots(1, 2)
    xs = list(range(len(monthly)))
    sev = [m.median_severity for m in monthly]
    dur = [m.median_duration_s for m in monthly]
    ax_sev.plot(xs, sev, marker="o", color=VERMILLION, markersize=4)
    ax_dur.plot(xs, dur, marker="s", color=BLUE, markersize=4)
    ax_sev.set_ylim(0, 10.5)
    ax_dur.set_ylim(0, max(dur) * 1.2 + 1)
    ax_sev.set_title("Median severity per month")
    ax_dur.set_title("Median duration per month")
    if not_rated:
        add_note(ax_sev, f"of rated cramps; {not_rated} not rated")
    if all(math.isnan(s) for s in sev):
        ax_sev.text(
            0.5, 0.5, "None rated", transform=ax_sev.transAxes, ha="center", color="#444444"
        )
    ax_sev.set_ylabel("Severity (0-10)")
    ax_dur.set_ylabel("Duration (seconds)")
    step = max(1, -(-len(monthly) // 4))  # at most four labels: the axes are narrow
    for ax in (ax_sev, ax_dur):
        ax.set_xticks(xs[::step], [_month_label(monthly[i].month) for i in xs[::step]])
        ax.set_xlabel("Month")
        ax.set_xlim(-0.5, len(monthly) - 0.5)
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="y", color="#DDDDDD", linewidth=0.6)

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
