"""Chart figures for Patterns and the doctor summary: aggregated data in, a matplotlib Figure out.

Plain functions with no Qt, so a PDF report can draw the same figures. matplotlib is imported
inside the functions, never at module import, so app start-up does not pay for it. Every
function accepts an existing ``fig`` to draw into (the page reuses its canvases' figures) and
returns the figure with two extra attributes the page reads:

- ``fig.cramp_tips``: (artist, text) pairs, or (axes, callable(x, y) -> text), for tooltips;
- ``fig.cramp_table``: (headers, rows) with the exact numbers behind the chart.

Colours are the Okabe-Ito palette, which stays distinguishable with the common kinds of colour
blindness; the heat map uses cividis for the same reason.
"""

from __future__ import annotations

from datetime import date

from tracker import vocab
from tracker.aggregates import (
    BANDS,
    DURATION_BINS,
    NIGHT_HOURS,
    WEEKDAYS,
    MonthlyMedian,
    OverTime,
)

EMPTY_TEXT = "No episodes in this range"
MAX_SEPARATE_BARS = 40

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
    """Keep these margins (inches) around the axes; None keeps the default for that side."""
    defaults = dict(zip(("left", "right", "top", "bottom"), MARGINS, strict=True))
    given = {"left": left, "right": right, "top": top, "bottom": bottom}
    values = {k: defaults[k] if v is None else v for k, v in given.items()}
    fig.set_layout_engine(_margin_engine_class()(wspace=wspace, **values))


def _label_margin(labels) -> float:
    """Left margin that fits the longest category label of a horizontal bar chart."""
    return max((len(str(label)) for label in labels), default=4) * _CHAR_WIDTH_IN + 0.25


def _prepare(fig, figsize=FIGSIZE):
    if fig is None:
        fig = new_figure(figsize)
    else:
        fig.clear()
    set_margins(fig)
    fig.cramp_tips = []
    fig.cramp_table = ([], [])
    return fig


def _empty(fig, title: str):
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


def _plural(n: int, word: str = "cramp") -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _bucket_label(key: str, granularity: str) -> str:
    day = date.fromisoformat(key)
    if granularity == "month":
        return day.strftime("%b %Y")
    return f"{day.strftime('%b')} {day.day}"


