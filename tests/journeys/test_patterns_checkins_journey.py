"""Journey: with Patterns open, a check-in saved through the dialog (Ctrl+K, keys, Enter) is
marked on the calendar, and a medicine added through its list is a line on the over-time chart,
each twice, through the real event loop; the episode charts are not built again."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt

from tests.journeys.driver import Journey, WaitUntil
from tests.journeys.person import CTRL, click, focused_in, key, type_text
from tracker.diary.demo import generate
from tracker.store import Store

EPISODES = 200


def _calendar_marks(page) -> set[str]:
    headers, rows = page.card("calendar").table_rows()
    return {row[0] for row in rows if row[2] == "yes"}


def _over_time_texts(page) -> set[str]:
    card = page.card("over_time")
    card.ensure_built()
    return {t.get_text() for ax in card.figure.axes for t in ax.texts}


def test_check_ins_and_medicines_show_on_patterns_twice(sessions):
    session = sessions()
    today = date.today()
    with Store.open(session.db_path) as store:
        store.add_episodes(generate(EPISODES, seed=5, until=today))
    window = session.open()
    store = session.store
    journey = Journey()
    journey.add("pages", lambda: WaitUntil(lambda: window.checkin_feature, "the features"))

    def open_patterns():
        window.tabs.setCurrentWidget(window.patterns_page)
        return WaitUntil(lambda: window.patterns_page.up_to_date(), "Patterns drawn")

    journey.add("open Patterns", open_patterns)
    rebuilt: dict[str, int] = {}

    def remember():
        rebuilt.update({card.key: card.rebuilds for card in window.patterns_page.cards})

    journey.add("remember the charts", remember)
    for back in (0, 1):  # today, then yesterday through the calendar strip
        day = today - timedelta(days=back)
        journey.add(f"{day}: Ctrl+K", lambda: key(window, Qt.Key.Key_K, CTRL))

        def dialog_open():
            def shown() -> bool:
                dialog = window.checkin_feature.checkin_dialog
                return dialog is not None and dialog.isVisible() and dialog.isActiveWindow()

            return WaitUntil(shown, "the check-in")

        journey.add(f"{day}: open", dialog_open)

        def answer(back=back, day=day):
            dialog = window.checkin_feature.checkin_dialog
            if back:
                key(focused_in(dialog), Qt.Key.Key_Up)  # to the strip
                key(focused_in(dialog), Qt.Key.Key_Left)
                key(focused_in(dialog), Qt.Key.Key_Return)
            assert dialog.day == day
            key(focused_in(dialog), Qt.Key.Key_1)  # the first question's first answer
            key(focused_in(dialog), Qt.Key.Key_Return)

        journey.add(f"{day}: answer and Enter", answer)
        journey.add(
            f"{day}: the calendar marks it",
            lambda day=day: WaitUntil(
                lambda: (
                    store.get_checkin(day) is not None
                    and day.isoformat() in _calendar_marks(window.patterns_page)
                ),
                "the day marked on the calendar",
            ),
        )

    def medicines_list():
        return window.checkin_feature.medicines_dialog

    for name in ("Magnesium", "Quinine"):
        journey.add(
            f"{name}: open the list", lambda: window.checkin_feature.medicines_action.trigger()
        )
        journey.add(
            f"{name}: list shown",
            lambda: WaitUntil(
                lambda: medicines_list() is not None and medicines_list().isActiveWindow(),
                "the list",
            ),
        )
        journey.add(f"{name}: Add…", lambda: click(medicines_list().add_button))
        journey.add(
            f"{name}: form",
            lambda: WaitUntil(
                lambda: (
                    medicines_list().form is not None and medicines_list().form.isActiveWindow()
                ),
                "the form",
            ),
        )

        def fill(name=name):
            form = medicines_list().form
            type_text(focused_in(form), name)
            key(focused_in(form), Qt.Key.Key_Return)

        journey.add(f"{name}: type and Enter", fill)
        journey.add(
            f"{name}: a line on the over-time chart",
            lambda name=name: WaitUntil(
                lambda: name in _over_time_texts(window.patterns_page), "the medicine's marker"
            ),
        )
        journey.add(f"{name}: close the list", lambda: medicines_list().close())
    journey.run()
    now = {card.key: card.rebuilds for card in window.patterns_page.cards}
    assert {k for k in now if now[k] != rebuilt[k]} == {"calendar", "over_time"}
    assert {m.name for m in store.medicines()} == {"Magnesium", "Quinine"}
