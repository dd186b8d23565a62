"""History: edit, delete with undo and redo, filters, sorting, and the table model itself.

Search, the filters beside the period and how cells look are in test_history_search.py."""

from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QSlider,
    QSpinBox,
)

from tests.factories import TZ, make_episode
from tests.time_zone import machine_zone
from tests.ui.history_helpers import display_sort_key, fill_varied
from tracker.store import NOT_RECORDED_CODE, HistoryFilter
from ui.history.model import COLUMNS, MISSING, HistoryModel
from ui.shell.main_window import MainWindow
from ui.widgets.dates import date_time


def _fill(store, count=5):
    now = datetime.now().astimezone()
    return [
        store.add_episode(
            make_episode(
                started_at=now - timedelta(days=i * 10, hours=1),
                duration_s=60 + i,
                severity=i,
                notes=f"episode {i}" + (" 100% cramp_x" if i == 2 else ""),
            )
        )
        for i in range(count)
    ]


def _select_row(window, row):
    window.history.table.selectRow(row)


def test_newest_first_and_count(window, store):
    episodes = _fill(store)
    window.episodes_changed.emit()
    model = window.history.model
    assert model.rowCount() == 5
    assert model.episode_id(0) == episodes[0].id
    assert model.episode_id(4) == episodes[4].id
    assert window.history.count_label.text() == "5 episodes shown"


def test_edit_with_enter_then_undo(window, qtbot, store):
    episodes = _fill(store, 2)
    window.episodes_changed.emit()
    _select_row(window, 0)
    window.history.table.setFocus()
    qtbot.keyClick(window.history.table, Qt.Key.Key_Return)
    dialog = _visible_dialog(window)
    assert dialog.windowTitle() == "Edit episode"
    assert dialog.form.severity_slider.value() == episodes[0].severity
    dialog.form.severity_slider.setValue(9)
    assert dialog.try_save()
    assert store.get_episode(episodes[0].id).severity == 9
    window.undo_action.trigger()
    assert store.get_episode(episodes[0].id).severity == episodes[0].severity
    window.redo_action.trigger()
    assert store.get_episode(episodes[0].id).severity == 9


def _visible_dialog(window):
    from ui.episode.log_dialog import LogDialog

    visible = [d for d in window.findChildren(LogDialog) if d.isVisible()]
    assert len(visible) == 1
    return visible[0]


def test_double_click_edits(window, qtbot, store):
    _fill(store, 1)
    window.episodes_changed.emit()
    index = window.history.model.index(0, 2)
    window.history.table.doubleClicked.emit(index)
    assert _visible_dialog(window).windowTitle() == "Edit episode"


def test_delete_undo_redo(window, qtbot, store):
    episodes = _fill(store, 3)
    window.episodes_changed.emit()
    _select_row(window, 1)
    window.history.table.setFocus()
    qtbot.keyClick(window.history.table, Qt.Key.Key_Delete)
    assert store.count_episodes() == 2
    assert window.history.model.rowCount() == 2
    assert "Undo" in window.statusBar().currentMessage()
    window.undo_action.trigger()
    assert store.count_episodes() == 3
    restored = store.get_episode(episodes[1].id)
    assert restored == episodes[1]
    assert restored.created_at == episodes[1].created_at
    window.redo_action.trigger()
    assert store.count_episodes() == 2
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert store.count_episodes() == 3


def test_delete_several_is_one_undo_step(window, store):
    _fill(store, 4)
    window.episodes_changed.emit()
    window.history.table.selectAll()
    window.delete_action.trigger()
    assert store.count_episodes() == 0
    assert window.history.count_label.text().startswith("No episodes yet")
    window.undo_action.trigger()
    assert store.count_episodes() == 4


def test_undo_of_logging_removes_the_episode(window, qtbot, store):
    dialog = window.open_log_dialog()
    assert dialog.try_save()
    assert store.count_episodes() == 1
    window.undo_action.trigger()
    assert store.count_episodes() == 0
    window.redo_action.trigger()
    assert store.count_episodes() == 1


def test_text_filter_treats_wildcards_literally(window, qtbot, store):
    _fill(store, 5)
    page = window.history
    page.search.setText("100%")
    page.apply_filter()
    assert page.model.rowCount() == 1
    page.search.setText("cramp_x")
    page.apply_filter()
    assert page.model.rowCount() == 1
    page.search.setText("episode")
    page.apply_filter()
    assert page.model.rowCount() == 5
    page.search.setText("nothing like this")
    page.apply_filter()
    assert page.model.rowCount() == 0
    assert page.count_label.text() == "0 episodes shown"


def test_search_applies_after_typing_pause(window, qtbot, store):
    _fill(store, 5)
    window.episodes_changed.emit()
    qtbot.keyClicks(window.history.search, "episode 3")
    qtbot.waitUntil(lambda: window.history.model.rowCount() == 1, timeout=2000)


