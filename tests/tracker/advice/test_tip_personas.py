"""Four people, each a diary and a profile, and what "For you" shows them.

For each persona the top three tips are the ones a careful reader of the five source articles
(resources/sources.json: a000-a004) would put first, and the reason for that choice is written
next to the persona. Every reason that counts episodes is checked against a count made here,
independently of tracker.advice.tips, and advice with no evidence in the diary or the profile
(restless legs above all) must not appear at all.

The ranking goes through tips.for_you, as the Tips page does: the last 10 episodes, the Patterns
findings of the last 90 days, and the stored profile.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest

from tests.factories import TZ, make_episode
from tracker.advice import knowledge, tips
from tracker.advice.profile import Profile, save_profile
from tracker.diary.episode import Episode
from tracker.diary.vocab import NIGHT_HOURS

KB = knowledge.default()
TODAY = date(2026, 3, 11)
FOR_YOU_LIMIT = 12  # what the Tips page shows


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A start ``day`` days before TODAY, at a local wall-clock time."""
    base = datetime(TODAY.year, TODAY.month, TODAY.day, hour, minute, tzinfo=TZ)
    return base - timedelta(days=day)


def ep(day: int, hour: int, **fields) -> Episode:
    values = dict(
        started_at=at(day, hour),
        severity=5,
        activity=None,
        hydration=None,
        footwear=None,
        side="left",
        site=("big_toe",),
    )
    values.update(fields)
    return make_episode(**values)


# ---- what each counted reason claims, defined here without tracker.advice.tips
def _night(e: Episode) -> bool:
    return e.started_at.hour in NIGHT_HOURS


CLAIMS = {
    # description in the reason -> (does this episode support it, the field it needs or None)
    "were when you felt under-hydrated": (lambda e: e.hydration == "under", "hydration"),
    "came during or just after exercise": (
        lambda e: e.activity in ("exercising", "after_exercise"),
        "activity",
    ),
    "came after hard or new exercise": (lambda e: "hard_exercise" in e.context, None),
    "started at night (22:00 to 06:00)": (_night, None),
    "started in bed": (lambda e: e.activity == "in_bed", "activity"),
    "were in tight or ill-fitting shoes": (lambda e: e.footwear_tight, None),
    "came while resting, sitting or driving": (
        lambda e: e.activity in ("resting", "driving"),
        "activity",
    ),
    "came after long sitting or standing": (lambda e: "long_sitting_standing" in e.context, None),
    "came after sitting with crossed legs": (lambda e: "crossed_legs" in e.context, None),
    "were rated severe, 7 to 10 out of 10": (
        lambda e: e.severity is not None and e.severity >= 7,
        "severity",
    ),
    "came on while walking": (
        lambda e: e.activity == "walking",
        None,
    ),
}
_COUNTED = re.compile(
    r"(?:^|, and )(?:(?P<all>[Aa]ll)|(?P<hits>\d+)) of your last (?P<n>\d+) episodes "
    r"(?P<what>.+?)(?: \((?P<field>[a-z]+) not recorded for (?:the other )?(?P<unknown>\d+)\))?$"
)
_PATTERNS = re.compile(r"^Patterns: In your log, (\d+) of (?:the )?(\d+) [^(]*\(\d+%\) (.+)\.$")


def check_reasons_are_true(matches, diary: list[Episode]) -> None:
    """Every counted reason equals the count made here; every tip has a reason."""
    recent = sorted(diary, key=lambda e: e.started_at)[-tips.RECENT_EPISODES :]
    n = len(recent)
    for match in matches:
        assert match.reasons, match.tip.id
        for reason in match.reasons:
            found = _COUNTED.search(reason)
            if found:
                what = re.sub(r"^was ", "were ", found["what"])  # "1 of ... was in heels"
                assert what in CLAIMS, f"no independent count for {what!r}: add it to CLAIMS"
                supports, field = CLAIMS[what]
                hits = sum(1 for e in recent if supports(e))
                claimed = n if found["all"] else int(found["hits"])
                assert int(found["n"]) == n, reason
                assert claimed == hits, f"{match.tip.id}: {reason!r} but {hits} support it"
                unknown = (
                    sum(1 for e in recent if getattr(e, field) is None and not supports(e))
                    if field
                    else 0
                )
                assert int(found["unknown"] or 0) == unknown, reason
            patterns = _PATTERNS.match(reason)
            if patterns and patterns[3] == "came during or just after exercise":
                part = sum(1 for e in diary if CLAIMS[patterns[3]][0](e))
                assert int(patterns[1]) == part, reason


