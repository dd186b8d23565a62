""" "For you" gathered in one call (the Tips page's worker): the same ranking as before, and the
same answer when the findings are updated by the changes instead of read again."""

import threading
from datetime import datetime, timedelta

import pytest

from tests.factories import make_episode
from tracker.advice import doctor_rules, for_you, knowledge, tips
from tracker.advice import profile as P
from tracker.analysis import aggregates


def _now():
    return datetime.now().astimezone().replace(microsecond=0)


def _diary(store, count=40):
    """Cramps over the last two months, mostly at night in bed and under-hydrated."""
    start = _now().replace(hour=1, minute=30) - timedelta(days=count + 1)
    for i in range(count):
        store.add_episode(
            make_episode(
                started_at=start + timedelta(days=i, hours=(i % 3) * 8),
                activity=("in_bed", "walking", "in_bed", "exercising")[i % 4],
                hydration="under" if i % 3 else "normal",
                footwear="high_heels" if i % 5 == 0 else None,
                severity=3 + i % 7,
            )
        )


def _shown(result):
    return [(m.tip.id, m.reasons) for m in result.matches]


@pytest.fixture
def kb():
    return knowledge.default()


def test_gather_ranks_as_the_page_always_did(store, kb):
    _diary(store)
    P.save_profile(store, P.Profile(age_range="65_plus"))
    now = _now()
    result = for_you.gather(kb, store, now)
    profile = P.load_profile(store)
    alerts = doctor_rules.alerts_now(store, profile, now)
    expected = tips.for_you(kb, store, today=now.date(), alerts=alerts)[: for_you.FOR_YOU_LIMIT]
    assert _shown(result) == [(m.tip.id, m.reasons) for m in expected]
    assert result.episodes == tips.RECENT_EPISODES
    assert result.findings == len(tips.pattern_insights(store, today=now.date())) > 0
    assert not result.profile_empty and result.today == now.date()


def test_an_empty_diary_reads_no_findings(store, kb):
    result = for_you.gather(kb, store, _now())
    assert result.episodes == 0 and result.findings == 0 and result.data is None


@pytest.mark.parametrize("change", ["add", "edit", "delete"])
def test_findings_updated_by_the_changes_equal_a_fresh_read(store, kb, monkeypatch, change):
    _diary(store)
    now = _now()
    first = for_you.gather(kb, store, now)
    revision = store.revision
    newest = store.recent_episodes(1)[0]
    if change == "add":
        store.add_episode(make_episode(started_at=now - timedelta(hours=2), hydration="under"))
    elif change == "edit":
        store.update_episode(newest.replace(activity="walking", footwear="high_heels"))
    else:
        store.delete_episode(newest.id)
    changes = store.changes_since(revision)
    assert changes  # single-episode writes are journalled
    fresh = for_you.gather(kb, store, now)

    def no_fresh_read(*args, **kwargs):
        raise AssertionError("read again instead of updated by the changes")

    monkeypatch.setattr(aggregates, "patterns", no_fresh_read)
    updated = for_you.gather(kb, store, now, first.data, changes)
    assert _shown(updated) == _shown(fresh)
    assert updated.findings == fresh.findings
    assert tips.keyed_findings(updated.data, now.date()) == tips.keyed_findings(
        fresh.data, now.date()
    )


def test_kept_data_of_another_day_is_read_again(store, kb, monkeypatch):
    _diary(store)
    now = _now()
    yesterday = for_you.gather(kb, store, now - timedelta(days=1))
    called = []
    real = aggregates.patterns
    monkeypatch.setattr(aggregates, "patterns", lambda *a, **k: called.append(1) or real(*a, **k))
    result = for_you.gather(kb, store, now, yesterday.data, [])
    assert called and _shown(result) == _shown(for_you.gather(kb, store, now))


def test_a_reader_beside_sees_the_saves_from_another_thread(store, kb):
    _diary(store, count=8)
    store.add_episode(make_episode(started_at=_now() - timedelta(hours=1), footwear="high_heels"))
    answers = []

    def work():
        with store.reader() as reader:
            answers.append(for_you.gather(kb, reader, _now()))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(30)
    assert answers and _shown(answers[0]) == _shown(for_you.gather(kb, store, _now()))
    assert "avoid-heels" in [m.tip.id for m in answers[0].matches]
