"""Medicines before/after: the windows, the thresholds, an oracle and the words."""

import math
from datetime import date, timedelta

import numpy as np
import pytest
import statsmodels.api as sm

from tracker.advice import knowledge
from tracker.analysis import exposure
from tracker.analysis.exposure import (
    MEDICINE_SOURCE_IDS,
    MEDICINE_TIP_IDS,
    MEDICINE_WINDOW_DAYS,
    MIN_MEDICINE_CRAMPS,
    MIN_SIDE_DAYS,
    medicine_changes,
)
from tracker.diary.checkin import Medicine

FIRST = date(2025, 1, 1)
DAY = timedelta(days=1)


def days(first, last):
    return [first + i * DAY for i in range((last - first).days + 1)]


def poisson_counts(seed, first, last, rate_before, rate_after, change):
    """(same day, night) counts, at a rate that changes on ``change``."""
    rng = np.random.default_rng(seed)
    counts = {}
    for d in days(first, last):
        rate = rate_after if d >= change else rate_before
        a, b = rng.poisson(rate / 2, size=2)
        if a or b:
            counts[d] = (int(a), int(b))
    return counts


def clustered_counts(seed, first, last, rate_before, rate_after, change, shape=0.4):
    """(same day, night) counts that cluster: Poisson at a gamma-distributed daily level."""
    rng = np.random.default_rng(seed)
    counts = {}
    for d in days(first, last):
        level = rng.gamma(shape, 1 / shape) * (rate_after if d >= change else rate_before)
        a, b = rng.poisson(level / 2, size=2)
        if a or b:
            counts[d] = (int(a), int(b))
    return counts


@pytest.mark.parametrize(
    "seed, clustered", [(11, False), (12, False), (13, False), (14, True), (15, True), (16, True)]
)
def test_start_matches_a_quasi_poisson_glm_on_the_days_of_both_windows(seed, clustered):
    start = FIRST + 120 * DAY
    today = FIRST + 300 * DAY
    make = clustered_counts if clustered else poisson_counts
    counts = make(seed, FIRST, today, 0.6, 1.3, start)
    [change] = medicine_changes([Medicine("Tablet", "medicine", start)], counts, FIRST, today)
    assert change.event == "started" and change.on == start
    assert change.before == (start - MEDICINE_WINDOW_DAYS * DAY, start - DAY)
    assert change.after == (start, start + (MEDICINE_WINDOW_DAYS - 1) * DAY)
    y, x = [], []
    for side, flag in ((change.before, 0.0), (change.after, 1.0)):
        for d in days(*side):
            y.append(sum(counts.get(d, (0, 0))))
            x.append(flag)
    model = sm.GLM(np.array(y, float), sm.add_constant(np.array(x)), family=sm.families.Poisson())
    dispersion = model.fit(tol=1e-13).pearson_chi2 / (len(y) - 2)
    # Quasi-Poisson, its scale floored at 1 as the app does.
    fit = model.fit(tol=1e-13, scale="X2" if dispersion > 1 else 1.0)
    low, high = np.exp(fit.conf_int()[1])
    c = change.comparison
    assert c.dispersion == pytest.approx(dispersion, rel=1e-9)
    assert bool(dispersion > 1.5) is clustered
    assert (exposure.CLUSTERS in change.text) is bool(dispersion >= exposure.CLUSTERED_DISPERSION)
    assert (c.rate_ratio, c.low, c.high, c.p_value) == pytest.approx(
        (math.exp(fit.params[1]), low, high, fit.pvalues[1]), rel=1e-6
    )
    assert change.before_cramps == sum(v for v, f in zip(y, x, strict=True) if not f)
    assert change.per_week_after == pytest.approx(7 * change.after_cramps / MEDICINE_WINDOW_DAYS)


def test_windows_clip_to_the_diary_and_to_the_time_taken():
    counts = {d: (1, 0) for d in days(FIRST, FIRST + 400 * DAY)}
    start, stop = FIRST + 20 * DAY, FIRST + 50 * DAY
    today = FIRST + 400 * DAY
    started, stopped = medicine_changes(
        [Medicine("Tablet", "medicine", start, stop)], counts, FIRST, today
    )
    assert started.before == (FIRST, start - DAY) and started.before_days == 20
    assert started.after == (start, stop)  # not past the stop
    assert stopped.event == "stopped" and stopped.on == stop + DAY
    assert stopped.before == (start, stop)  # not before the start
    assert stopped.after == (stop + DAY, stop + MEDICINE_WINDOW_DAYS * DAY)
    assert stopped.before_cramps == 31 and stopped.after_cramps == MEDICINE_WINDOW_DAYS
    # A change outside the diary's days says nothing.
    early = Medicine("Old", "medicine", FIRST - 30 * DAY, None)
    assert medicine_changes([early], counts, FIRST, today) == []


@pytest.mark.parametrize("before_days, shown", [(MIN_SIDE_DAYS - 1, False), (MIN_SIDE_DAYS, True)])
def test_each_side_needs_14_days_before(before_days, shown):
    start = FIRST + before_days * DAY
    counts = {d: (1, 0) for d in days(FIRST, FIRST + 100 * DAY)}
    [change] = medicine_changes(
        [Medicine("Tablet", "medicine", start)], counts, FIRST, FIRST + 100 * DAY
    )
    assert (change.comparison is not None) is shown
    if not shown:
        assert change.needs_days is None  # time does not add days before a start
        assert f"the diary has {before_days} days before it" in change.text


