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

import hashlib
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
    """Insert the rows ``blocks()`` gives (called twice: it reads them again) inside the
    caller's transaction, a block at a time; return how many were skipped as now in the diary.

    Ids from the file are kept first, so a new id can never take one still to come: the first
    pass writes the rows whose id is free, the second the rows that need a new one. Each row is
    checked against the diary as it was when the transaction began.
    """
    diary = DiaryIndex(conn)
    bulk = total >= BULK_ROWS and total >= _diary_size(conn) // 4
    rebuild = _drop_query_indexes(conn) if bulk else []
    plan = bytearray()
    done = 0
    for block in blocks():
        kinds = _plan_block(conn, diary, block)
        plan += kinds
        keep = [row for row, kind in zip(block, kinds, strict=True) if kind == _KEEP_ID]
        _insert(conn, keep, stamp, keep_id=True)
        done += len(block) - kinds.count(_NEW_ID)
        step(done, total)
    if _NEW_ID in plan:  # (our own export into an empty diary keeps every id: no second pass)
        start = 0
        for block in blocks():
            kinds = bytes(plan[start : start + len(block)])
            start += len(block)
            new = [row for row, kind in zip(block, kinds, strict=True) if kind == _NEW_ID]
            _insert(conn, new, stamp, keep_id=False)
            done += len(new)
            step(done, total)
    for sql in rebuild:  # the same indexes again, each built in one sorted pass
        conn.execute(sql)
    return plan.count(_SKIP)


BULK_ROWS = 20_000
# Indexes the insert itself needs: the uid's (a uid is kept only when free, and must stay
# unique) and the start's (DiaryIndex confirms a possible duplicate through it).
_KEPT_INDEXES = ("episode_uid", "episode_start_utc")


def _diary_size(conn: sqlite3.Connection) -> int:
    """From BULK_ROWS rows to add, and at least a quarter of the diary's size, dropping the
    indexes only queries use and building them again is cheaper than updating them per row."""
    count: int = conn.execute("SELECT COUNT(*) FROM episode").fetchone()[0]
    return count


def _drop_query_indexes(conn: sqlite3.Connection) -> list[str]:
    """Drop the episode table's indexes that only queries use, inside the caller's transaction,
    and return the statements that build them again, exactly as the diary defines them.

    A million imported rows updating eight indexes one row at a time, most of them in no useful
    order, take several times longer than sorting each index once at the end; a rollback (a
    cancel, a failure) puts the indexes back with everything else.
    """
    marks = ", ".join("?" * len(_KEPT_INDEXES))
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'episode' "
        f"AND sql IS NOT NULL AND name NOT IN ({marks}) ORDER BY name",
        _KEPT_INDEXES,
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
    for index, row in enumerate(block):
        if diary.contains_content(row[:n]):
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
    conn.executemany(
        f"INSERT INTO episode ({', '.join(IMPORT_COLUMNS)}) "
        f"VALUES ({', '.join('?' * len(IMPORT_COLUMNS))})",
        values,
    )


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
) -> tuple[int, int]:
    """Save imported rows in one transaction (all or none; an exception from ``step``, such as
    a cancel, rolls it back), skipping those now in the diary. Returns (added, skipped).

    A million rows go into a table with eight indexes, two of them (the id and the uid) in no
    useful order: with SQLite's usual 2 MB page cache nearly every insert reads pages again, so
    the cache is made IMPORT_CACHE_KIB larger for the import's duration."""
    conn = store.db
    usual = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")
    try:
        with store.transaction() as conn:
            skipped = insert_rows(conn, blocks, total, stamp, step)
    finally:
        conn.execute(f"PRAGMA cache_size = {int(usual)}")
    return total - skipped, skipped
