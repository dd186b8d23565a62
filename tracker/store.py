"""The SQLite store: opening safely, migrations, and every query on episodes.

Opening never changes a file it then refuses: checks that only read come first, and a backup
copy is taken before any migration. Each save is one transaction; WAL with synchronous=FULL
keeps the last save across a crash or power loss.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tracker.episode import Episode, validate
from tracker.migrations import LATEST_VERSION, MIGRATIONS

try:  # POSIX advisory lock: one writing copy of the app per file
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

SQLITE_MAGIC = b"SQLite format 3\x00"
BACKUP_DIR = "backups"

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
)
_MULTI = ("site", "relief", "context", "warning_signs")

# Columns the history may be sorted by, mapped to SQL (whitelisted: never format user text in).
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
    "notes": "notes",
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
    """What the history shows. Dates are local calendar dates, inclusive."""

    date_from: str | None = None  # "YYYY-MM-DD"
    date_to: str | None = None
    text: str = ""


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


def _episode_params(ep: Episode) -> dict:
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
        is refused is left byte-for-byte as it was.
        """
        path = Path(path).expanduser().absolute()
        exists = path.exists()
        if exists and path.is_dir():
            raise NotADatabaseError(
                f"{_describe(path)} is a folder, not a Cramp Tracker database. "
                "Give the path of a .sqlite file instead."
            )
        if exists:
            _check_header(path)
        elif readonly:
            raise StoreError(f"There is no database at {_describe(path)}. Check the path.")

        if readonly:
            return cls._open_readonly(path)

        folder = path.parent
        if not folder.exists():
            try:
                folder.mkdir(parents=True, mode=0o700)
            except OSError as exc:
                raise ReadOnlyLocationError(
                    f"Cannot create the folder '{folder}' for the database ({exc.strerror}). "
                    "Choose another location with --db."
                ) from None
        if not os.access(folder, os.W_OK | os.X_OK) or (exists and not os.access(path, os.W_OK)):
            raise ReadOnlyLocationError(
                f"The database {_describe(path)} is in a read-only location, so nothing could be "
                "saved. Make the file and its folder writable, or copy the file somewhere writable "
                "and open that copy with --db."
            )

        lock_fd = _acquire_lock(path)
        try:
            conn = cls._connect_checked(path)
        except BaseException:
            _release_lock(lock_fd)
            if not exists:
                with contextlib.suppress(OSError):
                    if path.stat().st_size == 0:
                        path.unlink()
            raise
        store = cls(path, conn, lock_fd, readonly=False)
        with contextlib.suppress(OSError):
            os.chmod(path, 0o600)
        return store

    @classmethod
    def _connect_checked(cls, path: Path) -> sqlite3.Connection:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        try:
            version = _read_checks(conn, path)
            if version > 0 and version < LATEST_VERSION:
                backup_before_migration(conn, path, version)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=5000")
            _migrate(conn, version)
        except BaseException:
            conn.close()
            raise
        return conn

    @classmethod
    def _open_readonly(cls, path: Path) -> Store:
        uri = path.as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        try:
            version = _read_checks(conn, path)
            if version < LATEST_VERSION:
                raise StoreError(
                    f"The database {_describe(path)} uses an older format. Open it once in "
                    "Cramp Tracker (not read-only) to upgrade it, then try again."
                )
            conn.execute("PRAGMA busy_timeout=5000")
        except BaseException:
            conn.close()
            raise
        return cls(path, conn, None, readonly=True)

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
            raise StoreError(
                f"Could not save to {_describe(self.path)} ({exc}). Nothing was changed. "
                "Check that the disk is not full and the file is writable, then try again."
            ) from exc

    # ----------------------------------------------------------------- episodes
    def add_episode(self, episode: Episode, *, now: datetime | None = None) -> Episode:
        """Validate and save a new episode; return it with its id and timestamps."""
        validate(episode, now)
        params = _episode_params(episode)
        params["created_at"] = params["updated_at"] = stamp = _now_utc()
        params["id"] = episode.id
        with self.transaction() as conn:
            cur = conn.execute(
                f"INSERT INTO episode (id, {', '.join(k for k in params if k != 'id')}) "
                f"VALUES (:id, {', '.join(':' + k for k in params if k != 'id')})",
                params,
            )
        return episode.replace(
            id=cur.lastrowid,
            started_at=episode.started_at.replace(microsecond=0),
            created_at=stamp,
            updated_at=stamp,
        )

    def add_episodes(self, episodes, *, now: datetime | None = None) -> int:
        """Validate and save many new episodes in one transaction (all or none); return count."""
        now = now or datetime.now().astimezone()
        stamp = _now_utc()
        rows = []
        for episode in episodes:
            validate(episode, now)
            rows.append({**_episode_params(episode), "created_at": stamp, "updated_at": stamp})
        if rows:
            columns = list(rows[0])
            with self.transaction() as conn:
                conn.executemany(
                    f"INSERT INTO episode ({', '.join(columns)}) "
                    f"VALUES ({', '.join(':' + c for c in columns)})",
                    rows,
                )
        return len(rows)

    def restore_episode(self, episode: Episode) -> Episode:
        """Put back a deleted episode under its old id and timestamps (used by Undo)."""
        params = _episode_params(episode)
        params.update(id=episode.id, created_at=episode.created_at, updated_at=episode.updated_at)
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

    def last_defaults(self) -> dict[str, object]:
        """What the most recently saved episode recorded for the quick-form fields.

        Only recorded values are returned: the form offers them as "Same as last time", it never
        preselects them. A field the last episode left out is absent from the result.
        """
        row = self.conn.execute(
            "SELECT side, site, severity, activity, hydration, footwear, footwear_tight "
            "FROM episode ORDER BY created_at DESC, id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return {}
        side, site, severity, activity, hydration, footwear, tight = row
        values = {
            "side": side,
            "site": _split(site) or None,
            "severity": severity,
            "activity": activity,
            "hydration": hydration,
            "footwear": footwear,
        }
        found = {name: value for name, value in values.items() if value is not None}
        if footwear is not None:
            found["footwear_tight"] = bool(tight)
        return found

    # ----------------------------------------------------------------- settings
    def get_setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
        return default if row is None else row[0]

    def set_setting(self, key: str, value: str | None) -> None:
        with self.transaction() as conn:
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
    order = SORT_KEYS.get(sort_key)
    if order is None:
        raise ValueError(f"cannot sort by {sort_key!r}")
    where, params = _filter_sql(flt)
    direction = "DESC" if descending else "ASC"
    sql = f"SELECT {columns} FROM episode"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {order} {direction}, start_utc {direction}, id {direction}"
    return sql, params


def _filter_sql(flt: HistoryFilter) -> tuple[list[str], list]:
    where: list[str] = []
    params: list = []
    if flt.date_from:
        where.append("substr(started_at, 1, 10) >= ?")
        params.append(flt.date_from)
    if flt.date_to:
        where.append("substr(started_at, 1, 10) <= ?")
        params.append(flt.date_to)
    if flt.text.strip():
        escaped = flt.text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where.append("notes LIKE ? ESCAPE '\\'")
        params.append(f"%{escaped}%")
    return where, params


# --------------------------------------------------------------------- helpers for opening
def _check_header(path: Path) -> None:
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except PermissionError:
        raise ReadOnlyLocationError(
            f"Cannot read {_describe(path)}: permission denied. Check the file's permissions."
        ) from None
    if head and head != SQLITE_MAGIC:
        raise NotADatabaseError(
            f"{_describe(path)} is not a Cramp Tracker database (it is not an SQLite file). "
            "It was left untouched. Check the path, or open a different file with --db."
        )


def _read_checks(conn: sqlite3.Connection, path: Path) -> int:
    """Checks that only read: a readable database, intact, of a schema we know."""
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        problems = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.DatabaseError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise DatabaseLockedError(
                f"{_describe(path)} is busy in another program. Close it and try again."
            ) from None
        raise CorruptDatabaseError(
            f"{_describe(path)} is damaged and cannot be read ({exc}). It was left untouched. "
            "Restore it from a backup (the 'backups' folder beside it), or open another file."
        ) from None
    if problems != ["ok"]:
        raise CorruptDatabaseError(
            f"{_describe(path)} is damaged ({problems[0]}). It was left untouched. "
            "Restore it from a backup (the 'backups' folder beside it), or open another file."
        )
    if version > LATEST_VERSION:
        raise NewerSchemaError(
            f"{_describe(path)} was saved by a newer version of Cramp Tracker (format {version}; "
            f"this version knows up to {LATEST_VERSION}). It was left untouched. "
            "Update Cramp Tracker to open it."
        )
    if version == 0:
        tables = conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]
        if tables:
            raise NotADatabaseError(
                f"{_describe(path)} is an SQLite database from another program, not Cramp "
                "Tracker. It was left untouched. Open a different file with --db."
            )
    return version


def _migrate(conn: sqlite3.Connection, version: int) -> None:
    for number in range(version + 1, LATEST_VERSION + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(MIGRATIONS[number - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
        except BaseException:
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
    """Copy the file with SQLite's backup API before its schema is upgraded."""
    folder = backup_dir(path)
    folder.mkdir(mode=0o700, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{path.stem}-before-migration-v{version}-{stamp}.sqlite"
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
    finally:
        dest.close()
    os.chmod(target, 0o600)
    return target


def _acquire_lock(path: Path) -> int | None:
    if fcntl is None:  # pragma: no cover
        return None
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise ReadOnlyLocationError(
            f"Cannot open {_describe(path)} for writing ({exc.strerror}). "
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
