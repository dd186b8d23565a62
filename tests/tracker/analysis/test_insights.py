"""Findings: enough data first, counts with every share, chance said out loud, no causes."""

from datetime import date

from tracker.analysis import insight_keys as keys
from tracker.analysis import insights
from tracker.analysis.aggregates import PatternData, Period, Trend
from tracker.diary.episode import OPTIONAL_FIELDS

TODAY = date(2026, 11, 20)


def data_with(total=10, night_hours=0, **fields) -> PatternData:
    """Episodes spread over day hours, with ``night_hours`` of them at 02:00."""
    data = PatternData(Period.last_days(30, TODAY))
    data.total = total
    data.hours[2] = night_hours
    for i in range(total - night_hours):
        data.hours[8 + i % 12] += 1
    data.night = night_hours
    data.activity = {"in_bed": night_hours, "walking": total - night_hours}
    data.footwear = {"barefoot": (total, 0)}
    data.hydration = {"well": total, "normal": 0, "under": 0}
    data.severity = [0, 0, 0, 0, total, 0, 0, 0, 0, 0, 0]
    for name, value in fields.items():
        setattr(data, name, value)
    return data


def by_key(found, key):
    return [f for f in found if f.key == key]


def test_too_few_episodes_gives_only_the_enough_data_message():
    found = insights.build(data_with(total=4, night_hours=4), TODAY)
    assert len(found) == 1
    assert found[0].text.startswith("Log at least 5 episodes to see patterns.")
    assert "4 episodes" in found[0].text


def test_night_finding_with_counts_and_chance():
    data = data_with(total=9, night_hours=7, night_in_bed=6)
    found = insights.build(data, TODAY)
    (night,) = by_key(found, keys.TIME_NIGHT)
    assert "7 of 9 cramps (78%)" in night.text
    assert "6 of them in bed" in night.text
    assert "unlikely to be chance alone" in night.text  # 7 of 9, night 1/3 of the day: p < 0.05
    assert "p = " not in night.text and "p = 0.0083" in night.details
    assert "7 of 9 cramps at night" in night.details and "33%" in night.details


def test_few_night_cramps_could_easily_be_chance_in_words():
    (night,) = by_key(insights.build(data_with(total=5, night_hours=3), TODAY), keys.TIME_NIGHT)
    assert "could easily be chance" in night.text and "p = " not in night.text
    assert "p = 0.34" in night.details


def test_few_at_night_names_the_busiest_hours_instead():
    data = data_with(total=10, night_hours=1)
    data.hours = [0] * 24
    data.hours[2], data.hours[17], data.hours[18], data.hours[19] = 1, 3, 4, 2
    found = insights.build(data, TODAY)
    assert not by_key(found, keys.TIME_NIGHT)
    assert any("between 17:00 and 20:00: 9 of 10 cramps (90%)" in f.text for f in found)


def test_situation_findings_are_associations_with_keys():
    data = data_with(total=10, night_hours=2)
    data.activity = {"in_bed": 2, "exercising": 3, "after_exercise": 2, "walking": 3}
    data.footwear = {"athletic": (2, 4), "high_heels": (0, 0), "barefoot": (4, 0)}
    data.hydration = {"well": 2, "normal": 3, "under": 5}
    found = insights.build(data, TODAY)
    (exercise,) = by_key(found, keys.ACTIVITY_EXERCISE)
    assert "5 of 10 cramps (50%)" in exercise.text and exercise.text.startswith("In your log")
    (tight,) = by_key(found, keys.FOOTWEAR_TIGHT)
    assert "4 of 10 cramps (40%)" in tight.text
    (hydration,) = by_key(found, keys.HYDRATION_LOW)
    assert "5 of 10 cramps (50%)" in hydration.text
    assert found[-1].kind == "note" and "not what causes them" in found[-1].text
    for finding in found[:-1]:
        lowered = finding.text.lower()
        assert "cause" not in lowered and "because" not in lowered and "due to" not in lowered


def test_rare_situations_get_no_keyed_finding():
    data = data_with(total=20, night_hours=10)
    data.footwear = {"barefoot": (18, 1), "high_heels": (1, 0)}
    data.hydration = {"well": 10, "normal": 8, "under": 2}
    found = insights.build(data, TODAY)
    assert not by_key(found, keys.FOOTWEAR_TIGHT)
    assert not by_key(found, keys.FOOTWEAR_HIGH_HEELS)
    assert not by_key(found, keys.HYDRATION_LOW)


