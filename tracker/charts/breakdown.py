"""Charts of the situation at onset: activity, footwear, hydration, body site, severity and
duration, and relief.

Cramps that left a field "not recorded" are missing, not a category: every percentage is of the
cramps that recorded the field, a note under the title says how many did not (and the numbers
table has a "Not recorded" row that takes no share). Where bars are plain counts of a second
dimension (the side of each site) a hatched grey "Not recorded" segment keeps the count whole.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from tracker.analysis.aggregates import DURATION_BINS
from tracker.charts.fit import (
    EDGE_IN,
    bar_end_room,
    category_font_size,
    count_label_margin,
    count_ticks,
    fitted_title,
    integer_ticks,
    legend_below,
    legend_columns,
    legend_height,
    points,
    spaced_ticks,
)
from tracker.charts.style import (
    BAND_COLOURS,
    BAND_LABELS,
    CRAMPS_COLOUR,
    EFFECT_COLOURS,
    EFFECT_LABELS,
    EMPTY_TEXT,
    MARGINS,
    NOT_RECORDED_COLOUR,
    NOT_RECORDED_HATCH,
    NOTE_TOP,
    SIDE_COLOURS,
    TIGHT_COLOUR,
    TIGHT_HATCH,
    TIGHT_LABEL,
    Table,
    TableRow,
    add_note,
    add_tip,
    current_theme,
    empty,
    label_margin,
    margins_of,
    none_rated,
    none_recorded_text,
    panel_titles,
    plural,
    prepare,
    set_empty,
    set_margins,
    set_table,
    set_two_panels,
)
from tracker.diary import vocab
from tracker.diary.episode import NOT_RECORDED

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.container import BarContainer
    from matplotlib.figure import Figure

SideCounts = Mapping[str | None, int]  # cramps at a site by side; None: side not recorded

SIDE_NOT_RECORDED = "Side not recorded"
SITE_NOT_RECORDED = "Site not recorded"
NO_SHARE = "–"  # the share column of a "Not recorded" row: it is in no percentage


def shares_note(recorded: int, not_recorded: int, what: str) -> str:
    """'Shares of the 3 with hydration recorded; 3 not recorded' (short: it must fit a line)."""
    return f"Shares of the {recorded:,} with {what} recorded; {not_recorded:,} not recorded"


def _legend_bottom(fig: Figure, legend_labels: Sequence[str]) -> float | None:
    """Bottom margin (inches) for the tick labels, the axis label and a legend under them."""
    if not legend_labels:
        return None
    _columns, rows = legend_columns(legend_labels, fig.get_figwidth() - 2 * EDGE_IN)
    return MARGINS[3] + legend_height(rows)


def _category_axes(
    fig: Figure,
    labels: Sequence[str],
    title: str,
    xlabel: str,
    legend_labels: Sequence[str] = (),
    note: str | None = None,
) -> tuple[Axes, float]:
    """Horizontal bar axes sized for its category labels, with room under it for a legend of
    ``legend_labels``; returns the axes and the labels' font size (smaller for many rows)."""
    top = NOTE_TOP if note else None
    set_margins(fig, right=0.15, bottom=_legend_bottom(fig, legend_labels), top=top)
    ax = fig.add_subplot()
    fitted_title(ax, title, on_figure=True)
    if note:
        add_note(ax, note)
    size = category_font_size(ax, len(labels))
    set_margins(fig, **{**margins_of(fig), "left": label_margin(labels, size)})
    ax.set_xlabel(xlabel)
    ax.set_yticks(range(len(labels)), labels, fontsize=size)
    ax.invert_yaxis()  # first category on top
    ax.spines[["top", "right"]].set_visible(False)
    return ax, size


def _small(size: float) -> float:
    """The font size of numbers next to bars: 'small', or the category labels' if smaller."""
    return min(points("small"), size)


def _share(n: int, total: int) -> str:
    return f"{round(100 * n / total)}%"


def _count_label(
    ax: Axes, bars: BarContainer, counts: Sequence[int], total: int, size: float
) -> list[str]:
    labels = [f"{n} ({_share(n, total)})" if n else "" for n in counts]
    ax.bar_label(bars, labels, padding=3, fontsize=_small(size))
    return labels


def _none_recorded(fig: Figure, title: str, what: str, not_recorded: int, table: Table) -> Figure:
    """The empty state of a chart with nothing to draw: no cramps at all, or ``not_recorded``
    cramps that did not record ``what`` (then ``table`` says how many)."""
    if not not_recorded:
        return empty(fig, title)
    set_table(fig, *table)
    return empty(fig, title, none_recorded_text(what, not_recorded))


