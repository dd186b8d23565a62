"""Table model of the episode history: ids in order, rows fetched in blocks as they are shown.

Sorting and filtering happen in SQL (the store). The model holds only the ordered ids (an
``array('q')``) and a bounded cache of the rows the view has asked for, so 100,000 episodes
cost one id query and a few hundred rows, not 100,000 tuples.

With ``background=True`` (the app) the ids are read by a worker thread on its own connection
(tracker.store.history.HistoryIdReader): the first FIRST_BLOCK of them first, so a screenful
is shown at once, then the rest, appended below without a reset. Reading 1,000,000 ids in a
sorted or filtered order takes a second or more; the UI thread never waits for it. Without it
(tests, small tools) every read is done at once, as before.
"""

from __future__ import annotations

import bisect
import contextlib
import threading
from array import array
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette

from tracker.diary import vocab
from tracker.diary.episode import LONG_DURATION_S, NOT_RECORDED, format_duration
from tracker.diary.time_zones import logged_in_other_zone, offset_text, on_this_machine
from tracker.store import EPISODE_COLUMNS, HistoryFilter, Store, search_matches
from tracker.store.history import HistoryIdReader, first_history_ids
from ui.history.id_thread import IdReadThread
from ui.widgets.dates import date_time, short_date, short_time
from ui.widgets.units import fluid_text

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
    ("Possible context", "context"),
    ("Warning signs", "warning_signs"),
    ("Notes", "notes"),
)
# Stored fields a search may match that are shown inside another column's cell.
_SHOWN_IN = {"footwear_tight": "footwear", "relief_effect": "relief"}

MISSING = "—"  # shown, muted, for a value the person did not record
LONG_MARK = "⚠"
LONG_TIP = f"Longer than {LONG_DURATION_S // 60} minutes: worth telling a doctor"
APPROXIMATE_MARK = "≈"
APPROXIMATE_TIP = "Approximate time: the hour is a rough guess"
MATCH_TIP = "Matches your search"
MATCH_ROLE = Qt.ItemDataRole.UserRole + 1  # True for a cell where the search matched
# The roles as plain ints: data() runs for every cell and role painted, and comparing an int
# with an enum member goes through Python's enum machinery each time.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_USER = int(Qt.ItemDataRole.UserRole)
_MATCH = int(MATCH_ROLE)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def _multi(vocabulary, text: str) -> str:
    return ", ".join(vocab.label(vocabulary, code) for code in vocab.split_multi(text))


def _started(text: str, approximate: bool) -> str:
    """The stored wall-clock time, with its offset when this machine's zone would differ."""
    value = datetime.fromisoformat(text)
    about = f"{APPROXIMATE_MARK} " if approximate else ""
    shown = f"{short_date(value)}, {about}{short_time(value)}"
    if logged_in_other_zone(value):
        shown += f" ({offset_text(value)})"
    return shown


def _zone_tip(text: str) -> str | None:
    value = datetime.fromisoformat(text)
    if not logged_in_other_zone(value):
        return None
    here = on_this_machine(value)
    return (
        f"Logged at {offset_text(value)}: the clock time where it was logged. On this "
        f"computer's clock ({offset_text(here)}) that was {date_time(here)}"
    )


def _duration(value: int, row: tuple) -> str:
    text = format_duration(value)
    return f"{LONG_MARK} {text}" if value > LONG_DURATION_S else text


def _footwear(value: str, row: tuple) -> str:
    text = vocab.label(vocab.FOOTWEAR, value)
    return text + " (tight)" if text and row[_COL["footwear_tight"]] else text


def _hydration(value: str, row: tuple) -> str:
    fluid = row[_COL["fluid_ml"]]
    parts = [vocab.label(vocab.HYDRATION, value), "" if fluid is None else fluid_text(fluid)]
    return ", ".join(p for p in parts if p)


