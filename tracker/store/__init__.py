"""The SQLite store: opening safely, migrations, and every query on episodes.

Opening never changes a file it then refuses, nor its -wal, -shm or -journal: the checks read
it without writing (see _checking_connection), and only then is it opened for writing; a backup
copy is taken before any migration. Each save is one transaction; WAL with synchronous=FULL
keeps the last save across a crash or power loss.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import stat
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path

from tracker.diary import vocab
from tracker.diary.episode import Episode, validate
from tracker.store.fileio import (
    atomic_path,
    describe_os_error,
    disk_nearly_full,
    fsync_folder,
    make_private_folder,
)
from tracker.store.migrations import LATEST_VERSION, MIGRATIONS

try:  # POSIX advisory lock: one writing copy of the app per file
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

SQLITE_MAGIC = b"SQLite format 3\x00"
BACKUP_DIR = "backups"
DIARY_UID = "diary_uid"  # setting: this diary's stable UUID (migration 4)

EPISODE_COLUMNS = (
    "id",
    "started_at",
    "duration_s",
    "side",
    "site",
    "severity",
    "activity",
    "hydration",
    "fluid_ml",
    "footwear",
    "footwear_tight",
    "relief",
    "relief_effect",
    "context",
    "warning_signs",
    "notes",
    "time_approximate",
    "created_at",
    "updated_at",
    "uid",  # stable identifier for exports (migration 4); last, so older indexes stay valid
)
_MULTI = ("site", "relief", "context", "warning_signs")

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
SINGLE_CHOICES = {
    "side": vocab.SIDES,
    "activity": vocab.ACTIVITIES,
    "hydration": vocab.HYDRATION,
    "footwear": vocab.FOOTWEAR,
    "relief_effect": vocab.RELIEF_EFFECT,
}
MULTI_CHOICES = {
    "site": vocab.SITES,
    "relief": vocab.RELIEF,
    "context": vocab.CONTEXT,
    "warning_signs": vocab.WARNING_SIGNS,
}
TIGHT_WORD = "tight"  # the history shows a tight shoe as "(tight)" after the footwear
MAX_SEARCH_WORDS = 16  # more words than this in the search box are ignored

# History filter values. NOT_RECORDED_CODE selects episodes where the person did not say.
NOT_RECORDED_CODE = "not_recorded"
SEVERITY_BANDS = {"mild": (0, 3), "moderate": (4, 6), "severe": (7, 10)}  # vocab.severity_band
SITE_AREAS = {  # the areas of the quick form; "toes" covers every toe
    "toes": ("toes", *vocab.TOE_SITES),
    **{code: (code,) for code in vocab.SITES if code != "toes" and code not in vocab.TOE_SITES},
}


class StoreError(Exception):
    """A problem opening or using the database, with a message for a person."""


class NotADatabaseError(StoreError):
    pass


class CorruptDatabaseError(StoreError):
    pass


class NewerSchemaError(StoreError):
    pass


class DatabaseLockedError(StoreError):
    pass


class ReadOnlyLocationError(StoreError):
    pass


class EpisodeNotFoundError(StoreError):
    pass


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


def _join(codes: tuple[str, ...]) -> str:
    return ";".join(codes)


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(c for c in (text or "").split(";") if c)


def _now_utc() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def episode_from_row(row: sqlite3.Row | tuple) -> Episode:
    values = dict(zip(EPISODE_COLUMNS, row, strict=True))
    for name in _MULTI:
        values[name] = _split(values[name])
    values["started_at"] = datetime.fromisoformat(values["started_at"])
    values["footwear_tight"] = bool(values["footwear_tight"])
    values["time_approximate"] = bool(values["time_approximate"])
    return Episode(**values)


def new_uid() -> str:
    return str(uuid.uuid4())


def _episode_params(ep: Episode) -> dict:
    """The stored content of an episode. Not its ``uid``: the importer compares these to find
    duplicates, and an edit never changes the identifier (see ``_uid_params``)."""
    started = ep.started_at.replace(microsecond=0)
    return {
        "started_at": started.isoformat(),
        "start_utc": int(started.timestamp()),
        "duration_s": ep.duration_s,
        "side": ep.side,
        "site": _join(ep.site),
        "severity": ep.severity,
        "activity": ep.activity,
        "hydration": ep.hydration,
        "fluid_ml": ep.fluid_ml,
        "footwear": ep.footwear,
        "footwear_tight": int(ep.footwear_tight),
        "relief": _join(ep.relief),
        "relief_effect": ep.relief_effect,
        "context": _join(ep.context),
        "warning_signs": _join(ep.warning_signs),
        "notes": ep.notes,
        "time_approximate": int(ep.time_approximate),
    }


def taken_uids(conn: sqlite3.Connection, uids) -> set[str]:
    """Which of these uids an episode in the diary already has (the importer keeps a file's
    uid only when it is free; an insert with uid NULL gets a fresh one from the trigger)."""
    wanted = [u for u in dict.fromkeys(uids) if u]
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        found.update(
            r[0] for r in conn.execute(f"SELECT uid FROM episode WHERE uid IN ({marks})", chunk)
        )
    return found


def _fresh_uids(conn: sqlite3.Connection, episodes) -> list[str]:
    """A uid for each new episode: its own when it has one no other episode uses (in the diary
    or earlier in the list), else a new random one, so a copy of an episode never collides."""
    taken = taken_uids(conn, (e.uid for e in episodes))
    uids = []
    for episode in episodes:
        uid = episode.uid if episode.uid and episode.uid not in taken else new_uid()
        taken.add(uid)
        uids.append(uid)
    return uids


def _describe(path: Path) -> str:
    return f"'{path}'"


class Store:
    """An open database file. Use ``Store.open``; close it (or use ``with``) when done."""

    def __init__(self, path: Path, conn: sqlite3.Connection, lock_fd: int | None, readonly: bool):
        self.path = path
        self.conn = conn
        self._lock_fd = lock_fd
        self.readonly = readonly

    # ----------------------------------------------------------------- opening and closing
    @classmethod
    def open(cls, path: str | os.PathLike, *, readonly: bool = False) -> Store:
        """Open (creating if needed) the database at ``path``.

        Raises a StoreError subclass with a message naming the file and what to do. A file that
        is refused is left byte-for-byte as it was, and so are its -wal, -shm and -journal: every
        check before the file is accepted reads without writing (see _checking_connection), and
        only then is the read-write connection opened.
        """
        path = Path(path).expanduser().absolute()
        exists = _check_file(path)
        if not exists and readonly:
            raise StoreError(f"There is no database at {_describe(path)}. Check the path.")
        if readonly:
            return cls._open_readonly(path)

        folder = path.parent
        if not folder.is_dir():  # (a file there is refused by _check_file: not a folder)
            try:
                make_private_folder(folder)  # 0700 with its parents, whatever the umask
            except OSError as exc:
                raise ReadOnlyLocationError(
                    f"Cannot create the folder '{folder}' for the database "
                    f"({describe_os_error(exc)}). Choose another location with --db."
                ) from None
        if not os.access(folder, os.W_OK | os.X_OK) or (exists and not os.access(path, os.W_OK)):
            raise ReadOnlyLocationError(
                f"The database {_describe(path)} is in a read-only location, so nothing could be "
                "saved. Make the file and its folder writable, or copy the file somewhere writable "
                "and open that copy with --db."
            )

        created = False if exists else _create_new(path)
        lock_fd = _acquire_lock(path)
        try:
            with _checking_connection(path, in_place=False) as check:
                version = _read_checks(check, path)
                if 0 < version < LATEST_VERSION:
                    backup_before_migration(check, path, version)
            conn = cls._connect_checked(path, version)
        except BaseException:
            _release_lock(lock_fd)
            if created:
                _remove_new(path)
            raise
        store = cls(path, conn, lock_fd, readonly=False)
        with contextlib.suppress(OSError):
            os.chmod(path, 0o600)
        # With the lock held, nothing else writes beside this diary: remove what killed runs left
        # (half-written copies, exports and restores). Imported here: backup imports this module.
        from tracker.store.backup import clean_leftovers

        with contextlib.suppress(OSError):
            clean_leftovers(path, locked=True)
        return store

    @classmethod
    def _connect_checked(cls, path: Path, version: int) -> sqlite3.Connection:
        """The read-write connection, opened only once the checks accepted the file (at
        ``version``); recovers what a crash left in the -wal or -journal, then upgrades."""
        try:
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(
                f"Could not open {_describe(path)} for writing: "
                f"{describe_sqlite_error(exc, folder=path.parent)}."
            ) from None
        try:
            conn.execute("PRAGMA busy_timeout=5000")
            if conn.execute("PRAGMA user_version").fetchone()[0] != version:
                raise StoreError(
                    f"{_describe(path)} changed while it was being opened; another program may "
                    "be writing to it. Close other programs that use it and try again."
                )
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            _migrate(conn, version, path)
        except sqlite3.Error as exc:
            conn.close()
            raise StoreError(
                f"Could not open {_describe(path)} for writing: "
                f"{describe_sqlite_error(exc, folder=path.parent)}."
            ) from None
        except BaseException:
            conn.close()
            raise
        return conn

    @classmethod
    def _open_readonly(cls, path: Path) -> Store:
        in_use = _in_use_by_writer(path)
        with _checking_connection(path, in_place=in_use) as check:
            version = _read_checks(check, path)
        if version < LATEST_VERSION:
            raise StoreError(
                f"The database {_describe(path)} uses an older format. Open it once in "
                "Cramp Tracker (not read-only) to upgrade it, then try again."
            )
        return cls(path, _connect_reader(path, in_use), None, readonly=True)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        _release_lock(self._lock_fd)
        self._lock_fd = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def is_open(self) -> bool:
        return self.conn is not None

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work: all of it is written, or none of it."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
        except sqlite3.IntegrityError:
            raise
        except sqlite3.Error as exc:
            if self.conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
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
        params = _episode_params(episode)
        params["created_at"] = params["updated_at"] = stamp = _now_utc()
        params["id"] = episode.id
        with self.transaction() as conn:
            [params["uid"]] = _fresh_uids(conn, [episode])
            cur = conn.execute(
                f"INSERT INTO episode (id, {', '.join(k for k in params if k != 'id')}) "
                f"VALUES (:id, {', '.join(':' + k for k in params if k != 'id')})",
                params,
            )
        return episode.replace(
            id=cur.lastrowid,
            uid=params["uid"],
            started_at=episode.started_at.replace(microsecond=0),
            created_at=stamp,
            updated_at=stamp,
        )

    def add_episodes(self, episodes, *, now: datetime | None = None) -> int:
        """Validate and save many new episodes in one transaction (all or none); return count."""
        now = now or datetime.now().astimezone()
        stamp = _now_utc()
        rows, accepted = [], []
        for episode in episodes:
            validate(episode, now)
            rows.append({**_episode_params(episode), "created_at": stamp, "updated_at": stamp})
            accepted.append(episode)
        if rows:
            with self.transaction() as conn:
                for row, uid in zip(rows, _fresh_uids(conn, accepted), strict=True):
                    row["uid"] = uid
                columns = list(rows[0])
                conn.executemany(
                    f"INSERT INTO episode ({', '.join(columns)}) "
                    f"VALUES ({', '.join(':' + c for c in columns)})",
                    rows,
                )
        return len(rows)

    def restore_episode(self, episode: Episode) -> Episode:
        """Put back a deleted episode under its old id, uid and timestamps (used by Undo)."""
        params = _episode_params(episode)
        params.update(id=episode.id, created_at=episode.created_at, updated_at=episode.updated_at)
        params["uid"] = episode.uid  # None (an episode from before uids): the trigger gives one
        with self.transaction() as conn:
            conn.execute(
                f"INSERT INTO episode ({', '.join(params)}) "
                f"VALUES ({', '.join(':' + k for k in params)})",
                params,
            )
        return episode

    def update_episode(self, episode: Episode, *, now: datetime | None = None) -> Episode:
        if episode.id is None:
            raise EpisodeNotFoundError("Cannot update an episode that was never saved.")
        validate(episode, now)
        params = _episode_params(episode)
        params["updated_at"] = _now_utc()
        params["id"] = episode.id
        assignments = ", ".join(f"{k} = :{k}" for k in params if k != "id")
        with self.transaction() as conn:
            cur = conn.execute(f"UPDATE episode SET {assignments} WHERE id = :id", params)
            if cur.rowcount != 1:
                raise EpisodeNotFoundError(
                    f"Episode {episode.id} no longer exists; it may have been deleted."
                )
        return self.get_episode(episode.id)

    def delete_episode(self, episode_id: int) -> Episode:
        """Delete and return the episode, so the caller can offer Undo."""
        with self.transaction() as conn:
            row = conn.execute(
                f"SELECT {', '.join(EPISODE_COLUMNS)} FROM episode WHERE id = ?", (episode_id,)
            ).fetchone()
            if row is None:
                raise EpisodeNotFoundError(f"Episode {episode_id} does not exist.")
            conn.execute("DELETE FROM episode WHERE id = ?", (episode_id,))
        return episode_from_row(row)

    def get_episode(self, episode_id: int) -> Episode:
        row = self.conn.execute(
            f"SELECT {', '.join(EPISODE_COLUMNS)} FROM episode WHERE id = ?", (episode_id,)
        ).fetchone()
        if row is None:
            raise EpisodeNotFoundError(f"Episode {episode_id} does not exist.")
        return episode_from_row(row)

    def count_episodes(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM episode").fetchone()[0]

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
        sql = f"SELECT {', '.join(EPISODE_COLUMNS)} FROM episode"
        if where:
            sql += " WHERE " + " AND ".join(where)
        cur = self.conn.execute(sql + " ORDER BY start_utc, id", params)
        for row in cur:
            yield episode_from_row(row)

    def history_rows(
        self,
        flt: HistoryFilter = HistoryFilter(),
        sort_key: str = "started_at",
        descending: bool = True,
    ) -> list[tuple]:
        """Whole rows for the history, as plain tuples in EPISODE_COLUMNS order."""
        sql, params = _history_sql(", ".join(EPISODE_COLUMNS), flt, sort_key, descending)
        return self.conn.execute(sql, params).fetchall()

    def history_ids(
        self,
        flt: HistoryFilter = HistoryFilter(),
        sort_key: str = "started_at",
        descending: bool = True,
    ) -> list[int]:
        """Only the ids, in history order: the table fetches the rows it shows with rows_by_id.

        Fetching 100,000 whole rows costs about ten times as much as fetching their ids.
        """
        sql, params = _history_sql("id", flt, sort_key, descending)
        return [row[0] for row in self.conn.execute(sql, params)]

    def rows_by_id(self, ids: list[int]) -> dict[int, tuple]:
        """Whole rows (EPISODE_COLUMNS order) for up to a few hundred ids, keyed by id."""
        found: dict[int, tuple] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            cur = self.conn.execute(
                f"SELECT {', '.join(EPISODE_COLUMNS)} FROM episode WHERE id IN ({marks})", chunk
            )
            found.update((row[0], row) for row in cur)
        return found

    def last_defaults(self, look_back: int = 50) -> dict[str, object]:
        """For each quick-form field, the value most recently recorded for it (within the last
        ``look_back`` episodes saved), so one quick log that left a field out does not hide it.

        The form offers these as "as last time"; it never preselects them. A field recorded in
        none of those episodes is absent from the result.
        """
        rows = self.conn.execute(
            "SELECT side, site, severity, activity, hydration, footwear, footwear_tight "
            "FROM episode ORDER BY created_at DESC, id DESC LIMIT ?",
            (look_back,),
        ).fetchall()
        names = ("side", "site", "severity", "activity", "hydration", "footwear")
        found: dict[str, object] = {}
        for row in rows:
            for name, value in zip(names, row[:6], strict=True):
                if name == "site":
                    value = _split(value) or None
                if value is not None and name not in found:
                    found[name] = value
                    if name == "footwear":
                        found["footwear_tight"] = bool(row[6])
            if len(found) == len(names) + 1:
                break
        return found

    # ----------------------------------------------------------------- settings
    def get_setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
        return default if row is None else row[0]

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
        return str(uuid.uuid5(uuid.NAMESPACE_URL, Path(self.path).resolve().as_uri()))

    def set_settings(self, values: dict[str, str | None]) -> None:
        """Set (or, for None, remove) several settings in one transaction."""
        with self.transaction() as conn:
            for key, value in values.items():
                if value is None:
                    conn.execute("DELETE FROM setting WHERE key = ?", (key,))
                else:
                    conn.execute(
                        "INSERT INTO setting (key, value) VALUES (?, ?) "
                        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                        (key, value),
                    )


def _history_sql(
    columns: str, flt: HistoryFilter, sort_key: str, descending: bool
) -> tuple[str, list]:
    where, params = _filter_sql(flt)
    order, order_params = _order_sql(sort_key, "DESC" if descending else "ASC")
    sql = f"SELECT {columns} FROM episode"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return f"{sql} ORDER BY {order}", params + order_params


_BLANK = "char(32, 9, 10, 13)"  # what trim() removes from notes before sorting them


def _order_sql(sort_key: str, direction: str) -> tuple[str, list]:
    """ORDER BY terms: not recorded last (both directions), then the value, then the instant."""
    column = SORT_KEYS.get(sort_key)
    if column is None:
        raise ValueError(f"cannot sort by {sort_key!r}")
    params: list = []
    if sort_key in SINGLE_CHOICES:
        missing = f"{column} IS NULL"
        values = [_label_rank_sql(column, SINGLE_CHOICES[sort_key], params)]
    elif sort_key in MULTI_CHOICES:
        missing = f"{column} = ''"
        first = f"substr({column}, 1, instr({column} || ';', ';') - 1)"
        values = [_label_rank_sql(first, MULTI_CHOICES[sort_key], params), column]
    elif sort_key == "notes":
        missing = f"trim(notes, {_BLANK}) = ''"
        values = [f"ltrim(notes, {_BLANK}) COLLATE NOCASE"]
    elif sort_key == "severity":
        missing, values = "severity IS NULL", [column]
    elif sort_key == "duration_s":  # always recorded
        missing, values = None, [column]
    else:  # the start: always recorded, and the instant is the tie-break anyway
        missing, values = None, []
    terms = [f"{value} {direction}" for value in (*values, "start_utc", "id")]
    if missing:
        terms.insert(0, f"{missing} ASC")
    return ", ".join(terms), params


def _label_rank_sql(expression: str, vocabulary: Mapping[str, str], params: list) -> str:
    """A CASE giving each code its place in the alphabetical order of the labels."""
    ordered = sorted(vocabulary, key=lambda code: (vocabulary[code].casefold(), code))
    params.extend(ordered)
    cases = " ".join(f"WHEN ? THEN {rank}" for rank in range(len(ordered)))
    return f"CASE {expression} {cases} ELSE {len(ordered)} END"


def local_day_start_utc(day: str | date) -> int:
    """Unix seconds at which the local calendar day begins on this machine."""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    return int(datetime.combine(day, time()).astimezone().timestamp())


def _filter_sql(flt: HistoryFilter) -> tuple[list[str], list]:
    # Dates become instants, so the period uses the start_utc index instead of a full scan.
    where: list[str] = []
    params: list = []
    if flt.date_from:
        where.append("start_utc >= ?")
        params.append(local_day_start_utc(flt.date_from))
    if flt.date_to:
        where.append("start_utc < ?")
        params.append(local_day_start_utc(date.fromisoformat(flt.date_to) + timedelta(days=1)))
    if flt.severity_band == NOT_RECORDED_CODE:
        where.append("severity IS NULL")
    elif flt.severity_band:
        if flt.severity_band not in SEVERITY_BANDS:
            raise ValueError(f"unknown severity band {flt.severity_band!r}")
        where.append("severity BETWEEN ? AND ?")
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


def _contains_any_sql(column: str, codes, params: list) -> str:
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


def _word_sql(word: str, params: list) -> str:
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
        if word in _fold(values.get("notes") or ""):
            found.add("notes")
        for field in SINGLE_CHOICES:
            if values.get(field) is not None and values[field] in codes_matching(word, field):
                found.add(field)
        for field in MULTI_CHOICES:
            if set(_split(values.get(field))) & set(codes_matching(word, field)):
                found.add(field)
        if word in TIGHT_WORD and values.get("footwear_tight") and values.get("footwear"):
            found.add("footwear_tight")
    return frozenset(found)


# --------------------------------------------------------------------- helpers for opening
# SQLite's side files: a -wal or -journal with content holds changes not yet in the file itself
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")
_NAME_MAX = 255  # where the folder cannot be asked (os.pathconf)


def _side(path: Path, suffix: str) -> Path:
    """A side file as SQLite names it: beside the real file when ``path`` is a symlink."""
    real = Path(os.path.realpath(path))
    return real.with_name(real.name + suffix)


def _path_problem(exc: OSError) -> str:
    if exc.errno == errno.ENOTDIR:
        return "a part of the path is a file, not a folder"
    if exc.errno == errno.ELOOP:
        return "the path has a loop of symbolic links"
    return describe_os_error(exc)


def _check_file(path: Path) -> bool:
    """Whether ``path`` exists; raise unless it is a non-empty regular file that starts like
    an SQLite file.

    Looks with stat before opening anything, so a named pipe (which would block an open for
    ever) or a device is refused without being opened. An empty file is refused too: we never
    leave one (see _create_new), so it was made by something else, or by a mistake.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.lexists(path):
            raise NotADatabaseError(
                f"{_describe(path)} is a link to a file that does not exist. Check the path, or "
                "give the path of the .sqlite file itself with --db."
            ) from None
        info = None
    except OSError as exc:
        raise StoreError(
            f"Cannot open the database {_describe(path)}: {_path_problem(exc)}."
        ) from None
    try:
        name_max = os.pathconf(path.parent, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        name_max = _NAME_MAX
    if len(os.fsencode(path.name + "-journal")) > name_max:
        raise StoreError(
            f"Cannot open the database {_describe(path)}: the file name is too long (SQLite needs "
            f"to add '-journal' to it and stay within {name_max} bytes). "
            "Rename the file or choose a shorter name."
        )
    if info is None:
        return False
    if stat.S_ISDIR(info.st_mode):
        raise NotADatabaseError(
            f"{_describe(path)} is a folder, not a Cramp Tracker database. "
            "Give the path of a .sqlite file instead."
        )
    if not stat.S_ISREG(info.st_mode):
        raise NotADatabaseError(
            f"{_describe(path)} is {_kind_of(info.st_mode)}, not a Cramp Tracker database; "
            "nothing was read from it or written to it. Give the path of a .sqlite file with --db."
        )
    if info.st_size == 0:
        raise NotADatabaseError(
            f"{_describe(path)} is empty (0 bytes), so it is not a Cramp Tracker database. "
            "It was left untouched. Delete it, or choose another file with --db."
        )
    _check_header(path)
    return True


def _kind_of(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _open_no_wait(path: Path) -> int:
    """A read-only descriptor; O_NONBLOCK so that a pipe swapped in after stat cannot hang us."""
    return os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))