def category_figure(
    counts: dict[str, int],
    vocabulary: Mapping[str, str],
    title: str,
    fig: Figure | None = None,
    colour: str = CRAMPS_COLOUR,
    not_recorded: int = 0,
    what: str = "this",
) -> Figure:
    """Horizontal bars for one single-choice field (activity at onset, hydration, ...).

    ``counts`` holds recorded values only; ``not_recorded`` cramps are named in a note and a
    table row, never drawn as a category or counted in a share.
    """
    fig = prepare(fig)
    set_empty(fig, False)
    total = sum(counts.values())
    headers = ["Category", "Episodes", "Share"]
    missing_row: list[TableRow] = [(NOT_RECORDED, not_recorded, NO_SHARE)] if not_recorded else []
    if not total:
        return _none_recorded(fig, title, what.capitalize(), not_recorded, (headers, missing_row))
    codes = list(counts)
    labels = [vocab.label(vocabulary, c) for c in codes]
    note = shares_note(total, not_recorded, what) if not_recorded else None
    ax, size = _category_axes(fig, labels, title, "Episodes (count)", note=note)
    values = [counts[c] for c in codes]
    bars = ax.barh(range(len(codes)), values, color=colour, height=0.7)
    texts = _count_label(ax, bars, values, total, size)
    ax.set_xlim(0, bar_end_room(ax, values, texts, _small(size)))
    count_ticks(ax)
    for bar, label_text, n in zip(bars, labels, values, strict=True):
        add_tip(fig, bar, f"{label_text}: {n} of {total}")
    rows: list[TableRow] = [
        (lab, n, _share(n, total)) for lab, n in zip(labels, values, strict=True)
    ]
    set_table(fig, headers, rows + missing_row)
    return fig


def activity_figure(
    activity: dict[str, int], fig: Figure | None = None, not_recorded: int = 0
) -> Figure:
    return category_figure(
        activity,
        vocab.ACTIVITIES,
        "What you were doing when it started",
        fig,
        not_recorded=not_recorded,
        what="activity",
    )


def hydration_figure(
    hydration: dict[str, int], fig: Figure | None = None, not_recorded: int = 0
) -> Figure:
    return category_figure(
        hydration,
        vocab.HYDRATION,
        "How hydrated you felt",
        fig,
        not_recorded=not_recorded,
        what="hydration",
    )


def _footwear_note(total: int, not_recorded: int, tight_only: int) -> str | None:
    if not not_recorded:
        return None
    note = shares_note(total, not_recorded, "footwear")
    return note + (f" ({tight_only:,} marked tight)" if tight_only else "")


def _footwear_bars(ax: Axes, fit: list[int], tight: list[int]) -> tuple[BarContainer, BarContainer]:
    """The cramps in well-fitting shoes are plain cramps (the cramps colour); the tight ones
    are the one thing named in the legend. White stripes show on a light and a dark
    background."""
    bars_fit = ax.barh(range(len(fit)), fit, color=CRAMPS_COLOUR, height=0.7)
    bars_tight = ax.barh(
        range(len(fit)),
        tight,
        left=fit,
        color=TIGHT_COLOUR,
        height=0.7,
        hatch=TIGHT_HATCH,
        edgecolor="white",
        linewidth=0,
        label=TIGHT_LABEL,
    )
    return bars_fit, bars_tight


