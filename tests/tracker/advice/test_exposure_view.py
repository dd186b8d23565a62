"""End to end: the demo diary's check-ins, medicines and cramps go through the store (the
cramps counted per day from the stored episodes by ``Store.cramps_by_day``), and the insights
find the effects built into it, and nothing where there is none."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.advice import exposure_view, knowledge
from tracker.analysis.exposure import factor_insights
from tracker.diary import demo_checkins
from tracker.diary.checkin import CheckIn

UNTIL = date(2026, 6, 1)


@pytest.fixture(scope="module")
def diary():
    return demo_checkins.generate_diary(730, seed=1, until=UNTIL)


@pytest.fixture
def filled(store, diary):
    store.add_episodes(diary.episodes)
    store.add_checkins(diary.checkins, today=UNTIL)
    for medicine in diary.medicines:
        store.add_medicine(medicine, today=UNTIL)
    return store


def test_the_store_counts_what_the_diary_was_made_of(filled, diary):
    assert filled.cramps_by_day() == dict(diary.counts)


def test_the_built_in_effects_are_found_through_the_store(filled):
    view = exposure_view.gather(filled, knowledge.default(), UNTIL)
    assert view.report is not None
    clear = {(i.factor.key, i.window.key) for i in view.clear}
    assert clear == {("low_fluids", "following_night"), ("hard_exercise", "same_day")}
    for key in clear:
        c = view.report.get(*key).comparison
        assert c.low < demo_checkins.LOW_FLUIDS_NIGHT_RR < c.high  # both effects are 2.0
        assert c.rate_ratio > 1.4
    changes = {(c.medicine.name, c.event): c for c in view.medicines}
    started = changes[(demo_checkins.MEDICINE_NAME, "started")]
    assert started.clear and started.comparison.rate_ratio > 1
    supplement = [c for (name, _), c in changes.items() if name == demo_checkins.SUPPLEMENT_NAME]
    assert len(supplement) == 2 and not any(c.clear for c in supplement)


def test_gather_is_factor_insights_of_the_stored_data(filled, diary):
    view = exposure_view.gather(filled, knowledge.default(), UNTIL)
    truth = factor_insights(diary.checkins, diary.counts)
    assert view.report == truth
    assert view.checkin_days == len(diary.checkins)
    order = [*view.clear, *view.unclear, *view.waiting]
    assert sorted(map(id, order)) == sorted(map(id, view.report.insights))


def test_an_empty_diary_has_nothing_to_compare(store):
    view = exposure_view.gather(store, knowledge.default(), UNTIL)
    assert view.report is None and view.medicines == () and view.clear == ()


def test_a_few_checkins_say_how_many_more_are_needed(store):
    store.add_checkins(
        [CheckIn(day=date(2026, 5, d), fluids="less" if d % 2 else "usual") for d in (1, 2, 3)],
        today=UNTIL,
    )
    view = exposure_view.gather(store, knowledge.default(), UNTIL)
    insight = view.report.get("low_fluids", "same_day")
    assert not insight.shown and insight in view.waiting
    assert insight.needs_checkins is None  # no cramps yet: more check-ins alone cannot say


def test_links_prefer_prevention_and_sources_are_cited_once():
    kb = knowledge.default()
    tips = exposure_view.supported_tips(kb, tuple(t.id for t in kb.tips))
    assert len(tips) == exposure_view.TIPS_PER_INSIGHT
    assert all(t.kind == "prevention" for t in tips)
    sources = exposure_view.cited_sources(kb, tips, ("a003",))
    assert sources[0].id == "a003" and len({s.id for s in sources}) == len(sources)
