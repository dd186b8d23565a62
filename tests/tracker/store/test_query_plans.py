"""Every query the UI runs is planned on an index (issue #11): EXPLAIN QUERY PLAN for each.

Each query is captured as the real code runs it (a recording connection in the Store), so a
change to the SQL is checked without copying it here. The rules:

- a query bounded by a period, an id or a filter that an index can serve SEARCHes an index;
  none does a plain ``SCAN episode`` (every row of the table, no index);
- no query sorts in a temporary B-tree what an index could give in order
  (``USE TEMP B-TREE FOR ORDER BY``); grouping a period's rows (GROUP BY) may use one.

The few exceptions are listed with the reason they are acceptable (EXEMPT_*).
"""

from __future__ import annotations

import re
import sqlite3
from datetime import date, timedelta

import pytest

from tracker.analysis import aggregates
from tracker.diary import demo
from tracker.diary.periods import Period
from tracker.report.data import ReportRequest, build_report
from tracker.store import Store
from tracker.store.export_queries import count_in_period, episodes_in_period
from tracker.store.history import (
    MULTI_CHOICES,
    NOT_RECORDED_CODE,
    SEVERITY_BANDS,
    SINGLE_CHOICES,
    SITE_AREAS,
    SORT_KEYS,
    HistoryFilter,
    first_history_ids,
)
from tracker.store.import_writes import insert_imported

TODAY = date(2026, 6, 30)
YEAR = Period(TODAY - timedelta(days=364), TODAY)
MONTH = (TODAY - timedelta(days=29)).isoformat()

# Sorts by the label people read (a CASE over the vocabulary) or by free text: no index can
# hold that order. Acceptable: the history asks only for the ids in that order (one pass over
# a small index-sized list, 100k ids sort in ~0.1 s, off the UI thread's frame budget) and
# fetches the rows it shows in blocks of a few hundred by id (history row blocks, below).
EXEMPT_LABEL_SORTS = {*SINGLE_CHOICES, *MULTI_CHOICES, "notes"} & set(SORT_KEYS)
# Substring searches (a word anywhere in the notes or a label; a site inside a ';'-joined list)
# cannot use a B-tree index: they read the rows in the start index's order (so never sort),
# and once dates bound them, only the period's rows.
SCAN_IN_START_ORDER = "SCAN episode USING INDEX episode_start_utc"