def footwear_figure(
    footwear: dict[str, tuple[int, int]],
    fig: Figure | None = None,
    not_recorded: int = 0,
    tight_only: int = 0,
) -> Figure:
    """Footwear at onset, with tight or ill-fitting shoes as their own stacked segment.

    ``not_recorded`` cramps had no shoe type; ``tight_only`` of them were still marked tight.
    Both are in the note and the table, not in the bars or shares of shoe types.
    """
    title = "Footwear at onset"
    fig = prepare(fig)
    set_empty(fig, False)
    total = sum(a + b for a, b in footwear.values())
    headers = ["Footwear", "Fitting well", "Tight", "All", "Share"]
    missing_row: list[TableRow] = [(NOT_RECORDED, NO_SHARE, tight_only, not_recorded, NO_SHARE)]
    missing_row = missing_row if not_recorded else []
    if not total:
        return _none_recorded(fig, title, "Footwear", not_recorded, (headers, missing_row))
    codes = list(footwear)
    labels = [vocab.label(vocab.FOOTWEAR, c) for c in codes]
    note = _footwear_note(total, not_recorded, tight_only)
    fit = [footwear[c][0] for c in codes]
    tight = [footwear[c][1] for c in codes]
    legend_labels = [TIGHT_LABEL] if any(tight) else []
    ax, size = _category_axes(fig, labels, title, "Episodes (count)", legend_labels, note)
    bars_fit, bars_tight = _footwear_bars(ax, fit, tight)
    sums = [a + b for a, b in zip(fit, tight, strict=True)]
    texts = _count_label(ax, bars_tight, sums, total, size)
    ax.set_xlim(0, bar_end_room(ax, sums, texts, _small(size)))
    count_ticks(ax)
    if legend_labels:
        legend_below(ax)
    for lab, bar_f, bar_t, f, t in zip(labels, bars_fit, bars_tight, fit, tight, strict=True):
        add_tip(fig, bar_f, f"{lab}: {f} fitting well")
        add_tip(fig, bar_t, f"{lab}: {t} tight or ill-fitting")
    rows: list[TableRow] = [
        (lab, f, t, f + t, _share(f + t, total))
        for lab, f, t in zip(labels, fit, tight, strict=True)
    ]
    set_table(fig, headers, rows + missing_row)
    return fig


def _site_codes(sites: Mapping[str, SideCounts]) -> list[str]:
    """The sites with cramps: the vocabulary's in its order, then any unknown codes."""
    codes = [c for c in vocab.SITES if c in sites and sum(sites[c].values()) != 0]
    return codes + [c for c in sites if c not in vocab.SITES and sum(sites[c].values()) != 0]


def _site_note(site_not_recorded: int, side_not_recorded: int) -> str | None:
    counts = (("site", site_not_recorded), ("side", side_not_recorded))
    notes = [f"{what} not recorded for {plural(n)}" for what, n in counts if n]
    return "; ".join(notes).capitalize() if notes else None


def _side_label(side: str | None) -> str:
    return SIDE_NOT_RECORDED if side is None else vocab.label(vocab.SIDES, side)


def _side_style(side: str | None) -> dict[str, Any]:
    """A side's colour; a hatched grey for cramps whose side was not recorded."""
    if side is None:
        background = current_theme().background
        return {"color": NOT_RECORDED_COLOUR, "hatch": NOT_RECORDED_HATCH, "edgecolor": background}
    return {"color": SIDE_COLOURS[side]}


def _side_bars(
    fig: Figure, ax: Axes, rows: list[tuple[str, SideCounts]], sides: list[str | None]
) -> list[int]:
    """One stacked segment per side on each site's bar; returns each bar's total."""
    left = [0] * len(rows)
    for side in sides:
        values = [counts.get(side, 0) for _label, counts in rows]
        side_label = _side_label(side)
        bars = ax.barh(
            range(len(rows)), values, left=left, height=0.7, label=side_label, **_side_style(side)
        )
        for bar, (lab, _counts), n in zip(bars, rows, values, strict=True):
            if n:
                add_tip(fig, bar, f"{lab}, {side_label.lower()}: {plural(n)}")
        left = [a + b for a, b in zip(left, values, strict=True)]
    return left


def _site_table(
    rows: list[tuple[str, SideCounts]], sides: list[str | None], site_not_recorded: int
) -> Table:
    headers = ["Site", *[vocab.label(vocab.SIDES, s) for s in vocab.SIDES]]
    headers += [SIDE_NOT_RECORDED] if None in sides else []
    table: list[TableRow] = [
        (lab, *[r.get(s, 0) for s in sides], sum(r.values())) for lab, r in rows
    ]
    if site_not_recorded:
        table.append((SITE_NOT_RECORDED, *[NO_SHARE] * len(sides), site_not_recorded))
    return [*headers, "All"], table


