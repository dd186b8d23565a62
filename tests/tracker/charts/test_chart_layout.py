"""Every chart fits its card: no text outside the figure, no tick labels running into each other.

Each chart is drawn with the Agg canvas at the size a card on the Patterns page gives it, for
every range preset, on an empty, a one-episode and a ten-year diary. The renderer records every
text it really draws (titles, tick labels, legend entries, notes, bar labels), and the checks
use those texts' rendered extents, so they see what a person sees, not what the code meant.
"""

from datetime import date, datetime, timedelta, timezone

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from tests.factories import make_episode
from tracker.analysis import aggregates
from tracker.analysis.aggregates import Period
from tracker.charts import catalog as charts
from tracker.diary import demo, demo_checkins
from tracker.diary.checkin import CheckIn, Medicine
from tracker.diary.periods import preset_period
from tracker.store import Store

TODAY = date(2026, 11, 20)
# The Patterns page's presets (ui.patterns.page.period_for; tests/ui checks they agree).
PRESETS = {code: preset_period(code, TODAY) for code in ("30d", "3m", "12m")} | {"all": Period()}
# Canvas sizes (px) of a card: the narrowest the page allows
# (ui.patterns.chart_card.MIN_CANVAS_WIDTH; two columns at their narrowest are a little wider), and
# what a 1024 px wide window (one column) and a 1920 px wide one (two columns) give.
# tests/ui/patterns/test_patterns_page.py checks the page gives widths in WIDTHS_SWEPT; the sweep
# covers any window size in between.
CARD_HEIGHT = 330  # ui.patterns.chart_card.CANVAS_HEIGHT (this Qt-free test does not import it)
CARD_WIDTHS = {"narrowest": 470, "1024 px window": 946, "1920 px window": 911}
WIDTHS_SWEPT = range(470, 1001, 75)
DPI = 100  # matplotlib's, times the screen's device pixel ratio: sizes in inches are the same
# Side by side, tick labels closer than this read as one ("Aug 2026Sep 2026"); one above
# another they only must not overlap (a line of text has no more gap than that).
MIN_GAP_IN = 0.1


MEDICINE_NAMES = ("Vitamin D", "Amlodipine 5 mg", "Quinine", "A supplement with a very long name")


@pytest.fixture(scope="module")
def diaries(tmp_path_factory):
    """PatternData per (diary, preset): empty, one episode (one check-in, one medicine), and
    20,000 over ten years with check-ins on most days and medicines started and stopped, some
    close together (their names crowd the over-time chart)."""
    folder = tmp_path_factory.mktemp("diaries")
    out = {}
    for name in ("empty", "tiny", "ten years"):
        store = Store.open(folder / f"{name}.sqlite")
        try:
            if name == "tiny":
                when = datetime(2026, 11, 17, 3, 10, tzinfo=timezone(timedelta(hours=1)))
                store.add_episode(make_episode(started_at=when))
                store.add_checkins([CheckIn(day=date(2026, 11, 16), fluids="less")], today=TODAY)
                store.add_medicine(
                    Medicine("Magnesium", "supplement", date(2026, 11, 1)), today=TODAY
                )
            elif name == "ten years":
                for i in range(5):  # the demo spans two years; five of them end to end
                    until = TODAY - timedelta(days=730 * i)
                    store.add_episodes(demo.generate(4000, seed=i + 1, until=until))
                made = demo_checkins.generate_diary(3650, seed=3, until=TODAY, episodes=False)
                store.add_checkins(made.checkins, today=TODAY)
                for medicine in made.medicines:
                    store.add_medicine(medicine, today=TODAY)
                for k, medicine_name in enumerate(MEDICINE_NAMES):  # names crowd
                    start = TODAY - timedelta(days=40 - 2 * k)
                    stop = start + timedelta(days=20) if k % 2 else None
                    store.add_medicine(
                        Medicine(medicine_name, "medicine", start, stop), today=TODAY
                    )
            for preset, period in PRESETS.items():
                out[name, preset] = aggregates.patterns(store, period, today=TODAY)
        finally:
            store.close()
    return out


def draw(function, data, width_px, dpi=DPI):
    """Draw a chart as its card does; return the figure, renderer and the texts drawn."""
    fig = Figure(figsize=(width_px / DPI, CARD_HEIGHT / DPI), dpi=dpi)
    FigureCanvasAgg(fig)
    function(data, fig)
    return (fig, *record_drawing(fig))


def record_drawing(fig):
    """Draw a figure on its Agg canvas (a card's Qt canvas is one too); return the renderer
    and every Text artist it drew."""
    canvas = fig.canvas
    renderer = canvas.get_renderer()
    drawn = []
    real_draw_text = renderer.draw_text

    def recording_draw_text(gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if mtext is not None and s.strip() and mtext not in drawn:
            drawn.append(mtext)
        return real_draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)

    renderer.draw_text = recording_draw_text
    try:
        FigureCanvasAgg.draw(canvas)
        assert canvas.get_renderer() is renderer  # the recording renderer did the drawing
    finally:
        del renderer.draw_text
    return renderer, drawn


def tick_label_groups(fig, drawn):
    """The drawn tick labels of each axis: {(axes index, 'x' or 'y'): [Text, ...]}."""
    groups = {}
    for i, ax in enumerate(fig.axes):
        for name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
            ticks = axis.get_major_ticks() + axis.get_minor_ticks()
            labels = {id(t): t for tick in ticks for t in (tick.label1, tick.label2)}
            groups[i, name] = [t for t in drawn if id(t) in labels]
    return groups


