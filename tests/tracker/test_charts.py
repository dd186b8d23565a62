"""Each figure function draws the expected bars or bins for a known dataset, or the empty state."""

import io

from tracker import charts
from tracker.aggregates import MonthlyMedian, OverTime, PatternData, Period


def texts(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def bar_heights(ax) -> list[float]:
    return [p.get_height() for container in ax.containers for p in container]


def test_time_of_day_has_24_bars_and_marked_nights():
    hours = list(range(24))
    fig = charts.time_of_day_figure(hours)
    (ax,) = fig.axes
    assert [p.get_height() for p in ax.containers[0]] == hours
    assert texts(fig).count("night") == 2
    assert ax.get_xlabel() == "Local time (hour)" and "count" in ax.get_ylabel()
    night_colours = {ax.containers[0][h].get_facecolor() for h in (22, 23, 0, 5)}
    day_colours = {ax.containers[0][h].get_facecolor() for h in (6, 12, 21)}
    assert len(night_colours) == 1 and len(day_colours) == 1 and night_colours != day_colours
    assert fig.cramp_table[1][3] == ("03:00", 3, "yes")
    assert any(tip.startswith("03:00-03:59: 3 cramps") for _, tip in fig.cramp_tips)


def band_boxes(ax) -> list[list[tuple[float, float]]]:
    """(x centre, bottom, top) of each bar of each band, from the PolyCollections."""
    out = []
    for collection in ax.collections:
        boxes = []
        for path in collection.get_paths():
            xs, ys = path.vertices[:4, 0], path.vertices[:4, 1]
            boxes.append((round(float(xs.mean()), 6), float(ys.min()), float(ys.max())))
        out.append(boxes)
    return out


def test_over_time_stacks_bands():
    few = OverTime("day", [("2026-03-01", 1, 2, 0), ("2026-03-02", 0, 0, 3)])
    fig = charts.over_time_figure(few)
    (ax,) = fig.axes
    mild, moderate, severe = band_boxes(ax)
    assert mild == [(0, 0, 1)]
    assert moderate == [(0, 1, 3)]  # stacked on mild
    assert severe == [(1, 0, 3)]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "Mild (0-3)",
        "Moderate (4-6)",
        "Severe (7-10)",
    ]
    assert ax.get_ylim()[1] >= 3
    many = OverTime(
        "week", [(f"2025-{m:02d}-{d:02d}", 1, 1, 1) for m in range(1, 12) for d in (5, 12, 19, 26)]
    )
    fig = charts.over_time_figure(many)
    (ax,) = fig.axes
    assert len(ax.collections) == 3  # one artist per band, however many weeks
    assert [len(boxes) for boxes in band_boxes(ax)] == [44, 44, 44]
    assert len(fig.cramp_table[1]) == 44
    assert len(ax.get_xticks()) <= 7
    tip_axes, tip = fig.cramp_tips[0]
    assert tip_axes is ax and tip(0, 0).endswith("3 cramps (1 mild, 1 moderate, 1 severe)")


def test_weekday_hour_heat_map_shows_the_matrix():
    matrix = [[0] * 24 for _ in range(7)]
    matrix[6][3] = 5
    fig = charts.weekday_hour_figure(matrix)
    ax = fig.axes[0]
    image = ax.images[0]
    assert image.get_array()[6][3] == 5 and image.get_array().sum() == 5
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "Mon"
    assert fig.axes[1].get_ylabel() == "Episodes (count)"  # colour bar
    _, tip = fig.cramp_tips[0]
    assert tip(3.2, 5.9) == "Sun 03:00-03:59: 5 cramps"


def test_footwear_keeps_tight_shoes_apart():
    fig = charts.footwear_figure({"athletic": (3, 2), "barefoot": (4, 0)})
    (ax,) = fig.axes
    fit, tight = ax.containers
    assert [p.get_width() for p in fit] == [3, 4]
    assert [p.get_width() for p in tight] == [2, 0]
    assert tight[0].get_x() == 3
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Athletic shoes", "Barefoot"]


