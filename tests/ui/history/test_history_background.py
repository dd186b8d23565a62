"""The history reading its ids in a worker (the app's way): the first rows are on screen before
every id is read, the rest follow below them without a reset, every order and filter ends equal
to a fresh read, and a newer read or a save made meanwhile wins over an older answer."""

from __future__ import annotations

import os
import sys
import threading

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QAbstractItemModelTester, QTest

from tests.ui.history_helpers import varied_episodes
from tracker.store import HistoryFilter
from tracker.store.history import HistoryIdReader
from ui.history import model as history_model
from ui.history.model import COLUMNS, HistoryModel
from ui.history.page import COUNTING, HistoryPage

COUNT = 30


@pytest.fixture
def small_first_block(monkeypatch):
    monkeypatch.setattr(history_model, "FIRST_BLOCK", 7)
    return 7


def _fill(store, count=COUNT):
    for episode in varied_episodes(count):
        store.add_episode(episode)


def _fresh(store, model: HistoryModel) -> list[int]:
    descending = model._sort_order == Qt.SortOrder.DescendingOrder
    return store.history_ids(
        model.current_filter, sort_key=COLUMNS[model._sort_column][1], descending=descending
    )


def test_first_rows_then_the_rest_below_them_without_a_reset(qtbot, store, small_first_block):
    _fill(store)
    model = HistoryModel(store, background=True)
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    resets, inserted = [], []
    model.modelReset.connect(lambda: resets.append(model.rowCount()))
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    model.reload()
    # the newest rows at once (an indexed LIMIT query), the rest still being read
    assert model.rowCount() == small_first_block and model.loading
    assert list(model._ids) == store.history_ids()[:small_first_block]
    qtbot.waitUntil(lambda: not model.loading, timeout=5000)
    assert list(model._ids) == store.history_ids()
    assert resets == [small_first_block]  # only the first block reset the model
    assert inserted == [(small_first_block, COUNT - 1)]  # the rest continued below it


@pytest.mark.parametrize("column", range(len(COLUMNS)), ids=[key for _, key in COLUMNS])
def test_every_order_and_filter_ends_equal_to_a_fresh_read(qtbot, store, column):
    _fill(store)
    model = HistoryModel(store, background=True)
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.reload()
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        model.sort(column, order)
        for flt in (HistoryFilter(), HistoryFilter(text="walk"), HistoryFilter(site_area="toes")):
            model.set_filter(flt)
            qtbot.waitUntil(lambda: not model.loading, timeout=5000)
            assert list(model._ids) == _fresh(store, model), (column, order, flt)


def test_a_newer_read_wins_over_an_older_answer(qtbot, store, small_first_block):
    _fill(store)
    model = HistoryModel(store, background=True)
    model.reload()
    model.set_filter(HistoryFilter(text="walk"))
    model.set_filter(HistoryFilter(severity_band="severe"))  # before the first one answered
    qtbot.waitUntil(lambda: not model.loading, timeout=5000)
    qtbot.wait(50)  # any late answer of the older reads would arrive now
    assert list(model._ids) == store.history_ids(HistoryFilter(severity_band="severe"))


def test_a_save_while_ids_are_read_is_placed_when_they_are_in(
    qtbot, store, small_first_block, monkeypatch
):
    _fill(store)
    gate = threading.Event()
    real_read = HistoryIdReader.read

    def slow_read(self, *args, **kwargs):
        gate.wait(5)
        return real_read(self, *args, **kwargs)

    monkeypatch.setattr(HistoryIdReader, "read", slow_read)
    model = HistoryModel(store, background=True)
    model.sort(2, Qt.SortOrder.AscendingOrder)
    model.reload()
    assert model.loading
    newest = store.history_ids()[0]
    store.delete_episode(newest)  # while the worker has not read yet
    model.refresh()  # what the page does on episodes_changed: waits for the read
    gate.set()
    qtbot.waitUntil(lambda: not model.loading, timeout=5000)
    assert newest not in list(model._ids)
    assert list(model._ids) == _fresh(store, model)


def test_a_cancelled_reader_returns_nothing(store):
    _fill(store)
    reader = HistoryIdReader(store.path)
    reader.cancel()
    assert reader.read(HistoryFilter(), "started_at", True) is None
    assert list(HistoryIdReader(store.path).read(HistoryFilter(), "side", False) or []) == (
        store.history_ids(sort_key="side", descending=False)
    )


def test_the_page_counts_once_every_id_is_in_and_sorts_on_a_header_click(
    qtbot, store, small_first_block
):
    _fill(store)
    page = HistoryPage(store, background=True)
    qtbot.addWidget(page)
    page.resize(1000, 500)
    page.show()
    qtbot.waitExposed(page)
    # the first rows are there at once; the count waits for the rest
    assert page.model.rowCount() == small_first_block
    assert page.count_label.text() == COUNTING
    qtbot.waitUntil(lambda: page.count_label.text() == f"{COUNT} episodes shown", timeout=5000)
    header = page.table.horizontalHeader()
    x = header.sectionViewportPosition(4) + header.sectionSize(4) // 2  # Severity
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    qtbot.waitUntil(lambda: not page.model.loading, timeout=5000)
    assert page.model._sort_column == 4
    assert list(page.model._ids) == _fresh(store, page.model)
    assert page.count_label.text() == f"{COUNT} episodes shown"
    page.search.setText("walk")
    page.apply_filter()
    assert page.count_label.text() == COUNTING
    qtbot.waitUntil(lambda: not page.model.loading, timeout=5000)
    walk = store.history_ids(HistoryFilter(text="walk"))
    assert page.count_label.text() == f"{len(walk)} episodes shown"


