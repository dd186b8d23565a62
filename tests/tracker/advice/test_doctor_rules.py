"""The see-a-doctor rules over a window of the diary: for every rule, a diary that should trigger
it and one that should not; then a property test that the banner's answer on any day is always
part of the summary's answer for a period holding that day."""

import itertools
import json
import re
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.advice import doctor_rules, knowledge
from tracker.advice.profile import DOCTOR_CONDITIONS, Profile
from tracker.diary import vocab
from tracker.diary.episode import Episode

TZ = timezone(timedelta(hours=1))
DAY0 = date(2026, 3, 2)  # a Monday
DAY = timedelta(days=1)
_ids = itertools.count(1)


def ep(day: int, hour: int = 14, **overrides) -> Episode:
    """A stored-looking, ordinary cramp on DAY0 + ``day``."""
    values = dict(
        started_at=datetime.combine(DAY0 + day * DAY, time(hour), TZ),
        duration_s=90,
        severity=4,
        activity="standing",
        id=next(_ids),
    )
    values.update(overrides)
    return Episode(**values)


def on(day: int) -> date:
    return DAY0 + day * DAY


def at(history, day, profile=None) -> set[str]:
    """What the banner would show on DAY0 + ``day`` (before dismissals)."""
    return {a.rule_id for a in doctor_rules.evaluate_at(history, profile, on(day))}


def ever(history, profile=None, first=-40, last=80) -> dict[str, doctor_rules.DoctorAlert]:
    """What the summary lists for a long period around the diary."""
    alerts = doctor_rules.evaluate_period(history, profile, on(first), on(last))
    return {a.rule_id: a for a in alerts}


# ---- the rules themselves
def test_rules_point_at_doctor_tips_and_real_sources():
    kb = knowledge.default()
    for rule in doctor_rules.RULES:
        tip = kb.tip(rule.tip_id)
        assert tip.kind == "doctor"
        assert set(rule.sources) <= set(tip.sources)


def test_every_rule_says_what_the_article_says_and_how_we_read_it():
    ids = [r.id for r in doctor_rules.RULES]
    assert len(set(ids)) == len(ids)
    assert len({r.title for r in doctor_rules.RULES}) == len(ids)
    for rule in doctor_rules.RULES:
        assert rule.advice.strip() and rule.reading.strip(), rule.id
        assert 1 <= rule.window <= doctor_rules.HISTORY_DAYS


def test_intense_uses_the_severe_band():
    assert doctor_rules.INTENSE_SEVERITY == 7
    assert vocab.severity_band(7) == "severe" and vocab.severity_band(6) != "severe"


def test_nothing_fires_for_an_ordinary_cramp_or_an_empty_diary():
    assert at([ep(0)], 0) == set()
    assert ever([ep(0)]) == {}
    assert at([], 0) == set() and ever([]) == {}


# ---- warning signs: they stay for two weeks, whatever is logged after them
SIGN_RULES = {
    "hard_to_walk": "hard_to_walk",
    "fever_injury": "fever_injury",  # the code from before the split: "fever or injury"
    "fever": "fever_injury",
    "visible_injury": "fever_injury",
    "swelling": "swelling",
    "discolouration": "swelling",
    "numbness": "numbness",
}


def test_every_warning_sign_of_the_vocabulary_has_a_rule():
    assert set(vocab.WARNING_SIGNS) <= set(SIGN_RULES)


@pytest.mark.parametrize("sign, rule_id", sorted(SIGN_RULES.items()))
def test_warning_sign_fires_and_stays_after_ordinary_cramps(sign, rule_id):
    flagged = ep(0, warning_signs=(sign,))
    ordinary = [ep(1), ep(5), ep(9)]
    assert at([flagged], 0) == {rule_id}
    # three ordinary cramps later: the sign is still shown, with its own episode only
    assert rule_id in at([flagged, *ordinary], 9)
    alert = ever([flagged, *ordinary])[rule_id]
    assert alert.episode_ids == (flagged.id,)
    assert (alert.first_date, alert.last_date) == (on(0), on(0))


