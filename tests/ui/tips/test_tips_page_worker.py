"""The Tips page gathers "For you" in a worker thread: the UI keeps turning, what is shown stays
until the newest answer is in, an older answer is dropped, saves in a row coalesce, and an
answer arriving after the page is gone is ignored."""

import threading
import time
from datetime import datetime, timedelta

import pytest
import shiboken6
from PySide6.QtCore import Qt, QTimer

from tests.factories import make_episode
from tracker.advice import doctor_rules, for_you, knowledge, tips
from tracker.advice.profile import load_profile
from tracker.store import Store, StoreError
from ui.tips import feature as tips_feature
from ui.tips.page import UPDATING_TEXT, TipsPage


def _now():
    return datetime.now().astimezone().replace(microsecond=0)


def _add(store, hours_ago=1, **fields):
    return store.add_episode(make_episode(started_at=_now() - timedelta(hours=hours_ago), **fields))


class Gate:
    """Wraps for_you.gather: records each call's thread, and holds the calls it is told to."""

    def __init__(self, monkeypatch):
        self.real = for_you.gather
        self.threads: list[threading.Thread] = []
        self.hold = threading.Event()
        self.hold.set()  # open: calls go straight through
        self.entered = threading.Semaphore(0)
        monkeypatch.setattr(for_you, "gather", self)

    def __call__(self, *args, **kwargs):
        self.threads.append(threading.current_thread())
        self.entered.release()
        assert self.hold.wait(30)
        return self.real(*args, **kwargs)

    def wait_entered(self):
        assert self.entered.acquire(timeout=30)


def _expected_ids(store):
    kb = knowledge.default()
    alerts = doctor_rules.alerts_now(store, load_profile(store), _now())
    return [m.tip.id for m in tips.for_you(kb, store, alerts=alerts)[: for_you.FOR_YOU_LIMIT]]


@pytest.fixture
def page(qtbot, store):
    page = TipsPage(store)
    qtbot.addWidget(page)
    return page


def test_for_you_is_gathered_off_the_ui_thread(qtbot, page, store, monkeypatch):
    gate = Gate(monkeypatch)
    _add(store, footwear="high_heels")
    page.show()
    assert page.wait_for_refresh()
    assert gate.threads and threading.main_thread() not in gate.threads
    assert "avoid-heels" in page.shown_ids()
    assert "Your latest episode was in high heels" in page.for_you_view.toPlainText()


def test_the_ui_keeps_turning_while_a_slow_gathering_runs(qtbot, page, store, monkeypatch):
    _add(store, footwear="high_heels")
    page.show()
    assert page.wait_for_refresh()
    before = page.for_you_view.toPlainText()
    real = for_you.gather

    def slow(*args, **kwargs):
        end = time.perf_counter() + 0.8
        while time.perf_counter() < end:  # Python work, holding the GIL as aggregation does
            sum(range(1000))
        return real(*args, **kwargs)

    monkeypatch.setattr(for_you, "gather", slow)
    gaps, last = [], [time.perf_counter()]

    def tick():
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    watchdog = QTimer()
    watchdog.setInterval(5)
    watchdog.timeout.connect(tick)
    watchdog.start()
    _add(store, hours_ago=0.5, hydration="under")
    began = time.perf_counter()
    page.mark_stale()
    returned = time.perf_counter() - began
    # meanwhile: the old tips stay, with "Updating…" beside them
    assert page.updating.isVisible() and page.updating.text() == UPDATING_TEXT
    assert page.for_you_view.toPlainText() == before
    qtbot.waitUntil(lambda: not page.refreshing, timeout=30_000)
    watchdog.stop()
    assert returned < 0.3  # the UI thread only asks
    assert len(gaps) > 20 and max(gaps) < 0.6, max(gaps)  # on the UI thread: one 800 ms gap
    assert not page.updating.isVisible()
    assert "drink-water" in page.shown_ids()