def _check_header(path: Path) -> None:
    try:
        fd = _open_no_wait(path)
    except PermissionError:
        raise ReadOnlyLocationError(
            f"Cannot read {_describe(path)}: permission denied. Check the file's permissions."
        ) from None
    except OSError as exc:
        raise StoreError(f"Cannot read {_describe(path)}: {_path_problem(exc)}.") from None
    try:
        mode = os.fstat(fd).st_mode
        head = os.read(fd, len(SQLITE_MAGIC)) if stat.S_ISREG(mode) else b""
    except OSError as exc:
        raise StoreError(f"Cannot read {_describe(path)}: {_path_problem(exc)}.") from None
    finally:
        os.close(fd)
    if not stat.S_ISREG(mode):
        raise NotADatabaseError(
            f"{_describe(path)} is {_kind_of(mode)}, not a Cramp Tracker database. "
            "Give the path of a .sqlite file with --db."
        )
    if head != SQLITE_MAGIC:
        raise NotADatabaseError(
            f"{_describe(path)} is not a Cramp Tracker database (it is not an SQLite file). "
            "It was left untouched. Check the path, or open a different file with --db."
        )


def _has_leftovers(path: Path) -> bool:
    """Whether a -wal or -journal beside ``path`` holds something (a crash, or a copy taken
    while the app was saving): SQLite would write it into the file on the next open."""
    for suffix in ("-wal", "-journal"):
        try:
            if os.stat(_side(path, suffix)).st_size > 0:
                return True
        except FileNotFoundError:
            continue
        except OSError:
            return True  # cannot tell: treat it as holding changes
    return False


