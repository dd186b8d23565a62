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


def glm_fit(y, x, offset=None, scale=None):
    design = sm.add_constant(np.asarray(x, dtype=float), has_constant="add")
    model = sm.GLM(np.asarray(y, dtype=float), design, family=sm.families.Poisson(), offset=offset)
    return model.fit(tol=1e-13, maxiter=200, scale=scale)


def glm_rate_ratio(y, x, offset=None, scale=None):
    """statsmodels' Poisson GLM of counts on a with/without regressor: (RR, low, high, p).

    ``scale``: None for pure Poisson, "X2" for quasi-Poisson, or a number."""
    fit = glm_fit(y, x, offset, scale)
    low, high = fit.conf_int(alpha=0.05)[1]
    return math.exp(fit.params[1]), math.exp(low), math.exp(high), fit.pvalues[1]


def quasi_poisson_oracle(y, x):
    """The quasi-Poisson GLM of per-day counts, its Pearson scale floored at 1 as the app does:
    ((RR, low, high, p), the unfloored Pearson chi-square / residual df)."""
    dispersion = glm_fit(y, x).pearson_chi2 / (len(y) - 2)
    scale = "X2" if dispersion > 1 else 1.0
    return glm_rate_ratio(y, x, scale=scale), dispersion


def gamma_poisson(rng, mean, shape, size):
    """Overdispersed day counts: Poisson with a gamma-distributed rate (negative binomial),
    variance ``mean + mean**2 / shape``."""
    return rng.poisson(rng.gamma(shape, np.asarray(mean, dtype=float) / shape, size=size))


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
def test_every_comparison_matches_a_quasi_poisson_glm_per_day_and_grouped(seed):
    diary = generate_diary(500, seed=seed, until=date(2026, 1, 1), episodes=False)
    report = factor_insights(diary.checkins, diary.counts)
    assert report.tests >= 12
    checked = widened = 0
    for insight in report.shown:
        y, x = [], []
        for checkin in diary.checkins:
            flag = checkin.exposure(insight.factor)
            if flag is None:
                continue
            y.append(diary.counts.get(checkin.day, (0, 0))[insight.window.index])
            x.append(1.0 if flag else 0.0)
        c = insight.comparison
        per_day, dispersion = quasi_poisson_oracle(y, x)
        # The grouped counts give the same estimate; the scale has to come from the days.
        grouped = glm_rate_ratio(
            [c.exposed_cramps, c.unexposed_cramps],
            [1, 0],
            offset=np.log([c.exposed_days, c.unexposed_days]),
            scale=max(1.0, dispersion),
        )
        assert (c.exposed_days, c.unexposed_days) == (sum(x), len(x) - sum(x))
        assert c.exposed_cramps == sum(v for v, e in zip(y, x, strict=True) if e)
        assert c.dispersion == pytest.approx(dispersion, rel=1e-9)
        ours = (c.rate_ratio, c.low, c.high, c.p_value)
        assert ours == pytest.approx(per_day, rel=1e-6, abs=1e-9)
        assert ours == pytest.approx(grouped, rel=1e-6, abs=1e-9)
        checked += 1
        widened += dispersion > 1
    assert checked == report.tests
    # The demo's effects (a medicine doubling every rate from 60% of the span on) make the
    # counts a little overdispersed: some comparisons are widened, none by much.
    assert widened >= 1
    assert all(i.comparison.dispersion < exposure.CLUSTERED_DISPERSION for i in report.shown)
    assert not any(exposure.CLUSTERS in i.text for i in report.insights)


