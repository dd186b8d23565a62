"""Export, backup and restore run in a worker: the UI thread stays free, the result message
comes back, and Cancel in the progress dialog leaves no file and the target as it was."""

import threading
import time
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QPushButton

import ui.data.backup_dialog as backup_dialog
import ui.data.export_dialog as export_dialog
from tests.factories import TZ, make_episode
from tracker.store import copies, export_queries
from tracker.store.backup import PUTTING_IN_PLACE, backup_to
from ui.data.backup_dialog import BackupDialog
from ui.data.export_dialog import ExportDialog


class Slow:
    """A progress that takes its time at each step (a big diary on a slow disk)."""

    def __init__(self, inner, delay, slow_text=None, slow_delay=0.0):
        self.inner, self.delay = inner, delay
        self.slow_text, self.slow_delay = slow_text, slow_delay

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def step(self, done, total=0, text=None):
        time.sleep(self.delay)
        self.inner.step(done, total, text)
        if self.slow_text and self.inner.text == self.slow_text:
            time.sleep(self.slow_delay)


def _slowed(monkeypatch, module, name, threads, delay=0.02, **slow):
    real = getattr(module, name)

    def slowed(*args, progress, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, progress=Slow(progress, delay, **slow), **kwargs)

    monkeypatch.setattr(module, name, slowed)


@pytest.fixture
def messages(monkeypatch):
    seen = []

    def record(kind, answer=None):
        def fake(parent, title, text, *args, **kwargs):
            seen.append((kind, title, text))
            return answer

        return fake

    monkeypatch.setattr(QMessageBox, "warning", record("warning"))
    monkeypatch.setattr(QMessageBox, "information", record("information"))
    monkeypatch.setattr(QMessageBox, "question", record("question", QMessageBox.StandardButton.Yes))
    return seen


def _fill(store, n):
    start = datetime(2025, 6, 1, 3, 0, tzinfo=TZ)
    store.add_episodes(
        make_episode(started_at=start + timedelta(hours=i), notes=f"note {i} " * 20)
        for i in range(n)
    )


def _click_cancel(qtbot, task):
    qtbot.waitUntil(lambda: task.dialog is not None and task.dialog.isVisible(), timeout=10000)
    qtbot.waitUntil(lambda: task.dialog is None or task.dialog.value() > 0, timeout=10000)
    (button,) = task.dialog.findChildren(QPushButton)
    assert button.text() == "Cancel"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _parts(folder):
    return [p.name for p in folder.iterdir() if p.name.endswith(".part")]


# --------------------------------------------------------------------------- export
def _export_dialog(qtbot, store, target, fmt="csv"):
    dialog = ExportDialog(store)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.show_after_ms = 50
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData(fmt))
    dialog.path_edit.setText(str(target))
    return dialog


def test_export_runs_off_the_ui_thread_and_reports_back(qtbot, store, tmp_path, monkeypatch):
    _fill(store, 40)
    threads = []
    _slowed(monkeypatch, export_dialog, "export_diary", threads, delay=0.0)
    target = tmp_path / "all.csv"
    dialog = _export_dialog(qtbot, store, target)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    with qtbot.waitSignal(dialog.accepted, timeout=20000):
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        assert not ok.isEnabled() and not dialog.choose_button.isEnabled()  # while it runs
    assert threads and threads[0] is not threading.main_thread()
    assert dialog.exported == (40, target)
    assert target.read_text(encoding="utf-8-sig").count("\n") == 41


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_cancel_in_the_progress_dialog_leaves_the_old_file(
    qtbot, store, tmp_path, monkeypatch, messages, fmt
):
    _fill(store, 300)
    monkeypatch.setattr(export_queries, "BLOCK_ROWS", 5)
    _slowed(monkeypatch, export_dialog, "export_diary", [])
    out = tmp_path / "out"
    out.mkdir()
    target = out / f"diary.{fmt}"
    target.write_bytes(b"last week's export")
    dialog = _export_dialog(qtbot, store, target, fmt)
    dialog.export()
    task = dialog.task
    _click_cancel(qtbot, task)
    qtbot.waitUntil(lambda: dialog.task is None, timeout=20000)
    assert dialog.exported is None and dialog.isVisible()
    assert target.read_bytes() == b"last week's export"
    assert sorted(p.name for p in out.iterdir()) == [target.name]
    assert messages == [("question", "Export", f"'{target.name}' already exists. Replace it?")]
    assert dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()  # again


def test_closing_the_export_dialog_mid_work_cancels_it(qtbot, store, tmp_path, monkeypatch):
    _fill(store, 300)
    monkeypatch.setattr(export_queries, "BLOCK_ROWS", 5)
    _slowed(monkeypatch, export_dialog, "export_diary", [])
    target = tmp_path / "new.json"
    dialog = _export_dialog(qtbot, store, target, "json")
    dialog.export()
    task = dialog.task
    qtbot.waitUntil(lambda: task.progress.text != "", timeout=10000)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.exported is None
    assert task.wait(0)  # the worker had ended (and undone itself) before the dialog went
    assert not target.exists() and _parts(tmp_path) == []


