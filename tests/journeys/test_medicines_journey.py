"""Journey: a medicine added, stopped, edited, deleted and the delete undone, twice, with real
clicks and keys through the real event loop."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.journeys.driver import Journey, WaitUntil
from tests.journeys.person import CTRL, click, focused_in, key, type_text


def test_add_stop_edit_delete_and_undo_twice(sessions, monkeypatch):
    asked = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda *a, **k: asked.append(a[1]) or QMessageBox.StandardButton.Yes,
    )
    session = sessions()
    window = session.open()
    store = session.store
    today = date.today()
    journey = Journey()
    journey.add("features", lambda: WaitUntil(lambda: window.checkin_feature, "the feature"))

    def dialog():
        return window.checkin_feature.medicines_dialog

    def form_open():
        return WaitUntil(
            lambda: dialog().form is not None and dialog().form.isActiveWindow(), "the form"
        )

    def form_closed():
        def back_in_the_list():
            if dialog().form is not None:
                return False
            if not dialog().isActiveWindow():  # as a window manager gives it back the focus
                dialog().activateWindow()
                return False
            return True

        return WaitUntil(back_in_the_list, "the form closed, the list active again")

    for number, name in enumerate(("Magnesium", "Quinine"), start=1):
        journey.add(
            f"{name}: open the list", lambda: window.checkin_feature.medicines_action.trigger()
        )
        journey.add(
            f"{name}: list shown",
            lambda: WaitUntil(lambda: dialog() is not None and dialog().isActiveWindow(), "list"),
        )
        journey.add(f"{name}: Add…", lambda: click(dialog().add_button))
        journey.add(f"{name}: form", form_open)

        def fill(name=name):
            form = dialog().form
            type_text(focused_in(form), name)  # the name has the focus
            key(focused_in(form), Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
            type_text(focused_in(form), "300 mg")
            key(focused_in(form), Qt.Key.Key_Return)

        journey.add(f"{name}: type and Enter", fill)
        journey.add(f"{name}: added", form_closed)

        def stop(name=name, number=number):
            [added] = [m for m in store.medicines() if m.name == name]
            assert added.dose == "300 mg" and added.stopped_on is None
            assert dialog().selected() == added
            click(dialog().stop_button)

        journey.add(f"{name}: Stop today…", stop)
        journey.add(f"{name}: stop form", form_open)
        journey.add(f"{name}: Enter", lambda: key(focused_in(dialog().form), Qt.Key.Key_Return))
        journey.add(f"{name}: stopped", form_closed)

        def edit(name=name):
            [stopped] = [m for m in store.medicines() if m.name == name]
            assert stopped.stopped_on == today
            click(dialog().edit_button)

        journey.add(f"{name}: Edit…", edit)
        journey.add(f"{name}: edit form", form_open)

        def change_dose():
            form = dialog().form
            key(focused_in(form), Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
            key(focused_in(form), Qt.Key.Key_A, CTRL)
            type_text(focused_in(form), "400 mg")
            key(focused_in(form), Qt.Key.Key_Return)

        journey.add(f"{name}: new dose, Enter", change_dose)
        journey.add(f"{name}: edited", form_closed)

        def delete(name=name):
            [edited] = [m for m in store.medicines() if m.name == name]
            assert (edited.dose, edited.stopped_on) == ("400 mg", today)
            click(dialog().delete_button)
            assert not [m for m in store.medicines() if m.name == name]

        journey.add(f"{name}: Delete", delete)
        journey.add(f"{name}: Ctrl+Z", lambda: key(focused_in(dialog()), Qt.Key.Key_Z, CTRL))

        def undone(name=name, number=number):
            [back] = [m for m in store.medicines() if m.name == name]
            assert (back.dose, back.stopped_on) == ("400 mg", today)
            assert dialog().model.rowCount() == number
            key(focused_in(dialog()), Qt.Key.Key_Escape)

        journey.add(f"{name}: undone, Esc", undone)
        journey.add(
            f"{name}: list closed", lambda: WaitUntil(lambda: not dialog().isVisible(), "closed")
        )
    journey.run()
    assert asked == ["Delete from the list?"] * 2
    assert sorted(m.name for m in store.medicines()) == ["Magnesium", "Quinine"]