def test_a_warning_sign_ages_out_after_two_weeks():
    history = [ep(0, warning_signs=("numbness",)), ep(3), ep(13)]
    assert "numbness" in at(history, 13)  # the 14th day, counting the day it was logged
    assert "numbness" not in at(history, 14)
    assert at(history, 15) == set()  # after 15 days: gone


def test_fever_and_injury_messages_say_what_was_noted():
    both = doctor_rules.evaluate_at(
        [ep(0, warning_signs=("fever",)), ep(1, warning_signs=("visible_injury",))], None, on(1)
    )
    assert both[0].message.startswith("You noted a fever and a visible injury with 2 cramps.")
    (legacy,) = doctor_rules.evaluate_at([ep(0, warning_signs=("fever_injury",))], None, on(0))
    assert legacy.message.startswith("You noted a fever or a visible injury with a cramp.")


def test_swelling_message_names_what_was_noted():
    history = [ep(0, warning_signs=("swelling", "discolouration"))]
    (alert,) = doctor_rules.evaluate_at(history, None, on(0))
    assert "swelling and discolouration" in alert.message
    assert alert.sources == ("a002",)


class Settings:
    """The settings table, in memory."""

    def __init__(self):
        self.values = {}

    def get_setting(self, key, default=None):
        return self.values.get(key, default)

    def set_setting(self, key, value):
        self.values[key] = value


def test_a_dismissed_reason_is_gone_until_a_new_episode_triggers_it():
    settings_ = Settings()
    history = [ep(0, warning_signs=("numbness",))]
    alerts = doctor_rules.evaluate_at(history, None, on(0))
    doctor_rules.dismiss_alerts(alerts, settings_)
    assert doctor_rules.undismissed(alerts, settings_) == []
    # an ordinary cramp later does not bring it back ...
    history.append(ep(4))
    assert doctor_rules.undismissed(doctor_rules.evaluate_at(history, None, on(4)), settings_) == []
    # ... a new numb cramp does, and a different reason is not covered by the dismissal
    history.append(ep(8, warning_signs=("numbness", "swelling")))
    shown = doctor_rules.undismissed(doctor_rules.evaluate_at(history, None, on(8)), settings_)
    assert {a.rule_id for a in shown} == {"numbness", "swelling"}
    assert json.loads(settings_.values["doctor_banner.dismissed"]) == [f"{history[0].id}:numbness"]


# ---- persistence and worsening over days and weeks
def test_cramps_on_three_days_running():
    history = [ep(0), ep(1), ep(2)]
    alerts = ever(history)
    assert set(alerts) == {"persistent_days"}
    assert (alerts["persistent_days"].first_date, alerts["persistent_days"].last_date) == (
        on(0),
        on(2),
    )
    assert alerts["persistent_days"].title == "Cramps on 3 days within a week"
    assert at(history, 2) == {"persistent_days"} and at(history, 1) == set()


def test_three_cramps_on_one_day_are_not_three_days():
    assert ever([ep(0, 8), ep(0, 14), ep(0, 20)]) == {}
    assert "persistent_days" not in ever([ep(0), ep(4), ep(8)])  # 3 days, but over 9


def test_five_cramps_in_five_days_are_frequent_and_persistent():
    alerts = ever([ep(d) for d in range(5)])
    assert set(alerts) == {"frequent", "persistent_days"}
    assert alerts["frequent"].episode_ids == alerts["persistent_days"].episode_ids
    assert "You logged 5 cramps within 7 days" in alerts["frequent"].message


def test_frequent_from_four_within_seven_days():
    assert "frequent" in ever([ep(0), ep(0, 20), ep(3), ep(6)])
    assert "frequent" not in ever([ep(0), ep(2), ep(5), ep(7)])  # never 4 within 7 days


def test_not_better_after_a_week():
    history = [ep(0), ep(1), ep(7), ep(8)]  # two in a week, two in the next
    assert at(history, 8) == {"not_improving"}
    alert = ever(history)["not_improving"]
    assert "2 cramps in one week and 2 in the week after it" in alert.message
    assert "not_improving" not in ever([ep(0), ep(1), ep(8)])  # fewer: improving
    assert "not_improving" not in ever([ep(0), ep(7), ep(8)])  # one a week is too few to judge
    # a burst of a few days straddling two weeks is not "a week later"
    assert "not_improving" not in ever([ep(0), ep(1), ep(2), ep(3), ep(4)])


