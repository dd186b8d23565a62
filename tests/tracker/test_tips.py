"""Matching episodes, Patterns findings and the profile to tips, and ranking them."""

from datetime import timedelta

import pytest

from tests.factories import make_episode
from tracker import insight_keys as K
from tracker import knowledge, tips
from tracker.profile import Profile

KB = knowledge.default()
DAY = timedelta(days=1)

# A neutral episode: daytime, standing, normal hydration, comfortable shoes, no context.
NEUTRAL = dict(
    started_at=make_episode().started_at.replace(hour=14),
    activity="standing",
    hydration="normal",
    footwear="flat",
    severity=4,
)


def neutral(**overrides):
    return make_episode(**{**NEUTRAL, **overrides})


def ids(matches):
    return [m.tip.id for m in matches]


def series(count, **overrides):
    first = NEUTRAL["started_at"]
    return [neutral(started_at=first + i * DAY, **overrides) for i in range(count)]


def test_every_rule_names_real_tips_and_real_insight_keys():
    known = {t.id for t in KB.tips}
    for rule in tips.RULES:
        assert set(rule.tip_ids) <= known, rule.id
        assert set(rule.insight_keys) <= set(K.ALL_KEYS), rule.id
    for tip_ids in [*tips.INSIGHT_ONLY_TIPS.values(), *tips.CONDITION_TIPS.values()]:
        assert set(tip_ids) <= known
    covered = {k for r in tips.RULES for k in r.insight_keys} | set(tips.INSIGHT_ONLY_TIPS)
    assert covered == set(K.ALL_KEYS)


# rule id -> (episode overrides that trigger it, a tip it must bring up)
RULE_CASES = {
    "under_hydrated": (dict(hydration="under"), "drink-water"),
    "exercise": (dict(activity="after_exercise"), "stretch-before-exercise"),
    "night": (dict(started_at=NEUTRAL["started_at"].replace(hour=3)), "night-cramps"),
    "in_bed": (dict(activity="in_bed"), "night-cramps"),
    "high_heels": (dict(footwear="high_heels"), "avoid-heels"),
    "tight_shoes": (dict(footwear_tight=True), "fitting-shoes"),
    "sitting": (dict(activity="resting"), "walking-breaks"),
    "crossed_legs": (dict(context=("crossed_legs",)), "walking-breaks"),
    "walking": (dict(activity="walking"), "pad"),
    "new_medicine": (dict(context=("new_medicine",)), "medicine-review"),
    "pain_medicine": (dict(relief=("pain_medicine",)), "relief-pain-medicine"),
    "cold": (dict(context=("cold",)), "relief-heat"),
    "stress": (dict(context=("stress",)), "stress-weight-cold-illness"),
    "missed_meals": (dict(context=("missed_meals",)), "varied-diet"),
    "pregnancy": (dict(context=("pregnancy",)), "pregnancy"),
    "poor_sleep": (dict(context=("poor_sleep",)), "restless-legs"),
    "severe": (dict(severity=8), "doctor-frequent"),
    "numbness": (dict(warning_signs=("numbness",)), "doctor-numbness"),
    "swelling": (dict(warning_signs=("discolouration",)), "doctor-swelling"),
    "fever_injury": (dict(warning_signs=("fever_injury",)), "relief-rice"),
    "hard_to_walk": (dict(warning_signs=("hard_to_walk",)), "doctor-hard-to-walk"),
}


def test_every_rule_has_a_case():
    assert set(RULE_CASES) == {r.id for r in tips.RULES}


@pytest.mark.parametrize("rule_id", sorted(RULE_CASES))
def test_rule_matches_its_episode_and_not_a_neutral_one(rule_id):
    overrides, tip_id = RULE_CASES[rule_id]
    rule = next(r for r in tips.RULES if r.id == rule_id)
    assert rule.test(neutral(**overrides))
    assert not rule.test(neutral())
    matched = tips.rank(KB, [neutral(**overrides)])
    assert tip_id in ids(matched)
    reason = next(m for m in matched if m.tip.id == tip_id).reasons
    assert any(rule.single() in r for r in reason)


def test_neutral_log_matches_nothing():
    assert tips.rank(KB, series(5)) == []


