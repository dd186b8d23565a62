"""Journey: a diary moves to a new computer. Its own JSON export (several thousand episodes) is
imported through File > Import…; the file is read and saved in the background with a progress
dialog and the window keeps answering; the history then holds every episode. Importing the same
file again finds only duplicates, and nothing is added."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from tests.journeys.driver import Journey, WaitUntil
from tests.journeys.person import CTRL, click, key, type_text
from tracker.diary import demo
from tracker.interop.exporting import export_to_file
from tracker.store import Store
from tracker.store.import_writes import content_row
from ui.data import import_dialog

EPISODES = 6000


def _import_dialog():
    from ui.data.import_dialog import ImportDialog

    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, ImportDialog)]
    return found[0] if found and found[0].isVisible() else None


def test_our_own_export_imports_in_the_background_and_again_finds_only_duplicates(
    sessions, tmp_path, monkeypatch
):
    monkeypatch.setattr(import_dialog, "PROGRESS_AFTER_MS", 50)  # see the progress dialog
    old_computer = tmp_path / "old.sqlite"
    with Store.open(old_computer) as old:
        old.add_episodes(demo.generate(EPISODES, seed=5))
        episodes = list(old.iter_episodes())
        export = tmp_path / "moving.json"
        export_to_file(old, "json", export)
    distinct = len({content_row(e) for e in episodes})  # identical rows are one episode
    session = sessions()
    window = session.open()
    store = session.store
    journey = Journey()
    journey.add("pages built", lambda: WaitUntil(lambda: window.history is not None, "pages"))
    seen_progress = []

    def open_import():
        QTimer.singleShot(0, window.data_menu.import_action.trigger)  # runs its own loop
        return WaitUntil(lambda: _import_dialog() is not None, "the import dialog")

    def choose_the_file():
        dialog = _import_dialog()
        dialog.path_edit.setFocus()
        key(dialog.path_edit, Qt.Key.Key_A, CTRL)
        type_text(dialog.path_edit, str(export))
        click(dialog.next_button)
        assert dialog.busy and not dialog.next_button.isEnabled()  # reading in the background
        return WaitUntil(lambda: _import_dialog().import_button.isVisible(), "the summary")

    def import_them():
        dialog = _import_dialog()
        text = dialog.summary_label.text()
        assert f"<b>{distinct:,}</b> episodes will be added" in text, text
        assert f"{EPISODES - distinct:,} duplicates" in text, text
        click(dialog.import_button)
        assert dialog.busy and not dialog.import_button.isEnabled()

        def progress_or_done():
            task = dialog.task if _import_dialog() is not None else None
            if task is not None and task.dialog is not None and task.dialog.isVisible():
                seen_progress.append(task.dialog.labelText())
            return _import_dialog() is None

        return WaitUntil(progress_or_done, "the dialog to close", timeout_ms=60_000)

    def check_the_diary():
        assert store.count_episodes() == distinct
        assert sorted(content_row(e) for e in store.iter_episodes()) == sorted(
            {content_row(e) for e in episodes}
        )
        assert f"Imported {distinct:,} episodes" in window.statusBar().currentMessage()
        return WaitUntil(
            lambda: window.history.model.rowCount() == distinct, "every episode in the history"
        )

    def only_duplicates():
        dialog = _import_dialog()
        text = dialog.summary_label.text()
        assert "<b>0</b> episodes will be added" in text, text
        assert f"{EPISODES:,} duplicates" in text, text
        assert not dialog.import_button.isEnabled()
        click(dialog.cancel_button)
        return WaitUntil(lambda: _import_dialog() is None, "the dialog to close")

    journey.add("File > Import…", open_import)
    journey.add("choose our own export", choose_the_file)
    journey.add("Import", import_them)
    journey.add("the diary holds every episode", check_the_diary)
    journey.add("File > Import… again", open_import)
    journey.add("the same file", choose_the_file)
    journey.add("only duplicates; Cancel", only_duplicates)
    journey.add("close", window.close)
    journey.run()
    assert store.count_episodes() == distinct
    assert seen_progress, "a progress dialog showed while saving"
