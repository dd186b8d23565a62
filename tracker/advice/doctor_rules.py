"""When the articles say to see a doctor, judged over a window of the diary, not one cramp.

One engine serves everything that shows doctor reasons: the banner asks what applies now
(``evaluate_at``), the doctor summary asks what applied at any time in a period
(``evaluate_period``), so the two can never disagree.

Time is counted in local calendar days (each episode's own wall-clock date). A rule applies on
day ``d`` when the episodes dated within its window, ``d - window + 1`` to ``d``, meet its
threshold (tracker/advice/doctor_window.py). ``evaluate_at(now)`` is "applies on now's date";
``evaluate_period`` is the union over every day of the period, with the episodes that
triggered each reason and their first and last dates. So a reason stays while its episodes
are inside the window (a warning sign: two weeks) however many ordinary cramps follow it.

Each threshold below is our reading of the articles' words; the comment on each constant says
which words, and each rule's ``reading`` says it for people. Rules never diagnose: they repeat
what the articles advise and say why it applies. A field left "not recorded" never triggers or
blocks a rule.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from tracker.advice.doctor_window import (
    WEEK,
    Cramp,
    Diary,
    DoctorAlert,
    DoctorRule,
    Figures,
    as_date,
    collections_paused,
)
from tracker.advice.doctor_window import evaluate_period as _evaluate_period
from tracker.advice.profile import Profile, SettingsStore, dismiss, is_dismissed
from tracker.diary import episode as episode_module
from tracker.diary import vocab
from tracker.diary.episode import format_duration
from tracker.diary.periods import utc_midnight
from tracker.store.doctor_queries import doctor_rows

if TYPE_CHECKING:
    from tracker.store import Store

NOT_DIAGNOSIS = "This app does not diagnose; it only repeats what its source articles advise."

# A warning sign, a severe or a very long cramp keeps its reason for two weeks: the day it was
# logged and the 13 after (long enough to book an appointment), unless dismissed.
SIGN_WINDOW = 14
# a003 "if you get cramps frequently": 4 or more cramps within 7 days.
FREQUENT_COUNT = 4
# a002 "if the cramps last for more than a few days": cramps on 3 or more different days
# within 7 (three cramps on one day are not "days").
PERSIST_DAYS = 3
# a002 "do not get better within a week": a week with at least 2 cramps followed by a week with
# at least as many, the last of them a week or more after the first (one cramp a week is too
# few to call it "not better"; a burst of a few days is not a week).
NOT_IMPROVING_MIN = 2
# a002 "toe cramps that get worse": over the last 4 weeks, from the first week with a cramp
# (at least 3 weeks of counts), the weekly count never fell and ended at least 2 above where
# it started (1, 2, 3 a week; 1, 1, 2, 3 a week).
RISING_WEEKS = 4
RISING_MIN_WEEKS = 3
RISING_BY = 2
# a002 "do not reduce over time" / a001 "persistent": at least one cramp in each of 4
# consecutive weeks (a month without a single cramp-free week).
STEADY_WEEKS = 4
# a001 "especially intense": the app's severe band, 7-10 of 10 (vocab.severity_band).
INTENSE_SEVERITY = min(s for s in range(11) if vocab.severity_band(s) == "severe")
# a000/a001: cramps last seconds to a few minutes; "persistent" ones are worth a doctor. The
# app already calls a cramp over 10 minutes "worth telling a doctor about" (episode.validate).
LONG_DURATION_S = episode_module.LONG_DURATION_S
# a001: in older people, cramps while walking or running can be an early sign of a circulation
# problem (PAD); in more severe cases they occur at rest too. Our reading: an older profile and,
# within 30 days, at least one cramp while walking and at least 2 such cramps counting those at
# rest (cramps at rest alone are the common night cramp and do not start this rule).
WALKING_WINDOW = 30
WALKING_MIN = 2
WALKING_ACTIVITIES = frozenset({"walking", "running"})  # "running" if the vocabulary gains it
REST_ACTIVITIES = frozenset({"in_bed", "resting"})
# a002 "an underlying medical condition, such as diabetes or kidney failure" (kidney or liver
# failure, neuropathy, Parkinson's, MS, stroke or brain injury, PAD are named as causes); a003
# MS, diabetic neuropathy; a001 circulation and nervous-system disorders. The set,
# profile.DOCTOR_CONDITIONS, is shared with the tips so the two never disagree; a new
# vocab.CONDITIONS code joins it unless excluded there. A condition typed as free text counts
# too, quoted, never interpreted. Applies while the person has logged a cramp within two weeks.
CONDITION_WINDOW = 14
CONDITION_TEXT_MAX = 200  # characters of the typed condition quoted back
# "fever_injury" is the code from before the split into "fever" and "visible_injury": it says
# "a fever or a visible injury" and the message says just that.
FEVER_INJURY_SIGNS = {
    "fever": "a fever",
    "visible_injury": "a visible injury",
    "fever_injury": "a fever or a visible injury",
}
SWELLING_SIGNS = ("swelling", "discolouration")


def _cramps(n: int) -> str:
    return "a cramp" if n == 1 else f"{n} cramps"


def _and(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return " and ".join(items) if len(items) < 3 else f"{', '.join(items[:-1])} and {items[-1]}"


Applies = Callable[[Diary, int, Profile], Figures | None]
Describe = Callable[[Sequence[Cramp], Figures, Profile], str]
# A figure of the diary over days ``first``..``last``: Diary.count, Diary.days_with_cramps.
Measure = Callable[[Diary, int, int], int]


def _at_least(window: int, minimum: int, measure: Measure = Diary.count) -> Applies:
    """Applies when ``measure`` over the ``window`` days ending on the day is ``minimum`` or
    more; the figure is that measure."""

    def applies(diary: Diary, day: int, profile: Profile) -> Figures | None:
        n = measure(diary, day - window + 1, day)
        return (n,) if n >= minimum else None

    return applies


def _any_relevant(window: int, relevant: Callable[[Cramp], bool]) -> Applies:
    """Applies while a relevant cramp lies within the ``window`` days ending on the day."""
    return _at_least(window, 1, lambda diary, first, last: diary.count(first, last, relevant))


def _has_sign(*codes: str) -> Callable[[Cramp], bool]:
    wanted = frozenset(codes)
    return lambda e: bool(e.warning_signs) and not wanted.isdisjoint(e.warning_signs)


def _counting_cramps(template: str) -> Describe:
    """A message naming how many cramps triggered the rule: '{cramps}' is 'a cramp', '2 cramps'."""
    return lambda episodes, figures, profile: template.format(cramps=_cramps(len(episodes)))


def _quoting(template: str) -> Describe:
    """A message quoting the rule's figures: '{0}' is the first, '{1}' the second."""
    return lambda episodes, figures, profile: template.format(*figures)


