"""The column mapping step of Import: which column of a spreadsheet means which of our fields.

The first rows of the file are shown so the person recognises their columns. Only the start and
the duration need a column; a field the file lacks (footwear, say) is "not recorded" unless the
person chooses one fixed value for all rows, and the page says which it will be.
"""

from __future__ import annotations

import json

from PySide6.QtCore import Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tracker.diary.episode import NOT_RECORDED
from tracker.interop.import_mapping import (
    DATE_ORDERS,
    DURATION_UNITS,
    FIXED_VALUE_FIELDS,
    MAPPABLE_FIELDS,
    VOCABULARIES,
    ColumnMapping,
    ForeignTable,
    guess_mapping,
)
from tracker.interop.import_source import ImportFileError
from ui.widgets import theme

NOT_IN_FILE = "(not in the file)"
FROM_COLUMN = "(from the column)"
ALL_ROWS = "(every row)"
SETTING_PREFIX = "import_mapping."
SETTING_NAMES = "import_mappings"  # the names of the saved mappings, as a JSON list


def saved_mapping_names(store) -> list[str]:
    try:
        names = json.loads(store.get_setting(SETTING_NAMES) or "[]")
    except ValueError:
        return []
    return [n for n in names if isinstance(n, str)]


def save_mapping(store, name: str, text: str) -> None:
    """Keep a mapping by name in the diary's settings, to use it again on the next file."""
    names = saved_mapping_names(store)
    if name not in names:
        names.append(name)
    store.set_settings({SETTING_PREFIX + name: text, SETTING_NAMES: json.dumps(names)})


