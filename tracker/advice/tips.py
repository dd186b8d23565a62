"""Which tips fit this person: rules from episode fields, Patterns findings and the profile.

Every tip on "For you" has evidence behind it, and every piece of evidence is a reason shown with
it ("4 of your last 10 episodes were in high heels", "Your profile mentions diabetes"). A reason
that counts episodes counts exactly the episodes that support it, with the same definitions the
Patterns page uses. Rules only point at advice the articles give; they never claim a cause.

Ranking, in this order (see ``rank``):

1. "See a doctor" for a condition named in the profile (the articles advise it for people with an
   underlying condition, a002), then other doctor advice the person's own data calls for: a
   warning sign in a recent episode, or a doctor-rule alert passed in by the caller.
2. Advice for a condition named in the profile: home remedies do not treat an underlying
   condition (a002), so what the articles say about the condition itself comes next, with the
   medicines check when the profile lists medicines too.
3. Everything else, by strength of evidence.

Within a group a tip's strength is the best support any one piece of evidence gives it: the share
of recent episodes a diary rule matched (a named condition counts as a sure fact, 1; listed
medicines and age count half, a Patterns finding a quarter), divided by the tip's place in that
evidence's list of tips (1 for the most fitting, 2 for the next, ...). So each situation's most
fitting advice comes before a second-best one, and a situation in more episodes comes first.
Ties go to the tip more recent episodes support, then to the one more Patterns findings and
profile answers point at, then prevention before relief, causes and doctor advice.

Caution first: when the profile names a condition whose diet is a matter for the doctor (kidney
or liver disease, diabetes), every tip about fluids or minerals carries the articles' advice to
check with the doctor first, and always ranks after the "see a doctor" tip.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from tracker.advice.doctor_rules import WALKING_ACTIVITIES
from tracker.advice.knowledge import KnowledgeBase, Tip
from tracker.advice.profile import DIET_CAUTION_CONDITIONS, DOCTOR_CONDITIONS, Profile, load_profile
from tracker.analysis import insight_keys as K
from tracker.diary import vocab
from tracker.diary.episode import FIELD_LABELS, Episode, is_recorded
from tracker.store import Store

if TYPE_CHECKING:
    from tracker.analysis.aggregates import PatternData
    from tracker.analysis.insights import Insight

RECENT_EPISODES = 10
RECENT_END = timedelta(minutes=5)  # relief tips first for a cramp that ended this recently
JUST_ENDED_REASON = "Your cramp ended only minutes ago; this may help if it comes back"
INJURY_DOCTOR_REASON = (
    "You noted a visible injury: the articles also advise seeing a doctor about cramps with a "
    "visible injury to the foot"
)
MAX_SUGGESTIONS = 3
INSIGHT_DAYS = 90  # Patterns findings over this many days feed the ranking
KIND_ORDER = {"prevention": 0, "relief": 1, "cause": 2, "doctor": 3}

# Activities as the Patterns page groups them (tracker/analysis/insights.py), so that a reason here
# and a finding there count the same episodes for the same words.
EXERCISE_ACTIVITIES = frozenset({"exercising", "after_exercise"})
SITTING_ACTIVITIES = frozenset({"resting", "driving"})
# "Cramping related to PAD usually occurs while walking or running" (a001).
# The same activities the doctor banner's walking-in-older-age rule counts (not any sport).
WALKING_RUNNING_ACTIVITIES = WALKING_ACTIVITIES

# Ranking groups, best first.
TIER_CONDITION_DOCTOR = 0  # "see a doctor" for a condition named in the profile
TIER_DOCTOR = 1  # doctor advice a warning sign in the diary (or a doctor-rule alert) calls for
TIER_CONDITION = 2  # advice for a condition named in the profile
TIER_OTHER = 3  # everything else with evidence
# Weights of evidence (a diary rule weighs the share of recent episodes it matched).
PROFILE_WEIGHT = 1.0  # a condition named in the profile: a sure fact
MEDICINE_WEIGHT = 0.5  # medicines listed in the profile: they may or may not add to cramps
AGE_WEIGHT = 0.5  # age is a general risk, not something the person's cramps showed
# A Patterns finding sums up the same diary over INSIGHT_DAYS days: it backs up what the recent
# episodes show rather than adding much to it.
INSIGHT_WEIGHT = 0.25

CAUTION_FACTORS = frozenset({"hydration", "minerals_diet"})  # tips changing drinks, diet, pills
CAUTION_SOURCE = "a002"


@dataclass(frozen=True)
class MatchRule:
    id: str
    description: str  # completes "4 of your last 10 episodes ..."; starts with a verb
    tip_ids: tuple[str, ...]  # most fitting first
    test: Callable[[Episode], bool]
    insight_keys: tuple[str, ...] = ()
    # Optional fields the test reads. An episode that did not match and left one of them "not
    # recorded" is unknown, not a "no": the reason says how many such episodes there were.
    fields: tuple[str, ...] = ()
    # A warning sign: the doctor advice it points at ranks with the doctor advice, first.
    warning: bool = False

    def single(self) -> str:
        """The description for one episode: 'This cramp was in high heels'."""
        text = self.description
        return "was " + text[5:] if text.startswith("were ") else text

    def unknown(self, episode: Episode) -> bool:
        """Whether this episode cannot say either way (a field the rule needs is not recorded)."""
        return any(not is_recorded(episode, name) for name in self.fields)


def _is_night(e: Episode) -> bool:
    """Started at night by the local wall clock (an approximate hour counts as given)."""
    return vocab.is_night_hour(e.started_at.hour)


def _is_severe(e: Episode) -> bool:
    return e.severity is not None and vocab.severity_band(e.severity) == "severe"


def _has_context(code: str) -> Callable[[Episode], bool]:
    return lambda e: code in e.context


def _has_sign(*codes: str) -> Callable[[Episode], bool]:
    return lambda e: any(c in e.warning_signs for c in codes)


def _field_in(name: str, values: Collection[str]) -> Callable[[Episode], bool]:
    return lambda e: getattr(e, name) in values


def _field_rule(
    rule_id: str,
    description: str,
    tip_ids: tuple[str, ...],
    field: str,
    values: Collection[str],
    insight_key: str,
) -> MatchRule:
    """An optional field holding one of ``values``; "not recorded" counts as unknown."""
    return MatchRule(
        rule_id, description, tip_ids, _field_in(field, values), (insight_key,), fields=(field,)
    )


def _context_rule(
    rule_id: str, description: str, tip_ids: tuple[str, ...], code: str, *insight_keys: str
) -> MatchRule:
    return MatchRule(rule_id, description, tip_ids, _has_context(code), insight_keys)


def _warning_rule(
    rule_id: str, description: str, tip_ids: tuple[str, ...], *codes: str
) -> MatchRule:
    """A warning sign: its doctor advice ranks with the doctor advice."""
    return MatchRule(
        rule_id, description, tip_ids, _has_sign(*codes), (K.WARNING_SIGNS,), warning=True
    )


# Night alone is no evidence of restless legs syndrome: that tip comes only from the profile.
NIGHT_TIPS = ("night-cramps", "stretch-daily", "relief-stretch-toes", "relief-pull-toes")
_NIGHT_WORDS = f"{vocab.NIGHT_START_HOUR:02d}:00 to {vocab.NIGHT_END_HOUR:02d}:00"
_SEVERE_WORDS = "{} to {} out of 10".format(*vocab.SEVERITY_BANDS["severe"])

RULES: tuple[MatchRule, ...] = (
    _field_rule(
        "under_hydrated",
        "were when you felt under-hydrated",
        (
            "drink-water",
            "dehydration-cause",
            "electrolyte-drinks",
            "dehydration-plus-strain",
            "electrolytes-cause",
            "mineral-foods",
        ),
        "hydration",
        ("under",),
        K.HYDRATION_LOW,
    ),
    # The activity only, as Patterns counts it: a cramp in bed at 03:00 after a hard workout
    # did not come "during or just after exercise" (the context rule below covers it).
    _field_rule(
        "exercise",
        "came during or just after exercise",
        (
            "stretch-before-exercise",
            "drink-water",
            "overexertion",
            "ease-back-in",
            "good-technique",
            "relief-stretch-toes",
            "orthotics-sport-shoes",
        ),
        "activity",
        EXERCISE_ACTIVITIES,
        K.ACTIVITY_EXERCISE,
    ),
    _context_rule(
        "hard_exercise",
        "came after hard or new exercise",
        ("stretch-before-exercise", "overexertion", "ease-back-in", "drink-water"),
        "hard_exercise",
    ),
    MatchRule(
        "night", f"started at night ({_NIGHT_WORDS})", NIGHT_TIPS, _is_night, (K.TIME_NIGHT,)
    ),
    _field_rule("in_bed", "started in bed", NIGHT_TIPS, "activity", ("in_bed",), K.TIME_NIGHT),
    _field_rule(
        "high_heels",
        "were in high heels",
        ("avoid-heels", "shoes-cause", "fitting-shoes"),
        "footwear",
        ("high_heels",),
        K.FOOTWEAR_HIGH_HEELS,
    ),
    MatchRule(
        "tight_shoes",
        "were in tight or ill-fitting shoes",
        (
            "fitting-shoes",
            "shoes-cause",
            "dehydration-plus-strain",
            "stiff-shoes",
            "foot-structure",
        ),
        lambda e: e.footwear_tight,
        (K.FOOTWEAR_TIGHT,),
    ),
    # The activity only, as Patterns counts it; long sitting or standing has its own rule.
    _field_rule(
        "sitting",
        "came while resting, sitting or driving",
        ("walking-breaks", "inactivity", "poor-circulation", "exercise-regularly"),
        "activity",
        SITTING_ACTIVITIES,
        K.ACTIVITY_SITTING,
    ),
    _context_rule(
        "long_sitting",
        "came after long sitting or standing",
        ("walking-breaks", "poor-circulation", "inactivity", "exercise-regularly"),
        "long_sitting_standing",
        K.CONTEXT_LONG_SITTING,
    ),
    _context_rule(
        "crossed_legs",
        "came after sitting with crossed legs",
        ("walking-breaks", "poor-circulation"),
        "crossed_legs",
        K.CONTEXT_CROSSED_LEGS,
    ),
    _field_rule(
        "walking",
        "came on while walking",
        ("fitting-shoes", "pad"),
        "activity",
        ("walking",),
        K.ACTIVITY_WALKING,
    ),
    _context_rule(
        "new_medicine",
        "came after starting a new medicine",
        ("medicine-review", "medicine-side-effects"),
        "new_medicine",
        K.CONTEXT_NEW_MEDICINE,
    ),
    MatchRule(
        "pain_medicine",
        "were treated with pain medicine",
        ("relief-pain-medicine",),
        lambda e: "pain_medicine" in e.relief,
    ),
    _context_rule(
        "cold",
        "came when you were cold",
        ("relief-heat", "stress-weight-cold-illness"),
        "cold",
        K.CONTEXT_COLD,
    ),
    _context_rule(
        "stress",
        "came at a time of stress",
        ("stress-weight-cold-illness",),
        "stress",
        K.CONTEXT_STRESS,
    ),
    _context_rule(
        "missed_meals",
        "came after missed meals",
        ("varied-diet", "mineral-foods"),
        "missed_meals",
        K.CONTEXT_MISSED_MEALS,
    ),
    _context_rule(
        "pregnancy",
        "came during pregnancy",
        ("pregnancy", "night-cramps"),
        "pregnancy",
        K.CONTEXT_PREGNANCY,
    ),
    # Poor sleep is no evidence of restless legs syndrome on its own (night cramps disturb
    # sleep too); the night-cramp advice fits it.
    _context_rule("poor_sleep", "came with poor sleep", ("night-cramps",), "poor_sleep"),
    MatchRule(
        "severe",
        f"were rated severe, {_SEVERE_WORDS}",
        ("doctor-frequent",),
        _is_severe,
        (K.SEVERITY_HIGH,),
        fields=("severity",),
    ),
    _warning_rule(
        "numbness",
        "came with numbness",
        ("doctor-numbness", "neuropathy", "lower-back", "shoes-cause"),
        "numbness",
    ),
    _warning_rule(
        "swelling",
        "came with swelling or discolouration",
        ("doctor-swelling",),
        "swelling",
        "discolouration",
    ),
    _warning_rule("fever", "came with a fever", ("doctor-fever-injury", "infection"), "fever"),
    _warning_rule(
        "visible_injury",
        "came with a visible injury",
        ("doctor-fever-injury", "relief-rice", "injury-cause"),
        "visible_injury",
    ),
    # An entry from before the two were separate: either is possible and neither is assumed,
    # so only the doctor advice that covers both (never injury first aid).
    _warning_rule(
        "fever_or_injury_older",
        "came with a fever or a visible injury (an older entry that does not say which)",
        ("doctor-fever-injury",),
        "fever_injury",
    ),
    _warning_rule("hard_to_walk", "made walking hard", ("doctor-hard-to-walk",), "hard_to_walk"),
)

# Findings about the whole log that no single episode shows.
INSIGHT_ONLY_TIPS: Mapping[str, tuple[str, ...]] = {
    K.TREND_UP: ("doctor-not-improving", "doctor-frequent", "doctor-what-happens"),
    K.FREQUENCY_HIGH: ("doctor-frequent", "doctor-what-happens"),
}

# "See a doctor" for every condition in profile.DOCTOR_CONDITIONS; it ranks first.
CONDITION_DOCTOR_TIP = "doctor-known-condition"
# What the articles say about each condition, most fitting first. Long-term illnesses lead with
# keeping the condition under control (a002: "Treating any underlying medical conditions").
CONDITION_TIPS: Mapping[str, tuple[str, ...]] = {
    # a002/a003: diabetes slows blood flow to the feet and is a common cause of nerve damage.
    "diabetes": ("treat-conditions", "poor-circulation", "neuropathy"),
    # a002: organ problems alter electrolyte levels and nutrient uptake.
    "kidney_disease": ("treat-conditions", "organ-problems"),
    "liver_disease": ("treat-conditions", "organ-problems"),
    # a001/a002/a003: peripheral artery disease narrows the arteries; sitting slows blood flow.
    "circulation": ("pad", "poor-circulation", "walking-breaks", "treat-conditions"),
    "neuropathy": ("neuropathy", "treat-conditions"),
    # a002/a003: MS and Parkinson's change how the nervous system works; MS can cause dystonia,
    # and Parkinson's can damage nerves.
    "multiple_sclerosis": ("treat-conditions", "nervous-system", "dystonia"),
    "parkinsons": ("treat-conditions", "nervous-system", "neuropathy"),
    # a002/a004: a stroke or brain injury can cause dystonia and cramps.
    "stroke_brain_injury": ("nervous-system", "dystonia", "treat-conditions"),
    "nervous_system": ("nervous-system", "dystonia", "treat-conditions"),  # older answer
    "lower_back": ("lower-back", "treat-conditions"),  # a004: lumbar diseases, pinched nerves
    "arthritis": ("arthritis", "treat-conditions"),  # a002: arthritis pain can feel like cramps
    "restless_legs": ("restless-legs",),  # a002
    "flat_feet": ("foot-structure", "orthotics-sport-shoes", "fitting-shoes"),  # a001/a002/a004
    "pregnancy": ("pregnancy", "night-cramps"),  # a002: night cramps are common in pregnancy
}
OLDER_TIPS = ("age-changes",)  # a001/a003: age changes joints, nerves and muscles
# a001: in older people, cramps while walking or running may be an early sign of PAD.
OLDER_WALKING_TIPS = ("doctor-walking-older", "pad")
MEDICINE_TIPS = ("medicine-review", "medicine-side-effects")  # a003: have medicines checked

RELIEF_TIPS = {  # relief code logged -> the tip describing it
    "stretching": "relief-stretch-toes",
    "pulling_toes": "relief-pull-toes",
    "massage": "relief-massage",
    "heat": "relief-heat",
    "cold": "relief-cold",
}
RELIEF_ORDER = tuple(RELIEF_TIPS.values())
FALLBACK_PREVENTION = ("drink-water", "stretch-daily", "fitting-shoes")

assert DIET_CAUTION_CONDITIONS <= DOCTOR_CONDITIONS  # a caution always has its doctor tip above


@dataclass(frozen=True)
class TipMatch:
    tip: Tip
    episodes: int  # how many of the recent episodes matched a rule pointing at this tip
    extra: int  # Patterns findings and profile answers pointing at it
    reasons: tuple[str, ...]  # cautions first, then the evidence
    tier: int = TIER_OTHER  # ranking group (TIER_*), best first
    score: float = 0.0  # strength of the best evidence within the group
    cautions: tuple[str, ...] = ()  # "check with your doctor first" lines, also in reasons


class _Tally:
    """Collects evidence per tip while rules are applied."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.ids = {t.id for t in kb.tips}
        self.episode_sets: dict[str, set[int]] = {}
        self.extra: dict[str, int] = {}
        self.score: dict[str, float] = {}
        self.tier: dict[str, int] = {}
        self.reasons: dict[str, list[str]] = {}
        self.cautions: dict[str, tuple[str, ...]] = {}

    def add(
        self,
        tip_ids: Iterable[str],
        reason: str,
        *,
        weight: float,
        episodes: Iterable[int] = (),
        extra: int = 0,
        tier: int = TIER_OTHER,
        doctor_tier: int | None = None,
    ) -> None:
        """Evidence of ``weight`` for each tip, the first counting fully, the n-th 1/n.

        ``doctor_tier``, when given, is the group of the doctor advice among ``tip_ids``.
        """
        episodes = set(episodes)
        for pos, tip_id in enumerate(tip_ids):
            if tip_id not in self.ids:
                raise KeyError(f"matching rule names unknown tip {tip_id!r}")
            self.episode_sets.setdefault(tip_id, set()).update(episodes)
            self.extra[tip_id] = self.extra.get(tip_id, 0) + extra
            group = tier
            if doctor_tier is not None and self.kb.tip(tip_id).kind == "doctor":
                group = doctor_tier
            strength = weight / (pos + 1)
            old = self.tier.get(tip_id)
            if old is None or group < old:
                self.tier[tip_id], self.score[tip_id] = group, strength
            elif group == old:
                self.score[tip_id] = max(self.score[tip_id], strength)
            reasons = self.reasons.setdefault(tip_id, [])
            if reason not in reasons:
                reasons.append(reason)

    def caution(self, profile: Profile) -> None:
        for tip_id in self.episode_sets:
            self.cautions[tip_id] = caution_for(self.kb, self.kb.tip(tip_id), profile)

    def ranked(self) -> list[TipMatch]:
        order = {t.id: i for i, t in enumerate(self.kb.tips)}
        matches = []
        for tip_id, episodes in self.episode_sets.items():
            cautions = self.cautions.get(tip_id, ())
            matches.append(
                TipMatch(
                    self.kb.tip(tip_id),
                    len(episodes),
                    self.extra[tip_id],
                    (*cautions, *self.reasons[tip_id]),
                    self.tier[tip_id],
                    self.score[tip_id],
                    cautions,
                )
            )
        matches.sort(
            key=lambda m: (
                m.tier,
                -round(m.score, 9),
                -m.episodes,
                -m.extra,
                KIND_ORDER[m.tip.kind],
                order[m.tip.id],
            )
        )
        return matches


