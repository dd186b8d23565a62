"""The Patterns page with qtbot: range changes redraw, empty ranges say so, charts save."""

import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from tests.factories import make_episode
from tracker.analysis import insight_keys, insights
from tracker.charts.catalog import CHARTS, EMPTY_TEXT
from ui.patterns.page import PatternsPage, period_for

TODAY = date(2026, 11, 20)
TZ = timezone(timedelta(hours=1))
ROOT = Path(__file__).resolve().parents[3]


def fill(store, days_back: list[int], **fields):
    now = datetime(2026, 11, 20, 23, 0, tzinfo=TZ)
    for back in days_back:
        when = datetime.combine(TODAY - timedelta(days=back), datetime.min.time(), TZ)
        store.add_episode(make_episode(started_at=when.replace(hour=2), **fields), now=now)


def figure_texts(card) -> list[str]:
    card.ensure_built()
    return [t.get_text() for ax in card.figure.axes for t in ax.texts]


def test_first_show_draws_the_default_range(page):
    assert page.range_key == "3m"
    assert page.data.total == 9
    assert "9 episodes" in page.summary.text()
    assert len(page.cards) == len(CHARTS)
    hours = page.card("time_of_day").table_rows()[1]
    assert hours[2] == ("02:00", 9, "yes")
    keys = [f.key for f in page.current_insights]
    assert insight_keys.TIME_NIGHT in keys and insight_keys.FOOTWEAR_TIGHT in keys


def test_range_change_updates_insights_and_charts(qtbot, page):
    with qtbot.waitSignal(page.refreshed):
        page.set_range("30d")
    assert page.data.total == 7
    assert page.card("over_time").table_rows()[1][-2] == ("2026-11-19", 0, 1, 0, 1)
    assert len(page.card("over_time").table_rows()[1]) == 30
    with qtbot.waitSignal(page.refreshed):
        page.set_range("all")
    assert page.data.total == 10
    assert page.card("time_of_day").table_rows()[1][2][1] == 10
    assert page.store.get_setting("patterns.range") == "all"


def test_empty_range_shows_the_empty_state(qtbot, page):
    shown = page.card("time_of_day")
    shown.numbers_button.click()
    assert shown.table.isVisible()
    with qtbot.waitSignal(page.refreshed):
        page.set_custom_range(date(2020, 1, 1), date(2020, 1, 31))
    assert page.range_key == "custom" and page.from_edit.isVisible()
    assert page.data.total == 0
    for card in page.cards:
        assert EMPTY_TEXT in figure_texts(card), card.key
        assert not card.numbers_button.isEnabled() and not card.save_button.isEnabled()
    assert not shown.table.isVisible() and not shown.numbers_button.isChecked()
    assert [f.text.split(".")[0] for f in page.current_insights] == [
        insights.TOO_FEW_TEXT.rstrip(".")
    ]
    texts = [w.text() for w in page.insight_box.findChildren(type(page.summary))]
    assert any("Log at least 5 episodes to see patterns" in t for t in texts)
    with qtbot.waitSignal(page.refreshed):
        page.set_range("all")
    assert shown.numbers_button.isEnabled() and shown.save_button.isEnabled()


def test_only_charts_on_screen_are_rendered_until_scrolled_to(qtbot, page):
    last = page.cards[-1]
    qtbot.waitUntil(lambda: page.cards[0].canvas.renders > 0)
    assert last.canvas.renders == 0 and last.canvas.stale
    page.scroll_area.ensureWidgetVisible(last)
    qtbot.waitUntil(lambda: last.canvas.renders > 0)


def test_episodes_changed_reloads(qtbot, page):
    fill(page.store, [0, 0])
    with qtbot.waitSignal(page.refreshed):
        page.reload()
    assert page.data.total == 11


def test_save_chart_as_png_and_svg(page, tmp_path, monkeypatch):
    card = page.card("time_of_day")
    for suffix, magic in ((".png", b"\x89PNG"), (".svg", b"<svg")):
        target = tmp_path / f"chart{suffix}"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, t=target: (str(t), ""))
        assert card.save_dialog(suffix[1:]) == target
        assert magic in target.read_bytes()[:400]
    no_suffix = tmp_path / "plain"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a: (str(no_suffix), "SVG image (*.svg)")
    )
    assert card.save_dialog() == no_suffix.with_suffix(".svg")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: ("", ""))
    assert card.save_dialog() is None