# The messages that only fill in numbers, by rule.
_hard_to_walk = _counting_cramps(
    "You noted that {cramps} made walking hard. When cramps hurt enough to make walking or "
    "daily life difficult, the source advises seeing a doctor."
)
_numbness = _counting_cramps(
    "You noted numbness with {cramps}. Numb feet are a reason to have a doctor look at them."
)
_frequent = _quoting(
    f"You logged {{0}} cramps within {WEEK} days. Frequent cramps are worth talking over with a "
    "health professional."
)
_persist = _quoting(
    "You had cramps on {0} different days within a week. The source advises seeing a doctor "
    "when cramps go on for more than a few days."
)
_not_improving = _quoting(
    "You logged {0} cramps in one week and {1} in the week after it, so they did not ease "
    "within a week. The source advises seeing a doctor when cramps do not get better within "
    "about a week."
)
_steady = _quoting(
    f"You had cramps in each of {STEADY_WEEKS} weeks in a row ({{0}} in all). Cramps that keep "
    "coming back and do not lessen over time are worth showing a doctor."
)


def _fever_injury(episodes: Sequence[Cramp], figures: Figures, profile: Profile) -> str:
    found = [text for code, text in FEVER_INJURY_SIGNS.items() if any(
        code in e.warning_signs for e in episodes)]  # fmt: skip
    if "a fever or a visible injury" in found:
        found = ["a fever or a visible injury"]
    return (
        f"You noted {_and(found)} with {_cramps(len(episodes))}. Cramps with signs of "
        "infection or an injury to the foot should be seen by a doctor."
    )


