"""The import dialog reads and saves in a worker thread: the UI keeps answering, Cancel (in the
progress dialog, or closing the import dialog) stops the work, and a cancelled commit adds
nothing: one transaction rolled back, the diary still passes quick_check."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialog, QPushButton

from tests.factories import make_episode
from tracker.diary import demo
from tracker.interop import importer
from tracker.interop.exporting import export_to_file
from tracker.store import Store, import_writes
from ui.data import import_dialog
from ui.data.import_dialog import CANCELLED, SUMMARY_PAGE, ImportDialog


def _settle(qtbot, dialog, timeout=30_000):
    qtbot.waitUntil(lambda: not dialog.busy, timeout=timeout)


def _episode_set(store) -> list[tuple]:
    rows = store.conn.execute("SELECT * FROM episode ORDER BY id").fetchall()
    return [tuple(row) for row in rows]


@pytest.fixture
def export_file(tmp_path):
    """Our own JSON export of 3,000 demo episodes."""

    def make(n=3000, fmt="json"):
        with Store.open(tmp_path / f"source-{n}.sqlite") as source:
            source.add_episodes(demo.generate(n, seed=3))
            path = tmp_path / f"export-{n}.{fmt}"
            export_to_file(source, fmt, path)
        return path

    return make


def test_preview_and_commit_run_off_the_ui_thread(qtbot, store, export_file, monkeypatch):
    path = export_file(500)
    threads = []
    for name in ("preview_source", "commit_import"):
        real = getattr(import_dialog, name)

        def recording(*args, _real=real, **kwargs):
            threads.append(threading.current_thread())
            return _real(*args, **kwargs)

        monkeypatch.setattr(import_dialog, name, recording)
    dialog = ImportDialog(store)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(path))
    dialog.go_next()
    assert dialog.busy and not dialog.next_button.isEnabled()  # disabled while it runs
    _settle(qtbot, dialog)
    assert dialog.pages.currentIndex() == SUMMARY_PAGE
    expected = dialog.preview.add_count
    assert expected > 0 and f"<b>{expected:,}</b> episodes will be added" in (
        dialog.summary_label.text()
    )
    revision = store.revision
    dialog.do_import()
    assert dialog.busy and not dialog.import_button.isEnabled()
    _settle(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.import_result.added == expected == store.count_episodes()
    assert len(threads) == 2 and threading.main_thread() not in threads
    # the main Store was told: pages asking what changed read everything again
    assert store.revision > revision and store.changes_since(revision) is None


def test_the_ui_thread_keeps_answering_while_a_big_file_is_read_and_saved(
    qtbot, store, export_file
):
    path = export_file(20_000, "csv")
    dialog = ImportDialog(store)
    qtbot.addWidget(dialog)
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick():
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    timer.start()
    dialog.path_edit.setText(str(path))
    dialog.go_next()
    _settle(qtbot, dialog)
    dialog.do_import()
    _settle(qtbot, dialog)
    timer.stop()
    assert dialog.import_result is not None and dialog.import_result.added > 19_000
    assert len(gaps) > 20
    # ~50 ms on an idle machine; the bound leaves room for a loaded 2-core CI machine
    assert max(gaps) < 0.4, sorted(gaps)[-5:]


def test_cancel_in_the_progress_dialog_during_the_commit_adds_nothing(
    qtbot, store, export_file, monkeypatch
):
    store.add_episode(make_episode())
    before = _episode_set(store)
    path = export_file(3000)
    monkeypatch.setattr(importer, "BLOCK_ROWS", 100)  # many blocks: a cancel lands between two
    monkeypatch.setattr(import_dialog, "PROGRESS_AFTER_MS", 0)
    written = threading.Event()
    go_on = threading.Event()
    real = import_writes._insert

    def first_block_then_wait(*args, **kwargs):
        real(*args, **kwargs)
        written.set()  # some rows are in the table (inside the transaction)...
        go_on.wait(10)  # ...and the person clicks Cancel now

    monkeypatch.setattr(import_writes, "_insert", first_block_then_wait)
    dialog = ImportDialog(store)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(path))
    dialog.go_next()
    _settle(qtbot, dialog)
    count = dialog.preview.add_count
    assert count > 2000
    dialog.do_import()
    assert written.wait(10)
    task = dialog.task
    qtbot.waitUntil(lambda: task.dialog is not None and task.dialog.isVisible(), timeout=5000)
    qtbot.mouseClick(task.dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)  # Cancel
    go_on.set()
    _settle(qtbot, dialog)
    assert dialog.import_result is None
    assert CANCELLED in dialog.summary_label.text()
    assert _episode_set(store) == before
    assert store.conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    # the same preview can still be imported: all of it
    monkeypatch.setattr(import_writes, "_insert", real)
    dialog.do_import()
    _settle(qtbot, dialog)
    assert dialog.import_result.added == count
    assert store.count_episodes() == count + 1


def test_closing_the_dialog_while_saving_cancels_and_then_closes(
    qtbot, store, export_file, monkeypatch
):
    before = _episode_set(store)
    path = export_file(1000)
    monkeypatch.setattr(importer, "BLOCK_ROWS", 100)
    go_on = threading.Event()
    real = import_writes._insert

    def slow(*args, **kwargs):
        real(*args, **kwargs)
        go_on.wait(10)

    monkeypatch.setattr(import_writes, "_insert", slow)
    dialog = ImportDialog(store)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.path_edit.setText(str(path))
    dialog.go_next()
    _settle(qtbot, dialog)
    dialog.do_import()
    dialog.close()  # the window's close button while saving
    assert dialog.isVisible() and dialog.busy  # not closed under the work
    go_on.set()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    assert dialog.result() == QDialog.DialogCode.Rejected and dialog.import_result is None
    assert _episode_set(store) == before


def test_closing_the_dialog_while_reading_cancels_the_preview(qtbot, store, export_file):
    path = export_file(20_000, "csv")
    dialog = ImportDialog(store)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.path_edit.setText(str(path))
    dialog.go_next()
    task = dialog.task
    dialog.reject()  # Escape or Cancel while the file is read
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    assert task.progress.cancelled and dialog.preview is None
    assert store.count_episodes() == 0