def caution_for(kb: KnowledgeBase, tip: Tip, profile: Profile | None) -> tuple[str, ...]:
    """The "check with your doctor first" line for a tip about fluids or minerals, when the
    profile names a condition whose diet is the doctor's call; empty otherwise."""
    if profile is None or tip.kind == "doctor" or not CAUTION_FACTORS & set(tip.factors):
        return ()
    found = profile.diet_caution_conditions
    if not found:
        return ()
    names = " and ".join(vocab.condition_phrase(c) for c in found)
    text = (
        f"Caution: your profile mentions {names}. Check with your doctor before changing what "
        "you drink or eat or taking supplements: the source advises people with a condition "
        "like this to see a doctor about their cramps and to make the lifestyle changes their "
        "doctor recommends"
    )
    if {"kidney_disease", "liver_disease"} & set(found):
        text += ", and says kidney and liver problems can upset the body's mineral levels"
    source = kb.sources.get(CAUTION_SOURCE)
    if source is not None:
        text += f" ({source.citation()})"
    return (text,)


# What ``rank`` accepts as Patterns findings: {key: text}, [(key, text)], [key] or objects with
# .key and .text/.message (tracker.analysis.insights.Insight).
Findings = Mapping[str, object] | Iterable[object] | None


def _insight_entry(item: object) -> tuple[str, str] | None:
    """(key, text) of one finding given as a key, a (key, text) pair or an object."""
    if isinstance(item, str):
        return item, ""
    if isinstance(item, tuple) and len(item) == 2:
        return str(item[0]), str(item[1])
    key = getattr(item, "key", None)
    text = getattr(item, "text", None) or getattr(item, "message", None) or ""
    return (str(key), str(text)) if key else None


