"""Export, import and backup dialogs driven with qtbot; static dialogs are patched."""

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

import ui.data.menu as data_menu
from tests.factories import TZ, make_episode
from tracker.store import Store
from tracker.store.backup import backup_now, backup_to
from ui.data.backup_dialog import BackupDialog
from ui.data.export_dialog import ExportDialog
from ui.data.import_dialog import MAPPING_PAGE, SUMMARY_PAGE, ImportDialog

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


def _export(qtbot, dialog):
    """Export and wait for the worker to end (validation errors end it at once)."""
    dialog.export()
    qtbot.waitUntil(lambda: dialog.task is None, timeout=20000)


def _ended(qtbot, dialog, start):
    """Start a backup dialog's action and wait for it to end; return how it ended."""
    with qtbot.waitSignal(dialog.work_ended, timeout=20000) as ended:
        start()
    return ended.args[0]


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
    _export(qtbot, dialog)
    assert dialog.exported == (3, target)
    assert len(json.loads(target.read_text(encoding="utf-8"))["episodes"]) == 3
    _export(qtbot, dialog)  # the file exists now: asked before replacing
    assert messages[-1][0] == "question"


def test_export_dialog_says_how_not_recorded_fields_are_written(qtbot, store):
    dialog = ExportDialog(store)
    qtbot.addWidget(dialog)
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("csv"))
    assert "did not record is an empty cell" in dialog.format_help.text()
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("fhir"))
    assert "did not record are left out" in dialog.format_help.text()


def test_export_dialog_patient_reference_only_for_fhir(qtbot, store, tmp_path, messages):
    _fill(store, 2)
    dialog = ExportDialog(store)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("csv"))
    assert not dialog.patient_edit.isVisible() and dialog.patient() is None
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("fhir"))
    assert dialog.patient_edit.isVisible() and dialog.patient_label.isVisible()
    target = tmp_path / "clinic.fhir.json"
    dialog.path_edit.setText(str(target))
    dialog.patient_edit.setText("not a reference")
    _export(qtbot, dialog)
    assert dialog.exported is None and "not a Patient reference" in messages[-1][2]
    assert not target.exists()
    dialog.patient_edit.setText(" Patient/123 ")
    _export(qtbot, dialog)
    assert dialog.exported == (2, target)
    entries = json.loads(target.read_text(encoding="utf-8"))["entry"]
    assert [e["resource"]["subject"]["reference"] for e in entries] == ["Patient/123"] * 2
    # typed for FHIR, then CSV chosen: the reference is not used (nor an error)
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("csv"))
    assert dialog.patient() is None


def test_export_dialog_reports_errors(qtbot, store, tmp_path, messages):
    dialog = ExportDialog(store)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(tmp_path / "missing-folder" / "x.csv"))
    _export(qtbot, dialog)
    assert dialog.exported is None
    assert messages[0][0] == "warning" and "does not exist" in messages[0][2]


def _settle_import(qtbot, dialog):
    """The preview or commit runs in a worker: wait until it has ended (its result shown)."""
    qtbot.waitUntil(lambda: not dialog.busy, timeout=20_000)


def test_import_dialog_maps_a_spreadsheet(qtbot, store, tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    dialog = ImportDialog(store)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(sheet))
    dialog.go_next()
    _settle_import(qtbot, dialog)
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
    _settle_import(qtbot, dialog)
    assert dialog.pages.currentIndex() == SUMMARY_PAGE
    assert "Line 4" in dialog.details.toPlainText()
    assert "Not recorded (kept empty, not guessed): Hydration in 2, Footwear in 2." in (
        dialog.summary_label.text()
    )
    assert dialog.import_button.text() == "&Import 2 episodes"
    assert store.count_episodes() == 0  # nothing written before the last step
    dialog.do_import()
    _settle_import(qtbot, dialog)
    assert dialog.import_result.added == 2 and store.count_episodes() == 2
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
    _settle_import(qtbot, dialog)
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
    _settle_import(qtbot, dialog)
    assert dialog.pages.currentIndex() == 0
    assert "not UTF-8 text" in dialog.file_error.text()


def test_import_dialog_lists_an_unclosed_quote_and_imports_the_rest(qtbot, store, tmp_path):
    sheet = tmp_path / "quote.csv"
    sheet.write_text(SHEET.replace(";woke me up", ';"woke me up'), encoding="utf-8")
    dialog = ImportDialog(store)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(sheet))
    dialog.go_next()
    _settle_import(qtbot, dialog)
    dialog.go_next()  # the guessed mapping
    _settle_import(qtbot, dialog)
    assert dialog.pages.currentIndex() == SUMMARY_PAGE
    assert 'Line 2: a quote (") is never closed' in dialog.details.toPlainText()
    assert "Line 4" in dialog.details.toPlainText()  # its own problem, not swallowed
    assert dialog.import_button.text() == "&Import 1 episode"
    assert "duplicates (the same in every field" in dialog.summary_label.text()


