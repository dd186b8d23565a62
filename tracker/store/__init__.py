"""The SQLite store: opening safely, migrations, and every SQL statement of the app.

The public face of the package; the code is split by concern:

- opening.py: opening a file safely (file checks, the lock, read-only checks, migrations) and
  the errors, with messages for a person;
- episodes.py: the Store (transactions, reading and writing episodes, settings, and the
  check-in and medicine methods, which delegate to checkins.py);
- checkins.py: daily check-ins, the medicine list, and cramps per local day and night;
- rows.py: episodes as stored rows; history.py: the history's filter, order and search;
- period_sql.py: a Period as a condition on the indexed start_utc column;
- pattern_queries.py, report_queries.py, export_queries.py, import_writes.py: the grouped
  queries of Patterns and the doctor summary, the export's episodes and the importer's writes;
- copies.py: copying a database and checking a database file; backup.py: backups and restore.
"""

from __future__ import annotations

from tracker.diary.periods import local_day_start_utc
from tracker.store import fileio
from tracker.store.copies import SQLITE_MAGIC
from tracker.store.episodes import DIARY_UID, Store, integrity_problem
from tracker.store.history import (
    MAX_SEARCH_WORDS,
    MULTI_CHOICES,
    NOT_RECORDED_CODE,
    SEVERITY_BANDS,
    SINGLE_CHOICES,
    SITE_AREAS,
    SORT_KEYS,
    TIGHT_WORD,
    HistoryFilter,
    codes_matching,
    search_matches,
    search_words,
)
from tracker.store.opening import (
    BACKUP_DIR,
    SIDE_SUFFIXES,
    CorruptDatabaseError,
    DatabaseLockedError,
    EpisodeNotFoundError,
    MedicineNotFoundError,
    NewerSchemaError,
    NotADatabaseError,
    ReadOnlyLocationError,
    StoreError,
    backup_before_migration,
    backup_dir,
    describe_sqlite_error,
)
from tracker.store.rows import (
    EPISODE_COLUMNS,
    episode_from_row,
    episode_params,
    new_uid,
    taken_uids,
)

__all__ = [
    "BACKUP_DIR",
    "DIARY_UID",
    "EPISODE_COLUMNS",
    "MAX_SEARCH_WORDS",
    "MULTI_CHOICES",
    "NOT_RECORDED_CODE",
    "SEVERITY_BANDS",
    "SIDE_SUFFIXES",
    "SINGLE_CHOICES",
    "SITE_AREAS",
    "SORT_KEYS",
    "SQLITE_MAGIC",
    "TIGHT_WORD",
    "CorruptDatabaseError",
    "DatabaseLockedError",
    "EpisodeNotFoundError",
    "HistoryFilter",
    "MedicineNotFoundError",
    "NewerSchemaError",
    "NotADatabaseError",
    "ReadOnlyLocationError",
    "Store",
    "StoreError",
    "backup_before_migration",
    "backup_dir",
    "codes_matching",
    "describe_sqlite_error",
    "episode_from_row",
    "episode_params",
    "fileio",
    "integrity_problem",
    "local_day_start_utc",
    "new_uid",
    "search_matches",
    "search_words",
    "taken_uids",
]