def _insight_texts(insights: Findings) -> dict[str, str]:
    """Accept {key: text}, [(key, text)], [key] or objects with .key and .text/.message."""
    if not insights:
        return {}
    if isinstance(insights, Mapping):
        return {str(k): str(v) for k, v in insights.items()}
    found: dict[str, str] = {}
    for item in insights:
        entry = _insight_entry(item)
        if entry is not None:
            found.setdefault(*entry)
    return found


def _insight_reason(key: str, text: str) -> str:
    if text:
        return f"Patterns: {text}"
    return f"Patterns found {K.DESCRIPTIONS.get(key, key)} in your log"


def _count_reason(
    description: str,
    single: str,
    hits: int,
    n: int,
    unknown: int = 0,
    fields: tuple[str, ...] = (),
    single_subject: str = "Your latest episode",
) -> str:
    """'4 of your last 10 episodes were in high heels (footwear not recorded for 3)'.

    Only recorded facts are cited: episodes that did not say are counted apart, never as "no".
    """
    if n == 1:
        return f"{single_subject} {single}"
    if hits == n:
        return f"All of your last {n} episodes {description}"
    reason = f"{hits} of your last {n} episodes {single if hits == 1 else description}"
    if unknown:
        what = " or ".join(FIELD_LABELS[f].lower() for f in fields)
        other = "the other " if hits + unknown == n else ""
        reason += f" ({what} not recorded for {other}{unknown})"
    return reason


