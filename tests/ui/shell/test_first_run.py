"""First run: an empty diary shows a welcome (what the app does, log the first cramp, explore
an example diary kept apart from the person's own); windows and dialogs fit a 1366x768 screen."""

import hashlib

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QApplication

from tests.factories import make_episode
from tracker.store import HistoryFilter, Store
from ui.report import dialog as report_dialog
from ui.shell import example_diary
from ui.shell.main_window import EXAMPLE_TITLE, MainWindow
from ui.widgets import screen_fit

LAPTOP = QRect(0, 0, 1366, 768 - 32)  # a 1366x768 screen less a panel


def _sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def full_window(qtbot, store, settings):
    window = MainWindow(store, settings)  # every feature installed
    qtbot.addWidget(window)
    window.show()
    return window


# ---- the welcome
def test_welcome_only_while_the_diary_is_empty(window, store):
    history = window.history
    assert history.stack.currentWidget() is history.welcome
    assert not history.filters.isVisible()
    assert "private diary" in history.welcome.about.text()
    store.add_episode(make_episode())
    window.episodes_changed.emit()
    assert history.stack.currentWidget() is history.table
    assert history.filters.isVisible()
    # A search or filter that finds nothing is not an empty diary: the table stays.
    history.model.set_filter(HistoryFilter(text="no such words"))
    history._update_count()
    assert history.stack.currentWidget() is history.table
    history.clear_filters()
    (episode,) = store.iter_episodes()
    store.delete_episode(episode.id)
    window.episodes_changed.emit()
    assert history.stack.currentWidget() is history.welcome


