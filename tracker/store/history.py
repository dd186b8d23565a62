"""The history's SQL: which episodes a HistoryFilter shows, in which order, and search."""

from __future__ import annotations

import binascii
import sqlite3
import sys
import threading
import time
from array import array
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.diary import vocab
from tracker.diary.episode import FIELDS
from tracker.diary.periods import Period
from tracker.store.opening import open_reader_beside
from tracker.store.period_sql import period_clauses
from tracker.store.rows import split_codes

if TYPE_CHECKING:
    from tracker.store.episodes import Store

# Columns the history may be sorted by, mapped to SQL (whitelisted: never format user text in).
# Choices sort by the label people read (lists by their first choice), and "not recorded"
# sorts last in both directions: see _order_sql.
SORT_KEYS = {
    "started_at": "start_utc",
    "duration_s": "duration_s",
    "side": "side",
    "site": "site",
    "severity": "severity",
    "activity": "activity",
    "footwear": "footwear",
    "hydration": "hydration",
    "relief": "relief",
    "context": "context",
    "warning_signs": "warning_signs",
    "notes": "notes",
}

# Vocabularies the history sorts and searches by label. A code matches a search word when the
# label people see contains it, so "walk" finds activity and relief "Walking".
SINGLE_CHOICES = {f.name: f.vocabulary for f in FIELDS if f.kind == "single" and f.vocabulary}
MULTI_CHOICES = {f.name: f.vocabulary for f in FIELDS if f.kind == "multi" and f.vocabulary}
TIGHT_WORD = "tight"  # the history shows a tight shoe as "(tight)" after the footwear
MAX_SEARCH_WORDS = 16  # more words than this in the search box are ignored

# History filter values. NOT_RECORDED_CODE selects episodes where the person did not say.
NOT_RECORDED_CODE = "not_recorded"
SEVERITY_BANDS = vocab.SEVERITY_BANDS
SITE_AREAS = {  # the areas of the quick form; "toes" covers every toe
    "toes": ("toes", *vocab.TOE_SITES),
    **{code: (code,) for code in vocab.SITES if code != "toes" and code not in vocab.TOE_SITES},
}


@dataclass(frozen=True)
class HistoryFilter:
    """What the history shows. Dates are this machine's local calendar dates, inclusive.

    ``text`` is searched word by word: an episode is shown when every word is found in its
    notes or in the label of one of its choices (case-insensitive, % and _ taken literally).
    """

    date_from: str | None = None  # "YYYY-MM-DD"
    date_to: str | None = None
    text: str = ""
    severity_band: str | None = None  # a SEVERITY_BANDS key, or NOT_RECORDED_CODE
    site_area: str | None = None  # a SITE_AREAS key, or NOT_RECORDED_CODE
    activity: str | None = None  # an activity code, or NOT_RECORDED_CODE

    @property
    def period(self) -> Period:
        """The dates shown, as days of this machine's clock."""
        first = date.fromisoformat(self.date_from) if self.date_from else None
        last = date.fromisoformat(self.date_to) if self.date_to else None
        return Period(first, last)

    @property
    def is_active(self) -> bool:
        """Whether anything is hidden by this filter."""
        return bool(
            self.date_from
            or self.date_to
            or self.text.strip()
            or self.severity_band
            or self.site_area
            or self.activity
        )


def history_sql(
    columns: str, flt: HistoryFilter, sort_key: str, descending: bool
) -> tuple[str, list[object]]:
    where, params = _filter_sql(flt)
    order, order_params = _order_sql(sort_key, "DESC" if descending else "ASC")
    sql = f"SELECT {columns} FROM episode"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return f"{sql} ORDER BY {order}", params + order_params


def first_history_ids(
    store: Store, flt: HistoryFilter, sort_key: str, descending: bool, limit: int
) -> array[int]:
    """The first ``limit`` ids in history order: what fills the screen before the rest.

    Without a filter, in the start-up order (newest first), this walks the start index and
    stops after ``limit`` rows: about a millisecond at any size. Other orders and filters may
    read the whole table: call them from a worker (HistoryIdReader)."""
    sql, params = history_sql("id", flt, sort_key, descending)
    return array("q", (row[0] for row in store.db.execute(f"{sql} LIMIT ?", [*params, limit])))