def test_rising_weekly_count():
    one_two_three = [ep(0), ep(7), ep(9), ep(14), ep(16), ep(18)]
    alert = ever(one_two_three)["rising"]
    assert "went 1, 2, 3 over 3 weeks in a row" in alert.message
    assert (alert.first_date, alert.last_date) == (on(0), on(18))
    one_one_two_three = [ep(0), ep(7), ep(14), ep(16), ep(21), ep(23), ep(25)]
    assert "rising" in ever(one_one_two_three)


def test_falling_flat_or_too_short_is_not_rising():
    three_two_one = [ep(0), ep(2), ep(4), ep(7), ep(9), ep(14)]
    assert "rising" not in ever(three_two_one)
    two_two_two = [ep(0), ep(3), ep(7), ep(10), ep(14), ep(17)]
    assert "rising" not in ever(two_two_two)
    one_then_three = [ep(0), ep(7), ep(9), ep(11)]  # two weeks are not a trend
    assert "rising" not in ever(one_then_three)


def test_one_a_week_for_four_weeks_is_steady():
    history = [ep(0), ep(7), ep(14), ep(21)]
    alerts = ever(history)
    assert set(alerts) == {"steady"}
    assert alerts["steady"].episode_ids == tuple(e.id for e in history)
    assert at(history, 21) == {"steady"} and at(history, 20) == set()
    assert ever(history[:3]) == {}  # three weeks
    assert ever([ep(0), ep(7), ep(21), ep(28)]) == {}  # a cramp-free week in between


def test_twelve_night_cramps_in_38_days():
    history = [ep(round(i * 38 / 12), hour=3, activity="in_bed") for i in range(12)]
    assert history[-1].started_at.date() - history[0].started_at.date() < timedelta(days=38)
    alerts = ever(history)
    assert "steady" in alerts
    assert at(history, 34)  # the banner on the day of the last one
    assert ever(history[::3]) == {}  # four in 38 days: nothing


# ---- single cramps: intense, long
def test_intense_from_seven():
    assert at([ep(0, severity=7)], 0) == {"intense"}
    assert at([ep(0, severity=10)], 0) == {"intense"}
    assert at([ep(0, severity=6)], 0) == set()
    (alert,) = doctor_rules.evaluate_at([ep(0, severity=8)], None, on(0))
    assert "You rated a cramp 8 out of 10" in alert.message


def test_severity_not_rated_is_never_intense():
    assert ever([ep(0, severity=None)]) == {}
    unrated = ep(3, severity=None)
    assert ever([ep(0, severity=9), unrated])["intense"].episode_ids != (unrated.id,)


def test_long_cramp():
    assert at([ep(0, duration_s=601)], 0) == {"long_duration"}
    assert at([ep(0, duration_s=600)], 0) == set()
    assert "(the longest 20 min)" in ever([ep(0, duration_s=1200)])["long_duration"].message


# ---- walking in older age (a001: while walking or running; at rest in more severe cases)
OLDER = Profile(age_range="65_plus")


def test_walking_cramps_in_an_older_person():
    history = [ep(0, activity="walking"), ep(12, activity="walking")]
    alert = ever(history, OLDER)["walking_older"]
    assert "within 30 days 2 cramps came on while walking" in alert.message
    assert "walking_older" not in ever(history, Profile(age_range="30_49"))
    assert "walking_older" not in ever(history, Profile())
    assert "walking_older" not in ever([history[0], ep(31, activity="walking")], OLDER)


def test_cramps_at_rest_count_with_walking_ones():
    history = [ep(0, activity="walking"), ep(4, hour=3, activity="in_bed")]
    alert = ever(history, OLDER)["walking_older"]
    assert "a cramp came on while walking, and 1 at rest" in alert.message
    assert alert.episode_ids == tuple(e.id for e in history)
    # at rest alone is the common night cramp: not this rule
    assert ever([ep(0, activity="in_bed"), ep(4, activity="resting")], OLDER) == {}


def test_sport_other_than_walking_does_not_count():
    cycling = [ep(0, activity="exercising"), ep(3, activity="exercising")]
    assert "walking_older" not in ever(cycling, OLDER)
    assert "walking_older" not in ever([*cycling, ep(5, activity="after_exercise")], OLDER)


