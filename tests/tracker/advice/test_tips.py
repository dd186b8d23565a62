"""Matching episodes, Patterns findings and the profile to tips, and ranking them."""

from datetime import timedelta

import pytest

from tests.factories import make_episode
from tracker.advice import knowledge, tips
from tracker.advice.profile import DIET_CAUTION_CONDITIONS, DOCTOR_CONDITIONS, Profile
from tracker.analysis import insight_keys as K
from tracker.diary import vocab
from tracker.diary.episode import validate

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
    "hard_exercise": (dict(context=("hard_exercise",)), "ease-back-in"),
    "night": (dict(started_at=NEUTRAL["started_at"].replace(hour=3)), "night-cramps"),
    "in_bed": (dict(activity="in_bed"), "night-cramps"),
    "high_heels": (dict(footwear="high_heels"), "avoid-heels"),
    "tight_shoes": (dict(footwear_tight=True), "fitting-shoes"),
    "sitting": (dict(activity="resting"), "walking-breaks"),
    "long_sitting": (dict(context=("long_sitting_standing",)), "walking-breaks"),
    "crossed_legs": (dict(context=("crossed_legs",)), "walking-breaks"),
    "walking": (dict(activity="walking"), "pad"),
    "new_medicine": (dict(context=("new_medicine",)), "medicine-review"),
    "pain_medicine": (dict(relief=("pain_medicine",)), "relief-pain-medicine"),
    "cold": (dict(context=("cold",)), "relief-heat"),
    "stress": (dict(context=("stress",)), "stress-weight-cold-illness"),
    "missed_meals": (dict(context=("missed_meals",)), "varied-diet"),
    "pregnancy": (dict(context=("pregnancy",)), "pregnancy"),
    "poor_sleep": (dict(context=("poor_sleep",)), "night-cramps"),
    "severe": (dict(severity=8), "doctor-frequent"),
    "numbness": (dict(warning_signs=("numbness",)), "doctor-numbness"),
    "swelling": (dict(warning_signs=("discolouration",)), "doctor-swelling"),
    "fever": (dict(warning_signs=("fever",)), "doctor-fever-injury"),
    "visible_injury": (dict(warning_signs=("visible_injury",)), "relief-rice"),
    "fever_or_injury_older": (dict(warning_signs=("fever_injury",)), "doctor-fever-injury"),
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


# ---- the profile is evidence
def test_every_condition_has_tips_and_doctor_conditions_are_all_but_pregnancy():
    assert set(tips.CONDITION_TIPS) == set(vocab.CONDITIONS)  # offered and older codes
    assert set(vocab.CONDITIONS_OFFERED) | set(vocab.LEGACY_CONDITIONS) == set(vocab.CONDITIONS)
    assert DOCTOR_CONDITIONS == set(vocab.CONDITIONS) - {"pregnancy"}
    assert DIET_CAUTION_CONDITIONS <= DOCTOR_CONDITIONS


HEELS_DIARY = [
    e.replace(started_at=NEUTRAL["started_at"] + i * DAY)
    for i, e in enumerate(series(10, footwear="high_heels", hydration="under"))
]


@pytest.mark.parametrize("code", sorted(DOCTOR_CONDITIONS))
def test_see_a_doctor_for_a_named_condition_ranks_first(code):
    """Even above advice that all ten recent episodes support."""
    ranked = tips.rank(KB, HEELS_DIARY, profile=Profile(conditions=(code,)))
    assert ranked[0].tip.id == "doctor-known-condition"
    assert ranked[0].reasons == (f"Your profile mentions {vocab.condition_phrase(code)}",)
    # The condition's own advice follows, before the diary's self-help.
    own = [t for t in tips.CONDITION_TIPS[code] if t != "doctor-known-condition"]
    assert [m.tip.id for m in ranked[1 : 1 + len(own)]] == own


def test_pregnancy_brings_its_advice_but_no_doctor_reminder():
    ranked = tips.rank(KB, [], profile=Profile(conditions=("pregnancy",)))
    assert ids(ranked) == ["pregnancy", "night-cramps"]