@dataclass(frozen=True)
class Persona:
    name: str
    diary: list[Episode]
    profile: Profile
    top3: tuple[str, ...]
    absent: frozenset[str]


def night_low_fluids() -> Persona:
    """Cramps wake her at night; she often has not drunk much that day.

    Ten nights: all between 23:00 and 05:00, eight logged as in bed (two quick logs left the
    activity out); seven under-hydrated with 600-900 ml drunk, one normal, two not recorded.

    A careful reader picks: (1) "Cramps at night in bed" - a003 describes exactly this and lists
    its self-help (water, fitting shoes, exercise with flexibility work, varied food, a medicine
    check); every episode was at night. (2) "Drink enough" - dehydration is the cause all the
    articles name most often (a001, a002, a003, a004), and seven of ten were under-hydrated.
    (3) "Stretch your toes and feet daily" - a002's prevention list and a003's physical therapy
    stretches, the articles' standing advice against recurring (night) cramps.
    Restless legs must not appear: nothing in her diary or profile points to it (a002 ties it to
    odd sensations and trouble falling asleep, and to age over 50).
    """
    hours = (1, 3, 2, 4, 23, 2, 3, 1, 4, 2)
    hydration = ("under", "under", None, "under", "normal", "under", "under", None, "under")
    hydration += ("under",)
    diary = []
    for i, hour in enumerate(hours):
        quick = i in (2, 7)
        diary.append(
            ep(
                12 - i,
                hour,
                activity=None if quick else "in_bed",
                hydration=hydration[i],
                fluid_ml=700 if hydration[i] == "under" else None,
                footwear=None if quick else "barefoot",
                severity=7 if i == 5 else 5,
            )
        )
    return Persona(
        "night cramps with low fluids",
        diary,
        Profile(age_range="30_49"),
        ("night-cramps", "drink-water", "stretch-daily"),
        frozenset({"restless-legs", "age-changes", "pad", "avoid-heels", "pregnancy"}),
    )


def exercise_tight_shoes() -> Persona:
    """A runner whose shoes pinch.

    Eight cramps came during (six) or just after (two) a run in athletic shoes marked tight; two
    more woke him at 03:00 in bed after a hard session (context "hard or new exercise", barefoot).
    Those two came neither during nor just after exercise, and no reason may say they did.

    A careful reader picks: (1) "Stretch before you exercise" - a001 (Kosinski: "inadequate
    pre-workout stretching") and a002 ("not stretching before exercise") name it; every one of
    his cramps followed exercise. (2) "Wear shoes that fit and support" - a001, a002 and a003,
    with a002 and a004 on tight shoes pressing on the toes; eight of ten were in tight shoes.
    (3) "Drink enough, especially when active" - a001: "drink in plenty of water, especially
    while exercising".
    """
    diary = []
    for i in range(6):
        hard = ("hard_exercise",) if i % 2 == 0 else ()
        diary.append(
            ep(
                20 - 2 * i,
                18,
                activity="exercising",
                footwear="athletic",
                footwear_tight=True,
                hydration="normal",
                context=hard,
            )
        )
    for day in (7, 5):
        diary.append(
            ep(
                day,
                20,
                activity="after_exercise",
                footwear="athletic",
                footwear_tight=True,
                hydration="normal",
            )
        )
    for day in (3, 1):  # the night after a hard workout
        diary.append(
            ep(
                day,
                3,
                activity="in_bed",
                footwear="barefoot",
                hydration="normal",
                context=("hard_exercise",),
            )
        )
    return Persona(
        "exercise in tight shoes",
        diary,
        Profile(age_range="under_30"),
        ("stretch-before-exercise", "fitting-shoes", "drink-water"),
        frozenset({"restless-legs", "avoid-heels", "pad", "doctor-known-condition"}),
    )


