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
    assert saved.site == ()  # untouched: not recorded, not a preset
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
    form.area.box("sole").setChecked(True)
    assert not dialog.try_save()
    assert dialog.isVisible()
    assert "Duration" in form.error_text("duration_s")
    assert form.notes.toPlainText() == "keep me"
    assert form.area.values() == ("sole",)
    assert store.count_episodes() == 0
    form.seconds_spin.setValue(40)
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


def test_last_choices_are_offered_never_preselected(window, qtbot, store):
    store.add_episode(
        make_episode(
            activity="exercising",
            footwear="athletic",
            hydration=None,
            started_at=datetime.now().astimezone(),
        )
    )
    dialog = _open(window, qtbot)
    form = dialog.form
    assert form.episode().activity is None and form.episode().footwear is None
    assert form.last_buttons["activity"].isVisible()
    assert "Exercising" in form.last_buttons["activity"].text()
    assert not form.last_buttons["hydration"].isVisible()  # last time it was not recorded
    qtbot.mouseClick(form.last_buttons["activity"], Qt.MouseButton.LeftButton)
    assert form.activity.currentData() == "exercising"
    assert form.footwear.currentData() is None  # one field only
    qtbot.mouseClick(form.same_as_last, Qt.MouseButton.LeftButton)
    episode = form.episode()
    assert (episode.footwear, episode.side, episode.site, episode.severity) == (
        "athletic",
        "left",
        ("big_toe",),
        6,
    )
    assert form.toes.values() == ("big_toe",)
    assert episode.hydration is None


def test_first_log_offers_no_last_time(window, qtbot):
    dialog = _open(window, qtbot)
    assert not dialog.form.same_as_last.isVisible()
    assert not any(b.isVisible() for b in dialog.form.last_buttons.values())


def test_ctrl_n_opens_log_dialog(window, qtbot):
    window.log_action.trigger()
    assert window.log_dialog is not None and window.log_dialog.isVisible()
    assert window.log_action.shortcut().toString() == "Ctrl+N"


def test_ctrl_n_enter_saves_only_time_and_duration(window, qtbot, store):
    store.add_episode(make_episode(started_at=datetime.now().astimezone() - timedelta(days=1)))
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.log_dialog
    qtbot.waitExposed(dialog)
    qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: store.count_episodes() == 2)
    saved = max(store.iter_episodes(), key=lambda e: e.id)
    assert saved.duration_s == 60
    assert (saved.side, saved.site, saved.severity) == (None, (), None)
    assert (saved.activity, saved.hydration, saved.footwear) == (None, None, None)
    assert not saved.footwear_tight and not saved.time_approximate
    assert "severity" not in window.statusBar().currentMessage()


def test_severity_starts_not_rated_and_can_be_cleared(window, qtbot):
    from ui.episode.severity_input import NOT_RATED_TEXT

    form = _open(window, qtbot).form
    assert form.severity.value() is None
    assert form.severity.label.text() == NOT_RATED_TEXT
    form.severity_slider.setFocus()
    qtbot.keyClick(form.severity_slider, Qt.Key.Key_Right)
    assert form.severity.value() == 1
    assert "mild" in form.severity.label.text()
    qtbot.mouseClick(form.severity.clear_button, Qt.MouseButton.LeftButton)
    assert form.severity.value() is None
    assert form.episode().severity is None


def test_severity_has_a_word_for_every_value():
    from ui.episode.severity_input import severity_words

    words = {v: severity_words(v) for v in range(11)}
    assert words[0] == "0 / 10 none"
    assert words[3].endswith("mild") and words[4].endswith("moderate")
    assert words[7].endswith("severe") and words[10] == "10 / 10 worst imaginable"
    assert all(w.split(" / 10 ", 1)[1] for w in words.values())


def test_side_and_hydration_start_not_recorded(window, qtbot):
    form = _open(window, qtbot).form
    assert form.side.value() is None and form.hydration.value() is None
    form.side.button("left").setChecked(True)
    assert form.episode().side == "left"


def test_rough_past_times_mark_the_time_approximate(window, qtbot):
    form = _open(window, qtbot).form
    form.start._fill_night_menu()
    actions = form.start.night_menu.actions()
    assert actions and all(a.text().startswith("Around ") for a in actions)
    actions[0].trigger()
    episode = form.episode()
    assert episode.time_approximate
    assert episode.started_at.hour == 21
    assert episode.started_at.date() == (datetime.now() - timedelta(days=1)).date()
    qtbot.mouseClick(form.quick_buttons[0], Qt.MouseButton.LeftButton)
    assert not form.episode().time_approximate
    qtbot.mouseClick(form.quick_buttons["evening"], Qt.MouseButton.LeftButton)
    assert form.episode().time_approximate and form.episode().started_at.hour == 20
    qtbot.mouseClick(form.quick_buttons["morning"], Qt.MouseButton.LeftButton)
    assert form.episode().started_at.date() == datetime.now().date()


