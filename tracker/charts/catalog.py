"""Chart figures for Patterns and the doctor summary: aggregated data in, a matplotlib Figure out.

Plain functions with no Qt, so a PDF report can draw the same figures. matplotlib is imported
inside the functions, never at module import, so app start-up does not pay for it. Every
function accepts an existing ``fig`` to draw into (the page reuses its canvases' figures) and
returns the figure with two extra attributes the page reads:

- ``fig.cramp_tips``: (artist, text) pairs, or (axes, callable(x, y) -> text), for tooltips;
- ``fig.cramp_table``: (headers, rows) with the exact numbers behind the chart.

The figures live in charts_time.py and charts_breakdown.py, the shared look in
chart_style.py; this module gathers them and lists them in the order the page shows them.
Each chart of an optional field gets its "not recorded" count from ``PatternData.not_recorded``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tracker.analysis.aggregates import calendar_first
from tracker.charts.breakdown import (
    activity_figure,
    category_figure,
    distribution_figure,
    footwear_figure,
    hydration_figure,
    relief_figure,
    site_side_figure,
)
from tracker.charts.calendar import calendar_figure
from tracker.charts.over_time import (
    monthly_trend_figure,
    over_time_figure,
    time_of_day_figure,
    weekday_hour_figure,
)
from tracker.charts.style import EMPTY_TEXT, FIGSIZE, new_figure, set_margins

if TYPE_CHECKING:
    from tracker.analysis.aggregates import PatternData

__all__ = [
    "CHARTS",
    "CHART_INPUTS",
    "EMPTY_TEXT",
    "FIGSIZE",
    "activity_figure",
    "calendar_figure",
    "category_figure",
    "chart_inputs",
    "distribution_figure",
    "footwear_figure",
    "hydration_figure",
    "monthly_trend_figure",
    "new_figure",
    "over_time_figure",
    "relief_figure",
    "set_margins",
    "site_side_figure",
    "time_of_day_figure",
    "weekday_hour_figure",
]

# (key, title, function of PatternData -> Figure): the order the page shows them in.
CHARTS = (
    (
        "over_time",
        "Over time",
        lambda d, fig=None: over_time_figure(d.over_time, fig, d.checkins.medicines),
    ),
    ("time_of_day", "Time of day", lambda d, fig=None: time_of_day_figure(d.hours, fig)),
    ("weekday_hour", "Day and hour", lambda d, fig=None: weekday_hour_figure(d.weekday_hour, fig)),
    (
        "activity",
        "Activity",
        lambda d, fig=None: activity_figure(d.activity, fig, d.not_recorded["activity"]),
    ),
    (
        "footwear",
        "Footwear",
        lambda d, fig=None: footwear_figure(
            d.footwear, fig, d.not_recorded["footwear"], d.footwear_tight_only
        ),
    ),
    (
        "hydration",
        "Hydration",
        lambda d, fig=None: hydration_figure(d.hydration, fig, d.not_recorded["hydration"]),
    ),
    (
        "site",
        "Body site",
        lambda d, fig=None: site_side_figure(
            d.sites, d.toes, fig, d.not_recorded["site"], d.not_recorded["side"]
        ),
    ),
    (
        "distribution",
        "Severity and duration",
        lambda d, fig=None: distribution_figure(
            d.severity, d.durations, fig, d.not_recorded["severity"]
        ),
    ),
    ("monthly", "Monthly trend", lambda d, fig=None: monthly_trend_figure(d.monthly, fig)),
    ("relief", "Relief", lambda d, fig=None: relief_figure(d.relief, fig, d.total)),
    (
        "calendar",
        "Check-ins and cramps",
        lambda d, fig=None: calendar_figure(
            d.day_counts, d.checkins.days, calendar_first(d), d.through, fig
        ),
    ),
)

# What each chart draws from PatternData: a chart whose inputs compare equal after a change
# draws the same figure, so the page leaves it as it is.
CHART_INPUTS: dict[str, Callable[[PatternData], object]] = {
    "over_time": lambda d: (d.over_time, d.checkins.medicines),
    "time_of_day": lambda d: d.hours,
    "weekday_hour": lambda d: d.weekday_hour,
    "activity": lambda d: (d.activity, d.not_recorded["activity"]),
    "footwear": lambda d: (d.footwear, d.not_recorded["footwear"], d.footwear_tight_only),
    "hydration": lambda d: (d.hydration, d.not_recorded["hydration"]),
    "site": lambda d: (d.sites, d.toes, d.not_recorded["site"], d.not_recorded["side"]),
    "distribution": lambda d: (d.severity, d.durations, d.not_recorded["severity"]),
    "monthly": lambda d: d.monthly,
    "relief": lambda d: (d.relief, d.total),
    # Check-ins only here (and medicines only on "over_time"): a check-in save rebuilds this
    # chart alone. The days sorted, so an updated range compares equal to a fresh one.
    "calendar": lambda d: (
        sorted(d.day_counts.items()),
        d.checkins.days,
        calendar_first(d),
        d.through,
    ),
}


def chart_inputs(key: str, data: PatternData) -> str:
    """A comparable form of what chart ``key`` draws from ``data`` (NaN medians compare equal)."""
    return repr(CHART_INPUTS[key](data))
