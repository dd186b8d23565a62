"""The importer's reads and writes: which episodes the diary already holds, and the insert.

An imported episode that equals one in the diary field by field (not its id or uid) is a
duplicate. Ids from the file are kept when free, so a diary moved to a new computer keeps
them; a file's uid (our own exports) is kept when no episode has it yet.

A million episodes do not fit in memory as Episode objects, so the importer works on stored
rows: ``content_row`` (an episode's stored content, as ``episode_params`` gives it) and
``ImportRow`` (that content plus id, uid and timestamps, what the insert writes). Equality of
content is found through ``content_digest``: a 128-bit BLAKE2b digest of the stored values,
which for the diary and the file alike is computed from exactly the values the insert would
store (two different episodes share one with a probability of about 2^-100 in the largest
import; nothing else in the program is that certain).
"""

from __future__ import annotations

import itertools
import marshal
import operator
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from tracker.diary.episode import BOOL_FIELDS, FIELD_NAMES, MULTI_FIELDS, Episode
from tracker.diary.vocab import MULTI_SEPARATOR
from tracker.store.rows import EPISODE_COLUMNS, episode_from_row, episode_params, taken_uids

if TYPE_CHECKING:
    from tracker.diary.checkin import CheckIn, Medicine
    from tracker.store.episodes import Store

_NEW_ID, _KEEP_ID, _SKIP = 0, 1, 2
# The stored content in the order episode_params gives it; then what only the insert needs.
CONTENT_COLUMNS = ("started_at", "start_utc", *FIELD_NAMES[1:])
IMPORT_COLUMNS = (*CONTENT_COLUMNS, "id", "uid", "created_at", "updated_at")
_ID, _UID, _CREATED, _UPDATED = (IMPORT_COLUMNS.index(c) for c in IMPORT_COLUMNS[-4:])
# An episode's content as stored, without the start: read in one call, then lists joined and
# yes/no made 0/1 at these positions (of the tuple, which starts at duration_s).
_AFTER_START = operator.attrgetter(*FIELD_NAMES[1:])
_JOINED = tuple(FIELD_NAMES[1:].index(name) for name in MULTI_FIELDS)
_FLAGS = tuple(FIELD_NAMES[1:].index(name) for name in BOOL_FIELDS)
_EPISODE_ORDER = tuple(
    IMPORT_COLUMNS.index(c) for c in EPISODE_COLUMNS
)  # an ImportRow in the order episode_from_row reads
BLOCK_ROWS = 2_000  # rows per executemany and per uid / id lookup
IMPORT_CACHE_KIB = 96_000  # SQLite's page cache while an import writes (usually 2,000 KiB)

ImportRow = tuple[Any, ...]  # values in IMPORT_COLUMNS order
Step = Callable[[int, int], None]  # (done, total): reports progress, may raise to cancel


def content_row(episode: Episode) -> tuple[Any, ...]:
    """``tuple(episode_params(episode).values())``, about twice as fast (called per row)."""
    started = episode.started_at
    if started.microsecond:
        started = started.replace(microsecond=0)
    values = list(_AFTER_START(episode))
    for index in _JOINED:
        values[index] = MULTI_SEPARATOR.join(values[index])
    for index in _FLAGS:
        values[index] = int(values[index])
    return (started.isoformat(), int(started.timestamp()), *values)


def content_digest(content: Sequence[Any]) -> bytes:
    """16 bytes that differ for episodes whose stored content differs (see the module's text).

    marshal version 0 writes each str, int and None in one way only (no sharing or interning
    marks), so equal values give equal bytes whatever objects hold them."""
    import hashlib  # lazily: not needed before an import

    return hashlib.blake2b(marshal.dumps(tuple(content), 0), digest_size=16).digest()


def import_row(episode: Episode, content: tuple[Any, ...]) -> ImportRow:
    uid = episode.uid if isinstance(episode.uid, str) else None
    return (*content, episode.id, uid, episode.created_at, episode.updated_at)


def episode_of_row(row: ImportRow) -> Episode:
    """The episode an ImportRow stores (what the preview lists as to be added)."""
    return episode_from_row([row[i] for i in _EPISODE_ORDER])


