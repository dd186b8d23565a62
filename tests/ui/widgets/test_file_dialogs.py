"""Save dialogs start in a folder that exists and remember the last one per kind of file."""

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog

from tests.factories import TZ, make_episode
from ui.widgets import file_dialogs

_original_location = QStandardPaths.writableLocation


@pytest.fixture
def documents(tmp_path, monkeypatch):
    """Point Documents and Pictures at folders under tmp; they do not exist until created."""
    folders = {
        QStandardPaths.StandardLocation.DocumentsLocation: tmp_path / "Documents",
        QStandardPaths.StandardLocation.PicturesLocation: tmp_path / "Pictures",
    }

    def location(kind):
        return str(folders[kind]) if kind in folders else _original_location(kind)

    monkeypatch.setattr(QStandardPaths, "writableLocation", location)
    return folders[QStandardPaths.StandardLocation.DocumentsLocation]


class SaveDialog:
    """Stands in for QFileDialog.getSaveFileName: records where it opened, returns a choice."""

    def __init__(self, monkeypatch):
        self.opened_at: list[Path] = []
        self.answers: list[Path] = []
        monkeypatch.setattr(QFileDialog, "getSaveFileName", self)

    def __call__(self, parent, caption, start, *filters):
        self.opened_at.append(Path(start))
        return str(self.answers.pop(0)), filters[0] if filters else ""


def test_missing_documents_folder_falls_back_to_home(documents):
    assert not documents.exists()
    assert file_dialogs.default_folder("export") == Path.home()
    documents.mkdir()
    assert file_dialogs.default_folder("export") == documents
    assert file_dialogs.default_folder("chart") == Path.home()  # Pictures is still missing


def test_a_remembered_folder_that_was_removed_is_not_offered(window, documents, tmp_path):
    gone = tmp_path / "usb-stick"
    gone.mkdir()
    file_dialogs.remember_folder("backup", gone, window)
    assert file_dialogs.start_folder("backup", window) == gone
    gone.rmdir()
    assert file_dialogs.start_folder("backup", window) == Path.home()


def test_export_suggests_an_existing_folder_then_the_last_one_used(
    qtbot, window, documents, tmp_path, monkeypatch
):
    from ui.data.export_dialog import ExportDialog

    window.store.add_episode(make_episode(started_at=datetime(2026, 3, 1, 3, tzinfo=TZ)))
    dialog = ExportDialog(window.store, window)
    suggested = Path(dialog.path_edit.text())
    assert suggested.parent == Path.home() and suggested.parent.is_dir()  # no Documents here
    assert suggested.name == f"cramp-diary-{datetime.now():%Y-%m-%d}.csv"
    chosen = tmp_path / "exports" / "mine.csv"
    chosen.parent.mkdir()
    save = SaveDialog(monkeypatch)
    save.answers.append(chosen)
    dialog.choose_file()
    assert save.opened_at[0].parent.is_dir()
    dialog.export()
    qtbot.waitUntil(lambda: dialog.task is None, timeout=20000)  # exported in a worker
    assert dialog.exported == (1, chosen)
    dialog.deleteLater()

    again = ExportDialog(window.store, window)
    assert Path(again.path_edit.text()).parent == chosen.parent
    again.deleteLater()


def test_a_typed_export_path_is_remembered_too(qtbot, window, documents, tmp_path):
    from ui.data.export_dialog import ExportDialog

    documents.mkdir()
    dialog = ExportDialog(window.store, window)
    assert Path(dialog.path_edit.text()).parent == documents
    typed = tmp_path / "typed"
    typed.mkdir()
    dialog.path_edit.setText(str(typed / "all.json"))
    dialog.export()
    qtbot.waitUntil(lambda: dialog.task is None, timeout=20000)  # exported in a worker
    assert dialog.exported is not None
    assert Path(ExportDialog(window.store, window).path_edit.text()).parent == typed


def test_back_up_now_starts_in_an_existing_folder(qtbot, window, documents, tmp_path, monkeypatch):
    from ui.data.backup_dialog import BackupDialog

    opened = []
    usb = tmp_path / "usb"
    usb.mkdir()

    def choose(parent, caption, start):
        opened.append(Path(start))
        return str(usb)

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", choose)
    messages = []
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "information", lambda *a: messages.append(a))
    BackupDialog(window).back_up_now()
    qtbot.waitUntil(lambda: bool(messages), timeout=20000)  # backed up in a worker
    assert opened[0] == Path.home() and opened[0].is_dir()  # Documents is missing here
    assert len(list(usb.glob("*-backup-*.sqlite"))) == 1
    BackupDialog(window).back_up_now()
    assert opened[1] == usb
    qtbot.waitUntil(lambda: len(messages) == 2, timeout=20000)


def test_report_pdf_remembers_its_folder(window, documents, tmp_path, monkeypatch):
    from ui.report.dialog import ReportDialog

    documents.mkdir()
    save = SaveDialog(monkeypatch)
    first = tmp_path / "for-the-doctor" / "summary.pdf"
    first.parent.mkdir()
    save.answers += [first, first.parent / "again.pdf"]
    dialog = ReportDialog(window.store, window)
    dialog.save_as_pdf()
    dialog.wait()  # the PDF is written in a worker
    assert save.opened_at[0].parent == documents
    assert save.opened_at[0].name.startswith("cramp-summary-")
    assert dialog.last_saved == first and first.exists()
    dialog.save_as_pdf()
    dialog.wait()
    assert save.opened_at[1].parent == first.parent
    dialog.deleteLater()


def test_charts_start_in_pictures_and_remember_their_folder(
    qtbot, store, settings, documents, tmp_path, monkeypatch
):
    from ui.shell.main_window import MainWindow

    pictures = tmp_path / "Pictures"
    pictures.mkdir()
    store.add_episode(make_episode(started_at=datetime(2026, 3, 1, 3, tzinfo=TZ)))
    window = MainWindow(store, settings)
    qtbot.addWidget(window)
    window.show()
    page = window.patterns_page
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        window.tabs.setCurrentWidget(page)
    card = page.card("time_of_day")
    save = SaveDialog(monkeypatch)
    charts = tmp_path / "charts"
    charts.mkdir()
    save.answers += [charts / "hours.png", charts / "again.svg"]
    assert card.save_dialog("png") == charts / "hours.png"
    assert save.opened_at[0] == pictures / "cramps-time_of_day.png"
    assert card.save_dialog("svg") == charts / "again.svg"
    assert save.opened_at[1] == charts / "cramps-time_of_day.svg"


def test_file_names_carry_iso_dates():
    assert file_dialogs.dated_name("cramp-diary", ".csv", datetime(2026, 11, 21, 3, 4, 5)) == (
        "cramp-diary-2026-11-21-030405.csv"
    )