def test_numbers_table_and_tooltips(qtbot, page):
    from PySide6.QtCore import QPoint
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QToolTip

    card = page.card("time_of_day")
    card.numbers_button.click()
    assert card.table.isVisible() and card.table.rowCount() == 24
    assert card.table.item(2, 1).text() == "9"
    # The mouse over the image the worker rendered: the tooltip names the bar under it.
    qtbot.waitUntil(lambda: card.canvas.shown_figure is not None, timeout=10_000)
    figure = card.canvas.shown_figure
    x, y = figure.axes[0].transData.transform((2, 4))
    ratio = figure.dpi / 100
    QTest.mouseMove(card.canvas, QPoint(round(x / ratio), round(card.canvas.height() - y / ratio)))
    qtbot.waitUntil(lambda: QToolTip.text().startswith("02:00-02:59: 9 cramps"))
    QTest.mouseMove(card.canvas, QPoint(2, 2))  # the corner: no bar, no tooltip
    qtbot.waitUntil(lambda: not QToolTip.isVisible())


def test_tips_link_emits_the_insight_key(qtbot, page):
    labels = [w for w in page.insight_box.findChildren(type(page.summary)) if "Tips" in w.text()]
    assert labels
    with qtbot.waitSignal(page.tips_requested) as signal:
        labels[0].linkActivated.emit(insight_keys.TIME_NIGHT)
    assert signal.args == [insight_keys.TIME_NIGHT]


def test_presets_are_aggregated_ahead_in_the_background(qtbot, store):
    fill(store, [1, 2, 3, 100, 300])
    page = PatternsPage(store, today=lambda: TODAY, precompute=True)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        page.show()
    page._start_precompute()
    page.wait_for_precompute(30)
    for key in ("30d", "3m", "12m", "all"):
        assert period_for(key, TODAY) in page._cache
    assert page._cache[period_for("all", TODAY)][0].total == 5


def test_page_in_the_main_window_follows_episode_changes(qtbot, store, settings):
    from ui.shell.main_window import MainWindow

    window = MainWindow(store, settings)
    qtbot.addWidget(window)
    window.show()
    page = window.patterns_page
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        window.tabs.setCurrentWidget(page)
    fill(store, [1])
    with qtbot.waitSignal(page.refreshed):
        window.episodes_changed.emit()
    assert page.data.total == 1


def test_start_up_does_not_import_matplotlib(tmp_path):
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "import ui.shell.app, ui.shell.main_window\n"
        "from tracker.store import Store\n"
        "from PySide6.QtCore import QSettings\n"
        f"store = Store.open({str(tmp_path / 'db.sqlite')!r})\n"
        f"settings = QSettings({str(tmp_path / 's.ini')!r}, QSettings.Format.IniFormat)\n"
        "window = ui.shell.main_window.MainWindow(store, settings)\n"
        "window.show(); app.processEvents()\n"
        "assert hasattr(window, 'patterns_page')\n"
        "print('matplotlib' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_narrow_window_stacks_charts_in_one_column(qtbot, page):
    first, second = page.cards[0], page.cards[1]
    assert first.y() == second.y()  # side by side at 1280 px
    page.resize(900, 700)
    qtbot.waitUntil(lambda: second.y() > first.y())
    assert second.x() == first.x()
    page.resize(1280, 800)
    qtbot.waitUntil(lambda: second.y() == first.y())