def test_closing_the_window_stops_a_read_and_closes_its_connection(
    qtbot, store, small_first_block, monkeypatch
):
    from tests.ui.conftest import MainWindow  # the window the app builds, history included

    _fill(store)
    gate = threading.Event()
    connections: list[object] = []
    real_read = HistoryIdReader.read

    def slow_read(self, *args, **kwargs):
        connections.append(self)
        gate.wait(5)
        return real_read(self, *args, **kwargs)

    monkeypatch.setattr(HistoryIdReader, "read", slow_read)
    window = MainWindow(store, install_features=False, background_loads=True)
    qtbot.addWidget(window)
    window.history.model.sort(2, Qt.SortOrder.AscendingOrder)
    model = window.history.model
    assert model.loading
    worker = model._worker
    gate.set()
    window.close()
    assert not model.loading and not worker.is_alive()
    assert connections and connections[0].cancelled  # stopped, its connection closed


@pytest.mark.parametrize("sort_key", [key for _, key in COLUMNS])
def test_the_packed_read_gives_every_id_in_the_order_of_the_plain_query(store, sort_key):
    """The worker reads every id as one packed value (SQLite sorts and packs them without the
    GIL): the same ids in the same order as the plain query, for every order and filter."""
    _fill(store, 80)
    for descending in (True, False):
        for flt in (HistoryFilter(), HistoryFilter(text="walk"), HistoryFilter(text="zzz")):
            ids = HistoryIdReader(store.path).read(flt, sort_key, descending)
            expected = store.history_ids(flt, sort_key=sort_key, descending=descending)
            assert ids is not None and list(ids) == expected, (sort_key, descending, flt)


def test_the_reader_lets_other_threads_run_while_it_unpacks(store, monkeypatch):
    from tracker.store import history as store_history

    _fill(store, 50)
    monkeypatch.setattr(store_history, "UNPACK_IDS", 7)
    pauses = []
    monkeypatch.setattr(store_history.time, "sleep", lambda s: pauses.append(s))
    ids = HistoryIdReader(store.path).read(HistoryFilter(), "side", False)
    assert ids is not None and list(ids) == store.history_ids(sort_key="side", descending=False)
    assert len(pauses) == -(-50 // 7)  # the GIL let go after every step of 7 ids


def test_one_worker_thread_serves_every_read(qtbot, store, monkeypatch, small_first_block):
    """Starting a thread per read made the UI thread wait in Thread.start at each sort."""
    _fill(store)
    model = HistoryModel(store, background=True)
    model.reload()  # the rest of the first block is read by the worker
    qtbot.waitUntil(lambda: not model.loading, timeout=5000)
    assert model._worker is not None
    started = []
    real_start = threading.Thread.start
    monkeypatch.setattr(threading.Thread, "start", lambda t: (started.append(t), real_start(t)))
    for column in (2, 3, 5, 0):
        model.sort(column, Qt.SortOrder.AscendingOrder)
        qtbot.waitUntil(lambda: not model.loading, timeout=5000)
        assert list(model._ids) == _fresh(store, model)
    assert started == []  # the thread of the first read did them all
    worker = model._worker
    model.stop_loading()
    assert worker is not None and not worker.is_alive()
    model.sort(3, Qt.SortOrder.DescendingOrder)  # a read after the stop starts a new thread
    qtbot.waitUntil(lambda: not model.loading, timeout=5000)
    assert list(model._ids) == _fresh(store, model) and len(started) == 1
    model.stop_loading()


def test_the_idle_worker_thread_ends_and_a_later_read_starts_it_again():
    from ui.history.id_thread import IdReadThread

    reads = IdReadThread(idle_s=0.05)
    done = threading.Event()
    reads.run(done.set)
    assert done.wait(5)
    first = reads.thread
    assert first is not None
    first.join(5)
    assert not first.is_alive() and reads.thread is None and not reads.busy
    again = threading.Event()
    reads.run(again.set)
    assert again.wait(5) and reads.thread is not first
    reads.stop(5)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a nice value per thread")
def test_the_worker_thread_gives_way_to_the_ui_thread():
    from ui.history.id_thread import WORKER_NICE, IdReadThread

    here = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    seen = []
    done = threading.Event()
    reads = IdReadThread()
    reads.run(
        lambda: (
            seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id())),
            done.set(),
        )
    )
    assert done.wait(5)
    reads.stop(5)
    assert seen == [min(19, here + WORKER_NICE)]
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == here  # UI unchanged