def clustered_counts(seed, first_day, days, shape=0.5, week_shape=2.0, night_rr=None):
    """Cramps that cluster and have nothing to do with the check-ins: each day's rate is a
    weekly and a daily gamma level (mean 1) times 0.3 by day and 0.45 at night. ``night_rr``:
    (days, factor) - the night rate on those days is multiplied by the factor."""
    rng = np.random.default_rng(seed)
    level = np.repeat(rng.gamma(week_shape, 1 / week_shape, size=days // 7 + 1), 7)[:days]
    level = level * rng.gamma(shape, 1 / shape, size=days)
    night_level = level.copy()
    if night_rr is not None:
        effect_days, factor = night_rr
        for i in range(days):
            if first_day + timedelta(days=i) in effect_days:
                night_level[i] *= factor
    day, night = rng.poisson(0.3 * level), rng.poisson(0.45 * night_level)
    return {
        first_day + timedelta(days=i): (int(a), int(b))
        for i, (a, b) in enumerate(zip(day, night, strict=True))
        if a or b
    }


@pytest.mark.parametrize("seed", [21, 22, 23])
def test_clustered_cramps_match_a_quasi_poisson_glm_and_say_so(seed):
    diary = generate_diary(730, seed=seed, until=date(2026, 1, 1), episodes=False)
    low_fluid_days = {c.day for c in diary.checkins if c.fluids == "less"}
    counts = clustered_counts(seed, diary.first_day, 730, night_rr=(low_fluid_days, 3.0))
    report = factor_insights(diary.checkins, counts)
    assert report.tests == 16
    for insight in report.shown:
        y, x = [], []
        for checkin in diary.checkins:
            flag = checkin.exposure(insight.factor)
            if flag is not None:
                y.append(counts.get(checkin.day, (0, 0))[insight.window.index])
                x.append(1.0 if flag else 0.0)
        expected, dispersion = quasi_poisson_oracle(y, x)
        c = insight.comparison
        assert dispersion > 1.5  # clustered: every comparison is widened
        assert c.dispersion == pytest.approx(dispersion, rel=1e-9)
        assert (c.rate_ratio, c.low, c.high, c.p_value) == pytest.approx(
            expected, rel=1e-6, abs=1e-9
        )
        clustered = bool(dispersion >= exposure.CLUSTERED_DISPERSION)
        assert (exposure.CLUSTERS in insight.text) is clustered
    assert sum(exposure.CLUSTERS in i.text for i in report.shown) >= 8
    # A strong effect (3 times the night's cramps) still comes through the wider intervals.
    strong = report.get("low_fluids", "following_night")
    assert strong.clear and strong.comparison.low <= 3.0 <= strong.comparison.high


def _share_with_a_clear_factor(diaries, clustered=True):
    """How many of ``diaries`` no-effect diaries have a clear factor after Holm."""
    found = 0
    for seed in range(diaries):
        diary = generate_diary(365, seed=seed, until=date(2026, 1, 1), episodes=False)
        if clustered:
            counts = clustered_counts(seed, diary.first_day, 365)
        else:
            rng = np.random.default_rng(seed)
            counts = {
                diary.first_day + timedelta(days=i): (int(rng.poisson(0.3)), int(rng.poisson(0.45)))
                for i in range(365)
            }
        found += bool(factor_insights(diary.checkins, counts).clear)
    return found / diaries


def test_with_no_effect_and_clustered_cramps_few_diaries_show_a_clear_factor(monkeypatch):
    # Holm keeps the chance of any false "clear" among the 16 comparisons near 5%.
    assert _share_with_a_clear_factor(200) <= 0.10  # 7.5% here
    # The pure Poisson interval (the dispersion left at 1) made that far more common.
    monkeypatch.setattr(exposure, "pearson_dispersion", lambda *counts: 1.0)
    assert _share_with_a_clear_factor(200) >= 0.35  # about 50%


def test_poisson_counts_give_the_answers_of_the_pure_poisson_interval(monkeypatch):
    reports = []
    for seed in range(40):
        diary = generate_diary(365, seed=seed, until=date(2026, 1, 1), episodes=False)
        rng = np.random.default_rng(seed)
        counts = {
            diary.first_day + timedelta(days=i): (int(rng.poisson(0.3)), int(rng.poisson(0.45)))
            for i in range(365)
        }
        reports.append((diary, counts, factor_insights(diary.checkins, counts)))
    floored = 0
    for _, _, report in reports:
        for insight in report.shown:
            c = insight.comparison
            pure = exposure.wald_rate_ratio(
                c.exposed_cramps, c.exposed_days, c.unexposed_cramps, c.unexposed_days
            )
            if c.dispersion <= 1:  # floored: exactly the Poisson answer
                floored += 1
                assert (c.rate_ratio, c.low, c.high, c.p_value) == (
                    pure.rate_ratio, pure.low, pure.high, pure.p_value
                )  # fmt: skip
            else:  # the scale estimated from Poisson counts stays near 1
                assert c.dispersion < 1.3
                assert math.log(c.high / c.low) < 1.15 * math.log(pure.high / pure.low)
    assert floored > 100
    # Which comparisons are clear is what the pure Poisson interval said, diary by diary.
    monkeypatch.setattr(exposure, "pearson_dispersion", lambda *counts: 1.0)
    for diary, counts, report in reports:
        pure_report = factor_insights(diary.checkins, counts)
        assert [i.clear for i in report.insights] == [i.clear for i in pure_report.insights]


def test_dispersion_from_totals_and_squares_is_the_per_day_pearson_chi_square():
    exposed, unexposed = [0, 3, 0, 0, 7, 1], [1, 0, 0, 2, 0, 0, 0, 5, 0]
    a, b = sum(exposed), sum(unexposed)
    m1, m0 = a / len(exposed), b / len(unexposed)
    chi2 = sum((y - m1) ** 2 / m1 for y in exposed) + sum((y - m0) ** 2 / m0 for y in unexposed)
    got = exposure.pearson_dispersion(
        a,
        len(exposed),
        sum(y * y for y in exposed),
        b,
        len(unexposed),
        sum(y * y for y in unexposed),
    )
    assert got == pytest.approx(chi2 / (len(exposed) + len(unexposed) - 2), rel=1e-12)
    # A group without cramps adds nothing; two days cannot say anything.
    only = sum((y - m0) ** 2 / m0 for y in unexposed) / (4 + len(unexposed) - 2)
    got = exposure.pearson_dispersion(0, 4, 0, b, len(unexposed), sum(y * y for y in unexposed))
    assert got == pytest.approx(only, rel=1e-12)
    assert exposure.pearson_dispersion(3, 1, 9, 2, 1, 4) == 1.0
    # Every day alike: no spread at all (the variance is then floored at Poisson's).
    assert exposure.pearson_dispersion(10, 10, 10, 20, 10, 40) == pytest.approx(0.0, abs=1e-12)


def test_the_dispersion_scales_the_variance_and_is_floored_at_one():
    pure = exposure.wald_rate_ratio(30, 40, 20, 60)
    assert pure.dispersion == 1.0 and not pure.clustered
    under = exposure.wald_rate_ratio(30, 40, 20, 60, dispersion=0.4)
    assert (under.low, under.high, under.p_value) == (pure.low, pure.high, pure.p_value)
    assert under.scale == 1.0 and under.dispersion == 0.4
    wide = exposure.wald_rate_ratio(30, 40, 20, 60, dispersion=4.0)
    assert wide.rate_ratio == pure.rate_ratio and wide.clustered
    half_width = math.log(pure.high / pure.rate_ratio)
    assert math.log(wide.high / wide.rate_ratio) == pytest.approx(2 * half_width)
    z = math.log(pure.rate_ratio) / math.sqrt(4 * (1 / 30 + 1 / 20))
    assert wide.p_value == pytest.approx(math.erfc(abs(z) / math.sqrt(2)))
    with pytest.raises(ValueError):
        exposure.wald_rate_ratio(30, 40, 20, 60, dispersion=math.nan)


def test_zero_count_group_keeps_the_correction_and_takes_the_dispersion_of_the_days():
    checkins, counts = fluids_diary(8, 12, [], [(4, 0), (0, 0), (9, 0), (0, 0), (1, 0)])
    c = factor_insights(checkins, counts).get("low_fluids", "same_day").comparison
    unexposed = [4, 0, 9, 0, 1] + [0] * 7
    m0 = sum(unexposed) / 12
    assert c.corrected and c.exposed_cramps == 0
    assert c.dispersion == pytest.approx(sum((y - m0) ** 2 / m0 for y in unexposed) / 18)
    assert c.dispersion > 1
    expected = exposure.wald_rate_ratio(0, 8, 14, 12, dispersion=c.dispersion)
    assert c == expected and c.high > exposure.wald_rate_ratio(0, 8, 14, 12).high


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


def test_clustered_wording_explains_the_wide_interval_without_cause():
    checkins, counts = fluids_diary(
        20, 20, [(12, 0), (0, 0), (0, 0), (9, 0)], [(1, 0), (14, 0), (0, 0), (0, 0), (3, 0)]
    )
    insight = factor_insights(checkins, counts).get("low_fluids", "same_day")
    assert insight.comparison.dispersion >= exposure.CLUSTERED_DISPERSION
    assert not insight.clear
    assert (
        "The interval is wide since cramps came in clusters: many on some days, few or none "
        "on others." in insight.text
    )
    assert "because" not in insight.text.lower() and "cause" not in insight.text
    calm = factor_insights(*fluids_diary(20, 20, [(1, 0)] * 20, [(1, 0)] * 20))
    assert exposure.CLUSTERS not in calm.get("low_fluids", "same_day").text


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
