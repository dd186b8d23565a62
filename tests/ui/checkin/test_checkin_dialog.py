"""The daily check-in dialog: keys, not-recorded answers, undo, the calendar strip, the night."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.shell.test_mnemonics import all_clashes, focus_target, form_labels, mnemonic
from tracker.diary.checkin import DAY_QUESTIONS, CheckIn
from tracker.diary.episode import ValidationError
from ui.checkin.calendar_strip import CHECK
from ui.checkin.commands import day_title
from ui.shell.main_window import MainWindow

TODAY = date.today()


@pytest.fixture
def window(qtbot, store, settings):
    win = MainWindow(store, settings)  # every feature installed: the check-in is one
    qtbot.addWidget(win)
    win.show()
    assert QTest.qWaitForWindowExposed(win)
    return win


def _open(window, qtbot, mode="evening", day=None):
    dialog = window.checkin_feature.open_checkin(mode, day)
    qtbot.waitUntil(dialog.isVisible)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def _press(key, modifiers=Qt.KeyboardModifier.NoModifier):
    QTest.keyClick(QApplication.focusWidget(), key, modifiers)


def test_ctrl_k_opens_today_with_nothing_chosen_and_enter_saves_only_what_was_chosen(window, qtbot):
    QTest.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    dialog = window.checkin_feature.checkin_dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible())
    qtbot.waitUntil(dialog.isActiveWindow)
    assert dialog.windowTitle() == f"Check-in for {day_title(TODAY)}"
    assert all(row.value() is None for row in dialog.rows.values())
    assert QApplication.focusWidget() is dialog.rows["fluids"].buttons[0]
    _press(Qt.Key.Key_1)  # fluids: less; the focus moves on to exercise
    assert QApplication.focusWidget() in dialog.rows["exercise"].buttons
    _press(Qt.Key.Key_Down)  # exercise skipped
    _press(Qt.Key.Key_2)  # long sitting: no
    _press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    stored = window.store.get_checkin(TODAY)
    assert stored == CheckIn(day=TODAY, fluids="less", long_still="no")
    assert window.statusBar().currentMessage().startswith(f"Check-in saved for {day_title(TODAY)}")


def test_a_chosen_answer_taken_back_is_not_recorded(window, qtbot):
    dialog = _open(window, qtbot)
    stress = dialog.rows["stress"]
    QTest.mouseClick(stress.button("high"), Qt.MouseButton.LeftButton)
    assert stress.value() == "high"
    QTest.mouseClick(stress.button("low"), Qt.MouseButton.LeftButton)
    assert stress.value() == "low" and not stress.button("high").isChecked()
    QTest.mouseClick(stress.button("low"), Qt.MouseButton.LeftButton)  # again: taken back
    assert stress.value() is None
    QTest.mouseClick(dialog.rows["unwell"].button("yes"), Qt.MouseButton.LeftButton)
    dialog.rows["unwell"].button("yes").setFocus()
    _press(Qt.Key.Key_Delete)
    assert dialog.rows["unwell"].value() is None
    QTest.mouseClick(dialog.rows["exercise"].button("hard"), Qt.MouseButton.LeftButton)
    QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert window.store.get_checkin(TODAY) == CheckIn(day=TODAY, exercise="hard")


def test_undo_brings_back_the_day_as_it_was_and_redo_again(window, qtbot, store):
    store.save_checkin(CheckIn(day=TODAY, fluids="more", notes="hot day"))
    dialog = _open(window, qtbot)
    assert dialog.rows["fluids"].value() == "more" and dialog.notes.text() == "hot day"
    QTest.mouseClick(dialog.rows["fluids"].button("less"), Qt.MouseButton.LeftButton)
    assert dialog.try_save()
    assert store.get_checkin(TODAY).fluids == "less"
    window.undo_action.trigger()
    assert store.get_checkin(TODAY) == CheckIn(day=TODAY, fluids="more", notes="hot day")
    window.redo_action.trigger()
    assert store.get_checkin(TODAY).fluids == "less"
    # A day that had none: undo removes it again.
    yesterday = TODAY - timedelta(days=1)
    dialog = _open(window, qtbot, day=yesterday)
    QTest.mouseClick(dialog.rows["stretched"].button("yes"), Qt.MouseButton.LeftButton)
    assert dialog.try_save()
    assert store.get_checkin(yesterday) == CheckIn(day=yesterday, stretched="yes")
    window.undo_action.trigger()
    assert store.get_checkin(yesterday) is None


def test_unchanged_answers_write_nothing_and_push_no_undo(window, qtbot, store):
    dialog = _open(window, qtbot)
    revision = store.checkin_revision
    assert dialog.try_save()
    assert store.checkin_revision == revision and window.undo_stack.count() == 0
    assert store.get_checkin(TODAY) is None


def test_a_refused_save_is_shown_in_the_dialog_and_the_answers_stay(window, qtbot, monkeypatch):
    dialog = _open(window, qtbot)
    QTest.mouseClick(dialog.rows["fluids"].button("usual"), Qt.MouseButton.LeftButton)

    def refuse(checkin, **_):
        raise ValidationError({"problem_1": "Fluids today: 'x' is not one of the choices."})

    monkeypatch.setattr(window.store, "save_checkin", refuse)
    assert not dialog.try_save()
    assert dialog.isVisible() and dialog.error_label.isVisible()
    assert "not one of the choices" in dialog.error_label.text()
    assert dialog.rows["fluids"].value() == "usual"
    assert window.undo_stack.count() == 0


def test_the_strip_marks_days_with_a_check_in_and_disables_none_in_the_past(window, qtbot, store):
    for back in (1, 3, 20):
        store.save_checkin(CheckIn(day=TODAY - timedelta(days=back), unwell="no"))
    dialog = _open(window, qtbot)
    strip = dialog.strip
    assert strip.days()[-1] == TODAY and len(strip.days()) == 14
    marked = [d for d, b in zip(strip.days(), strip.day_buttons, strict=True) if CHECK in b.text()]
    assert marked == [TODAY - timedelta(days=3), TODAY - timedelta(days=1)]
    assert (
        strip.button_for(TODAY).text().startswith("today") and strip.button_for(TODAY).isChecked()
    )
    assert not strip.newer_button.isEnabled()
    QTest.mouseClick(strip.earlier_button, Qt.MouseButton.LeftButton)
    assert strip.days()[-1] == TODAY - timedelta(days=14)
    assert CHECK in strip.button_for(TODAY - timedelta(days=20)).text()
    assert strip.newer_button.isEnabled()
    QTest.mouseClick(strip.newer_button, Qt.MouseButton.LeftButton)
    assert strip.days()[-1] == TODAY


def test_a_future_day_is_never_offered(qtbot, store):
    from ui.checkin.calendar_strip import CalendarStrip

    strip = CalendarStrip(store.checkin_days, today=lambda: TODAY)
    qtbot.addWidget(strip)
    strip.show_days_ending(TODAY + timedelta(days=10))
    assert strip.days()[-1] == TODAY
    strip.set_current(TODAY - timedelta(days=40))  # brings the day into view
    assert TODAY - timedelta(days=40) in strip.days()
    assert all(
        b.isEnabled() == (d <= TODAY) for d, b in zip(strip.days(), strip.day_buttons, strict=True)
    )


@pytest.mark.parametrize(
    ("answer", "shown", "stored_today"),
    [
        (QMessageBox.StandardButton.Cancel, "today", None),
        (QMessageBox.StandardButton.Discard, "yesterday", None),
        (QMessageBox.StandardButton.Save, "yesterday", "less"),
    ],
)
def test_switching_day_with_unsaved_answers_asks(
    window, qtbot, monkeypatch, answer, shown, stored_today
):
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[1]) or answer)
    dialog = _open(window, qtbot)
    yesterday = TODAY - timedelta(days=1)
    QTest.mouseClick(dialog.strip.button_for(yesterday), Qt.MouseButton.LeftButton)
    assert asked == [] and dialog.day == yesterday  # nothing changed: nothing asked
    QTest.mouseClick(dialog.strip.button_for(TODAY), Qt.MouseButton.LeftButton)
    QTest.mouseClick(dialog.rows["fluids"].button("less"), Qt.MouseButton.LeftButton)
    QTest.mouseClick(dialog.strip.button_for(yesterday), Qt.MouseButton.LeftButton)
    assert asked == ["Save this check-in?"]
    assert dialog.day == (TODAY if shown == "today" else yesterday)
    assert dialog.strip.current == dialog.day
    stored = window.store.get_checkin(TODAY)
    assert (stored.fluids if stored else None) == stored_today
    if shown == "today":
        assert dialog.rows["fluids"].value() == "less"  # nothing lost


@pytest.mark.parametrize(
    ("answer", "open_after", "stored"),
    [
        (QMessageBox.StandardButton.Cancel, True, None),
        (QMessageBox.StandardButton.Discard, False, None),
        (QMessageBox.StandardButton.Save, False, "more"),
    ],
)
def test_esc_with_unsaved_answers_asks_first(
    window, qtbot, monkeypatch, answer, open_after, stored
):
    """A stray Esc does not lose answers: it asks; with nothing changed it just closes."""
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[1]) or answer)
    dialog = _open(window, qtbot)
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert asked == []  # nothing changed: closed without a question
    dialog = _open(window, qtbot)
    QTest.mouseClick(dialog.rows["fluids"].button("more"), Qt.MouseButton.LeftButton)
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked == ["Save this check-in?"]
    qtbot.wait(50)
    assert dialog.isVisible() == open_after
    saved = window.store.get_checkin(TODAY)
    assert (saved.fluids if saved else None) == stored
    if open_after:
        assert dialog.rows["fluids"].value() == "more"  # nothing lost


def test_morning_asks_about_the_night_first_and_log_them_presets_the_night(
    window, qtbot, monkeypatch
):
    dialog = _open(window, qtbot, mode="morning")
    assert dialog.row_order()[0] is dialog.rows["night_cramps"]
    assert QApplication.focusWidget() is dialog.rows["night_cramps"].buttons[0]
    assert not dialog.log_button.isEnabled()
    _press(Qt.Key.Key_2)  # Yes: the focus goes to "Log them…"
    assert dialog.log_button.isEnabled() and QApplication.focusWidget() is dialog.log_button
    _press(Qt.Key.Key_Return)
    log = window.log_dialog
    qtbot.waitUntil(lambda: log is not None and log.isVisible())
    expected = min(
        datetime.combine(TODAY, datetime.min.time().replace(hour=3)).astimezone(),
        datetime.now().astimezone(),
    )
    assert abs((log.form.start.value() - expected).total_seconds()) < 120
    assert log.form.start.is_approximate()
    log.reject()
    # The evening check-in asks about the day first (the unsaved "Yes" is discarded on closing).
    discard = QMessageBox.StandardButton.Discard
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: discard)
    dialog.reject()
    dialog = _open(window, qtbot, mode="evening")
    assert dialog.row_order()[0] is dialog.rows[DAY_QUESTIONS[0].name]


def test_the_sleep_scale_takes_its_own_numbers(window, qtbot):
    dialog = _open(window, qtbot, mode="morning")
    sleep = dialog.rows["sleep_disturbance"]
    sleep.focus_stop().setFocus()
    _press(Qt.Key.Key_0)
    assert sleep.value() == "0"
    sleep.focus_stop().setFocus()
    _press(Qt.Key.Key_7)
    assert sleep.value() == "7"
    assert dialog.try_save()
    assert window.store.get_checkin(TODAY) == CheckIn(day=TODAY, sleep_disturbance=7)


def test_the_tray_signal_opens_the_check_in_in_its_mode(window, qtbot):
    window.checkin_requested.emit("morning")
    dialog = window.checkin_feature.checkin_dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible())
    assert dialog.mode == "morning"
    dialog.reject()
    window.checkin_requested.emit("evening")
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.mode == "evening"


def test_alt_letters_are_distinct_and_reach_their_question(window, qtbot):
    dialog = _open(window, qtbot)
    assert all_clashes(dialog) == []
    labels = form_labels(dialog)
    assert len(labels) == len(DAY_QUESTIONS) + 3
    for label in labels:
        assert mnemonic(label.text()) is not None
        dialog.cancel_button.setFocus()
        QTest.keyClick(
            dialog, Qt.Key(ord(mnemonic(label.text()).upper())), Qt.KeyboardModifier.AltModifier
        )
        target = focus_target(label.buddy())
        assert QApplication.focusWidget() is target, label.text()


def test_reminders_know_which_check_in_is_done(window, store):
    """The reminders ask the window whether a check-in is already answered: the check-in
    feature answers from the diary (the morning part and the day part separately)."""
    from datetime import date

    from tracker.diary.checkin import CheckIn

    feature = window.checkin_feature
    assert feature is not None
    day = date.today()
    assert not window.checkin_answered("evening", day)
    assert not window.checkin_answered("morning", day)
    store.save_checkin(CheckIn(day=day, sleep_disturbance=3))
    assert window.checkin_answered("morning", day)
    assert not window.checkin_answered("evening", day)
    store.save_checkin(CheckIn(day=day, sleep_disturbance=3, fluids="less"))
    assert window.checkin_answered("evening", day)
