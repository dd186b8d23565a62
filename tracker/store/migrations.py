"""Numbered, append-only schema migrations. Never edit a released step; add a new one."""

from __future__ import annotations

# A random UUID in the version-4 layout (xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx), in SQL.
_UUID_SQL = (
    "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || "
    "substr(hex(randomblob(2)), 2) || '-' || substr('89AB', 1 + (abs(random()) % 4), 1) || "
    "substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))"
)

MIGRATIONS: list[str] = [
    # 1: episodes
    """
    CREATE TABLE episode (
        id             INTEGER PRIMARY KEY,
        started_at     TEXT    NOT NULL,  -- local wall clock with UTC offset, ISO 8601
        start_utc      INTEGER NOT NULL,  -- the same instant as Unix seconds, for ordering
        duration_s     INTEGER NOT NULL,
        side           TEXT    NOT NULL,
        site           TEXT    NOT NULL,  -- codes joined with ';'
        severity       INTEGER NOT NULL,
        activity       TEXT    NOT NULL,
        hydration      TEXT    NOT NULL,
        fluid_ml       INTEGER,
        footwear       TEXT    NOT NULL,
        footwear_tight INTEGER NOT NULL DEFAULT 0,
        relief         TEXT    NOT NULL DEFAULT '',
        relief_effect  TEXT,
        context        TEXT    NOT NULL DEFAULT '',
        warning_signs  TEXT    NOT NULL DEFAULT '',
        notes          TEXT    NOT NULL DEFAULT '',
        created_at     TEXT    NOT NULL,
        updated_at     TEXT    NOT NULL
    );
    CREATE INDEX episode_start_utc ON episode(start_utc);
    """,
    # 2: small per-user settings kept with the data (profile, dismissed notices, ...)
    """
    CREATE TABLE setting (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 3: "not recorded" is a state of its own. Side, severity, activity, hydration and footwear
    # may be NULL (the person did not say) and site may be empty; a start time may be marked as
    # approximate ("last night, around 3"). SQLite cannot relax NOT NULL in place, so the table
    # is rebuilt with every row copied unchanged. Existing values stay as they were.
    """
    CREATE TABLE episode_v3 (
        id               INTEGER PRIMARY KEY,
        started_at       TEXT    NOT NULL,
        start_utc        INTEGER NOT NULL,
        duration_s       INTEGER NOT NULL,
        side             TEXT,
        site             TEXT    NOT NULL DEFAULT '',
        severity         INTEGER,
        activity         TEXT,
        hydration        TEXT,
        fluid_ml         INTEGER,
        footwear         TEXT,
        footwear_tight   INTEGER NOT NULL DEFAULT 0,
        relief           TEXT    NOT NULL DEFAULT '',
        relief_effect    TEXT,
        context          TEXT    NOT NULL DEFAULT '',
        warning_signs    TEXT    NOT NULL DEFAULT '',
        notes            TEXT    NOT NULL DEFAULT '',
        time_approximate INTEGER NOT NULL DEFAULT 0,
        created_at       TEXT    NOT NULL,
        updated_at       TEXT    NOT NULL
    );
    INSERT INTO episode_v3 (
        id, started_at, start_utc, duration_s, side, site, severity, activity, hydration,
        fluid_ml, footwear, footwear_tight, relief, relief_effect, context, warning_signs,
        notes, created_at, updated_at
    )
    SELECT id, started_at, start_utc, duration_s, side, site, severity, activity, hydration,
        fluid_ml, footwear, footwear_tight, relief, relief_effect, context, warning_signs,
        notes, created_at, updated_at
    FROM episode;
    DROP TABLE episode;
    ALTER TABLE episode_v3 RENAME TO episode;
    CREATE INDEX episode_start_utc ON episode(start_utc);
    CREATE INDEX episode_created_at ON episode(created_at);
    """,
    # 4: a stable identifier per episode (a random UUID, version 4 layout) so that an export
    # sent twice to a clinic's FHIR server is recognised instead of duplicated, and one per diary
    # (setting 'diary_uid') for its placeholder Patient. SQLite has no uuid(), so the UUID is
    # built from randomblob; the trigger gives every row inserted without one (any insert path)
    # its own. A later step that rebuilds the episode table must re-create the trigger.
    f"""
    ALTER TABLE episode ADD COLUMN uid TEXT;
    UPDATE episode SET uid = {_UUID_SQL};
    CREATE UNIQUE INDEX episode_uid ON episode(uid);
    CREATE TRIGGER episode_uid_default AFTER INSERT ON episode
    WHEN NEW.uid IS NULL
    BEGIN
        UPDATE episode SET uid = {_UUID_SQL} WHERE id = NEW.id;
    END;
    INSERT OR IGNORE INTO setting (key, value) VALUES ('diary_uid', {_UUID_SQL});
    """,
    # 5: indexes for the history's sorts and filters, so none of them sorts or scans the whole
    # diary (tests/tracker/store/test_query_plans.py checks each query's plan). Each ends with
    # start_utc (and the rowid), the history's tie-break, so the index gives the whole order.
    # Severity has two: newest-worst first (NULLs, "not recorded", come last in descending
    # order anyway), and mildest first with "not recorded" still last (severity IS NULL first).
    """
    CREATE INDEX episode_duration ON episode(duration_s, start_utc);
    CREATE INDEX episode_severity ON episode(severity, start_utc);
    CREATE INDEX episode_severity_recorded_first ON episode(severity IS NULL, severity, start_utc);
    CREATE INDEX episode_activity ON episode(activity, start_utc);
    """,
    # 6: daily check-ins and the medicine list (issue 16), and how much a cramp disturbed sleep.
    # A check-in is one local calendar day ('YYYY-MM-DD', its key); every answer is a code of
    # tracker.diary.checkin or NULL, "not recorded" (a day without a row is missing, never "no").
    # A medicine has a random uid like an episode's (made by a trigger when an insert names
    # none). episode.sleep_disturbance (0-10) is NULL, "not recorded", for every older episode.
    f"""
    CREATE TABLE checkin (
        day                TEXT PRIMARY KEY,  -- the local calendar day, 'YYYY-MM-DD'
        fluids             TEXT,
        exercise           TEXT,
        long_still         TEXT,
        footwear           TEXT,
        stretched          TEXT,
        stress             TEXT,
        unwell             TEXT,
        medicines_as_usual TEXT,
        night_cramps       TEXT,              -- about the night that ended on this morning
        sleep_disturbance  INTEGER CHECK (sleep_disturbance BETWEEN 0 AND 10),
        notes              TEXT    NOT NULL DEFAULT '',
        created_at         TEXT    NOT NULL,
        updated_at         TEXT    NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE medicine (
        id         INTEGER PRIMARY KEY,
        uid        TEXT UNIQUE,
        name       TEXT    NOT NULL,
        kind       TEXT    NOT NULL,
        started_on TEXT    NOT NULL,  -- 'YYYY-MM-DD'
        stopped_on TEXT,              -- NULL: still taken
        dose       TEXT    NOT NULL DEFAULT '',
        created_at TEXT    NOT NULL,
        updated_at TEXT    NOT NULL
    );
    CREATE INDEX medicine_started_on ON medicine(started_on, name);
    CREATE TRIGGER medicine_uid_default AFTER INSERT ON medicine
    WHEN NEW.uid IS NULL
    BEGIN
        UPDATE medicine SET uid = {_UUID_SQL} WHERE id = NEW.id;
    END;
    ALTER TABLE episode ADD COLUMN sleep_disturbance INTEGER
        CHECK (sleep_disturbance BETWEEN 0 AND 10);
    """,
]

LATEST_VERSION = len(MIGRATIONS)