def test_activity_not_recorded_neither_counts_nor_blocks():
    walks = [ep(0, activity="walking"), ep(5, activity="walking")]
    unrecorded = ep(6, activity=None)
    alert = ever([*walks, unrecorded], OLDER)["walking_older"]
    assert unrecorded.id not in alert.episode_ids
    assert ever([walks[0], unrecorded], OLDER) == {}


# ---- conditions
def test_every_condition_the_articles_name_is_a_doctor_condition():
    named = DOCTOR_CONDITIONS
    brief = {
        "diabetes",
        "kidney_disease",
        "liver_disease",
        "circulation",
        "neuropathy",
        "multiple_sclerosis",
        "parkinsons",
        "stroke_brain_injury",
        "nervous_system",  # the older combined answer
    }
    assert brief & set(vocab.CONDITIONS) <= named
    assert named <= set(vocab.CONDITIONS)
    assert "pregnancy" not in named  # the articles only say night cramps are common then


@pytest.mark.parametrize("code", sorted(DOCTOR_CONDITIONS))
def test_every_named_condition_fires(code):
    (alert,) = doctor_rules.evaluate_at([ep(0)], Profile(conditions=(code,)), on(0))
    assert alert.rule_id == "known_condition"
    assert f"Your profile mentions {vocab.condition_phrase(code)}." in alert.message


@pytest.mark.parametrize("code", sorted(set(vocab.CONDITIONS) - DOCTOR_CONDITIONS))
def test_other_conditions_do_not_fire(code):
    assert at([ep(0)], 0, Profile(conditions=(code,))) == set()


def test_condition_typed_in_is_quoted_not_guessed():
    profile = Profile(other_conditions="Gout,\n  thyroid")
    (alert,) = doctor_rules.evaluate_at([ep(0)], profile, on(0))
    assert "the condition you noted: Gout, thyroid." in alert.message
    both = Profile(conditions=("diabetes", "kidney_disease"), other_conditions="gout")
    (alert,) = doctor_rules.evaluate_at([ep(0)], both, on(0))
    assert "diabetes, kidney disease and the condition you noted: gout" in alert.message


def test_condition_needs_a_cramp_within_two_weeks():
    profile = Profile(conditions=("diabetes",))
    assert at([ep(0)], 13, profile) == {"known_condition"}
    assert at([ep(0)], 14, profile) == set()
    assert at([], 0, profile) == set()


# ---- "not recorded" never triggers or blocks a rule
UNRECORDED = dict(side=None, site=(), severity=None, activity=None, hydration=None, footwear=None)


def test_quick_logs_trigger_only_the_counting_rules():
    history = [ep(d, **UNRECORDED) for d in (0, 1, 2, 3, 7, 8, 9, 10)]
    fired = set(ever(history, OLDER))
    assert fired == {"frequent", "persistent_days", "not_improving"}


# ---- every message in our own words
ARTICLES = Path(__file__).resolve().parents[4] / "shared" / "articles"
COPY_RUN = 8  # words in a row a message may never share with an article (as for the tips)


def all_rules_diary():
    """One diary over four weeks (1, 2, 3, 4 cramps a week) that triggers every rule."""
    signs = tuple(vocab.WARNING_SIGNS)
    first = ep(0, activity="walking", severity=9, duration_s=900, warning_signs=signs)
    days = (7, 9, 14, 16, 18, 21, 22, 23, 24)
    history = [first, *(ep(d, activity="walking" if d % 2 else "in_bed") for d in days)]
    profile = Profile(age_range="65_plus", conditions=("diabetes",), other_conditions="gout")
    return history, profile


def test_one_diary_triggers_every_rule():
    history, profile = all_rules_diary()
    assert set(ever(history, profile)) == {r.id for r in doctor_rules.RULES}


def _words(text):
    return re.findall(r"[a-z0-9']+", text.lower().replace("\u2019", "'"))