def rule(rule_id):
    return next(r for r in tips.RULES if r.id == rule_id)


def test_night_is_the_clock_and_in_bed_is_the_recorded_activity():
    night, in_bed = rule("night"), rule("in_bed")
    assert night.test(neutral(started_at=NEUTRAL["started_at"].replace(hour=3)))
    assert night.test(neutral(started_at=NEUTRAL["started_at"].replace(hour=23)))
    assert not night.test(neutral(started_at=NEUTRAL["started_at"].replace(hour=21)))
    # Being in bed at 14:00 is not "night", and a night cramp is not "in bed" unless recorded so.
    assert not night.test(neutral(activity="in_bed"))
    assert not in_bed.test(neutral(started_at=NEUTRAL["started_at"].replace(hour=3)))
    assert not in_bed.test(neutral(activity=None))


def test_an_approximate_night_hour_still_counts_as_night():
    around_three = neutral(started_at=NEUTRAL["started_at"].replace(hour=3), time_approximate=True)
    assert rule("night").test(around_three)


# ---- "not recorded" is missing, never a factor
UNRECORDED = dict(side=None, site=(), severity=None, activity=None, hydration=None, footwear=None)


def test_a_quick_log_with_nothing_recorded_matches_no_rule():
    """The bug: a 10:45 quick log got "started at night or in bed" from a preset activity."""
    quick = neutral(started_at=NEUTRAL["started_at"].replace(hour=10, minute=45), **UNRECORDED)
    assert [r.id for r in tips.RULES if r.test(quick)] == []
    assert tips.rank(KB, [quick]) == []
    assert (
        tips.rank(KB, [quick.replace(started_at=quick.started_at + i * DAY) for i in range(5)])
        == []
    )


@pytest.mark.parametrize("rule_id", sorted(RULE_CASES))
def test_a_rule_never_matches_on_a_field_that_is_not_recorded(rule_id):
    """Take the episode that triggers the rule and leave out each optional field it set."""
    overrides, _ = RULE_CASES[rule_id]
    matched = rule(rule_id)
    for name in UNRECORDED:
        if name in overrides:
            episode = neutral(**{**overrides, name: UNRECORDED[name]})
            assert not matched.test(episode), name
            assert matched.unknown(episode), f"{rule_id} reads {name}: list it in fields"
    # Fields the rule does not read change nothing when left out.
    assert matched.test(neutral(**{**UNRECORDED, **overrides}))


def test_declared_fields_are_the_ones_rules_read():
    for r in tips.RULES:
        assert set(r.fields) <= set(UNRECORDED), r.id
    declared = {r.id: set(r.fields) for r in tips.RULES if r.fields}
    assert declared == {
        "under_hydrated": {"hydration"},
        "exercise": {"activity"},
        "in_bed": {"activity"},
        "high_heels": {"footwear"},
        "sitting": {"activity"},
        "walking": {"activity"},
        "severe": {"severity"},
    }


def test_single_reasons_cite_only_what_was_recorded():
    at_ten = NEUTRAL["started_at"].replace(hour=10, minute=45)
    in_bed = tips.rank(KB, [neutral(started_at=at_ten, activity="in_bed")])
    night = next(m for m in in_bed if m.tip.id == "night-cramps")
    assert night.reasons == ("Your latest episode started in bed",)
    at_three = tips.rank(KB, [neutral(started_at=at_ten.replace(hour=3), activity=None)])
    night = next(m for m in at_three if m.tip.id == "night-cramps")
    assert night.reasons == ("Your latest episode started at night (22:00 to 06:00)",)


def test_reason_counts_not_recorded_apart():
    log = series(3, footwear="high_heels") + series(3, footwear=None) + series(4)
    log = [e.replace(started_at=NEUTRAL["started_at"] + i * DAY) for i, e in enumerate(log)]
    top = tips.rank(KB, log)[0]
    assert top.tip.id == "avoid-heels"
    assert top.reasons == (
        "3 of your last 10 episodes were in high heels (footwear not recorded for 3)",
    )
    assert top.episodes == 3
    log = series(4, severity=8) + series(6, severity=None)
    log = [e.replace(started_at=NEUTRAL["started_at"] + i * DAY) for i, e in enumerate(log)]
    severe = next(m for m in tips.rank(KB, log) if m.tip.id == "doctor-frequent")
    assert severe.reasons == (
        "4 of your last 10 episodes were rated severe, 7 to 10 out of 10 "
        "(severity not recorded for the other 6)",
    )