def test_period_filter(window, store):
    _fill(store, 5)  # 0, 10, 20, 30, 40 days ago (minus an hour)
    page = window.history
    page.period.setCurrentIndex(page.period.findData("30d"))
    assert page.model.rowCount() == 3
    page.period.setCurrentIndex(page.period.findData("custom"))
    assert page.date_from.isVisible()
    today = QDate.currentDate()
    page.date_from.setDate(today.addDays(-25))
    page.date_to.setDate(today.addDays(-5))
    assert page.model.rowCount() == 2
    page.period.setCurrentIndex(page.period.findData("all"))
    assert page.model.rowCount() == 5


def test_sort_by_each_column(window, store):
    """Every column, both directions: the rows read in order, with "not recorded" last."""
    by_id = {e.id: e for e in fill_varied(store)}
    table, model = window.history.table, window.history.model
    for column, (_, key) in enumerate(COLUMNS):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            table.sortByColumn(column, order)
            cells = [
                (model.data(model.index(r, column)), by_id[model.episode_id(r)])
                for r in range(model.rowCount())
            ]
            assert len(cells) == len(by_id)
            shown = [(text, ep) for text, ep in cells if text not in (MISSING, "")]
            missing = [text for text, _ in cells if text in (MISSING, "")]
            assert [text for text, _ in cells[len(shown) :]] == missing, (key, order)
            if key not in ("started_at", "duration_s"):
                assert missing, f"the fixture leaves {key} unrecorded somewhere"
            keys = [display_sort_key(key, text, ep) for text, ep in shown]
            assert len(set(keys)) > 2, key
            descending = order == Qt.SortOrder.DescendingOrder
            assert keys == sorted(keys, reverse=descending), (key, order, [t for t, _ in shown])


def test_model_passes_qt_model_tester(qtmodeltester, store):
    _fill(store, 3)
    model = HistoryModel(store)
    model.reload()
    qtmodeltester.check(model)


def test_model_passes_qt_model_tester_with_filters_and_search(qtmodeltester, store):
    fill_varied(store)
    model = HistoryModel(store)
    model.sort(5, Qt.SortOrder.AscendingOrder)  # activity, by label
    model.set_filter(HistoryFilter(text="walk", severity_band="severe"))
    assert model.rowCount() > 0
    qtmodeltester.check(model)
    model.set_filter(HistoryFilter(site_area="toes", activity=NOT_RECORDED_CODE, text="e"))
    assert model.rowCount() > 0
    qtmodeltester.check(model)


def test_model_formats_cells(store):
    store.add_episode(
        make_episode(
            started_at=datetime(2026, 3, 29, 2, 30, tzinfo=TZ),
            duration_s=75,
            footwear="high_heels",
            footwear_tight=True,
            fluid_ml=500,
            hydration="under",
            relief=("stretching",),
            relief_effect="yes",
            context=("cold", "stress"),
            warning_signs=("numbness",),
            notes="first line\nsecond line",
        )
    )
    model = HistoryModel(store)
    model.reload()
    with machine_zone("Etc/GMT-1"):  # UTC+01:00 all year, as logged: no "(UTC+01:00)"
        row = {key: model.data(model.index(0, c)) for c, (_, key) in enumerate(COLUMNS)}
    assert row == {
        "started_at": date_time(datetime(2026, 3, 29, 2, 30)),  # the locale's short form
        "duration_s": "1 min 15 s",
        "side": "Left",
        "site": "Big toe",
        "severity": "6 / 10",
        "activity": "Asleep or in bed",
        "footwear": "High heels (tight)",
        "hydration": "Under-hydrated, 500 ml",
        "relief": "Stretching (helped)",
        "context": "Cold, Stress",
        "warning_signs": "Numbness",
        "notes": "first line",
    }


def test_geometry_is_remembered(qtbot, store, settings):
    first = MainWindow(store, settings, install_features=False)
    qtbot.addWidget(first)
    first.show()
    first.resize(700, 510)
    first.close()
    second = MainWindow(store, settings, install_features=False)
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (700, 510)


def test_every_control_has_an_accessible_name(window, qtbot):
    dialog = window.open_log_dialog()
    dialog.form.set_details_visible(True)
    kinds = (QAbstractButton, QComboBox, QLineEdit, QSpinBox, QSlider)
    checked = 0
    for root in (window, dialog):
        for kind in kinds:
            for widget in root.findChildren(kind):
                if not widget.isVisibleTo(root) or isinstance(
                    widget.parent(), (QAbstractSpinBox, QComboBox)
                ):
                    continue
                text = widget.text() if isinstance(widget, QAbstractButton) else ""
                assert widget.accessibleName() or text, f"{type(widget).__name__} has no name"
                checked += 1
    assert checked > 50


def test_about_names_the_open_file(window, monkeypatch):
    shown = {}
    monkeypatch.setattr(
        "PySide6.QtWidgets.QMessageBox.about",
        lambda parent, title, text: shown.update(text=text),
    )
    window.show_about()
    assert str(window.store.path) in shown["text"]
    assert "never sent" in shown["text"]


def test_history_today_is_injectable(store):
    from ui.history.page import HistoryPage

    page = HistoryPage(store, today=lambda: date(2026, 3, 31))
    page.period.setCurrentIndex(page.period.findData("7d"))
    assert page.current_filter().date_from == "2026-03-25"
