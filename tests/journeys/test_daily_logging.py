"""Journeys: a person logging cramps over days, through the real event loop.

These would have caught the first release's bug (the log form opened once per session): every
route is used again after the previous dialog was really closed and deleted.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt

from tests.journeys.driver import Journey, WaitUntil
from tests.journeys.person import CTRL, SHIFT, click, focused_in, key, type_text


def _dialog_open(window):
    return WaitUntil(lambda: window.log_dialog is not None and window.log_dialog.isVisible(),
                     "the log form to open")  # fmt: skip


def _saved(store, count):
    return WaitUntil(lambda: store.count_episodes() == count, f"{count} episodes in the diary")


def _add_log_by(journey, window, store, route: str, expected: int) -> None:
    """One cramp logged by ``route``: 'button', 'ctrl+n' or 'timer'; saved with Enter."""
    if route == "button":
        journey.add(f"{expected}: click Log a cramp", lambda: click(window.log_button))
    elif route == "ctrl+n":
        journey.add(f"{expected}: press Ctrl+N", lambda: key(window, Qt.Key.Key_N, CTRL))
    else:
        journey.add(f"{expected}: start the timer", lambda: key(window, Qt.Key.Key_T, CTRL) or 1100)
        journey.add(f"{expected}: stop the timer", lambda: key(window, Qt.Key.Key_T, CTRL))
    journey.add(f"{expected}: form is open", lambda: _dialog_open(window))

    def press_enter():
        dialog = window.log_dialog
        if route == "timer":
            assert dialog.form.duration_s() >= 1
        key(focused_in(dialog), Qt.Key.Key_Return)
        return _saved(store, expected)

    journey.add(f"{expected}: press Enter", press_enter)
    journey.add(
        f"{expected}: form closed",
        lambda: WaitUntil(lambda: not _visible_dialogs(), "the form to close"),
    )


def test_ten_cramps_in_a_row_by_every_route_with_cancels(sessions):
    session = sessions()
    window = session.open()
    store = session.store
    journey = Journey()
    journey.add("pages built", lambda: WaitUntil(lambda: window.history is not None, "history"))
    routes = ["button", "ctrl+n", "timer", "ctrl+n", "button"] * 2
    for number, route in enumerate(routes, start=1):
        if number % 3 == 0:  # cancel a form in between, with Esc
            journey.add(f"{number}: open to cancel", lambda: key(window, Qt.Key.Key_N, CTRL))
            journey.add(f"{number}: open", lambda: _dialog_open(window))
            journey.add(
                f"{number}: Esc", lambda: key(focused_in(window.log_dialog), Qt.Key.Key_Escape)
            )
        _add_log_by(journey, window, store, route, number)
    journey.add(
        "history shows all ten",
        lambda: WaitUntil(lambda: window.history.model.rowCount() == 10, "ten rows"),
    )
    journey.run()
    episodes = list(store.iter_episodes())
    assert len(episodes) == 10
    # Ctrl+N, Enter: only time and duration are facts; everything else is "not recorded".
    for episode in episodes:
        assert (episode.side, episode.site, episode.severity) == (None, (), None)
        assert (episode.activity, episode.hydration, episode.footwear) == (None, None, None)
    assert store.get_setting("cramp_timer.pending") is None


def _select_newest_row(window):
    window.history.table.setFocus()
    window.history.table.selectRow(0)


def _session_one(journey, window, store):
    journey.add("pages built", lambda: WaitUntil(lambda: window.history is not None, "history"))

    def fill_a_cramp():
        form = window.log_dialog.form
        click(form.side.button("right"))
        click(form.area.box("calf"))
        form.severity_slider.setFocus()
        for _ in range(7):
            key(form.severity_slider, Qt.Key.Key_Right)
        click(form.details_toggle)
        click(form.relief.box("stretching"))
        form.notes.setFocus()
        type_text(form.notes, "woke me at night")
        key(form.notes, Qt.Key.Key_Return, CTRL)  # Enter in notes is a new line
        return _saved(store, 1)

    journey.add("click Log a cramp", lambda: click(window.log_button))
    journey.add("form open", lambda: _dialog_open(window))
    journey.add("fill it in and save", fill_a_cramp)
    journey.add("form gone", lambda: WaitUntil(lambda: not _visible_dialogs(), "closed"))
    _add_log_by(journey, window, store, "ctrl+n", 2)
    _add_log_by(journey, window, store, "timer", 3)

    def same_as_last_time():
        form = window.log_dialog.form
        click(form.same_as_last)
        key(focused_in(window.log_dialog), Qt.Key.Key_Return)
        return _saved(store, 4)

    journey.add("Ctrl+N again", lambda: key(window, Qt.Key.Key_N, CTRL))
    journey.add("form open again", lambda: _dialog_open(window))
    journey.add("same as last time, Enter", same_as_last_time)

    def the_copy_is_as_last_time():
        # checked now: the edit below changes whichever row is newest, and which one that is
        # depends on where a minute boundary falls (the timer's start has seconds)
        same = max(store.iter_episodes(), key=lambda e: e.id or 0)
        assert (same.side, same.site, same.severity) == ("right", ("calf",), 7)
        assert same.relief == () and same.notes == ""  # details are not copied

    journey.add("the copy is the latest recorded choices", the_copy_is_as_last_time)

    def open_edit():
        _select_newest_row(window)
        key(window.history.table, Qt.Key.Key_E, CTRL)
        return WaitUntil(
            lambda: any(w.windowTitle() == "Edit episode" and w.isVisible() for w in _dialogs()),
            "the edit form",
        )

    def change_severity():
        dialog = next(w for w in _dialogs() if w.windowTitle() == "Edit episode")
        dialog.form.severity_slider.setFocus()
        key(dialog.form.severity_slider, Qt.Key.Key_Left)
        key(focused_in(dialog), Qt.Key.Key_Return)
        return WaitUntil(
            lambda: not shiboken6.isValid(dialog) or not dialog.isVisible(),
            "the edit form to close",
        )

    journey.add("Ctrl+E on the newest row", open_edit)
    journey.add("one step less severe, Enter", change_severity)

    def delete_newest():
        _select_newest_row(window)
        key(window.history.table, Qt.Key.Key_Delete)
        return _saved(store, 3)

    journey.add("Delete the newest", delete_newest)
    journey.add("Ctrl+Z", lambda: key(window, Qt.Key.Key_Z, CTRL) or _saved(store, 4))
    journey.add("Ctrl+Shift+Z", lambda: key(window, Qt.Key.Key_Z, CTRL | SHIFT) or _saved(store, 3))
    journey.add("Ctrl+Z again", lambda: key(window, Qt.Key.Key_Z, CTRL) or _saved(store, 4))

    def every_page():
        for index in range(window.tabs.count()):
            key(window, getattr(Qt.Key, f"Key_{index + 1}"), CTRL)
            assert window.tabs.currentIndex() == index, window.tabs.tabText(index)
        key(window, Qt.Key.Key_1, CTRL)

    journey.add("switch every page", lambda: every_page() or 300)
    journey.add("history shows 4", lambda: WaitUntil(lambda: _rows(window) == 4, "4 rows"))
    journey.add("close the window", window.close)


def _visible_dialogs():
    return [w for w in _dialogs() if w.isVisible()]


def _dialogs():
    from PySide6.QtWidgets import QApplication, QDialog

    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog)]


def _rows(window):
    return window.history.model.rowCount()


def test_a_week_of_use_is_all_there_after_closing_and_reopening(sessions):
    first = sessions()
    window = first.open()
    journey = Journey()
    _session_one(journey, window, first.store)
    journey.run()
    left = sorted(first.store.iter_episodes(), key=lambda e: e.id)
    assert len(left) == 4
    full = left[0]
    assert (full.side, full.site, full.severity, full.relief) == (
        "right",
        ("calf",),
        7,
        ("stretching",),
    )
    assert full.notes == "woke me at night"
    first.close()

    for _ in range(2):  # reopen the same diary, twice
        again = sessions()
        window = again.open()
        journey = Journey()
        journey.add("pages built", lambda w=window: WaitUntil(lambda: w.history is not None, "h"))
        journey.add("history as left", lambda w=window: WaitUntil(lambda: _rows(w) == 4, "4"))
        journey.add("close", window.close)
        journey.run()
        assert sorted(again.store.iter_episodes(), key=lambda e: e.id) == left
        again.close()