def long_sitting() -> Persona:
    """An office worker whose feet cramp at the desk and in the car.

    Ten weekday afternoons: five resting/sitting, two driving, one standing, two quick logs with
    no activity; six marked "long sitting or standing", three "crossed legs".

    A careful reader picks: (1) "Break up long sitting" - a002: "People who work at desk jobs
    should take frequent walking breaks"; a003 warns against staying in one position. (2) "Too
    little movement" - a002 (sedentary lifestyle), a003 (staying in one position too long) and
    a004 (lack of physical activity) name it as a cause. (3) "Poor blood flow" - a002 and a003:
    "Sitting for a long time ... and crossing the legs for too long can slow blood flow".
    """
    plan = [
        ("resting", ("long_sitting_standing", "crossed_legs")),
        ("resting", ("long_sitting_standing",)),
        ("driving", ("long_sitting_standing",)),
        (None, ()),
        ("resting", ("crossed_legs",)),
        ("standing", ("long_sitting_standing",)),
        ("resting", ("long_sitting_standing", "crossed_legs")),
        ("driving", ()),
        (None, ()),
        ("resting", ("long_sitting_standing",)),
    ]
    diary = [
        ep(
            14 - i,
            15,
            activity=activity,
            context=context,
            footwear="flat",
            hydration="normal" if activity else None,
        )
        for i, (activity, context) in enumerate(plan)
    ]
    return Persona(
        "long sitting",
        diary,
        Profile(age_range="30_49"),
        ("walking-breaks", "inactivity", "poor-circulation"),
        frozenset({"restless-legs", "pad", "doctor-walking-older", "night-cramps"}),
    )


def older_with_diabetes() -> Persona:
    """Over 65, with diabetes, taking metformin.

    Eight cramps in three weeks: five in the evening sitting in a chair, three in bed at night.

    A careful reader picks: (1) "See a doctor" for the diabetes - a002: see a doctor if "cramps
    occur in a person with an underlying medical condition, such as diabetes". (2) "Keep other
    conditions under control" - a002's prevention: treat the underlying condition, make the
    lifestyle changes a doctor recommends and take medicine as prescribed; home remedies will
    not cure it. (3) "Poor blood flow" - a002 and a003: diabetes (and, in her diary, long
    sitting) slows the blood flow to the feet.
    Having her medicines checked (a003) and nerve damage (a002: uncontrolled diabetes) follow.
    Restless legs must not appear for being over 50, nor the walking/PAD advice without any
    cramp while walking.
    """
    diary = [ep(20 - 3 * i, 20, activity="resting", footwear="socks_slippers") for i in range(5)]
    diary += [
        ep(day, hour, activity="in_bed", footwear="barefoot", hydration="normal")
        for day, hour in ((4, 23), (2, 1), (1, 2))
    ]
    return Persona(
        "65+ with diabetes",
        diary,
        Profile(age_range="65_plus", conditions=("diabetes",), medicines="metformin"),
        ("doctor-known-condition", "treat-conditions", "poor-circulation"),
        frozenset({"restless-legs", "pad", "doctor-walking-older", "electrolyte-drinks"}),
    )


PERSONAS = [night_low_fluids(), exercise_tight_shoes(), long_sitting(), older_with_diabetes()]


def for_you(store, persona: Persona):
    store.add_episodes(persona.diary)
    save_profile(store, persona.profile)
    return tips.for_you(KB, store, today=TODAY)


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.name)
def test_top_three_are_what_a_careful_reader_picks_first(store, persona):
    ranked = for_you(store, persona)
    assert tuple(m.tip.id for m in ranked[:3]) == persona.top3


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.name)
def test_every_reason_counts_exactly_the_supporting_episodes(store, persona):
    ranked = for_you(store, persona)
    check_reasons_are_true(ranked, persona.diary)


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.name)
def test_nothing_without_evidence(store, persona):
    ranked = for_you(store, persona)
    shown = {m.tip.id for m in ranked}
    assert not shown & persona.absent
    assert "restless-legs" not in shown