def diary_digests(store: Store, step: Step) -> set[bytes]:
    """The content digest of every episode in the diary (read once, in the table's order)."""
    conn = store.db
    total = conn.execute("SELECT COUNT(*) FROM episode").fetchone()[0]
    cursor = conn.execute(f"SELECT {', '.join(CONTENT_COLUMNS)} FROM episode")
    digests: set[bytes] = set()
    done = 0
    while rows := cursor.fetchmany(BLOCK_ROWS):
        digests.update(content_digest(row) for row in rows)
        done += len(rows)
        step(done, total)
    return digests


class DiaryIndex:
    """Finds episodes already in the diary: through the start index, so many rows at one
    moment never make an import quadratic; compared field by field on a match."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        rows = conn.execute("SELECT start_utc, duration_s FROM episode")
        self.starts = {hash(tuple(row)) for row in rows}
        self._match = " AND ".join(f"{column} IS ?" for column in CONTENT_COLUMNS)

    def contains(self, episode: Episode) -> bool:
        return self.contains_content(tuple(episode_params(episode).values()))

    def contains_content(self, content: Sequence[Any]) -> bool:
        """``content``: the stored values in CONTENT_COLUMNS order (``content_row``)."""
        if hash((content[1], content[2])) not in self.starts:
            return False
        found = self.conn.execute(
            f"SELECT 1 FROM episode WHERE start_utc = ? AND {self._match} LIMIT 1",
            (content[1], *content),
        )
        return found.fetchone() is not None


def insert_imported(conn: sqlite3.Connection, episodes: Sequence[Episode], stamp: str) -> int:
    """Insert the episodes not already in the diary, inside the caller's transaction; return
    how many were skipped as now in the diary (checked again: it may have changed meanwhile).
    """
    rows = [import_row(e, content_row(e)) for e in episodes]
    return insert_rows(conn, lambda: iter([rows]), len(rows), stamp, lambda done, total: None)


def insert_rows(
    conn: sqlite3.Connection,
    blocks: Callable[[], Iterator[list[ImportRow]]],
    total: int,
    stamp: str,
    step: Step,
) -> int:
    """Insert the rows ``blocks()`` gives (called again: it reads them again) inside the
    caller's transaction, a block at a time; return how many were skipped as now in the diary.

    Ids from the file are kept first, so a new id can never take one still to come: the first
    pass writes the rows whose id is free, the second the rows that need a new one. Each row is
    checked against the diary as it was when the transaction began.
    """
    return _insert_rows(conn, blocks, total, stamp, step, uid_index=True)


class _UidRepeated(Exception):
    """The file repeats a uid: its rows need the row-by-row uid checks (``insert_rows``)."""


def _insert_rows(
    conn: sqlite3.Connection,
    blocks: Callable[[], Iterator[list[ImportRow]]],
    total: int,
    stamp: str,
    step: Step,
    uid_index: bool,
) -> int:
    """``insert_rows``. A bulk import (``_bulk``) drops the indexes only queries use and, with
    ``uid_index`` False, the uid's, and builds them again at the end. Without the uid index a
    uid cannot be looked up per row, so the file's uids the diary already has are found first
    (``_uids_in_diary``) and left to the trigger; a file that repeats a uid of its own makes
    the unique index fail at the end: ``_UidRepeated`` tells the caller to roll back and do it
    all again with ``uid_index`` True (each row's uid checked as it is written)."""
    diary = DiaryIndex(conn)
    bulk = _bulk(conn, total)
    bulk_uid = bulk and not uid_index
    in_diary = _uids_in_diary(conn, blocks) if bulk_uid else None
    rebuild = _drop_indexes(conn, uid=bulk_uid) if bulk else []
    plan = bytearray()
    done = 0
    for block in blocks():
        kinds = _plan_block(conn, diary, block)
        if bulk_uid:
            clash = in_diary[len(plan) : len(plan) + len(block)] if in_diary is not None else None
            _execute_insert(conn, _rows_for_insert(block, kinds, clash, _KEEP_ID, stamp))
        else:
            keep = [row for row, kind in zip(block, kinds, strict=True) if kind == _KEEP_ID]
            _insert(conn, keep, stamp, keep_id=True)
        plan += kinds
        done += len(block) - kinds.count(_NEW_ID)
        step(done, total)
    if _NEW_ID in plan:  # (our own export into an empty diary keeps every id: no second pass)
        start = 0
        for block in blocks():
            kinds = bytes(plan[start : start + len(block)])
            if bulk_uid:
                clash = in_diary[start : start + len(block)] if in_diary is not None else None
                new = _rows_for_insert(block, kinds, clash, _NEW_ID, stamp)
                _execute_insert(conn, new)
            else:
                new = [row for row, kind in zip(block, kinds, strict=True) if kind == _NEW_ID]
                _insert(conn, new, stamp, keep_id=False)
            start += len(block)
            done += len(new)
            step(done, total)
    for sql in rebuild:  # the same indexes again, each built in one sorted pass
        try:
            conn.execute(sql)
        except sqlite3.IntegrityError as exc:  # only the uid's index is unique
            raise _UidRepeated from exc
    return plan.count(_SKIP)


BULK_ROWS = 20_000
# The index the insert itself needs: the start's (DiaryIndex confirms a possible duplicate
# through it; the rows come in about the order of their start, so it costs little).
_KEPT_INDEXES = ("episode_start_utc",)
_UID_INDEX = "episode_uid"


def _bulk(conn: sqlite3.Connection, total: int) -> bool:
    """From BULK_ROWS rows to add, and at least a quarter of the diary's size, dropping the
    indexes only queries use (and the uid's) and building them again is cheaper than updating
    them per row: a million uids, random by design, updated one by one took as long as all of
    the rest of the insert (the page cache cannot hold that index beside the table's pages)."""
    if total < BULK_ROWS:
        return False
    count: int = conn.execute("SELECT COUNT(*) FROM episode").fetchone()[0]
    return total >= count // 4


def _uids_in_diary(
    conn: sqlite3.Connection, blocks: Callable[[], Iterator[list[ImportRow]]]
) -> bytearray | None:
    """For each row of ``blocks()``: 1 if an episode in the diary has its uid (looked up
    through the uid index, before it is dropped), else 0; None for an empty diary (no row's)."""
    if not conn.execute("SELECT EXISTS (SELECT 1 FROM episode)").fetchone()[0]:
        return None
    found = bytearray()
    for block in blocks():
        taken = taken_uids(conn, (row[_UID] for row in block))
        found += bytes([row[_UID] in taken for row in block])
    return found


def _rows_for_insert(
    block: list[ImportRow], kinds: bytes, clash: bytearray | None, kind: int, stamp: str
) -> list[ImportRow]:
    """The values the insert writes for the rows of a bulk import's block planned as ``kind``:
    the row itself when it keeps its id and has its timestamps (our own exports), else with
    them filled in; a uid the diary has (``clash``; None: none has) is left to the trigger."""
    keep_id = kind == _KEEP_ID
    values = []
    for row, planned, taken in zip(block, kinds, clash or bytes(len(block)), strict=True):
        if planned != kind:
            continue
        if keep_id and not taken and row[_CREATED] and row[_UPDATED]:
            values.append(row)
            continue
        values.append(
            (
                *row[:_ID],
                row[_ID] if keep_id else None,
                None if taken else row[_UID],
                row[_CREATED] or stamp,
                row[_UPDATED] or stamp,
            )
        )
    return values


def _drop_indexes(conn: sqlite3.Connection, uid: bool) -> list[str]:
    """Drop the episode table's indexes that only queries use (and the uid's when ``uid``),
    inside the caller's transaction, and return the statements that build them again, exactly
    as the diary defines them (the uid's last: when it fails, the caller rolls back).

    A million imported rows updating eight indexes one row at a time, most of them in no useful
    order, take several times longer than sorting each index once at the end; a rollback (a
    cancel, a failure) puts the indexes back with everything else.
    """
    kept = _KEPT_INDEXES if uid else (*_KEPT_INDEXES, _UID_INDEX)
    marks = ", ".join("?" * len(kept))
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'episode' "
        f"AND sql IS NOT NULL AND name NOT IN ({marks}) ORDER BY name = ?, name",
        (*kept, _UID_INDEX),
    ).fetchall()
    for name, _ in rows:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in rows]


