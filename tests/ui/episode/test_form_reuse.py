"""The log and edit forms are built once and shown again: each use starts as a new form would,
and the log form is built ahead after start-up so the first Ctrl+N shows it at once."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication, QEvent, Qt

from tests.factories import make_episode
from ui.episode import log_flow
from ui.episode.log_dialog import LogDialog


def _flush():
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _ctrl_n(window, qtbot):
    window.activateWindow()  # as a window manager does once a dialog closed
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.log_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.focusWidget() is not None)
    return dialog


def test_the_log_form_is_shown_again_as_new_after_cancel_and_after_save(window, qtbot, store):
    first = _ctrl_n(window, qtbot)
    fresh_focus = first.focusWidget()
    form = first.form
    qtbot.mouseClick(form.details_toggle, Qt.MouseButton.LeftButton)
    form.notes.setFocus()
    qtbot.keyClicks(form.notes, "half typed")
    form.show_errors({"side": "Choose a side"})
    qtbot.keyClick(form.notes, Qt.Key.Key_Escape)  # cancel
    qtbot.waitUntil(lambda: not first.isVisible())
    _flush()
    assert window.log_dialog is None  # closed: not the open form any more

    again = _ctrl_n(window, qtbot)
    assert again is first  # the same dialog, not built again
    assert again.form.notes.toPlainText() == ""
    assert not again.form.details.isVisible() and not again.form.details_toggle.isChecked()
    assert again.form.error_text("side") == ""
    assert again.focusWidget() is fresh_focus  # focus starts where a new form's does
    again.form.side.button("left").setChecked(True)
    qtbot.keyClick(again.focusWidget(), Qt.Key.Key_Return)  # save
    qtbot.waitUntil(lambda: store.count_episodes() == 1)
    _flush()

    third = _ctrl_n(window, qtbot)
    assert third is first and third.saved_episode is None and not third.timed
    assert third.form.side.value() is None  # "as last" is offered, never preselected
    assert third.form.last_buttons["side"].isVisible()
    qtbot.keyClick(third.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: store.count_episodes() == 2)
    assert len(window.findChildren(LogDialog)) == 1


def test_the_log_form_is_built_ahead_after_start_up(qtbot, store, settings, monkeypatch):
    from ui.shell.main_window import MainWindow

    monkeypatch.setattr(log_flow, "PREPARE_DELAY_MS", 10)
    window = MainWindow(store, settings, install_features=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: len(window.findChildren(LogDialog)) == 2)  # log and edit forms
    built = set(window.findChildren(LogDialog))
    assert not any(d.isVisible() for d in built) and window.log_dialog is None
    dialog = _ctrl_n(window, qtbot)
    assert dialog in built  # shown, not built now
    saved = store.add_episode(make_episode())
    dialog.reject()
    editing = window.edit_episode(saved.id)
    assert editing in built and editing is not dialog


def test_the_edit_form_saves_the_episode_it_was_opened_on(window, qtbot, store):
    now = datetime.now().astimezone().replace(microsecond=0)
    first = store.add_episode(make_episode(started_at=now - timedelta(days=2), notes="first"))
    second = store.add_episode(make_episode(started_at=now - timedelta(days=1), notes="second"))
    dialog = window.edit_episode(first.id)
    qtbot.waitExposed(dialog)
    dialog.reject()
    _flush()
    again = window.edit_episode(second.id)
    assert again is dialog
    qtbot.waitExposed(again)
    assert again.form.notes.toPlainText() == "second"
    again.form.notes.setPlainText("second, edited")
    qtbot.mouseClick(again.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not again.isVisible())
    assert store.get_episode(second.id).notes == "second, edited"
    assert store.get_episode(first.id).notes == "first"
    window.undo_stack.undo()  # the undo names the edited episode too
    assert store.get_episode(second.id).notes == "second"