def test_categories_sites_and_distributions():
    fig = charts.activity_figure({"in_bed": 6, "walking": 2})
    assert bar_heights(fig.axes[0]) == [0.7, 0.7]  # horizontal bars: heights are thickness
    assert [p.get_width() for p in fig.axes[0].containers[0]] == [6, 2]
    assert "6 (75%)" in texts(fig)
    fig = charts.site_side_figure(
        {"big_toe": {"left": 2, "right": 1}, "calf": {"both": 1}}, {"left": 2, "right": 1}
    )
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["Any toe (all toe sites)", "Big toe", "Calf"]
    assert [p.get_width() for p in fig.axes[0].containers[0]] == [2, 2, 0]  # left side
    fig = charts.distribution_figure([0, 1, 0, 0, 0, 0, 0, 2, 0, 0, 0], [1, 0, 2, 0, 0, 0])
    severity_ax, duration_ax = fig.axes
    assert [p.get_height() for p in severity_ax.containers[0]][7] == 2
    assert [p.get_height() for p in duration_ax.containers[0]] == [1, 0, 2, 0, 0, 0]
    bars = severity_ax.containers[0]
    assert bars[1].get_facecolor() != bars[7].get_facecolor()  # mild and severe differ


def test_monthly_trend_lines():
    monthly = [MonthlyMedian("2026-01", 3, 40.0, 5.0), MonthlyMedian("2026-02", 1, 90.0, 7.0)]
    fig = charts.monthly_trend_figure(monthly)
    severity_ax, duration_ax = fig.axes
    assert list(severity_ax.lines[0].get_ydata()) == [5.0, 7.0]
    assert list(duration_ax.lines[0].get_ydata()) == [40.0, 90.0]
    assert duration_ax.get_ylabel() == "Duration (seconds)"


def test_relief_shares_and_tries():
    relief = {
        "stretching": {"yes": 3, "partly": 1, "no": 0, "unknown": 0},
        "heat": {"yes": 0, "partly": 0, "no": 2, "unknown": 0},
    }
    fig = charts.relief_figure(relief)
    (ax,) = fig.axes
    helped = [p.get_width() for p in ax.containers[0]]
    assert helped == [75.0, 0.0]  # stretching (4 tries) listed first
    totals = [sum(c[i].get_width() for c in ax.containers) for i in range(2)]
    assert totals == [100.0, 100.0]
    assert "n = 4" in texts(fig) and "n = 2" in texts(fig)
    assert len(ax.containers) == 3  # no "not recorded" segment when every effect was given


def test_empty_state_instead_of_blank_axes():
    empty = PatternData(Period())
    for key, _title, function in charts.CHARTS:
        fig = function(empty)
        assert charts.EMPTY_TEXT in texts(fig), key
        assert fig.cramp_empty and not fig.axes[0].axison, key


def test_redraw_into_the_same_figure_and_save_png_and_svg():
    fig = charts.time_of_day_figure([1] * 24)
    same = charts.time_of_day_figure([2] * 24, fig)
    assert same is fig and len(fig.axes) == 1
    assert [p.get_height() for p in fig.axes[0].containers[0]] == [2] * 24
    png, svg = io.BytesIO(), io.BytesIO()
    fig.savefig(png, format="png")
    fig.savefig(svg, format="svg")
    assert png.getvalue().startswith(b"\x89PNG")
    assert b"<svg" in svg.getvalue()


def test_margins_follow_the_figure_size():
    fig = charts.activity_figure({"in_bed": 6, "after_exercise": 2})
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    for width in (5.0, 10.0):
        fig.set_size_inches(width, 3.3)
        canvas.draw()
        label_right = max(t.get_window_extent().x1 for t in fig.axes[0].get_yticklabels())
        left_edge = min(t.get_window_extent().x0 for t in fig.axes[0].get_yticklabels())
        assert left_edge >= 0  # the longest label is not cut off
        assert label_right <= fig.axes[0].get_window_extent().x0


def test_a_callers_layout_engine_is_kept():
    from matplotlib.figure import Figure

    fig = charts.weekday_hour_figure([[1] * 24] * 7, Figure(layout="constrained"))
    assert type(fig.get_layout_engine()).__name__ == "ConstrainedLayoutEngine"
    plain = charts.weekday_hour_figure([[1] * 24] * 7)
    assert type(plain.get_layout_engine()).__name__ == "FixedMargins"