def test_older_diabetic_gets_doctor_circulation_condition_and_medicines_within_the_page():
    """The issue: this advice ranked 17-22, below the 12 the Tips page shows."""
    profile = Profile(age_range="65_plus", conditions=("diabetes",), medicines="metformin")
    busy = [
        neutral(
            started_at=NEUTRAL["started_at"].replace(hour=2) + i * DAY,
            activity="in_bed",
            hydration="under",
            footwear_tight=True,
            context=("hard_exercise", "crossed_legs", "cold", "stress", "missed_meals"),
        )
        for i in range(10)
    ]
    top = ids(tips.rank(KB, busy, profile=profile)[:12])
    assert top[:2] == ["doctor-known-condition", "treat-conditions"]
    for tip_id in ("poor-circulation", "neuropathy", "medicine-review"):
        assert tip_id in top, tip_id


def test_free_text_conditions_are_never_matched():
    profile = Profile(other_conditions="diabetes, kidney disease, restless legs")
    assert tips.rank(KB, [], profile=profile) == []
    assert tips.rank(KB, HEELS_DIARY, profile=profile) == tips.rank(KB, HEELS_DIARY)


def test_older_answer_nervous_system_still_counts():
    ranked = tips.rank(KB, [], profile=Profile(conditions=("nervous_system",)))
    assert ids(ranked)[:2] == ["doctor-known-condition", "nervous-system"]
    assert ranked[0].reasons == (
        "Your profile mentions multiple sclerosis, Parkinson's disease or a past stroke",
    )


# ---- no advice without evidence
def test_restless_legs_only_from_the_profile():
    night = [
        neutral(started_at=NEUTRAL["started_at"].replace(hour=3) + i * DAY, activity="in_bed")
        for i in range(10)
    ]
    sleepless = [e.replace(context=("poor_sleep",)) for e in night]
    for profile in (None, Profile(age_range="50_64"), Profile(age_range="65_plus")):
        for log in (night, sleepless):
            assert "restless-legs" not in ids(tips.rank(KB, log, profile=profile))
    assert "restless-legs" not in ids(tips.rank(KB, [], insights=[K.TIME_NIGHT]))
    ranked = tips.rank(KB, night, profile=Profile(conditions=("restless_legs",)))
    legs = next(m for m in ranked if m.tip.id == "restless-legs")
    assert legs.reasons == ("Your profile mentions restless legs syndrome",)


def test_older_age_and_walking_cramps_bring_the_circulation_doctor_advice():
    older = Profile(age_range="65_plus")
    assert "doctor-walking-older" not in ids(tips.rank(KB, series(5), profile=older))
    log = series(6) + series(3, activity="walking") + series(1, activity="exercising")
    log = [e.replace(started_at=NEUTRAL["started_at"] + i * DAY) for i, e in enumerate(log)]
    walking = next(
        m for m in tips.rank(KB, log, profile=older) if m.tip.id == "doctor-walking-older"
    )
    assert walking.reasons == (
        "Your profile gives your age as 65 or older, and 3 of your last 10 episodes came on "
        "while walking",
    )  # walking only, as the banner's rule counts it: the exercising cramp is not counted
    assert walking.episodes == 3
    assert "doctor-walking-older" not in ids(tips.rank(KB, log, profile=Profile("30_49")))


# ---- caution first
def test_kidney_disease_puts_the_doctor_first_and_cautions_fluid_and_mineral_tips():
    """The issue: electrolyte drinks and potassium-rich foods ranked above "see a doctor"."""
    log = series(10, hydration="under", context=("missed_meals",))
    log = [e.replace(started_at=NEUTRAL["started_at"] + i * DAY) for i, e in enumerate(log)]
    ranked = tips.rank(KB, log, profile=Profile(conditions=("kidney_disease",)))
    order = ids(ranked)
    assert order[0] == "doctor-known-condition"
    cautioned = {m.tip.id: m for m in ranked if m.cautions}
    for tip_id in ("drink-water", "electrolyte-drinks", "mineral-foods", "varied-diet"):
        match = cautioned[tip_id]
        assert order.index(tip_id) > order.index("doctor-known-condition")
        caution = match.cautions[0]
        assert match.reasons[0] == caution  # shown first, in the reasons
        assert caution.startswith("Caution: your profile mentions kidney disease.")
        assert "Check with your doctor before" in caution
        assert KB.sources["a002"].citation() in caution
    # Only fluid, food and mineral advice carries it, never the doctor or shoe advice.
    for match in ranked:
        touches_diet = bool({"hydration", "minerals_diet"} & set(match.tip.factors))
        assert bool(match.cautions) == (touches_diet and match.tip.kind != "doctor"), match.tip.id