def _plan_block(conn: sqlite3.Connection, diary: DiaryIndex, block: list[ImportRow]) -> bytes:
    """For each row: keep its id, give it a new one, or skip it (now in the diary). Rows of
    earlier blocks are in the table already, so their ids count as taken."""
    wanted = [row[_ID] for row in block if row[_ID] is not None]
    taken = _taken_ids(conn, wanted)
    kinds = bytearray(len(block))
    n = len(CONTENT_COLUMNS)
    check = diary.contains_content if diary.starts else None  # an empty diary has none
    for index, row in enumerate(block):
        if check is not None and check(row[:n]):
            kinds[index] = _SKIP
        elif row[_ID] is not None and row[_ID] not in taken:
            taken.add(row[_ID])
            kinds[index] = _KEEP_ID
    return bytes(kinds)


def _taken_ids(conn: sqlite3.Connection, ids: list[int]) -> set[int]:
    found: set[int] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        found.update(
            r[0] for r in conn.execute(f"SELECT id FROM episode WHERE id IN ({marks})", chunk)
        )
    return found


_INSERT_SQL = (
    f"INSERT INTO episode ({', '.join(IMPORT_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(IMPORT_COLUMNS))})"
)


def _execute_insert(conn: sqlite3.Connection, values: list[ImportRow]) -> None:
    if values:
        conn.executemany(_INSERT_SQL, values)