def test_import_dialog_says_once_that_nothing_was_imported_on_a_full_disk(
    qtbot, store, tmp_path, messages, monkeypatch
):
    with Store.open(tmp_path / "old.sqlite") as old:
        _fill(old, 300)
        from tracker.interop.exporting import export_to_file

        export_to_file(old, "json", tmp_path / "all.json")
    store.add_episode(make_episode())
    dialog = ImportDialog(store)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(tmp_path / "all.json"))
    dialog.go_next()
    _settle_import(qtbot, dialog)
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    real = Store.for_worker

    def full_disk(self):  # the commit's own connection hits SQLite's own "disk is full"
        worker = real(self)
        worker.conn.execute(f"PRAGMA max_page_count = {pages}")
        return worker

    monkeypatch.setattr(Store, "for_worker", full_disk)
    dialog.do_import()
    _settle_import(qtbot, dialog)
    assert dialog.import_result is None and store.count_episodes() == 1
    (kind, title, text) = messages[-1]
    assert (kind, title) == ("warning", "Import failed")
    assert text.startswith("Nothing was imported: the episodes could not be saved because")
    assert text.count("Nothing was imported") == 1 and "is full" in text


def test_import_through_menu_refreshes_window(qtbot, window, tmp_path, monkeypatch):
    with Store.open(tmp_path / "old.sqlite") as old:
        _fill(old, 4)
        from tracker.interop.exporting import export_to_file

        export_to_file(old, "json", tmp_path / "all.json")
    menu = data_menu.install(window)

    def drive(dialog):
        dialog.path_edit.setText(str(tmp_path / "all.json"))
        dialog.go_next()
        _settle_import(qtbot, dialog)
        assert "Not recorded" not in dialog.summary_label.text()  # every field was recorded
        dialog.do_import()
        _settle_import(qtbot, dialog)
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
    qtbot.waitUntil(lambda: any(messages), timeout=20000)
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
    assert dialog.model.item(0).text() == "Reading the backups…"
    with qtbot.waitSignal(dialog.listed, timeout=20000):
        pass
    assert "5 episodes" in dialog.model.item(0).text()
    dialog.list_view.setCurrentIndex(dialog.model.index(0, 0))
    assert dialog.restore_button.isEnabled()
    old_store = window.store
    with qtbot.waitSignal(window.episodes_changed, timeout=20000):
        assert _ended(qtbot, dialog, lambda: dialog.restore(dialog.selected_path())) == "restored"
    try:
        assert window.store is not old_store and window.store.count_episodes() == 5
        assert "6 episodes" in messages[0][2]  # the question named both counts
        qtbot.waitUntil(lambda: dialog.backups is not None, timeout=20000)
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
    assert _ended(qtbot, dialog, lambda: dialog.restore(bad)) == "failed"
    assert window.store is store and store.count_episodes() == 300
    assert messages[0][0] == "warning" and "not changed" in messages[0][2]


def test_daily_backup_after_start(qtbot, window, monkeypatch):
    _fill(window.store, 2)
    monkeypatch.setattr(data_menu, "DAILY_BACKUP_DELAY_MS", 10)
    data_menu.install(window)
    folder = window.store.path.parent / "backups"
    qtbot.waitUntil(
        lambda: "Daily backup saved" in window.statusBar().currentMessage(), timeout=20000
    )
    assert folder.exists() and any(folder.iterdir())