def _rule_reason(rule: MatchRule, hits: int, n: int, unknown: int, single_subject: str) -> str:
    return _count_reason(
        rule.description, rule.single(), hits, n, unknown, rule.fields, single_subject
    )


def rank(
    kb: KnowledgeBase,
    episodes: Sequence[Episode],
    insights: Findings = None,
    profile: Profile | None = None,
    last_n: int = RECENT_EPISODES,
    single_subject: str = "Your latest episode",
    alerts: Iterable[object] = (),
) -> list[TipMatch]:
    """Tips that fit the person, best first, each with the reasons it was chosen.

    ``episodes`` may be the whole log or just its end; only the ``last_n`` most recent count.
    ``alerts`` are doctor-rule results (objects with ``tip_id`` and ``message``, as
    tracker.advice.doctor_rules gives them): their advice ranks with the doctor advice, their
    message as its reason, so the Tips page and the doctor banner say the same thing.
    """
    recent = sorted(episodes, key=lambda e: e.started_at)[-last_n:] if last_n else []
    tally = _Tally(kb)
    _add_rules(tally, recent, single_subject)
    _add_alerts(tally, alerts)
    _add_insights(tally, kb, insights)
    profile = profile or Profile()
    _add_conditions(tally, profile)
    if profile.is_older:
        _add_age(tally, profile, recent, single_subject)
    if profile.medicines:
        # a003: if you take medicine for a health problem, ask whether it could add to the
        # cramps. With a named condition that is part of looking after the condition (a002:
        # "taking medication exactly as a doctor prescribes"), so it joins the condition's
        # advice; a listed medicine may or may not be one that cramps, hence half weight.
        tally.add(
            MEDICINE_TIPS,
            "Your profile lists medicines you take",
            weight=MEDICINE_WEIGHT,
            extra=1,
            tier=TIER_CONDITION if profile.conditions else TIER_OTHER,
        )
    tally.caution(profile)
    return tally.ranked()