def test_saves_in_a_row_coalesce_and_an_older_answer_is_dropped(qtbot, page, store, monkeypatch):
    page.show()
    assert page.wait_for_refresh()
    gate = Gate(monkeypatch)
    gate.hold.clear()
    shown = []
    page.refreshed.connect(lambda: shown.append(page.shown_ids()))
    _add(store, hours_ago=3, footwear="high_heels")
    page.mark_stale()
    gate.wait_entered()  # the first gathering runs (and reads the heels) ...
    for hours_ago in (2, 1.5, 1):  # ... while three more saves come in
        _add(store, hours_ago=hours_ago, hydration="under", activity="in_bed")
        page.mark_stale()
    assert page.refreshing and page.updating.isVisible()
    gate.hold.set()
    qtbot.waitUntil(lambda: not page.refreshing, timeout=30_000)
    page.wait_for_refresh()
    assert len(gate.threads) == 2  # the first, then one for the three saves after it
    assert len(shown) == 1  # the first answer, already old when it came, never shown
    assert shown[0] == page.shown_ids() == _expected_ids(store)
    assert "4 of your last" in page.for_you_view.toPlainText() or "All of your" in (
        page.for_you_view.toPlainText()
    )


def test_an_answer_after_the_page_is_gone_is_ignored(qtbot, store, monkeypatch):
    errors = []
    monkeypatch.setattr(threading, "excepthook", lambda args: errors.append(args.exc_value))
    gate = Gate(monkeypatch)
    gate.hold.clear()
    page = TipsPage(store)
    page.show()
    gate.wait_entered()
    worker = page._worker
    assert worker is not None
    shiboken6.delete(page)
    gate.hold.set()
    worker.join(30)
    qtbot.wait(20)  # anything posted would be delivered now
    assert not worker.is_alive() and errors == []


def test_closing_the_window_waits_for_the_worker(qtbot, window, store, monkeypatch):
    feature = tips_feature.install(window)
    gate = Gate(monkeypatch)
    gate.hold.clear()
    window.tabs.setCurrentWidget(feature.page)
    gate.wait_entered()
    worker = feature.page._worker
    threading.Timer(0.05, gate.hold.set).start()  # not a QTimer: the UI thread is waiting
    window.close()  # its reader is closed before the window lets go of the diary
    assert worker is not None and not worker.is_alive()
    assert not feature.page.refreshing


def test_the_page_shows_the_right_tips_after_a_save(qtbot, window, store):
    """A save through the log form (Enter) while the Tips page is on screen."""
    feature = tips_feature.install(window)
    _add(store, hours_ago=30, footwear="high_heels")
    window.episodes_changed.emit()
    window.tabs.setCurrentWidget(feature.page)
    assert feature.page.wait_for_refresh()
    assert "drink-water" not in feature.page.shown_ids()
    for _ in range(2):  # twice: the second save updates the findings kept from the first
        dialog = window.open_log_dialog()
        qtbot.waitExposed(dialog)
        form = dialog.form
        form.hydration.set_value("under")
        form.minutes_spin.setValue(1)
        form.minutes_spin.setFocus()
        qtbot.keyClick(form.minutes_spin, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda dialog=dialog: not dialog.isVisible())
        assert window.tabs.currentWidget() is feature.page
        qtbot.waitUntil(lambda: not feature.page.refreshing, timeout=30_000)
        assert feature.page.shown_ids() == _expected_ids(store)


def test_a_diary_that_cannot_be_read_beside_is_gathered_here(qtbot, page, store, monkeypatch):
    def refuse(self):
        raise StoreError("no reader here")

    monkeypatch.setattr(Store, "reader", refuse)
    _add(store, footwear="high_heels")
    page.show()
    assert page.wait_for_refresh()
    assert "avoid-heels" in page.shown_ids()


def test_a_new_palette_redraws_without_gathering_again(qtbot, window, store, monkeypatch):
    feature = tips_feature.install(window)
    _add(store, footwear="high_heels")
    window.episodes_changed.emit()
    window.tabs.setCurrentWidget(feature.page)
    assert feature.page.wait_for_refresh()
    gate = Gate(monkeypatch)
    light = feature.page.for_you_view.toHtml()
    window.appearance.choose("dark")
    qtbot.wait(20)
    assert gate.threads == [] and not feature.page.refreshing
    dark = feature.page.for_you_view.toHtml()
    assert dark != light and "avoid-heels" in feature.page.shown_ids()
    assert feature.page.for_you_view.toPlainText().count("Why you see this") == len(
        feature.page.matches
    )