def _insert(conn: sqlite3.Connection, rows: list[ImportRow], stamp: str, keep_id: bool) -> None:
    """One executemany; a uid is kept when no episode (in the diary, or written before in this
    import) has it, else the diary's trigger gives a fresh one."""
    if not rows:
        return
    used = taken_uids(conn, (row[_UID] for row in rows))
    values = []
    for row in rows:
        uid = row[_UID]
        if uid is not None:
            if uid in used:
                uid = None
            else:
                used.add(uid)
        values.append(
            (
                *row[: len(CONTENT_COLUMNS)],
                row[_ID] if keep_id else None,
                uid,
                row[_CREATED] or stamp,
                row[_UPDATED] or stamp,
            )
        )
    _execute_insert(conn, values)


def chain_blocks(rows: Iterable[ImportRow]) -> Iterator[list[ImportRow]]:
    """Rows in lists of BLOCK_ROWS."""
    iterator = iter(rows)
    while block := list(itertools.islice(iterator, BLOCK_ROWS)):
        yield block


def add_import_rows(
    store: Store,
    blocks: Callable[[], Iterator[list[ImportRow]]],
    total: int,
    stamp: str,
    step: Step,
    also: Callable[[sqlite3.Connection], object] | None = None,
) -> tuple[int, int]:
    """Save imported rows in one transaction (all or none; an exception from ``step``, such as
    a cancel, rolls it back), skipping those now in the diary. Returns (added, skipped).

    A big import (``_bulk``) first tries with the uid index dropped and built again at the
    end; a file that repeats a uid makes that fail, and it is done again, rolled back first,
    checking each row's uid (the same result, slower). The id's order is the file's, not the
    table's: with SQLite's usual 2 MB page cache nearly every insert would read pages again, so
    the cache is made IMPORT_CACHE_KIB larger for the import's duration."""
    conn = store.db
    usual = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")
    try:
        try:
            with store.transaction() as conn:
                skipped = _insert_rows(conn, blocks, total, stamp, step, uid_index=False)
                if also is not None:  # check-ins and medicines, in the same transaction
                    also(conn)
        except _UidRepeated:  # rolled back: again, checking each row's uid as it goes
            with store.transaction() as conn:
                skipped = _insert_rows(conn, blocks, total, stamp, step, uid_index=True)
                if also is not None:
                    also(conn)
    finally:
        conn.execute(f"PRAGMA cache_size = {int(usual)}")
    return total - skipped, skipped


# ----------------------------------------------------------------- check-ins and medicines
def insert_new_checkins(conn: sqlite3.Connection, items: Iterable[CheckIn], stamp: str) -> int:
    """Inside the caller's transaction: the check-ins of days the diary has none of (a day it
    has keeps its own answers); returns how many were written."""
    from tracker.store import checkins as checkin_rows  # lazily: not before the first paint

    return checkin_rows.insert_checkins(conn, items, stamp, replace=False)


def medicine_key(medicine: Medicine) -> tuple[str, str, str]:
    """What makes two entries of the medicine list the same one on import."""
    return (medicine.name.strip(), medicine.kind, medicine.started_on.isoformat())


def insert_new_medicines(conn: sqlite3.Connection, items: Iterable[Medicine], stamp: str) -> int:
    """Inside the caller's transaction: the medicines not in the list yet (same name, kind and
    start date as one there: skipped); returns how many were added."""
    from tracker.store import checkins as checkin_rows  # lazily: not before the first paint

    known = {medicine_key(m) for m in checkin_rows.medicines(conn)}
    added = 0
    for medicine in items:
        key = medicine_key(medicine)
        if key in known:
            continue
        known.add(key)
        checkin_rows.insert_medicine(conn, medicine, stamp)
        added += 1
    return added