def test_no_caution_without_a_condition_that_calls_for_it():
    log = series(3, hydration="under")
    for profile in (None, Profile(conditions=("arthritis",)), Profile(other_conditions="CKD")):
        assert not any(m.cautions for m in tips.rank(KB, log, profile=profile))


def test_suggest_carries_the_caution_when_given_the_profile():
    ep = neutral(hydration="under")
    later = ep.started_at + timedelta(hours=3)
    plain = tips.suggest(KB, ep, now=later)
    assert plain[0].tip.id == "drink-water" and not plain[0].cautions
    kidney = Profile(conditions=("kidney_disease",))
    cautioned = tips.suggest(KB, ep, now=later, profile=kidney)
    assert cautioned[0].tip.id == "drink-water"
    assert cautioned[0].reasons[0].startswith("Caution: your profile mentions kidney disease.")


# ---- warning signs: fever and visible injury apart; older entries stay honest
def test_fever_gets_the_doctor_and_infection_advice_never_injury_first_aid():
    ranked = tips.rank(KB, [neutral(warning_signs=("fever",))])
    assert ids(ranked)[0] == "doctor-fever-injury"
    assert "infection" in ids(ranked)
    assert not {"relief-rice", "injury-cause"} & set(ids(ranked))
    assert ranked[0].reasons == ("Your latest episode came with a fever",)


def test_visible_injury_gets_first_aid_below_the_doctor_advice():
    ranked = ids(tips.rank(KB, [neutral(warning_signs=("visible_injury",))]))
    assert ranked[0] == "doctor-fever-injury"
    assert {"relief-rice", "injury-cause"} <= set(ranked)
    assert "infection" not in ranked


def test_an_older_fever_or_injury_entry_assumes_neither():
    ranked = tips.rank(KB, [neutral(warning_signs=("fever_injury",))])
    assert ids(ranked) == ["doctor-fever-injury"]
    assert ranked[0].reasons == (
        "Your latest episode came with a fever or a visible injury (an older entry that does "
        "not say which)",
    )


def test_a_warning_sign_puts_its_doctor_advice_above_self_help():
    log = HEELS_DIARY[:-1] + [HEELS_DIARY[-1].replace(warning_signs=("numbness",))]
    ranked = tips.rank(KB, log)
    assert ids(ranked)[0] == "doctor-numbness"
    assert ranked[0].reasons == ("1 of your last 10 episodes came with numbness",)
    with_condition = tips.rank(KB, log, profile=Profile(conditions=("diabetes",)))
    assert ids(with_condition)[:2] == ["doctor-known-condition", "doctor-numbness"]


@pytest.mark.parametrize(
    ("signs", "first"),
    [
        (("visible_injury",), "relief-rice"),
        (("fever", "visible_injury"), "relief-rice"),
        (("fever",), "relief-stretch-toes"),
        (("fever_injury",), "relief-stretch-toes"),
    ],
)
def test_suggest_gives_injury_first_aid_only_for_a_visible_injury(signs, first):
    ep = neutral(warning_signs=signs, duration_s=60)
    got = tips.suggest(KB, ep, now=ep.started_at + timedelta(minutes=2))
    assert got[0].tip.id == first
    rice = [m for m in got if m.tip.id == "relief-rice"]
    assert bool(rice) == ("visible_injury" in signs)
    for match in rice:  # never first aid alone: the doctor advice comes with it
        assert tips.INJURY_DOCTOR_REASON in match.reasons


