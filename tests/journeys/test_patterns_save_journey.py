"""Journey: logging cramps with Patterns open on "All dates" updates its numbers by the new
episode, without aggregating the diary again on the UI thread or rebuilding every chart."""

from __future__ import annotations

import threading
from datetime import date

from PySide6.QtCore import Qt

from tests.journeys.driver import Journey, WaitUntil
from tests.journeys.person import CTRL, focused_in, key
from tracker.analysis import aggregates
from tracker.diary.demo import generate
from tracker.diary.periods import ALL, Period, preset_period
from tracker.store import Store

EPISODES = 300


def test_saving_with_patterns_open_updates_it_by_the_change(sessions, monkeypatch):
    session = sessions()
    with Store.open(session.db_path) as store:
        store.add_episodes(generate(EPISODES, seed=7, until=date.today()))
        store.set_setting("patterns.range", ALL)
    window = session.open()
    store = session.store
    on_ui_thread: list[Period] = []
    real_patterns = aggregates.patterns

    def counting(source, period, *args, **kwargs):
        if threading.current_thread() is threading.main_thread():
            on_ui_thread.append(period)
        return real_patterns(source, period, *args, **kwargs)

    monkeypatch.setattr(aggregates, "patterns", counting)
    journey = Journey()
    state: dict[str, object] = {}

    def open_patterns():
        window.tabs.setCurrentWidget(window.patterns_page)
        return WaitUntil(
            lambda: (
                window.patterns_page.data is not None
                and window.patterns_page.data.total == EPISODES
            ),
            "Patterns to show every episode",
        )

    journey.add("pages built", lambda: WaitUntil(lambda: window.patterns_page is not None, "pages"))
    journey.add("open Patterns on All dates", open_patterns)

    def precomputed():
        page = window.patterns_page
        page.wait_for_precompute()
        return WaitUntil(lambda: preset_period("12m", date.today()) in page._cache, "12 months")

    journey.add("the other ranges are ready", precomputed)

    for number in (1, 2):
        expected = EPISODES + number

        def press_ctrl_n():
            page = window.patterns_page
            state["builds"] = sum(card.builds for card in page.cards)
            on_ui_thread.clear()
            key(window, Qt.Key.Key_N, CTRL)
            return WaitUntil(lambda: window.log_dialog is not None, "the log form")

        def press_enter(expected=expected):
            key(focused_in(window.log_dialog), Qt.Key.Key_Return)
            return WaitUntil(
                lambda: (
                    window.patterns_page.data.total == expected
                    and window.history.model.rowCount() == expected
                ),
                f"{expected} episodes in Patterns and the history",
            )

        def check(expected=expected):
            page = window.patterns_page
            assert on_ui_thread == []  # nothing aggregated the whole diary on the UI thread
            assert f"{expected:,} episodes" in page.summary.text()
            twelve = page._cache[preset_period("12m", date.today())][0]
            assert twelve.total == aggregates.count(store, twelve.period)  # kept and updated
            built = sum(card.builds for card in page.cards) - int(state["builds"])
            assert built < len(page.cards)

        journey.add(f"{number}: press Ctrl+N", press_ctrl_n)
        journey.add(f"{number}: press Enter", press_enter)
        journey.add(f"{number}: Patterns updated by the change", check)
    journey.run()
    assert store.count_episodes() == EPISODES + 2