IdBlock = Callable[["array[int]"], None]
UNPACK_IDS = 50_000  # ids unpacked per step of a full read: the GIL is let go between steps
# Every id of a read as one value: 16 hex digits each (two's complement), in the subquery's
# order. SQLite never flattens an ORDER BY subquery into an aggregate (its flattening rule 16),
# so the ids arrive in order; tests/ui/history/test_history_background.py compares it with the
# plain query for every order.
_PACKED_IDS = "CAST(group_concat(printf('%016x', id), '') AS BLOB)"


class HistoryIdReader:
    """Reads the history's ids, in order, on a read-only connection of its own: for a worker
    thread while the app's Store stays on the UI thread. ``cancel`` (from any thread) stops it
    at once (SQLite's interrupt); the read then returns None.

    The full read is one SQL value (every id packed, see _PACKED_IDS): SQLite sorts and packs
    them without the GIL, and unpacking is a few C calls with the GIL let go between them, so
    the reader holds the GIL for well under a millisecond at a time instead of building a
    Python tuple per row. That matters because the app runs it at a lower priority
    (ui/history/id_thread.py): a low-priority thread holding the GIL would hold up the UI.

    Ids are kept in an ``array('q')``: 8 bytes each, a million in 8 MB (a list of int objects
    costs 36 MB)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._cancelled = False

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            if self._conn is not None:
                self._conn.interrupt()

    def _unpack(self, packed: bytes) -> array[int] | None:
        """The ids of one packed value, a step at a time, letting other threads run between
        steps (the UI thread waits for the GIL otherwise); None when cancelled meanwhile."""
        ids: array[int] = array("q")
        view = memoryview(packed)
        step = UNPACK_IDS * 16
        for start in range(0, len(view), step):
            if self._cancelled:
                return None
            ids.frombytes(binascii.unhexlify(view[start : start + step]))
            time.sleep(0)  # let the GIL go
        if sys.byteorder == "little":
            ids.byteswap()  # the hex digits are big-endian
        return ids

    def read(
        self,
        flt: HistoryFilter,
        sort_key: str,
        descending: bool,
        first: int = 0,
        on_first: IdBlock | None = None,
    ) -> array[int] | None:
        """Every id ``flt`` shows, in order; None when cancelled. With ``first``, the first
        ``first`` ids are read on their own and given to ``on_first`` before the rest is read
        (they are the start of the result); a diary with no more than that is read once."""
        conn = open_reader_beside(self.path)
        with self._lock:
            if self._cancelled:
                conn.close()
                return None
            self._conn = conn
        try:
            sql, params = history_sql("id", flt, sort_key, descending)
            if first > 0:
                head = array("q", (r[0] for r in conn.execute(f"{sql} LIMIT ?", [*params, first])))
                if on_first is not None and not self._cancelled:
                    on_first(head)
                if len(head) < first:
                    return None if self._cancelled else head
            packed = conn.execute(f"SELECT {_PACKED_IDS} FROM ({sql})", params).fetchone()[0]
            return None if self._cancelled else self._unpack(packed or b"")
        except sqlite3.OperationalError:
            if self._cancelled:  # "interrupted": the cancel, not a fault
                return None
            raise
        finally:
            with self._lock:
                self._conn = None
            conn.close()


_BLANK = "char(32, 9, 10, 13)"  # what trim() removes from notes before sorting them


def _order_sql(sort_key: str, direction: str) -> tuple[str, list[object]]:
    """ORDER BY terms: not recorded last (both directions), then the value, then the instant."""
    missing, values, params = _order_terms(sort_key, direction)
    terms = [f"{value} {direction}" for value in (*values, "start_utc", "id")]
    if missing:
        terms.insert(0, f"{missing} ASC")
    return ", ".join(terms), params


def _order_terms(sort_key: str, direction: str) -> tuple[str | None, list[str], list[object]]:
    """(the "not recorded" test sorted ASC or None, the value expressions, their parameters)."""
    column = SORT_KEYS.get(sort_key)
    if column is None:
        raise ValueError(f"cannot sort by {sort_key!r}")
    params: list[object] = []
    missing: str | None
    if sort_key in SINGLE_CHOICES:
        missing = f"{column} IS NULL"
        values = [_label_rank_sql(column, SINGLE_CHOICES[sort_key], params)]
    elif sort_key in MULTI_CHOICES:
        missing = f"{column} = ''"
        first = f"substr({column}, 1, instr({column} || ';', ';') - 1)"
        values = [_label_rank_sql(first, MULTI_CHOICES[sort_key], params), column]
    elif sort_key == "notes":
        missing = f"trim(notes, {_BLANK}) = ''"
        values = [f"ltrim(notes, {_BLANK}){_NOCASE}"]
    elif sort_key == "severity":
        # descending, NULL (not recorded) sorts last by itself: the plain index gives the order
        missing, values = (None if direction == "DESC" else "severity IS NULL"), [column]
    elif sort_key == "duration_s":  # always recorded
        missing, values = None, [column]
    else:  # the start: always recorded, and the instant is the tie-break anyway
        missing, values = None, []
    return missing, values, params


_NOCASE = " COLLATE NOCASE"


def order_key_sql(sort_key: str, descending: bool) -> tuple[str, list[object], tuple[bool, ...]]:
    """SELECT terms giving, for one episode, the values its place in the history depends on:
    (the "not recorded" test, each ORDER BY value, start_utc, id), their parameters, and which
    of them compare ignoring ASCII case (NOCASE). ``OrderKey`` compares them as SQLite does."""
    missing, values, params = _order_terms(sort_key, "DESC" if descending else "ASC")
    terms = [missing or "0", *values, "start_utc", "id"]
    nocase = tuple(term.endswith(_NOCASE) for term in terms)
    return ", ".join(t.removesuffix(_NOCASE) for t in terms), params, nocase


class OrderKey:
    """One episode's place in the history's order: ``a < b`` when a is shown above b.

    Built from the values order_key_sql selects, compared by SQLite's rules: NULL before
    numbers before text, text by code point (UTF-8 byte order), NOCASE folding ASCII letters.
    The "not recorded" test sorts ascending in both directions, the other terms follow the
    direction; the id makes every key distinct.
    """

    __slots__ = ("values", "descending")

    def __init__(self, row: Iterable[object], nocase: tuple[bool, ...], descending: bool):
        values = [_sqlite_sortable(v, fold) for v, fold in zip(row, nocase, strict=True)]
        if descending:  # the "not recorded" test is ascending: flip it to follow the rest
            rank, missing = values[0]
            values[0] = (rank, -missing) if isinstance(missing, int) else (rank, missing)
        self.values = tuple(values)
        self.descending = descending

    def __lt__(self, other: OrderKey) -> bool:
        if self.descending:
            return other.values < self.values
        return self.values < other.values

    def __eq__(self, other: object) -> bool:
        return isinstance(other, OrderKey) and self.values == other.values

    def __hash__(self) -> int:
        return hash(self.values)

    def __repr__(self) -> str:
        return f"OrderKey({self.values!r}, descending={self.descending})"


def _sqlite_sortable(value: object, fold: bool) -> tuple[int, object]:
    if value is None:
        return (0, 0)
    if isinstance(value, str):
        return (2, _fold(value) if fold else value)
    if isinstance(value, bytes):
        return (3, value)
    return (1, value)


def _label_rank_sql(expression: str, vocabulary: Mapping[str, str], params: list[object]) -> str:
    """A CASE giving each code its place in the alphabetical order of the labels."""
    ordered = sorted(vocabulary, key=lambda code: (vocabulary[code].casefold(), code))
    params.extend(ordered)
    cases = " ".join(f"WHEN ? THEN {rank}" for rank in range(len(ordered)))
    return f"CASE {expression} {cases} ELSE {len(ordered)} END"


def filter_sql(flt: HistoryFilter) -> tuple[list[str], list[object]]:
    """The WHERE terms (joined by AND) and their parameters that ``flt`` shows."""
    return _filter_sql(flt)


def _filter_sql(flt: HistoryFilter) -> tuple[list[str], list[object]]:
    # Dates become instants, so the period uses the start_utc index instead of a full scan.
    where, params = period_clauses(flt.period, machine_days=True)
    if flt.severity_band == NOT_RECORDED_CODE:
        where.append("severity IS NULL")
    elif flt.severity_band:
        if flt.severity_band not in SEVERITY_BANDS:
            raise ValueError(f"unknown severity band {flt.severity_band!r}")
        # with dates, the period (on the start index) bounds it better than a band of severities
        # (unary + keeps SQLite from choosing the severity index for it)
        where.append(f"{'+' if where else ''}severity BETWEEN ? AND ?")
        params.extend(SEVERITY_BANDS[flt.severity_band])
    if flt.site_area == NOT_RECORDED_CODE:
        where.append("site = ''")
    elif flt.site_area:
        if flt.site_area not in SITE_AREAS:
            raise ValueError(f"unknown site area {flt.site_area!r}")
        where.append(_contains_any_sql("site", SITE_AREAS[flt.site_area], params))
    if flt.activity == NOT_RECORDED_CODE:
        where.append("activity IS NULL")
    elif flt.activity:
        if flt.activity not in vocab.ACTIVITIES:
            raise ValueError(f"unknown activity {flt.activity!r}")
        where.append("activity = ?")
        params.append(flt.activity)
    for word in search_words(flt.text):
        where.append(_word_sql(word, params))
    return where, params


def _contains_any_sql(column: str, codes: Iterable[str], params: list[object]) -> str:
    """Whether a ';'-joined list column holds any of ``codes`` (whole codes, not substrings).

    The plain instr() first skips most rows before the cost of building ';' || column || ';'.
    """
    tests = []
    for code in codes:
        tests.append(f"(instr({column}, ?) > 0 AND instr(';' || {column} || ';', ?) > 0)")
        params.extend((code, f";{code};"))
    return "(" + " OR ".join(tests) + ")"


_ASCII_FOLD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _fold(text: str) -> str:
    """Lower-case ASCII letters only: the case-insensitivity of SQLite's LIKE."""
    return text.translate(_ASCII_FOLD)