def test_warning_sign_vocabulary_offers_the_two_and_still_reads_the_older_code():
    assert {"fever", "visible_injury"} <= set(vocab.WARNING_SIGNS_OFFERED)
    assert "fever_injury" not in vocab.WARNING_SIGNS_OFFERED
    assert vocab.WARNING_SIGNS["fever_injury"] == "Fever or visible injury (older entry)"
    assert set(vocab.WARNING_SIGNS) == set(vocab.WARNING_SIGNS_OFFERED) | {"fever_injury"}
    for signs in (("fever_injury",), ("fever", "visible_injury")):
        validate(neutral(warning_signs=signs))  # old data stays valid; new data is valid
    # A file that names the sign by its old label imports as the older code, not a guess.
    from tracker.interop import import_mapping

    for text, code in (("Fever or visible injury", "fever_injury"), ("Fever", "fever")):
        errors = []
        assert import_mapping._code("warning_signs", text, errors) == code
        assert errors == []


def test_an_older_fever_or_injury_entry_survives_the_store(store):
    saved = store.add_episode(neutral(warning_signs=("fever_injury", "numbness")))
    assert store.get_episode(saved.id).warning_signs == ("fever_injury", "numbness")


# ---- doctor-rule alerts: the Tips page and the banner say the same thing
def test_alerts_rank_with_the_doctor_advice_and_give_their_message():
    class Alert:
        tip_id = "doctor-not-improving"
        message = "You logged 6 cramps in the past 7 days and 3 in the 7 days before."

    class Unknown:
        tip_id = "no-such-tip"
        message = "ignored"

    ranked = tips.rank(KB, HEELS_DIARY, alerts=[Alert(), Unknown()])
    assert ranked[0].tip.id == "doctor-not-improving"
    assert ranked[0].reasons == (Alert.message,)


# ---- each "why" counts what Patterns counts
def _patterns_text(store, key, today):
    found = [f for f in tips.pattern_insights(store, today=today) if f.key == key]
    return found[0].text if found else ""


def test_exercise_reason_counts_what_patterns_counts(store):
    """The issue: a 03:00 cramp in bed after a hard workout was counted as "during or just
    after exercise" ("All of your last 10 ...") while Patterns said 9 of 10."""
    start = NEUTRAL["started_at"].replace(hour=18)
    log = [neutral(started_at=start + i * DAY, activity="exercising") for i in range(9)]
    log.append(
        neutral(
            started_at=(start + 9 * DAY).replace(hour=3),
            activity="in_bed",
            context=("hard_exercise",),
        )
    )
    store.add_episodes(log)
    ranked = tips.rank(KB, tips.recent_episodes(store))
    stretch = next(m for m in ranked if m.tip.id == "stretch-before-exercise")
    assert "9 of your last 10 episodes came during or just after exercise" in stretch.reasons
    assert "Your latest episode" not in " ".join(stretch.reasons)
    assert "1 of your last 10 episodes came after hard or new exercise" in stretch.reasons
    today = (start + 10 * DAY).date()
    assert "9 of 10 cramps" in _patterns_text(store, K.ACTIVITY_EXERCISE, today)
    assert not rule("exercise").test(log[-1])
    assert rule("hard_exercise").test(log[-1])


def test_sitting_reason_counts_what_patterns_counts(store):
    start = NEUTRAL["started_at"]
    log = [neutral(started_at=start + i * DAY, activity="resting") for i in range(6)]
    log += [
        neutral(started_at=start + (6 + i) * DAY, context=("long_sitting_standing",))
        for i in range(4)
    ]
    store.add_episodes(log)
    ranked = tips.rank(KB, tips.recent_episodes(store))
    breaks = next(m for m in ranked if m.tip.id == "walking-breaks")
    assert "6 of your last 10 episodes came while resting, sitting or driving" in breaks.reasons
    assert "4 of your last 10 episodes came after long sitting or standing" in breaks.reasons
    today = (start + 10 * DAY).date()
    assert "6 of 10 cramps" in _patterns_text(store, K.ACTIVITY_SITTING, today)


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
def test_recent_episodes_are_the_newest_oldest_first(store):
    for i, e in enumerate(series(15)):
        store.add_episode(e.replace(severity=i % 10))
    recent = tips.recent_episodes(store, 10)
    assert len(recent) == 10
    assert recent[-1].started_at == NEUTRAL["started_at"] + 14 * DAY
    assert recent == sorted(recent, key=lambda e: e.started_at)
    assert [e.started_at for e in recent] == [NEUTRAL["started_at"] + d * DAY for d in range(5, 15)]


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
