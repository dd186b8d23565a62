"""The check-in calendar and the medicine markers on the over-time chart, from known data."""

from datetime import date, timedelta

from matplotlib.collections import QuadMesh
from matplotlib.figure import Figure

from tracker.analysis.aggregates import MedicineMark, OverTime
from tracker.charts.calendar import CHECK_MARK, NO_CHECKINS_TEXT, calendar_figure
from tracker.charts.over_time import over_time_figure


def mesh_of(fig):
    (ax, *_colorbar) = fig.axes
    (mesh,) = [c for c in ax.collections if isinstance(c, QuadMesh)]
    return ax, mesh.get_array()


def marks_of(ax):
    return [
        tuple(xy) for c in ax.collections if not isinstance(c, QuadMesh) for xy in c.get_offsets()
    ]


def test_a_day_cell_per_day_shaded_by_cramps_and_marked_when_checked_in():
    # Wed 2026-03-04 .. Sun 2026-03-15: the first week starts blank on Mon and Tue.
    counts = {"2026-03-04": 2, "2026-03-10": 5}
    fig = calendar_figure(
        counts, ["2026-03-05", "2026-03-10"], "2026-03-04", "2026-03-15", Figure()
    )
    ax, values = mesh_of(fig)
    assert values.shape == (7, 2)  # Monday..Sunday by two weeks
    assert values.mask[0, 0] and values.mask[1, 0]  # before the diary began: blank
    assert values[2, 0] == 2 and values[1, 1] == 5  # Wed 4th, Tue 10th
    assert values[3, 0] == 0 and not values.mask[3, 0]  # no cramps is not blank
    assert sorted(marks_of(ax)) == [(0.0, 3.0), (1.0, 1.0)]  # Thu 5th, Tue 10th
    note = [t.get_text() for t in ax.texts]
    assert any(CHECK_MARK in t and "2 check-ins" in t for t in note)
    headers, rows = fig.cramp_table
    assert headers == ["Day", "Cramps", "Check-in"] and len(rows) == 12
    assert rows[0] == ("2026-03-04", 2, "") and rows[6] == ("2026-03-10", 5, "yes")


def test_without_check_ins_the_cramps_still_show_and_the_note_says_so():
    fig = calendar_figure({"2026-03-04": 1}, [], "2026-03-01", "2026-03-31", Figure())
    ax, values = mesh_of(fig)
    assert values.sum() == 1 and not marks_of(ax)
    assert NO_CHECKINS_TEXT in [t.get_text() for t in ax.texts]
    assert not fig.cramp_empty


def test_long_ranges_have_a_cell_per_week_and_a_row_per_year():
    first, last = date(2020, 1, 6), date(2022, 12, 25)  # Mondays to a Sunday: whole weeks
    counts = {"2021-03-02": 3, "2021-03-04": 1}
    days = ["2021-03-03", "2022-06-01"]
    fig = calendar_figure(counts, days, first.isoformat(), last.isoformat(), Figure())
    ax, values = mesh_of(fig)
    assert values.shape == (3, 53)
    week = date(2021, 3, 2).isocalendar()[1] - 1
    assert values[1, week] == 4  # the week's cramps together
    assert len(marks_of(ax)) == 2
    assert fig.cramp_table[0] == ["Week starting", "Cramps", "Check-in days"]
    assert sum(row[2] for row in fig.cramp_table[1]) == 2


def test_an_empty_diary_shows_the_empty_state():
    assert calendar_figure({}, [], None, None, Figure()).cramp_empty


def weeks(first: date, n: int):
    return [((first + timedelta(weeks=i)).isoformat(), 1, 0, 0, 0) for i in range(n)]


def test_medicine_starts_and_stops_are_lines_named_above_the_chart():
    buckets = weeks(date(2026, 1, 5), 10)  # Mondays from Jan 5 to Mar 9
    medicines = [
        MedicineMark("Magnesium", "supplement", "2026-01-19", "2026-02-16"),
        MedicineMark("Before", "medicine", "2025-06-01", None),  # started before: no line
    ]
    fig = over_time_figure(OverTime("week", buckets), Figure(), medicines)
    (ax,) = fig.axes
    lines = [(line.get_xdata()[0], line.get_linestyle()) for line in ax.lines]
    assert lines == [(2 - 0.5 + 0.5 / 7, "-"), (6 - 0.5 + 0.5 / 7, "--")]  # Mondays of weeks 2, 6
    texts = [t.get_text() for t in ax.texts]
    assert texts.count("Magnesium") == 2 and "Before" not in texts
    assert any("solid line started, dashed stopped" in t for t in texts)
    headers, rows = fig.cramp_table
    assert headers[-1] == "Medicines"
    assert rows[2][-1] == "Magnesium started" and rows[6][-1] == "Magnesium stopped"


def test_crowded_medicine_changes_are_counted_not_overprinted():
    buckets = weeks(date(2026, 1, 5), 4)
    medicines = [MedicineMark(f"Medicine {i}", "medicine", "2026-01-12", None) for i in range(6)]
    fig = over_time_figure(OverTime("week", buckets), Figure(figsize=(4.7, 3.3)), medicines)
    (ax,) = fig.axes
    named = [t for t in ax.texts if t.get_text().startswith("Medicine ")]
    assert len(ax.lines) == 6 and len(named) == 2  # two rows of names, then counted
    assert any("4 not named" in t.get_text() for t in ax.texts)
