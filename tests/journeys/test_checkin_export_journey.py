"""Journey: a diary with daily check-ins and medicines is exported to JSON through File >
Export… (twice: the dialog says what it includes, the status bar what was written), then each
file is imported through File > Import… into a new diary on another computer: the check-ins and
medicines arrive identical, and the second import finds them all there and adds nothing."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from tests.journeys.conftest import Session
from tests.journeys.driver import Journey, WaitUntil
from tests.journeys.person import CTRL, click, key, type_text
from tracker.diary.demo_checkins import generate_diary

UNTIL = date(2026, 1, 1)


def _visible(kind):
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    return found[0] if found else None


def _export_dialog():
    from ui.data.export_dialog import ExportDialog

    return _visible(ExportDialog)


def _import_dialog():
    from ui.data.import_dialog import ImportDialog

    return _visible(ImportDialog)


def _type_path(edit, path):
    edit.setFocus()
    key(edit, Qt.Key.Key_A, CTRL)
    type_text(edit, str(path))


def test_checkins_exported_twice_then_imported_into_a_new_diary(sessions, tmp_path):
    diary = generate_diary(200, seed=4, until=UNTIL)
    session = sessions()
    window = session.open()
    store = session.store
    store.add_episodes(diary.episodes)
    store.add_checkins(diary.checkins, today=UNTIL)
    for medicine in diary.medicines:
        store.add_medicine(medicine, today=UNTIL)
    targets = [tmp_path / "out" / "first.json", tmp_path / "out" / "second.json"]
    targets[0].parent.mkdir()
    exported = iter(targets)
    journey = Journey()
    journey.add("pages built", lambda: WaitUntil(lambda: window.history is not None, "pages"))

    def open_export():
        QTimer.singleShot(0, window.data_menu.export_action.trigger)  # runs its own loop
        return WaitUntil(lambda: _export_dialog() is not None, "the export dialog")

    def export_json():
        dialog = _export_dialog()
        dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("json"))
        assert "Check-ins and medicines are included" in dialog.checkins_help.text()
        assert dialog.checkins_help.isVisible() and not dialog.checkins_box.isVisible()
        _type_path(dialog.path_edit, next(exported))
        click(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok))
        return WaitUntil(lambda: _export_dialog() is None, "the export dialog to close")

    def status_says_what_was_written(index):
        def check():
            message = window.statusBar().currentMessage()
            expected = (
                f"Exported {len(diary.episodes):,} episodes, {len(diary.checkins):,} check-ins "
                f"and 2 medicines to '{targets[index]}'."
            )
            assert message == expected, message
            assert targets[index].exists()

        return check

    for index in (0, 1):
        journey.add("File > Export…", open_export)
        journey.add("JSON, Export", export_json)
        journey.add("the status bar", status_says_what_was_written(index))
    journey.add("close the old diary", window.close)
    journey.run()
    checkins, medicines = store.all_checkins(), store.medicines()
    session.close()

    new = Session(tmp_path / "new computer" / "cramps.sqlite", tmp_path / "new.ini")
    try:
        window = new.open()
        files = iter(targets)
        journey = Journey()
        journey.add("pages built", lambda: WaitUntil(lambda: window.history is not None, "pages"))

        def open_import():
            QTimer.singleShot(0, window.data_menu.import_action.trigger)
            return WaitUntil(lambda: _import_dialog() is not None, "the import dialog")

        def choose_file():
            dialog = _import_dialog()
            _type_path(dialog.path_edit, next(files))
            click(dialog.next_button)
            return WaitUntil(lambda: _import_dialog().import_button.isVisible(), "the summary")

        def import_all():
            dialog = _import_dialog()
            text = dialog.summary_label.text()
            assert f"{len(checkins):,} daily check-ins to add" in text, text
            assert "2 medicines to add" in text, text
            click(dialog.import_button)
            return WaitUntil(lambda: _import_dialog() is None, "the import to finish")

        def imported_identical():
            assert new.store.all_checkins() == checkins
            assert new.store.medicines() == medicines
            message = window.statusBar().currentMessage()
            assert f"{len(checkins):,} check-ins and 2 medicines" in message, message

        def nothing_new():
            dialog = _import_dialog()
            text = dialog.summary_label.text()
            assert f"0 daily check-ins to add, {len(checkins):,} already in the diary" in text
            assert "0 medicines to add, 2 already in the list" in text, text
            assert not dialog.import_button.isEnabled()
            click(dialog.cancel_button)
            return WaitUntil(lambda: _import_dialog() is None, "the dialog to close")

        journey.add("File > Import…", open_import)
        journey.add("the first export", choose_file)
        journey.add("Import", import_all)
        journey.add("identical check-ins and medicines", imported_identical)
        journey.add("File > Import… again", open_import)
        journey.add("the second export", choose_file)
        journey.add("nothing new; Cancel", nothing_new)
        journey.add("close", window.close)
        journey.run()
        assert new.store.all_checkins() == checkins and new.store.medicines() == medicines
    finally:
        new.close()