def search_words(text: str) -> tuple[str, ...]:
    """The distinct words of a search, folded the way LIKE compares them."""
    return tuple(dict.fromkeys(_fold(text).split()))[:MAX_SEARCH_WORDS]


@lru_cache(maxsize=512)
def codes_matching(word: str, field: str) -> tuple[str, ...]:
    """Codes of ``field`` whose label contains ``word`` (already folded by search_words)."""
    vocabulary = SINGLE_CHOICES.get(field) or MULTI_CHOICES[field]
    return tuple(code for code, label in vocabulary.items() if word in _fold(label))


def _word_sql(word: str, params: list[object]) -> str:
    """One search word: found in the notes or in the label of any recorded choice."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    tests = ["notes LIKE ? ESCAPE '\\'"]
    params.append(f"%{escaped}%")
    for field in SINGLE_CHOICES:
        codes = codes_matching(word, field)
        if codes:
            tests.append(f"{field} IN ({', '.join('?' * len(codes))})")
            params.extend(codes)
    for field in MULTI_CHOICES:
        codes = codes_matching(word, field)
        if codes:
            tests.append(_contains_any_sql(field, codes, params))
    if word in TIGHT_WORD:
        tests.append("(footwear_tight = 1 AND footwear IS NOT NULL)")
    return "(" + " OR ".join(tests) + ")"


def search_matches(text: str, values: Mapping[str, object]) -> frozenset[str]:
    """The fields of one stored row (column name -> stored value) where a search word is found.

    The same rules as the SQL, in Python, so the history can show which cells matched. A row is
    in the results when each word is found somewhere; this names every field any word hit.
    """
    found: set[str] = set()
    for word in search_words(text):
        if word in _fold(str(values.get("notes") or "")):
            found.add("notes")
        for field in SINGLE_CHOICES:
            if values.get(field) is not None and values[field] in codes_matching(word, field):
                found.add(field)
        for field in MULTI_CHOICES:
            codes = split_codes(str(values.get(field) or ""))
            if set(codes) & set(codes_matching(word, field)):
                found.add(field)
        if word in TIGHT_WORD and values.get("footwear_tight") and values.get("footwear"):
            found.add("footwear_tight")
    return frozenset(found)
