"""Factor insights: rates with and without a factor, checked against statsmodels as an oracle,
and the thresholds, missing answers and missing days that decide what may be said."""

import math
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
import statsmodels.api as sm
from statsmodels.stats.multitest import multipletests

from tracker.advice import knowledge
from tracker.analysis import exposure
from tracker.analysis.exposure import (
    FOLLOWING_NIGHT,
    MIN_CHECKIN_DAYS,
    MIN_CRAMPS,
    MIN_GROUP_DAYS,
    SAME_DAY,
    WINDOWS,
    factor_insights,
)
from tracker.diary.checkin import FACTORS, FACTORS_BY_KEY, CheckIn
from tracker.diary.demo_checkins import generate_diary

ROOT = Path(__file__).resolve().parents[3]
START = date(2025, 3, 1)
LOW_FLUIDS = FACTORS_BY_KEY["low_fluids"]


def glm_rate_ratio(y, x, offset=None):
    """statsmodels' Poisson GLM of counts on a with/without regressor: (RR, low, high, p)."""
    design = sm.add_constant(np.asarray(x, dtype=float), has_constant="add")
    model = sm.GLM(np.asarray(y, dtype=float), design, family=sm.families.Poisson(), offset=offset)
    fit = model.fit(tol=1e-13, maxiter=200)
    low, high = fit.conf_int(alpha=0.05)[1]
    return math.exp(fit.params[1]), math.exp(low), math.exp(high), fit.pvalues[1]


def fluids_diary(exposed, unexposed, exposed_cramps=(), unexposed_cramps=()):
    """Check-ins with fewer fluids on ``exposed`` days, usual fluids on ``unexposed`` days,
    and ``(same day, night)`` counts for the first days of each group."""
    checkins, counts = [], {}
    day = START
    for n, code, cramps in (
        (exposed, "less", exposed_cramps),
        (unexposed, "usual", unexposed_cramps),
    ):
        for i in range(n):
            checkins.append(CheckIn(day=day, fluids=code))
            if i < len(cramps):
                counts[day] = cramps[i]
            day += timedelta(days=1)
    return checkins, counts


# --- the oracle ---------------------------------------------------------------------------


# A two-row grouped fit is saturated: statsmodels warns about its (unused) scale and fit.
@pytest.mark.filterwarnings("ignore:divide by zero", "ignore:invalid value", "ignore:Perfect")
@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_every_comparison_matches_a_poisson_glm_per_day_and_grouped(seed):
    diary = generate_diary(500, seed=seed, until=date(2026, 1, 1), episodes=False)
    report = factor_insights(diary.checkins, diary.counts)
    assert report.tests >= 12
    checked = 0
    for insight in report.shown:
        y, x = [], []
        for checkin in diary.checkins:
            flag = checkin.exposure(insight.factor)
            if flag is None:
                continue
            y.append(diary.counts.get(checkin.day, (0, 0))[insight.window.index])
            x.append(1.0 if flag else 0.0)
        c = insight.comparison
        per_day = glm_rate_ratio(y, x)
        grouped = glm_rate_ratio(
            [c.exposed_cramps, c.unexposed_cramps],
            [1, 0],
            offset=np.log([c.exposed_days, c.unexposed_days]),
        )
        assert (c.exposed_days, c.unexposed_days) == (sum(x), len(x) - sum(x))
        assert c.exposed_cramps == sum(v for v, e in zip(y, x, strict=True) if e)
        ours = (c.rate_ratio, c.low, c.high, c.p_value)
        assert ours == pytest.approx(per_day, rel=1e-6, abs=1e-9)
        assert ours == pytest.approx(grouped, rel=1e-6, abs=1e-9)
        checked += 1
    assert checked == report.tests


@pytest.mark.parametrize("seed", [5, 6, 7])
def test_holm_matches_statsmodels(seed):
    rng = np.random.default_rng(seed)
    p = list(rng.uniform(0, 0.08, size=16) ** rng.uniform(0.5, 3, size=16))
    p[3] = p[7]  # a tie
    assert exposure.holm(p) == pytest.approx(list(multipletests(p, method="holm")[1]), abs=1e-12)

    diary = generate_diary(400, seed=seed, until=date(2026, 1, 1), episodes=False)
    report = factor_insights(diary.checkins, diary.counts)
    raw = [i.comparison.p_value for i in report.shown]
    expected = multipletests(raw, method="holm")
    assert [i.p_holm for i in report.shown] == pytest.approx(list(expected[1]), abs=1e-12)
    assert [i.clear for i in report.shown] == list(expected[0])
    assert all(i.p_holm is None and not i.clear for i in report.insights if not i.shown)


