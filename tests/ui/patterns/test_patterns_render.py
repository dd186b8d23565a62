"""Charts are built and rendered in a worker thread and shown as images; a rendering for data,
a size or a style that is no longer current is dropped; a range not yet aggregated says
"Updating…" and never shows another range's numbers as its own."""

import threading
from datetime import date

import pytest

from tests.ui.patterns.test_patterns_page import TODAY
from tracker.analysis import aggregates
from tracker.charts import render
from ui.patterns import render_worker
from ui.patterns.chart_card import ChartCard
from ui.patterns.page import period_for


def test_charts_are_rendered_off_the_ui_thread(qtbot, page, monkeypatch):
    threads = []
    real = render.build_and_render

    def recording(*args, **kwargs):
        threads.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(render, "build_and_render", recording)
    card = page.card("time_of_day")
    renders = card.canvas.renders
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        page.set_range("all")
    qtbot.waitUntil(lambda: card.canvas.renders > renders, timeout=10_000)
    assert threads and not any(threads)
    assert card.canvas.image is not None and not card.canvas.image.isNull()
    ratio = card.canvas.device_pixel_ratio
    assert card.canvas.image.width() == round(card.canvas.width() * ratio)
    assert card.table_rows()[1][2][1] == 10  # the worker's figure: all ten episodes


@pytest.fixture
def gated_card(qtbot):
    """A card whose drawing waits for a gate in the worker, on a renderer of its own."""
    gate = threading.Event()
    drawn = []

    def draw(data, figure):
        if data == "old":
            gate.wait(10)
        drawn.append(data)
        figure.add_subplot().set_title(f"data {data}")

    renderer = render_worker.ChartRenderer()
    card = ChartCard("test", "Test chart", draw, renderer=renderer)
    qtbot.addWidget(card)
    card.resize(600, 400)
    card.show()
    yield card, gate, renderer, drawn
    gate.set()
    renderer.wait_idle(10)


def test_a_rendering_for_old_data_is_dropped(qtbot, gated_card):
    card, gate, renderer, drawn = gated_card
    card.show_data("old")
    qtbot.waitUntil(lambda: renderer.busy, timeout=10_000)  # the old one is being drawn
    card.show_data("new")
    card.canvas.repaint()  # on screen: asks for the new one
    gate.set()
    qtbot.waitUntil(lambda: card.canvas.renders == 1, timeout=10_000)
    qtbot.waitUntil(lambda: card.dropped == 1, timeout=10_000)
    assert drawn == ["old", "new"]
    assert card.figure.axes[0].get_title() == "data new"  # the old one never showed
    assert card.canvas.renders == 1


def test_a_rendering_for_an_old_width_is_dropped(qtbot, gated_card):
    card, gate, renderer, drawn = gated_card
    card.show_data("old")
    qtbot.waitUntil(lambda: renderer.busy, timeout=10_000)
    card.resize(900, 400)  # laid out again for the new width
    qtbot.waitUntil(lambda: card.canvas.width() > 700)
    gate.set()
    qtbot.waitUntil(lambda: card.canvas.renders == 1, timeout=10_000)
    assert card.dropped == 1
    assert card.figure.get_figwidth() * 100 == pytest.approx(card.canvas.width(), abs=1)


def test_a_range_not_yet_aggregated_says_updating_until_its_own_numbers_are_in(
    qtbot, page, monkeypatch
):
    gate = threading.Event()
    real = aggregates.patterns

    def slow(source, period, *args, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            gate.wait(10)
        return real(source, period, *args, **kwargs)

    monkeypatch.setattr(aggregates, "patterns", slow)
    before = page.data
    page.set_custom_range(date(2026, 11, 1), date(2026, 11, 19))
    assert page.updating and page.summary.text() == "Updating…"
    assert page.data is before  # the old numbers stay, greyed, and are not called current
    assert not page.insight_box.isEnabled() and not page.cards[0].isEnabled()
    page.set_range("all")  # changed again before the first was in
    assert page.updating
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        gate.set()
    qtbot.waitUntil(lambda: not page.updating, timeout=10_000)
    assert page.data.period == period_for("all", TODAY) and page.data.total == 10
    assert "10 episodes" in page.summary.text()
    assert page.insight_box.isEnabled() and page.cards[0].isEnabled()


def test_the_page_threads_do_not_check_the_whole_file_again(qtbot, page, monkeypatch):
    """Store.reader: the file was checked when the app opened it; a quick_check per thread
    cost 0.33 s at 1,000,000 episodes."""
    from tracker.store import opening

    checked = []
    real = opening.check_integrity

    def recording(conn, path):
        checked.append(threading.current_thread().name)
        return real(conn, path)

    monkeypatch.setattr(opening, "check_integrity", recording)
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        page.set_range("12m")  # not kept: aggregated in a thread
    assert page.data.period == period_for("12m", TODAY)
    assert checked == []
