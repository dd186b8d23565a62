"""Each figure function draws the expected bars or bins for a known dataset, or the empty state."""

import io

from matplotlib.colors import to_hex

from tracker.analysis.aggregates import MonthlyMedian, OverTime, PatternData, Period
from tracker.charts import catalog as charts
from tracker.charts.style import CRAMPS_COLOUR


def texts(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def bar_heights(ax) -> list[float]:
    return [p.get_height() for container in ax.containers for p in container]


def test_time_of_day_has_24_bars_and_marked_nights():
    hours = list(range(24))
    fig = charts.time_of_day_figure(hours)
    (ax,) = fig.axes
    assert [p.get_height() for p in ax.containers[0]] == hours
    assert ax.get_xlabel() == "Local time (hour)" and "count" in ax.get_ylabel()
    # Every bar is a plain count of cramps; night is the shaded hours, named in the legend.
    assert {to_hex(bar.get_facecolor()) for bar in ax.containers[0]} == {to_hex(CRAMPS_COLOUR)}
    (shade,) = ax.get_legend().legend_handles
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Night (22:00-05:59)"]
    spans = [p for p in ax.patches if p not in ax.containers[0].patches]
    assert len(spans) == 2 and {to_hex(p.get_facecolor()) for p in spans} == {
        to_hex(shade.get_facecolor())
    }
    assert [round(p.get_x() + p.get_width()) for p in spans] == [6, 24]  # 22:00 to 05:59
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
    assert [t.get_text() for t in ax.get_xticklabels()][:3] == ["Jan", "Feb", "Mar"]
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
    assert "Activity not recorded for any of the 5 cramps in this period" in texts(fig)
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
    assert "Site not recorded for any of the 4 cramps in this period" in texts(nothing)


def test_distribution_leaves_unrated_out_of_the_severity_bars():
    severity = [0, 1, 0, 0, 0, 0, 0, 2, 0, 0, 0]
    fig = charts.distribution_figure(severity, [2, 0, 3, 0, 0, 0], not_rated=2)
    severity_ax, duration_ax = fig.axes
    assert severity_ax.get_title() == "Severity" and "2 not rated" in texts(fig)
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
        "distribution": "4 not rated",
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


# ----------------------------------------------------------------- one meaning per colour


def rich_data() -> PatternData:
    """Every category every chart can colour: all bands, sides, effects, tight shoes, gaps."""
    data = PatternData(Period())
    data.total = 12
    data.hours = [1] * 12 + [0] * 12
    data.weekday_hour[0][3] = 12
    data.over_time = OverTime("day", [("2026-03-01", 2, 3, 1, 2), ("2026-03-02", 1, 1, 1, 1)])
    data.activity = {"in_bed": 6, "walking": 4}
    data.footwear = {"barefoot": (3, 0), "dress": (2, 3)}
    data.hydration = {"normal": 5, "under": 4}
    data.sites = {"calf": {"left": 3, "right": 2, "both": 1, None: 2}, "big_toe": {"left": 1}}
    data.toes = {"left": 1}
    data.severity = [0, 2, 0, 1, 3, 0, 1, 2, 1, 0, 0]
    data.durations = [2, 3, 4, 1, 1, 1]
    data.monthly = [MonthlyMedian("2026-03", 12, 40.0, 5.0, not_rated=3)]
    data.relief = {"stretching": {"yes": 3, "partly": 2, "no": 1, "unknown": 1}}
    data.not_recorded.update(activity=2, footwear=7, hydration=3, side=2, site=1, severity=3)
    return data


def fills(fig) -> list[tuple[str, str]]:
    """(axes title, colour) of every filled shape drawn for data: bars, bands, shaded spans."""
    from matplotlib.collections import PolyCollection

    out = []
    for ax in fig.axes:
        for patch in ax.patches:
            out.append((ax.get_title(), to_hex(patch.get_facecolor())))
        for collection in ax.collections:
            if type(collection) is PolyCollection:  # not a colour bar's mesh
                out += [(ax.get_title(), to_hex(c)) for c in collection.get_facecolors()]
    return out


def legend_entries(fig) -> list[tuple[str, str]]:
    """(label, colour) of every legend entry of the figure."""
    out = []
    for legend in [ax.get_legend() for ax in fig.axes] + fig.legends:
        if legend is None:
            continue
        for handle, text in zip(legend.legend_handles, legend.get_texts(), strict=True):
            out.append((text.get_text(), to_hex(handle.get_facecolor())))
    return out


def test_each_colour_means_one_thing_on_every_chart_and_a_legend_names_it():
    from tracker.charts.style import CRAMPS_LABEL, ORANGE, colour_meanings, themed

    for theme in ("light", "dark"):
        with themed(theme) as chosen:
            raw = colour_meanings(chosen.night_shade)
            figures = {key: function(rich_data()) for key, _title, function in charts.CHARTS}
        meanings = {to_hex(colour): labels for colour, labels in raw.items()}
        assert len(meanings) == len(raw), "two meanings share a colour"
        meaning_of = {}
        for key, fig in figures.items():
            legend = legend_entries(fig)
            for label, colour in legend:
                assert colour in meanings and label in meanings[colour], (key, label, colour)
                meaning_of.setdefault(colour, set()).add(meanings[colour][0])
            named = {colour for _label, colour in legend}
            for title, colour in fills(fig):
                assert colour in meanings, (key, title, colour)
                if meanings[colour] != (CRAMPS_LABEL,):  # plain counts need no legend
                    assert colour in named, f"{key}: {meanings[colour][0]} drawn, not in legend"
            for ax in fig.axes:  # lines of data (monthly medians) are plain cramps too
                for line in ax.lines:
                    if line.get_marker() not in (None, "None", ""):
                        assert to_hex(line.get_color()) == to_hex(CRAMPS_COLOUR), key
        assert all(len(m) == 1 for m in meaning_of.values()), meaning_of
        # Each chart that colours by a category shows its legend.
        assert {k for k, fig in figures.items() if legend_entries(fig)} >= {
            "over_time",
            "time_of_day",
            "footwear",
            "site",
            "distribution",
            "relief",
        }
    # Orange was "moderate" on one chart and "daytime" on the next: now it is only moderate.
    assert meanings[to_hex(ORANGE)] == ("Moderate (4-6)",)


# Machado, Oliveira & Fernandes (2009), full severity, on linear RGB.
COLOUR_BLINDNESS = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}