def test_used_dialogs_are_not_kept_as_children(window, monkeypatch):
    """Each export/import/backups use builds a new dialog; old ones are freed, not piled up."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QDialog

    from ui.data import menu as data_menu

    menu = data_menu.install(window)
    monkeypatch.setattr(QDialog, "exec", lambda self: 0)
    for _ in range(3):
        menu.export()
        menu.import_()
        menu.backups()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert window.findChildren(QDialog) == []


# --------------------------------------------------------------------------- foreign files
def _open_foreign(qtbot, store, name):
    from tests.tracker.interop.test_foreign_files import FOREIGN

    dialog = ImportDialog(store)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(FOREIGN / name))
    dialog.go_next()
    _settle_import(qtbot, dialog)
    assert dialog.pages.currentIndex() == MAPPING_PAGE, dialog.file_error.text()
    return dialog


def test_import_dialog_fixed_duration_and_row_filter_by_hand(qtbot, store):
    dialog = _open_foreign(qtbot, store, "generic_log.csv")
    page = dialog.mapping_page
    assert page.table.header == ["Date", "Time", "Symptom", "Severity", "Notes"]
    assert "Choose the column with the duration." in page.problems_label.text()
    assert not dialog.next_button.isEnabled()
    page.fixed_duration.setText("1")
    page.unit_combo.setCurrentIndex(page.unit_combo.findData("minutes"))
    assert dialog.next_button.isEnabled()
    assert "Duration = 1 minute" in page.summary_label.text()
    assert not page.filter_text.isEnabled()
    page.filter_combo.setCurrentIndex(page.filter_combo.findData(2))
    page.filter_text.setText("CRAMP")
    dialog.go_next()
    _settle_import(qtbot, dialog)
    assert dialog.pages.currentIndex() == SUMMARY_PAGE
    text = dialog.summary_label.text()
    assert "2 left out by the row filter ('Symptom' does not contain 'CRAMP')" in text
    assert "the same for every row, 1 minute" in text
    assert dialog.import_button.text() == "&Import 4 episodes"
    dialog.do_import()
    _settle_import(qtbot, dialog)
    episodes = list(store.iter_episodes())
    assert [e.duration_s for e in episodes] == [60] * 4
    assert all(e.side is None and e.activity is None for e in episodes)


def test_import_dialog_asks_for_the_date_order_when_dates_fit_both(qtbot, store):
    dialog = _open_foreign(qtbot, store, "uk_sheet.csv")
    page = dialog.mapping_page
    assert page.unit_combo.currentData() == "minutes"  # from "Duration (mins)"
    dialog.go_next()
    _settle_import(qtbot, dialog)
    assert dialog.pages.currentIndex() == MAPPING_PAGE
    assert "fit both day-first and month-first" in page.problems_label.text()
    page.date_order_combo.setCurrentIndex(page.date_order_combo.findData("dmy"))
    dialog.go_next()
    _settle_import(qtbot, dialog)
    assert dialog.pages.currentIndex() == SUMMARY_PAGE
    assert "Dates read day first" in dialog.summary_label.text()
    dialog.do_import()
    _settle_import(qtbot, dialog)
    starts = [e.started_at.replace(tzinfo=None) for e in store.iter_episodes()]
    assert starts[0] == datetime(2026, 3, 1, 2, 30) and starts[-1] == datetime(2026, 3, 12, 6, 10)


@pytest.mark.parametrize(
    "name",
    [
        "generic_log.csv",
        "bearable_export.csv",
        "us_sheet.csv",
        "uk_sheet.csv",
        "european.csv",
        "utf16_excel.txt",
        "windows1252.csv",
        "multi_symptom.csv",
    ],
)
def test_import_dialog_imports_each_foreign_file_with_a_saved_mapping(qtbot, store, name):
    from tests.tracker.interop.test_foreign_files import EXPECTED, check_episodes, mapping_for
    from ui.data.import_mapping_page import save_mapping

    saved = (Path(__file__).resolve().parents[2] / "data" / "foreign").joinpath(
        Path(name).stem + ".mapping.json"
    )
    save_mapping(store, "old diary", saved.read_text(encoding="utf-8"))
    dialog = _open_foreign(qtbot, store, name)
    page = dialog.mapping_page
    assert page.saved_combo.currentText() == "old diary"
    page.load_button.click()
    assert page.saved_label.text() == "Using 'old diary'."
    dialog.go_next()
    _settle_import(qtbot, dialog)
    assert dialog.pages.currentIndex() == SUMMARY_PAGE, page.problems_label.text()
    rows, left_out, expected = EXPECTED[name]
    assert f"Read {rows:,} rows" in dialog.summary_label.text()
    if left_out:
        assert f"{left_out} left out by the row filter" in dialog.summary_label.text()
    dialog.do_import()
    _settle_import(qtbot, dialog)
    check_episodes(list(store.iter_episodes()), expected, set(mapping_for(name).columns))


def test_import_dialog_saves_a_mapping_by_name_and_reuses_it(qtbot, store):
    dialog = _open_foreign(qtbot, store, "generic_log.csv")
    page = dialog.mapping_page
    page.fixed_duration.setText("2")
    page.unit_combo.setCurrentIndex(page.unit_combo.findData("minutes"))
    page.filter_combo.setCurrentIndex(page.filter_combo.findData(2))
    page.filter_text.setText("cramp")
    page.name_edit.setText("Symptom log")
    page.save_button.click()
    assert page.saved_label.text() == "Saved as 'Symptom log'."
    saved = json.loads(store.get_setting("import_mapping.Symptom log"))
    assert saved["keep_rows_where"] == {"column": "Symptom", "contains": "cramp"}
    assert saved["fixed"] == {"duration_s": "2"} and saved["columns"]["date"] == "Date"
    again = _open_foreign(qtbot, store, "generic_log.csv")
    again.mapping_page.load_saved("Symptom log")
    assert again.mapping_page.fixed_duration.text() == "2"
    assert again.mapping_page.filter_text.text() == "cramp"
    again.go_next()
    _settle_import(qtbot, again)
    assert again.import_button.text() == "&Import 4 episodes"


def test_import_mapping_page_fits_a_small_screen(qtbot, store):
    dialog = _open_foreign(qtbot, store, "european.csv")
    dialog.show()
    hint = dialog.sizeHint()
    assert hint.width() <= 1366 and hint.height() <= 740
    assert dialog.mapping_page.minimumSizeHint().width() <= 1366
