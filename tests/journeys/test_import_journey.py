"""Journey: moving in from another tracker's spreadsheet. A generic symptom log (no duration
column, headache rows mixed in) is imported through File > Import… with a duration for every
row, a row filter and a saved mapping; then the same file again with the saved mapping, which
finds only duplicates. Nothing is invented and the headache rows never land in the diary."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from tests.journeys.driver import Journey, WaitUntil
from tests.journeys.person import CTRL, click, key, type_text

FOREIGN = Path(__file__).resolve().parents[1] / "data" / "foreign" / "generic_log.csv"


def _import_dialog():
    from ui.data.import_dialog import ImportDialog

    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, ImportDialog)]
    return found[0] if found and found[0].isVisible() else None


def test_a_symptom_spreadsheet_moves_in_and_a_second_import_finds_duplicates(sessions):
    session = sessions()
    window = session.open()
    store = session.store
    journey = Journey()
    journey.add("pages built", lambda: WaitUntil(lambda: window.history is not None, "pages"))

    def open_import():
        QTimer.singleShot(0, window.data_menu.import_action.trigger)  # runs its own loop
        return WaitUntil(lambda: _import_dialog() is not None, "the import dialog")

    def choose_the_file():
        dialog = _import_dialog()
        dialog.path_edit.setFocus()
        key(dialog.path_edit, Qt.Key.Key_A, CTRL)
        type_text(dialog.path_edit, str(FOREIGN))
        click(dialog.next_button)
        return WaitUntil(lambda: dialog.mapping_page.isVisible(), "the column mapping")

    def map_it_and_save_the_mapping():
        page = _import_dialog().mapping_page
        assert not _import_dialog().next_button.isEnabled()  # a duration is needed
        page.fixed_duration.setFocus()
        type_text(page.fixed_duration, "1")
        page.unit_combo.setCurrentIndex(page.unit_combo.findData("minutes"))
        page.filter_combo.setCurrentIndex(
            page.filter_combo.findText("3: Symptom", Qt.MatchFlag.MatchContains)
        )
        page.filter_text.setFocus()
        type_text(page.filter_text, "cramp")
        page.name_edit.setFocus()
        type_text(page.name_edit, "My old symptom log")
        click(page.save_button)
        assert "Saved as 'My old symptom log'" in page.saved_label.text()
        click(_import_dialog().next_button)
        return WaitUntil(lambda: _import_dialog().import_button.isVisible(), "the summary")

    def import_them():
        dialog = _import_dialog()
        assert "left out by the row filter" in dialog.summary_label.text()
        assert dialog.import_button.text() == "&Import 4 episodes"
        click(dialog.import_button)
        return WaitUntil(lambda: _import_dialog() is None, "the dialog to close")

    def check_the_diary():
        episodes = list(store.iter_episodes())
        assert len(episodes) == 4
        assert all(e.duration_s == 60 for e in episodes)
        assert all(e.side is None and e.activity is None and e.footwear is None for e in episodes)
        assert not any("headache" in e.notes.lower() for e in episodes)
        return WaitUntil(lambda: window.history.model.rowCount() == 4, "4 rows in the history")

    def use_the_saved_mapping():
        page = _import_dialog().mapping_page
        assert page.saved_combo.currentText() == "My old symptom log"
        click(page.load_button)
        click(_import_dialog().next_button)
        return WaitUntil(lambda: _import_dialog().import_button.isVisible(), "the summary")

    def only_duplicates():
        dialog = _import_dialog()
        assert "4 duplicates" in dialog.summary_label.text(), dialog.summary_label.text()
        assert not dialog.import_button.isEnabled()
        click(dialog.cancel_button)
        return WaitUntil(lambda: _import_dialog() is None, "the dialog to close")

    journey.add("File > Import…", open_import)
    journey.add("choose the spreadsheet", choose_the_file)
    journey.add("duration, filter, save the mapping", map_it_and_save_the_mapping)
    journey.add("Import 4 episodes", import_them)
    journey.add("the diary holds the cramps only", check_the_diary)
    journey.add("File > Import… again", open_import)
    journey.add("the same spreadsheet", choose_the_file)
    journey.add("Use saved", use_the_saved_mapping)
    journey.add("only duplicates; Cancel", only_duplicates)
    journey.add("close", window.close)
    journey.run()
    assert store.count_episodes() == 4
