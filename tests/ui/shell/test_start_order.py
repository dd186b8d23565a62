"""Start-up order: the newest episodes are painted first, the other pages are installed after."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QSettings

from tests.factories import make_episode
from ui.shell import main_window
from ui.shell.main_window import MainWindow


def _window(store, tmp_path):
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    return MainWindow(store, settings, install_features=False, defer_pages=True)


def _seen_when_called(window):
    seen: list[tuple[bool, bool]] = []

    def then():
        seen.append((window.history is not None, window.patterns_page is not None))
        window.finish_setup()

    return seen, then


def test_pages_are_installed_after_the_history_is_painted(qtbot, store, tmp_path):
    now = datetime.now().astimezone().replace(microsecond=0)
    for hours in range(3):
        store.add_episode(make_episode(started_at=now - timedelta(hours=hours + 1)))
    window = _window(store, tmp_path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    seen, then = _seen_when_called(window)
    window.show_history_then(then)
    assert window.history is not None and window.patterns_page is None  # not yet: not painted
    qtbot.waitUntil(lambda: bool(seen), timeout=2000)
    assert seen == [(True, False)]  # history built, pages still to come
    assert window.patterns_page is not None and window.history.table.model().rowCount() == 3


def test_an_empty_diary_installs_the_pages_in_the_next_turn(qtbot, store, tmp_path):
    window = _window(store, tmp_path)
    qtbot.addWidget(window)
    window.show()
    seen, then = _seen_when_called(window)
    window.show_history_then(then)
    qtbot.waitUntil(lambda: bool(seen), timeout=main_window.FIRST_PAINT_WAIT_MS // 2)
    assert window.patterns_page is not None


def test_a_window_that_never_paints_still_gets_its_pages(qtbot, store, tmp_path, monkeypatch):
    monkeypatch.setattr(main_window, "FIRST_PAINT_WAIT_MS", 50)
    store.add_episode(make_episode())
    window = _window(store, tmp_path)
    qtbot.addWidget(window)  # never shown: no paint will come
    seen, then = _seen_when_called(window)
    window.show_history_then(then)
    qtbot.waitUntil(lambda: bool(seen), timeout=2000)
    assert seen == [(True, False)] and window.patterns_page is not None