# --------------------------------------------------------------------------- backup
def test_backup_runs_off_the_ui_thread_and_cancel_leaves_no_copy(
    qtbot, window, tmp_path, monkeypatch, messages
):
    _fill(window.store, 300)
    threads = []
    _slowed(monkeypatch, backup_dialog, "backup_to", threads)
    monkeypatch.setattr(copies, "COPY_PAGES", 1)
    folder = tmp_path / "usb"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    dialog = BackupDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.show_after_ms = 50
    with qtbot.waitSignal(dialog.work_ended, timeout=20000) as ended:
        qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
        assert not dialog.backup_button.isEnabled() and not dialog.other_button.isEnabled()
        _click_cancel(qtbot, dialog.task)
    assert ended.args == ["cancelled"] and threads[0] is not threading.main_thread()
    assert list(folder.iterdir()) == [] and messages == []
    assert dialog.backup_button.isEnabled()

    monkeypatch.setattr(copies, "COPY_PAGES", 64)
    with qtbot.waitSignal(dialog.work_ended, timeout=20000) as ended:
        qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    assert ended.args == ["saved"]
    [copy] = list(folder.iterdir())
    assert messages[-1] == ("information", "Backup saved", f"Your diary was copied to\n{copy}")
    assert window.statusBar().currentMessage() == f"Backed up 300 episodes to '{copy}'."


# --------------------------------------------------------------------------- restore
def _restore_dialog(qtbot, window, tmp_path):
    _fill(window.store, 300)
    saved = backup_to(window.store, tmp_path / "saved.sqlite")
    window.store.add_episode(make_episode(duration_s=5))
    dialog = BackupDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.show_after_ms = 50
    return dialog, saved


def test_cancelled_restore_leaves_the_diary_as_it_was(
    qtbot, window, tmp_path, monkeypatch, messages
):
    dialog, saved = _restore_dialog(qtbot, window, tmp_path)
    threads = []
    _slowed(monkeypatch, backup_dialog, "prepare_restore", threads)
    monkeypatch.setattr(copies, "COPY_PAGES", 1)
    store = window.store
    db_bytes = store.path.read_bytes()
    with qtbot.waitSignal(dialog.work_ended, timeout=30000) as ended:
        dialog.restore(saved)
        qtbot.waitUntil(lambda: len(messages) == 1 and dialog.task is not None, timeout=20000)
        _click_cancel(qtbot, dialog.task)
    assert ended.args == ["cancelled"] and threads[0] is not threading.main_thread()
    assert "301 episodes" in messages[0][2] and "300 episodes" in messages[0][2]
    assert window.store is store and store.count_episodes() == 301
    assert store.path.read_bytes() == db_bytes
    assert _parts(store.path.parent) == []
    store.add_episode(make_episode(duration_s=6))  # still the open, writable diary


def test_restore_can_no_longer_be_cancelled_once_put_in_place(
    qtbot, window, tmp_path, monkeypatch, messages
):
    dialog, saved = _restore_dialog(qtbot, window, tmp_path)
    _slowed(
        monkeypatch,
        backup_dialog,
        "prepare_restore",
        [],
        delay=0.0,
        slow_text=PUTTING_IN_PLACE,
        slow_delay=1.5,
    )
    with qtbot.waitSignal(dialog.work_ended, timeout=30000) as ended:
        dialog.restore(saved)

        def putting_in_place_without_cancel():
            task = dialog.task
            progress = task.dialog if task is not None else None
            return (
                progress is not None
                and progress.labelText() == PUTTING_IN_PLACE
                and progress.findChildren(QPushButton) == []  # no Cancel any more
            )

        qtbot.waitUntil(putting_in_place_without_cancel, timeout=20000)
    assert ended.args == ["restored"]
    try:
        assert window.store.count_episodes() == 300
        assert window.statusBar().currentMessage().startswith("Restored 300 episodes from")
    finally:
        window.store.close()


# --------------------------------------------------------------------------- daily backup
def test_daily_backup_runs_off_the_ui_thread_without_a_dialog(qtbot, window, monkeypatch):
    import ui.data.menu as data_menu

    _fill(window.store, 2)
    seen = []
    real = data_menu.daily_backup_if_due

    def recording(store):
        seen.append((threading.current_thread(), store is window.store, store.readonly))
        return real(store)

    monkeypatch.setattr(data_menu, "daily_backup_if_due", recording)
    monkeypatch.setattr(data_menu, "DAILY_BACKUP_DELAY_MS", 10)
    data_menu.install(window)
    qtbot.waitUntil(
        lambda: "Daily backup saved" in window.statusBar().currentMessage(), timeout=20000
    )
    [(thread, same_store, readonly)] = seen
    assert thread is not threading.main_thread() and not same_store and readonly
    assert [p.name for p in (window.store.path.parent / "backups").iterdir()]
    assert window.findChildren(QProgressDialog) == []
