"""Export, import and backup dialogs driven with qtbot; static dialogs are patched."""

import json
from datetime import datetime, timedelta

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

import ui.data_menu as data_menu
from tests.factories import TZ, make_episode
from tracker.backup import backup_now, backup_to
from tracker.store import Store
from ui.backup_dialog import BackupDialog
from ui.export_dialog import ExportDialog
from ui.import_dialog import MAPPING_PAGE, SUMMARY_PAGE, ImportDialog

SHEET = (
    "Date;Time;Duration;Where;Side;Pain;Notes\n"
    "01.02.2025;02:30;1:30;Calf;L;7;woke me up\n"
    "2025-02-03;23:10;45;big toe;Right;3;=cold floor\n"
    "2025-02-04;;2:00;knee;left;4;\n"
)


def _fill(store, n):
    start = datetime(2025, 6, 1, 3, 0, tzinfo=TZ)
    store.add_episodes(make_episode(started_at=start + timedelta(days=i)) for i in range(n))


@pytest.fixture
def messages(monkeypatch):
    """Record QMessageBox calls; questions are answered Yes."""
    seen = []

    def record(kind, answer=None):
        def fake(parent, title, text, *args, **kwargs):
            seen.append((kind, title, text))
            return answer

        return fake

    monkeypatch.setattr(QMessageBox, "warning", record("warning"))
    monkeypatch.setattr(QMessageBox, "information", record("information"))
    monkeypatch.setattr(QMessageBox, "question", record("question", QMessageBox.StandardButton.Yes))
    return seen


def test_install_adds_file_menu_actions(window):
    data_menu.install(window)
    texts = [a.text() for a in window.file_menu.actions()]
    for name in ("&Export…", "&Import…", "&Back up now…", "&Restore from backup…"):
        assert name in texts
    assert texts.index("&Export…") < texts.index("&Quit")


def test_export_dialog_writes_json_for_a_period(qtbot, store, tmp_path, messages):
    _fill(store, 10)
    dialog = ExportDialog(store)
    qtbot.addWidget(dialog)
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("json"))
    assert dialog.path_edit.text().endswith(".json")
    target = tmp_path / "out.json"
    dialog.path_edit.setText(str(target))
    dialog.period_combo.setCurrentIndex(dialog.period_combo.findData("custom"))
    dialog.from_edit.setDate(dialog.from_edit.date().fromString("2025-06-03", "yyyy-MM-dd"))
    dialog.to_edit.setDate(dialog.to_edit.date().fromString("2025-06-05", "yyyy-MM-dd"))
    dialog.export()
    assert dialog.exported == (3, target)
    assert len(json.loads(target.read_text(encoding="utf-8"))["episodes"]) == 3
    dialog.export()  # the file exists now: asked before replacing
    assert messages[-1][0] == "question"


def test_export_dialog_says_how_not_recorded_fields_are_written(qtbot, store):
    dialog = ExportDialog(store)
    qtbot.addWidget(dialog)
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("csv"))
    assert "did not record is an empty cell" in dialog.format_help.text()
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("fhir"))
    assert "did not record are left out" in dialog.format_help.text()


def test_export_dialog_reports_errors(qtbot, store, tmp_path, messages):
    dialog = ExportDialog(store)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(tmp_path / "missing-folder" / "x.csv"))
    dialog.export()
    assert dialog.exported is None
    assert messages[0][0] == "warning" and "does not exist" in messages[0][2]


def test_import_dialog_maps_a_spreadsheet(qtbot, store, tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    dialog = ImportDialog(store)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(sheet))
    dialog.go_next()
    assert dialog.pages.currentIndex() == MAPPING_PAGE
    page = dialog.mapping_page
    # start and duration were recognised: nothing else has to be chosen
    assert dialog.next_button.isEnabled() and page.problems_label.text() == ""
    assert "Not recorded (no column): Activity, Hydration, Footwear." in page.summary_label.text()
    activity = page.value_combos["activity"]
    assert activity.currentText() == "Not recorded" and activity.isEnabled()
    assert page.value_combos["side"].currentText() == "(from the column)"
    assert not page.value_combos["side"].isEnabled()
    activity.setCurrentIndex(activity.findData("in_bed"))
    assert "The same value for every row: Activity = " in page.summary_label.text()
    assert "Not recorded (no column): Hydration, Footwear." in page.summary_label.text()
    dialog.go_next()
    assert dialog.pages.currentIndex() == SUMMARY_PAGE
    assert "Line 4" in dialog.details.toPlainText()
    assert "Not recorded (kept empty, not guessed): Hydration in 2, Footwear in 2." in (
        dialog.summary_label.text()
    )
    assert dialog.import_button.text() == "&Import 2 episodes"
    assert store.count_episodes() == 0  # nothing written before the last step
    dialog.do_import()
    assert dialog.result.added == 2 and store.count_episodes() == 2
    episodes = sorted(store.iter_episodes(), key=lambda e: e.notes)
    assert [e.notes for e in episodes] == ["=cold floor", "woke me up"]
    assert {(e.activity, e.hydration, e.footwear) for e in episodes} == {("in_bed", None, None)}


def test_mapping_page_requires_only_start_and_duration(qtbot, store, tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    dialog = ImportDialog(store)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(sheet))
    dialog.go_next()
    page = dialog.mapping_page
    for name in ("date", "duration_s"):
        page.column_combos[name].setCurrentIndex(0)  # "(not in the file)"
    assert not dialog.next_button.isEnabled()
    text = page.problems_label.text()
    assert "start date" in text and "duration" in text
    assert "Side" not in text and "Activity" not in text
    page.column_combos["side"].setCurrentIndex(0)
    assert page.value_combos["side"].currentText() == "Not recorded"
    assert "Side" in page.summary_label.text()


