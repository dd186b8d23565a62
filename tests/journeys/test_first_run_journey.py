"""Journey: a person opens Cramp Tracker for the first time, looks at the example data, goes
back to their own (still empty) diary and logs their first cramp. Twice: the second time on
another fresh diary in the same folder, so the example made the first time is replaced."""

from __future__ import annotations

import hashlib

from PySide6.QtCore import Qt

from tests.journeys.conftest import Session
from tests.journeys.driver import Journey, WaitUntil
from tests.journeys.person import click, focused_in, key
from tracker.store import Store
from ui.shell.main_window import EXAMPLE_TITLE


def _snapshot(path) -> tuple[str, ...]:
    """The diary file and its -wal, byte for byte: any write while open lands in one of them."""
    files = (path, path.with_name(path.name + "-wal"))
    return tuple(hashlib.sha256(f.read_bytes()).hexdigest() for f in files if f.exists())


def _first_run(session: Session) -> None:
    window = session.open()
    store = session.store
    history = lambda: window.history  # noqa: E731 (built after the first paint)
    snapshots = []
    journey = Journey()
    journey.add(
        "pages built",
        lambda: WaitUntil(lambda: getattr(window, "example_diary", None) is not None, "pages"),
    )

    def welcome_shown():
        assert history().stack.currentWidget() is history().welcome
        assert history().welcome.isVisible()
        assert not history().table.isVisible()
        snapshots.append(_snapshot(store.path))
        click(history().welcome.explore_button)
        return WaitUntil(lambda: window.showing_example, "the example diary")

    def example_shown():
        assert window.windowTitle() == EXAMPLE_TITLE
        assert window.store is not store and store.count_episodes() == 0
        assert window.example_diary.notice.isVisible()
        assert history().table.isVisible() and history().model.rowCount() == 400
        window.tabs.setCurrentWidget(window.patterns_page)  # look around a little
        return 50

    def back_to_my_diary():
        window.tabs.setCurrentWidget(history())
        click(window.example_diary.notice.back_button)
        return WaitUntil(lambda: not window.showing_example, "my diary again")

    def my_empty_diary_again():
        assert window.store is store
        assert _snapshot(store.path) == snapshots[0], "exploring wrote to the person's diary"
        assert window.windowTitle() == f"{store.path.name} — Cramp Tracker"
        assert not window.example_diary.notice.isVisible()
        assert history().welcome.isVisible()
        click(history().welcome.log_button)
        return WaitUntil(
            lambda: window.log_dialog is not None and window.log_dialog.isVisible(), "the form"
        )

    def press_enter():
        key(focused_in(window.log_dialog), Qt.Key.Key_Return)
        return WaitUntil(lambda: store.count_episodes() == 1, "the first cramp saved")

    def table_shows_it():
        return WaitUntil(
            lambda: (
                window.log_dialog is None
                and history().table.isVisible()
                and history().model.rowCount() == 1
            ),
            "the first cramp in the table",
        )

    journey.add("the welcome, then Explore with example data", welcome_shown)
    journey.add("the example diary, titled as such", example_shown)
    journey.add("Back to my diary", back_to_my_diary)
    journey.add("my diary, empty, then Log your first cramp", my_empty_diary_again)
    journey.add("Enter saves it", press_enter)
    journey.add("the table shows it", table_shows_it)
    journey.run()


def test_first_run_explore_back_and_log_the_first_cramp_twice(sessions, tmp_path):
    folder = tmp_path / "diary"
    for name in ("cramps.sqlite", "second.sqlite"):  # a fresh diary each time, same folder
        path = folder / name
        session = sessions()
        session.db_path = path
        _first_run(session)
        example = session.window.example_diary
        session.close()
        assert not example.active
        with Store.open(path) as store:
            (episode,) = store.iter_episodes()  # the first cramp and nothing from the example
            assert episode.severity is None  # Enter on the form: only time and duration
        with Store.open(folder / "example-diary" / "example-diary.sqlite") as example_store:
            assert example_store.count_episodes() == 400  # made afresh the second time
