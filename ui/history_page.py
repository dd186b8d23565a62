"""History page: every episode in a sortable table, filtered by period and by text in notes."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tracker.store import HistoryFilter, Store
from ui.history_model import HistoryModel

PERIODS = (
    ("All time", None),
    ("Last 7 days", 7),
    ("Last 30 days", 30),
    ("Last 90 days", 90),
    ("Last 12 months", 365),
    ("Custom range", "custom"),
)


class HistoryPage(QWidget):
    edit_requested = Signal(int)
    delete_requested = Signal(list)

    def __init__(self, store: Store, parent=None, today=date.today):
        super().__init__(parent)
        self._today = today
        self.model = HistoryModel(store, self)
        # Typing in the search box waits a moment so each key press does not query.
        self._search_delay = QTimer(self)
        self._search_delay.setSingleShot(True)
        self._search_delay.setInterval(200)
        self._search_delay.timeout.connect(self.apply_filter)
        layout = QVBoxLayout(self)

        bar = QHBoxLayout()
        period_label = QLabel("&Period:")
        self.period = QComboBox()
        for text, days in PERIODS:
            self.period.addItem(text, days)
        self.period.setAccessibleName("Period shown")
        period_label.setBuddy(self.period)
        self.date_from = QDateEdit()
        self.date_to = QDateEdit()
        for edit, name in ((self.date_from, "From date"), (self.date_to, "To date")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.setAccessibleName(name)
            edit.setDate(QDate.currentDate())
        self.date_from.setDate(QDate.currentDate().addMonths(-1))
        self.date_from.dateChanged.connect(self.apply_filter)
        self.date_to.dateChanged.connect(self.apply_filter)
        self.range_dash = QLabel("to")
        search_label = QLabel("&Search notes:")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Words in notes")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search notes")
        search_label.setBuddy(self.search)
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Number of episodes shown")
        for widget in (period_label, self.period, self.date_from, self.range_dash, self.date_to):
            bar.addWidget(widget)
        bar.addSpacing(16)
        bar.addWidget(search_label)
        bar.addWidget(self.search, 1)
        bar.addSpacing(16)
        bar.addWidget(self.count_label)
        layout.addLayout(bar)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Episode history")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.setSortingEnabled(True)
        self.table.doubleClicked.connect(
            lambda index: self.edit_requested.emit(self.model.episode_id(index.row()))
        )
        self.table.installEventFilter(self)
        layout.addWidget(self.table, 1)
        self._size_columns()

        self.search.textChanged.connect(self._search_delay.start)
        self.period.currentIndexChanged.connect(self._period_changed)
        self._period_changed()

    def _size_columns(self) -> None:
        metrics = self.fontMetrics()
        widths = (
            "Wed 30 Sep 2026, 23:59",
            "12 min 59 s",
            "Right",
            "Big toe, Second toe",
            "10 / 10",
            "Exercising or sports",
            "Flat everyday shoes (tight)",
            "Under-hydrated, 2000 ml",
            "Stretching, Massage (partly helped)",
        )
        for column, sample in enumerate(widths):
            self.table.setColumnWidth(column, metrics.horizontalAdvance(sample) + 24)

    # ----------------------------------------------------------------- filtering
    def _period_changed(self) -> None:
        custom = self.period.currentData() == "custom"
        for widget in (self.date_from, self.range_dash, self.date_to):
            widget.setVisible(custom)
        self.apply_filter()

    def current_filter(self) -> HistoryFilter:
        days = self.period.currentData()
        text = self.search.text()
        if days is None:
            return HistoryFilter(text=text)
        if days == "custom":
            start = self.date_from.date().toPython()
            end = self.date_to.date().toPython()
            if start > end:
                start, end = end, start
            return HistoryFilter(start.isoformat(), end.isoformat(), text)
        today = self._today()
        return HistoryFilter((today - timedelta(days=days - 1)).isoformat(), None, text)

    def apply_filter(self) -> None:
        self._search_delay.stop()
        self.model.set_filter(self.current_filter())
        self._update_count()

    def reload(self) -> None:
        selected = self.selected_ids()
        self.model.reload()
        self._update_count()
        self.select_ids(selected)

    def set_store(self, store: Store) -> None:
        self.model.set_store(store)
        self._update_count()

    def _update_count(self) -> None:
        shown = self.model.rowCount()
        flt = self.model.current_filter
        if shown == 0 and not (flt.text or flt.date_from or flt.date_to):
            self.count_label.setText("No episodes yet: press Log a cramp (Ctrl+N)")
        else:
            self.count_label.setText(f"{shown:,} episode{'s' if shown != 1 else ''} shown")

    # ----------------------------------------------------------------- selection and keys
    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.episode_id(r) for r in rows]

    def select_ids(self, ids) -> None:
        self.table.clearSelection()
        selection = self.table.selectionModel()
        for episode_id in ids:
            row = self.model.row_of(episode_id)
            if row is not None:
                index = self.model.index(row, 0)
                selection.select(
                    index, selection.SelectionFlag.Select | selection.SelectionFlag.Rows
                )
                self.table.scrollTo(index)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt override)
        if obj is self.table and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                ids = self.selected_ids()
                if ids:
                    self.edit_requested.emit(ids[0])
                    return True
            if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                ids = self.selected_ids()
                if ids:
                    self.delete_requested.emit(ids)
                    return True
        return super().eventFilter(obj, event)
