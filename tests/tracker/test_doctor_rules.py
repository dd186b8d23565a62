"""Each see-a-doctor rule fires exactly when the articles' condition is met, and not otherwise."""

from datetime import timedelta

import pytest

from tests.factories import make_episode
from tracker import doctor_rules, knowledge
from tracker.profile import Profile

DAY = timedelta(days=1)
LATEST = make_episode().started_at.replace(hour=14)


def ep(days_before=0, **overrides):
    values = dict(started_at=LATEST - days_before * DAY, activity="standing", severity=4)
    values.update(overrides)
    return make_episode(**values)


def fired(latest, history=(), profile=None):
    return {a.rule_id for a in doctor_rules.evaluate(latest, list(history), profile)}


def test_rules_point_at_doctor_tips_and_real_sources():
    kb = knowledge.default()
    for rule in doctor_rules.RULES:
        tip = kb.tip(rule.tip_id)
        assert tip.kind == "doctor"
        assert set(rule.sources) <= set(tip.sources)


def test_nothing_fires_for_an_ordinary_cramp():
    assert fired(ep()) == set()
    assert fired(None) == set()


@pytest.mark.parametrize(
    "sign, rule_id",
    [
        ("hard_to_walk", "hard_to_walk"),
        ("fever_injury", "fever_injury"),
        ("swelling", "swelling"),
        ("discolouration", "swelling"),
        ("numbness", "numbness"),
    ],
)
def test_warning_sign_rules(sign, rule_id):
    assert fired(ep(warning_signs=(sign,))) == {rule_id}
    # A sign on an earlier episode does not raise the banner for a later, clean one.
    assert fired(ep(), [ep(2, warning_signs=(sign,))]) == set()


def test_swelling_message_names_what_was_noted():
    (alert,) = doctor_rules.evaluate(ep(warning_signs=("swelling", "discolouration")), [])
    assert "swelling and discolouration" in alert.message
    assert alert.sources == ("a002",)


def test_not_improving_within_a_week():
    earlier = [ep(8), ep(10)]  # two in the week before
    this_week = [ep(2)]  # plus the latest = two in the past week
    assert fired(ep(), earlier + this_week) == {"not_improving"}
    # fewer this week than the week before: improving, no banner
    assert fired(ep(), earlier) == set()
    # only one cramp in the week before: not enough to judge
    assert fired(ep(), [ep(9), ep(3)]) == set()
    (alert,) = doctor_rules.evaluate(ep(), earlier + this_week)
    assert "2 cramps in the past 7 days and 2 in the 7 days before" in alert.message


def test_frequent_from_four_in_a_week():
    three_more = [ep(1), ep(3), ep(6)]
    assert "frequent" in fired(ep(), three_more)
    assert "frequent" not in fired(ep(), three_more[:2])
    # the 7-day window counts back from the latest episode, exclusive of exactly 7 days
    assert "frequent" not in fired(ep(), [ep(1), ep(3), ep(7)])


def test_same_episode_in_history_is_not_counted_twice():
    latest = ep().replace(id=42)
    history = [latest, ep(1).replace(id=41), ep(2).replace(id=40)]
    assert "frequent" not in fired(latest, history)
    assert "frequent" in fired(latest, history + [ep(3).replace(id=39)])


def test_intense_cramp():
    assert fired(ep(severity=8)) == {"intense"}
    assert fired(ep(severity=7)) == set()


def test_walking_cramps_in_an_older_person():
    older = Profile(age_range="65_plus")
    walking = ep(activity="walking")
    assert fired(walking, [ep(5, activity="exercising")], older) == {"walking_older"}
    # needs the profile's age range
    assert fired(walking, [ep(5, activity="exercising")], Profile()) == set()
    assert fired(walking, [ep(5, activity="walking")], Profile(age_range="30_49")) == set()
    # needs at least two walking cramps in 30 days, the latest among them
    assert fired(walking, [], older) == set()
    assert fired(walking, [ep(40, activity="walking")], older) == set()
    assert fired(ep(activity="in_bed"), [ep(5, activity="walking")], older) == set()


def test_known_condition_from_profile():
    assert fired(ep(), [], Profile(conditions=("diabetes",))) == {"known_condition"}
    assert fired(ep(), [], Profile(conditions=("kidney_disease",))) == {"known_condition"}
    assert fired(ep(), [], Profile(conditions=("arthritis",))) == set()
    (alert,) = doctor_rules.evaluate(ep(), [], Profile(conditions=("diabetes", "kidney_disease")))
    assert "diabetes and kidney disease" in alert.message


def test_several_rules_together():
    latest = ep(severity=9, warning_signs=("numbness",))
    assert fired(latest, [], Profile(conditions=("diabetes",))) == {
        "numbness",
        "intense",
        "known_condition",
    }


def test_history_days_covers_every_window():
    assert doctor_rules.history_days(None) == 14
    assert doctor_rules.history_days(Profile(age_range="50_64")) == 30
    # the two-week rules still fire with only 14 days of history
    latest = ep()
    history = [ep(8), ep(10), ep(2)]
    cutoff = latest.started_at - timedelta(days=doctor_rules.history_days(None))
    assert all(e.started_at > cutoff for e in history)
    assert "not_improving" in fired(latest, history)


# ---- "not recorded" never triggers or blocks a rule
UNRECORDED = dict(side=None, site=(), severity=None, activity=None, hydration=None, footwear=None)


def test_severity_not_rated_is_never_intense():
    assert fired(ep(severity=None)) == set()
    assert "intense" not in fired(ep(severity=None), [ep(1, severity=10)])


def test_a_quick_log_with_nothing_recorded_fires_nothing_by_itself():
    older = Profile(age_range="65_plus")
    assert fired(ep(**UNRECORDED)) == set()
    assert fired(ep(**UNRECORDED), [ep(3, **UNRECORDED), ep(9, **UNRECORDED)], older) == set()


def test_counts_of_cramps_do_not_need_any_field():
    """Frequency and "not improving" count episodes; missing details do not block them."""
    history = [ep(d, **UNRECORDED) for d in (1, 3, 6, 8, 10)]
    assert {"frequent", "not_improving"} <= fired(ep(**UNRECORDED), history)


def test_walking_rule_with_activity_not_recorded():
    older = Profile(age_range="65_plus")
    walks = [ep(5, activity="walking"), ep(12, activity="exercising")]
    # An unrecorded latest activity neither counts as walking nor rules the pattern out ...
    assert fired(ep(activity=None), walks, older) == {"walking_older"}
    (alert,) = doctor_rules.evaluate(ep(activity=None), walks, older)
    assert "2 of your cramps in the last 30 days" in alert.message
    # ... but it is not a walking cramp: one recorded walk is not enough.
    assert fired(ep(activity=None), walks[:1], older) == set()
    # Unrecorded earlier cramps are not counted as walking either.
    assert fired(ep(activity="walking"), [ep(5, activity=None)], older) == set()
    # A recorded other activity still rules it out for this cramp.
    assert fired(ep(activity="resting"), walks, older) == set()
