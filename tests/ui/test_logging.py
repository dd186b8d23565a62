"""Logging a cramp through the short form, the timer and the details, and form validation."""

from datetime import datetime, timedelta

from PySide6.QtCore import Qt

from tests.factories import make_episode


def _open(window, qtbot):
    dialog = window.open_log_dialog()
    qtbot.waitExposed(dialog)
    return dialog


def test_short_form_saves_with_enter(window, qtbot, store):
    dialog = _open(window, qtbot)
    form = dialog.form
    form.minutes_spin.setValue(2)
    form.seconds_spin.setValue(15)
    form.severity_slider.setValue(7)
    form.side.button("right").setChecked(True)
    form.minutes_spin.setFocus()
    qtbot.keyClick(form.minutes_spin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert store.count_episodes() == 1
    saved = next(store.iter_episodes())
    assert (saved.duration_s, saved.severity, saved.side) == (135, 7, "right")
    assert saved.site == ("toes",)
    assert abs(saved.started_at - datetime.now().astimezone()) < timedelta(minutes=2)
    assert "Saved" in window.statusBar().currentMessage()
    assert window.history.model.rowCount() == 1
    assert "1 episode shown" in window.history.count_label.text()


def test_quick_start_buttons(window, qtbot):
    dialog = _open(window, qtbot)
    qtbot.mouseClick(dialog.form.quick_buttons[60], Qt.MouseButton.LeftButton)
    started = dialog.form.episode().started_at
    expected = datetime.now().astimezone() - timedelta(hours=1)
    assert abs(started - expected) < timedelta(minutes=2)
    qtbot.mouseClick(dialog.form.quick_buttons[15], Qt.MouseButton.LeftButton)
    expected = datetime.now().astimezone() - timedelta(minutes=15)
    assert abs(dialog.form.episode().started_at - expected) < timedelta(minutes=2)


def test_timer_fills_start_and_duration(window, qtbot, store):
    clock = [1000.0]
    window.timer._clock = lambda: clock[0]
    before = datetime.now().astimezone().replace(second=0, microsecond=0)
    qtbot.mouseClick(window.timer, Qt.MouseButton.LeftButton)
    assert window.timer.running
    clock[0] += 95
    window.timer._refresh()
    assert "1:35" in window.timer.text()
    qtbot.mouseClick(window.timer, Qt.MouseButton.LeftButton)
    assert not window.timer.running
    dialog = window.log_dialog
    qtbot.waitExposed(dialog)
    assert dialog.form.duration_s() == 95
    assert dialog.form.episode().started_at >= before - timedelta(minutes=1)
    assert dialog.try_save()
    assert next(store.iter_episodes()).duration_s == 95


def test_details_are_saved(window, qtbot, store):
    dialog = _open(window, qtbot)
    form = dialog.form
    qtbot.mouseClick(form.details_toggle, Qt.MouseButton.LeftButton)
    assert form.details.isVisible()
    form.toes.box("big_toe").setChecked(True)
    form.toes.box("second_toe").setChecked(True)
    form.area.box("calf").setChecked(True)
    form.fluid_unit.setCurrentIndex(1)  # glasses
    form.fluid_spin.setValue(4)
    form.relief.box("stretching").setChecked(True)
    form.relief.box("massage").setChecked(True)
    form.relief_effect.button("partly").setChecked(True)
    form.context.box("crossed_legs").setChecked(True)
    form.warning_signs.box("numbness").setChecked(True)
    form.footwear.setCurrentIndex(form.footwear.findData("high_heels"))
    form.footwear_tight.setChecked(True)
    form.hydration.button("under").setChecked(True)
    form.notes.setPlainText("Woke up, <b>left</b> foot curled; drank water")
    assert dialog.try_save()
    saved = next(store.iter_episodes())
    assert saved.site == ("big_toe", "second_toe", "calf")
    assert saved.fluid_ml == 1000
    assert saved.relief == ("stretching", "massage") and saved.relief_effect == "partly"
    assert saved.context == ("crossed_legs",) and saved.warning_signs == ("numbness",)
    assert (saved.footwear, saved.footwear_tight, saved.hydration) == ("high_heels", True, "under")
    assert saved.notes.startswith("Woke up, <b>left</b>")


def test_validation_message_next_to_field_keeps_input(window, qtbot, store):
    dialog = _open(window, qtbot)
    form = dialog.form
    form.set_details_visible(True)
    form.notes.setPlainText("keep me")
    form.minutes_spin.setValue(0)
    form.seconds_spin.setValue(0)
    form.area.set_values(())
    assert not dialog.try_save()
    assert dialog.isVisible()
    assert "Duration" in form.error_text("duration_s")
    assert "at least one place" in form.error_text("site")
    assert form.notes.toPlainText() == "keep me"
    assert store.count_episodes() == 0
    form.seconds_spin.setValue(40)
    form.area.box("sole").setChecked(True)
    assert dialog.try_save()
    assert store.count_episodes() == 1


def test_future_start_refused(window, qtbot, store):
    dialog = _open(window, qtbot)
    dialog.form.set_start(datetime.now().astimezone() + timedelta(hours=2))
    assert not dialog.try_save()
    assert "future" in dialog.form.error_text("started_at")
    assert store.count_episodes() == 0


def test_long_duration_warns_but_saves(window, qtbot, store):
    dialog = _open(window, qtbot)
    dialog.form.minutes_spin.setValue(25)
    assert "unusually long" in dialog.form.duration_warning.text()
    assert dialog.try_save()
    assert store.count_episodes() == 1
    assert "unusual" in window.statusBar().currentMessage()


def test_last_used_activity_and_footwear_are_defaults(window, qtbot, store):
    store.add_episode(
        make_episode(
            activity="exercising", footwear="athletic", started_at=datetime.now().astimezone()
        )
    )
    dialog = _open(window, qtbot)
    assert dialog.form.activity.currentData() == "exercising"
    assert dialog.form.footwear.currentData() == "athletic"


def test_ctrl_n_opens_log_dialog(window, qtbot):
    window.log_action.trigger()
    assert window.log_dialog is not None and window.log_dialog.isVisible()
    assert window.log_action.shortcut().toString() == "Ctrl+N"