def _px(box) -> str:
    return f"x {box.x0:.0f}..{box.x1:.0f}, y {box.y0:.0f}..{box.y1:.0f} px"


def problems(fig, renderer, drawn) -> list[str]:
    found = []
    box = fig.bbox
    tolerance = 0.5  # px: anti-aliasing, not a cut-off letter
    for text in drawn:
        extent = text.get_window_extent(renderer)
        if (
            extent.x0 < box.x0 - tolerance
            or extent.x1 > box.x1 + tolerance
            or extent.y0 < box.y0 - tolerance
            or extent.y1 > box.y1 + tolerance
        ):
            found.append(f"outside the figure: {text.get_text()!r} at {_px(extent)}")
    gaps = {"x": MIN_GAP_IN * fig.dpi, "y": 0.0}
    for (i, name), labels in tick_label_groups(fig, drawn).items():
        extents = [(t.get_text(), t.get_window_extent(renderer)) for t in labels]
        gap = gaps[name]
        for a, (text_a, box_a) in enumerate(extents):
            for text_b, box_b in extents[a + 1 :]:
                apart = (
                    box_a.x1 + gap <= box_b.x0
                    or box_b.x1 + gap <= box_a.x0
                    or box_a.y1 + gap <= box_b.y0
                    or box_b.y1 + gap <= box_a.y0
                )
                if not apart:
                    found.append(f"axes {i} {name} tick labels collide: {text_a!r}, {text_b!r}")
    return found


@pytest.mark.parametrize("diary", ["empty", "tiny", "ten years"])
def test_every_chart_fits_its_card(diaries, diary):
    found = []
    for preset in PRESETS if diary != "empty" else ["all"]:  # empty looks the same in any
        data = diaries[diary, preset]
        for card, width in CARD_WIDTHS.items():
            for key, _title, function in charts.CHARTS:
                fig, renderer, drawn = draw(function, data, width)
                assert drawn, key  # at least a title
                found += [f"{key} {preset} {card}: {p}" for p in problems(fig, renderer, drawn)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("diary", ["tiny", "ten years"])
def test_the_charts_of_check_ins_fit_in_the_dark_too(diaries, diary):
    """The calendar and the over-time chart with its medicine names, on a dark window."""
    from tracker.charts.style import themed

    found = []
    for preset in PRESETS:
        for card, width in CARD_WIDTHS.items():
            for key, _title, function in charts.CHARTS:
                if key not in ("calendar", "over_time"):
                    continue
                with themed("dark"):
                    fig, renderer, drawn = draw(function, diaries[diary, preset], width)
                    found += [f"{key} {preset} {card}: {p}" for p in problems(fig, renderer, drawn)]
    assert not found, "\n".join(found)


def test_the_ten_year_diary_has_check_ins_and_medicines_on_its_charts(diaries):
    """The layout checks above see what they are meant to: marks, names, both calendars."""
    year, ten = diaries["ten years", "12m"], diaries["ten years", "all"]
    assert year.checkins.days and len(ten.checkins.days) > len(year.checkins.days)
    fig, _renderer, drawn = draw(
        dict(CHART_FUNCTIONS)["over_time"], diaries["ten years", "3m"], 470
    )
    # (a two-line note is drawn line by line, without its Text: read the axes' texts)
    texts = {t.get_text().replace("\n", " ") for t in drawn + fig.axes[0].texts}
    named = {n for n in MEDICINE_NAMES if any(n.startswith(t.rstrip("\u2026")) for t in texts)}
    assert len(named) >= 2  # the rest are crowded out, and the note says how many
    assert named == set(MEDICINE_NAMES) or any("not named" in t for t in texts)
    for data, table_head in ((year, "Day"), (ten, "Week starting")):
        fig, _renderer, drawn = draw(dict(CHART_FUNCTIONS)["calendar"], data, 946)
        assert fig.cramp_table[0][0] == table_head


CHART_FUNCTIONS = [(key, function) for key, _title, function in charts.CHARTS]


@pytest.mark.parametrize("preset", ["12m", "all"])
def test_any_card_width_from_the_narrowest_up(diaries, preset):
    """The window can have any width: step through the widths a card can have."""
    found = []
    for width in WIDTHS_SWEPT:
        for key, _title, function in charts.CHARTS:
            fig, renderer, drawn = draw(function, diaries["ten years", preset], width)
            found += [f"{key} {width} px: {p}" for p in problems(fig, renderer, drawn)]
    assert not found, "\n".join(found)


def test_a_high_dpi_screen_lays_out_the_same(diaries):
    """A 2x screen doubles matplotlib's dpi for the same card: sizes in inches stay the same."""
    data = diaries["ten years", "all"]
    for key, _title, function in charts.CHARTS:
        fig, renderer, drawn = draw(function, data, CARD_WIDTHS["narrowest"], dpi=2 * DPI)
        assert not problems(fig, renderer, drawn), key


def test_the_checks_catch_a_cut_title_and_colliding_ticks():
    """The checks themselves: a title wider than the figure and crowded tick labels fail."""

    def crowded(_data, fig):
        ax = fig.add_subplot()
        ax.set_title("A title far too long to fit on a narrow card, however it is drawn " * 2)
        ax.set_xticks(range(12), [f"{m} 2026" for m in "Jan Feb Mar Apr May Jun".split() * 2])
        return fig

    fig, renderer, drawn = draw(crowded, None, CARD_WIDTHS["narrowest"])
    found = problems(fig, renderer, drawn)
    assert any(p.startswith("outside the figure: 'A title far too long") for p in found)
    assert any("x tick labels collide" in p for p in found)
