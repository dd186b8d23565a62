"""Charts of the situation at onset: activity, footwear, hydration, body site, severity and
duration, and relief."""

from __future__ import annotations

from tracker import vocab
from tracker.aggregates import DURATION_BINS
from tracker.chart_style import (
    BAND_COLOURS,
    BLUE,
    EFFECT_COLOURS,
    EFFECT_LABELS,
    SIDE_COLOURS,
    SKY,
    VERMILLION,
    empty,
    label_margin,
    plural,
    prepare,
    set_margins,
)


def _category_axes(fig, labels, title, xlabel, bottom=None):
    set_margins(fig, left=label_margin(labels), right=0.15, bottom=bottom)
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
    fig = prepare(fig)
    fig.cramp_empty = False
    total = sum(counts.values())
    if not total:
        return empty(fig, title)
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
    fig = prepare(fig)
    fig.cramp_empty = False
    total = sum(a + b for a, b in footwear.values())
    if not total:
        return empty(fig, title)
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
    fig = prepare(fig)
    fig.cramp_empty = False
    codes = [c for c in vocab.SITES if sum(sites.get(c, {}).values())]
    codes += [c for c in sites if c not in vocab.SITES and sum(sites[c].values())]
    if not codes:
        return empty(fig, title)
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
                    (bar, f"{lab}, {vocab.label(vocab.SIDES, side).lower()}: {plural(n)}")
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
    fig = prepare(fig)
    fig.cramp_empty = False
    if not sum(severity):
        return empty(fig, title)
    set_margins(fig, bottom=0.8, wspace=0.3)
    ax_sev, ax_dur = fig.subplots(1, 2)
    colours = [BAND_COLOURS[vocab.severity_band(s)] for s in range(11)]
    bars = ax_sev.bar(range(11), severity, color=colours, width=0.8)
    for s, (bar, n) in enumerate(zip(bars, severity, strict=True)):
        fig.cramp_tips.append((bar, f"Severity {s}: {plural(n)}"))
    ax_sev.set_xticks(range(0, 11, 2))
    ax_sev.set_title("Severity")
    ax_sev.set_xlabel("Severity (0-10 scale)")
    ax_sev.set_ylabel("Episodes (count)")
    labels = [lab for _, lab in DURATION_BINS]
    bars = ax_dur.bar(range(len(durations)), durations, color=BLUE, width=0.8)
    for bar, lab, n in zip(bars, labels, durations, strict=True):
        fig.cramp_tips.append((bar, f"Lasting {lab}: {plural(n)}"))
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


def relief_figure(relief: dict[str, dict[str, int]], fig=None):
    """For each relief method: share of tries that helped, partly helped or did not.

    The effect is recorded per episode, so when two methods were tried together each gets
    the same effect. Bars are shares so methods compare fairly; "n = tries" says how much
    evidence stands behind each bar.
    """
    title = "Relief: did it help? (share of tries)"
    fig = prepare(fig)
    fig.cramp_empty = False
    methods = sorted(
        (m for m in relief if sum(relief[m].values())), key=lambda m: -sum(relief[m].values())
    )
    if not methods:
        return empty(fig, title)
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