def site_side_figure(
    sites: dict[str, dict[str | None, int]],
    toes: dict[str | None, int],
    fig: Figure | None = None,
    site_not_recorded: int = 0,
    side_not_recorded: int = 0,
) -> Figure:
    """Where it hurt, stacked by side; 'Any toe' sums every toe site, counting an episode once.

    An episode naming two sites counts once at each, so the bars can add up to more than the
    number of episodes. A site whose side was not recorded (side key None) gets a hatched grey
    segment, so its bar still counts every cramp there; cramps with no site are only counted in
    the note and the table.
    """
    title = "Where it hurt, by side"
    fig = prepare(fig)
    set_empty(fig, False)
    codes = _site_codes(sites)
    if not codes:
        table: Table = (["Site", "All"], [(SITE_NOT_RECORDED, site_not_recorded)])
        return _none_recorded(fig, title, "Site", site_not_recorded, table)
    rows: list[tuple[str, SideCounts]] = (
        [("Any toe (all toe sites)", toes)] if sum(toes.values()) else []
    )
    rows += [(vocab.label(vocab.SITES, c), sites[c]) for c in codes]
    labels = [r[0] for r in rows]
    note = _site_note(site_not_recorded, side_not_recorded)
    sides: list[str | None] = list(vocab.SIDES)
    if any(r[1].get(None) for r in rows):
        sides.append(None)
    side_labels = [_side_label(s) for s in sides]
    # The side legend sits under the axes: inside, it would cover the bars of a short list.
    ax, size = _category_axes(fig, labels, title, "Episodes (count)", side_labels, note)
    left = _side_bars(fig, ax, rows, sides)
    totals = [f" {n}" for n in left]
    for i, (n, text) in enumerate(zip(left, totals, strict=True)):
        ax.text(n, i, text, va="center", fontsize=_small(size))
    ax.set_xlim(0, bar_end_room(ax, left, totals, _small(size), pad_pt=0))
    count_ticks(ax)
    legend_below(ax)
    set_table(fig, *_site_table(rows, sides, site_not_recorded))
    return fig


def _severity_bars(fig: Figure, ax: Axes, severity: list[int]) -> None:
    """Severity 0-10, each bar in its band's colour."""
    colours = [BAND_COLOURS[vocab.severity_band(s)] for s in range(11)]
    bars = ax.bar(range(11), severity, color=colours, width=0.8)
    for s, (bar, n) in enumerate(zip(bars, severity, strict=True)):
        add_tip(fig, bar, f"Severity {s}: {plural(n)}")
    ax.set_xlim(-0.6, 10.6)
    spaced_ticks(ax, [(s, str(s), s) for s in range(11)], steps=(1, 2, 5, 10))


def _duration_bars(fig: Figure, ax: Axes, durations: list[int]) -> None:
    """Duration bins, labelled at their edges in minutes."""
    labels = [lab for _, lab in DURATION_BINS]
    bars = ax.bar(range(len(durations)), durations, color=CRAMPS_COLOUR, width=0.8)
    for bar, lab, n in zip(bars, labels, durations, strict=True):
        add_tip(fig, bar, f"Lasting {lab}: {plural(n)}")
    ax.set_xlim(-0.6, len(durations) - 0.4)
    edges = [(i + 0.5, f"{upper / 60:g}", i) for i, (upper, _) in enumerate(DURATION_BINS) if upper]
    spaced_ticks(ax, edges, steps=(1, 2))
    ax.set_xlabel("Duration (minutes)")


def _distribution_rows(severity: list[int], durations: list[int], not_rated: int) -> list[TableRow]:
    rows: list[TableRow] = [(f"Severity {s}", n) for s, n in enumerate(severity)]
    rows += [("Severity not rated", not_rated)] if not_rated else []
    labels = [lab for _, lab in DURATION_BINS]
    return rows + [(f"Lasting {lab}", n) for lab, n in zip(labels, durations, strict=True)]


def distribution_figure(
    severity: list[int], durations: list[int], fig: Figure | None = None, not_rated: int = 0
) -> Figure:
    """How severe and how long: two histograms side by side, severity coloured by band.

    ``severity`` counts rated cramps only; the ``not_rated`` ones are named in a note under the
    severity title and in the table but have no bar (duration is always recorded, so that side
    is whole). The duration bins are labelled at their edges, in minutes, which fits a narrow
    card where "30-59 s" under each bar did not.
    """
    from matplotlib.patches import Patch

    title = "Severity and duration"
    fig = prepare(fig)
    set_empty(fig, False)
    if not (sum(severity) or not_rated or sum(durations)):
        return empty(fig, title)
    band_labels = [BAND_LABELS[band] for band in BAND_COLOURS]
    # The gap between the two axes holds the duration axis's tick labels and its label.
    set_two_panels(
        fig,
        left=count_label_margin(max(severity) * 1.2 + 1),
        gap=count_label_margin(max(durations) * 1.2 + 1) + 0.1,
        bottom=_legend_bottom(fig, band_labels),
        top=NOTE_TOP if not_rated else None,
    )
    ax_sev, ax_dur = fig.subplots(1, 2)
    _severity_bars(fig, ax_sev, severity)
    note = f"{not_rated:,} not rated" if not_rated else None
    panel_titles(ax_sev, ax_dur, ("Severity", "Duration"), note)
    if not sum(severity):
        ax_sev.set_ylim(0, 1)
        none_rated(ax_sev)
    ax_sev.set_xlabel("Severity (0-10 scale)")
    ax_sev.set_ylabel("Episodes (count)")
    _duration_bars(fig, ax_dur, durations)
    for ax in (ax_sev, ax_dur):
        integer_ticks(ax.yaxis)
        ax.spines[["top", "right"]].set_visible(False)
    handles = [Patch(facecolor=BAND_COLOURS[band]) for band in BAND_COLOURS]
    legend_below(ax_sev, handles, band_labels)
    set_table(fig, ["Group", "Episodes"], _distribution_rows(severity, durations, not_rated))
    return fig