def _swelling(episodes: Sequence[Cramp], figures: Figures, profile: Profile) -> str:
    signs = [s for s in SWELLING_SIGNS if any(s in e.warning_signs for e in episodes)]
    noted = _and([vocab.label(vocab.WARNING_SIGNS, s).lower() for s in signs])
    return (
        f"You noted {noted} with {_cramps(len(episodes))}. Feet that are swollen or change "
        "colour should be checked by a doctor."
    )


def _is_intense(e: Cramp) -> bool:
    return e.severity is not None and e.severity >= INTENSE_SEVERITY


def _intense(episodes: Sequence[Cramp], figures: Figures, profile: Profile) -> str:
    highest = max(e.severity for e in episodes if e.severity is not None)
    rated = (
        f"a cramp {highest} out of 10"
        if len(episodes) == 1
        else f"{len(episodes)} cramps {INTENSE_SEVERITY} or more out of 10 (the highest {highest})"
    )
    return f"You rated {rated}. Especially intense cramps are worth mentioning to a doctor."


def _is_long(e: Cramp) -> bool:
    return e.duration_s > LONG_DURATION_S


def _long(episodes: Sequence[Cramp], figures: Figures, profile: Profile) -> str:
    longest = format_duration(max(e.duration_s for e in episodes))
    lasted = "A cramp lasted" if len(episodes) == 1 else f"{len(episodes)} cramps lasted"
    return (
        f"{lasted} longer than {LONG_DURATION_S // 60} minutes (the longest {longest}). Most "
        "cramps pass within seconds or a few minutes; one that persists is worth telling a "
        "doctor about."
    )


def _not_improving_applies(diary: Diary, day: int, profile: Profile) -> Figures | None:
    before, last = diary.weeks(day, 2)
    if before < NOT_IMPROVING_MIN or last < before:
        return None
    # still cramping a full week after the first of them: a burst of a few days that straddles
    # the two weeks is not "not better after a week"
    # (both weeks have cramps here, so both spans exist)
    earlier_span = diary.span(day - 2 * WEEK + 1, day - WEEK)
    later_span = diary.span(day - WEEK + 1, day)
    if earlier_span is None or later_span is None:
        return None
    return (before, last) if later_span[1] - earlier_span[0] >= WEEK else None


def _rising_applies(diary: Diary, day: int, profile: Profile) -> Figures | None:
    weeks = diary.weeks(day, RISING_WEEKS)
    while weeks and weeks[0] == 0:
        weeks.pop(0)
    rising = all(a <= b for a, b in zip(weeks, weeks[1:], strict=False))
    if len(weeks) >= RISING_MIN_WEEKS and rising and weeks[-1] - weeks[0] >= RISING_BY:
        return tuple(weeks)
    return None


def _rising(episodes: Sequence[Cramp], figures: Figures, profile: Profile) -> str:
    counts = ", ".join(str(n) for n in figures)
    return (
        f"Your cramps per week went {counts} over {len(figures)} weeks in a row. The source "
        "advises seeing a doctor when cramps get worse over time."
    )


def _steady_applies(diary: Diary, day: int, profile: Profile) -> Figures | None:
    weeks = diary.weeks(day, STEADY_WEEKS)
    return (sum(weeks),) if all(weeks) else None


def _is_walking(e: Cramp) -> bool:
    return e.activity in WALKING_ACTIVITIES


def _is_walking_or_rest(e: Cramp) -> bool:
    return e.activity in WALKING_ACTIVITIES or e.activity in REST_ACTIVITIES


def _walking_applies(diary: Diary, day: int, profile: Profile) -> Figures | None:
    if not profile.is_older:
        return None
    first = day - WALKING_WINDOW + 1
    walking = diary.count(first, day, _is_walking)
    both = diary.count(first, day, _is_walking_or_rest)
    return (walking, both - walking) if walking and both >= WALKING_MIN else None


def _walking(episodes: Sequence[Cramp], figures: Figures, profile: Profile) -> str:
    walking, rest = figures
    age = vocab.label(vocab.AGE_RANGES, profile.age_range).lower()
    at_rest = f", and {rest} at rest" if rest else ""
    return (
        f"Your profile gives your age as {age}, and within {WALKING_WINDOW} days "
        f"{_cramps(walking)} came on while walking{at_rest}. In older people, cramps when "
        "walking can be an early sign of a circulation problem such as peripheral artery "
        "disease, and in more severe cases they come at rest too, so it is worth telling a "
        "doctor."
    )


