"""History page: every episode in a sortable table, filtered by period, severity, where and
activity, and searched by words in notes and in the choices people see (Ctrl+F)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tracker.diary import vocab
from tracker.diary.episode import NOT_RECORDED
from tracker.diary.periods import ALL, CUSTOM, preset_period
from tracker.store import NOT_RECORDED_CODE, SEVERITY_BANDS, SITE_AREAS, HistoryFilter, Store
from ui.history.model import HistoryModel
from ui.shell.welcome import WelcomePanel
from ui.widgets.dates import edit_format, to_date

PERIODS = tuple((vocab.PERIODS[code], code) for code in (ALL, "7d", "30d", "3m", "12m", CUSTOM))
ANY = "Any"
COUNTING = "Finding episodes…"  # while the ids are read in the background
SEVERITY_CHOICES = (
    *(
        (f"{band.capitalize()} ({low}-{high})", band)
        for band, (low, high) in SEVERITY_BANDS.items()
    ),
    ("Not rated", NOT_RECORDED_CODE),
)
SITE_CHOICES = (
    *(("Toes" if area == "toes" else vocab.SITES[area], area) for area in SITE_AREAS),
    (NOT_RECORDED, NOT_RECORDED_CODE),
)
ACTIVITY_CHOICES = (
    *((text, code) for code, text in vocab.ACTIVITIES.items()),
    (NOT_RECORDED, NOT_RECORDED_CODE),
)


class HistoryPage(QWidget):
    edit_requested = Signal(int)
    delete_requested = Signal(list)

    def __init__(self, store: Store, parent=None, today=date.today, background: bool = False):
        """``background``: read the ids in a worker thread (see HistoryModel); the app does."""
        super().__init__(parent)
        self._today = today
        self.model = HistoryModel(store, self, background=background)
        self.model.loading_changed.connect(self._update_count)
        # Typing in the search box waits a moment so each key press does not query.
        self._search_delay = QTimer(self)
        self._search_delay.setSingleShot(True)
        self._search_delay.setInterval(200)
        self._search_delay.timeout.connect(self.apply_filter)
        layout = QVBoxLayout(self)

        bar = QHBoxLayout()
        period_label = QLabel("Pe&riod:")  # Alt+P is the Patterns tab
        self.period = self._choice_combo("Period shown", PERIODS, any_text=None)
        period_label.setBuddy(self.period)
        self.date_from = QDateEdit()
        self.date_to = QDateEdit()
        for edit, name in ((self.date_from, "From date"), (self.date_to, "To date")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(edit_format())
            edit.setAccessibleName(name)
            edit.setDate(QDate.currentDate())
        self.date_from.setDate(QDate.currentDate().addMonths(-1))
        self.date_from.dateChanged.connect(self.apply_filter)
        self.date_to.dateChanged.connect(self.apply_filter)
        self.range_dash = QLabel("to")
        self.severity = self._choice_combo("Severity shown", SEVERITY_CHOICES)
        self.site = self._choice_combo("Where it hurt, shown", SITE_CHOICES)
        self.activity = self._choice_combo("Activity shown", ACTIVITY_CHOICES)
        self.clear_button = QPushButton("Show &all")
        self.clear_button.setToolTip("Clear the search and every filter")
        self.clear_button.clicked.connect(self.clear_filters)
        search_label = QLabel("&Search:")
        self.search = QLineEdit()
        self.search.setPlaceholderText(
            "Words in notes or in any choice, e.g. walking, heels, numbness (Ctrl+F)"
        )
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search episodes")
        search_label.setBuddy(self.search)
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Number of episodes shown")
        # Ctrl+F while the page is shown (its key is set by assign_shortcuts, after the first
        # paint; not QAction(text, parent), whose overload check builds QIcon's enums).
        self.find_action = QAction(self)
        self.find_action.setText("Find in history")
        self.find_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.find_action.triggered.connect(self.focus_search)
        self.addAction(self.find_action)

        search_bar = QHBoxLayout()
        search_bar.addWidget(search_label)
        search_bar.addWidget(self.search, 1)
        search_bar.addSpacing(16)
        search_bar.addWidget(self.count_label)
        search_bar.addWidget(self.clear_button)
        # The filters and the table give way to a welcome while the diary is empty.
        self.filters = QWidget()
        filters_layout = QVBoxLayout(self.filters)
        filters_layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filters)
        filters_layout.addLayout(search_bar)
        bar.addWidget(period_label)
        bar.addWidget(self.period, 1)
        for text, combo in (
            ("Severit&y:", self.severity),
            ("&Where:", self.site),
            ("A&ctivity:", self.activity),
        ):
            bar.addSpacing(12)
            label = QLabel(text)
            label.setBuddy(combo)
            bar.addWidget(label)
            bar.addWidget(combo, 1)
        bar.addStretch(0)
        filters_layout.addLayout(bar)
        range_bar = QHBoxLayout()  # its own row, so a custom range does not widen the window
        self.range_from = QLabel("From")
        for widget in (self.range_from, self.date_from, self.range_dash, self.date_to):
            range_bar.addWidget(widget)
        range_bar.addStretch(1)
        filters_layout.addLayout(range_bar)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Episode history")
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
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
        self.welcome = WelcomePanel()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.welcome)
        layout.addWidget(self.stack, 1)
        self._size_columns()

        self.search.textChanged.connect(self._search_delay.start)
        self.period.currentIndexChanged.connect(self._period_changed)
        for combo in (self.severity, self.site, self.activity):
            combo.currentIndexChanged.connect(self.apply_filter)
        self._period_changed()

    @staticmethod
    def _choice_combo(name: str, choices, any_text: str | None = ANY) -> QComboBox:
        """A filter choice that may shrink (eliding its text) so the window fits small screens."""
        combo = QComboBox()
        if any_text:
            combo.addItem(any_text, None)
        for text, code in choices:
            combo.addItem(text, code)
        combo.setAccessibleName(name)
        combo.setMaximumWidth(combo.sizeHint().width())
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(4)
        return combo

    def assign_shortcuts(self) -> None:
        """Ctrl+F (the platform's Find key): set once the window is on screen, as the window's
        own shortcuts are (QKeySequence's standard keys are an enum built on first use)."""
        from PySide6.QtGui import QKeySequence

        self.find_action.setShortcut(QKeySequence.StandardKey.Find)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _size_columns(self) -> None:
        metrics = self.fontMetrics()
        widths = (
            "Wed 30 Sep 2026, ≈ 23:59 (UTC+01:00)",
            "⚠ 12 min 59 s",
            "Right",
            "Big toe, Second toe",
            "10 / 10",
            "Exercising or sports",
            "Flat everyday shoes (tight)",
            "Under-hydrated, 2000 ml",
            "Stretching, Massage (partly helped)",
            "Long sitting or standing",
            "Numbness, Swelling",
        )
        for column, sample in enumerate(widths):
            self.table.setColumnWidth(column, metrics.horizontalAdvance(sample) + 24)

    # ----------------------------------------------------------------- filtering
    def _period_changed(self) -> None:
        custom = self.period.currentData() == CUSTOM
        for widget in (self.range_from, self.date_from, self.range_dash, self.date_to):
            widget.setVisible(custom)
        self.apply_filter()

    def current_filter(self) -> HistoryFilter:
        choices = dict(
            text=self.search.text(),
            severity_band=self.severity.currentData(),
            site_area=self.site.currentData(),
            activity=self.activity.currentData(),
        )
        code = self.period.currentData()
        if code == ALL:
            return HistoryFilter(**choices)
        if code == CUSTOM:
            start = to_date(self.date_from.date())
            end = to_date(self.date_to.date())
            if start > end:
                start, end = end, start
            return HistoryFilter(start.isoformat(), end.isoformat(), **choices)
        first = preset_period(code, self._today()).first  # every preset but "all" has one
        return HistoryFilter(first.isoformat() if first else None, None, **choices)

    def clear_filters(self) -> None:
        """Back to every episode: the period, the three choices and the search all cleared."""
        for combo in (self.period, self.severity, self.site, self.activity):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self._period_changed()

    def apply_filter(self) -> None:
        self._search_delay.stop()
        self.model.set_filter(self.current_filter())
        self._update_count()

    def reload(self) -> None:
        """After episodes changed: the rows that changed are placed (the model's refresh)."""
        selected = self.selected_ids()
        self.model.refresh()
        self._update_count()
        self.select_ids(selected)

    def set_store(self, store: Store) -> None:
        self.model.set_store(store)
        self._update_count()

    def _update_count(self) -> None:
        shown = self.model.rowCount()
        active = self.model.current_filter.is_active
        self.clear_button.setEnabled(active)
        loading = self.model.loading  # the count is not known yet
        empty = shown == 0 and not active and not loading  # nothing in the diary at all
        self.stack.setCurrentWidget(self.welcome if empty else self.table)
        self.filters.setVisible(not empty)
        if loading:
            self.count_label.setText(COUNTING)
        elif empty:
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