@contextlib.contextmanager
def _checking_connection(path: Path, *, in_place: bool) -> Iterator[sqlite3.Connection]:
    """A connection for the checks made before a file is accepted; it changes no file.

    Any ordinary SQLite connection, even ``mode=ro``, may write: it rebuilds or updates the
    -shm, creates an empty -wal/-shm for a WAL file, and the last one to close folds the -wal
    into the file and deletes it. So:

    - ``in_place``: a running copy of the app has the file open for writing, so it is ours and
      its side files are live: read it as any reader alongside does (``mode=ro``).
    - nothing holds a -wal or -journal with content: the file alone is the whole database,
      read with ``immutable=1`` (no locks, no side files). Safe because nothing else writes it:
      the caller holds our lock, or found nobody holding it a moment ago.
    - otherwise (left by a crash, or copied while the app was saving): the newest data, e.g. a
      newer ``user_version``, may be in the -wal, and the file cannot be read in place without
      recovering it. The checks read a private copy of the file and its -wal/-journal instead.
    """
    if in_place or not _has_leftovers(path):
        flags = "mode=ro" if in_place else "mode=ro&immutable=1"
        conn = _connect_for_checks(path, f"{path.as_uri()}?{flags}", uri=True)
        try:
            yield conn
        finally:
            conn.close()
        return
    import shutil  # only when a crash left a -wal or -journal: not on every start

    folder = _private_copy(path)
    try:
        conn = _connect_for_checks(path, folder / "check.sqlite")
        try:
            yield conn
        finally:
            conn.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _connect_for_checks(path: Path, target, *, uri: bool = False) -> sqlite3.Connection:
    try:
        return sqlite3.connect(target, uri=uri, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        reason = describe_sqlite_error(exc)
        raise StoreError(f"{_describe(path)} cannot be read: {reason}.") from None


def _private_copy(path: Path) -> Path:
    """A folder only we can read, holding a copy of ``path`` with its -wal and -journal (the
    -shm is rebuilt from the -wal). The caller removes the folder."""
    import shutil
    import tempfile

    folder = None
    try:
        folder = Path(tempfile.mkdtemp(prefix="cramp-tracker-check-"))
        copy = folder / "check.sqlite"
        shutil.copyfile(path, copy)
        for suffix in ("-wal", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                shutil.copyfile(_side(path, suffix), _side(copy, suffix))
    except OSError as exc:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        raise StoreError(
            f"Could not check {_describe(path)} before opening it: it has changes from an "
            "unfinished save (in its -wal or -journal file), and a temporary copy to check them "
            f"could not be made in '{tempfile.gettempdir()}' ({describe_os_error(exc)}). "
            "It was left untouched."
        ) from None
    return folder


def _in_use_by_writer(path: Path) -> bool:
    """Whether a running copy of the app has ``path`` open for writing (holds our lock)."""
    if fcntl is None:  # pragma: no cover - cannot tell: read it as a reader alongside would
        return True
    try:
        fd = _open_no_wait(path)
    except OSError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)  # also lets go of the shared lock at once
    return False


def _connect_reader(path: Path, in_use: bool) -> sqlite3.Connection:
    """The connection of a read-only Store, for a file the checks accepted.

    A plain ``mode=ro`` connection, which sees a running app's saves. It needs a -shm (and, for
    a WAL file, a -wal) beside the file and creates them when missing. In a read-only folder it
    cannot: then, when no -wal holds changes and no copy of the app is writing, the file is
    read with ``immutable=1``, which is safe there because no SQLite program can write to a file
    whose folder does not let it create the -wal or -journal a write needs. With a -wal holding
    changes it says so instead of showing data without them.
    """
    try:
        conn = sqlite3.connect(
            f"{path.as_uri()}?mode=ro", uri=True, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as exc:
        problem = exc
    else:
        try:
            conn.execute("PRAGMA busy_timeout=5000")
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # open the -wal now
            return conn
        except sqlite3.Error as exc:
            conn.close()
            problem = exc
    if getattr(problem, "sqlite_errorname", "") == "SQLITE_READONLY_ROLLBACK":
        raise StoreError(
            f"{_describe(path)} has an unfinished change from a crash (in its -journal file), "
            "which a read-only open cannot undo. Open it once in Cramp Tracker (not read-only, "
            "in a writable folder) to recover it, then try again. It was left untouched."
        )
    read_only_folder = not os.access(path.parent, os.W_OK | os.X_OK)
    if read_only_folder and not in_use:
        if not _has_leftovers(path):
            return _connect_for_checks(path, f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
        raise ReadOnlyLocationError(
            f"{_describe(path)} is in a read-only location and has changes not yet written into "
            f"it (in its -wal file). To read them SQLite needs to create a small helper file "
            "(-shm) beside it, and cannot. Copy the file together with its -wal file to a "
            "writable folder and open that copy with --db. It was left untouched."
        )
    if read_only_folder:
        raise ReadOnlyLocationError(
            f"{_describe(path)} is in a read-only location and SQLite cannot create the small "
            "helper files (-wal, -shm) it needs beside it to read it. Copy it somewhere writable "
            "and open that copy with --db."
        )
    reason = describe_sqlite_error(problem, folder=path.parent)
    raise StoreError(f"{_describe(path)} cannot be read: {reason}.")


def describe_sqlite_error(
    exc: sqlite3.Error, default: str | None = None, folder: Path | None = None
) -> str:
    """What an SQLite error means for a person ('the disk is full'), not SQLite's words.

    ``default`` is returned for an error without a plain meaning (None: SQLite's own words).
    With ``folder``, an I/O or open error on a disk with almost no space left is called what it
    almost surely is: SQLite reports a full disk while growing its -shm file as an I/O error.
    """
    code = getattr(exc, "sqlite_errorcode", None)
    primary = None if code is None else code & 0xFF
    if (
        folder is not None
        and primary in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN)
        and disk_nearly_full(folder)
    ):
        primary = sqlite3.SQLITE_FULL
    reasons = {
        sqlite3.SQLITE_FULL: "the disk is full; free some space and try again",
        sqlite3.SQLITE_READONLY: (
            "the file or its folder is read-only; make them writable, or copy the diary to a "
            "writable folder"
        ),
        sqlite3.SQLITE_IOERR: (
            "the disk reported an error while reading or writing; check that the drive is "
            "still connected and working"
        ),
        sqlite3.SQLITE_CANTOPEN: (
            "the file or a helper file beside it could not be opened; check that the folder "
            "still exists and is writable"
        ),
        sqlite3.SQLITE_BUSY: "it is busy in another program; close that program and try again",
        sqlite3.SQLITE_LOCKED: "it is busy in another program; close that program and try again",
        sqlite3.SQLITE_CORRUPT: "the file is damaged",
        sqlite3.SQLITE_NOTADB: "the file is damaged",
        sqlite3.SQLITE_PERM: "permission denied; check the file's permissions",
    }
    if primary in reasons:
        return reasons[primary]
    return str(exc) if default is None else default


def _read_checks(conn: sqlite3.Connection, path: Path) -> int:
    """Checks that only read: a readable database, intact, of a schema we know."""
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        problems = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
        tables = conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        code = getattr(exc, "sqlite_errorcode", None)
        primary = None if code is None else code & 0xFF
        if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            raise DatabaseLockedError(
                f"{_describe(path)} is busy in another program. Close it and try again."
            ) from None
        if primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB, None):
            raise CorruptDatabaseError(
                f"{_describe(path)} is damaged and cannot be read ({exc}). It was left "
                "untouched. Restore it from a backup (the 'backups' folder beside it), or open "
                "another file."
            ) from None
        reason = describe_sqlite_error(exc)
        raise StoreError(
            f"{_describe(path)} cannot be read: {reason}. It was left untouched."
        ) from None
    if problems != ["ok"]:
        # quick_check may put several lines in one row: keep the message to one short line
        first = " ".join(str(problems[0]).split())
        first = first if len(first) <= 160 else first[:157] + "…"
        raise CorruptDatabaseError(
            f"{_describe(path)} is damaged ({first}). It was left untouched. "
            "Restore it from a backup (the 'backups' folder beside it), or open another file."
        )
    if version > LATEST_VERSION:
        raise NewerSchemaError(
            f"{_describe(path)} was saved by a newer version of Cramp Tracker (format {version}; "
            f"this version knows up to {LATEST_VERSION}). It was left untouched. "
            "Update Cramp Tracker to open it."
        )
    if version == 0 and tables:
        raise NotADatabaseError(
            f"{_describe(path)} is an SQLite database from another program, not Cramp "
            "Tracker. It was left untouched. Open a different file with --db."
        )
    return version


def _create_new(path: Path) -> bool:
    """Create an empty diary at ``path`` in one step; return whether this call created it.

    It is made beside it under a temporary name and linked into place, so ``path`` is never a
    0-byte or half-made file, even if the app is killed meanwhile. Side files left beside a
    missing diary are refused: SQLite would apply an old -wal to the new file.
    """
    leftovers = [_side(path, s) for s in SIDE_SUFFIXES if os.path.lexists(_side(path, s))]
    if leftovers:
        names = ", ".join(f"'{p.name}'" for p in leftovers)
        raise StoreError(
            f"There is no database at {_describe(path)}, but {names} beside it belong to one "
            "that was moved or deleted (they may hold its last changes). Put the diary back, or "
            "move those files away, then try again."
        )
    import tempfile  # only when a new diary is made

    tmp = None
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=".new-diary.", suffix=".part")
        os.close(fd)
        tmp = Path(name)
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")  # writes the first page: a valid file
        finally:
            conn.close()
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False  # another copy created it a moment ago: open that one
        except OSError as exc:  # no hard links here (e.g. FAT): rename, if still missing
            if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOSYS, errno.EXDEV):
                raise
            if os.path.lexists(path):
                return False
            os.rename(tmp, path)
        fsync_folder(path.parent)
        return True
    except (OSError, sqlite3.Error) as exc:
        reason = describe_os_error(exc) if isinstance(exc, OSError) else describe_sqlite_error(exc)
        raise ReadOnlyLocationError(
            f"Cannot create the database {_describe(path)}: {reason}. "
            "Choose another location with --db."
        ) from None
    finally:
        if tmp is not None:
            for name in (tmp, *(_side(tmp, s) for s in SIDE_SUFFIXES)):
                with contextlib.suppress(OSError):
                    os.unlink(name)


