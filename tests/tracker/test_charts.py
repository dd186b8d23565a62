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
    assert len(ax.containers) == 3
    assert not any("not recorded" in t for t in texts(fig))


def test_relief_shares_leave_out_tries_whose_effect_was_not_recorded():
    relief = {"stretching": {"yes": 3, "partly": 0, "no": 1, "unknown": 4}}
    fig = charts.relief_figure(relief)
    (ax,) = fig.axes
    assert len(ax.containers) == 3  # helped, partly, did not: no grey share
    assert [p.get_width() for p in ax.containers[0]] == [75.0]  # 3 of 4, not 3 of 8
    assert sum(c[0].get_width() for c in ax.containers) == 100.0
    assert "n = 4" in texts(fig)
    assert "Shares of tries where you recorded whether it helped; 4 not recorded" in texts(fig)
    assert fig.cramp_table[1] == [("Stretching", 3, 0, 1, 4, 8)]


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


# ----------------------------------------------------------------- "not recorded" is missing


def test_category_shares_leave_not_recorded_out_and_say_how_many():
    # Six cramps, three with hydration not recorded: the shares are of three.
    fig = charts.hydration_figure({"well": 0, "normal": 1, "under": 2}, not_recorded=3)
    (ax,) = fig.axes
    assert [p.get_width() for p in ax.containers[0]] == [0, 1, 2]  # no "Not recorded" bar
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Well hydrated",
        "Normal",
        "Under-hydrated",
    ]
    assert "1 (33%)" in texts(fig) and "2 (67%)" in texts(fig)
    assert "Shares of the 3 with hydration recorded; 3 not recorded" in texts(fig)
    headers, rows = fig.cramp_table
    assert rows[-1] == ("Not recorded", 3, "–")
    assert [r[2] for r in rows[:-1]] == ["0%", "33%", "67%"]
    complete = charts.hydration_figure({"well": 0, "normal": 1, "under": 2})
    assert not any("not recorded" in t for t in texts(complete))
    assert complete.cramp_table[1][-1][0] == "Under-hydrated"


def test_category_with_nothing_recorded_says_so_instead_of_no_episodes():
    fig = charts.activity_figure({"in_bed": 0, "walking": 0}, not_recorded=5)
    assert "Activity not recorded for any of the 5 cramps in this range" in texts(fig)
    assert charts.EMPTY_TEXT not in texts(fig)
    assert fig.cramp_table[1] == [("Not recorded", 5, "–")]


def test_footwear_not_recorded_and_tight_without_a_type():
    fig = charts.footwear_figure(
        {"athletic": (3, 1), "barefoot": (4, 0)}, not_recorded=4, tight_only=1
    )
    (ax,) = fig.axes
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Athletic shoes", "Barefoot"]
    assert "4 (50%)" in texts(fig)  # of the 8 with a shoe type
    assert "Shares of the 8 with footwear recorded; 4 not recorded (1 marked tight)" in texts(fig)
    headers, rows = fig.cramp_table
    assert headers == ["Footwear", "Fitting well", "Tight", "All", "Share"]
    assert rows[0] == ("Athletic shoes", 3, 1, 4, "50%")
    assert rows[-1] == ("Not recorded", "–", 1, 4, "–")


def test_site_chart_shows_side_not_recorded_apart_and_counts_missing_sites():
    fig = charts.site_side_figure(
        {"calf": {"left": 2, None: 1}},
        {},
        site_not_recorded=3,
        side_not_recorded=1,
    )
    (ax,) = fig.axes
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["Left", "Right", "Both", "Side not recorded"]
    unknown_side = ax.containers[-1]
    assert [p.get_width() for p in unknown_side] == [1] and unknown_side[0].get_x() == 2
    assert unknown_side[0].get_hatch()  # hatched grey: not a fourth side
    assert "Site not recorded for 3 cramps; side not recorded for 1 cramp" in texts(fig)
    headers, rows = fig.cramp_table
    assert headers == ["Site", "Left", "Right", "Both", "Side not recorded", "All"]
    assert rows == [("Calf", 2, 0, 0, 1, 3), ("Site not recorded", "–", "–", "–", "–", 3)]
    plain = charts.site_side_figure({"calf": {"left": 2}}, {})
    assert len(plain.axes[0].containers) == 3 and plain.cramp_table[0][-2] == "Both"
    nothing = charts.site_side_figure({}, {}, site_not_recorded=4)
    assert "Site not recorded for any of the 4 cramps in this range" in texts(nothing)