def test_zero_count_uses_the_half_correction_and_says_so():
    c = exposure.wald_rate_ratio(0, 10, 12, 30)
    assert c.corrected
    assert c.rate_ratio == pytest.approx((0.5 / 10) / (12.5 / 30))
    assert c.low < c.rate_ratio < c.high and math.isfinite(c.high)
    plain = exposure.wald_rate_ratio(3, 10, 12, 30)
    assert not plain.corrected
    assert plain.rate_ratio == pytest.approx((3 / 10) / (12 / 30))


# --- thresholds ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "exposed, unexposed, shown",
    [(5, 9, True), (5, 8, False), (4, 10, False), (5, 10, True), (10, 4, False), (10, 5, True)],
)
def test_days_thresholds(exposed, unexposed, shown):
    checkins, counts = fluids_diary(exposed, unexposed, [(1, 1)] * 3, [(1, 1)] * 3)
    insight = factor_insights(checkins, counts).get("low_fluids", "same_day")
    assert insight.shown is shown
    assert insight.checkin_days == exposed + unexposed
    if shown:
        assert insight.needs_checkins is None and insight.p_holm is not None
    else:
        assert insight.needs_checkins >= 1
        assert f"needs about {insight.needs_checkins} more check-in" in insight.text


@pytest.mark.parametrize("cramps, shown", [(MIN_CRAMPS - 1, False), (MIN_CRAMPS, True)])
def test_cramps_threshold_counts_only_the_window(cramps, shown):
    same_day = [(1, 0)] * cramps
    checkins, counts = fluids_diary(10, 10, same_day[:2], same_day[2:])
    report = factor_insights(checkins, counts)
    assert report.get("low_fluids", "same_day").shown is shown
    night = report.get("low_fluids", "following_night")
    assert not night.shown and night.needs_checkins is None  # no night cramps at all
    assert "no cramps the following night" in night.text


def test_needs_more_checkins_is_computed_from_what_is_missing():
    # 8 check-ins: 6 short of 14 days.
    checkins, counts = fluids_diary(4, 4, [(2, 0)] * 3, [(2, 0)] * 3)
    insight = factor_insights(checkins, counts).get("low_fluids", "same_day")
    assert insight.needs_checkins == MIN_CHECKIN_DAYS - 8 == 6
    assert "needs about 6 more check-ins" in insight.text
    # 20 check-ins, 2 with fewer fluids (1 in 10): about 30 more for 3 more such days.
    checkins, counts = fluids_diary(2, 18, [(1, 0)] * 2, [(1, 0)] * 6)
    insight = factor_insights(checkins, counts).get("low_fluids", "same_day")
    assert insight.needs_checkins == math.ceil((MIN_GROUP_DAYS - 2) / (2 / 20)) == 30
    # 20 check-ins with 2 cramps (1 in 10 days): 30 more for 3 more cramps.
    checkins, counts = fluids_diary(10, 10, [(1, 0)], [(1, 0)])
    insight = factor_insights(checkins, counts).get("low_fluids", "same_day")
    assert insight.needs_checkins == math.ceil((MIN_CRAMPS - 2) / (2 / 20)) == 30
    # No day with fewer fluids: more check-ins alone cannot say when.
    checkins, counts = fluids_diary(0, 20, [], [(1, 1)] * 8)
    insight = factor_insights(checkins, counts).get("low_fluids", "same_day")
    assert insight.needs_checkins is None and "no days with fewer fluids" in insight.text


def test_missing_answers_are_left_out_of_both_groups():
    checkins, counts = fluids_diary(6, 10, [(2, 1)] * 6, [(1, 0)] * 10)
    before = factor_insights(checkins, counts).get("low_fluids", "same_day")
    # Days with other answers but fluids not recorded, full of cramps.
    extra_day = START + timedelta(days=100)
    skipped = [
        CheckIn(day=extra_day + timedelta(days=i), exercise="light", stretched="yes")
        for i in range(30)
    ]
    busy = {c.day: (9, 9) for c in skipped}
    after = factor_insights(checkins + skipped, {**counts, **busy}).get("low_fluids", "same_day")
    assert after.comparison == before.comparison
    assert (after.checkin_days, after.exposed_days, after.unexposed_days) == (16, 6, 10)


def test_days_without_a_checkin_are_never_counted_as_without():
    checkins, counts = fluids_diary(6, 10, [(2, 1)] * 6, [(1, 0)] * 10)
    before = factor_insights(checkins, counts)
    gaps = {START + timedelta(days=200 + i): (5, 5) for i in range(50)}
    after = factor_insights(checkins, {**counts, **gaps})
    assert after == before
    insight = after.get("low_fluids", "same_day")
    assert insight.unexposed_days == 10 and insight.unexposed_cramps == 10
    assert after.checkin_days == 16