def _add_rules(tally: _Tally, recent: Sequence[Episode], single_subject: str) -> None:
    """Evidence from the recent episodes: each rule weighs the share of them it matched."""
    n = len(recent)
    for rule in RULES:
        hits = [i for i, e in enumerate(recent) if rule.test(e)]
        if not hits:
            continue
        unknown = sum(1 for e in recent if rule.unknown(e) and not rule.test(e))
        tally.add(
            rule.tip_ids,
            _rule_reason(rule, len(hits), n, unknown, single_subject),
            weight=len(hits) / n,
            episodes=hits,
            doctor_tier=TIER_DOCTOR if rule.warning else None,
        )


def _add_alerts(tally: _Tally, alerts: Iterable[object]) -> None:
    """Doctor-rule alerts rank with the doctor advice, their message as the reason."""
    for alert in alerts or ():
        tip_id = getattr(alert, "tip_id", None)
        message = getattr(alert, "message", "") or getattr(alert, "title", "")
        if tip_id in tally.ids and message:
            tally.add((tip_id,), message, weight=PROFILE_WEIGHT, tier=TIER_DOCTOR)


def _add_insights(tally: _Tally, kb: KnowledgeBase, insights: Findings) -> None:
    for key, text in _insight_texts(insights).items():
        tip_ids = [t.id for t in tips_for_insight(kb, key)]
        if tip_ids:
            tally.add(tip_ids, _insight_reason(key, text), weight=INSIGHT_WEIGHT, extra=1)