def _has_condition(profile: Profile) -> bool:
    return bool(profile.other_conditions.strip() or profile.doctor_conditions)


_any_cramp_for_condition = _at_least(CONDITION_WINDOW, 1)


def _condition_applies(diary: Diary, day: int, profile: Profile) -> Figures | None:
    if not _has_condition(profile):
        return None
    return _any_cramp_for_condition(diary, day, profile)


def _condition(episodes: Sequence[Cramp], figures: Figures, profile: Profile) -> str:
    names = [vocab.condition_phrase(c) for c in profile.doctor_conditions]
    typed = " ".join(profile.other_conditions.split())
    if typed:
        if len(typed) > CONDITION_TEXT_MAX:
            typed = typed[:CONDITION_TEXT_MAX].rstrip() + "…"
        names.append(f"the condition you noted: {typed}")
    return (
        f"Your profile mentions {_and(names)}. People with an underlying condition are "
        "advised to see a doctor about their cramps."
    )


def _sign_rule(
    rule_id: str,
    title: str,
    tip_id: str,
    codes: Iterable[str],
    describe: Describe,
    advice: str,
) -> DoctorRule:
    relevant = _has_sign(*codes)
    return DoctorRule(
        id=rule_id,
        title=title,
        advice=advice,
        reading=f"One cramp with this sign keeps the reason for {SIGN_WINDOW} days.",
        tip_id=tip_id,
        sources=("a002",),
        window=SIGN_WINDOW,
        applies=_any_relevant(SIGN_WINDOW, relevant),
        describe=describe,
        relevant=relevant,
    )