@pytest.mark.parametrize("after_days", [MIN_SIDE_DAYS - 4, MIN_SIDE_DAYS - 1, MIN_SIDE_DAYS])
def test_each_side_needs_14_days_after(after_days):
    start = FIRST + 60 * DAY
    today = start + (after_days - 1) * DAY
    counts = {d: (1, 1) for d in days(FIRST, today)}
    [change] = medicine_changes([Medicine("Tablet", "medicine", start)], counts, FIRST, today)
    assert change.after_days == after_days
    if after_days >= MIN_SIDE_DAYS:
        assert change.comparison is not None and change.needs_days is None
    else:
        assert change.comparison is None
        assert change.needs_days == MIN_SIDE_DAYS - after_days
        plural = "s" if change.needs_days != 1 else ""
        assert f"about {change.needs_days} more day{plural} of diary" in change.text


@pytest.mark.parametrize("cramps", [MIN_MEDICINE_CRAMPS - 1, MIN_MEDICINE_CRAMPS])
def test_needs_five_cramps_on_both_sides_together(cramps):
    start = FIRST + 60 * DAY
    today = start + 19 * DAY  # 20 days after, room to grow to 56
    spread = [start - 30 * DAY, start + 5 * DAY, start - 3 * DAY, start + 9 * DAY, start - 40 * DAY]
    counts = {d: (0, 1) for d in spread[:cramps]}
    [change] = medicine_changes([Medicine("Tablet", "medicine", start)], counts, FIRST, today)
    assert change.before_cramps + change.after_cramps == cramps
    if cramps >= MIN_MEDICINE_CRAMPS:
        assert change.comparison is not None
    else:
        # 4 cramps in 76 days: about 19 more days for a fifth
        assert change.comparison is None
        assert change.needs_days == math.ceil((MIN_MEDICINE_CRAMPS - cramps) / (cramps / 76))
        assert "more days of diary" in change.text


def test_no_cramps_at_all_cannot_be_compared():
    start = FIRST + 60 * DAY
    [change] = medicine_changes(
        [Medicine("Tablet", "medicine", start)], {}, FIRST, start + 100 * DAY
    )
    assert change.comparison is None and change.needs_days is None
    assert "too few cramps" in change.text


def test_more_cramps_after_a_start_is_worded_with_the_doctor_and_its_source():
    start = FIRST + 100 * DAY
    today = start + 80 * DAY
    counts = {d: (1, 1) if d < start else (2, 2) for d in days(FIRST, today)}
    [change] = medicine_changes([Medicine("Water tablet", "medicine", start)], counts, FIRST, today)
    assert change.clear and change.comparison.rate_ratio == pytest.approx(2.0)
    assert change.text.startswith("In the weeks after you started Water tablet, cramps were about")
    assert "twice as frequent as before" in change.text
    assert "talk to your doctor" in change.text
    assert "14.0 a week in the 56 days before, 28.0 a week in the 56 days after" in change.text
    kb = knowledge.default()
    assert change.source_ids == MEDICINE_SOURCE_IDS
    for tip_id in change.tip_ids:
        assert set(MEDICINE_SOURCE_IDS) <= set(kb.tip(tip_id).sources)
        assert "medicines" in kb.tip(tip_id).factors
    assert set(change.tip_ids) == set(MEDICINE_TIP_IDS)


def test_fewer_cramps_after_a_stop_claims_nothing_and_still_sends_to_the_doctor():
    start, stop = FIRST, FIRST + 99 * DAY
    today = stop + 30 * DAY
    counts = {d: (2, 2) if d <= stop else (1, 1) for d in days(FIRST, today)}
    changes = medicine_changes([Medicine("Pill", "medicine", start, stop)], counts, FIRST, today)
    stopped = changes[-1]
    assert stopped.event == "stopped" and stopped.clear
    assert stopped.comparison.rate_ratio == pytest.approx(0.5)
    assert stopped.text.startswith("Since you stopped Pill, cramps were less frequent")
    assert "at about half the rate before" in stopped.text
    assert "does not show that the change helps" in stopped.text
    assert "talk to your doctor" in stopped.text


def test_no_clear_difference_is_said_so():
    start = FIRST + 100 * DAY
    today = start + 80 * DAY
    counts = poisson_counts(3, FIRST, today, 1.0, 1.0, start)
    [change] = medicine_changes([Medicine("Pill", "medicine", start)], counts, FIRST, today)
    assert change.comparison.p_value >= 0.05 and not change.clear
    assert "not clearly more or less frequent than before" in change.text
    assert "talk to your doctor" in change.text


def _clear_starts(diaries):
    """How many of ``diaries`` medicine starts without an effect, on clustered cramps, are
    "clear"."""
    found = 0
    for seed in range(diaries):
        start = FIRST + 100 * DAY
        today = start + 100 * DAY
        counts = clustered_counts(seed, FIRST, today, 0.8, 0.8, start, shape=0.3)
        [change] = medicine_changes([Medicine("Pill", "medicine", start)], counts, FIRST, today)
        found += change.clear
    return found / diaries


def test_with_no_effect_and_clustered_cramps_a_start_is_rarely_clear(monkeypatch):
    assert _clear_starts(300) <= 0.08  # near the 5% of a single test (about 4%)
    monkeypatch.setattr(exposure, "pearson_dispersion", lambda *counts: 1.0)
    assert _clear_starts(300) >= 0.2  # the pure Poisson interval: about 26%