def test_night_persona_reasons():
    persona = night_low_fluids()
    ranked = tips.rank(KB, persona.diary, profile=persona.profile)
    by_id = {m.tip.id: m for m in ranked}
    assert by_id["night-cramps"].reasons[0] == (
        "All of your last 10 episodes started at night (22:00 to 06:00)"
    )
    assert by_id["drink-water"].reasons == (
        "7 of your last 10 episodes were when you felt under-hydrated "
        "(hydration not recorded for 2)",
    )


def test_exercise_persona_never_counts_a_night_in_bed_as_exercise(store):
    persona = exercise_tight_shoes()
    ranked = for_you(store, persona)
    stretch = next(m for m in ranked if m.tip.id == "stretch-before-exercise")
    assert "8 of your last 10 episodes came during or just after exercise" in stretch.reasons
    assert "5 of your last 10 episodes came after hard or new exercise" in stretch.reasons
    assert not any(r.startswith("All of your last") for r in stretch.reasons)
    # Patterns says the same number for the same words.
    patterns = [r for m in ranked for r in m.reasons if r.startswith("Patterns:")]
    exercise = [r for r in patterns if "during or just after exercise" in r]
    assert exercise and all("8 of 10 cramps" in r for r in exercise)


def test_older_persona_gets_the_advice_that_matters_within_the_page(store):
    ranked = for_you(store, older_with_diabetes())[:FOR_YOU_LIMIT]
    shown = [m.tip.id for m in ranked]
    for tip_id in ("medicine-review", "neuropathy"):
        assert tip_id in shown[:6], tip_id
    doctor = ranked[0]
    assert doctor.reasons == ("Your profile mentions diabetes",)
    circulation = next(m for m in ranked if m.tip.id == "poor-circulation")
    assert "Your profile mentions diabetes" in circulation.reasons
    assert "5 of your last 8 episodes came while resting, sitting or driving" in (
        circulation.reasons
    )
    # Diabetes makes a change of diet a matter for the doctor: the caution is on the tip, and
    # the tip sits below "see a doctor".
    night = next(m for m in ranked if m.tip.id == "night-cramps")
    assert night.cautions and night.reasons[0] == night.cautions[0]
    assert "diabetes" in night.cautions[0] and "doctor" in night.cautions[0]
    assert shown.index("night-cramps") > shown.index("doctor-known-condition")


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.name)
def test_with_the_doctor_evaluation_its_advice_leads_and_the_rest_keeps_its_order(store, persona):
    """When the page passes the doctor rules' evaluation (what the banner shows), that advice
    comes first, with the rule's own message as the reason, and the persona's picks follow in
    the same order: the two never disagree, and nothing is pushed off the page."""
    from tracker.advice import doctor_rules

    now = datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=TZ)
    alerts = doctor_rules.evaluate_at(persona.diary, persona.profile, now)
    store.add_episodes(persona.diary)
    save_profile(store, persona.profile)
    ranked = tips.for_you(KB, store, today=TODAY, alerts=alerts)
    doctor_ids = list(
        dict.fromkeys(a.tip_id for a in alerts if a.tip_id in {t.id for t in KB.tips})
    )
    lead = [m.tip.id for m in ranked[: len(doctor_ids)]]
    assert set(lead) == set(doctor_ids)
    for alert in alerts:
        match = next(m for m in ranked if m.tip.id == alert.tip_id)
        assert alert.message in match.reasons
    rest = [m.tip.id for m in ranked if m.tip.id not in doctor_ids]
    assert tuple(t for t in persona.top3 if t not in doctor_ids) == tuple(
        rest[: len([t for t in persona.top3 if t not in doctor_ids])]
    )
    check_reasons_are_true(ranked, persona.diary)