def _add_conditions(tally: _Tally, profile: Profile) -> None:
    """Each condition named in the profile: "see a doctor" first, then its own advice."""
    for code in profile.conditions:
        reason = f"Your profile mentions {vocab.condition_phrase(code)}"
        if code in DOCTOR_CONDITIONS:
            tally.add(
                (CONDITION_DOCTOR_TIP,),
                reason,
                weight=PROFILE_WEIGHT,
                extra=1,
                tier=TIER_CONDITION_DOCTOR,
            )
        tally.add(
            CONDITION_TIPS.get(code, ()),
            reason,
            weight=PROFILE_WEIGHT,
            extra=1,
            tier=TIER_CONDITION,
        )


def _add_age(
    tally: _Tally, profile: Profile, recent: Sequence[Episode], single_subject: str
) -> None:
    """An older age range; with cramps while walking, the PAD advice too (a001)."""
    age = vocab.label(vocab.AGE_RANGES, profile.age_range).lower()
    tally.add(OLDER_TIPS, f"Your profile gives your age as {age}", weight=AGE_WEIGHT, extra=1)
    walking = [i for i, e in enumerate(recent) if e.activity in WALKING_RUNNING_ACTIVITIES]
    if not walking:
        return
    said = _count_reason(
        "came on while walking",
        "came on while walking",
        len(walking),
        len(recent),
        single_subject=single_subject,
    )
    said = said[0].lower() + said[1:]
    tally.add(
        OLDER_WALKING_TIPS,
        f"Your profile gives your age as {age}, and {said}",
        weight=len(walking) / len(recent),
        episodes=walking,
        extra=1,
    )