def trend(recent, earlier):
    period = Period.last_days(30, TODAY)
    return Trend(30, period, period.before(), recent, earlier)


def test_trend_up_beyond_chance():
    found = insights.trend_insight(trend(15, 5), TODAY)
    assert found.key == keys.TREND_UP
    assert "more frequent in the last 30 days (15) than in the 30 days before (5)" in found.text
    assert "unlikely to be chance alone" in found.text
    assert "p = " not in found.text and "rate ratio" not in found.text.lower()
    assert "p = 0.041" in found.details
    assert "rate ratio 3 (95% confidence interval 1.04 to 10.6)" in found.details


def test_trend_down_beyond_chance():
    found = insights.trend_insight(trend(2, 14), TODAY)
    assert found.key == keys.TREND_DOWN
    assert "less frequent" in found.text and "(2)" in found.text and "(14)" in found.text


def test_small_difference_is_called_chance():
    found = insights.trend_insight(trend(12, 9), TODAY)
    assert found.key is None
    assert "could easily be chance" in found.text and "p = " not in found.text
    assert "p = 0.66" in found.details and "rate ratio 1.33" in found.details
    assert insights.trend_insight(trend(2, 1), TODAY) is None  # too few to say anything


def test_relief_finding_needs_several_tries():
    data = data_with(total=10, night_hours=5)
    data.relief = {
        "stretching": {"yes": 4, "partly": 1, "no": 0, "unknown": 0},
        "heat": {"yes": 2, "partly": 0, "no": 0, "unknown": 0},  # only 2 tries: not enough
    }
    found = insights.build(data, TODAY)
    assert any("stretching helped fully in 4 of 5 tries (80%)" in f.text for f in found)


def test_relief_ranking_prefers_more_evidence():
    data = data_with(total=80, night_hours=40)
    data.relief = {
        "heat": {"yes": 4, "partly": 0, "no": 1, "unknown": 0},  # 80% of 5
        "massage": {"yes": 50, "partly": 10, "no": 6, "unknown": 0},  # 76% of 66
    }
    found = insights.build(data, TODAY)
    assert any("massage helped fully in 50 of 66 tries" in f.text for f in found)


# ----------------------------------------------------------------- "not recorded" is missing


def missing(**counts) -> dict[str, int]:
    return {**dict.fromkeys(OPTIONAL_FIELDS, 0), **counts}


def test_hydration_share_is_of_the_cramps_that_recorded_it():
    # 20 cramps, 6 recorded hydration, 3 of those under-hydrated: 3 of 6 (50%), not 3 of 20.
    data = data_with(total=20, night_hours=10)
    data.hydration = {"well": 2, "normal": 1, "under": 3}
    data.not_recorded = missing(hydration=14)
    (hydration,) = by_key(insights.build(data, TODAY), keys.HYDRATION_LOW)
    assert "3 of the 6 cramps where you recorded hydration (50%)" in hydration.text


def test_no_hydration_finding_from_too_few_recorded():
    # Six cramps, three not recorded, all three recorded ones under-hydrated: 3 < 5 recorded.
    data = data_with(total=6, night_hours=3)
    data.hydration = {"well": 0, "normal": 0, "under": 3}
    data.not_recorded = missing(hydration=3)
    found = insights.build(data, TODAY)
    assert not by_key(found, keys.HYDRATION_LOW)
    (note,) = [f for f in found if f.text.startswith("Too few cramps with")]
    assert note.kind == "note" and note.key is None
    assert note.text == (
        "Too few cramps with hydration recorded to look for a pattern in it (at least 5 needed)."
    )


def test_activity_findings_among_recorded_activities_only():
    data = data_with(total=10, night_hours=5)
    data.activity = {"in_bed": 0, "exercising": 3, "walking": 2}
    data.not_recorded = missing(activity=5)
    found = insights.build(data, TODAY)
    (exercise,) = by_key(found, keys.ACTIVITY_EXERCISE)
    assert "3 of the 5 cramps where you recorded what you were doing (60%)" in exercise.text
    assert any("'exercising or sports': 3 of the 5 cramps where" in f.text for f in found)


def test_no_activity_finding_from_four_recorded():
    data = data_with(total=10, night_hours=5)
    data.activity = {"in_bed": 0, "exercising": 4}
    data.not_recorded = missing(activity=6, severity=7)
    data.severity = [0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0]
    found = insights.build(data, TODAY)
    assert not by_key(found, keys.ACTIVITY_EXERCISE)
    assert not any("most common situation" in f.text for f in found)
    assert any(
        f.text.startswith("Too few cramps with activity or severity recorded") for f in found
    )


