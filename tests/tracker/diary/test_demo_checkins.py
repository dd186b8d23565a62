"""The check-in demo: reproducible and valid, and its built-in effects are what the exposure
insights find, while factors without an effect stay unclear."""

from datetime import date, datetime, time, timedelta

import pytest

from tracker.analysis.exposure import counts_by_day, factor_insights, medicine_changes
from tracker.diary import demo_checkins as dc
from tracker.diary.checkin import FACTORS, validate_checkin, validate_medicine
from tracker.diary.episode import validate

UNTIL = date(2026, 6, 1)
EFFECTS = {
    ("low_fluids", "following_night"): dc.LOW_FLUIDS_NIGHT_RR,
    ("hard_exercise", "same_day"): dc.HARD_EXERCISE_DAY_RR,
}
SEEDS = range(1, 7)


@pytest.fixture(scope="module")
def diary():
    return dc.generate_diary(730, seed=7, until=UNTIL)


def test_same_arguments_same_diary_and_episodes_only_add(diary):
    assert dc.generate_diary(730, seed=7, until=UNTIL) == diary
    assert dc.generate_diary(730, seed=8, until=UNTIL).counts != diary.counts
    lean = dc.generate_diary(730, seed=7, until=UNTIL, episodes=False)
    assert lean.episodes == ()
    assert (lean.checkins, lean.medicines, lean.counts) == (
        diary.checkins,
        diary.medicines,
        diary.counts,
    )


def test_episodes_are_the_counts_and_valid(diary):
    assert counts_by_day(e.started_at for e in diary.episodes) == diary.counts
    assert len(diary.episodes) == sum(a + b for a, b in diary.counts.values()) > 700
    starts = [e.started_at for e in diary.episodes]
    assert starts == sorted(starts)
    assert diary.first_day <= starts[0].date() and starts[-1].date() <= diary.until
    now = datetime.combine(UNTIL, time(12)).astimezone()
    for episode in diary.episodes:
        validate(episode, now)  # raises if a field is wrong


def test_checkins_on_most_days_with_some_answers_skipped(diary):
    share = len(diary.checkins) / 730
    assert 0.8 < share < 0.9
    assert len({c.day for c in diary.checkins}) == len(diary.checkins)
    for checkin in diary.checkins:
        assert validate_checkin(checkin, UNTIL) == []
    skipped = sum(c.fluids is None for c in diary.checkins) / len(diary.checkins)
    assert 0.02 < skipped < 0.12
    for medicine in diary.medicines:
        assert validate_medicine(medicine, UNTIL) == []
    # "Medicines as usual" only while one is taken.
    for checkin in diary.checkins:
        taking = any(m.taken_on(checkin.day) for m in diary.medicines)
        if not taking:
            assert checkin.medicines_as_usual is None
    # "Cramps last night" tells of the night before the check-in's day.
    answered = [c for c in diary.checkins if c.night_cramps is not None]
    for checkin in answered:
        night = diary.counts.get(checkin.day - timedelta(days=1), (0, 0))[1]
        if checkin.day > diary.first_day:
            assert (checkin.night_cramps == "yes") == (night > 0)


@pytest.mark.parametrize("seed", SEEDS)
def test_built_in_effects_are_found_and_clear(seed):
    diary = dc.generate_diary(730, seed=seed, until=UNTIL, episodes=False)
    report = factor_insights(diary.checkins, diary.counts)
    assert report.tests == 2 * len(FACTORS)  # two years: every comparison can be shown
    for (factor, window), true_rr in EFFECTS.items():
        insight = report.get(factor, window)
        assert insight.clear, insight.text
        assert true_rr / 1.5 < insight.comparison.rate_ratio < true_rr * 1.5


def test_intervals_contain_the_built_in_values_most_of_the_time():
    hits = total = 0
    for seed in SEEDS:
        diary = dc.generate_diary(730, seed=seed, until=UNTIL, episodes=False)
        report = factor_insights(diary.checkins, diary.counts)
        for (factor, window), true_rr in EFFECTS.items():
            c = report.get(factor, window).comparison
            hits += c.low <= true_rr <= c.high
            total += 1
        [started] = [
            m
            for m in medicine_changes(diary.medicines, diary.counts, diary.first_day, diary.until)
            if m.medicine.name == dc.MEDICINE_NAME
        ]
        c = started.comparison
        hits += c.low <= dc.MEDICINE_RR <= c.high
        total += 1
    # Each 95% interval misses now and then; most must hold the truth.
    assert hits >= total - 3, (hits, total)


def test_medicine_start_raises_the_rate_and_the_supplement_does_nothing_clear():
    medicine_clear = supplement_clear = 0
    for seed in SEEDS:
        diary = dc.generate_diary(730, seed=seed, until=UNTIL, episodes=False)
        changes = medicine_changes(diary.medicines, diary.counts, diary.first_day, diary.until)
        assert [(m.medicine.name, m.event) for m in changes] == [
            (dc.SUPPLEMENT_NAME, "started"),
            (dc.SUPPLEMENT_NAME, "stopped"),
            (dc.MEDICINE_NAME, "started"),
        ]
        medicine = changes[-1]
        assert medicine.comparison.rate_ratio > 1.2
        medicine_clear += medicine.clear
        supplement_clear += sum(m.clear for m in changes[:2])
    assert medicine_clear >= len(SEEDS) - 1
    assert supplement_clear <= 2  # 12 tests at the 5% level, each without an effect


def test_factors_without_an_effect_are_rarely_clear():
    seeds = range(1, 21)
    false_positives = []
    for seed in seeds:
        diary = dc.generate_diary(730, seed=seed, until=UNTIL, episodes=False)
        report = factor_insights(diary.checkins, diary.counts)
        false_positives += [
            (seed, i.factor.key, i.window.key)
            for i in report.clear
            if (i.factor.key, i.window.key) not in EFFECTS
        ]
    # 14 comparisons without an effect in each of 20 diaries; Holm keeps the chance of any
    # false finding in one diary near 5%.
    assert len(false_positives) <= 3, false_positives