def _relief(value: str, row: tuple) -> str:
    text = _multi(vocab.RELIEF, value)
    effect = vocab.label(vocab.RELIEF_EFFECT, row[_COL["relief_effect"]])
    if text and effect:
        return f"{text} ({effect.lower()})"
    return text or effect


def _notes(value: str, row: tuple) -> str:
    first = value.strip().splitlines()[0] if value.strip() else ""
    return first if len(first) <= 80 else first[:79] + "…"


# How each column's stored value becomes its cell text: (value, whole row) -> text.
_SHOWN: dict[str, Callable[[Any, tuple], str]] = {
    "started_at": lambda value, row: _started(value, bool(row[_COL["time_approximate"]])),
    "duration_s": _duration,
    "side": lambda value, row: vocab.label(vocab.SIDES, value),
    "site": lambda value, row: _multi(vocab.SITES, value),
    "severity": lambda value, row: "" if value is None else f"{value} / 10",
    "activity": lambda value, row: vocab.label(vocab.ACTIVITIES, value),
    "footwear": _footwear,
    "hydration": _hydration,
    "relief": _relief,
    "context": lambda value, row: _multi(vocab.CONTEXT, value),
    "warning_signs": lambda value, row: _multi(vocab.WARNING_SIGNS, value),
    "notes": _notes,
}


def _display(column: str, row: tuple) -> str:
    """The cell text; an empty string means "not recorded" (shown as a muted dash)."""
    value = row[_COL[column]]
    shown = _SHOWN.get(column)
    return shown(value, row) if shown is not None else str(value)


def _luminance(color: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.redF())
        + 0.7152 * channel(color.greenF())
        + 0.0722 * channel(color.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _mix(a: QColor, b: QColor, share_of_a: float) -> QColor:
    def part(x: int, y: int) -> int:
        return round(x * share_of_a + y * (1 - share_of_a))

    return QColor(part(a.red(), b.red()), part(a.green(), b.green()), part(a.blue(), b.blue()))


def muted_color(palette: QPalette) -> QColor:
    """Text colour for "not recorded": the text colour moved towards the background."""
    return _mix(
        palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base), 0.55
    )


def match_colors(palette: QPalette) -> tuple[QColor, QColor]:
    """(background, text) for a cell that matched the search.

    The palette's highlight mixed half into the base colour, so a match reads as highlighted
    on light and dark themes without looking like the selection; the text is whichever of the
    palette's text colours stands out more from that background.
    """
    background = _mix(
        palette.color(QPalette.ColorRole.Highlight), palette.color(QPalette.ColorRole.Base), 0.5
    )
    candidates = (
        palette.color(QPalette.ColorRole.Text),
        palette.color(QPalette.ColorRole.HighlightedText),
    )
    return background, max(candidates, key=lambda c: contrast(c, background))


BLOCK = 200  # rows fetched at once when the view scrolls to an uncached row
CACHE_LIMIT = 5_000  # rows kept; the cache starts again when it grows past this
# More episode changes than this since the last look: reading every id again is as quick.
MAX_PLACED_CHANGES = 64


FIRST_BLOCK = 60  # ids read first: more than a tall window shows
# The rest of the start-up order's ids are read this long after its first block, so that the
# worker does not compete with the first paint (2 cores, a loaded machine: it did).
REST_DELAY_MS = 100
_FIRST, _ALL = 0, 1  # which part of a background read arrived


