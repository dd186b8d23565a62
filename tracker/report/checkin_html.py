"""The summary's check-in section as HTML: the factor table, the medicine timeline with the
before/after results, and sleep disturbance (data: tracker.report.checkins).

Worded for a doctor, as association in this diary and never as cause. Typed text (medicine
names and doses) is isolated and escaped like every other typed text of the summary.
"""

from __future__ import annotations

from html import escape

from tracker.analysis import exposure
from tracker.report.checkins import CheckinSection, SleepFigures
from tracker.report.data import ReportData
from tracker.report.html_summary import _boxed, _number, _typed

TITLE = "Daily check-ins, medicines and sleep"
FACTOR_HEADS = (
    "Factor",
    "Days with / without",
    "Same day: cramps a day with / without",
    "Same day: rate ratio (95% interval)",
    "Night after: cramps a day with / without",
    "Night after: rate ratio (95% interval)",
)
_WIDTHS = (24, 11, 14, 18, 14, 19)  # per cent of the page width


def factor_result(insight: exposure.FactorInsight) -> str:
    """A factor's rate ratio and whether it is clear after the correction, or what it needs."""
    c = insight.comparison
    if c is None:
        if insight.needs_checkins is not None:
            n = insight.needs_checkins
            return f"needs {n:,} more check-in{'s' if n != 1 else ''}"
        return "cannot tell yet (too few days or cramps in a group)"
    verdict = "clear" if insight.clear else "not clear"
    return f"{c.rate_ratio:.2f} ({c.low:.2f}-{c.high:.2f}), {verdict}"


def _rates(insight: exposure.FactorInsight) -> str:
    if not (insight.exposed_days and insight.unexposed_days):
        return "–"
    with_ = insight.exposed_cramps / insight.exposed_days
    without = insight.unexposed_cramps / insight.unexposed_days
    return f"{with_:.2f} / {without:.2f}"


def _result_cell(insight: exposure.FactorInsight) -> str:
    text = escape(factor_result(insight))
    return f'<td class="alert">{text}</td>' if insight.clear else f"<td>{text}</td>"


def _factor_row(same_day: exposure.FactorInsight, night: exposure.FactorInsight) -> str:
    label = same_day.factor.label
    days = f"{same_day.exposed_days:,} / {same_day.unexposed_days:,}"
    return (
        f"<tr><td>{escape(label[:1].upper() + label[1:])}</td>"
        f'<td class="num">{escape(days)}</td>'
        f'<td class="num">{escape(_rates(same_day))}</td>{_result_cell(same_day)}'
        f'<td class="num">{escape(_rates(night))}</td>{_result_cell(night)}</tr>'
    )


def _factors(section: CheckinSection) -> str:
    report = section.factors
    if report is None:
        return (
            "<p>No daily check-ins in this period, so cramp rates cannot be compared between "
            "days with and without a factor.</p>"
        )
    intro = (
        f"Check-ins on {section.checkin_days:,} of the {section.period_days:,} days. For each "
        "factor, the cramp rate on check-in days with it against check-in days without it, "
        "counting the cramps of the same day (06:00-22:00) or of the following night. Days "
        "without a check-in, or whose check-in skipped the question, are in neither group. A "
        'rate ratio above 1 means more cramps on days with the factor. "Clear" means the '
        "difference stays clear (p below 0.05) after Holm's correction for the "
        f'{report.tests} comparisons shown; "needs N more check-ins" means too few days or '
        "cramps to compare yet. These are associations in this diary, not causes."
    )
    head = "".join(
        f'<th width="{w}%" class="{"num" if i else ""}">{escape(h)}</th>'
        for i, (h, w) in enumerate(zip(FACTOR_HEADS, _WIDTHS, strict=True))
    )
    by_key = {(i.factor.key, i.window.key): i for i in report.insights}
    body = "".join(
        _factor_row(
            by_key[(f.key, exposure.SAME_DAY.key)], by_key[(f.key, exposure.FOLLOWING_NIGHT.key)]
        )
        for f in dict.fromkeys(i.factor for i in report.insights)
    )
    return f"<p>{escape(intro)}</p>{_boxed(2)}<thead><tr>{head}</tr></thead>{body}</table>"


def _medicines(section: CheckinSection) -> str:
    if not section.medicines:
        return "<p>No medicines or supplements were listed for this period.</p>"
    head = "".join(
        f'<th width="{w}%" class="{cls}">{escape(h)}</th>'
        for h, w, cls in (
            ("Medicine or supplement", 38, ""),
            ("Kind", 14, ""),
            ("Dose", 24, ""),
            ("Started", 12, "num"),
            ("Stopped", 12, "num"),
        )
    )
    body = "".join(
        f"<tr><td>{_typed(line.medicine.name)}</td><td>{escape(line.kind)}</td>"
        f"<td>{_typed(line.medicine.dose) or '–'}</td>"
        f'<td class="num">{escape(line.started)}</td>'
        f'<td class="num">{escape(line.stopped)}</td></tr>'
        for line in section.medicines
    )
    out = (
        '<p style="margin-top: 6px;"><b>Medicines and supplements taken in the period</b> '
        "(as listed by the patient)</p>"
        f"{_boxed(2)}<thead><tr>{head}</tr></thead>{body}</table>"
    )
    if section.changes:
        items = "".join(f"<li>{_typed(change.text)}</li>" for change in section.changes)
        out += (
            '<p style="margin-top: 5px;"><b>Cramps before and after a start or stop</b> '
            "(up to 8 weeks on each side; a day's cramps and those of the night after it)</p>"
            f"<ul>{items}</ul>"
        )
        if section.change_source:
            out += f'<p class="small">Source: {escape(section.change_source)}.</p>'
    return out


def _sleep_line(what: str, figures: SleepFigures | None, unit: str) -> str:
    if figures is None:
        return f"{what}: not rated in this period."
    return (
        f"{what}: average {_number(figures.mean)}, range {figures.low}-{figures.high} "
        f"({figures.count:,} {unit}{'s' if figures.count != 1 else ''} rated)."
    )


def _sleep(section: CheckinSection) -> str:
    if section.sleep_checkins is None and section.sleep_episodes is None:
        return ""
    lines = (
        _sleep_line("Morning check-ins, about the night before", section.sleep_checkins, "night"),
        _sleep_line("Night cramps, each rated when logged", section.sleep_episodes, "episode"),
    )
    return (
        '<p style="margin-top: 5px;"><b>Sleep disturbance</b> (0 = not at all, '
        "10 = could not sleep)</p>" + "".join(f"<p>{escape(line)}</p>" for line in lines)
    )


def checkins_html(data: ReportData) -> str:
    """The section, or nothing when the period has no check-in, medicine or sleep rating."""
    section = data.checkins
    if section is None or section.empty:
        return ""
    return f"<h2>{escape(TITLE)}</h2>" + _factors(section) + _medicines(section) + _sleep(section)
