"""The cramp timer never loses a cramp: kept in the diary while it runs, offered after a
restart, and a timed cramp stays until it is logged or discarded."""

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QMessageBox

from tracker.diary.timer_state import PENDING_KEY, RUNNING_KEY, TimerState
from ui.shell.main_window import MainWindow


def _flush():
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()


def _new_window(qtbot, store, settings):
    win = MainWindow(store, settings)
    qtbot.addWidget(win)
    win.show()
    return win


def test_running_timer_is_kept_in_the_diary(window, store):
    window.timer.start()
    assert store.get_setting(RUNNING_KEY) is not None
    window.timer.stop()
    assert store.get_setting(RUNNING_KEY) is None
    assert TimerState(lambda: store).pending()[1] >= 1
    assert window.log_dialog is not None and window.log_dialog.isVisible()
    assert window.log_dialog.try_save()
    assert store.get_setting(PENDING_KEY) is None
    assert store.count_episodes() == 1


def test_timer_running_at_restart_is_offered_and_logged(qtbot, store, settings):
    started = datetime.now().astimezone().replace(microsecond=0) - timedelta(minutes=3)
    store.set_setting(RUNNING_KEY, started.isoformat())
    win = _new_window(qtbot, store, settings)
    notice = win.log_flow.recovery_notice
    assert notice is not None and notice.isVisible()
    assert f"{started:%H:%M}" in notice.label.text()
    notice.log_button.click()
    dialog = win.log_dialog
    assert dialog is not None and dialog.timed
    assert abs(dialog.form.duration_s() - 180) <= 5
    assert dialog.form.episode().started_at == started.replace(second=0) or abs(
        dialog.form.episode().started_at - started
    ) < timedelta(minutes=1)
    assert dialog.try_save()
    assert store.get_setting(RUNNING_KEY) is None and store.get_setting(PENDING_KEY) is None


def test_timer_running_at_restart_can_keep_timing(qtbot, store, settings, monkeypatch):
    started = datetime.now().astimezone() - timedelta(seconds=90)
    store.set_setting(RUNNING_KEY, started.isoformat())
    win = _new_window(qtbot, store, settings)
    win.log_flow.recovery_notice.resume_button.click()
    assert win.timer.running and win.timer.elapsed() >= 89
    _flush()
    assert win.log_flow.recovery_notice is None
    # Closing with the timer running asks first; the start stays kept for next time.
    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a: asked.append(a) or QMessageBox.StandardButton.Yes
    )
    win.close()
    assert asked and "kept" in asked[0][2]
    assert store.get_setting(RUNNING_KEY) == started.isoformat()


def test_discard_clears_the_kept_timer(qtbot, store, settings):
    store.set_setting(PENDING_KEY, '{"started_at": "2026-03-10T03:12:00+01:00", "seconds": 80}')
    win = _new_window(qtbot, store, settings)
    notice = win.log_flow.recovery_notice
    assert "1 min 20 s" in notice.label.text() and not notice.resume_button.isVisibleTo(notice)
    notice.discard_button.click()
    assert store.get_setting(PENDING_KEY) is None
    assert "discarded" in win.statusBar().currentMessage()


@pytest.mark.parametrize("answer", [QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No])
def test_cancelling_a_timed_form_asks_first(window, store, monkeypatch, answer):
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or answer)
    window.timer.start()
    window.timer.stop()
    window.log_dialog.reject()
    assert asked
    if answer == QMessageBox.StandardButton.Yes:
        assert store.get_setting(PENDING_KEY) is None
        assert window.log_flow.recovery_notice is None
    else:
        assert store.get_setting(PENDING_KEY) is not None
        assert window.log_flow.recovery_notice is not None
    assert store.count_episodes() == 0


def test_a_failed_save_keeps_the_timed_cramp(window, store, monkeypatch):
    from tracker.store import StoreError

    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: None)
    window.timer.start()
    window.timer.stop()

    def broken(episode, **kw):
        raise StoreError("disk full")

    monkeypatch.setattr(store, "add_episode", broken)
    assert not window.log_dialog.try_save()
    assert store.get_setting(PENDING_KEY) is not None


def test_log_form_opens_again_after_qt_deleted_the_last_one(window, qtbot, store):
    """The first release's bug: a reference to a deleted dialog made Ctrl+N do nothing."""
    for _ in range(3):
        dialog = window.open_log_dialog()
        dialog.reject()
        _flush()
        assert window.log_dialog is None
    window.timer.start()
    window.timer.stop()
    assert window.log_dialog.isVisible()
    assert window.log_dialog.try_save()
    _flush()
    dialog = window.open_log_dialog()
    assert dialog.isVisible() and dialog.try_save()
    assert store.count_episodes() == 2


def test_stopping_the_timer_fills_an_open_form(window, store):
    dialog = window.open_log_dialog()
    window.timer.start()
    window.timer.stop()
    assert window.log_dialog is dialog and dialog.timed
    assert dialog.form.duration_s() >= 1


def test_undo_replaces_the_status_message(window, store):
    from tests.factories import make_episode

    saved = store.add_episode(make_episode())
    window.history.reload()
    window.delete_episodes([saved.id])
    assert "Undo with Ctrl+Z" in window.statusBar().currentMessage()
    window.undo_action.trigger()
    assert window.statusBar().currentMessage() == "Undone: Delete 1 episode."
    window.redo_action.trigger()
    assert window.statusBar().currentMessage() == "Redone: Delete 1 episode."
