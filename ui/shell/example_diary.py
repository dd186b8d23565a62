"""Explore with example data: a separate demo diary, never mixed into the person's own.

The welcome on an empty History page offers it. The example is its own file in its own folder
(``<data folder>/example-diary/example-diary.sqlite``, with its own backups folder), made fresh
each time from tracker/diary/demo.py, with the last EXAMPLE_CHECKIN_DAYS days made by
tracker/diary/demo_checkins.py: daily check-ins, two medicines and cramps that follow known
effects, so "What goes with your cramps" on the Tips page has something to show (the example
keeps its EXAMPLE_EPISODES cramps in all). While it is shown the title bar says "Example
data", a notice above the pages offers the way back, and File > Import and Restore are off
(they would act on the example, and it is replaced next time).

The person's diary stays open, unused, while the example is shown: its lock keeps any other
copy of the app away from it, so going back can never fail, and nothing can write to it
meanwhile because every page and action reads ``window.store``, which is the example then.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from tracker.diary import demo, demo_checkins
from tracker.store import Store, StoreError
from ui.widgets import theme

if TYPE_CHECKING:
    from ui.shell.main_window import MainWindow

EXAMPLE_FOLDER = "example-diary"
EXAMPLE_FILE = "example-diary.sqlite"
NOTICE_TEXT = (
    "You are looking at example data, not your diary. Try anything: what you change here stays "
    "in the example and is replaced next time."
)


# Days of check-ins in the example: enough for the demo's built-in effects (fewer fluids, more
# cramps the next night; hard exercise, the same day; a medicine started) to show clearly.
EXAMPLE_CHECKIN_DAYS = 240


def example_path(own_path: Path) -> Path:
    return Path(own_path).parent / EXAMPLE_FOLDER / EXAMPLE_FILE


def create_example(path: Path, today: date | None = None) -> Store:
    """The example diary at ``path``, returned open: demo.generate's cramps over two years and,
    in the last EXAMPLE_CHECKIN_DAYS days, check-ins, medicines and their cramps
    (demo_checkins.generate_diary), EXAMPLE_EPISODES cramps in all. Days end the day before
    yesterday, so no night's cramp lies ahead of now."""
    today = today or date.today()
    diary = demo_checkins.generate_diary(EXAMPLE_CHECKIN_DAYS, until=today - timedelta(days=1))
    others = max(0, demo.EXAMPLE_EPISODES - len(diary.episodes))
    store = demo.create_example_diary(path, count=others, until=today)
    try:
        store.add_episodes(diary.episodes)
        store.add_checkins(diary.checkins, today=today)
        for medicine in diary.medicines:
            store.add_medicine(medicine, today=today)
    except BaseException:
        store.close()
        raise
    return store


class ExampleNotice(QFrame):
    """'You are looking at example data, not your diary.' with Back to my diary."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exampleNotice")
        self.setAccessibleName("Example data")
        theme.keep_notice_style(self, "info", "#exampleNotice")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 2, 4, 2)
        self.label = QLabel(NOTICE_TEXT)
        self.label.setWordWrap(True)
        layout.addWidget(self.label, 1)
        self.back_button = QPushButton("Back to my diary")
        self.back_button.setAccessibleName("Back to my diary")
        layout.addWidget(self.back_button)
        self.hide()


class ExampleDiary(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.own_store: Store | None = None  # the person's diary, while the example is shown
        self.example_store: Store | None = None
        self.notice = ExampleNotice()
        self.notice.back_button.clicked.connect(self.back_to_my_diary)
        window.notice_layout.insertWidget(0, self.notice)
        assert window.history is not None  # finish_setup() builds it before the features
        window.history.welcome.explore_requested.connect(self.explore)
        window.closing.connect(self.back_to_my_diary)

    @property
    def active(self) -> bool:
        return self.example_store is not None

    def explore(self) -> bool:
        """Show a fresh example diary in the window; False if it could not be shown."""
        window = self.window
        if self.active:
            return True
        if window.timer.running:  # its cramp belongs in the person's diary
            window.show_status("Stop the cramp timer and log the cramp before exploring.")
            return False
        if window.log_flow.recovery_notice is not None:
            window.show_status("Log or discard the timed cramp above before exploring.")
            return False
        try:
            example = create_example(example_path(window.store.path))
        except (StoreError, OSError) as exc:
            window.show_error(f"The example diary could not be made: {exc}")
            return False
        self.own_store = window.store
        self.example_store = example
        self._switch(example, showing_example=True)
        window.show_status(
            f"Showing {example.count_episodes():,} example cramps. Your diary is unchanged."
        )
        return True

    def back_to_my_diary(self) -> None:
        example, own = self.example_store, self.own_store
        if example is None or own is None:
            return
        self.example_store = self.own_store = None
        self._switch(own, showing_example=False)
        example.close()
        self.window.show_status("Back to your diary.")

    def _switch(self, store: Store, *, showing_example: bool) -> None:
        window = self.window
        # Open non-modal dialogs (the summary for the doctor) read the diary they opened on.
        for dialog in window.findChildren(QDialog):
            if dialog.isVisible():
                dialog.close()
        window.showing_example = showing_example
        window.replace_store(store)  # every page follows; undo history is dropped
        self.notice.setVisible(showing_example)
        data_menu = window.data_menu
        if data_menu is not None:
            for action in (data_menu.import_action, data_menu.restore_action):
                action.setEnabled(not showing_example)


def install(window: MainWindow) -> ExampleDiary:
    """Offer the example from the welcome; the window keeps it as ``example_diary``."""
    return ExampleDiary(window)