def test_not_recorded_is_noted_and_left_out_of_shares(qtbot, store):
    """Six cramps, three with hydration (and severity) not recorded: shares are of three."""
    fill(store, [1, 2, 3], hydration="under")
    fill(store, [4, 5, 6], hydration=None, severity=None, side=None)
    page = PatternsPage(store, today=lambda: TODAY, precompute=False)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        page.show()
    assert page.data.total == 6 and page.data.not_recorded["hydration"] == 3
    card = page.card("hydration")
    assert "Shares of the 3 with hydration recorded; 3 not recorded" in figure_texts(card)
    headers, rows = card.table_rows()
    assert ("Under-hydrated", 3, "100%") in rows and rows[-1] == ("Not recorded", 3, "–")
    card.numbers_button.click()
    last = card.table.rowCount() - 1
    assert card.table.item(last, 0).text() == "Not recorded"
    assert card.table.item(last, 1).text() == "3"
    assert ("Severity not rated", 3) in page.card("distribution").table_rows()[1]
    over_time_headers, _ = page.card("over_time").table_rows()
    assert "Not rated" in over_time_headers
    assert "Side not recorded" in page.card("site").table_rows()[0]
    # Three recorded are too few for a hydration finding, however many were under-hydrated.
    keys = [f.key for f in page.current_insights]
    assert insight_keys.HYDRATION_LOW not in keys
    notes = [f.text for f in page.current_insights if f.kind == "note"]
    assert any(t.startswith("Too few cramps with hydration or severity recorded") for t in notes)


def test_chance_in_words_with_the_figures_one_click_away(qtbot, page):
    from PySide6.QtWidgets import QLabel

    from ui.patterns.page import FIGURES_LINK, HIDE_FIGURES, SHOW_FIGURES

    labels = page.insight_box.findChildren(QLabel)
    findings = [w for w in labels if w.accessibleName() == "Finding"]
    for label in findings:
        assert "p = " not in label.text() and "p &lt; " not in label.text(), label.text()
    (night,) = [w for w in findings if "started at night" in w.text()]
    assert "unlikely to be chance alone" in night.text() and SHOW_FIGURES in night.text()
    assert "p < 0.001" in night.toolTip()  # hovering shows the figures too
    figures = [w for w in labels if w.accessibleName() == "Figures behind this finding"]
    assert figures and all(w.isHidden() for w in figures)
    shown = next(w for w in figures if "cramps at night" in w.text())
    with qtbot.assertNotEmitted(page.tips_requested):
        night.linkActivated.emit(FIGURES_LINK)
    assert not shown.isHidden() and shown.isVisible()
    assert "9 of 9 cramps at night" in shown.text() and "p < 0.001" in shown.text()
    assert HIDE_FIGURES in night.text() and SHOW_FIGURES not in night.text()
    night.linkActivated.emit(FIGURES_LINK)
    assert shown.isHidden() and SHOW_FIGURES in night.text()


def test_a_trend_says_chance_in_words_and_gives_rate_ratio_on_request(qtbot, store):
    from PySide6.QtWidgets import QLabel

    from ui.patterns.page import FIGURES_LINK

    fill(store, [1, 2, 3, 4, 5, 6, 7, 8, 40])  # 8 in the last 30 days, 1 in the 30 before
    widget = PatternsPage(store, today=lambda: TODAY, precompute=False)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.set_range("30d")
    with qtbot.waitSignal(widget.refreshed, timeout=10_000):
        widget.show()
    labels = widget.insight_box.findChildren(QLabel)
    (trend,) = [w for w in labels if "more frequent" in w.text()]
    assert "unlikely to be chance alone" in trend.text() and "p = " not in trend.text()
    trend.linkActivated.emit(FIGURES_LINK)
    figures = [w for w in labels if w.accessibleName() == "Figures behind this finding"]
    (shown,) = [w for w in figures if not w.isHidden()]
    assert "rate ratio 8 (95% confidence interval" in shown.text() and "p = 0.039" in shown.text()


# ----------------------------------------------------------------- looks right everywhere


def test_first_run_charts_say_there_is_nothing_with_their_buttons_off(qtbot, store):
    """An empty diary: ten charts saying so, none offering numbers or a file to save."""
    from tracker.charts.catalog import CHARTS
    from ui.patterns.chart_card import ChartCard

    key, title, function = CHARTS[0]
    waiting = ChartCard(key, title, function)  # no data yet: nothing to show or save either
    qtbot.addWidget(waiting)
    assert not waiting.numbers_button.isEnabled() and not waiting.save_button.isEnabled()
    widget = PatternsPage(store, today=lambda: TODAY, precompute=False)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    with qtbot.waitSignal(widget.refreshed, timeout=10_000):
        widget.show()
    assert len(widget.cards) == len(CHARTS)
    for card in widget.cards:
        assert not card.numbers_button.isEnabled(), card.key
        assert not card.save_button.isEnabled(), card.key
        assert "No cramps in this period" in figure_texts(card), card.key