def test_distribution_leaves_unrated_out_of_the_severity_bars():
    severity = [0, 1, 0, 0, 0, 0, 0, 2, 0, 0, 0]
    fig = charts.distribution_figure(severity, [2, 0, 3, 0, 0, 0], not_rated=2)
    severity_ax, duration_ax = fig.axes
    assert severity_ax.get_title() == "Severity (2 not rated)"
    assert sum(p.get_height() for p in severity_ax.containers[0]) == 3
    assert sum(p.get_height() for p in duration_ax.containers[0]) == 5  # every cramp
    assert ("Severity not rated", 2) in fig.cramp_table[1]
    none_rated = charts.distribution_figure([0] * 11, [1, 1, 0, 0, 0, 0], not_rated=2)
    assert "None rated" in texts(none_rated) and not none_rated.cramp_empty


def test_over_time_puts_unrated_cramps_in_a_grey_band_of_their_own():
    buckets = OverTime("day", [("2026-03-01", 1, 0, 0, 2), ("2026-03-02", 0, 1, 0, 0)])
    fig = charts.over_time_figure(buckets)
    (ax,) = fig.axes
    mild, moderate, severe, unrated = band_boxes(ax)
    assert unrated == [(0, 1, 3)]  # on top of the rated ones
    assert severe == []  # not rated is never counted as severe
    assert ax.collections[-1].get_hatch()
    assert [t.get_text() for t in ax.get_legend().get_texts()][-1] == "Not rated"
    assert "2 cramps with no severity recorded shown as 'Not rated'" in texts(fig)
    headers, rows = fig.cramp_table
    assert headers == ["Starting", "Mild", "Moderate", "Severe", "Not rated", "All"]
    assert rows[0] == ("2026-03-01", 1, 0, 0, 2, 3)
    _, tip = fig.cramp_tips[0]
    assert tip(0, 0).endswith("3 cramps (1 mild, 0 moderate, 0 severe, 2 not rated)")


def test_monthly_median_severity_of_rated_cramps_only():
    monthly = [
        MonthlyMedian("2026-01", 3, 40.0, float("nan"), not_rated=3),
        MonthlyMedian("2026-02", 4, 90.0, 7.0, not_rated=1),
    ]
    fig = charts.monthly_trend_figure(monthly)
    severity_ax, _ = fig.axes
    assert "of rated cramps; 4 not rated" in texts(fig)
    headers, rows = fig.cramp_table
    assert headers[2] == "Not rated"
    assert rows == [("2026-01", 3, 3, "not rated", "40"), ("2026-02", 4, 1, "7", "90")]
    tip_axes, tip = fig.cramp_tips[0]
    assert tip(0, 0) == "Jan 2026: none of 3 cramps rated"
    assert tip(1, 0) == "Feb 2026: median 7 of 3 cramps"
    assert "None rated" not in texts(fig)
    unrated = charts.monthly_trend_figure([MonthlyMedian("2026-01", 2, 40.0, float("nan"), 2)])
    assert "None rated" in texts(unrated)


def test_every_chart_of_a_diary_with_gaps_draws_and_shows_its_missing_count():
    data = PatternData(Period())
    data.total = 6
    data.hours[3] = 6
    data.weekday_hour[0][3] = 6
    data.over_time = OverTime("day", [("2026-03-01", 2, 0, 0, 4)])
    data.activity = {"in_bed": 4}
    data.footwear = {"barefoot": (2, 0)}
    data.footwear_tight_only = 1
    data.hydration = {"well": 0, "normal": 1, "under": 2}
    data.sides = {"left": 5}
    data.sites = {"calf": {"left": 5}}
    data.severity = [0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    data.durations = [6, 0, 0, 0, 0, 0]
    data.monthly = [MonthlyMedian("2026-03", 6, 20.0, 1.0, not_rated=4)]
    data.not_recorded.update(activity=2, footwear=4, hydration=3, side=1, site=1, severity=4)
    expected = {
        "activity": "2 not recorded",
        "footwear": "4 not recorded (1 marked tight)",
        "hydration": "3 not recorded",
        "site": "Site not recorded for 1 cramp",
        "distribution": "Severity (4 not rated)",
        "over_time": "4 cramps with no severity recorded",
        "monthly": "4 not rated",
    }
    for key, _title, function in charts.CHARTS:
        fig = function(data)
        shown = texts(fig) + [ax.get_title() for ax in fig.axes]
        if key in expected:
            assert any(expected[key] in t for t in shown), (key, shown)
        fig.savefig(io.BytesIO(), format="png")  # draws without error


def test_over_time_legend_stays_inside_a_narrow_figure():
    """On the PDF's half-page chart the 'Not rated' entry was cut off at the right edge."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    buckets = OverTime("week", [("2026-03-02", 1, 2, 1, 1), ("2026-03-09", 0, 1, 0, 0)])
    for width in (3.6, 8.0):
        fig = Figure(figsize=(width, 2.6))
        FigureCanvasAgg(fig)
        charts.over_time_figure(buckets, fig)
        renderer = fig.canvas.get_renderer()
        box = fig.axes[0].get_legend().get_window_extent(renderer)
        assert box.x1 <= fig.bbox.x1 + 1, f"legend runs off a {width} in figure"
