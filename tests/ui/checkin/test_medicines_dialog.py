"""Medicines and supplements: the list, the form's inline problems, stop today, delete, undo."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from tests.ui.shell.test_mnemonics import all_clashes, form_labels, mnemonic
from tracker.diary.checkin import Medicine
from ui.checkin.medicines_dialog import NOTE, STILL_TAKING
from ui.shell.main_window import MainWindow

TODAY = date.today()


@pytest.fixture
def window(qtbot, store, settings):
    win = MainWindow(store, settings)
    qtbot.addWidget(win)
    win.show()
    return win


def _cells(dialog):
    model = dialog.model
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def test_the_list_shows_each_entry_and_says_still_taking(window, store):
    store.add_medicine(
        Medicine("Magnesium", "supplement", TODAY - timedelta(days=30), dose="300 mg")
    )
    store.add_medicine(Medicine("Quinine", "medicine", TODAY - timedelta(days=90), TODAY))
    dialog = window.checkin_feature.open_medicines()
    rows = _cells(dialog)
    assert [r[0] for r in rows] == ["Quinine", "Magnesium"]
    assert rows[1][1:2] == ["Supplement"] and rows[1][3] == STILL_TAKING and rows[1][4] == "300 mg"
    assert rows[0][3] != STILL_TAKING
    assert "doctor" in NOTE and any(
        label.text() == NOTE for label in dialog.findChildren(type(dialog.empty_label))
    )
    assert not dialog.edit_button.isEnabled()  # nothing selected yet
    dialog.table.selectRow(0)
    assert dialog.edit_button.isEnabled() and dialog.stop_button.isEnabled()


def test_the_form_shows_problems_inline_and_keeps_what_was_typed(window, qtbot, store):
    dialog = window.checkin_feature.open_medicines()
    form = dialog.add()
    qtbot.waitUntil(form.isVisible)
    QTest.mouseClick(form.save_button, Qt.MouseButton.LeftButton)  # no name
    assert form.isVisible() and "name" in form.error_label.text()
    QTest.keyClicks(form.name, "Magnesium")
    form.started.setDate(QDate(TODAY.year, TODAY.month, TODAY.day).addDays(-10))
    form.stopped_check.setChecked(True)
    form.stopped.setDate(QDate(TODAY.year, TODAY.month, TODAY.day).addDays(-20))
    QTest.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.isVisible() and "before the start date" in form.error_label.text()
    assert form.name.text() == "Magnesium" and store.medicines() == []
    form.stopped_check.setChecked(False)
    QTest.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not form.isVisible())
    [saved] = store.medicines()
    assert (saved.name, saved.started_on, saved.stopped_on) == (
        "Magnesium",
        TODAY - timedelta(days=10),
        None,
    )
    assert _cells(dialog)[0][0] == "Magnesium" and dialog.selected() == saved


def test_stop_today_delete_and_undo_each(window, qtbot, store, monkeypatch):
    started = TODAY - timedelta(days=50)
    store.add_medicine(Medicine("Amlodipine", "medicine", started, dose="5 mg"))
    dialog = window.checkin_feature.open_medicines()
    dialog.table.selectRow(0)
    form = dialog.stop_today()
    assert form.stopped_check.isChecked() and form.stopped.isEnabled()
    assert form.medicine().stopped_on == TODAY
    form.stopped.setDate(QDate(TODAY.year, TODAY.month, TODAY.day).addDays(-2))  # editable
    assert form.try_save()
    assert store.medicines()[0].stopped_on == TODAY - timedelta(days=2)
    window.undo_action.trigger()
    assert store.medicines()[0].stopped_on is None
    assert _cells(dialog)[0][3] == STILL_TAKING  # the open list follows the undo

    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: next(answers))
    dialog.table.selectRow(0)
    assert not dialog.delete()  # "No": kept
    assert len(store.medicines()) == 1
    assert dialog.delete()
    assert store.medicines() == [] and dialog.model.rowCount() == 0
    dialog.undo_button.click()  # the dialog's own Undo (the window's stack)
    [back] = store.medicines()
    assert (back.name, back.started_on, back.dose) == ("Amlodipine", started, "5 mg")
    assert dialog.model.rowCount() == 1


def test_alt_letters_in_the_list_and_the_form(window, qtbot):
    dialog = window.checkin_feature.open_medicines()
    assert all_clashes(dialog) == []
    form = dialog.add()
    assert all_clashes(form) == []
    labels = form_labels(form)
    assert len(labels) == 4 and all(mnemonic(label.text()) and label.buddy() for label in labels)
    form.reject()


def test_dialogs_deleted_by_someone_else_are_built_again(window, qtbot):
    from PySide6.QtCore import QCoreApplication, QEvent

    feature = window.checkin_feature
    for _ in range(2):
        for dialog in (feature.open_medicines(), feature.open_checkin()):
            dialog.close()
            dialog.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    medicines = feature.open_medicines()
    assert medicines.isVisible() and medicines.undo_button.defaultAction() is not None
    assert feature.open_checkin().isVisible()
