"""The column mapping step of Import: which column of a spreadsheet means which of our fields.

The first rows of the file are shown so the person recognises their columns. Only the start and
the duration need a column; a field the file lacks (footwear, say) is "not recorded" unless the
person chooses one fixed value for all rows, and the page says which it will be.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tracker.episode import NOT_RECORDED
from tracker.import_mapping import (
    FIXED_VALUE_FIELDS,
    MAPPABLE_FIELDS,
    VOCABULARIES,
    ColumnMapping,
    ForeignTable,
    guess_mapping,
)
from ui import theme

NOT_IN_FILE = "(not in the file)"
FROM_COLUMN = "(from the column)"


class ImportMappingPage(QWidget):
    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.table = ForeignTable([], [], ",")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "This file's columns are not Cramp Tracker's own. Say which column holds what; "
            "the first rows of the file are shown to help. Only the start and the duration are "
            "needed: anything else the file does not have is kept as 'not recorded' (you may "
            "give one value for every row instead if you know it). Codes or labels such as "
            "'Left' or 'Calf' are understood; times without a UTC offset use this computer's "
            "time zone."
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
        self.preview_view.setMinimumHeight((line + 8) * 7 + 4)
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

        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)

        self.problems_label = QLabel()
        self.problems_label.setWordWrap(True)
        theme.keep_message_colour(self.problems_label, "error")
        layout.addWidget(self.problems_label)

    def set_table(self, table: ForeignTable) -> None:
        self.table = table
        self.preview_model.clear()
        self.preview_model.setHorizontalHeaderLabels(
            [f"{i + 1}: {title}" for i, title in enumerate(table.header)]
        )
        for row in table.rows:
            self.preview_model.appendRow([QStandardItem(cell) for cell in row])
        guessed = guess_mapping(table.header, table.delimiter)
        for name, combo in self.column_combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(NOT_IN_FILE, None)
            for i, title in enumerate(table.header):
                combo.addItem(f"{i + 1}: {title}", i)
            index = guessed.columns.get(name)
            combo.setCurrentIndex(0 if index is None else index + 1)
            combo.blockSignals(False)
        self._update()

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
        return ColumnMapping(columns=columns, defaults=defaults, delimiter=self.table.delimiter)

    def problems(self) -> list[str]:
        return self.mapping().problems()

    def _update(self) -> None:
        mapping = self.mapping()
        for name, combo in self.value_combos.items():
            in_file = name in mapping.columns
            combo.setEnabled(not in_file)
            combo.setItemText(0, FROM_COLUMN if in_file else NOT_RECORDED)
        self.summary_label.setText(mapping.describe())
        self.problems_label.setText(" ".join(mapping.problems()))
        self.changed.emit()