def _remove_new(path: Path) -> None:
    """Remove a diary this call created, when opening it then failed."""
    for name in (path, *(_side(path, s) for s in SIDE_SUFFIXES)):
        with contextlib.suppress(OSError):
            os.unlink(name)


def _migrate(conn: sqlite3.Connection, version: int, path: Path) -> None:
    for number in range(version + 1, LATEST_VERSION + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(MIGRATIONS[number - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            kept = (
                " A safety copy from before the upgrade is in the 'backups' folder beside it."
                if version > 0
                else ""
            )
            raise StoreError(
                f"Could not upgrade {_describe(path)} to format {number}: "
                f"{describe_sqlite_error(exc)}. That step was undone; nothing was lost.{kept}"
            ) from None
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (executescript would commit on its own)."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


def backup_dir(db_path: Path) -> Path:
    return Path(db_path).parent / BACKUP_DIR


def backup_before_migration(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    """Copy the file with SQLite's backup API before its schema is upgraded.

    ``conn`` is the checking connection, so the copy is taken before anything opens the file for
    writing: if it cannot be saved, the file is not upgraded and nothing has changed.
    """
    folder = backup_dir(path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{path.stem}-before-migration-v{version}-{stamp}.sqlite"
    try:
        if folder.exists() and not folder.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "not a folder")
        make_private_folder(folder)
        with atomic_path(target, what="the safety copy") as tmp:
            dest = sqlite3.connect(tmp)
            try:
                conn.backup(dest)
                dest.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            finally:
                dest.close()
    except (OSError, sqlite3.Error) as exc:
        if isinstance(exc, NotADirectoryError):
            reason = f"'{folder}' is a file, not a folder; move it away"
        elif isinstance(exc, OSError) and exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            reason = f"the folder '{folder}' is read-only; make it writable"
        elif isinstance(exc, OSError):
            reason = describe_os_error(exc)
        else:
            reason = describe_sqlite_error(exc)
        raise StoreError(
            f"{_describe(path)} needs upgrading to this version's format, but a safety copy "
            f"could not be saved first ({reason}). It was not upgraded and nothing was changed."
        ) from None
    return target


def _acquire_lock(path: Path) -> int | None:
    if fcntl is None:  # pragma: no cover
        return None
    try:
        fd = os.open(path, os.O_RDWR | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise ReadOnlyLocationError(
            f"Cannot open {_describe(path)} for writing ({describe_os_error(exc)}). "
            "Check the file's permissions or choose another file with --db."
        ) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise DatabaseLockedError(
            f"{_describe(path)} is already open in another copy of Cramp Tracker. "
            "Switch to that window (or close it) and try again."
        ) from None
    return fd


def _release_lock(fd: int | None) -> None:
    # SQLite's own POSIX locks are dropped when any descriptor of the file closes, so the
    # lock descriptor is closed only after the connection.
    if fd is not None:
        with contextlib.suppress(OSError):
            os.close(fd)