def test_windows_read_their_own_count():
    checkins, counts = fluids_diary(7, 7, [(3, 0)] * 7, [(0, 4)] * 7)
    report = factor_insights(checkins, counts)
    day, night = report.get("low_fluids", "same_day"), report.get("low_fluids", "following_night")
    assert (day.exposed_cramps, day.unexposed_cramps) == (21, 0)
    assert (night.exposed_cramps, night.unexposed_cramps) == (0, 28)
    assert day.comparison.corrected and night.comparison.corrected
    assert day.comparison.rate_ratio > 1 > night.comparison.rate_ratio


def test_one_checkin_per_day_counts_once():
    checkins, counts = fluids_diary(6, 10, [(2, 1)] * 6, [(1, 0)] * 10)
    twice = factor_insights(checkins + checkins, counts)
    assert twice == factor_insights(checkins, counts)


# --- words and links ----------------------------------------------------------------------


def test_clear_and_unclear_wording_is_association_never_cause():
    diary = generate_diary(730, seed=2, until=date(2026, 1, 1), episodes=False)
    report = factor_insights(diary.checkins, diary.counts)
    clear = report.get("low_fluids", "following_night")
    assert clear.clear
    rr = clear.comparison.rate_ratio
    assert clear.text.startswith("On days with fewer fluids, cramps the following night were about")
    assert f"{rr:.1f} times as common" in clear.text or "twice as common" in clear.text
    assert f"95% interval {clear.comparison.low:.1f} to {clear.comparison.high:.1f}" in clear.text
    assert "not that one causes the other" in clear.text
    unclear = [i for i in report.shown if not i.clear]
    assert unclear
    for insight in unclear:
        assert "not clearly more or less common" in insight.text
        assert f"{report.tests} comparisons" in insight.text
    for insight in report.insights:
        assert "because" not in insight.text.lower()
        assert "cause" not in insight.text.replace("not that one causes the other", "")


def test_a_clearly_lower_rate_is_worded_as_a_share_of_the_other_days():
    checkins, counts = fluids_diary(30, 30, [(1, 0)] * 10, [(2, 0)] * 10 + [(1, 0)] * 20)
    insight = factor_insights(checkins, counts).get("low_fluids", "same_day")
    assert (insight.exposed_cramps, insight.unexposed_cramps) == (10, 40)
    assert insight.clear and insight.comparison.rate_ratio == pytest.approx(0.25)
    assert "cramps the same day were less common, at about 25% of the rate on other days" in (
        insight.text
    )
    assert "not that one causes the other" in insight.text


def test_each_insight_links_the_tips_of_its_factor():
    kb = knowledge.default()
    report = factor_insights(*fluids_diary(6, 10, [(1, 1)] * 6, [(1, 0)] * 10))
    for insight in report.insights:
        assert insight.tip_ids, insight.factor.key
        for tip_id in insight.tip_ids:
            assert insight.factor.tip_factor in kb.tip(tip_id).factors
        assert set(insight.tip_ids) == {
            t.id for t in kb.tips if insight.factor.tip_factor in t.factors
        }
    assert "drink-water" in report.get("low_fluids", "same_day").tip_ids


def test_report_covers_every_factor_in_both_windows():
    report = factor_insights([], {})
    assert [(i.factor, i.window) for i in report.insights] == [
        (f, w) for f in FACTORS for w in WINDOWS
    ]
    assert report.tests == 0 and report.checkin_days == 0
    assert all(i.needs_checkins == MIN_CHECKIN_DAYS for i in report.insights)
    assert WINDOWS == (SAME_DAY, FOLLOWING_NIGHT) and MIN_GROUP_DAYS == 5


def test_counts_by_day_puts_the_small_hours_in_the_night_before():
    zone = datetime(2026, 1, 1).astimezone().tzinfo
    starts = [
        datetime(2026, 1, 10, 6, 0, tzinfo=zone),  # same day
        datetime(2026, 1, 10, 21, 59, tzinfo=zone),  # same day
        datetime(2026, 1, 10, 22, 0, tzinfo=zone),  # night after the 10th
        datetime(2026, 1, 11, 5, 59, tzinfo=zone),  # night after the 10th
        datetime(2026, 1, 11, 0, 0, tzinfo=zone),  # night after the 10th
    ]
    assert exposure.counts_by_day(starts) == {date(2026, 1, 10): (2, 3)}


def test_the_app_never_imports_statsmodels():
    for folder in ("tracker", "ui"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"^\s*(import|from)\s+statsmodels", text, re.M), path