def test_import_dialog_shows_file_errors(qtbot, store, tmp_path):
    junk = tmp_path / "photo.csv"
    junk.write_bytes(bytes(range(256)) * 10)
    dialog = ImportDialog(store)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(junk))
    dialog.go_next()
    assert dialog.pages.currentIndex() == 0
    assert "not UTF-8 text" in dialog.file_error.text()


def test_import_dialog_lists_an_unclosed_quote_and_imports_the_rest(qtbot, store, tmp_path):
    sheet = tmp_path / "quote.csv"
    sheet.write_text(SHEET.replace(";woke me up", ';"woke me up'), encoding="utf-8")
    dialog = ImportDialog(store)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(sheet))
    dialog.go_next()
    dialog.go_next()  # the guessed mapping
    assert dialog.pages.currentIndex() == SUMMARY_PAGE
    assert 'Line 2: a quote (") is never closed' in dialog.details.toPlainText()
    assert "Line 4" in dialog.details.toPlainText()  # its own problem, not swallowed
    assert dialog.import_button.text() == "&Import 1 episode"
    assert "duplicates (the same in every field" in dialog.summary_label.text()


def test_import_dialog_says_once_that_nothing_was_imported_on_a_full_disk(
    qtbot, store, tmp_path, messages
):
    with Store.open(tmp_path / "old.sqlite") as old:
        _fill(old, 300)
        from tracker.exporting import export_to_file

        export_to_file(old, "json", tmp_path / "all.json")
    store.add_episode(make_episode())
    dialog = ImportDialog(store)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(tmp_path / "all.json"))
    dialog.go_next()
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own "disk is full"
    dialog.do_import()
    assert dialog.result is None and store.count_episodes() == 1
    (kind, title, text) = messages[-1]
    assert (kind, title) == ("warning", "Import failed")
    assert text.startswith("Nothing was imported: the episodes could not be saved because")
    assert text.count("Nothing was imported") == 1 and "is full" in text


def test_import_through_menu_refreshes_window(qtbot, window, tmp_path, monkeypatch):
    with Store.open(tmp_path / "old.sqlite") as old:
        _fill(old, 4)
        from tracker.exporting import export_to_file

        export_to_file(old, "json", tmp_path / "all.json")
    menu = data_menu.install(window)

    def drive(dialog):
        dialog.path_edit.setText(str(tmp_path / "all.json"))
        dialog.go_next()
        assert "Not recorded" not in dialog.summary_label.text()  # every field was recorded
        dialog.do_import()
        return 1

    monkeypatch.setattr(ImportDialog, "exec", drive)
    with qtbot.waitSignal(window.episodes_changed, timeout=2000):
        menu.import_()
    assert window.store.count_episodes() == 4
    assert "Imported 4 episodes" in window.statusBar().currentMessage()


def test_back_up_now_to_a_folder(qtbot, window, tmp_path, monkeypatch, messages):
    _fill(window.store, 3)
    folder = tmp_path / "usb"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    data_menu.install(window).back_up_now()
    [copy] = list(folder.iterdir())
    with Store.open(copy, readonly=True) as s:
        assert s.count_episodes() == 3
    assert messages[-1][0] == "information"


def test_restore_from_listed_backup(qtbot, window, messages):
    _fill(window.store, 5)
    backup_now(window.store, "manual")
    window.store.add_episode(make_episode(duration_s=11))
    dialog = BackupDialog(window)
    qtbot.addWidget(dialog)
    assert "5 episodes" in dialog.model.item(0).text()
    dialog.list_view.setCurrentIndex(dialog.model.index(0, 0))
    assert dialog.restore_button.isEnabled()
    old_store = window.store
    with qtbot.waitSignal(window.episodes_changed, timeout=2000):
        assert dialog.restore(dialog.selected_path())
    try:
        assert window.store is not old_store and window.store.count_episodes() == 5
        assert "6 episodes" in messages[0][2]  # the question named both counts
        kinds = [dialog.model.item(i).text() for i in range(dialog.model.rowCount())]
        assert any("before a restore" in k and "6 episodes" in k for k in kinds)
    finally:
        window.store.close()


def test_restore_refuses_corrupt_file(qtbot, window, tmp_path, messages):
    _fill(window.store, 300)
    bad = backup_to(window.store, tmp_path / "bad.sqlite")
    data = bytearray(bad.read_bytes())
    data[4096 * 3 : 4096 * 3 + 300] = b"\x00\xff" * 150
    bad.write_bytes(bytes(data))
    dialog = BackupDialog(window)
    qtbot.addWidget(dialog)
    store = window.store
    assert not dialog.restore(bad)
    assert window.store is store and store.count_episodes() == 300
    assert messages[0][0] == "warning" and "not changed" in messages[0][2]


def test_daily_backup_after_start(qtbot, window, monkeypatch):
    _fill(window.store, 2)
    monkeypatch.setattr(data_menu, "DAILY_BACKUP_DELAY_MS", 10)
    data_menu.install(window)
    folder = window.store.path.parent / "backups"
    qtbot.waitUntil(lambda: folder.exists() and any(folder.iterdir()), timeout=3000)
    assert "Daily backup saved" in window.statusBar().currentMessage()


def test_used_dialogs_are_not_kept_as_children(window, monkeypatch):
    """Each export/import/backups use builds a new dialog; old ones are freed, not piled up."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QDialog

    from ui import data_menu

    menu = data_menu.install(window)
    monkeypatch.setattr(QDialog, "exec", lambda self: 0)
    for _ in range(3):
        menu.export()
        menu.import_()
        menu.backups()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert window.findChildren(QDialog) == []