def test_the_mouse_wheel_over_a_chart_scrolls_the_page(qtbot, page):
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    bar = page.scroll_area.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == 0
    canvas = page.cards[0].canvas
    inside = QPointF(canvas.width() / 2, canvas.height() / 2)
    event = QWheelEvent(
        inside,
        QPointF(canvas.mapToGlobal(inside.toPoint())),
        QPoint(0, 0),
        QPoint(0, -120),  # one notch towards the user: scroll down
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(canvas, event)
    assert bar.value() > 0


def test_showing_numbers_does_not_stretch_the_neighbouring_card(qtbot, page):
    first, second, below = page.cards[0], page.cards[1], page.cards[2]
    qtbot.waitUntil(lambda: second.height() == second.sizeHint().height())  # laid out
    assert first.y() == second.y()  # side by side
    height = second.height()
    first.numbers_button.click()
    qtbot.waitUntil(lambda: first.height() > height + 50)
    assert second.height() == height  # not stretched to its taller neighbour
    # Its buttons still end the card: no empty grey frame under them.
    assert second.height() - second.save_button.geometry().bottom() < 12
    assert below.y() > first.geometry().bottom()  # the next row moved down, not into it


@pytest.mark.parametrize(
    ("window_width", "name", "columns"),
    [(1024, "1024 px window", 1), (1920, "1920 px window", 2)],
)
def test_cards_have_the_widths_the_layout_test_draws(
    qtbot, store, settings, window_width, name, columns
):
    from tests.tracker.charts.test_chart_layout import CARD_WIDTHS, PRESETS
    from ui.shell.main_window import MainWindow

    for key, period in PRESETS.items():
        assert period_for(key, TODAY) == period, key
    window = MainWindow(store, settings)
    qtbot.addWidget(window)
    window.resize(window_width, 800)
    window.show()
    page = window.patterns_page
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        window.tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page._columns == columns)
    qtbot.waitUntil(lambda: abs(page.cards[0].canvas.width() - CARD_WIDTHS[name]) <= 8)
    assert {card.canvas.width() for card in page.cards} == {page.cards[0].canvas.width()}


def test_a_narrow_window_scrolls_sideways_instead_of_squeezing_charts(qtbot, page):
    from tests.tracker.charts.test_chart_layout import CARD_WIDTHS
    from ui.patterns.chart_card import MIN_CANVAS_WIDTH
    from ui.patterns.page import NARROW_WIDTH

    assert MIN_CANVAS_WIDTH == CARD_WIDTHS["narrowest"]
    page.resize(NARROW_WIDTH, 800)  # two columns at their narrowest
    qtbot.waitUntil(lambda: page._columns == 2)
    assert page.cards[0].canvas.width() >= MIN_CANVAS_WIDTH
    page.resize(400, 800)
    qtbot.waitUntil(lambda: page._columns == 1)
    qtbot.waitUntil(lambda: page.cards[0].canvas.width() == MIN_CANVAS_WIDTH)
    assert page.scroll_area.horizontalScrollBar().maximum() > 0


def test_a_chart_is_laid_out_again_for_a_new_width(qtbot, store):
    """Built wide, then the window narrows: legends, ticks and notes are fitted again."""
    from tests.tracker.charts.test_chart_layout import problems, record_drawing

    fill(store, list(range(0, 700, 2)), severity=None)  # two years, unrated: a long legend
    fill(store, list(range(1, 700, 3)), side=None, footwear_tight=True)
    widget = PatternsPage(store, today=lambda: TODAY, precompute=False)
    qtbot.addWidget(widget)
    widget.resize(1900, 900)
    widget.set_range("all")
    with qtbot.waitSignal(widget.refreshed, timeout=10_000):
        widget.show()
    for card in widget.cards:
        card.ensure_built()
    widget.resize(1040, 900)  # two columns at their narrowest
    qtbot.waitUntil(lambda: widget.cards[0].canvas.width() < 500)
    for card in widget.cards:
        card.ensure_built()
        width = card.figure.get_figwidth() * card.figure.dpi / card.canvas.device_pixel_ratio
        assert abs(width - card.canvas.width()) <= 1, card.key
        renderer, drawn = record_drawing(card.figure)
        assert not problems(card.figure, renderer, drawn), card.key
