"""The first part of the doctor summary as HTML for Qt's rich text, and its charts as PNG.

Plain strings and bytes, no Qt: the UI lays the HTML out with QTextDocument for preview, print
and PDF alike, so all three are the same document. Only the subset of HTML and CSS that
QTextDocument understands is used (tables for layout, no floats). Every piece of text that a
person typed or that comes from the data is escaped, so a note such as ``<img src=...>`` is
printed as those characters and never loads anything.

Typed text (name, date of birth, questions, profile, notes) cannot change the direction of
the text around it: the bidi controls that could reach outside it (embeddings, overrides and
isolates, U+202A-U+202E and U+2066-U+2069) are removed, so a name typed as U+202E + "evil" can
no longer print the date of birth after it backwards; and a line with right-to-left letters
(Hebrew, Arabic) is put in a bidi isolate (FSI ... PDI), so it keeps its own direction without
pulling its neighbours into its run. Left-to-right text is left without isolates: with no
controls and no right-to-left letter it is laid out the same either way, and the bundled font
has no glyph for FSI/PDI, so Qt would fetch them from a fallback font with a taller line
(measured: 13 instead of 11 px at 7 pt), spacing out every note and question.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable
from datetime import date
from functools import partial
from html import escape
from typing import TYPE_CHECKING, Any

from tracker.diary import vocab
from tracker.diary.episode import format_duration
from tracker.report.data import (
    APPROXIMATE,
    TITLE,
    Comparison,
    ReliefRow,
    ReportData,
    SiteRow,
    made_on_text,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType

ACCENT = "#0b4f8a"
MUTED = "#555555"
RULE = "#b8c4d0"
HEAD_BG = "#e6edf5"
_NIGHT = f"{vocab.NIGHT_START_HOUR:02d}:00-{vocab.NIGHT_END_HOUR:02d}:00"  # 22:00-06:00
_SEVERE = "{}-{}".format(*vocab.SEVERITY_BANDS["severe"])  # 7-10

# Charts on page one: (resource name, figure size in inches). Shown at this size on paper, so
# matplotlib's point sizes are real point sizes.
CHART_SIZE = (3.45, 2.05)
CHART_DPI = 250
CHART_RC: dict[RcKeyType, Any] = {
    "font.size": 7,
    "axes.titlesize": 8,
    "xtick.labelsize": 6.5,
    "ytick.labelsize": 6.5,
    "axes.labelsize": 6.5,
    "font.family": "sans-serif",
}
MAX_TICKS = {"over_time": 5, "time_of_day": 5}
PX_PER_INCH = 96  # QTextDocument measures <img width> in 1/96 inch, whatever the printer

FSI, PDI = "\u2068", "\u2069"  # first-strong isolate (direction from the text) and its end
# Explicit embeddings, overrides (U+202A-U+202E) and isolates (U+2066-U+2069): removed from
# typed text, so nothing in it can open or close a bidi scope around it. Marks (LRM, RLM)
# stay: they only give a neutral character a direction, inside the isolate.
BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


STYLE = f"""
h1 {{ font-size: 17pt; color: {ACCENT}; margin: 0; }}
h2 {{ font-size: 11pt; color: {ACCENT}; margin-top: 10px; margin-bottom: 3px; }}
p {{ margin-top: 0; margin-bottom: 3px; }}
td, th {{ vertical-align: top; }}
.sub {{ color: {MUTED}; }}
.big {{ font-size: 15pt; font-weight: bold; color: #111111; }}
.cap {{ font-size: 7.5pt; color: {MUTED}; }}
.small {{ font-size: 8pt; color: {MUTED}; }}
th {{ background-color: {HEAD_BG}; font-weight: bold; text-align: left; }}
.num {{ text-align: right; }}
.alert {{ color: #7a2000; font-weight: bold; }}
"""


def chart_images(data: ReportData) -> dict[str, bytes]:
    """PNG bytes of the page-one charts at print resolution (the Patterns figures, reused)."""
    if data.empty or not data.includes("charts"):
        return {}
    import matplotlib
    from matplotlib.figure import Figure

    from tracker.charts import catalog as charts
    from tracker.charts.style import themed

    pattern = data.patterns
    if pattern is None:  # a report with episodes always has its patterns
        return {}
    out = {}
    drawings: tuple[tuple[str, Callable[[Figure], Figure]], ...] = (
        ("over_time", partial(charts.over_time_figure, pattern.over_time)),
        ("time_of_day", partial(charts.time_of_day_figure, pattern.hours)),
    )
    with themed("light"), matplotlib.rc_context(CHART_RC):  # paper is white, whatever the app
        for name, draw in drawings:
            fig = draw(Figure(figsize=CHART_SIZE, layout="constrained"))
            _fewer_ticks(fig, MAX_TICKS[name])
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png", dpi=CHART_DPI, facecolor="white")
            out[name] = buffer.getvalue()
    return out


def _fewer_ticks(fig: Figure, most: int) -> None:
    """A chart a third of a page wide has room for fewer date labels than the Patterns page."""
    for ax in fig.axes:
        ticks = list(ax.get_xticks())
        labels = [t.get_text() for t in ax.get_xticklabels()]
        if len(ticks) > most and len(labels) == len(ticks):
            step = -(-len(ticks) // most)
            ax.set_xticks(ticks[::step], labels[::step])


def isolate(text: str) -> str:
    """Plain typed text that cannot change the direction of anything around it.

    Bidi controls are removed; each line with a right-to-left letter becomes an isolate (line
    and paragraph breaks end an isolate, so lines are isolated one by one and joined with
    "\n"). The result is plain text: escape it before putting it in HTML.
    """
    if text.isascii():  # nearly every note: no controls and no right-to-left letter
        return text
    lines = text.translate(BIDI_CONTROLS).splitlines()
    return "\n".join(f"{FSI}{line}{PDI}" if _right_to_left(line) else line for line in lines)


def _right_to_left(line: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL", "AN") for c in line)


def _typed(text: str) -> str:
    """Typed text for HTML: isolated, then escaped."""
    return escape(isolate(text))


def _boxed(padding: int) -> str:
    """Opening tag of a full-width table with thin ruled cells."""
    return (
        f'<table width="100%" cellspacing="0" cellpadding="{padding}" border="1" '
        f'style="border-color: {RULE}; border-style: solid; border-collapse: collapse;">'
    )


def _number(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    text = f"{value:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _cell(big: str, caption: str) -> str:
    return (
        f'<td width="25%" style="padding: 4px 6px;"><span class="big">{escape(big)}</span><br>'
        f'<span class="cap">{escape(caption)}</span></td>'
    )


def _duration(seconds: float | None) -> str:
    return "–" if seconds is None else format_duration(round(seconds))


def _glance_notes(data: ReportData) -> list[str]:
    """The comparison with the previous period and how many start times were approximate."""
    notes = [comparison_text(data.comparison)] if data.comparison is not None else []
    if data.approximate_times:
        n = data.approximate_times
        notes.append(
            f"{n} start time{'s were' if n != 1 else ' was'} given as approximate "
            f"(marked {APPROXIMATE} in the episode table)."
        )
    return notes


def _glance(data: ReportData) -> str:
    total = data.total
    per_week = _number(data.per_week)
    nights = f"{data.nights_affected}"
    duration = _duration(data.median_duration_s) if total else "–"
    longest = _duration(data.longest_duration_s) if total else "–"
    rated = data.severity_rated
    severity = f"{_number(data.median_severity)} / 10" if rated else "–"
    highest = f"{data.highest_severity} / 10" if rated else "–"
    of_rated = ""  # severity figures are of the rated episodes; say so when some were not
    if data.severity_not_rated:
        of_rated = f", of {rated:,} rated; {data.severity_not_rated:,} not rated"
    rows = [
        _cell(f"{total:,}", "episodes in the period")
        + _cell(per_week, "episodes per week")
        + _cell(nights, f"nights affected (of {data.nights_in_period}), {_NIGHT}")
        + _cell(f"{data.severe_count:,}", f"severe episodes ({_SEVERE} of 10){of_rated}"),
        _cell(duration, "median duration")
        + _cell(longest, "longest episode")
        + _cell(severity, f"median severity (0-10 scale){of_rated}")
        + _cell(highest, "highest severity"),
    ]
    table = _boxed(0) + "".join(f"<tr>{r}</tr>" for r in rows) + "</table>"
    for note in _glance_notes(data):
        table += f'<p style="margin-top: 5px;">{escape(note)}</p>'
    return table


def _charts(images: dict[str, bytes]) -> str:
    if not images:
        return ""
    width = round(CHART_SIZE[0] * PX_PER_INCH)
    height = round(CHART_SIZE[1] * PX_PER_INCH)
    cells = "".join(
        f'<td align="center"><img src="chart-{name}.png" width="{width}" height="{height}"></td>'
        for name in images
    )
    return (
        f'<table width="100%" cellspacing="0" cellpadding="2" style="margin-top: 6px;">'
        f"<tr>{cells}</tr></table>"
    )


def _onset(data: ReportData) -> str:
    found = [
        (what, common)
        for what, common in (
            ("Activity", data.activity),
            ("Footwear", data.footwear),
            ("Tight shoes", data.tight),
            ("Hydration", data.hydration),
        )
        if common is not None
    ]
    rows = "".join(
        f'<tr><td width="18%"><b>{escape(what)}</b></td><td>{escape(common.text())}</td></tr>'
        for what, common in found
    )
    out = (
        "<h2>Most common situation when a cramp started</h2>"
        f'<table width="100%" cellspacing="0" cellpadding="1">{rows}</table>'
    )
    if any(common.not_recorded for _, common in found):
        out += (
            '<p class="small">Shares are of the episodes where that detail was recorded; the '
            "patient did not record it for the others.</p>"
        )
    return out + _where(data)


def _head(heads: tuple[str, ...]) -> str:
    """A table's header cells: the first names the rows, the others head numbers."""
    return "".join(
        f'<th class="{"num" if i else ""}">{escape(h)}</th>' for i, h in enumerate(heads)
    )


_SIDE_HEADS = ("Left", "Right", "Both", "Side not recorded")


def _where_row(row: SiteRow, columns: list[int]) -> str:
    numbers = (*(row.by_side[i] for i in columns), row.total)
    cells = "".join(f'<td class="num">{n:,}</td>' for n in numbers)
    return f"<tr><td>{escape(row.label)}</td>{cells}</tr>"


def _where(data: ReportData) -> str:
    """Where the cramps were: episodes per site (rows) and side (columns)."""
    if not data.where:
        return ""
    # the "Side not recorded" column only when some episode left its side out
    columns = [i for i in range(4) if i < 3 or any(row.by_side[i] for row in data.where)]
    head = _head(("Site", *(_SIDE_HEADS[i] for i in columns), "All"))
    body = "".join(_where_row(row, columns) for row in data.where)
    out = f"<h2>Where the cramps were</h2>{_boxed(2)}<thead><tr>{head}</tr></thead>{body}</table>"
    notes = "Episodes per site and side."
    if sum(row.site is not None for row in data.where) > 1:
        notes += " An episode with cramps at several sites counts once under each of them."
    return out + f'<p class="small">{escape(notes)}</p>'


def _by_month(data: ReportData) -> str:
    """The whole period month by month, when the episode table lists only its recent part."""
    if not data.monthly or data.table is None:
        return ""
    head = _head(("Month", "Cramps", "Nights affected", "Median duration", "Median severity"))
    body = "".join(
        f'<tr><td>{escape(row.label)}</td><td class="num">{row.cramps:,}</td>'
        f'<td class="num">{row.nights:,}</td>'
        f'<td class="num">{escape(_duration(row.median_duration_s)) if row.cramps else "–"}</td>'
        f'<td class="num">{_number(row.median_severity) if row.cramps else "–"}</td></tr>'
        for row in data.monthly
    )
    out = f"<h2>Month by month</h2>{_boxed(2)}<thead><tr>{head}</tr></thead>{body}</table>"
    notes = (
        f"{data.table.note()} Median severity is of the cramps rated 0-10; a night counts in "
        "the month it began."
    )
    return out + f'<p class="small">{escape(notes)}</p>'


def _relief(data: ReportData) -> str:
    out = "<h2>Relief tried and how often it helped</h2>"
    if not data.relief:
        return out + "<p>No relief methods were recorded.</p>"
    head = _head(("Method", "Tried", "Helped", "Partly", "Did not help", "Not recorded"))
    body = "".join(_relief_row(r) for r in data.relief)
    out += f"{_boxed(2)}<thead><tr>{head}</tr></thead>{body}</table>"
    notes = "Percentages are of the times each method was tried."
    if data.nothing_tried:
        notes += f" Nothing was tried in {data.nothing_tried} of {data.total} episodes."
    if data.relief_not_recorded:
        notes += f" No relief was recorded for {data.relief_not_recorded} of {data.total} episodes."
    return out + f'<p class="small">{escape(notes)}</p>'


def _relief_row(r: ReliefRow) -> str:
    numbers = (r.tries, r.helped, r.partly, r.not_helped, r.unknown)
    shares = [f"{n}" for n in numbers[:1]] + [
        f"{n} ({round(100 * n / r.tries)}%)" if n else "0" for n in numbers[1:]
    ]
    return (
        f"<tr><td>{escape(r.method)}</td>"
        + "".join(f'<td class="num">{escape(s)}</td>' for s in shares)
        + "</tr>"
    )


def _warnings(data: ReportData) -> str:
    out = "<h2>Warning signs and reasons to see a doctor</h2>"
    if data.warnings:
        items = "; ".join(
            f"{escape(w.sign)} in {w.count} episode{'s' if w.count != 1 else ''} "
            f"(last {escape(w.last_date)})"
            for w in data.warnings
        )
        out += f'<p><span class="alert">Warning signs reported:</span> {items}.</p>'
    else:
        out += (
            "<p>Warning signs reported: none (numbness, swelling, discolouration, fever, "
            "visible injury, difficulty walking).</p>"
        )
    return out + _doctor_reasons(data)


def _doctor_reasons(data: ReportData) -> str:
    """Every reason the app gave to see a doctor at any time in the period, with the dates of
    the cramps behind it: the same rules the app's banner uses, day by day."""
    if data.doctor_reasons is None:
        return ""
    if not data.doctor_reasons:
        return "<p>None of the app's reasons to see a doctor applied in this period.</p>"
    out = (
        "<p>The app's reasons to see a doctor that applied in this period (its messages, based "
        "on its source articles; dates are those of the cramps behind each reason):</p><ul>"
    )
    for reason in data.doctor_reasons:
        out += (
            f"<li><b>{escape(reason.title)}:</b> {escape(reason.dates)}. "
            f"{_typed(reason.message)}</li>"
        )
    return out + "</ul>"


def _profile(data: ReportData) -> str:
    if not data.profile_lines:
        return ""
    rows = "".join(
        f'<tr><td width="18%"><b>{escape(k)}</b></td><td>{_multiline(v)}</td></tr>'
        for k, v in data.profile_lines
    )
    return (
        "<h2>Health profile (as given by the patient)</h2>"
        f'<table width="100%" cellspacing="0" cellpadding="1">{rows}</table>'
    )


def _multiline(text: str) -> str:
    """Typed text over several lines, each line isolated (see isolate)."""
    return "<br>".join(_typed(line) for line in text.strip().splitlines())


def _questions(data: ReportData) -> str:
    text = data.request.questions.strip()
    if not text:
        return ""
    return (
        f"<h2>Questions for my doctor</h2>{_boxed(6)}<tr><td>{_multiline(text)}</td></tr></table>"
    )


def header_html(data: ReportData) -> str:
    request = data.request
    who = []
    name = request.name.translate(BIDI_CONTROLS).strip()
    birth_date = request.birth_date.translate(BIDI_CONTROLS).strip()
    if name:
        who.append(f"<b>Name:</b> {_typed(name)}")
    if birth_date:
        who.append(f"<b>Date of birth:</b> {_typed(birth_date)}")
    out = (
        f"<h1>{escape(TITLE)}</h1>"
        f"<p><b>Period:</b> {escape(data.period_text())} &nbsp;&nbsp; "
        f'<span class="sub">Made on {escape(made_on_text(request.made_on))}</span></p>'
    )
    if who:
        out += f"<p>{' &nbsp;&nbsp; '.join(who)}</p>"
    return out


def _checkins(data: ReportData) -> str:
    """Check-in factors, medicines and sleep (tracker.report.checkin_html, which uses this
    module's pieces, hence imported here)."""
    from tracker.report.checkin_html import checkins_html

    return checkins_html(data)


def _no_episodes(data: ReportData) -> list[str]:
    parts = [
        "<h2>No episodes in this period</h2>"
        "<p>No cramp episodes were logged between these dates, so there are no figures, "
        "charts or episode table to show.</p>"
    ]
    if data.includes("warnings") and data.doctor_reasons:  # from cramps just before it
        parts.append("<h2>Reasons to see a doctor</h2>" + _doctor_reasons(data))
    if data.includes("checkins"):  # the medicine timeline and sleep say something even so
        parts.append(_checkins(data))
    return parts


# The sections after the charts, in order: (section the request may include, its HTML).
_EPISODE_SECTIONS: tuple[tuple[str, Callable[[ReportData], str]], ...] = (
    ("onset", _onset),
    ("relief", _relief),
    ("warnings", _warnings),
    ("checkins", _checkins),
    ("episodes", _by_month),
)
_PATIENT_SECTIONS: tuple[tuple[str, Callable[[ReportData], str]], ...] = (
    ("profile", _profile),
    ("questions", _questions),
)


def _episodes(data: ReportData, images: dict[str, bytes]) -> list[str]:
    parts = ["<h2>At a glance</h2>", _glance(data)]
    if data.includes("charts"):
        parts.append(_charts(images))
    return parts + [html(data) for section, html in _EPISODE_SECTIONS if data.includes(section)]


def summary_html(data: ReportData, images: dict[str, bytes] | None = None) -> str:
    """Page one and what follows it, up to (not including) the episode table."""
    parts = [header_html(data)]
    parts += _no_episodes(data) if data.empty else _episodes(data, images or {})
    parts += [html(data) for section, html in _PATIENT_SECTIONS if data.includes(section)]
    if not data.empty and data.comparison is not None:
        parts.append(statistics_appendix_html(data.comparison))
    return f"<html><head><style>{STYLE}</style></head><body>{''.join(parts)}</body></html>"


# ----------------------------------------------------------------- plain numbers, exact appendix
APPENDIX_TITLE = "Statistics note"


def comparison_text(comparison: Comparison) -> str:
    """Page one's comparison with the previous period, in words a patient reads at a glance.

    Whether the difference could be chance is said in words; the rate ratio, its interval and
    the p-value are in the statistics note at the end of the summary (statistics_appendix_html).
    """
    days = comparison.previous.days
    before = comparison.previous_count
    if comparison.count == before:
        return f"The same number as in the previous {days} days ({before})."
    word = "More" if comparison.count > before else "Fewer"
    if comparison.rates.significant:
        sure = "a difference unlikely to be chance alone"
    else:
        sure = "a difference that could easily be chance"
    return (
        f"{word} than in the previous {days} days ({before}): {sure} "
        f"(exact figures under \u201c{APPENDIX_TITLE}\u201d below)."
    )


def _p_exact(p: float) -> str:
    return "p < 0.001" if p < 0.001 else "p = " + f"{p:.3f}".rstrip("0").rstrip(".")


def _ratio_exact(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _day(day: date | None) -> str:
    """'3 Mar 2026'; a compared period always has both ends."""
    if day is None:
        raise ValueError("a compared period has both ends")
    return f"{day.day} {day:%b %Y}"


def statistics_appendix_html(comparison: Comparison) -> str:
    """The exact figures behind page one's comparison: rate ratio, 95% interval and p-value."""
    rates = comparison.rates
    days_now, days_before = round(rates.exposure1), round(rates.exposure2)
    before = comparison.previous
    counts = (
        f"{rates.count1:,} episodes in this period ({days_now} days) against "
        f"{rates.count2:,} in the {days_before} days before it, "
        f"{_day(before.first)} to {_day(before.last)}."
    )
    if rates.rate_ratio == float("inf"):
        ratio = "not defined (no episodes in the previous period)"
        interval = f"{_ratio_exact(rates.ci_low)} to no upper limit"
    else:
        ratio = _ratio_exact(rates.rate_ratio)
        high = "no upper limit" if rates.ci_high == float("inf") else _ratio_exact(rates.ci_high)
        interval = f"{_ratio_exact(rates.ci_low)} to {high}"
    rows = (
        ("Rate ratio (episodes per day, this period / previous period)", ratio),
        ("95% confidence interval of the rate ratio", interval),
        ("Two-sided p-value", _p_exact(rates.p_value)),
    )
    table = "".join(
        f'<tr><td width="55%">{escape(k)}</td><td>{escape(v)}</td></tr>' for k, v in rows
    )
    method = (
        "Method: exact conditional test of two Poisson counts (binomial test of how the "
        "episodes split between the two periods, as R's poisson.test); the interval is the "
        "Clopper-Pearson interval carried over to the rate ratio. Page one calls a difference "
        '"unlikely to be chance alone" when p is below 0.05, otherwise "could easily be '
        'chance".'
    )
    return (
        f"<h2>{escape(APPENDIX_TITLE)}</h2><p>{escape(counts)}</p>"
        f'<table cellspacing="0" cellpadding="1">{table}</table>'
        f'<p class="small">{escape(method)}</p>'
    )