RATED_EFFECTS = ("yes", "partly", "no")  # "unknown": whether it helped was not recorded


def _effect_bars(
    fig: Figure, ax: Axes, relief: Mapping[str, Mapping[str, int]], methods: list[str]
) -> list[int]:
    """Each method's bar split into the shares of its rated tries by effect; returns the
    number of rated tries of each."""
    labels = [vocab.label(vocab.RELIEF, m) for m in methods]
    left = [0.0] * len(methods)
    rated = [sum(relief[m].get(e, 0) for e in RATED_EFFECTS) for m in methods]
    for effect in RATED_EFFECTS:
        counts = [relief[m].get(effect, 0) for m in methods]
        shares = [100 * c / t if t else 0.0 for c, t in zip(counts, rated, strict=True)]
        bars = ax.barh(
            range(len(methods)),
            shares,
            left=left,
            height=0.7,
            color=EFFECT_COLOURS[effect],
            label=EFFECT_LABELS[effect],
            edgecolor=current_theme().bar_edge,
            linewidth=0.4,
        )
        for bar, lab, c, t in zip(bars, labels, counts, rated, strict=True):
            add_tip(fig, bar, f"{lab}: {EFFECT_LABELS[effect].lower()} {c} of {t} tries")
        left = [a + b for a, b in zip(left, shares, strict=True)]
    return rated


def _tried_methods(relief: Mapping[str, Mapping[str, int]]) -> list[str]:
    """The methods tried at all, most tried first."""
    tried = (m for m in relief if sum(relief[m].values()))
    return sorted(tried, key=lambda m: -sum(relief[m].values()))


def _relief_note(unknown: int) -> str | None:
    if not unknown:
        return None
    return f"Shares of tries where you recorded whether it helped; {unknown:,} not recorded"


def _relief_table(
    relief: Mapping[str, Mapping[str, int]], methods: list[str], labels: list[str]
) -> Table:
    rows: list[TableRow] = [
        (lab, *[relief[m].get(e, 0) for e in (*RATED_EFFECTS, "unknown")], sum(relief[m].values()))
        for lab, m in zip(labels, methods, strict=True)
    ]
    return ["Method", "Helped", "Partly", "Did not", "Not recorded", "Tries"], rows


def relief_figure(
    relief: dict[str, dict[str, int]], fig: Figure | None = None, cramps: int = 0
) -> Figure:
    """For each relief method: share of tries that helped, partly helped or did not.

    The effect is recorded per episode, so when two methods were tried together each gets
    the same effect. Bars are shares so methods compare fairly; "n = tries" says how much
    evidence stands behind each bar. Tries where the effect was not recorded are not in the
    shares (they would read as "did not help"): a note and the table say how many. With
    ``cramps`` in the period but no relief recorded for any, the chart says so.
    """
    title = "Relief: did it help? (share of tries)"
    fig = prepare(fig)
    set_empty(fig, False)
    methods = _tried_methods(relief)
    if not methods:
        return empty(fig, title, none_recorded_text("Relief", cramps) if cramps else EMPTY_TEXT)
    labels = [vocab.label(vocab.RELIEF, m) for m in methods]
    note = _relief_note(sum(relief[m].get("unknown", 0) for m in methods))
    effect_labels = [EFFECT_LABELS[e] for e in RATED_EFFECTS]
    ax, size = _category_axes(fig, labels, title, "Share of tries (%)", effect_labels, note)
    rated = _effect_bars(fig, ax, relief, methods)
    tries = [f"n = {t}" for t in rated]
    for i, text in enumerate(tries):
        ax.text(101, i, text, va="center", fontsize=_small(size))
    ax.set_xlim(0, bar_end_room(ax, [101] * len(tries), tries, _small(size), pad_pt=0))
    ax.set_xticks(range(0, 101, 25))
    legend_below(ax)
    set_table(fig, *_relief_table(relief, methods, labels))
    return fig