def test_calendar_offers_no_future_day(window, qtbot):
    from PySide6.QtCore import QDate

    form = _open(window, qtbot).form
    assert form.start_edit.maximumDate() == QDate.currentDate()


def test_future_error_goes_once_the_time_is_fixed(window, qtbot, store):
    dialog = _open(window, qtbot)
    dialog.form.set_start(datetime.now().astimezone() + timedelta(minutes=30))
    if dialog.form.episode().started_at <= datetime.now().astimezone() + timedelta(minutes=5):
        return  # within 30 minutes of midnight the calendar limit already clamped it
    assert not dialog.try_save()
    label = dialog.form._error_labels["started_at"]
    assert label.isVisible()
    qtbot.mouseClick(dialog.form.quick_buttons[15], Qt.MouseButton.LeftButton)
    assert not label.isVisible()


def test_edit_dialog_has_no_buttons_that_overwrite_the_time(window, qtbot, store):
    saved = store.add_episode(make_episode(time_approximate=True))
    dialog = window.edit_episode(saved.id)
    qtbot.waitExposed(dialog)
    assert not dialog.form.start.quick_row.isVisible()
    assert dialog.form.start.approximate.isChecked()
    assert dialog.try_save()
    assert store.get_episode(saved.id).started_at == saved.started_at


def test_focus_below_the_visible_part_scrolls_into_view(window, qtbot):
    dialog = _open(window, qtbot)
    dialog.form.set_details_visible(True)
    dialog.resize(dialog.width(), 300)
    qtbot.wait(10)
    bar = dialog.scroll_area.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == 0
    dialog.form.notes.setFocus()
    qtbot.waitUntil(lambda: bar.value() > 0)
    top = dialog.form.notes.mapTo(dialog.scroll_area.viewport(), dialog.form.notes.rect().topLeft())
    assert 0 <= top.y() < dialog.scroll_area.viewport().height()


def test_an_edit_keeps_the_sleep_disturbance(window, qtbot, store):
    """Editing another field keeps the stored sleep disturbance (schema 6), and the next edit
    or new log does not inherit it."""
    night = store.add_episode(make_episode(sleep_disturbance=6))
    day = store.add_episode(make_episode(started_at=datetime(2026, 3, 10, 15, 0).astimezone()))
    for episode, expected in ((night, 6), (day, None), (night, 6)):
        dialog = window.edit_episode(episode.id)
        qtbot.waitExposed(dialog)
        dialog.form.minutes_spin.setFocus()
        qtbot.keyClicks(dialog.form.notes, "edited ")
        dialog.form.minutes_spin.setFocus()
        qtbot.keyClick(dialog.form.minutes_spin, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda d=dialog: not d.isVisible())
        stored = store.get_episode(episode.id)
        assert stored.notes.startswith("edited ")
        assert stored.sleep_disturbance == expected
    dialog = _open(window, qtbot)
    dialog.form.minutes_spin.setFocus()
    qtbot.keyClick(dialog.form.minutes_spin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    newest = max(store.iter_episodes(), key=lambda e: e.id)
    assert newest.id not in (night.id, day.id) and newest.sleep_disturbance is None


def test_sleep_disturbance_is_typed_in_the_details_and_can_be_taken_back(window, qtbot, store):
    """The 0-10 field among the details (its Alt+P is checked with every label in
    test_mnemonics): typing stores it, and stepping below 0 ("not recorded") stores nothing.
    Twice, as a person logs two nights."""
    for typed, expected in (("7", 7), ("0", 0)):
        dialog = _open(window, qtbot)
        form = dialog.form
        form.details_toggle.setChecked(True)
        qtbot.waitUntil(form.sleep_spin.isVisible)
        form.sleep_spin.setFocus()
        form.sleep_spin.selectAll()
        qtbot.keyClicks(form.sleep_spin, typed)
        qtbot.keyClick(form.sleep_spin, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda d=dialog: not d.isVisible())
        newest = max(store.iter_episodes(), key=lambda e: e.id)
        assert newest.sleep_disturbance == expected
    dialog = window.edit_episode(newest.id)
    qtbot.waitExposed(dialog)
    assert dialog.form.sleep_spin.value() == 0
    dialog.form.sleep_spin.setFocus()
    qtbot.keyClick(dialog.form.sleep_spin, Qt.Key.Key_Down)  # below 0: not recorded
    qtbot.keyClick(dialog.form.sleep_spin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert store.get_episode(newest.id).sleep_disturbance is None