@pytest.mark.skipif(not ARTICLES.is_dir(), reason="source articles not next to the repository")
def test_no_message_advice_or_reading_copies_an_article():
    runs = set()
    for path in sorted(ARTICLES.glob("*.txt")):
        w = _words(path.read_text(encoding="utf-8"))
        runs |= {tuple(w[i : i + COPY_RUN]) for i in range(len(w) - COPY_RUN + 1)}
    history, profile = all_rules_diary()
    texts = [a.message for a in ever(history, profile).values()] + [doctor_rules.NOT_DIAGNOSIS]
    texts += [r.advice for r in doctor_rules.RULES] + [r.reading for r in doctor_rules.RULES]
    copied = []
    for text in texts:
        w = _words(text)
        copied += [
            " ".join(w[i : i + COPY_RUN])
            for i in range(len(w) - COPY_RUN + 1)
            if tuple(w[i : i + COPY_RUN]) in runs
        ]
    assert copied == []


# ---- one engine: the banner on any day is part of the summary of any period holding it
OFFSETS = [timezone(timedelta(hours=h)) for h in (-10, 0, 1, 14)]
SIGNS = sorted(set(vocab.WARNING_SIGNS) | {"fever_injury"})


@st.composite
def diaries(draw):
    days = draw(st.lists(st.integers(0, 59), max_size=40))
    history = []
    for i, day in enumerate(days):
        history.append(
            Episode(
                started_at=datetime.combine(
                    on(day), time(draw(st.integers(0, 23))), draw(st.sampled_from(OFFSETS))
                ),
                duration_s=draw(st.sampled_from([30, 90, 600, 601, 1800])),
                severity=draw(st.none() | st.integers(0, 10)),
                activity=draw(st.none() | st.sampled_from(list(vocab.ACTIVITIES))),
                warning_signs=tuple(
                    draw(st.lists(st.sampled_from(SIGNS), unique=True, max_size=2))
                    if draw(st.integers(0, 5)) == 0
                    else ()
                ),
                id=i + 1,
            )
        )
    return history


profiles = st.builds(
    Profile,
    age_range=st.none() | st.sampled_from(list(vocab.AGE_RANGES)),
    conditions=st.lists(st.sampled_from(list(vocab.CONDITIONS)), unique=True, max_size=2).map(
        tuple
    ),
    other_conditions=st.sampled_from(["", "gout"]),
)


