"""Help > Keyboard shortcuts lists every shortcut, read from the window's own actions."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QWidget

from tests.factories import make_episode
from ui.episode.log_dialog import LogDialog
from ui.shell.main_window import MainWindow
from ui.shell.shortcuts_dialog import FIXED_KEYS, ShortcutsDialog


def _full_window(qtbot, store, settings) -> MainWindow:
    window = MainWindow(store, settings)  # every feature installed
    qtbot.addWidget(window)
    window.show()
    assert QTest.qWaitForWindowExposed(window)
    return window


def _open_dialog(window) -> ShortcutsDialog:
    window.shortcuts_action.trigger()
    dialogs = [d for d in window.findChildren(ShortcutsDialog) if d.isVisible()]
    assert len(dialogs) == 1
    return dialogs[0]


def _expected(window) -> set[tuple[str, str]]:
    """(keys, name) of every action of the main window (not of its dialogs) with a shortcut."""
    expected = set()
    for action in window.findChildren(QAction):
        owner = action.parent()
        if isinstance(owner, QWidget) and owner.window() is not window:
            continue
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
        if keys:
            name = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
            expected.add((", ".join(keys), name.rstrip("…")))
    return expected


def test_every_action_with_a_shortcut_is_listed(qtbot, store, settings):
    window = _full_window(qtbot, store, settings)
    dialog = _open_dialog(window)
    rows = dialog.row_texts()
    listed = {(keys, what) for keys, what, _ in rows}
    expected = _expected(window)
    assert len(expected) >= 14
    assert expected <= listed
    assert len(rows) == len(expected) + len(FIXED_KEYS)  # nothing twice, nothing invented
    where = {what: place for _, what, place in rows}
    assert where["Find in history"] == "History page"  # an action of a page, not of a menu
    assert ("Ctrl+F", "Find in history") in listed
    for number, page in enumerate(("History", "Patterns", "Tips"), start=1):
        assert (f"Ctrl+{number}", page) in listed and where[page] == "View menu"
    assert ("Ctrl+P", "Print summary for my doctor") in listed and where["Export"] == "File menu"
    assert ("F1", "Keyboard shortcuts") in listed
    assert {("Enter", "Save the cramp (or your changes)", "Log form")} <= set(rows)
    assert {("Esc", "Close the form without saving", "Log form")} <= set(rows)


def test_actions_added_later_are_listed_and_dialog_actions_are_not(qtbot, store, settings):
    window = _full_window(qtbot, store, settings)
    late = QAction("&Something new…", window, shortcut="Ctrl+Shift+K")
    window.add_file_actions(late)
    other = QDialog(window)
    other.addAction(QAction("Not the window's", other, shortcut="Ctrl+Shift+J"))
    rows = _open_dialog(window).row_texts()
    assert ("Ctrl+Shift+K", "Something new", "File menu") in rows
    assert not [row for row in rows if row[0] == "Ctrl+Shift+J"]


def test_deferred_start_lists_the_shortcuts_assigned_after_the_first_paint(qtbot, store, settings):
    window = MainWindow(store, settings, install_features=False, defer_pages=True)
    qtbot.addWidget(window)
    window.show()
    window.finish_setup()
    listed = {(keys, what) for keys, what, _ in _open_dialog(window).row_texts()}
    assert _expected(window) <= listed
    assert ("Ctrl+N", "Log a cramp") in listed and ("Ctrl+1", "History") in listed


def test_help_menu_and_f1_open_it_every_time(qtbot, store, settings):
    window = _full_window(qtbot, store, settings)
    window.activateWindow()
    assert QTest.qWaitForWindowActive(window)
    assert window.shortcuts_action in window.help_menu.actions()
    for _ in range(2):
        QTest.keyClick(window, Qt.Key.Key_F1)
        qtbot.waitUntil(lambda: window.findChild(ShortcutsDialog) is not None)
        dialog = window.findChild(ShortcutsDialog)
        assert dialog.isVisible() and dialog.table.model().rowCount() > 10
        window.shortcuts_action.trigger()  # already open: raised, not opened twice
        assert len(window.findChildren(ShortcutsDialog)) == 1
        dialog.close()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        assert not shiboken6.isValid(dialog)
        assert window.findChild(ShortcutsDialog) is None


def test_the_fixed_keys_do_what_the_list_says(qtbot, store, settings):
    window = _full_window(qtbot, store, settings)
    dialog = window.open_log_dialog()
    qtbot.keyClick(dialog.form.minutes_spin, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert store.count_episodes() == 0
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    dialog = window.open_log_dialog()
    qtbot.keyClick(dialog.form.minutes_spin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert store.count_episodes() == 1
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    store.add_episode(make_episode())
    window.episodes_changed.emit()
    window.history.table.selectRow(0)
    qtbot.keyClick(window.history.table, Qt.Key.Key_Return)
    editing = [d for d in window.findChildren(LogDialog) if d.isVisible()]
    assert [d.windowTitle() for d in editing] == ["Edit episode"]