def over_time_figure(over_time: OverTime, fig=None):
    """Episodes per day, week or month, stacked by severity band."""
    title = f"Episodes per {over_time.granularity}, by severity"
    fig = _prepare(fig)
    fig.cramp_empty = False
    buckets = over_time.buckets
    if not buckets or not any(sum(b[1:]) for b in buckets):
        return _empty(fig, title)
    ax = fig.add_subplot()
    xs = list(range(len(buckets)))
    bottom = [0] * len(buckets)
    edges = [x - 0.5 for x in xs] + [len(buckets) - 0.5]
    for i, band in enumerate(BANDS):
        heights = [b[1 + i] for b in buckets]
        top = [b + h for b, h in zip(bottom, heights, strict=True)]
        if len(buckets) <= MAX_SEPARATE_BARS:
            ax.bar(
                xs,
                heights,
                bottom=bottom,
                width=0.85,
                color=BAND_COLOURS[band],
                label=BAND_LABELS[band],
                linewidth=0,
            )
        else:  # one filled outline per band: hundreds of bar rectangles draw slowly
            ax.stairs(
                top,
                edges,
                baseline=bottom,
                fill=True,
                color=BAND_COLOURS[band],
                label=BAND_LABELS[band],
            )
        bottom = top

    def tip(x, _y):
        i = int(round(x))
        if not 0 <= i < len(buckets):
            return None
        key, mild, moderate, severe = buckets[i]
        when = _bucket_label(key, over_time.granularity)
        return (
            f"{over_time.granularity.title()} of {when}: {_plural(mild + moderate + severe)} "
            f"({mild} mild, {moderate} moderate, {severe} severe)"
        )

    fig.cramp_tips.append((ax, tip))
    step = max(1, -(-len(buckets) // 7))  # at most seven date labels, so they never collide
    ticks = xs[::step]
    ax.set_xticks(ticks, [_bucket_label(buckets[i][0], over_time.granularity) for i in ticks])
    ax.set_xlim(-0.6, len(buckets) - 0.4)
    ax.set_title(title)
    ax.set_xlabel({"day": "Date", "week": "Week starting", "month": "Month"}[over_time.granularity])
    ax.set_ylabel("Episodes (count)")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="upper left", fontsize="small", frameon=False, ncols=3)
    ax.set_ylim(0, max(bottom) * 1.25 + 0.5)
    ax.spines[["top", "right"]].set_visible(False)
    fig.cramp_table = (
        ["Starting", "Mild", "Moderate", "Severe", "All"],
        [(b[0], b[1], b[2], b[3], sum(b[1:])) for b in buckets],
    )
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
    fig = _prepare(fig)
    fig.cramp_empty = False
    if not sum(hours):
        return _empty(fig, title)
    ax = fig.add_subplot()
    _shade_night(ax)
    colours = [BLUE if h in NIGHT_HOURS else ORANGE for h in range(24)]
    bars = ax.bar(range(24), hours, width=0.8, color=colours, zorder=2)
    total = sum(hours)
    for h, (bar, n) in enumerate(zip(bars, hours, strict=True)):
        fig.cramp_tips.append(
            (bar, f"{h:02d}:00-{h:02d}:59: {_plural(n)} ({round(100 * n / total)}% of {total})")
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
    fig = _prepare(fig)
    fig.cramp_empty = False
    if not any(any(row) for row in matrix):
        return _empty(fig, title)
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
            return f"{WEEKDAYS[day]} {hour:02d}:00-{hour:02d}:59: {_plural(matrix[day][hour])}"
        return None

    fig.cramp_tips.append((ax, tip))
    fig.cramp_table = (
        ["Day", *[f"{h:02d}" for h in range(24)]],
        [(WEEKDAYS[d], *matrix[d]) for d in range(7)],
    )
    return fig


def _category_axes(fig, labels, title, xlabel, bottom=None):
    set_margins(fig, left=_label_margin(labels), right=0.15, bottom=bottom)
    ax = fig.add_subplot()
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()  # first category on top
    ax.spines[["top", "right"]].set_visible(False)
    ax.xaxis.get_major_locator().set_params(integer=True)
    return ax


def _count_label(ax, bars, counts, total):
    labels = [f"{n} ({round(100 * n / total)}%)" if n else "" for n in counts]
    ax.bar_label(bars, labels, padding=3, fontsize="small")


def category_figure(counts: dict[str, int], vocabulary, title: str, fig=None, colour=BLUE):
    """Horizontal bars for one single-choice field (activity at onset, hydration, ...)."""
    fig = _prepare(fig)
    fig.cramp_empty = False
    total = sum(counts.values())
    if not total:
        return _empty(fig, title)
    codes = list(counts)
    labels = [vocab.label(vocabulary, c) for c in codes]
    ax = _category_axes(fig, labels, title, "Episodes (count)")
    values = [counts[c] for c in codes]
    bars = ax.barh(range(len(codes)), values, color=colour, height=0.7)
    _count_label(ax, bars, values, total)
    ax.set_xlim(0, max(values) * 1.3)
    for bar, label_text, n in zip(bars, labels, values, strict=True):
        fig.cramp_tips.append((bar, f"{label_text}: {n} of {total}"))
    fig.cramp_table = (
        ["Category", "Episodes", "Share"],
        [(lab, n, f"{round(100 * n / total)}%") for lab, n in zip(labels, values, strict=True)],
    )
    return fig


def activity_figure(activity: dict[str, int], fig=None):
    return category_figure(activity, vocab.ACTIVITIES, "What you were doing when it started", fig)


def hydration_figure(hydration: dict[str, int], fig=None):
    return category_figure(hydration, vocab.HYDRATION, "How hydrated you felt", fig, colour=SKY)


def footwear_figure(footwear: dict[str, tuple[int, int]], fig=None):
    """Footwear at onset, with tight or ill-fitting shoes as their own stacked segment."""
    title = "Footwear at onset (tight or ill-fitting shown apart)"
    fig = _prepare(fig)
    fig.cramp_empty = False
    total = sum(a + b for a, b in footwear.values())
    if not total:
        return _empty(fig, title)
    codes = list(footwear)
    labels = [vocab.label(vocab.FOOTWEAR, c) for c in codes]
    ax = _category_axes(fig, labels, title, "Episodes (count)")
    fit = [footwear[c][0] for c in codes]
    tight = [footwear[c][1] for c in codes]
    bars_fit = ax.barh(range(len(codes)), fit, color=BLUE, height=0.7, label="Fitting well")
    bars_tight = ax.barh(
        range(len(codes)),
        tight,
        left=fit,
        color=VERMILLION,
        height=0.7,
        hatch="//",
        edgecolor="white",
        label="Tight or ill-fitting",
    )
    sums = [a + b for a, b in zip(fit, tight, strict=True)]
    _count_label(ax, bars_tight, sums, total)
    ax.set_xlim(0, max(sums) * 1.35)
    ax.legend(loc="lower right", fontsize="small", frameon=False)
    for lab, bar_f, bar_t, f, t in zip(labels, bars_fit, bars_tight, fit, tight, strict=True):
        fig.cramp_tips.append((bar_f, f"{lab}: {f} fitting well"))
        fig.cramp_tips.append((bar_t, f"{lab}: {t} tight or ill-fitting"))
    fig.cramp_table = (
        ["Footwear", "Fitting well", "Tight", "All"],
        [(lab, f, t, f + t) for lab, f, t in zip(labels, fit, tight, strict=True)],
    )
    return fig


def site_side_figure(sites: dict[str, dict[str, int]], toes: dict[str, int], fig=None):
    """Where it hurt, stacked by side; 'Any toe' sums every toe site, counting an episode once.

    An episode naming two sites counts once at each, so the bars can add up to more than the
    number of episodes.
    """
    title = "Where it hurt, by side"
    fig = _prepare(fig)
    fig.cramp_empty = False
    codes = [c for c in vocab.SITES if sum(sites.get(c, {}).values())]
    codes += [c for c in sites if c not in vocab.SITES and sum(sites[c].values())]
    if not codes:
        return _empty(fig, title)
    rows = [("Any toe (all toe sites)", toes)] if sum(toes.values()) else []
    rows += [(vocab.label(vocab.SITES, c), sites[c]) for c in codes]
    labels = [r[0] for r in rows]
    ax = _category_axes(fig, labels, title, "Episodes (count)")
    left = [0] * len(rows)
    for side in vocab.SIDES:
        values = [r[1].get(side, 0) for r in rows]
        bars = ax.barh(
            range(len(rows)),
            values,
            left=left,
            height=0.7,
            color=SIDE_COLOURS[side],
            label=vocab.label(vocab.SIDES, side),
        )
        for bar, lab, n in zip(bars, labels, values, strict=True):
            if n:
                fig.cramp_tips.append(
                    (bar, f"{lab}, {vocab.label(vocab.SIDES, side).lower()}: {_plural(n)}")
                )
        left = [a + b for a, b in zip(left, values, strict=True)]
    for i, n in enumerate(left):
        ax.text(n, i, f" {n}", va="center", fontsize="small")
    ax.set_xlim(0, max(left) * 1.2)
    ax.legend(
        loc="lower right", fontsize="small", frameon=False, title="Side", title_fontsize="small"
    )
    fig.cramp_table = (
        ["Site", *[vocab.label(vocab.SIDES, s) for s in vocab.SIDES], "All"],
        [(lab, *[r.get(s, 0) for s in vocab.SIDES], sum(r.values())) for lab, r in rows],
    )
    return fig


def distribution_figure(severity: list[int], durations: list[int], fig=None):
    """How severe and how long: two histograms side by side, severity coloured by band."""
    title = "Severity and duration"
    fig = _prepare(fig)
    fig.cramp_empty = False
    if not sum(severity):
        return _empty(fig, title)
    set_margins(fig, bottom=0.8, wspace=0.3)
    ax_sev, ax_dur = fig.subplots(1, 2)
    colours = [BAND_COLOURS[vocab.severity_band(s)] for s in range(11)]
    bars = ax_sev.bar(range(11), severity, color=colours, width=0.8)
    for s, (bar, n) in enumerate(zip(bars, severity, strict=True)):
        fig.cramp_tips.append((bar, f"Severity {s}: {_plural(n)}"))
    ax_sev.set_xticks(range(0, 11, 2))
    ax_sev.set_title("Severity")
    ax_sev.set_xlabel("Severity (0-10 scale)")
    ax_sev.set_ylabel("Episodes (count)")
    labels = [lab for _, lab in DURATION_BINS]
    bars = ax_dur.bar(range(len(durations)), durations, color=BLUE, width=0.8)
    for bar, lab, n in zip(bars, labels, durations, strict=True):
        fig.cramp_tips.append((bar, f"Lasting {lab}: {_plural(n)}"))
    short = ["<30\ns", "30-59\ns", "1-2\nmin", "2-5\nmin", "5-10\nmin", "10+\nmin"]
    ax_dur.set_xticks(range(len(durations)), short, fontsize="small")
    ax_dur.set_title("Duration")
    ax_dur.set_xlabel("Duration (seconds or minutes)")
    for ax in (ax_sev, ax_dur):
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.spines[["top", "right"]].set_visible(False)
    rows = [(f"Severity {s}", n) for s, n in enumerate(severity)]
    rows += [(f"Lasting {lab}", n) for lab, n in zip(labels, durations, strict=True)]
    fig.cramp_table = (["Group", "Episodes"], rows)
    return fig


def _month_label(month: str) -> str:
    return date.fromisoformat(month + "-01").strftime("%b %Y")  # "Dec 25" would read as a day


def monthly_trend_figure(monthly: list[MonthlyMedian], fig=None):
    """Median severity and median duration per month: is it getting better or worse?"""
    title = "Monthly medians"
    fig = _prepare(fig)
    fig.cramp_empty = False
    if not monthly:
        return _empty(fig, title)
    set_margins(fig, wspace=0.45)
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
    ax_sev.set_ylabel("Severity (0-10)")
    ax_dur.set_ylabel("Duration (seconds)")
    step = max(1, -(-len(monthly) // 4))  # at most four labels: the axes are narrow
    for ax in (ax_sev, ax_dur):
        ax.set_xticks(xs[::step], [_month_label(monthly[i].month) for i in xs[::step]])
        ax.set_xlabel("Month")
        ax.set_xlim(-0.5, len(monthly) - 0.5)
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="y", color="#DDDDDD", linewidth=0.6)

    def tip_for(values, unit):
        def tip(x, _y):
            i = int(round(x))
            if 0 <= i < len(monthly):
                m = monthly[i]
                return f"{_month_label(m.month)}: median {values[i]:g}{unit} of {_plural(m.count)}"
            return None

        return tip

    fig.cramp_tips.append((ax_sev, tip_for(sev, "")))
    fig.cramp_tips.append((ax_dur, tip_for(dur, " s")))
    fig.cramp_table = (
        ["Month", "Episodes", "Median severity", "Median duration (s)"],
        [(m.month, m.count, f"{m.median_severity:g}", f"{m.median_duration_s:g}") for m in monthly],
    )
    return fig


def relief_figure(relief: dict[str, dict[str, int]], fig=None):
    """For each relief method: share of tries that helped, partly helped or did not.

    The effect is recorded per episode, so when two methods were tried together each gets
    the same effect. Bars are shares so methods compare fairly; "n = tries" says how much
    evidence stands behind each bar.
    """
    title = "Relief: did it help? (share of tries)"
    fig = _prepare(fig)
    fig.cramp_empty = False
    methods = sorted(
        (m for m in relief if sum(relief[m].values())), key=lambda m: -sum(relief[m].values())
    )
    if not methods:
        return _empty(fig, title)
    labels = [vocab.label(vocab.RELIEF, m) for m in methods]
    ax = _category_axes(fig, labels, title, "Share of tries (%)", bottom=0.95)
    left = [0.0] * len(methods)
    tries = [sum(relief[m].values()) for m in methods]
    for effect in ("yes", "partly", "no", "unknown"):
        counts = [relief[m].get(effect, 0) for m in methods]
        if effect == "unknown" and not any(counts):
            continue
        shares = [100 * c / t for c, t in zip(counts, tries, strict=True)]
        bars = ax.barh(
            range(len(methods)),
            shares,
            left=left,
            height=0.7,
            color=EFFECT_COLOURS[effect],
            label=EFFECT_LABELS[effect],
            edgecolor="#666666",
            linewidth=0.4,
        )
        for bar, lab, c, t in zip(bars, labels, counts, tries, strict=True):
            fig.cramp_tips.append((bar, f"{lab}: {EFFECT_LABELS[effect].lower()} {c} of {t} tries"))
        left = [a + b for a, b in zip(left, shares, strict=True)]
    for i, t in enumerate(tries):
        ax.text(101, i, f"n = {t}", va="center", fontsize="small")
    ax.set_xlim(0, 118)
    ax.set_xticks(range(0, 101, 25))
    ax.legend(
        loc="upper center", bbox_to_anchor=(0.45, -0.22), ncols=4, fontsize="small", frameon=False
    )
    fig.cramp_table = (
        ["Method", "Helped", "Partly", "Did not", "Not recorded", "Tries"],
        [
            (lab, *[relief[m].get(e, 0) for e in ("yes", "partly", "no", "unknown")], t)
            for lab, m, t in zip(labels, methods, tries, strict=True)
        ],
    )
    return fig


# (key, title, function of PatternData -> Figure): the order the page shows them in.
CHARTS = (
    ("over_time", "Over time", lambda d, fig=None: over_time_figure(d.over_time, fig)),
    ("time_of_day", "Time of day", lambda d, fig=None: time_of_day_figure(d.hours, fig)),
    ("weekday_hour", "Day and hour", lambda d, fig=None: weekday_hour_figure(d.weekday_hour, fig)),
    ("activity", "Activity", lambda d, fig=None: activity_figure(d.activity, fig)),
    ("footwear", "Footwear", lambda d, fig=None: footwear_figure(d.footwear, fig)),
    ("hydration", "Hydration", lambda d, fig=None: hydration_figure(d.hydration, fig)),
    ("site", "Body site", lambda d, fig=None: site_side_figure(d.sites, d.toes, fig)),
    (
        "distribution",
        "Severity and duration",
        lambda d, fig=None: distribution_figure(d.severity, d.durations, fig),
    ),
    ("monthly", "Monthly trend", lambda d, fig=None: monthly_trend_figure(d.monthly, fig)),
    ("relief", "Relief", lambda d, fig=None: relief_figure(d.relief, fig)),
)