class HistoryModel(QAbstractTableModel):
    # True while ids are being read in the background (the count is not known yet), False
    # once every id is in and changes made meanwhile are placed.
    loading_changed = Signal(bool)
    _ids_read = Signal(int, int, object)  # (load number, _FIRST or _ALL, ids): worker → UI

    def __init__(self, store: Store, parent=None, background: bool = False):
        super().__init__(parent)
        self._store = store
        self._background = background
        self._ids: array[int] = array("q")
        self._generation = 0  # load number: answers of an older load are dropped
        self._reader: HistoryIdReader | None = None
        self._reads = IdReadThread()  # the worker thread, kept between reads
        self._load_revision = 0  # the store's revision when the running load began
        self._ids_read.connect(self._on_ids_read, Qt.ConnectionType.QueuedConnection)
        self._cache: dict[int, tuple] = {}
        self._matches: dict[int, frozenset[str]] = {}
        self._filter = HistoryFilter()
        self._sort_column = 0
        self._sort_order = Qt.SortOrder.DescendingOrder
        self._loaded = False
        self._revision = 0  # the store's revision the ids were read at (or brought up to)
        self._colors_key: int | None = None
        self._colors: tuple[QColor, QColor, QColor] | None = None
        self._bold = QFont()
        self._bold.setBold(True)

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

    @property
    def loading(self) -> bool:
        """Whether ids are still being read (rowCount may grow when they are in)."""
        return self._reader is not None

    def _order(self) -> tuple[str, bool]:
        return COLUMNS[self._sort_column][1], self._sort_order == Qt.SortOrder.DescendingOrder

    def _reset(self, ids: array[int], revision: int) -> None:
        self.beginResetModel()
        self._cache = {}
        self._matches = {}
        self._revision = revision
        self._ids = ids
        self._loaded = True
        self.endResetModel()

    def reload(self) -> None:
        """Read the ids again for the current filter and order."""
        self._cancel_load()
        sort_key, descending = self._order()
        revision = self._store.revision
        if not self._background:
            ids = self._store.history_ids(self._filter, sort_key=sort_key, descending=descending)
            self._reset(array("q", ids), revision)
            return
        if not self._filter.is_active and (sort_key, descending) == ("started_at", True):
            # the start-up order: a walk down the start index, a millisecond at any size
            head = first_history_ids(self._store, self._filter, sort_key, True, FIRST_BLOCK)
            self._reset(head, revision)
            if len(head) < FIRST_BLOCK:
                return  # that was all of them
            # the rest a moment later: at start-up the worker then does not compete with the
            # first paint for the processor and the GIL
            self._start_load(sort_key, descending, 0, revision, delay=True)
        else:  # the first screenful from the worker, then the rest
            self._start_load(sort_key, descending, FIRST_BLOCK, revision)

    def _start_load(
        self, sort_key: str, descending: bool, first: int, revision: int, delay: bool = False
    ) -> None:
        self._generation += 1
        generation, flt = self._generation, self._filter
        reader = self._reader = HistoryIdReader(self._store.path)
        self._load_revision = revision
        emit = self._ids_read.emit

        def head_read(head: array[int]) -> None:
            with contextlib.suppress(
                RuntimeError, TypeError
            ):  # the model was deleted meanwhile (either error)
                emit(generation, _FIRST, head)

        def work() -> None:
            ids: array[int] | Exception | None
            if reader.cancelled:  # replaced before its turn came
                return
            try:
                ids = reader.read(flt, sort_key, descending, first, head_read)
            except Exception as exc:  # noqa: BLE001 - handed to the UI thread, never lost
                ids = exc
            if not reader.cancelled:
                with contextlib.suppress(
                    RuntimeError, TypeError
                ):  # the model was deleted meanwhile (either error)
                    emit(generation, _ALL, ids)

        self.loading_changed.emit(True)
        if not delay:
            self._reads.run(work)
            return

        def start() -> None:
            if self._reader is reader:
                self._reads.run(work)

        QTimer.singleShot(REST_DELAY_MS, self, start)

    def _cancel_load(self) -> None:
        """Stop a running background read; its answers, if any still come, are dropped."""
        self._generation += 1
        if self._reader is not None:
            self._reader.cancel()
            self._reader = None
            self.loading_changed.emit(False)

    @property
    def _worker(self) -> threading.Thread | None:
        """The worker thread while it runs (it is kept between reads)."""
        return self._reads.thread

    def stop_loading(self, timeout_s: float = 2.0) -> None:
        """Cancel a running read and end the worker once it closed its connection (the window
        closes: the diary is then closed cleanly, with no reader left holding its -wal)."""
        self._cancel_load()
        self._reads.stop(timeout_s)

    def _on_ids_read(self, generation: int, part: int, ids: object) -> None:
        if generation != self._generation or self._reader is None:
            return  # an older load, cancelled or replaced
        if isinstance(ids, Exception):
            self._reader = None
            self.loading_changed.emit(False)
            # the worker's connection failed (the file vanished, a disk error): read here,
            # where a failure reaches the person the way any other read's does
            self._read_here()
            return
        assert isinstance(ids, array)
        if part == _FIRST:
            self._reset(ids, self._load_revision)
            return
        shown = len(self._ids)
        if self._loaded and len(ids) >= shown and ids[:shown] == self._ids:
            # the first block is the start of the whole: continue below it, no reset
            if len(ids) > shown:
                self.beginInsertRows(QModelIndex(), shown, len(ids) - 1)
                self._ids = ids
                self.endInsertRows()
            self._revision = self._load_revision
        else:
            self._reset(ids, self._load_revision)
        self._reader = None
        self.refresh()  # saves made while it was read are placed now
        self.loading_changed.emit(False)

    def _read_here(self) -> None:
        """Read the ids on the UI thread, so that a failure is reported like any other."""
        background, self._background = self._background, False
        try:
            self.reload()
        finally:
            self._background = background

    def refresh(self) -> None:
        """Show what changed in the diary since the ids were read: each episode added, edited
        or deleted is placed, moved or removed row by row (one indexed query for the filter,
        a bisection of the shown ids for the place), so a save does not read every id again.

        Everything is read again (``reload``) when the store cannot say what changed (an
        import, a restore, a bulk add) or after many changes.
        """
        if self._reader is not None:
            return  # a read is running: when it is in, it places what changed meanwhile
        changes = self._store.changes_since(self._revision) if self._loaded else None
        if changes is None or len(changes) > MAX_PLACED_CHANGES:
            self.reload()
        else:
            self._place(changes)

    def _place(self, changes) -> None:
        store = self._store
        # each change names its episode: added or edited (after), deleted (before)
        touched = {facts.id for change in changes for facts in change if facts is not None}
        shown = store.history_shown(sorted(touched), self._filter) if touched else set()
        sort_key = COLUMNS[self._sort_column][1]
        descending = self._sort_order == Qt.SortOrder.DescendingOrder

        def key(episode_id: int):
            return store.history_order_keys([episode_id], sort_key, descending)[episode_id]

        rows = {i: r for i in touched if (r := self.row_of(i)) is not None}
        if len(rows) == 1 and len(shown) == 1 and rows.keys() == shown:
            # one episode edited: when it keeps its place, its row just changes
            [(episode_id, row)] = rows.items()
            below = self._ids[row + 1] if row + 1 < len(self._ids) else None
            above = self._ids[row - 1] if row > 0 else None
            near = [i for i in (above, below) if i is not None]
            keys = store.history_order_keys([episode_id, *near], sort_key, descending)
            mine = keys[episode_id]
            if (above is None or keys[above] < mine) and (below is None or mine < keys[below]):
                self._forget(episode_id)
                self._cache.update(store.rows_by_id([episode_id]))  # read, as when placed
                last = self.index(row, len(COLUMNS) - 1)
                self.dataChanged.emit(self.index(row, 0), last)
                self._revision = store.revision
                return
        for episode_id in sorted(rows, key=rows.__getitem__, reverse=True):
            row = rows[episode_id]
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._ids[row]
            self._forget(episode_id)
            self.endRemoveRows()
        for episode_id in sorted(shown):
            row = bisect.bisect_left(self._ids, key(episode_id), key=key)
            self.beginInsertRows(QModelIndex(), row, row)
            self._ids.insert(row, episode_id)
            self._forget(episode_id)
            self.endInsertRows()
        self._revision = store.revision

    def _forget(self, episode_id: int) -> None:
        self._cache.pop(episode_id, None)
        self._matches.pop(episode_id, None)

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
                self._matches = {}
            start = max(0, row - BLOCK // 4)
            self._cache.update(self._store.rows_by_id(self._ids[start : start + BLOCK].tolist()))
            cached = self._cache.get(episode_id)
        return cached

    def matched_columns(self, row: int) -> frozenset[str]:
        """The columns (COLUMNS keys) of a row where the current search found a word."""
        if not self._filter.text.strip():
            return frozenset()
        episode_id = self._ids[row]
        found = self._matches.get(episode_id)
        if found is None:
            values = self._row(row)
            if values is None:
                return frozenset()
            stored = dict(zip(EPISODE_COLUMNS, values, strict=True))
            fields = search_matches(self._filter.text, stored)
            found = frozenset(_SHOWN_IN.get(f, f) for f in fields)
            self._matches[episode_id] = found
        return found

    def _palette_colors(self) -> tuple[QColor, QColor, QColor]:
        """(match background, match text, muted text), following the application palette."""
        palette = QGuiApplication.palette()
        if self._colors is None or self._colors_key != palette.cacheKey():
            background, text = match_colors(palette)
            muted = muted_color(palette)
            self._colors, self._colors_key = (background, text, muted), palette.cacheKey()
        return self._colors

    # ----------------------------------------------------------------- Qt overrides
    def rowCount(self, parent=None) -> int:  # noqa: N802 (Qt override)
        return 0 if parent is not None and parent.isValid() else len(self._ids)

    def columnCount(self, parent=None) -> int:  # noqa: N802
        return 0 if parent is not None and parent.isValid() else len(COLUMNS)

    def data(
        self,
        index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if not index.isValid():
            return None
        row = self._row(index.row())
        if row is None:  # deleted since the ids were read; a reload follows
            return None
        column = COLUMNS[index.column()][1]
        role = int(role)
        if role == _DISPLAY:
            return _display(column, row) or (MISSING if column != "notes" else "")
        if role == _TOOLTIP:
            return self._tooltip(column, row, index.row())
        if role == _ACCESSIBLE:
            return _display(column, row) or (NOT_RECORDED if column != "notes" else "")
        if role == _MATCH:
            return column in self.matched_columns(index.row())
        return self._styling(column, row, index.row(), role)

    def _styling(self, column: str, row: tuple, row_number: int, role: int) -> Any:
        """Colours, font, alignment and the id: the roles that are not the cell's words."""
        if role == _BACKGROUND or role == _FOREGROUND:
            return self._color(column, row, row_number, role)
        if role == _FONT:
            matched = column in self.matched_columns(row_number)
            long = column == "duration_s" and row[_COL["duration_s"]] > LONG_DURATION_S
            return self._bold if matched or long else None
        if role == _ALIGNMENT and column in ("duration_s", "severity"):
            return _RIGHT
        if role == _USER:
            return row[_COL["id"]]
        return None

    def _color(self, column: str, row: tuple, row_number: int, role: int) -> QColor | None:
        background, text, muted = self._palette_colors()
        if column in self.matched_columns(row_number):
            return background if role == _BACKGROUND else text
        if role == _FOREGROUND and column != "notes":
            return muted if not _display(column, row) else None
        return None

    def _tooltip(self, column: str, row: tuple, row_number: int) -> str | None:
        if column == "notes":
            notes = row[_COL["notes"]]
            tip = notes[:2000] if notes else None
        else:
            tip = _display(column, row) or NOT_RECORDED
            if column == "duration_s" and row[_COL["duration_s"]] > LONG_DURATION_S:
                tip = f"{format_duration(row[_COL['duration_s']])}. {LONG_TIP}"
            elif column == "started_at":
                if row[_COL["time_approximate"]]:
                    tip = f"{tip}. {APPROXIMATE_TIP}"
                zone = _zone_tip(row[_COL["started_at"]])
                if zone:
                    tip = f"{tip}. {zone}"
        if column in self.matched_columns(row_number):
            return f"{MATCH_TIP}: {tip}" if tip else MATCH_TIP
        return tip

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
