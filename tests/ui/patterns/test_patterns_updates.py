"""The Patterns page after a save, edit, delete or undo: its kept ranges are updated by the
change (never aggregated again on the UI thread), and only the charts whose numbers changed are
built again."""

import threading
from datetime import datetime, timedelta

import pytest

from tests.ui.patterns.test_patterns_page import TODAY, TZ, fill
from tracker.analysis import aggregates
from tracker.diary.demo import generate
from ui.patterns.page import PatternsPage, period_for


@pytest.fixture
def ui_thread_aggregations(monkeypatch):
    """Periods aggregated from scratch on the UI thread."""
    calls = []
    real = aggregates.patterns

    def counting(source, period, *args, **kwargs):
        if threading.current_thread() is threading.main_thread():
            calls.append(period)
        return real(source, period, *args, **kwargs)

    monkeypatch.setattr(aggregates, "patterns", counting)
    return calls


def rebuilds(page) -> dict[str, int]:
    return {card.key: card.rebuilds for card in page.cards}


def changed(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {key for key in after if after[key] != before[key]}


def test_an_edit_rebuilds_only_the_charts_whose_numbers_changed(page, ui_thread_aggregations):
    store = page.store
    before = rebuilds(page)
    episode = store.get_episode(1)
    store.update_episode(episode.replace(activity="walking"))
    page.set_store(store)
    assert changed(before, rebuilds(page)) == {"activity"}
    assert page.data.activity["walking"] == 1
    assert ui_thread_aggregations == []
    before = rebuilds(page)
    store.update_episode(episode.replace(duration_s=700))  # duration; activity back to in bed
    page.set_store(store)
    assert changed(before, rebuilds(page)) == {"activity", "distribution"}  # the median stays


def test_a_save_delete_and_undo_update_every_kept_range(page, ui_thread_aggregations):
    store = page.store
    for key in ("30d", "all"):
        page.compute(period_for(key, TODAY))
    ui_thread_aggregations.clear()
    when = datetime.combine(TODAY, datetime.min.time(), TZ).replace(hour=23)
    saved = store.add_episode(fill_like(store, when))
    page.set_store(store)
    totals = {key: page._cache[period_for(key, TODAY)][0].total for key in ("30d", "3m", "all")}
    assert totals == {"30d": 8, "3m": 10, "all": 11}
    assert "10 episodes" in page.summary.text()
    deleted = store.delete_episode(saved.id)
    page.set_store(store)
    assert page.data.total == 9
    store.restore_episode(deleted)
    page.set_store(store)
    assert page.data.total == 10
    assert ui_thread_aggregations == []
    fresh = aggregates.patterns(store, period_for("all", TODAY), today=TODAY)
    assert repr(page._cache[period_for("all", TODAY)][0]) == repr(fresh)


def fill_like(store, when):
    return store.get_episode(1).replace(id=None, uid=None, started_at=when)


def test_a_range_that_needs_other_bars_is_aggregated_in_the_background(
    qtbot, store, ui_thread_aggregations
):
    fill(store, [1, 2, 3])  # "All dates" spans three days: a bar per day
    page = PatternsPage(store, today=lambda: TODAY, precompute=False)
    qtbot.addWidget(page)
    page.set_range("all")
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        page.show()
    assert page.data.over_time.granularity == "day"
    ui_thread_aggregations.clear()
    old = datetime.combine(TODAY - timedelta(days=300), datetime.min.time(), TZ)
    store.add_episode(fill_like(store, old.replace(hour=9)))
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        page.set_store(store)
        assert page.data.total == 3  # the charts on screen stay until the new numbers are in
    assert page.data.total == 4 and page.data.over_time.granularity == "week"
    assert ui_thread_aggregations == []


def test_an_import_reads_every_range_again(qtbot, page):
    store = page.store
    store.add_episodes(generate(5, seed=3, until=TODAY))  # a bulk write does not say what changed
    assert store.changes_since(page._revision) is None
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        page.set_store(store)  # aggregated again in a thread, "Updating…" meanwhile
        assert page.updating
    assert page.data.total == aggregates.count(store, page.period())


def test_every_chart_says_what_it_draws():
    from tracker.charts.catalog import CHART_INPUTS, CHARTS

    assert [key for key, _, _ in CHARTS] == list(CHART_INPUTS)


def test_switching_ranges_keeps_what_was_aggregated(qtbot, page, ui_thread_aggregations):
    page.compute(period_for("all", TODAY))
    ui_thread_aggregations.clear()
    with qtbot.waitSignal(page.refreshed):
        page.set_range("all")  # saves the choice as a setting: no episode changed
    assert ui_thread_aggregations == []
    assert page.data.total == 10


def test_a_check_in_rebuilds_the_calendar_and_a_medicine_the_over_time_chart(
    page, ui_thread_aggregations
):
    from datetime import timedelta

    from tracker.diary.checkin import CheckIn, Medicine

    store = page.store
    page.compute(period_for("all", TODAY))  # a second kept range
    ui_thread_aggregations.clear()
    episodes_revision = store.revision
    before = rebuilds(page)
    store.save_checkin(CheckIn(day=TODAY - timedelta(days=2), fluids="less"), today=TODAY)
    page.checkins_changed()
    assert changed(before, rebuilds(page)) == {"calendar"}
    assert (TODAY - timedelta(days=2)).isoformat() in page.data.checkins.days
    everything = page._cache[period_for("all", TODAY)][0]
    assert (TODAY - timedelta(days=2)).isoformat() in everything.checkins.days
    before = rebuilds(page)
    store.add_medicine(Medicine("Quinine", "medicine", TODAY - timedelta(days=9)), today=TODAY)
    page.checkins_changed()
    assert changed(before, rebuilds(page)) == {"over_time"}
    over_time = page.card("over_time")
    over_time.ensure_built()
    assert "Quinine" in [t.get_text() for ax in over_time.figure.axes for t in ax.texts]
    assert ui_thread_aggregations == [] and store.revision == episodes_revision
    before = rebuilds(page)
    page.checkins_changed()  # nothing written since: nothing drawn again
    assert changed(before, rebuilds(page)) == set()
