"""Patterns updated by a change (aggregates.apply_changes) equal a fresh aggregation, after any
sequence of adds, edits, deletes and undos, for open, preset and short custom ranges."""

import random
from datetime import date, timedelta, timezone

import pytest

from tracker.analysis import aggregates as agg
from tracker.analysis.aggregates import Period
from tracker.diary.demo import generate

TODAY = date(2026, 11, 20)


def comparable(data: agg.PatternData) -> str:
    """Everything in PatternData, NaN medians included (NaN != NaN, but its repr is equal)."""
    return repr(data)


def tallies(data: agg.PatternData) -> dict:
    """The month tallies the medians come from, in a form that ignores their order."""
    return {
        month: (t.count, t.not_rated, sorted(t.severities), sorted(t.durations))
        for month, t in (data.month_tallies or {}).items()
    }


def periods() -> list[Period]:
    return [
        Period(),  # "All dates": granularity follows the span
        Period.last_days(30, TODAY),
        Period.last_days(90, TODAY),
        Period.last_days(365, TODAY),
        Period(date(2025, 6, 1), date(2025, 6, 20)),
        Period(None, date(2026, 3, 1)),
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_any_sequence_of_changes_equals_a_fresh_aggregation(store, seed):
    rng = random.Random(seed)
    pool = list(generate(400, seed=seed, until=TODAY))
    for episode in pool[:150]:
        store.add_episode(episode)
    ids = [row[0] for row in store.db.execute("SELECT id FROM episode")]
    cached = {p: agg.patterns(store, p, today=TODAY) for p in periods()}
    deleted = []
    revision = store.revision
    updated = refreshed = 0
    for step in range(120):
        action = rng.choice(["add", "add", "edit", "delete", "undo"])
        if action == "add" or not ids:
            episode = rng.choice(pool)
            if rng.random() < 0.3:  # another offset: local date and hour differ from UTC
                offset = timezone(timedelta(hours=rng.choice([-11, -5, 5.5, 9, 14])))
                episode = episode.replace(started_at=episode.started_at.astimezone(offset))
            ids.append(store.add_episode(episode).id)
        elif action == "edit":
            target = store.get_episode(rng.choice(ids))
            other = rng.choice(pool)
            fields = rng.sample(
                ["started_at", "duration_s", "side", "site", "severity", "activity", "relief"],
                3,
            )
            store.update_episode(target.replace(**{f: getattr(other, f) for f in fields}))
        elif action == "delete":
            victim = ids.pop(rng.randrange(len(ids)))
            deleted.append(store.delete_episode(victim))
        elif deleted and deleted[-1].id not in ids:  # undo: unless a new one took its id
            ids.append(store.restore_episode(deleted.pop()).id)
        if rng.random() < 0.3 and step % 2:
            continue  # several changes at once, as when Patterns was hidden meanwhile
        changes = store.changes_since(revision)
        assert changes is not None
        revision = store.revision
        months: dict = {}  # shared by the ranges, as the page does
        for period, data in cached.items():
            fresh = agg.patterns(store, period, today=TODAY)
            new = agg.apply_changes(store, data, changes, months)
            if new is None:
                refreshed += 1
                new = fresh
            else:
                updated += 1
            assert comparable(new) == comparable(fresh), (step, action, period)
            assert tallies(new) == tallies(fresh), (step, action, period)
            cached[period] = new
    assert updated > 10 * refreshed  # the delta is the usual way, not the exception


def test_a_change_outside_the_range_returns_the_same_data(store):
    pool = list(generate(50, seed=4, until=TODAY))
    for episode in pool:
        store.add_episode(episode)
    june = Period(date(2025, 6, 1), date(2025, 6, 30))
    data = agg.patterns(store, june, today=TODAY)
    revision = store.revision
    outside = pool[0].replace(started_at=pool[0].started_at.replace(year=2026, month=11, day=1))
    store.add_episode(outside)
    assert agg.apply_changes(store, data, store.changes_since(revision) or []) is data


def test_a_change_updates_the_medians_without_reading_the_month_again(store, monkeypatch):
    """With 1,000,000 episodes reading a month again cost ~64 ms per save; the kept tallies
    make it a few dictionary updates (copied per month, not for the whole history)."""
    from tracker.store import pattern_queries as queries

    for episode in generate(200, seed=6, until=TODAY):
        store.add_episode(episode)
    period = Period()
    data = agg.patterns(store, period, today=TODAY)
    revision = store.revision
    saved = store.add_episode(
        next(iter(generate(1, seed=9, until=TODAY))).replace(duration_s=12_345, severity=10)
    )

    def no_month_reads(*args, **kwargs):
        raise AssertionError("a month was read again")

    monkeypatch.setattr(queries, "month_severity_duration", no_month_reads)
    new = agg.apply_changes(store, data, store.changes_since(revision) or [])
    assert new is not None and new.total == data.total + 1
    month = saved.started_at.strftime("%Y-%m")
    assert (12_345, 1) in new.month_tallies[month].durations
    assert (12_345, 1) not in data.month_tallies.get(month, agg.MonthTally()).durations  # kept
    untouched = next(m for m in data.month_tallies if m != month)
    assert new.month_tallies[untouched] is data.month_tallies[untouched]  # shared, not copied
    monkeypatch.undo()
    assert comparable(new) == comparable(agg.patterns(store, period, today=TODAY))


def test_changes_since_is_unknown_after_a_bulk_write_or_reopen(store):
    pool = list(generate(5, seed=5, until=TODAY))
    revision = store.revision
    store.add_episode(pool[0])
    store.set_setting("patterns.range", "all")  # settings change no episode
    changes = store.changes_since(revision) or []
    assert [(before, after is not None) for before, after in changes] == [(None, True)]
    store.add_episodes(pool[1:])
    assert store.changes_since(revision) is None
    later = store.revision
    assert store.changes_since(later) == []
    assert store.changes_since(later + 1) is None


def test_the_queries_a_change_runs_use_an_index(store, monkeypatch):
    """A save reads the episode by its key and a month through the start_utc index."""
    from tracker.store import pattern_queries as queries

    plans = []
    real = queries.connection

    class Explaining:
        def __init__(self, conn):
            self.conn = conn

        def execute(self, sql, params=()):
            plans.append(
                " ".join(r[3] for r in self.conn.execute("EXPLAIN QUERY PLAN " + sql, params))
            )
            return self.conn.execute(sql, params)

    monkeypatch.setattr(queries, "connection", lambda source: Explaining(real(source)))
    queries.month_severity_duration(store, Period(), "2026-03", 0, 2_000_000_000)
    queries.month_severity_duration(store, Period.last_days(90, TODAY), "2026-09", 0, 2**31)
    assert all("USING INDEX episode_start_utc" in plan for plan in plans), plans
    facts_plan = store.db.execute(
        f"EXPLAIN QUERY PLAN SELECT {queries.FACTS_SQL} FROM episode WHERE id = ?", (1,)
    ).fetchall()
    assert "USING INTEGER PRIMARY KEY" in " ".join(row[3] for row in facts_plan)