def just_ended(episode: Episode, now: datetime | None = None) -> bool:
    """Ended (start + duration) no more than 5 minutes before ``now``: it may come back.

    A saved episode always has a duration, from the cramp timer or typed into the form, so it
    is over; relief advice right after a save is for the next few minutes, not "still going on".
    """
    now = now or datetime.now().astimezone()
    ended = episode.started_at + timedelta(seconds=episode.duration_s)
    return now - ended <= RECENT_END and episode.relief_effect != "yes"


def suggest(
    kb: KnowledgeBase,
    episode: Episode,
    now: datetime | None = None,
    limit: int = MAX_SUGGESTIONS,
    profile: Profile | None = None,
) -> list[TipMatch]:
    """One to three tips right after a save: relief first if the cramp ended only minutes ago
    (it may come back), then prevention that fits this episode. Doctor advice is left to the
    doctor banner, but injury first aid always says a doctor should see a visible injury, and
    with ``profile`` a tip about fluids or minerals carries its caution."""
    injured = "visible_injury" in episode.warning_signs
    picked = _relief_first(kb, episode, injured) if just_ended(episode, now) else []
    matches = [
        m
        for m in rank(kb, [episode], last_n=1, single_subject="This cramp")
        if m.tip.kind != "doctor"
    ]
    matches.sort(key=lambda m: m.tip.kind != "prevention")  # stable: keeps rank within kind
    for match in matches:
        if len(picked) >= limit:
            break
        if _is_new(picked, match.tip.id):
            picked.append(match)
    _add_fallback(kb, picked, max(1, min(limit, 2)))
    return [_with_cautions(kb, m, injured, profile) for m in picked[:limit]]


