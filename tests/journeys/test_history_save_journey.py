"""Journey: saving, deleting and undoing with the history open places each changed row in the
table (one indexed query) instead of reading every id again, and keeps the selection."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from tests.journeys.driver import Journey, WaitUntil
from tests.journeys.person import CTRL, focused_in, key
from tracker.diary.demo import generate
from tracker.store import Store

EPISODES = 300


def test_the_history_places_each_saved_row(sessions):
    session = sessions()
    with Store.open(session.db_path) as store:
        store.add_episodes(generate(EPISODES, seed=11, until=date.today()))
    window = session.open()
    store = session.store
    journey = Journey()
    resets: list[int] = []

    def history_ready():
        return WaitUntil(
            lambda: window.history is not None and window.history.model.rowCount() == EPISODES,
            "the history",
        )

    def watch_resets():
        window.history.model.modelReset.connect(lambda: resets.append(1))

    def same_as_a_fresh_read(expected):
        model = window.history.model
        assert model.rowCount() == expected == store.count_episodes()
        assert [model.episode_id(r) for r in range(expected)] == store.history_ids()
        assert resets == [], "the history read every id again"

    journey.add("history shown", history_ready)
    journey.add("watch for full reloads", watch_resets)
    for number in (1, 2):
        expected = EPISODES + number
        journey.add(
            f"{number}: press Ctrl+N",
            lambda: (
                key(window, Qt.Key.Key_N, CTRL)
                or WaitUntil(lambda: window.log_dialog is not None, "the log form")
            ),
        )
        journey.add(
            f"{number}: press Enter",
            lambda expected=expected: (
                key(focused_in(window.log_dialog), Qt.Key.Key_Return)
                or WaitUntil(
                    lambda: window.history.model.rowCount() == expected, f"{expected} rows"
                )
            ),
        )
        journey.add(f"{number}: rows placed", lambda e=expected: same_as_a_fresh_read(e))

    for number in (1, 2):
        expected = EPISODES + 2 - number

        def delete_newest(expected=expected):
            window.history.table.setFocus()
            window.history.table.selectRow(0)
            key(window.history.table, Qt.Key.Key_Delete)
            return WaitUntil(lambda: window.history.model.rowCount() == expected, "row removed")

        journey.add(f"delete {number}: select the newest, press Delete", delete_newest)
        journey.add(f"delete {number}: row removed", lambda e=expected: same_as_a_fresh_read(e))

    def undo_delete():
        key(window, Qt.Key.Key_Z, CTRL)
        return WaitUntil(lambda: window.history.model.rowCount() == EPISODES + 1, "row back")

    journey.add("Ctrl+Z", undo_delete)
    journey.add("row back in its place", lambda: same_as_a_fresh_read(EPISODES + 1))
    journey.add("close the window", window.close)
    journey.run()