RULES: tuple[DoctorRule, ...] = (
    _sign_rule(
        "hard_to_walk",
        "Pain that makes walking hard",
        "doctor-hard-to-walk",
        ("hard_to_walk",),
        _hard_to_walk,
        "See a doctor when cramps hurt so much that walking or daily life is hard.",
    ),
    _sign_rule(
        "fever_injury",
        "Fever or a visible injury",
        "doctor-fever-injury",
        tuple(FEVER_INJURY_SIGNS),
        _fever_injury,
        "See a doctor when cramps come with signs of infection such as a fever, or with a "
        "visible injury to the foot.",
    ),
    _sign_rule(
        "swelling",
        "Swollen or discoloured feet",
        "doctor-swelling",
        SWELLING_SIGNS,
        _swelling,
        "See a doctor when the feet are swollen or have changed colour.",
    ),
    _sign_rule(
        "numbness",
        "Numb feet",
        "doctor-numbness",
        ("numbness",),
        _numbness,
        "See a doctor when the feet feel numb.",
    ),
    DoctorRule(
        id="intense",
        title="Especially intense cramp",
        advice="Cramps that are especially intense may be worth a doctor's opinion.",
        reading=f"A cramp rated {INTENSE_SEVERITY}-10 of 10 (the severe band) keeps the reason "
        f"for {SIGN_WINDOW} days; an unrated cramp never counts.",
        tip_id="doctor-frequent",
        sources=("a001",),
        window=SIGN_WINDOW,
        applies=_any_relevant(SIGN_WINDOW, _is_intense),
        describe=_intense,
        relevant=_is_intense,
    ),
    DoctorRule(
        id="long_duration",
        title=f"A cramp lasting over {LONG_DURATION_S // 60} minutes",
        advice="Cramps usually pass in seconds or minutes; persistent ones are worth a doctor's "
        "look.",
        reading=f"A cramp longer than {LONG_DURATION_S // 60} minutes keeps the reason for "
        f"{SIGN_WINDOW} days.",
        tip_id="doctor-frequent",
        sources=("a001",),
        window=SIGN_WINDOW,
        applies=_any_relevant(SIGN_WINDOW, _is_long),
        describe=_long,
        relevant=_is_long,
    ),
    DoctorRule(
        id="frequent",
        title=f"{FREQUENT_COUNT} or more cramps within a week",
        advice="Frequent toe and foot cramps are a reason to see a health professional.",
        reading=f"{FREQUENT_COUNT} or more cramps within {WEEK} days.",
        tip_id="doctor-frequent",
        sources=("a003",),
        window=WEEK,
        applies=_at_least(WEEK, FREQUENT_COUNT),
        describe=_frequent,
    ),
    DoctorRule(
        id="persistent_days",
        title=f"Cramps on {PERSIST_DAYS} days within a week",
        advice="Cramps that keep coming for more than a few days are a reason to see a doctor.",
        reading=f"Cramps on {PERSIST_DAYS} or more different days within {WEEK} days.",
        tip_id="doctor-not-improving",
        sources=("a002",),
        window=WEEK,
        applies=_at_least(WEEK, PERSIST_DAYS, Diary.days_with_cramps),
        describe=_persist,
    ),
    DoctorRule(
        id="not_improving",
        title="Not better after a week",
        advice="See a doctor when cramps have not got better on their own within a week.",
        reading=f"A week with {NOT_IMPROVING_MIN} or more cramps followed by a week with at "
        "least as many, still coming a week after the first of them.",
        tip_id="doctor-not-improving",
        sources=("a002",),
        window=2 * WEEK,
        applies=_not_improving_applies,
        describe=_not_improving,
    ),
    DoctorRule(
        id="rising",
        title="Getting worse week by week",
        advice="Cramps that get worse over time are a reason to see a doctor.",
        reading=f"Over {RISING_WEEKS} weeks, from the first week with a cramp (at least "
        f"{RISING_MIN_WEEKS} weeks), the weekly count never fell and rose by {RISING_BY} or more.",
        tip_id="doctor-not-improving",
        sources=("a002",),
        window=RISING_WEEKS * WEEK,
        applies=_rising_applies,
        describe=_rising,
    ),
    DoctorRule(
        id="steady",
        title=f"Cramps every week for {STEADY_WEEKS} weeks",
        advice="Cramps that do not lessen over time are a reason to see a doctor.",
        reading=f"At least one cramp in each of {STEADY_WEEKS} weeks in a row.",
        tip_id="doctor-not-improving",
        sources=("a002",),
        window=STEADY_WEEKS * WEEK,
        applies=_steady_applies,
        describe=_steady,
    ),
    DoctorRule(
        id="walking_older",
        title="Cramps when walking, in older age",
        advice="In older people, cramps while walking or running can be an early sign of a "
        "circulation problem such as peripheral artery disease; in more severe cases they come "
        "at rest too.",
        reading=f"An age range of 50 or over and, within {WALKING_WINDOW} days, a cramp while "
        f"walking and {WALKING_MIN} or more counting those at rest (in bed, resting).",
        tip_id="doctor-walking-older",
        sources=("a001",),
        window=WALKING_WINDOW,
        applies=_walking_applies,
        describe=_walking,
        relevant=_is_walking_or_rest,
    ),
    DoctorRule(
        id="known_condition",
        title="A known medical condition",
        advice="People with an underlying condition such as diabetes, kidney or liver failure, "
        "nerve damage, a circulation problem, MS, Parkinson's or a past stroke should see a "
        "doctor about cramps.",
        reading=f"Such a condition in the profile (or one typed in), and a cramp within "
        f"{CONDITION_WINDOW} days.",
        tip_id="doctor-known-condition",
        sources=("a002",),
        window=CONDITION_WINDOW,
        applies=_condition_applies,
        describe=_condition,
    ),
)
# How far back the banner and the summary read before the first day they judge: the longest
# window, with room to spare.
HISTORY_DAYS = 35


def evaluate_period(
    history: Iterable[Cramp],
    profile: Profile | None,
    start: date | datetime,
    end: date | datetime,
) -> list[DoctorAlert]:
    """Every reason that applied on any day from ``start`` to ``end`` (inclusive), in RULES
    order, each with every episode that triggered it and their first and last dates: what the
    doctor summary lists. Anything ``evaluate_at`` returns on a day of the period is here.

    ``history`` should hold the episodes from HISTORY_DAYS before ``start`` up to ``end``; later
    ones are ignored. The profile is the current one, applied to the whole period.
    """
    return _evaluate_period(RULES, history, profile or Profile(), start, end)


