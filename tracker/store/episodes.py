"""The Store: an open diary, its transactions and every read and write of single episodes.

Queries for whole periods live beside it: history.py (the history list), pattern_queries.py,
report_queries.py, export_queries.py and import_writes.py. Each save is one transaction.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.diary.episode import Episode, ValidationError, validate
from tracker.store import settings
from tracker.store.copies import count_episodes
from tracker.store.history import HistoryFilter, OrderKey, filter_sql, history_sql, order_key_sql
from tracker.store.import_writes import DiaryIndex, insert_imported
from tracker.store.opening import (
    CorruptDatabaseError,
    EpisodeNotFoundError,
    StoreError,
    _connect_reader,
    _describe,
    clean_leftovers,
    describe_sqlite_error,
    forget_clean_close,
    mark_closed_cleanly,
    open_for_reading,
    open_for_writing,
    release_lock,
)
from tracker.store.pattern_queries import EpisodeFacts, episode_facts
from tracker.store.rows import (
    EPISODE_SELECT,
    episode_from_row,
    episode_params,
    fresh_uids,
    new_uid,
    now_utc,
    split_codes,
)

DIARY_UID = "diary_uid"  # setting: this diary's stable UUID (migration 4)
JOURNAL_KEEP = 256  # write transactions whose episode changes are remembered
# One episode's change: its facts before (None: added) and after (None: deleted).
Change = tuple[EpisodeFacts | None, EpisodeFacts | None]
SHOW_ALL = HistoryFilter()  # the history with nothing hidden


def integrity_problem(path: str | os.PathLike[str]) -> str | None:
    """Check the whole diary at ``path`` (quick_check) through a read-only connection of its
    own, for a worker thread while the app has it open: the message for the person when it is
    damaged (the same words an open would refuse it with), else None. Other problems (it is
    gone, or busy) are left to the next save or open to report."""
    try:
        conn = open_for_reading(Path(path).expanduser().absolute(), integrity=True)
    except CorruptDatabaseError as exc:
        return str(exc)
    except StoreError:
        return None
    conn.close()
    return None


if TYPE_CHECKING:
    from tracker.diary.checkin import CheckIn, Medicine

_TOKENS = itertools.count(1)  # one per Store opened in this process (state_key)


class Store:
    """An open database file. Use ``Store.open``; close it (or use ``with``) when done."""

    def __init__(
        self, path: Path, conn: sqlite3.Connection, lock_fd: int | None, readonly: bool
    ) -> None:
        self.path = path
        # Open while not None; only the modules of tracker.store use it (through ``db``).
        self.conn: sqlite3.Connection | None = conn
        self._lock_fd = lock_fd
        self.readonly = readonly
        # Whether opening ran quick_check; if not, the app checks in the background
        # (integrity_problem) once it is on screen.
        self.checked_on_open = True
        self._damaged = False  # a background check found damage: never mark it closed cleanly
        # Bumped by every write transaction. A single-episode write records what it changed, so
        # that Patterns can update its counts by that change instead of aggregating again.
        self.revision = 0
        self._journal: dict[int, list[Change]] = {}
        self._token = next(_TOKENS)
        # Bumped by every write of check-ins or medicines (which never touch ``revision`` or
        # the episode journal), and when the whole file may have changed (reopen, a worker's
        # writes): a page showing check-ins reads again when it differs from what it saw.
        self.checkin_revision = 0

    # ----------------------------------------------------------------- opening and closing
    @classmethod
    def open(cls, path: str | os.PathLike[str], *, readonly: bool = False) -> Store:
        """Open (creating if needed) the database at ``path``.

        Raises a StoreError subclass with a message naming the file and what to do. A file that
        is refused is left byte-for-byte as it was, and so are its -wal, -shm and -journal: every
        check before the file is accepted reads without writing (see tracker.store.opening), and
        only then is the read-write connection opened.
        """
        path = Path(path).expanduser().absolute()
        if readonly:
            return cls(path, open_for_reading(path), None, readonly=True)
        conn, lock_fd, checked = open_for_writing(path)
        store = cls(path, conn, lock_fd, readonly=False)
        store.checked_on_open = checked
        # With the lock held, nothing else writes beside this diary: remove what killed runs left
        # (half-written copies, exports and restores).
        with contextlib.suppress(OSError):
            clean_leftovers(path, locked=True)
        return store

    def for_worker(self) -> Store:
        """A read-write connection of its own to this open diary, for one worker thread (SQLite
        connections do not cross threads). It shares this Store's lock, so close it before this
        Store; it never marks the file closed cleanly. Its writes are not in this Store's
        journal: call ``written_elsewhere`` on this Store once they are committed."""
        from tracker.store.migrations import LATEST_VERSION
        from tracker.store.opening import _connect_checked

        if self.readonly or self.conn is None:
            raise StoreError(f"{_describe(self.path)} is open read-only or closed: nothing saved.")
        return Store(self.path, _connect_checked(self.path, LATEST_VERSION), None, readonly=False)

    def written_elsewhere(self) -> None:
        """Another connection (a worker's) changed episodes: ``changes_since`` says it does not
        know what changed, so every page reads again."""
        self._committed(None)
        self.checkin_revision += 1

    def reopen(self) -> None:
        """Open this Store's file again for writing (after ``close``), taking its lock anew: a
        restore that could not swap the file in leaves the caller's Store usable."""
        fresh = Store.open(self.path)
        self.conn, self._lock_fd = fresh.conn, fresh._lock_fd
        self.checked_on_open, self._damaged = fresh.checked_on_open, False
        self._committed(None)  # the file may have been replaced: changes unknown
        self.checkin_revision += 1
        fresh.conn, fresh._lock_fd = None, None

    def checkpoint(self) -> None:
        """Fold the -wal into the file and empty it (before the file is replaced)."""
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    @property
    def db(self) -> sqlite3.Connection:
        """The open connection, for the query modules of tracker.store only."""
        if self.conn is None:
            raise StoreError(f"{_describe(self.path)} is closed.")
        return self.conn

    def reader(self) -> Store:
        """A read-only Store on this same file, for another thread (a connection must not
        cross threads). This Store's open checked the file, so the reader runs no check again:
        ``Store.open(path, readonly=True)`` runs the full quick_check while the app has the file
        open (0.33 s at 1M episodes), which Patterns and the doctor banner paid per save."""
        return Store(self.path, _connect_reader(self.path, in_use=True), None, readonly=True)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None
            if not self.readonly and self._lock_fd is not None and not self._damaged:
                mark_closed_cleanly(self.path)  # lock still held: nothing else writes it
        release_lock(self._lock_fd)
        self._lock_fd = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def mark_damaged(self) -> None:
        """A check found this diary damaged: the next open checks it again, whatever happens."""
        self._damaged = True
        if not self.readonly:
            forget_clean_close(self.path)

    @property
    def is_open(self) -> bool:
        """True while the connection is open."""
        return self.conn is not None

    @property
    def schema_version(self) -> int:
        version: int = self.db.execute("PRAGMA user_version").fetchone()[0]
        return version

    def _committed(self, changes: list[Change] | None) -> None:
        """Count a write; ``changes``: the episodes it changed, None when not known."""
        self.revision += 1
        if changes is not None:
            self._journal[self.revision] = changes
        self._journal.pop(self.revision - JOURNAL_KEEP, None)

    def state_key(self) -> tuple[int, int]:
        """A value naming what this diary holds now: it changes with every write, and two open
        Stores (another diary, or the same file restored) never share one. Workers key an answer
        they share on it (``doctor_rules.alerts_now``)."""
        return (self._token, self.revision)

    def changes_since(self, revision: int) -> list[Change] | None:
        """Every episode change made after ``revision`` (a value of ``self.revision``), in
        order; None when some write since then did not say what it changed (an import, a bulk
        add, a restore) or is no longer remembered: then only reading everything again will do.
        """
        if revision > self.revision:
            return None
        out: list[Change] = []
        for number in range(revision + 1, self.revision + 1):
            changes = self._journal.get(number)
            if changes is None:
                return None
            out += changes
        return out

    @contextlib.contextmanager
    def transaction(
        self, changes: list[Change] | None = None, *, checkins_only: bool = False
    ) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work: all of it is written, or none of it.

        ``changes``: a list the caller fills with the episodes it changes (see
        ``changes_since``); leave it None for writes that do not say. ``checkins_only``: the
        work writes check-ins or medicines and no episode: it counts in ``checkin_revision``
        and leaves ``revision`` and the episode journal alone.
        """
        conn = self.db
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            if checkins_only:
                self.checkin_revision += 1
            else:
                self._committed(changes)
        except sqlite3.IntegrityError:
            raise
        except sqlite3.Error as exc:
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            reason = describe_sqlite_error(exc, default="")
            if reason:
                message = (
                    f"Could not save to {_describe(self.path)}: {reason}. Nothing was changed."
                )
            else:
                message = (
                    f"Could not save to {_describe(self.path)} ({exc}). Nothing was changed. "
                    "Check that the disk is not full and the file is writable, then try again."
                )
            raise StoreError(message) from exc

    # ----------------------------------------------------------------- episodes
    def add_episode(self, episode: Episode, *, now: datetime | None = None) -> Episode:
        """Validate and save a new episode; return it with its id and timestamps."""
        validate(episode, now)
        params = episode_params(episode)
        params["created_at"] = params["updated_at"] = stamp = now_utc()
        params["id"] = episode.id
        changes: list[Change] = []
        with self.transaction(changes) as conn:
            [params["uid"]] = fresh_uids(conn, [episode])
            cur = conn.execute(
                f"INSERT INTO episode (id, {', '.join(k for k in params if k != 'id')}) "
                f"VALUES (:id, {', '.join(':' + k for k in params if k != 'id')})",
                params,
            )
            changes.append((None, episode_facts(conn, cur.lastrowid)))
        return episode.replace(
            id=cur.lastrowid,
            uid=params["uid"],
            started_at=episode.started_at.replace(microsecond=0),
            created_at=stamp,
            updated_at=stamp,
        )

    def add_episodes(self, episodes: Iterable[Episode], *, now: datetime | None = None) -> int:
        """Validate and save many new episodes in one transaction (all or none); return count."""
        now = now or datetime.now().astimezone()
        stamp = now_utc()
        rows, accepted = [], []
        for episode in episodes:
            validate(episode, now)
            rows.append({**episode_params(episode), "created_at": stamp, "updated_at": stamp})
            accepted.append(episode)
        if rows:
            with self.transaction() as conn:
                for row, uid in zip(rows, fresh_uids(conn, accepted), strict=True):
                    row["uid"] = uid
                columns = list(rows[0])
                conn.executemany(
                    f"INSERT INTO episode ({', '.join(columns)}) "
                    f"VALUES ({', '.join(':' + c for c in columns)})",
                    rows,
                )
        return len(rows)

    def import_index(self) -> DiaryIndex:
        """What the importer asks "is this episode already in the diary?"."""
        return DiaryIndex(self.db)

    def add_imported(self, episodes: Sequence[Episode], stamp: str) -> tuple[int, int]:
        """Save imported episodes in one transaction (all or none), skipping those now in the
        diary; ``stamp`` is their created/updated time when the file gave none. Returns
        (added, skipped)."""
        with self.transaction() as conn:
            skipped = insert_imported(conn, episodes, stamp)
        return len(episodes) - skipped, skipped

    def restore_episode(self, episode: Episode) -> Episode:
        """Put back a deleted episode under its old id, uid and timestamps (used by Undo)."""
        params = episode_params(episode)
        params.update(id=episode.id, created_at=episode.created_at, updated_at=episode.updated_at)
        params["uid"] = episode.uid  # None (an episode from before uids): the trigger gives one
        changes: list[Change] = []
        with self.transaction(changes) as conn:
            cur = conn.execute(
                f"INSERT INTO episode ({', '.join(params)}) "
                f"VALUES ({', '.join(':' + k for k in params)})",
                params,
            )
            changes.append((None, episode_facts(conn, cur.lastrowid)))
        return episode

    def update_episode(self, episode: Episode, *, now: datetime | None = None) -> Episode:
        if episode.id is None:
            raise EpisodeNotFoundError("Cannot update an episode that was never saved.")
        validate(episode, now)
        params = episode_params(episode)
        params["updated_at"] = now_utc()
        params["id"] = episode.id
        assignments = ", ".join(f"{k} = :{k}" for k in params if k != "id")
        changes: list[Change] = []
        with self.transaction(changes) as conn:
            before = episode_facts(conn, episode.id)
            cur = conn.execute(f"UPDATE episode SET {assignments} WHERE id = :id", params)
            if cur.rowcount != 1:
                raise EpisodeNotFoundError(
                    f"Episode {episode.id} no longer exists; it may have been deleted."
                )
            changes.append((before, episode_facts(conn, episode.id)))
        return self.get_episode(episode.id)

    def delete_episode(self, episode_id: int) -> Episode:
        """Delete and return the episode, so the caller can offer Undo."""
        changes: list[Change] = []
        with self.transaction(changes) as conn:
            row = conn.execute(
                f"SELECT {EPISODE_SELECT} FROM episode WHERE id = ?", (episode_id,)
            ).fetchone()
            if row is None:
                raise EpisodeNotFoundError(f"Episode {episode_id} does not exist.")
            changes.append((episode_facts(conn, episode_id), None))
            conn.execute("DELETE FROM episode WHERE id = ?", (episode_id,))
        return episode_from_row(row)

    def get_episode(self, episode_id: int) -> Episode:
        row = self.db.execute(
            f"SELECT {EPISODE_SELECT} FROM episode WHERE id = ?", (episode_id,)
        ).fetchone()
        if row is None:
            raise EpisodeNotFoundError(f"Episode {episode_id} does not exist.")
        return episode_from_row(row)

    def count_episodes(self) -> int:
        return count_episodes(self.db)

    def iter_episodes(
        self, start_utc: int | None = None, end_utc: int | None = None
    ) -> Iterator[Episode]:
        """Every episode oldest first, optionally within [start_utc, end_utc)."""
        where, params = [], []
        if start_utc is not None:
            where.append("start_utc >= ?")
            params.append(start_utc)
        if end_utc is not None:
            where.append("start_utc < ?")
            params.append(end_utc)
        sql = f"SELECT {EPISODE_SELECT} FROM episode"
        if where:
            sql += " WHERE " + " AND ".join(where)
        cur = self.db.execute(sql + " ORDER BY start_utc, id", params)
        for row in cur:
            yield episode_from_row(row)

    def recent_episodes(self, limit: int) -> list[Episode]:
        """The ``limit`` most recent episodes by start, oldest first (indexed; cheap at 100k)."""
        rows = self.db.execute(
            f"SELECT {EPISODE_SELECT} FROM episode ORDER BY start_utc DESC, id DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [episode_from_row(r) for r in reversed(rows)]

    def history_rows(
        self,
        flt: HistoryFilter = SHOW_ALL,
        sort_key: str = "started_at",
        descending: bool = True,
    ) -> list[tuple[Any, ...]]:
        """Whole rows for the history, as plain tuples in EPISODE_COLUMNS order."""
        sql, params = history_sql(EPISODE_SELECT, flt, sort_key, descending)
        return self.db.execute(sql, params).fetchall()

    def history_ids(
        self,
        flt: HistoryFilter = SHOW_ALL,
        sort_key: str = "started_at",
        descending: bool = True,
    ) -> list[int]:
        """Only the ids, in history order: the table fetches the rows it shows with rows_by_id.

        Fetching 100,000 whole rows costs about ten times as much as fetching their ids.
        """
        sql, params = history_sql("id", flt, sort_key, descending)
        return [row[0] for row in self.db.execute(sql, params)]

    def rows_by_id(self, ids: list[int]) -> dict[int, tuple[Any, ...]]:
        """Whole rows (EPISODE_COLUMNS order) for up to a few hundred ids, keyed by id."""
        found: dict[int, tuple[Any, ...]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            cur = self.db.execute(
                f"SELECT {EPISODE_SELECT} FROM episode WHERE id IN ({marks})", chunk
            )
            found.update((row[0], row) for row in cur)
        return found

    def history_shown(self, ids: Sequence[int], flt: HistoryFilter = SHOW_ALL) -> set[int]:
        """Which of a few ``ids`` exist and pass ``flt`` (each found by its primary key): the
        history places one changed episode without reading every id again."""
        where, params = filter_sql(flt)
        found: set[int] = set()
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            # NOT INDEXED: by the primary key, never a filter's index (a third of the diary)
            sql = f"SELECT id FROM episode NOT INDEXED WHERE id IN ({', '.join('?' * len(chunk))})"
            sql += "".join(f" AND {term}" for term in where)
            found.update(row[0] for row in self.db.execute(sql, [*chunk, *params]))
        return found

    def history_order_keys(
        self, ids: Sequence[int], sort_key: str = "started_at", descending: bool = True
    ) -> dict[int, OrderKey]:
        """For a few ids, each episode's place in the history's order (see OrderKey): a
        changed episode is placed among the ids already shown by bisecting them."""
        terms, params, nocase = order_key_sql(sort_key, descending)
        found: dict[int, OrderKey] = {}
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            marks = ", ".join("?" * len(chunk))
            sql = f"SELECT id, {terms} FROM episode WHERE id IN ({marks})"
            for row in self.db.execute(sql, [*params, *chunk]):
                found[row[0]] = OrderKey(row[1:], nocase, descending)
        return found

    def last_defaults(self, look_back: int = 50) -> dict[str, object]:
        """For each quick-form field, the value most recently recorded for it (within the last
        ``look_back`` episodes saved), so one quick log that left a field out does not hide it.

        The form offers these as "as last time"; it never preselects them. A field recorded in
        none of those episodes is absent from the result.
        """
        rows = self.db.execute(
            "SELECT side, site, severity, activity, hydration, footwear, footwear_tight "
            "FROM episode ORDER BY created_at DESC, id DESC LIMIT ?",
            (look_back,),
        ).fetchall()
        names = ("side", "site", "severity", "activity", "hydration", "footwear")
        found: dict[str, object] = {}
        for row in rows:
            for name, value in zip(names, row[:6], strict=True):
                if name == "site":
                    value = split_codes(value) or None
                if value is not None and name not in found:
                    found[name] = value
                    if name == "footwear":
                        found["footwear_tight"] = bool(row[6])
            if len(found) == len(names) + 1:
                break
        return found

    # ----------------------------------------------------------------- settings
    def get_setting(self, key: str, default: str | None = None) -> str | None:
        return settings.get(self.db, key, default)

    def set_setting(self, key: str, value: str | None) -> None:
        self.set_settings({key: value})

    def diary_uid(self) -> str:
        """This diary's own stable UUID (made by migration 4), e.g. for a FHIR placeholder
        Patient that a clinic's server recognises on every export."""
        uid = self.get_setting(DIARY_UID)
        if uid:
            return uid
        if not self.readonly:  # the setting was removed: make a new one, once
            uid = new_uid()
            self.set_setting(DIARY_UID, uid)
            return uid
        import uuid  # lazily: uuid imports platform, a few ms of start-up

        return str(uuid.uuid5(uuid.NAMESPACE_URL, Path(self.path).resolve().as_uri()))

    def set_settings(self, values: dict[str, str | None]) -> None:
        """Set (or, for None, remove) several settings in one transaction."""
        with self.transaction([]) as conn:  # no episode changes
            settings.put(conn, values)

    # ----------------------------------------------------------------- check-ins
    def save_checkin(self, checkin: CheckIn, *, today: date | None = None) -> CheckIn | None:
        """Validate and write the day's check-in, replacing what the day had (an empty check-in
        removes it). Returns the day's check-in before (None: it had none), for Undo: saving
        that back (or ``delete_checkin`` when None) restores the day."""
        from tracker.diary.checkin import validate_checkin
        from tracker.store import checkins  # lazily: not before the first paint

        _refuse(validate_checkin(checkin, today or date.today()))
        with self.transaction(checkins_only=True) as conn:
            return checkins.save_checkin(conn, checkin, now_utc())

    def delete_checkin(self, day: date) -> CheckIn | None:
        """Remove the day's check-in; return it (None: the day had none)."""
        from tracker.store import checkins  # lazily: not before the first paint

        with self.transaction(checkins_only=True) as conn:
            return checkins.delete_checkin(conn, day)

    def get_checkin(self, day: date) -> CheckIn | None:
        from tracker.store import checkins  # lazily: not before the first paint

        return checkins.get_checkin(self.db, day)

    def checkins_between(self, first: date, last: date) -> list[CheckIn]:
        """The check-ins from ``first`` to ``last``, both included, by day."""
        from tracker.store import checkins  # lazily: not before the first paint

        return checkins.checkins_between(self.db, first, last)

    def all_checkins(self) -> list[CheckIn]:
        """Every check-in, by day, read as one packed value (for workers)."""
        from tracker.store import checkins  # lazily: not before the first paint

        return checkins.all_checkins(self.db)

    def checkin_days(self, first: date, last: date) -> set[date]:
        """Which days from ``first`` to ``last`` (both included) have a check-in."""
        from tracker.store import checkins  # lazily: not before the first paint

        return checkins.checkin_days(self.db, first, last)

    def count_checkins(self) -> int:
        from tracker.store import checkins  # lazily: not before the first paint

        return checkins.count_checkins(self.db)

    def add_checkins(
        self, items: Iterable[CheckIn], *, replace: bool = True, today: date | None = None
    ) -> int:
        """Validate and write many check-ins in one transaction (all or none; empty ones are
        skipped). ``replace``: a day already in the diary takes the new answers, else keeps
        its own. Returns how many days were written."""
        from tracker.diary.checkin import validate_checkin
        from tracker.store import checkins  # lazily: not before the first paint

        today = today or date.today()
        accepted: list[CheckIn] = []
        problems: list[str] = []
        for checkin in items:
            problems += [f"{checkin.day}: {p}" for p in validate_checkin(checkin, today)]
            accepted.append(checkin)
        _refuse(problems)
        with self.transaction(checkins_only=True) as conn:
            return checkins.insert_checkins(conn, accepted, now_utc(), replace=replace)

    def cramps_by_day(self) -> dict[date, tuple[int, int]]:
        """For each local day D with a cramp: (cramps starting D 06:00-21:59, cramps in the
        night that follows, D 22:00 to D+1 05:59), by the stored local wall clock (night hours:
        tracker.diary.vocab). Days without a cramp are absent."""
        from tracker.store import checkins  # lazily: not before the first paint

        return checkins.cramps_by_day(self.db)

    # ----------------------------------------------------------------- medicines
    def medicines(self) -> list[Medicine]:
        """Every medicine and supplement, by start date, then name."""
        from tracker.store import checkins  # lazily: not before the first paint

        return checkins.medicines(self.db)

    def get_medicine(self, medicine_id: int) -> Medicine:
        from tracker.store import checkins  # lazily: not before the first paint

        return checkins.get_medicine(self.db, medicine_id)

    def add_medicine(self, medicine: Medicine, *, today: date | None = None) -> Medicine:
        """Validate and add; return it with its id (one it had is kept: Undo of a delete)."""
        from tracker.diary.checkin import validate_medicine
        from tracker.store import checkins  # lazily: not before the first paint

        _refuse(validate_medicine(medicine, today or date.today()))
        with self.transaction(checkins_only=True) as conn:
            return checkins.insert_medicine(conn, medicine, now_utc())

    def update_medicine(self, medicine: Medicine, *, today: date | None = None) -> Medicine:
        from tracker.diary.checkin import validate_medicine
        from tracker.store import checkins  # lazily: not before the first paint

        _refuse(validate_medicine(medicine, today or date.today()))
        with self.transaction(checkins_only=True) as conn:
            return checkins.update_medicine(conn, medicine, now_utc())

    def delete_medicine(self, medicine_id: int) -> Medicine:
        """Delete and return it, so the caller can offer Undo (``add_medicine`` of it)."""
        from tracker.store import checkins  # lazily: not before the first paint

        with self.transaction(checkins_only=True) as conn:
            return checkins.delete_medicine(conn, medicine_id)


def _refuse(problems: list[str]) -> None:
    """Raise ValidationError with each problem (validate_checkin/validate_medicine wording);
    keyed by position, as these messages name their question themselves."""
    if problems:
        raise ValidationError({f"problem_{i}": p for i, p in enumerate(problems, 1)})