class ImportMappingPage(QWidget):
    changed = Signal()

    def __init__(self, parent=None, store=None):
        super().__init__(parent)
        self.store = store
        self.table = ForeignTable([], [], ",")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "This file's columns are not Cramp Tracker's own. Say which column holds what; "
            "the first rows of the file are shown to help. Only the start and the duration are "
            "needed (a diary without durations can give one for every row): anything else the "
            "file does not have is kept as 'not recorded' unless you give one value for every "
            "row. Labels such as 'Left' or 'Calf' are understood; times without a UTC offset "
            "use this computer's time zone."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.preview_model = QStandardItemModel(self)
        self.preview_view = QTableView()
        self.preview_view.setAccessibleName("First rows of the file")
        self.preview_view.setTabKeyNavigation(False)  # Tab goes on to the column choices
        self.preview_view.setModel(self.preview_model)
        self.preview_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        line = self.fontMetrics().lineSpacing()
        self.preview_view.verticalHeader().setDefaultSectionSize(line + 8)
        self.preview_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.preview_view.setMinimumHeight((line + 8) * 5 + 4)
        layout.addWidget(self.preview_view, 1)

        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        self.column_combos: dict[str, QComboBox] = {}
        self.value_combos: dict[str, QComboBox] = {}
        fields = list(MAPPABLE_FIELDS.items())
        half = (len(fields) + 1) // 2
        for i, (name, title) in enumerate(fields):
            row, col = i % half, (i // half) * 3
            label = QLabel(f"{title}:")
            combo = QComboBox()
            combo.setAccessibleName(f"Column for {title}")
            label.setBuddy(combo)
            combo.currentIndexChanged.connect(self._update)
            self.column_combos[name] = combo
            grid.addWidget(label, row, col)
            grid.addWidget(combo, row, col + 1)
            if name in FIXED_VALUE_FIELDS:
                fixed = QComboBox()
                fixed.setAccessibleName(f"Fixed value for {title}")
                fixed.addItem(NOT_RECORDED, "")
                if name == "severity":
                    for n in range(11):
                        fixed.addItem(str(n), str(n))
                else:
                    for code, text in VOCABULARIES[name].items():
                        fixed.addItem(text, code)
                fixed.currentIndexChanged.connect(self._update)
                self.value_combos[name] = fixed
                grid.addWidget(fixed, row, col + 2)
        layout.addLayout(grid)
        layout.addLayout(self._build_options_row())
        layout.addLayout(self._build_saved_row())

        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)

        self.problems_label = QLabel()
        self.problems_label.setWordWrap(True)
        theme.keep_message_colour(self.problems_label, "error")
        layout.addWidget(self.problems_label)

    def _build_options_row(self) -> QHBoxLayout:
        """Duration unit and a fixed duration, the row filter and the date order: one line."""
        row = QHBoxLayout()
        self.unit_combo = QComboBox()
        self.unit_combo.setAccessibleName("Unit of the duration")
        for unit in DURATION_UNITS:
            self.unit_combo.addItem(unit, unit)
        self.fixed_duration = QLineEdit()
        self.fixed_duration.setAccessibleName("Same duration for every row")
        self.fixed_duration.setPlaceholderText("or fixed")
        self.fixed_duration.setToolTip("A diary without durations: the same duration for every row")
        self.fixed_duration.setMaximumWidth(self.fontMetrics().averageCharWidth() * 14)
        self.filter_combo = QComboBox()
        self.filter_combo.setAccessibleName("Keep only rows where this column")
        self.filter_text = QLineEdit()
        self.filter_text.setAccessibleName("contains this text")
        self.filter_text.setPlaceholderText("e.g. cramp")
        self.date_order_combo = QComboBox()
        self.date_order_combo.setAccessibleName("Date order")
        self.date_order_combo.addItem("found from the file", "")
        for code, text in DATE_ORDERS.items():
            self.date_order_combo.addItem(text, code)
        unit_label = QLabel("Duration &unit:")
        unit_label.setBuddy(self.unit_combo)
        filter_label = QLabel("&Keep rows where")
        filter_label.setBuddy(self.filter_combo)
        order_label = QLabel("&Dates:")
        order_label.setBuddy(self.date_order_combo)
        for widget in (
            unit_label,
            self.unit_combo,
            self.fixed_duration,
            filter_label,
            self.filter_combo,
            QLabel("contains"),
            self.filter_text,
            order_label,
            self.date_order_combo,
        ):
            row.addWidget(widget)
        for combo in (self.unit_combo, self.filter_combo, self.date_order_combo):
            combo.currentIndexChanged.connect(self._update)
        self.fixed_duration.textChanged.connect(self._update)
        self.filter_text.textChanged.connect(self._update)
        return row

    def _build_saved_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.saved_combo = QComboBox()
        self.saved_combo.setAccessibleName("Saved mappings")
        self.load_button = QPushButton("Use sa&ved")
        self.load_button.clicked.connect(lambda: self.load_saved(self.saved_combo.currentText()))
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Name to save this mapping as")
        self.name_edit.setPlaceholderText("name, e.g. My old spreadsheet")
        self.save_button = QPushButton("&Save mapping")
        self.save_button.clicked.connect(lambda: self.save_current(self.name_edit.text()))
        self.saved_label = QLabel()
        saved_label = QLabel("Saved mappings:")
        saved_label.setBuddy(self.saved_combo)
        row.addWidget(saved_label)
        row.addWidget(self.saved_combo, 1)
        row.addWidget(self.load_button)
        row.addWidget(self.name_edit, 1)
        row.addWidget(self.save_button)
        row.addWidget(self.saved_label)
        self._refresh_saved()
        return row

    def _refresh_saved(self) -> None:
        names = saved_mapping_names(self.store) if self.store is not None else []
        self.saved_combo.clear()
        self.saved_combo.addItems(names)
        self.saved_combo.setEnabled(bool(names))
        self.load_button.setEnabled(bool(names))
        self.save_button.setEnabled(self.store is not None)

    def save_current(self, name: str) -> None:
        name = name.strip()
        if not name or self.store is None:
            self.saved_label.setText("Give the mapping a name first.")
            return
        save_mapping(self.store, name, self.mapping().to_json(self.table.header))
        self._refresh_saved()
        self.saved_combo.setCurrentText(name)
        self.saved_label.setText(f"Saved as '{name}'.")

    def load_saved(self, name: str) -> None:
        text = self.store.get_setting(SETTING_PREFIX + name) if self.store and name else None
        if text is None:
            return
        try:
            mapping = ColumnMapping.from_json(text).bind(self.table.header)
        except (ValueError, ImportFileError) as exc:
            self.problems_label.setText(f"The saved mapping '{name}' does not fit this file: {exc}")
            return
        self.apply(mapping)
        self.saved_label.setText(f"Using '{name}'.")

    def apply(self, mapping: ColumnMapping) -> None:
        """Show ``mapping`` (columns by index, as after ``bind``) in the choices."""
        widgets = [
            *self.column_combos.values(),
            *self.value_combos.values(),
            self.unit_combo,
            self.filter_combo,
            self.date_order_combo,
            self.fixed_duration,
            self.filter_text,
        ]
        for widget in widgets:
            widget.blockSignals(True)
        for name, combo in self.column_combos.items():
            combo.setCurrentIndex(_combo_row(mapping.columns.get(name)))
        for name, combo in self.value_combos.items():
            found = combo.findData(mapping.defaults.get(name, ""))
            combo.setCurrentIndex(max(found, 0))
        self.unit_combo.setCurrentIndex(max(self.unit_combo.findData(mapping.duration_unit), 0))
        self.fixed_duration.setText(mapping.defaults.get("duration_s", ""))
        self.filter_combo.setCurrentIndex(_combo_row(mapping.filter_column))
        self.filter_text.setText(mapping.filter_text)
        self.date_order_combo.setCurrentIndex(
            max(self.date_order_combo.findData(mapping.date_order), 0)
        )
        for widget in widgets:
            widget.blockSignals(False)
        self._update()

    def set_table(self, table: ForeignTable) -> None:
        self.table = table
        self.preview_model.clear()
        self.preview_model.setHorizontalHeaderLabels(
            [f"{i + 1}: {title}" for i, title in enumerate(table.header)]
        )
        for row in table.rows:
            self.preview_model.appendRow([QStandardItem(cell) for cell in row])
        guessed = guess_mapping(table.header, table.delimiter)
        for combo in (*self.column_combos.values(), self.filter_combo):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(ALL_ROWS if combo is self.filter_combo else NOT_IN_FILE, None)
            for i, title in enumerate(table.header):
                combo.addItem(f"{i + 1}: {title}", i)
            combo.blockSignals(False)
        self._refresh_saved()
        self.apply(guessed)

    def mapping(self) -> ColumnMapping:
        columns = {
            name: combo.currentData()
            for name, combo in self.column_combos.items()
            if combo.currentData() is not None
        }
        defaults = {
            name: combo.currentData()
            for name, combo in self.value_combos.items()
            if name not in columns and combo.currentData()
        }
        if not ({"duration_s", "duration_min"} & set(columns)) and self.fixed_duration.text():
            defaults["duration_s"] = self.fixed_duration.text().strip()
        return ColumnMapping(
            columns=columns,
            defaults=defaults,
            delimiter=self.table.delimiter,
            duration_unit=self.unit_combo.currentData() or "",
            filter_column=self.filter_combo.currentData(),
            filter_text=self.filter_text.text().strip(),
            date_order=self.date_order_combo.currentData() or "",
        )

    def problems(self) -> list[str]:
        return self.mapping().problems()

    def _update(self) -> None:
        mapping = self.mapping()
        for name, combo in self.value_combos.items():
            in_file = name in mapping.columns
            combo.setEnabled(not in_file)
            combo.setItemText(0, FROM_COLUMN if in_file else NOT_RECORDED)
        has_duration = bool({"duration_s", "duration_min"} & set(mapping.columns))
        self.fixed_duration.setEnabled(not has_duration)
        self.unit_combo.setEnabled("duration_min" not in mapping.columns)
        self.filter_text.setEnabled(mapping.filter_column is not None)
        self.summary_label.setText(mapping.describe())
        self.problems_label.setText(" ".join(mapping.problems()))
        self.changed.emit()


def _combo_row(column: int | str | None) -> int:
    """The row of a bound mapping's column in a column combo: row 0 is "not in the file"."""
    return column + 1 if isinstance(column, int) else 0
