"""Journeys: a fortnight of check-ins filled in from the calendar strip with the keyboard, and the
morning path "Cramps last night? Yes → Log them…", through the real event loop."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import Qt

from tests.journeys.driver import Journey, WaitUntil
from tests.journeys.person import CTRL, focused_in, key
from tracker.diary.checkin import DAY_QUESTIONS, CheckIn

DIGITS = {n: getattr(Qt.Key, f"Key_{n}") for n in range(10)}


def _answers(index: int) -> dict[str, int | None]:
    """Day ``index``'s answers as number keys (None: skipped with Down)."""
    answers: dict[str, int | None] = {}
    for number, question in enumerate(DAY_QUESTIONS):
        if (index + number) % 4 == 0:
            answers[question.name] = None
        else:
            answers[question.name] = 1 + (index * 7 + number) % len(question.vocabulary)
    return answers


def _expected(day: date, answers: dict[str, int | None]) -> CheckIn:
    codes = {
        q.name: None if answers[q.name] is None else list(q.vocabulary)[answers[q.name] - 1]
        for q in DAY_QUESTIONS
    }
    return CheckIn(day=day, **codes)


def _dialog(window):
    feature = window.checkin_feature
    return feature.checkin_dialog if feature is not None else None


def _open(window):
    dialog = _dialog(window)
    return dialog is not None and dialog.isVisible() and dialog.isActiveWindow()


def test_a_fortnight_of_check_ins_through_the_strip_by_keyboard(sessions):
    session = sessions()
    window = session.open()
    store = session.store
    today = date.today()
    journey = Journey()
    journey.add("features", lambda: WaitUntil(lambda: window.checkin_feature, "the check-in"))
    for index in range(14):
        day = today - timedelta(days=13 - index)
        answers = _answers(index)
        journey.add(f"{day}: Ctrl+K", lambda: key(window, Qt.Key.Key_K, CTRL))
        journey.add(f"{day}: open", lambda: WaitUntil(lambda: _open(window), "the check-in"))

        def go_to_day(back=13 - index, day=day):
            dialog = _dialog(window)
            key(focused_in(dialog), Qt.Key.Key_Up)  # from the first question to the strip
            for _ in range(back):
                key(focused_in(dialog), Qt.Key.Key_Left)
            key(focused_in(dialog), Qt.Key.Key_Return)
            assert dialog.day == day, (dialog.day, day)
            assert all(row.value() is None for row in dialog.rows.values())

        journey.add(f"{day}: pick it in the strip", go_to_day)

        def answer(answers=answers):
            dialog = _dialog(window)
            for question in DAY_QUESTIONS:
                digit = answers[question.name]
                target = focused_in(dialog)
                assert target in dialog.rows[question.name].buttons, question.name
                key(target, Qt.Key.Key_Down if digit is None else DIGITS[digit])
            key(focused_in(dialog), Qt.Key.Key_Return)

        journey.add(f"{day}: answer and Enter", answer)
        journey.add(
            f"{day}: saved",
            lambda day=day: WaitUntil(
                lambda: store.get_checkin(day) is not None and not _dialog(window).isVisible(),
                "the check-in saved and closed",
            ),
        )
    journey.add(
        "the strip marks all fourteen",
        lambda: key(window, Qt.Key.Key_K, CTRL),
    )

    def all_marked():
        dialog = _dialog(window)
        assert dialog.strip.marked == {today - timedelta(days=n) for n in range(14)}
        key(focused_in(dialog), Qt.Key.Key_Escape)

    journey.add("open", lambda: WaitUntil(lambda: _open(window), "the check-in"))
    journey.add("all marked", all_marked)
    journey.run()
    for index in range(14):
        day = today - timedelta(days=13 - index)
        assert store.get_checkin(day) == _expected(day, _answers(index)), day
    assert store.count_checkins() == 14
    window.undo_action.trigger()  # the last one, today's, is undone
    assert store.get_checkin(today) is None and store.count_checkins() == 13


def test_morning_yes_log_them_saves_a_night_cramp_twice(sessions):
    session = sessions()
    window = session.open()
    store = session.store
    today = date.today()
    night = min(datetime.combine(today, datetime.min.time().replace(hour=3)).astimezone(),
                datetime.now().astimezone())  # fmt: skip
    journey = Journey()
    journey.add("features", lambda: WaitUntil(lambda: window.checkin_feature, "the check-in"))
    for round_ in (1, 2):
        journey.add(
            f"{round_}: the morning reminder", lambda: window.checkin_requested.emit("morning")
        )
        journey.add(f"{round_}: open", lambda: WaitUntil(lambda: _open(window), "the check-in"))

        def yes_and_log(round_=round_):
            dialog = _dialog(window)
            assert dialog.mode == "morning"
            night_row = dialog.rows["night_cramps"]
            assert focused_in(dialog) in night_row.buttons
            if round_ == 1:
                key(focused_in(dialog), DIGITS[2])  # Yes: the focus goes to "Log them…"
            else:
                assert night_row.value() == "yes"  # today's answers are shown again
                dialog.log_button.setFocus()
            assert focused_in(dialog) is dialog.log_button
            key(dialog.log_button, Qt.Key.Key_Return)

        journey.add(f"{round_}: Yes, Log them", yes_and_log)
        journey.add(
            f"{round_}: log form",
            lambda: WaitUntil(
                lambda: window.log_dialog is not None and window.log_dialog.isActiveWindow(),
                "the log form",
            ),
        )

        def save_log(round_=round_):
            form = window.log_dialog.form
            assert abs((form.start.value() - night).total_seconds()) < 120
            assert form.start.is_approximate()
            key(focused_in(window.log_dialog), Qt.Key.Key_Return)
            return WaitUntil(lambda: store.count_episodes() == round_, "the night cramp saved")

        journey.add(f"{round_}: Enter in the log form", save_log)
        journey.add(f"{round_}: back", lambda: WaitUntil(lambda: _open(window), "the check-in"))

        def sleep_and_save(round_=round_):
            dialog = _dialog(window)
            dialog.rows["sleep_disturbance"].focus_stop().setFocus()
            key(focused_in(dialog), DIGITS[4 + round_])
            key(focused_in(dialog), Qt.Key.Key_Return)
            return WaitUntil(
                lambda: (
                    (store.get_checkin(today) or CheckIn(day=today)).sleep_disturbance == 4 + round_
                ),
                "the check-in saved",
            )

        journey.add(f"{round_}: sleep disturbance, Enter", sleep_and_save)
        journey.add(
            f"{round_}: closed",
            lambda: WaitUntil(lambda: not _dialog(window).isVisible(), "closed"),
        )
    journey.run()
    episodes = list(store.iter_episodes())
    assert len(episodes) == 2
    for episode in episodes:
        assert abs((episode.started_at - night).total_seconds()) < 120
        assert episode.time_approximate
    assert store.get_checkin(today) == CheckIn(day=today, night_cramps="yes", sleep_disturbance=6)