def evaluate_at(
    history: Iterable[Cramp], profile: Profile | None = None, now: date | datetime | None = None
) -> list[DoctorAlert]:
    """Every reason that applies on ``now``'s local date (default: today): what the banner
    shows, before dismissals. ``history`` should hold at least the last HISTORY_DAYS days."""
    day = as_date(now if now is not None else datetime.now().astimezone())
    return evaluate_period(history, profile, day, day)


def alerts_now(
    store: Store, profile: Profile | None, now: datetime, shared: Hashable | None = None
) -> list[DoctorAlert]:
    """What applies on ``now``'s date in ``store``'s diary (before dismissals): the one call the
    banner and the Tips page share, so the two can never disagree.

    ``shared``: a key naming the diary's state (its file and revision). After a save, the
    banner's check and the Tips page's worker both ask; with the same key (and the same profile
    and minute) the second waits for the first's answer instead of reading and evaluating the
    same weeks again alongside the window."""
    if shared is None:
        return _alerts_now(store, profile, now)
    key = (shared, profile, now.replace(second=0, microsecond=0))
    return SHARED_ALERTS.get(key, lambda: _alerts_now(store, profile, now))


def _alerts_now(store: Store, profile: Profile | None, now: datetime) -> list[DoctorAlert]:
    # HISTORY_DAYS plus a day, so local dates in any UTC offset are covered
    start = int(now.timestamp()) - (HISTORY_DAYS + 1) * 24 * 60 * 60
    # light rows of only the fields the rules read: a full Episode per cramp of a dense diary's
    # five weeks cost most of the check (tests compare it with Episodes, test_doctor_rules.py)
    return evaluate_at(doctor_rows(store, start), profile, now)


class SharedAnswer:
    """The latest answer for one key, computed once when threads ask for it at the same time.

    The first to ask computes; one asking for the same key meanwhile waits for that answer; a
    new key replaces the old. A failed computation is not kept (each waiter then computes)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: Hashable | None = None
        self._done = threading.Event()
        self._value: list[DoctorAlert] | None = None
        self.computed = 0  # how many times an answer was computed (tests)

    def get(self, key: Hashable, compute: Callable[[], list[DoctorAlert]]) -> list[DoctorAlert]:
        with self._lock:
            mine = self._key != key
            if mine:
                self._key, self._done, self._value = key, threading.Event(), None
            done = self._done
        if not mine:
            done.wait()
            with self._lock:
                value = self._value if self._key == key else None
            return list(value) if value is not None else compute()
        try:
            value = compute()
        except BaseException:
            with self._lock:
                if done is self._done:
                    self._key = None
            done.set()
            raise
        with self._lock:
            self.computed += 1
            if done is self._done:
                self._value = value
        done.set()
        return list(value)


SHARED_ALERTS = SharedAnswer()


def alerts_in_period(
    store: Store, profile: Profile | None, first: date, last: date
) -> list[DoctorAlert]:
    """Every reason that applied on any day from ``first`` to ``last`` in ``store``'s diary:
    what the doctor summary lists, from the same light rows as ``alerts_now`` (a full Episode
    per cramp cost most of a year's summary of a dense diary; tests compare the two)."""
    # HISTORY_DAYS before the first day, and a day of margin either side: local dates in any
    # UTC offset
    start = utc_midnight(first - timedelta(days=HISTORY_DAYS + 1))
    end = utc_midnight(last + timedelta(days=2))
    with collections_paused():  # a year of a busy diary: 40,000 rows
        return evaluate_period(doctor_rows(store, start, end), profile, first, last)


def undismissed(alerts: Sequence[DoctorAlert], settings: SettingsStore) -> list[DoctorAlert]:
    """The alerts the person has not dismissed. A dismissal covers one reason up to its latest
    triggering episode, so a newer cramp that triggers it again brings it back."""
    return [a for a in alerts if not is_dismissed(settings, a.latest_episode_id, (a.rule_id,))]


def dismiss_alerts(alerts: Sequence[DoctorAlert], settings: SettingsStore) -> None:
    for alert in alerts:
        dismiss(settings, alert.latest_episode_id, (alert.rule_id,))