class Recorder:
    """A connection that records every statement (and its parameters) before running it."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.statements: list[tuple[str, tuple]] = []

    def execute(self, sql, params=()):
        self.statements.append((sql, tuple(params) if not isinstance(params, dict) else params))
        return self.conn.execute(sql, params)

    def executemany(self, sql, rows):
        return self.conn.executemany(sql, rows)

    def __getattr__(self, name):
        return getattr(self.conn, name)


@pytest.fixture(scope="module")
def diary(tmp_path_factory):
    path = tmp_path_factory.mktemp("plans") / "cramps.sqlite"
    with Store.open(path) as store:
        store.add_episodes(demo.generate(400, seed=3, until=TODAY))
    store = Store.open(path)
    yield store
    store.close()


def captured(store: Store, action) -> list[tuple[str, tuple]]:
    """The episode-table statements ``action(store)`` runs."""
    real = store.conn
    recorder = Recorder(real)
    store.conn = recorder  # type: ignore[assignment]
    try:
        action(store)
    finally:
        store.conn = real
    return [(sql, params) for sql, params in recorder.statements if " episode" in sql]


def plan(store: Store, sql: str, params) -> list[str]:
    return [row[3] for row in store.db.execute(f"EXPLAIN QUERY PLAN {sql}", params)]


def problems(lines: list[str], *, bounded: bool) -> list[str]:
    found = []
    for line in lines:
        if re.fullmatch(r"SCAN episode", line):
            found.append("reads the whole table without an index")
        if "TEMP B-TREE FOR" in line and "ORDER BY" in line:
            found.append("sorts in a temporary B-tree")
    if bounded and not any(line.startswith("SEARCH episode USING") for line in lines):
        found.append("is bounded but searches no index")
    return found


def assert_planned(store: Store, statements, *, bounded: bool) -> None:
    assert statements, "no query was run"
    for sql, params in statements:
        lines = plan(store, sql, params)
        assert not problems(lines, bounded=bounded), (sql, lines, problems(lines, bounded=bounded))


# --------------------------------------------------------------------------- the history
@pytest.mark.parametrize("descending", [True, False], ids=["desc", "asc"])
@pytest.mark.parametrize("sort_key", sorted(SORT_KEYS))
def test_history_page_in_each_order(diary, sort_key, descending):
    statements = captured(diary, lambda s: s.history_ids(sort_key=sort_key, descending=descending))
    [(sql, params)] = statements
    lines = plan(diary, sql, params)
    if sort_key in EXEMPT_LABEL_SORTS:
        assert lines[0].startswith("SCAN episode"), lines  # every id, then sorted: see above
        return
    assert not problems(lines, bounded=False), (sql, lines)
    assert "INDEX" in lines[0], lines  # the order comes from an index


def test_history_first_rows_walk_the_start_index_and_stop(diary):
    """The rows start-up shows before the other ids are read: an index walk with a LIMIT."""
    statements = captured(
        diary, lambda s: first_history_ids(s, HistoryFilter(), "started_at", True, 60)
    )
    [(sql, params)] = statements
    assert sql.endswith("LIMIT ?") and params[-1] == 60
    lines = plan(diary, sql, params)
    assert not problems(lines, bounded=False), (sql, lines)
    assert lines == ["SCAN episode USING COVERING INDEX episode_start_utc"], lines  # no sort


def test_history_default_order_has_no_repeated_sort_column(diary):
    [(sql, _)] = captured(diary, lambda s: s.history_ids())
    order = sql.split("ORDER BY", 1)[1]
    terms = [t.strip().split()[0] for t in order.split(",")]
    assert len(terms) == len(set(terms)) == 2, order  # start_utc, id: nothing sorted twice


FILTERS = {
    "dates": HistoryFilter(date_from=MONTH, date_to=TODAY.isoformat()),
    "from a date": HistoryFilter(date_from=MONTH),
    **{f"severity {b}": HistoryFilter(severity_band=b) for b in SEVERITY_BANDS},
    "severity not recorded": HistoryFilter(severity_band=NOT_RECORDED_CODE),
    "activity": HistoryFilter(activity="walking"),
    "activity not recorded": HistoryFilter(activity=NOT_RECORDED_CODE),
    "dates and search text": HistoryFilter(date_from=MONTH, text="toe walk"),
    "dates and site area": HistoryFilter(date_from=MONTH, site_area="toes"),
    "dates and severity": HistoryFilter(date_from=MONTH, severity_band="severe"),
}


@pytest.mark.parametrize("name", list(FILTERS))
def test_history_filters_search_an_index(diary, name):
    flt = FILTERS[name]
    statements = captured(diary, lambda s: s.history_ids(flt))
    [(sql, params)] = statements
    lines = plan(diary, sql, params)
    assert any(line.startswith("SEARCH episode USING") for line in lines), (sql, lines)
    assert not any(re.fullmatch(r"SCAN episode", line) for line in lines), lines
    if name.startswith("severity ") and name != "severity not recorded":
        # a band is a range of severities: its rows (a part of the diary) are sorted by start
        return
    assert not any("ORDER BY" in line for line in lines), (name, lines)
    if "dates" in name or "date" in name:  # the period bounds it: found on the start index
        assert any("start_utc>?" in line for line in lines), (name, lines)


@pytest.mark.parametrize(
    "flt",
    [
        HistoryFilter(text="walk"),
        HistoryFilter(site_area="toes"),
        *[HistoryFilter(site_area=a) for a in list(SITE_AREAS)[:2]],
        HistoryFilter(site_area=NOT_RECORDED_CODE),
    ],
    ids=["search text", "site toes", "site area a", "site area b", "site not recorded"],
)
def test_history_substring_filters_read_in_start_order(diary, flt):
    [(sql, params)] = captured(diary, lambda s: s.history_ids(flt))
    assert plan(diary, sql, params) == [SCAN_IN_START_ORDER], sql


@pytest.mark.parametrize("sort_key", ["duration_s", "severity"])
def test_history_filtered_by_dates_in_another_order(diary, sort_key):
    flt = HistoryFilter(date_from=MONTH)
    [(sql, params)] = captured(diary, lambda s: s.history_ids(flt, sort_key=sort_key))
    lines = plan(diary, sql, params)
    # either the period's rows are found on the start index (then sorted: a month, not the
    # diary), or the whole order comes from the sort's index; never a plain scan
    assert not any(re.fullmatch(r"SCAN episode", line) for line in lines), lines
    assert any("INDEX" in line for line in lines), lines


def test_history_row_blocks_by_id(diary):
    ids = diary.history_ids()[:300]
    statements = captured(diary, lambda s: s.rows_by_id(ids))
    assert_planned(diary, statements, bounded=True)
    assert "INTEGER PRIMARY KEY" in plan(diary, *statements[0])[0]


# ------------------------------------------------------------- the history after one change
PLACING_FILTERS = {
    "nothing hidden": HistoryFilter(),
    **FILTERS,
    "search text": HistoryFilter(text="walk"),
    "site toes": HistoryFilter(site_area="toes"),
    "site not recorded": HistoryFilter(site_area=NOT_RECORDED_CODE),
}


@pytest.mark.parametrize("name", list(PLACING_FILTERS))
def test_history_checks_a_changed_episode_by_its_id(diary, name):
    """Whether a saved episode passes the filter: found by primary key, whatever the filter
    (never the period's range on the start index, never a scan)."""
    ids = diary.history_ids()[:3]
    statements = captured(diary, lambda s: s.history_shown(ids, PLACING_FILTERS[name]))
    [(sql, params)] = statements
    [line] = plan(diary, sql, params)
    assert line.startswith("SEARCH episode USING INTEGER PRIMARY KEY"), (name, line)


@pytest.mark.parametrize("descending", [True, False], ids=["desc", "asc"])
@pytest.mark.parametrize("sort_key", sorted(SORT_KEYS))
def test_history_order_keys_by_id(diary, sort_key, descending):
    ids = diary.history_ids()[:2]
    statements = captured(diary, lambda s: s.history_order_keys(ids, sort_key, descending))
    [(sql, params)] = statements
    [line] = plan(diary, sql, params)
    assert line.startswith("SEARCH episode USING INTEGER PRIMARY KEY"), (sort_key, line)


# --------------------------------------------------------------------------- the form, counts
def test_last_defaults_read_the_newest_on_an_index(diary):
    [(sql, params)] = captured(diary, lambda s: s.last_defaults())
    assert plan(diary, sql, params) == ["SCAN episode USING INDEX episode_created_at"], sql
    assert "LIMIT" in sql  # the index scan stops after the newest few


def test_recent_episodes_on_the_start_index(diary):
    [(sql, params)] = captured(diary, lambda s: s.recent_episodes(20))
    assert plan(diary, sql, params) == ["SCAN episode USING INDEX episode_start_utc"], sql
    assert "LIMIT" in sql


def test_count_reads_an_index_not_the_table(diary):
    [(sql, params)] = captured(diary, lambda s: s.count_episodes())
    [line] = plan(diary, sql, params)
    assert line.startswith("SCAN episode USING COVERING INDEX"), line


# --------------------------------------------------------------------------- periods
def test_patterns_for_a_bounded_period_search_the_start_index(diary):
    statements = captured(diary, lambda s: aggregates.patterns(s, YEAR, today=TODAY))
    assert_planned(diary, statements, bounded=True)


def test_report_for_a_bounded_period_searches_the_start_index(diary):
    request = ReportRequest(YEAR, TODAY)
    statements = captured(diary, lambda s: build_report(s, request))
    assert_planned(diary, statements, bounded=True)


def test_export_of_a_period_searches_the_start_index_in_order(diary):
    statements = captured(diary, lambda s: list(episodes_in_period(s, YEAR)))
    assert_planned(diary, statements, bounded=True)


def test_export_progress_counts_a_period_on_the_start_index(diary):
    statements = captured(diary, lambda s: count_in_period(s, YEAR))
    assert_planned(diary, statements, bounded=True)


def test_patterns_for_all_dates_never_sort_the_diary(diary):
    """ "All dates" must count every episode, so its grouped queries read the whole table (in a
    worker: ui/patterns/page.py); they group, and never sort the diary for an ORDER BY."""
    statements = captured(diary, lambda s: aggregates.patterns(s, Period(None, None), today=TODAY))
    assert statements
    for sql, params in statements:
        for line in plan(diary, sql, params):
            assert not ("TEMP B-TREE" in line and "ORDER BY" in line), (sql, line)


# --------------------------------------------------------------------------- import
def test_import_duplicate_lookup_searches_the_start_index(diary):
    episode = next(diary.iter_episodes())
    index = diary.import_index()
    recorder = Recorder(diary.conn)
    index.conn = recorder  # type: ignore[assignment]
    assert index.contains(episode)
    statements = recorder.statements
    assert_planned(diary, statements, bounded=True)
    assert "start_utc=?)" in plan(diary, *statements[0])[0]  # one instant, not a range


def test_import_reads_the_diary_once_on_covering_indexes(diary):
    """Building the duplicate index reads every start once, from an index, not the table."""
    episode = next(diary.iter_episodes())
    recorder = Recorder(diary.conn)
    with diary.transaction():
        insert_imported(recorder, [episode], "2026-01-01T00:00:00+00:00")  # a duplicate
    for sql, params in recorder.statements:
        for line in plan(diary, sql, params):
            assert not re.fullmatch(r"SCAN episode", line), (sql, line)
            assert "ORDER BY" not in line, (sql, line)


# --------------------------------------------------------------------------- the doctor banner
def test_doctor_banner_rows_search_the_start_index_in_order(diary):
    from datetime import datetime, time

    from tracker.advice import doctor_rules

    now = datetime.combine(TODAY, time(12)).astimezone()
    statements = captured(diary, lambda s: doctor_rules.alerts_now(s, None, now))
    assert len(statements) == 1
    assert_planned(diary, statements, bounded=True)


# --------------------------------------------------------------------------- check-ins, medicines
@pytest.fixture(scope="module")
def checkin_diary(diary):
    """The module's diary with a season of check-ins and a few medicines."""
    from tracker.diary.checkin import CheckIn, Medicine

    if diary.count_checkins() == 0:
        diary.add_checkins(
            CheckIn(day=TODAY - timedelta(days=n), fluids=("less", "usual")[n % 2])
            for n in range(120)
        )
        for name, start in (("Statin", date(2026, 1, 5)), ("Magnesium", date(2026, 3, 1))):
            diary.add_medicine(Medicine(name, "medicine", start), today=TODAY)
    return diary


def captured_tables(store: Store, action, *tables: str) -> list[tuple[str, tuple]]:
    """The statements ``action(store)`` runs that read one of ``tables``."""
    real = store.conn
    recorder = Recorder(real)
    store.conn = recorder  # type: ignore[assignment]
    try:
        action(store)
    finally:
        store.conn = real
    return [(s, p) for s, p in recorder.statements if any(f" {t}" in s for t in tables)]


RANGE = (TODAY - timedelta(days=30), TODAY)


@pytest.mark.parametrize(
    "action",
    [
        lambda s: s.get_checkin(TODAY),
        lambda s: s.checkins_between(*RANGE),
        lambda s: s.checkin_days(*RANGE),
    ],
    ids=["one day", "a range of days", "which days"],
)
def test_check_ins_of_days_search_the_day_key(checkin_diary, action):
    statements = captured_tables(checkin_diary, action, "checkin")
    assert statements
    for sql, params in statements:
        lines = plan(checkin_diary, sql, params)
        assert any(line.startswith("SEARCH checkin USING PRIMARY KEY") for line in lines), lines
        assert not any("TEMP B-TREE" in line for line in lines), (sql, lines)


def test_every_check_in_reads_the_table_in_day_order(checkin_diary):
    """All check-ins (ten years: 3,650 rows) is the whole table by design; it comes in the
    key's order, never sorted. Counting them reads the same small table."""
    statements = captured_tables(
        checkin_diary, lambda s: (s.all_checkins(), s.count_checkins()), "checkin"
    )
    assert statements
    for sql, params in statements:
        lines = plan(checkin_diary, sql, params)
        tables = [line for line in lines if line.startswith(("SCAN", "SEARCH"))]
        assert "SCAN checkin" in tables, (sql, lines)
        assert all(line in ("SCAN checkin", "SCAN q") for line in tables), (sql, lines)
        assert not any("TEMP B-TREE" in line for line in lines), (sql, lines)


def test_medicines_come_in_order_from_their_index(checkin_diary):
    [(sql, params)] = captured_tables(checkin_diary, lambda s: s.medicines(), "medicine")
    assert plan(checkin_diary, sql, params) == ["SCAN medicine USING INDEX medicine_started_on"]
    some = checkin_diary.medicines()[0].id
    [(sql, params)] = captured_tables(checkin_diary, lambda s: s.get_medicine(some), "medicine")
    [line] = plan(checkin_diary, sql, params)
    assert line.startswith("SEARCH medicine USING INTEGER PRIMARY KEY"), line


def test_cramps_by_day_groups_the_whole_diary_and_never_sorts_it(checkin_diary):
    """Like Patterns' "All dates": every episode counts, so the one grouped query reads the
    whole table (in a worker); it groups (a temporary B-tree for GROUP BY) and never sorts
    for an ORDER BY."""
    statements = captured(checkin_diary, lambda s: s.cramps_by_day())
    assert len(statements) == 1  # one query, handed over packed
    [(sql, params)] = statements
    lines = plan(checkin_diary, sql, params)
    assert "SCAN episode" in lines
    assert not any("TEMP B-TREE" in line and "ORDER BY" in line for line in lines), lines
