"""Chart themes: readable furniture on light and dark, nothing global changed, paper stays light."""

import matplotlib
import pytest
from matplotlib.figure import Figure

from tracker.charts import catalog as charts
from tracker.charts import style as chart_style
from tracker.charts.style import DARK, LIGHT, chart_theme, themed


def _luminance(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = matplotlib.colors.to_rgb(colour)
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize(
    "theme",
    [LIGHT, DARK, chart_theme("dark", "#2d2d30", "#f0f0f0"), chart_theme("light", "#fafafa")],
    ids=["light", "dark", "dark-on-platform-base", "light-on-platform-base"],
)
def test_every_text_colour_reads_on_its_background(theme):
    for role in ("text", "muted", "note"):
        assert contrast(getattr(theme, role), theme.background) >= 4.5, role
    assert contrast(theme.night_text, theme.night_shade) >= 4.5
    assert contrast(theme.lines, theme.background) >= 3.0  # spines and ticks: graphics, 3:1


def test_a_dark_figure_is_dark_throughout_and_nothing_global_changes():
    before = dict(matplotlib.rcParams)
    with themed("dark"):
        fig = charts.time_of_day_figure([1] * 24, Figure())
        fig.canvas.draw()  # tick labels are made while drawing
    assert dict(matplotlib.rcParams) == before
    assert chart_style.current_theme() is LIGHT
    assert matplotlib.colors.to_hex(fig.get_facecolor()) == DARK.background.lower()
    (ax,) = fig.axes
    assert matplotlib.colors.to_hex(ax.get_facecolor()) == DARK.background.lower()
    labels = [t for t in ax.get_xticklabels() + ax.get_yticklabels() if t.get_text()]
    assert labels
    for text in [*labels, ax.title, ax.xaxis.label]:
        assert contrast(matplotlib.colors.to_hex(text.get_color()), DARK.background) >= 4.5


def test_a_reused_figure_takes_the_new_background():
    fig = Figure()
    with themed("dark"):
        charts.over_time_figure(_over_time(), fig)
    assert matplotlib.colors.to_hex(fig.get_facecolor()) == DARK.background.lower()
    charts.over_time_figure(_over_time(), fig)  # outside any theme: light
    assert matplotlib.colors.to_hex(fig.get_facecolor()) == "#ffffff"


def test_the_printed_report_draws_light_charts_whatever_the_screen(store):
    from datetime import date

    from tracker.analysis.aggregates import Period
    from tracker.diary import demo
    from tracker.report import html_summary as report_html
    from tracker.report.data import ReportRequest, build_report

    store.add_episodes(demo.generate(40, seed=2, until=date(2026, 3, 1)))
    data = build_report(store, ReportRequest(Period(), date(2026, 3, 1)))
    with themed("dark"):  # as if a dark Patterns page were being drawn at the same time
        images = report_html.chart_images(data)
    assert images
    import io

    from matplotlib.image import imread

    for png in images.values():
        pixels = imread(io.BytesIO(png))
        assert pixels[2, 2, :3].mean() > 0.95  # a white corner


def _over_time():
    from tracker.analysis.aggregates import OverTime

    return OverTime("day", [("2026-03-01", 1, 0, 0, 0), ("2026-03-02", 0, 2, 1, 0)])