def _relief_first(kb: KnowledgeBase, episode: Episode, injured: bool) -> list[TipMatch]:
    """The first relief tip this cramp did not already try without success."""
    failed = set(episode.relief) if episode.relief_effect == "no" else set()
    # Injury first aid only for a visible injury: never for a fever, nor for an older
    # "fever or visible injury" entry that does not say which.
    first = ("relief-rice",) if injured else ()
    for tip_id in first + RELIEF_ORDER:
        code = next((c for c, t in RELIEF_TIPS.items() if t == tip_id), None)
        if code not in failed:
            return [TipMatch(kb.tip(tip_id), 1, 0, (JUST_ENDED_REASON,))]
    return []


def _add_fallback(kb: KnowledgeBase, picked: list[TipMatch], up_to: int) -> None:
    """General prevention advice until ``picked`` holds ``up_to`` tips."""
    for tip_id in FALLBACK_PREVENTION:
        if len(picked) >= up_to:
            break
        if _is_new(picked, tip_id):
            picked.append(TipMatch(kb.tip(tip_id), 0, 0, ("General advice from the articles",)))


def _is_new(picked: Sequence[TipMatch], tip_id: str) -> bool:
    return all(p.tip.id != tip_id for p in picked)


def _with_cautions(
    kb: KnowledgeBase, match: TipMatch, injured: bool, profile: Profile | None
) -> TipMatch:
    """The suggestion as shown: its caution first, and a doctor for a visible injury."""
    reasons = match.reasons
    if match.tip.id == "relief-rice" and injured and INJURY_DOCTOR_REASON not in reasons:
        reasons = (*reasons, INJURY_DOCTOR_REASON)
    cautions = caution_for(kb, match.tip, profile)
    return TipMatch(
        match.tip,
        match.episodes,
        match.extra,
        (*cautions, *reasons),
        match.tier,
        match.score,
        cautions,
    )


def recent_episodes(store: Store, limit: int = RECENT_EPISODES) -> list[Episode]:
    """The ``limit`` most recent episodes by start, oldest first (indexed; cheap at 100k rows)."""
    return store.recent_episodes(limit)


def pattern_insights(
    store: Store, days: int = INSIGHT_DAYS, today: date | None = None
) -> list[Insight]:
    """The Patterns page's findings for the last ``days`` days, to rank tips by.

    Imported lazily so tips matching keeps working (without findings) if Patterns is absent.
    """
    from tracker.analysis import aggregates

    today = today or date.today()
    data = aggregates.patterns(store, aggregates.Period.last_days(days, today), today=today)
    return keyed_findings(data, today)


def keyed_findings(data: PatternData, today: date) -> list[Insight]:
    """The findings tips can match (those with a key) from one period's aggregates."""
    from tracker.analysis import insights

    return [f for f in insights.build(data, today) if f.key]


def for_you(
    kb: KnowledgeBase, store: Store, today: date | None = None, alerts: Iterable[object] = ()
) -> list[TipMatch]:
    """The "For you" ranking from a diary: its last episodes, its Patterns findings over the last
    INSIGHT_DAYS days and its health profile (what the Tips page shows)."""
    episodes = recent_episodes(store)
    findings = pattern_insights(store, today=today) if episodes else []
    return rank(kb, episodes, findings, load_profile(store), alerts=alerts)


def tips_for_insight(kb: KnowledgeBase, key: str | None) -> list[Tip]:
    """The tips a Patterns finding links to, most fitting first (empty for an unknown key)."""
    if not key:
        return []
    tip_ids: list[str] = []
    for rule in RULES:
        if key in rule.insight_keys:
            tip_ids.extend(t for t in rule.tip_ids if t not in tip_ids)
    tip_ids.extend(t for t in INSIGHT_ONLY_TIPS.get(key, ()) if t not in tip_ids)
    return [kb.tip(t) for t in tip_ids]