def test_log_your_first_cramp_opens_the_form_and_the_table_follows(window, store, qtbot):
    welcome = window.history.welcome
    qtbot.mouseClick(welcome.log_button, Qt.MouseButton.LeftButton)
    dialog = window.log_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    dialog.form.minutes_spin.setFocus()
    qtbot.keyClick(dialog.form.minutes_spin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert store.count_episodes() == 1
    assert window.history.stack.currentWidget() is window.history.table
    assert window.history.model.rowCount() == 1


def test_the_welcome_button_is_big_and_says_what_it_does(window):
    welcome = window.history.welcome
    assert welcome.log_button.text() == "Log your first cramp"
    assert welcome.log_button.height() >= 2 * welcome.fontMetrics().height()
    assert welcome.explore_button.text() == "Explore with example data"
    assert "separate" in welcome.explore_button.accessibleDescription()


# ---- exploring an example diary
def test_explore_shows_a_separate_example_and_never_writes_to_the_diary(tmp_path, qtbot, settings):
    own_path = tmp_path / "data" / "cramps.sqlite"
    Store.open(own_path).close()
    before = _sha256(own_path)
    own = Store.open(own_path)
    window = MainWindow(own, settings)
    qtbot.addWidget(window)
    window.show()
    try:
        welcome = window.history.welcome
        qtbot.mouseClick(welcome.explore_button, Qt.MouseButton.LeftButton)
        example = window.store
        assert window.example_diary.active and example is not own
        assert example.path == own_path.parent / "example-diary" / "example-diary.sqlite"
        assert example.count_episodes() == 400
        assert window.windowTitle() == EXAMPLE_TITLE
        assert "Example data" in window.windowTitle()
        notice = window.example_diary.notice
        assert notice.isVisible() and "not your diary" in notice.label.text()
        assert window.history.stack.currentWidget() is window.history.table
        assert window.history.model.rowCount() == 400
        assert window.patterns_page.store is example and window.tips_feature.page.store is example
        assert not window.data_menu.import_action.isEnabled()
        assert not window.data_menu.restore_action.isEnabled()
        # Trying things in the example stays in the example.
        example.add_episode(make_episode())
        window.episodes_changed.emit()

        qtbot.mouseClick(notice.back_button, Qt.MouseButton.LeftButton)
        assert window.store is own and not window.example_diary.active
        assert not example.is_open  # its lock released
        assert window.windowTitle() == "cramps.sqlite — Cramp Tracker"
        assert not notice.isVisible()
        assert window.data_menu.import_action.isEnabled()
        assert window.history.stack.currentWidget() is window.history.welcome
        assert own.count_episodes() == 0
        assert window.tips_feature.page.store is own and window.patterns_page.store is own
    finally:
        window.close()
        own.close()
    # Closed, every change would be in the file itself (the -wal is folded in and removed).
    assert not (own_path.parent / "cramps.sqlite-wal").exists()
    assert _sha256(own_path) == before


def test_explore_again_makes_a_fresh_example(full_window, qtbot):
    window = full_window
    assert window.example_diary.explore()
    first = window.store
    first.add_episode(make_episode())
    window.example_diary.back_to_my_diary()
    assert window.example_diary.explore()
    assert window.store.count_episodes() == 400  # the earlier example was replaced
    window.example_diary.back_to_my_diary()


def test_closing_the_window_closes_the_example(full_window, store):
    window = full_window
    assert window.example_diary.explore()
    example = window.store
    window.close()
    assert not example.is_open
    assert window.store is store and store.is_open


def test_no_exploring_while_a_cramp_is_being_timed(full_window, store, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    window = full_window
    window.timer.toggle()
    assert not window.example_diary.explore()
    assert window.store is store  # the timed cramp will be logged in the person's diary
    assert "timer" in window.statusBar().currentMessage()
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    window.timer.toggle()
    window.log_dialog.reject()  # discard it


def test_an_example_that_cannot_be_made_is_said_plainly(full_window, store, monkeypatch):
    window = full_window
    shown = []
    monkeypatch.setattr(window, "show_error", shown.append)

    def refuse(path, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(example_diary.demo, "create_example_diary", refuse)
    assert not window.example_diary.explore()
    assert window.store is store and "disk full" in shown[0]


def test_the_window_offers_the_example_from_the_welcome(full_window):
    example = full_window.example_diary
    assert isinstance(example, example_diary.ExampleDiary)
    assert full_window.notice_layout.itemAt(0).widget() is example.notice
    assert example.notice.isHidden() and not example.active
    full_window.history.welcome.explore_requested.emit()  # the welcome's button
    assert example.active and full_window.showing_example
    example.back_to_my_diary()
    assert not example.active and not full_window.showing_example


# ---- sizes from the screen
def test_fitted_size_keeps_what_fits_and_shrinks_what_does_not():
    assert screen_fit.fitted_size(QSize(1180, 760), QRect(0, 0, 1920, 1050)) == QSize(1180, 760)
    assert screen_fit.fitted_size(QSize(1180, 760), LAPTOP) == QSize(1180, 699)
    small = QRect(0, 0, 1024, 700)
    assert screen_fit.fitted_size(QSize(1180, 760), small) == QSize(972, 665)
    rect = screen_fit.centred(QSize(1180, 699), LAPTOP)
    assert abs(rect.center().x() - LAPTOP.center().x()) <= 1
    assert abs(rect.center().y() - LAPTOP.center().y()) <= 1


def test_first_window_fits_a_1366x768_screen(qtbot, store, settings, monkeypatch):
    monkeypatch.setattr(screen_fit, "available_geometry", lambda widget: LAPTOP)
    window = MainWindow(store, settings)
    qtbot.addWidget(window)
    assert window.width() <= LAPTOP.width() * 0.95 and window.height() <= LAPTOP.height() * 0.95
    assert (window.width(), window.height()) == (1180, 699)
    assert LAPTOP.contains(window.geometry())
    # Its content can shrink that far: nothing forces a bigger window.
    minimum = window.minimumSizeHint()
    assert minimum.width() <= window.width() and minimum.height() <= window.height()


def test_first_window_fits_the_real_screen(qtbot, store, settings):
    window = MainWindow(store, settings)
    qtbot.addWidget(window)
    available = window.screen().availableGeometry()
    assert window.width() <= max(available.width(), window.minimumSizeHint().width())
    assert window.height() <= max(available.height(), window.minimumSizeHint().height())
    assert window.width() <= 1180 and window.height() <= 760


def test_print_preview_is_sized_from_the_screen(qtbot, store, monkeypatch):
    monkeypatch.setattr(screen_fit, "available_geometry", lambda widget: LAPTOP)
    monkeypatch.setattr(report_dialog, "available_geometry", lambda widget: LAPTOP)
    store.add_episode(make_episode())
    dialog = report_dialog.ReportDialog(store)
    qtbot.addWidget(dialog)
    sizes = []

    def exec_(preview):
        sizes.append(preview.size())
        return 0

    monkeypatch.setattr(report_dialog.QPrintPreviewDialog, "exec", exec_)
    dialog.preview()
    dialog.wait()  # the summary is gathered in a worker, then previewed
    (size,) = sizes
    assert size.height() <= LAPTOP.height() * 0.9
    assert size.width() <= 900
    QApplication.processEvents()


def test_example_diary_is_made_over_leftovers_and_refused_while_open(tmp_path):
    from tracker.diary import demo
    from tracker.store import DatabaseLockedError

    path = tmp_path / "example-diary" / "example-diary.sqlite"
    path.parent.mkdir()
    path.with_name(path.name + "-wal").write_bytes(b"left by a killed run")
    with demo.create_example_diary(path, count=20) as example:
        assert example.count_episodes() == 20
        with pytest.raises(DatabaseLockedError):  # another copy of the app is showing it
            demo.create_example_diary(path, count=5)
        assert example.count_episodes() == 20