def test_tight_footwear_among_cramps_that_say_anything_about_shoes():
    # 3 with a shoe type (2 tight), 2 more ticked tight without a type, 15 said nothing.
    data = data_with(total=20, night_hours=10)
    data.footwear = {"athletic": (1, 2)}
    data.footwear_tight_only = 2
    data.not_recorded = missing(footwear=17)
    found = insights.build(data, TODAY)
    (tight,) = by_key(found, keys.FOOTWEAR_TIGHT)
    assert "4 of the 5 cramps where you recorded your shoes or their fit (80%)" in tight.text
    assert not any(f.text.startswith("Most common footwear") for f in found)  # 3 types < 5


def test_footwear_type_and_heels_among_recorded_types():
    data = data_with(total=30, night_hours=15)
    data.footwear = {"high_heels": (3, 0), "barefoot": (2, 0)}
    data.not_recorded = missing(footwear=25)
    found = insights.build(data, TODAY)
    (heels,) = by_key(found, keys.FOOTWEAR_HIGH_HEELS)
    assert "3 of the 5 cramps where you recorded your footwear (60%)" in heels.text
    assert not by_key(found, keys.FOOTWEAR_TIGHT)  # no tight ticked at all


def test_severity_among_rated_cramps():
    data = data_with(total=12, night_hours=6)
    data.severity = [0, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0]
    data.not_recorded = missing(severity=7)
    (severe,) = by_key(insights.build(data, TODAY), keys.SEVERITY_HIGH)  # 3 of 12 would not
    assert severe.text.startswith("3 of the 5 cramps you rated (60%) were severe")
    data.severity = [0, 0, 0, 0, 1, 0, 0, 0, 3, 0, 0]
    data.not_recorded = missing(severity=8)
    assert not by_key(insights.build(data, TODAY), keys.SEVERITY_HIGH)


def test_night_finding_says_how_many_recorded_the_activity():
    data = data_with(total=9, night_hours=7, night_in_bed=4, night_activity_not_recorded=2)
    data.activity = {"in_bed": 4, "walking": 2}
    data.not_recorded = missing(activity=3)
    (night,) = by_key(insights.build(data, TODAY), keys.TIME_NIGHT)
    assert "7 of 9 cramps (78%)" in night.text  # time is always recorded
    assert "4 of them in bed and 2 with no activity recorded (" in night.text


def test_complete_diary_keeps_the_short_wording_and_no_note():
    data = data_with(total=10, night_hours=2)
    data.hydration = {"well": 2, "normal": 3, "under": 5}
    found = insights.build(data, TODAY)
    (hydration,) = by_key(found, keys.HYDRATION_LOW)
    assert "5 of 10 cramps (50%)" in hydration.text and "recorded" not in hydration.text
    assert not any(f.text.startswith("Too few cramps with") for f in found)


def test_relief_tries_with_no_recorded_effect_are_not_failures():
    data = data_with(total=10, night_hours=5)
    data.relief = {
        "stretching": {"yes": 3, "partly": 0, "no": 0, "unknown": 5},  # 3 of 3 recorded
        "heat": {"yes": 2, "partly": 0, "no": 0, "unknown": 9},  # only 2 recorded: too few
    }
    found = insights.build(data, TODAY)
    assert any(
        "stretching helped fully in 3 of the 3 tries where you recorded whether it helped (100%)"
        in f.text
        for f in found
    )
    assert not any("heat helped" in f.text for f in found)


def test_no_finding_shows_a_p_value_in_its_text():
    """Plain words for a lay reader; every exact figure sits in ``details`` instead."""
    data = data_with(total=20, night_hours=12)
    period = Period.last_days(30, TODAY)
    for recent, earlier in ((15, 5), (12, 9), (2, 14), (6, 0)):
        data.trend = Trend(30, period, period.before(), recent, earlier)
        found = insights.build(data, TODAY)
        for finding in found:
            assert "p = " not in finding.text and "p < " not in finding.text, finding.text
            assert "confidence" not in finding.text, finding.text
        with_figures = [f for f in found if f.details]
        assert {f.kind for f in with_figures} == {"trend", "finding"}
        assert all("p = " in f.details or "p < 0.001" in f.details for f in with_figures)


def test_trend_with_no_earlier_cramps_still_gives_its_figures():
    found = insights.trend_insight(trend(6, 0), TODAY)
    assert found.key == keys.TREND_UP and "p = " not in found.text
    assert "rate ratio not defined" in found.details and "p = 0.031" in found.details