def test_reason_counts_recent_episodes():
    log = series(6) + series(4, footwear="high_heels")
    log = [e.replace(started_at=NEUTRAL["started_at"] + i * DAY) for i, e in enumerate(log)]
    top = tips.rank(KB, log)[0]
    assert top.tip.id == "avoid-heels"
    assert top.reasons == ("4 of your last 10 episodes were in high heels",)
    assert top.episodes == 4


def test_only_the_last_ten_count():
    old_heels = series(5, footwear="high_heels")
    newer = [e.replace(started_at=e.started_at + 30 * DAY) for e in series(10)]
    assert tips.rank(KB, old_heels + newer) == []
    assert ids(tips.rank(KB, old_heels + newer, last_n=15))[0] == "avoid-heels"


def test_more_matching_episodes_rank_first():
    log = series(3, footwear="high_heels") + series(7, hydration="under")
    log = [e.replace(started_at=NEUTRAL["started_at"] + i * DAY) for i, e in enumerate(log)]
    ranked = ids(tips.rank(KB, log))
    assert ranked.index("drink-water") < ranked.index("avoid-heels")


def test_night_cramps_after_workouts_while_under_hydrated():
    """The issue's acceptance case: hydration, stretching and night-cramp advice come first."""
    log = []
    for i in range(10):
        log.append(
            make_episode(
                started_at=make_episode().started_at.replace(hour=1) + i * DAY,
                activity="in_bed",
                hydration="under",
                context=("hard_exercise",),
                footwear="barefoot",
            )
        )
    # A few unrelated older episodes in heels must not push this advice down.
    log += [e.replace(started_at=e.started_at - 60 * DAY) for e in series(3, footwear="high_heels")]
    ranked = tips.rank(KB, log)
    top3 = ids(ranked[:3])
    assert set(top3) == {"drink-water", "stretch-before-exercise", "night-cramps"}
    top = {m.tip.id: m for m in ranked[:3]}
    assert (
        "All of your last 10 episodes were when you felt under-hydrated"
        in top["drink-water"].reasons
    )
    assert any("exercise" in r for r in top["stretch-before-exercise"].reasons)
    assert "All of your last 10 episodes started at night (22:00 to 06:00)" in (
        top["night-cramps"].reasons
    )
    assert "All of your last 10 episodes started in bed" in top["night-cramps"].reasons
    factors = {f for m in ranked[:6] for f in m.tip.factors}
    assert {"hydration", "exercise_stretching", "night_sleep"} <= factors
    assert "avoid-heels" not in ids(ranked)


@pytest.mark.parametrize(
    "insights",
    [
        {K.HYDRATION_LOW: "6 of your 9 cramps this month were when under-hydrated"},
        [(K.HYDRATION_LOW, "6 of your 9 cramps this month were when under-hydrated")],
    ],
)
def test_insight_keys_bring_up_tips_with_the_finding_as_reason(insights):
    ranked = tips.rank(KB, [], insights=insights)
    assert ids(ranked)[0] == "drink-water"
    assert ranked[0].reasons == (
        "Patterns: 6 of your 9 cramps this month were when under-hydrated",
    )


def test_insight_objects_and_bare_keys_are_accepted():
    class Finding:
        key = K.TREND_UP
        text = "Cramps were more frequent in the last 30 days (12) than before (5)"

    ranked = tips.rank(KB, [], insights=[Finding(), K.FOOTWEAR_HIGH_HEELS])
    assert "doctor-not-improving" in ids(ranked)
    assert "avoid-heels" in ids(ranked)
    heels = next(m for m in ranked if m.tip.id == "avoid-heels")
    assert heels.reasons == ("Patterns found cramps in high heels in your log",)
    assert tips.rank(KB, [], insights=["no.such.key"]) == []