def _naive(history, day):
    """Independent, slow answers for a few rules on ``day``."""

    def within(e, days):
        return 0 <= (day - e.started_at.date()).days < days

    week = [e for e in history if within(e, 7)]
    weeks = [
        sum(1 for e in history if 7 * k <= (day - e.started_at.date()).days < 7 * k + 7)
        for k in range(4)
    ]
    return {
        "frequent": len(week) >= 4,
        "persistent_days": len({e.started_at.date() for e in week}) >= 3,
        "numbness": any(within(e, 14) and "numbness" in e.warning_signs for e in history),
        "intense": any(within(e, 14) and (e.severity or 0) >= 7 for e in history),
        "steady": all(weeks),
    }


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(diaries(), profiles, st.integers(-5, 40), st.integers(0, 45))
def test_the_summary_holds_everything_the_banner_ever_showed(history, profile, start, length):
    first, last = on(start), on(start + length)
    period = {a.rule_id: a for a in doctor_rules.evaluate_period(history, profile, first, last)}
    shown: dict[str, set[int]] = {}
    dates: dict[str, set[date]] = {}
    day = first
    while day <= last:
        upto = [e for e in history if e.started_at.date() <= day]
        alerts = doctor_rules.evaluate_at(upto, profile, day)
        assert alerts == doctor_rules.evaluate_at(history, profile, day)  # later cramps: no say
        fired = {a.rule_id for a in alerts}
        for rule_id, applies in _naive(history, day).items():
            assert (rule_id in fired) == applies, (rule_id, day)
        for alert in alerts:
            assert alert.rule_id in period, (alert.rule_id, day)
            assert set(alert.episode_ids) <= set(period[alert.rule_id].episode_ids)
            shown.setdefault(alert.rule_id, set()).update(alert.episode_ids)
            dates.setdefault(alert.rule_id, set()).update((alert.first_date, alert.last_date))
        day += DAY
    # nothing that never applied, and each with exactly the episodes and dates it had
    assert set(period) == set(shown)
    for rule_id, alert in period.items():
        assert set(alert.episode_ids) == shown[rule_id]
        assert (alert.first_date, alert.last_date) == (min(dates[rule_id]), max(dates[rule_id]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(diaries(), profiles, st.integers(0, 59))
def test_the_tips_lead_with_exactly_what_the_banner_says(history, profile, day):
    """Banner and tips on the same day, from the same engine: every reason the banner shows has
    its doctor tip in the ranking, ahead of every tip that is not doctor advice."""
    from tracker.advice import tips

    kb = knowledge.default()
    now = datetime.combine(on(day), time(23, 59)).astimezone()
    upto = [e for e in history if e.started_at <= now]
    alerts = doctor_rules.evaluate_at(upto, profile, now)
    ranked = [m.tip for m in tips.rank(kb, upto[-10:], (), profile, alerts=alerts)]
    ids = [t.id for t in ranked]
    first_plain = next((i for i, t in enumerate(ranked) if t.kind != "doctor"), len(ranked))
    for alert in alerts:
        assert alert.tip_id in ids, alert.rule_id
        assert ids.index(alert.tip_id) < first_plain, (alert.rule_id, ids[:5])


# ---------------------------------------------------------------- the banner's light rows
def _summary(alerts):
    """What the banner, Health notices and the Tips page show of each alert."""
    return [
        (
            a.rule_id,
            a.title,
            a.message,
            a.sources,
            a.tip_id,
            a.episode_ids,
            a.first_date,
            a.last_date,
            [(e.started_at, e.time_approximate) for e in a.episodes],
        )
        for a in alerts
    ]


def _random_diary(seed: int, now: datetime, count: int) -> list[Episode]:
    """Cramps over the 45 days before ``now`` with every field the rules read varied, in two
    UTC offsets (so local dates and the start_utc window disagree near midnight)."""
    import random

    rng = random.Random(seed)
    zones = [timezone(timedelta(hours=h)) for h in (-5, 0, 1, 9)]
    signs = list(vocab.WARNING_SIGNS)
    activities = [None, *vocab.ACTIVITIES]
    out = []
    for _ in range(count):
        at = now - timedelta(seconds=rng.randrange(45 * 24 * 3600))
        out.append(
            Episode(
                started_at=at.astimezone(rng.choice(zones)).replace(microsecond=0),
                duration_s=rng.choice([30, 90, 400, 700, 3000]),
                severity=rng.choice([None, 2, 5, 7, 9]),
                activity=rng.choice(activities),
                warning_signs=tuple(rng.sample(signs, rng.choice([0, 0, 0, 0, 0, 1, 2]))),
                time_approximate=rng.random() < 0.2,
            )
        )
    return out


@pytest.mark.parametrize("seed", range(8))
def test_alerts_now_reads_light_rows_with_the_same_answer_as_episodes(store, seed):
    """alerts_now reads only the fields the rules need (tracker.store.doctor_queries); on
    generated diaries it says exactly what the rules said over full Episodes."""
    from tracker.diary import demo

    now = datetime(2026, 3, 20, 23, 30, tzinfo=TZ)
    if seed % 2:
        store.add_episodes(_random_diary(seed, now, 40 + 30 * seed))
    else:
        store.add_episodes(demo.generate(300 + 200 * seed, seed, until=now.date()))
    profiles = [
        None,
        Profile(age_range="65_plus"),
        Profile(age_range="65_plus", conditions=("diabetes",)),
        Profile(other_conditions="  something   typed "),
    ]
    found_any = False
    for profile in profiles:
        for days_later in (0, 3, 10):
            when = now + timedelta(days=days_later)
            start = int(when.timestamp()) - (doctor_rules.HISTORY_DAYS + 1) * 24 * 60 * 60
            episodes = list(store.iter_episodes(start, None))
            fast = doctor_rules.alerts_now(store, profile, when)
            old = doctor_rules.evaluate_at(episodes, profile, when)
            assert _summary(fast) == _summary(old)
            found_any = found_any or bool(old)
    assert found_any  # the diaries do trigger rules, so the comparison means something


@pytest.mark.parametrize("seed", range(6))
def test_the_summary_reads_light_rows_with_the_same_answer_as_episodes(store, seed):
    """alerts_in_period (the doctor summary's reasons) reads light rows of the period and its
    history; on generated diaries, in several UTC offsets, it says exactly what the rules say
    over full Episodes (the summary read Episodes before; a year of a busy diary took seconds)."""
    from tracker.diary import demo
    from tracker.diary.periods import utc_midnight

    now = datetime(2026, 3, 20, 23, 30, tzinfo=TZ)
    if seed % 2:
        store.add_episodes(_random_diary(seed, now, 80 + 60 * seed))
    else:
        store.add_episodes(demo.generate(400 + 300 * seed, seed, until=now.date()))
    profiles = [
        None,
        Profile(age_range="65_plus"),
        Profile(age_range="65_plus", conditions=("diabetes",)),
    ]
    today = now.date()
    periods = [(today - timedelta(days=n), today - timedelta(days=k)) for n, k in
               ((364, 0), (44, 0), (30, 10), (6, 3), (0, 0))]  # fmt: skip
    found_any = False
    for profile, (first, last) in itertools.product(profiles, periods):
        start = utc_midnight(first - timedelta(days=doctor_rules.HISTORY_DAYS + 1))
        episodes = list(store.iter_episodes(start, utc_midnight(last + timedelta(days=2))))
        fast = doctor_rules.alerts_in_period(store, profile, first, last)
        old = doctor_rules.evaluate_period(episodes, profile, first, last)
        assert _summary(fast) == _summary(old), (profile, first, last)
        found_any = found_any or bool(old)
    assert found_any


def test_a_later_instant_on_an_earlier_local_date_counts_by_its_date():
    """Cramps logged in two UTC offsets: the one on the 11th (local) came first in time. The
    rules count local dates, so the week of 11 to 17 March holds four cramps, and 10 March is
    outside it (Diary keeps its days in date order, not in the order of the instants)."""
    west, east = timezone(timedelta(hours=-5)), timezone(timedelta(hours=9))
    on_10th = ep(0, started_at=datetime(2026, 3, 10, 23, 30, tzinfo=west))  # 04:30 UTC, 11th
    on_11th = ep(0, started_at=datetime(2026, 3, 11, 1, 0, tzinfo=east))  # 16:00 UTC, 10th
    history = [on_10th, on_11th, *(ep(0, started_at=datetime(2026, 3, d, 12, tzinfo=TZ))
                                   for d in (12, 13, 14))]  # fmt: skip
    assert on_11th.started_at < on_10th.started_at
    frequent = doctor_rules.evaluate_at(history, None, date(2026, 3, 17))
    assert [a.rule_id for a in frequent if a.rule_id == "frequent"] == ["frequent"]
    assert "You logged 4 cramps within 7 days" in next(
        a.message for a in frequent if a.rule_id == "frequent"
    )
    assert "frequent" not in {
        a.rule_id for a in doctor_rules.evaluate_at(history[1:4], None, date(2026, 3, 17))
    }
    [week] = [
        a
        for a in doctor_rules.evaluate_period(history, None, date(2026, 3, 14), date(2026, 3, 14))
        if a.rule_id == "frequent"
    ]
    assert set(week.episode_ids) == {e.id for e in history}  # 10-14 March: all five


def test_a_summary_check_reads_its_rows_without_cyclic_collection(store, monkeypatch):
    """A full collection walks every object with the GIL held (80-95 ms measured during a
    year's check, the UI thread waiting): paused while the rows are read and judged, and
    resumed after, also after an error; left off when it was off."""
    import gc

    from tracker.advice import doctor_window

    seen = []
    rows = doctor_rules.doctor_rows

    def reading(*args):
        seen.append(gc.isenabled())
        return rows(*args)

    monkeypatch.setattr(doctor_rules, "doctor_rows", reading)
    store.add_episode(ep(0))
    assert gc.isenabled()
    doctor_rules.alerts_in_period(store, None, on(0), on(5))
    assert seen == [False] and gc.isenabled()
    with pytest.raises(ZeroDivisionError), doctor_window.collections_paused():
        assert not gc.isenabled()
        1 / 0  # noqa: B018
    assert gc.isenabled()
    gc.disable()
    try:
        with doctor_window.collections_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
