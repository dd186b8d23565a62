"""Journey: exporting onto a full disk, as a person meets it, twice, then with space again.

The old file must survive every failed attempt byte for byte, the message must say the disk is
full, and the dialog must stay open so the person can try again.
"""

from __future__ import annotations

import errno
import hashlib

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.factories import make_episode
from tests.journeys.driver import Journey, WaitUntil
from tests.journeys.person import CTRL, key, type_text
from tracker.store import fileio


def _export_dialog():
    from ui.data.export_dialog import ExportDialog

    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, ExportDialog)]
    return found[0] if found and found[0].isVisible() else None


def test_export_onto_a_full_disk_keeps_the_old_file_and_can_be_retried(
    sessions, tmp_path, monkeypatch
):
    session = sessions()
    window = session.open()
    for day in range(1, 4):
        session.store.add_episode(
            make_episode(started_at=make_episode().started_at.replace(day=day))
        )
    target = tmp_path / "cramps.csv"
    target.write_text("the export from last month\n")
    old = hashlib.sha256(target.read_bytes()).hexdigest()
    warnings: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda parent, title, text, *a: warnings.append(text)
    )
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    real_fsync = fileio.os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    journey = Journey()
    journey.add("pages built", lambda: WaitUntil(lambda: window.history is not None, "pages"))

    def open_export():
        QTimer.singleShot(0, window.data_menu.export_action.trigger)  # it runs its own loop
        return WaitUntil(lambda: _export_dialog() is not None, "the export dialog")

    journey.add("File > Export…", open_export)

    def type_the_file_name():
        dialog = _export_dialog()
        dialog.path_edit.setFocus()
        key(dialog.path_edit, Qt.Key.Key_A, CTRL)  # replace the suggested name
        type_text(dialog.path_edit, str(target))

    journey.add("type where to save", type_the_file_name)

    for attempt in (1, 2):

        def export_on_a_full_disk(attempt=attempt):
            monkeypatch.setattr(fileio.os, "fsync", full)
            key(_export_dialog().path_edit, Qt.Key.Key_Return)
            return WaitUntil(lambda: len(warnings) == attempt, "the failure message")

        def still_there(attempt=attempt):
            assert "the disk is full" in warnings[-1], warnings[-1]
            assert "previous file is unchanged" in warnings[-1]
            assert hashlib.sha256(target.read_bytes()).hexdigest() == old
            assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
            assert _export_dialog() is not None  # still open, to try again

        journey.add(f"Export on a full disk ({attempt})", export_on_a_full_disk)
        journey.add(f"old file intact, dialog open ({attempt})", still_there)

    def with_space_again():
        monkeypatch.setattr(fileio.os, "fsync", real_fsync)
        key(_export_dialog().path_edit, Qt.Key.Key_Return)
        return WaitUntil(lambda: _export_dialog() is None, "the dialog to close")

    journey.add("free space, Export again", with_space_again)
    journey.add("told in the status bar", lambda: WaitUntil(
        lambda: "Exported 3 episodes" in window.statusBar().currentMessage(), "the status"
    ))  # fmt: skip
    journey.add("close", window.close)
    journey.run()
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("id,started_at") and len(lines) == 4
    assert len(warnings) == 2