def seen_lab(colour: str, matrix) -> tuple[float, float, float]:
    """CIELAB of a colour as a person with this kind of colour blindness sees it."""
    from matplotlib.colors import to_rgb

    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(colour)]
    seen = [sum(m * c for m, c in zip(row, linear, strict=True)) for row in matrix]
    r, g, b = (min(1, max(0, c)) for c in seen)
    xyz = (
        (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
        0.2126 * r + 0.7152 * g + 0.0722 * b,
        (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883,
    )
    fx, fy, fz = (t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in xyz)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def test_colours_drawn_together_stay_apart_with_colour_blindness():
    """The three colours added to Okabe-Ito keep clear of their neighbours on each chart."""
    from itertools import combinations
    from math import dist

    for key, _title, function in charts.CHARTS:
        colours = sorted({colour for _label, colour in legend_entries(function(rich_data()))})
        for a, b in combinations(colours, 2):
            for kind, matrix in COLOUR_BLINDNESS.items():
                apart = dist(seen_lab(a, matrix), seen_lab(b, matrix))
                assert apart >= 15, f"{key}: {a} and {b} look alike with {kind} ({apart:.0f})"


def test_years_are_named_when_the_dates_span_years():
    """'Mar' alone only within one calendar year; 'Mar 2025', 'Dec 29, 2025' or '2025' else."""
    import re

    from matplotlib.figure import Figure

    year = re.compile(r"\b20\d\d\b")
    weeks_2026 = [(f"2026-{m:02d}-{d:02d}", 1, 0, 0) for m in range(1, 12) for d in (5, 19)]
    weeks_2025_6 = [(f"{y}-{m:02d}-01", 1, 0, 0) for y in (2025, 2026) for m in range(1, 13)]
    days_new_year = [(f"2025-12-{d}", 1, 0, 0) for d in range(20, 32)] + [
        (f"2026-01-0{d}", 1, 0, 0) for d in range(1, 10)
    ]
    ten_years = [(f"{y}-{m:02d}-01", 1, 0, 0) for y in range(2017, 2027) for m in range(1, 13)]
    months = [MonthlyMedian(f"{y}-{m:02d}", 1, 30.0, 4.0) for y in (2025, 2026) for m in (3, 9)]
    cases = [
        (charts.over_time_figure, OverTime("week", weeks_2026), False),
        (charts.over_time_figure, OverTime("week", weeks_2025_6), True),
        (charts.over_time_figure, OverTime("day", days_new_year), True),
        (charts.over_time_figure, OverTime("month", ten_years), True),
        (charts.monthly_trend_figure, months[:2], False),  # 2025 only
        (charts.monthly_trend_figure, months, True),
    ]
    for width in (4.7, 9.4):  # the narrowest card and a wide one
        for function, data, spans_years in cases:
            fig = function(data, Figure(figsize=(width, 3.3)))
            for ax in fig.axes:
                labels = [t.get_text() for t in ax.get_xticklabels()]
                assert len(labels) >= 2 or len(data) == 1, (width, labels)
                if spans_years:
                    assert all(year.search(label) for label in labels), (width, labels)
                else:
                    assert not any(year.search(label) for label in labels), (width, labels)
    ten = charts.over_time_figure(OverTime("month", ten_years), Figure(figsize=(4.7, 3.3)))
    assert all(re.fullmatch(r"20\d\d", t.get_text()) for t in ten.axes[0].get_xticklabels())
    new_year = charts.over_time_figure(OverTime("day", days_new_year))
    assert "Jan 5, 2026" in [t.get_text() for t in new_year.axes[0].get_xticklabels()]
