"""Journey: exporting the diary twice through File > Export…. The export runs in a worker; the
window stays responsive, the status bar says what was written, and the second export to the same
file asks before replacing it and then replaces it whole."""

from __future__ import annotations

import csv
import io
import threading
from datetime import datetime, timedelta

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

import ui.data.export_dialog as export_dialog
from tests.factories import TZ, make_episode
from tests.journeys.driver import Journey, WaitUntil
from tests.journeys.person import CTRL, click, key, type_text


def _export_dialog():
    from ui.data.export_dialog import ExportDialog

    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, ExportDialog)]
    visible = [w for w in found if w.isVisible()]
    return visible[0] if visible else None


def _rows(path):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def test_export_twice_through_the_dialog(sessions, tmp_path, monkeypatch):
    asked = []

    def question(parent, title, text, *args, **kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    threads = []
    real_export = export_dialog.export_diary

    def export_to_file(*args, **kwargs):
        threads.append(threading.current_thread())
        return real_export(*args, **kwargs)

    monkeypatch.setattr(export_dialog, "export_diary", export_to_file)

    session = sessions()
    window = session.open()
    store = session.store
    start = datetime(2026, 1, 5, 2, 0, tzinfo=TZ)
    store.add_episodes(
        make_episode(started_at=start + timedelta(days=i), notes=f"=night {i}") for i in range(25)
    )
    target = tmp_path / "exports" / "my-cramps.csv"
    target.parent.mkdir()
    journey = Journey()
    journey.add("pages built", lambda: WaitUntil(lambda: window.history is not None, "pages"))

    def open_export():
        QTimer.singleShot(0, window.data_menu.export_action.trigger)  # runs its own loop
        return WaitUntil(lambda: _export_dialog() is not None, "the export dialog")

    def export_to_the_file():
        dialog = _export_dialog()
        dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("csv"))
        dialog.path_edit.setFocus()
        key(dialog.path_edit, Qt.Key.Key_A, CTRL)
        type_text(dialog.path_edit, str(target))
        click(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok))
        return WaitUntil(lambda: _export_dialog() is None, "the dialog to close")

    def first_file_written():
        rows = _rows(target)
        assert len(rows) == 25 and rows[0]["notes"] == "'=night 0"
        assert window.statusBar().currentMessage() == f"Exported 25 episodes to '{target}'."
        assert asked == []
        store.add_episode(make_episode(started_at=start - timedelta(days=1), notes="earlier"))

    def second_file_replaces_the_first():
        assert asked == [f"'{target.name}' already exists. Replace it?"]
        rows = _rows(target)
        assert len(rows) == 26 and rows[0]["notes"] == "earlier"
        assert window.statusBar().currentMessage() == f"Exported 26 episodes to '{target}'."
        assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temporary file
        assert len(threads) == 2 and threading.main_thread() not in threads

    journey.add("File > Export…", open_export)
    journey.add("CSV to a file, Export", export_to_the_file)
    journey.add("the file and the status bar", first_file_written)
    journey.add("File > Export… again", open_export)
    journey.add("the same file: replace it", export_to_the_file)
    journey.add("the file was replaced whole", second_file_replaces_the_first)
    journey.add("close", window.close)
    journey.run()