def test_profile_conditions_age_and_medicines():
    profile = Profile(age_range="65_plus", conditions=("diabetes",), medicines="metformin")
    ranked = tips.rank(KB, [], profile=profile)
    found = {m.tip.id: m.reasons for m in ranked}
    assert "Your profile mentions diabetes" in found["neuropathy"]
    assert "Your profile gives your age as 65 or older" in found["age-changes"]
    assert "Your profile lists medicines you take" in found["medicine-review"]
    assert tips.rank(KB, [], profile=Profile(age_range="30_49")) == []


# ---- after a save
def test_suggest_relief_first_when_it_just_ended():
    ep = neutral(footwear="high_heels", duration_s=60)
    now = ep.started_at + timedelta(seconds=90)
    got = tips.suggest(KB, ep, now=now)
    assert 1 <= len(got) <= 3
    assert got[0].tip.kind == "relief"
    # A saved cramp has a duration: it is over, and the wording must not say otherwise.
    assert got[0].reasons == (tips.JUST_ENDED_REASON,)
    assert "ended" in tips.JUST_ENDED_REASON and "going on" not in tips.JUST_ENDED_REASON
    assert got[1].tip.id in {"avoid-heels", "fitting-shoes"}
    assert got[1].tip.kind == "prevention"
    assert "This cramp was in high heels" in got[1].reasons


def test_suggest_skips_relief_that_did_not_help():
    ep = neutral(relief=("stretching",), relief_effect="no")
    got = tips.suggest(KB, ep, now=ep.started_at + timedelta(minutes=2))
    assert got[0].tip.id == "relief-pull-toes"


def test_suggest_prevention_only_when_over():
    ep = neutral(hydration="under")
    got = tips.suggest(KB, ep, now=ep.started_at + timedelta(hours=3))
    assert got[0].tip.id == "drink-water"
    assert all(m.tip.kind != "relief" for m in got)
    assert all(m.tip.kind != "doctor" for m in got)
    assert len(got) <= 3


def test_suggest_for_a_timed_cramp_saved_at_once_says_it_is_over():
    """The timer stopped at the cramp's end and the form was saved right away."""
    ep = neutral(duration_s=75)
    stopped = ep.started_at + timedelta(seconds=75)
    got = tips.suggest(KB, ep, now=stopped + timedelta(seconds=20))
    reasons = [r for m in got for r in m.reasons]
    assert tips.JUST_ENDED_REASON in reasons
    assert not any("going on" in r for r in reasons)


def test_suggest_for_a_quick_log_with_nothing_recorded():
    ep = neutral(started_at=NEUTRAL["started_at"].replace(hour=10, minute=45), **UNRECORDED)
    got = tips.suggest(KB, ep, now=ep.started_at + timedelta(hours=3))
    assert ids(got) == ["drink-water", "stretch-daily"]
    assert all(m.reasons == ("General advice from the articles",) for m in got)


def test_suggest_falls_back_to_general_advice():
    ep = neutral()
    got = tips.suggest(KB, ep, now=ep.started_at + timedelta(hours=3))
    assert ids(got) == ["drink-water", "stretch-daily"]
    assert got[0].reasons == ("General advice from the articles",)


# ---- store queries
def test_recent_episodes_and_episodes_since(store):
    for i, e in enumerate(series(15)):
        store.add_episode(e.replace(severity=i % 10))
    recent = tips.recent_episodes(store, 10)
    assert len(recent) == 10
    assert recent[-1].started_at == NEUTRAL["started_at"] + 14 * DAY
    assert recent == sorted(recent, key=lambda e: e.started_at)
    window = tips.episodes_since(store, recent[-1], days=7)
    assert [e.started_at for e in window] == [NEUTRAL["started_at"] + d * DAY for d in range(7, 15)]


def test_tips_for_insight_links_findings_to_tips():
    assert [t.id for t in tips.tips_for_insight(KB, K.HYDRATION_LOW)][:2] == [
        "drink-water",
        "dehydration-cause",
    ]
    assert "doctor-frequent" in [t.id for t in tips.tips_for_insight(KB, K.TREND_UP)]
    assert tips.tips_for_insight(KB, None) == []
    assert tips.tips_for_insight(KB, "no.such.key") == []
    for key in K.ALL_KEYS:
        assert tips.tips_for_insight(KB, key), key
