"""Table model of the episode history: ids in order, rows fetched in blocks as they are shown.

Sorting and filtering happen in SQL (the store). The model holds only the ordered ids and a
bounded cache of the rows the view has asked for, so 100,000 episodes cost one id query and a
few hundred rows, not 100,000 tuples.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from tracker import vocab
from tracker.episode import format_duration
from tracker.store import EPISODE_COLUMNS, HistoryFilter, Store

_COL = {name: i for i, name in enumerate(EPISODE_COLUMNS)}

# (header, stored column used for display and sorting)
COLUMNS = (
    ("Date and time", "started_at"),
    ("Duration", "duration_s"),
    ("Side", "side"),
    ("Where", "site"),
    ("Severity", "severity"),
    ("Activity", "activity"),
    ("Footwear", "footwear"),
    ("Hydration", "hydration"),
    ("Relief", "relief"),
    ("Notes", "notes"),
)


def _multi(vocabulary, text: str) -> str:
    return ", ".join(vocab.label(vocabulary, code) for code in text.split(";") if code)


def _started(text: str) -> str:
    value = datetime.fromisoformat(text)
    return value.strftime("%a %d %b %Y, %H:%M")


def _display(column: str, row: tuple) -> str:
    value = row[_COL[column]]
    if column == "started_at":
        return _started(value)
    if column == "duration_s":
        return format_duration(value)
    if column == "side":
        return vocab.label(vocab.SIDES, value)
    if column == "site":
        return _multi(vocab.SITES, value)
    if column == "severity":
        return f"{value} / 10"
    if column == "activity":
        return vocab.label(vocab.ACTIVITIES, value)
    if column == "footwear":
        text = vocab.label(vocab.FOOTWEAR, value)
        return text + " (tight)" if row[_COL["footwear_tight"]] else text
    if column == "hydration":
        text = vocab.label(vocab.HYDRATION, value)
        fluid = row[_COL["fluid_ml"]]
        return f"{text}, {fluid} ml" if fluid is not None else text
    if column == "relief":
        text = _multi(vocab.RELIEF, value)
        effect = row[_COL["relief_effect"]]
        if text and effect:
            text += f" ({vocab.label(vocab.RELIEF_EFFECT, effect).lower()})"
        return text
    if column == "notes":
        first = value.strip().splitlines()[0] if value.strip() else ""
        return first if len(first) <= 80 else first[:79] + "…"
    return str(value)


BLOCK = 200  # rows fetched at once when the view scrolls to an uncached row
CACHE_LIMIT = 5_000  # rows kept; the cache starts again when it grows past this


class HistoryModel(QAbstractTableModel):
    def __init__(self, store: Store, parent=None):
        super().__init__(parent)
        self._store = store
        self._ids: list[int] = []
        self._cache: dict[int, tuple] = {}
        self._filter = HistoryFilter()
        self._sort_column = 0
        self._sort_order = Qt.SortOrder.DescendingOrder
        self._loaded = False

    # ----------------------------------------------------------------- data access
    def set_store(self, store: Store) -> None:
        self._store = store
        self.reload()

    def set_filter(self, flt: HistoryFilter) -> None:
        self._filter = flt
        self.reload()

    @property
    def current_filter(self) -> HistoryFilter:
        return self._filter

    def reload(self) -> None:
        self.beginResetModel()
        self._cache = {}
        self._ids = self._store.history_ids(
            self._filter,
            sort_key=COLUMNS[self._sort_column][1],
            descending=self._sort_order == Qt.SortOrder.DescendingOrder,
        )
        self._loaded = True
        self.endResetModel()

    def episode_id(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, episode_id: int) -> int | None:
        try:
            return self._ids.index(episode_id)
        except ValueError:
            return None

    def _row(self, row: int) -> tuple | None:
        episode_id = self._ids[row]
        cached = self._cache.get(episode_id)
        if cached is None:
            if not self._store.is_open:  # closing down, or the file is being swapped
                return None
            if len(self._cache) > CACHE_LIMIT:
                self._cache = {}
            start = max(0, row - BLOCK // 4)
            self._cache.update(self._store.rows_by_id(self._ids[start : start + BLOCK]))
            cached = self._cache.get(episode_id)
        return cached

    # ----------------------------------------------------------------- Qt overrides
    def rowCount(self, parent=None) -> int:  # noqa: N802 (Qt override)
        return 0 if parent is not None and parent.isValid() else len(self._ids)

    def columnCount(self, parent=None) -> int:  # noqa: N802
        return 0 if parent is not None and parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._row(index.row())
        if row is None:  # deleted since the ids were read; a reload follows
            return None
        column = COLUMNS[index.column()][1]
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(column, row)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == "notes":
                notes = row[_COL["notes"]]
                return notes[:2000] if notes else None
            return _display(column, row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("duration_s", "severity"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row[_COL["id"]]
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if self._loaded and (column, order) == (self._sort_column, self._sort_order):
            return
        self._sort_column = column
        self._sort_order = order
        if self._loaded:  # before the first load, the first load sorts
            self.reload()
