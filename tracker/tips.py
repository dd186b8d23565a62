"""Which tips fit this person: rules from episode fields, Patterns findings and the profile.

Ranking is by evidence in the person's own log: a tip linked to situations that came up in more
of their recent episodes comes first, and every match says why ("4 of your last 10 episodes were
in high heels"). Among equally supported tips, the one a rule names first wins, then the one
Patterns findings or the profile also point at. Rules only point at advice the articles give;
they never claim a cause.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tracker import insight_keys as K
from tracker import vocab
from tracker.episode import FIELD_LABELS, Episode, is_recorded
from tracker.knowledge import KnowledgeBase, Tip
from tracker.profile import Profile
from tracker.store import EPISODE_COLUMNS, episode_from_row

RECENT_EPISODES = 10
NIGHT_HOURS = frozenset({22, 23, 0, 1, 2, 3, 4, 5})
RECENT_END = timedelta(minutes=5)  # relief tips first for a cramp that ended this recently
JUST_ENDED_REASON = "Your cramp ended only minutes ago; this may help if it comes back"
MAX_SUGGESTIONS = 3
INSIGHT_DAYS = 90  # Patterns findings over this many days feed the ranking
KIND_ORDER = {"prevention": 0, "relief": 1, "cause": 2, "doctor": 3}


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

    def single(self) -> str:
        """The description for one episode: 'This cramp was in high heels'."""
        text = self.description
        return "was " + text[5:] if text.startswith("were ") else text

    def unknown(self, episode: Episode) -> bool:
        """Whether this episode cannot say either way (a field the rule needs is not recorded)."""
        return any(not is_recorded(episode, name) for name in self.fields)


def _is_night(e: Episode) -> bool:
    """Started 22:00-05:59 by the local wall clock (an approximate hour counts as given)."""
    return e.started_at.hour in NIGHT_HOURS


def _has_context(code: str) -> Callable[[Episode], bool]:
    return lambda e: code in e.context


def _has_sign(*codes: str) -> Callable[[Episode], bool]:
    return lambda e: any(c in e.warning_signs for c in codes)


NIGHT_TIPS = (
    "night-cramps",
    "stretch-daily",
    "relief-stretch-toes",
    "relief-pull-toes",
    "restless-legs",
)

RULES: tuple[MatchRule, ...] = (
    MatchRule(
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
        lambda e: e.hydration == "under",
        (K.HYDRATION_LOW,),
        fields=("hydration",),
    ),
    MatchRule(
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
            "high-protein",
        ),
        lambda e: e.activity in ("exercising", "after_exercise") or "hard_exercise" in e.context,
        (K.ACTIVITY_EXERCISE,),
        fields=("activity",),
    ),
    MatchRule(
        "night",
        "started at night (22:00 to 06:00)",
        NIGHT_TIPS,
        _is_night,
        (K.TIME_NIGHT,),
    ),
    MatchRule(
        "in_bed",
        "started in bed",
        NIGHT_TIPS,
        lambda e: e.activity == "in_bed",
        (K.TIME_NIGHT,),
        fields=("activity",),
    ),
    MatchRule(
        "high_heels",
        "were in high heels",
        ("avoid-heels", "shoes-cause", "fitting-shoes"),
        lambda e: e.footwear == "high_heels",
        (K.FOOTWEAR_HIGH_HEELS,),
        fields=("footwear",),
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
    MatchRule(
        "sitting",
        "came while sitting or after long sitting or standing",
        ("walking-breaks", "inactivity", "poor-circulation", "exercise-regularly"),
        lambda e: e.activity in ("resting", "driving") or "long_sitting_standing" in e.context,
        (K.ACTIVITY_SITTING, K.CONTEXT_LONG_SITTING),
        fields=("activity",),
    ),
    MatchRule(
        "crossed_legs",
        "came after sitting with crossed legs",
        ("walking-breaks", "poor-circulation"),
        _has_context("crossed_legs"),
        (K.CONTEXT_CROSSED_LEGS,),
    ),
    MatchRule(
        "walking",
        "came on while walking",
        ("fitting-shoes", "pad"),
        lambda e: e.activity == "walking",
        (K.ACTIVITY_WALKING,),
        fields=("activity",),
    ),
    MatchRule(
        "new_medicine",
        "came after starting a new medicine",
        ("medicine-review", "medicine-side-effects"),
        _has_context("new_medicine"),
        (K.CONTEXT_NEW_MEDICINE,),
    ),
    MatchRule(
        "pain_medicine",
        "were treated with pain medicine",
        ("relief-pain-medicine",),
        lambda e: "pain_medicine" in e.relief,
    ),
    MatchRule(
        "cold",
        "came when you were cold",
        ("relief-heat", "stress-weight-cold-illness"),
        _has_context("cold"),
        (K.CONTEXT_COLD,),
    ),
    MatchRule(
        "stress",
        "came at a time of stress",
        ("stress-weight-cold-illness",),
        _has_context("stress"),
        (K.CONTEXT_STRESS,),
    ),
    MatchRule(
        "missed_meals",
        "came after missed meals",
        ("varied-diet", "mineral-foods"),
        _has_context("missed_meals"),
        (K.CONTEXT_MISSED_MEALS,),
    ),
    MatchRule(
        "pregnancy",
        "came during pregnancy",
        ("pregnancy", "night-cramps"),
        _has_context("pregnancy"),
        (K.CONTEXT_PREGNANCY,),
    ),
    MatchRule(
        "poor_sleep",
        "came with poor sleep",
        ("restless-legs", "night-cramps"),
        _has_context("poor_sleep"),
    ),
    MatchRule(
        "severe",
        "were rated severe, 7 to 10 out of 10",
        ("doctor-frequent",),
        lambda e: e.severity is not None and e.severity >= 7,
        (K.SEVERITY_HIGH,),
        fields=("severity",),
    ),
    MatchRule(
        "numbness",
        "came with numbness",
        ("doctor-numbness", "neuropathy", "lower-back", "shoes-cause"),
        _has_sign("numbness"),
        (K.WARNING_SIGNS,),
    ),
    MatchRule(
        "swelling",
        "came with swelling or discolouration",
        ("doctor-swelling",),
        _has_sign("swelling", "discolouration"),
        (K.WARNING_SIGNS,),
    ),
    MatchRule(
        "fever_injury",
        "came with a fever or a visible injury",
        ("doctor-fever-injury", "relief-rice", "injury-cause"),
        _has_sign("fever_injury"),
        (K.WARNING_SIGNS,),
    ),
    MatchRule(
        "hard_to_walk",
        "made walking hard",
        ("doctor-hard-to-walk",),
        _has_sign("hard_to_walk"),
        (K.WARNING_SIGNS,),
    ),
)

# Findings about the whole log that no single episode shows.
INSIGHT_ONLY_TIPS: Mapping[str, tuple[str, ...]] = {
    K.TREND_UP: ("doctor-not-improving", "doctor-frequent", "doctor-what-happens"),
    K.FREQUENCY_HIGH: ("doctor-frequent", "doctor-what-happens"),
}

CONDITION_TIPS: Mapping[str, tuple[str, ...]] = {
    "diabetes": ("doctor-known-condition", "neuropathy", "poor-circulation", "treat-conditions"),
    "kidney_disease": ("doctor-known-condition", "organ-problems", "treat-conditions"),
    "liver_disease": ("doctor-known-condition", "organ-problems", "treat-conditions"),
    "circulation": ("pad", "poor-circulation", "walking-breaks"),
    "neuropathy": ("neuropathy", "treat-conditions"),
    "nervous_system": ("nervous-system", "dystonia", "treat-conditions"),
    "arthritis": ("arthritis", "treat-conditions"),
    "restless_legs": ("restless-legs",),
    "flat_feet": ("foot-structure", "orthotics-sport-shoes"),
    "pregnancy": ("pregnancy",),
}
OLDER_TIPS = ("age-changes", "restless-legs", "doctor-walking-older")
MEDICINE_TIPS = ("medicine-review", "medicine-side-effects")

RELIEF_TIPS = {  # relief code logged -> the tip describing it
    "stretching": "relief-stretch-toes",
    "pulling_toes": "relief-pull-toes",
    "massage": "relief-massage",
    "heat": "relief-heat",
    "cold": "relief-cold",
}
RELIEF_ORDER = tuple(RELIEF_TIPS.values())
FALLBACK_PREVENTION = ("drink-water", "stretch-daily", "fitting-shoes")


@dataclass(frozen=True)
class TipMatch:
    tip: Tip
    episodes: int  # how many of the recent episodes matched a rule pointing at this tip
    extra: int  # Patterns findings and profile answers pointing at it (breaks ties only)
    reasons: tuple[str, ...]


class _Tally:
    """Collects evidence per tip while rules are applied."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.ids = {t.id for t in kb.tips}
        self.episode_sets: dict[str, set[int]] = {}
        self.bonus: dict[str, int] = {}
        self.position: dict[str, int] = {}
        self.reasons: dict[str, list[str]] = {}

    def add(self, tip_ids: Iterable[str], reason: str, episodes: Iterable[int] = (), bonus=0):
        for pos, tip_id in enumerate(tip_ids):
            if tip_id not in self.ids:
                raise KeyError(f"matching rule names unknown tip {tip_id!r}")
            self.episode_sets.setdefault(tip_id, set()).update(episodes)
            self.bonus[tip_id] = self.bonus.get(tip_id, 0) + bonus
            self.position[tip_id] = min(pos, self.position.get(tip_id, pos))
            reasons = self.reasons.setdefault(tip_id, [])
            if reason not in reasons:
                reasons.append(reason)

    def ranked(self) -> list[TipMatch]:
        order = {t.id: i for i, t in enumerate(self.kb.tips)}
        matches = []
        for tip_id, episodes in self.episode_sets.items():
            tip = self.kb.tip(tip_id)
            extra = self.bonus[tip_id]
            matches.append(TipMatch(tip, len(episodes), extra, tuple(self.reasons[tip_id])))
        matches.sort(
            key=lambda m: (
                -m.episodes,
                self.position[m.tip.id],
                -m.extra,
                -len(m.reasons),
                KIND_ORDER[m.tip.kind],
                order[m.tip.id],
            )
        )
        return matches


def _insight_texts(insights) -> dict[str, str]:
    """Accept {key: text}, [(key, text)], [key] or objects with .key and .text/.message."""
    if not insights:
        return {}
    if isinstance(insights, Mapping):
        return {str(k): str(v) for k, v in insights.items()}
    found: dict[str, str] = {}
    for item in insights:
        if isinstance(item, str):
            found.setdefault(item, "")
        elif isinstance(item, tuple) and len(item) == 2:
            found.setdefault(str(item[0]), str(item[1]))
        else:
            key = getattr(item, "key", None)
            text = getattr(item, "text", None) or getattr(item, "message", None) or ""
            if key:
                found.setdefault(str(key), str(text))
    return found


def _insight_reason(key: str, text: str) -> str:
    if text:
        return f"Patterns: {text}"
    return f"Patterns found {K.DESCRIPTIONS.get(key, key)} in your log"


def _rule_reason(rule: MatchRule, hits: int, n: int, unknown: int, single_subject: str) -> str:
    """'4 of your last 10 episodes were in high heels (footwear not recorded for 3)'.

    Only recorded facts are cited: episodes that did not say are counted apart, never as "no".
    """
    if n == 1:
        return f"{single_subject} {rule.single()}"
    if hits == n:
        return f"All of your last {n} episodes {rule.description}"
    reason = f"{hits} of your last {n} episodes {rule.description}"
    if unknown:
        what = " or ".join(FIELD_LABELS[f].lower() for f in rule.fields)
        other = "the other " if hits + unknown == n else ""
        reason += f" ({what} not recorded for {other}{unknown})"
    return reason


def rank(
    kb: KnowledgeBase,
    episodes: Sequence[Episode],
    insights=None,
    profile: Profile | None = None,
    last_n: int = RECENT_EPISODES,
    single_subject: str = "Your latest episode",
) -> list[TipMatch]:
    """Tips that fit the person, best first, each with the reasons it was chosen.

    ``episodes`` may be the whole log or just its end; only the ``last_n`` most recent count.
    """
    recent = sorted(episodes, key=lambda e: e.started_at)[-last_n:] if last_n else []
    tally = _Tally(kb)
    n = len(recent)
    for rule in RULES:
        hits = [i for i, e in enumerate(recent) if rule.test(e)]
        if not hits:
            continue
        unknown = sum(1 for e in recent if rule.unknown(e) and not rule.test(e))
        tally.add(rule.tip_ids, _rule_reason(rule, len(hits), n, unknown, single_subject), hits)

    texts = _insight_texts(insights)
    for key, text in texts.items():
        tip_ids = [t.id for t in tips_for_insight(kb, key)]
        if tip_ids:
            tally.add(tip_ids, _insight_reason(key, text), bonus=1)

    profile = profile or Profile()
    for code in profile.conditions:
        name = vocab.label(vocab.CONDITIONS, code).lower()
        tally.add(CONDITION_TIPS.get(code, ()), f"Your profile mentions {name}", bonus=1)
    if profile.is_older:
        age = vocab.label(vocab.AGE_RANGES, profile.age_range).lower()
        tally.add(OLDER_TIPS, f"Your profile gives your age as {age}", bonus=1)
    if profile.medicines:
        tally.add(MEDICINE_TIPS, "Your profile lists medicines you take", bonus=1)
    return tally.ranked()


def just_ended(episode: Episode, now: datetime | None = None) -> bool:
    """Ended (start + duration) no more than 5 minutes before ``now``: it may come back.

    A saved episode always has a duration, from the cramp timer or typed into the form, so it
    is over; relief advice right after a save is for the next few minutes, not "still going on".
    """
    now = now or datetime.now().astimezone()
    ended = episode.started_at + timedelta(seconds=episode.duration_s)
    return now - ended <= RECENT_END and episode.relief_effect != "yes"


def suggest(
    kb: KnowledgeBase, episode: Episode, now: datetime | None = None, limit: int = MAX_SUGGESTIONS
) -> list[TipMatch]:
    """One to three tips right after a save: relief first if the cramp ended only minutes ago
    (it may come back), then prevention that fits this episode. Doctor advice is left to the
    doctor banner."""
    picked: list[TipMatch] = []
    if just_ended(episode, now):
        failed = set(episode.relief) if episode.relief_effect == "no" else set()
        first = "relief-rice" if "fever_injury" in episode.warning_signs else None
        for tip_id in ((first,) if first else ()) + RELIEF_ORDER:
            code = next((c for c, t in RELIEF_TIPS.items() if t == tip_id), None)
            if code not in failed:
                picked.append(TipMatch(kb.tip(tip_id), 1, 0, (JUST_ENDED_REASON,)))
                break
    matches = [
        m
        for m in rank(kb, [episode], last_n=1, single_subject="This cramp")
        if m.tip.kind != "doctor"
    ]
    matches.sort(key=lambda m: m.tip.kind != "prevention")  # stable: keeps rank within kind
    for match in matches:
        if len(picked) >= limit:
            break
        if all(p.tip.id != match.tip.id for p in picked):
            picked.append(match)
    for tip_id in FALLBACK_PREVENTION:
        if len(picked) >= max(1, min(limit, 2)):
            break
        if all(p.tip.id != tip_id for p in picked):
            picked.append(TipMatch(kb.tip(tip_id), 0, 0, ("General advice from the articles",)))
    return picked[:limit]


def recent_episodes(store, limit: int = RECENT_EPISODES) -> list[Episode]:
    """The ``limit`` most recent episodes by start, oldest first (indexed; cheap at 100k rows)."""
    rows = store.conn.execute(
        f"SELECT {', '.join(EPISODE_COLUMNS)} FROM episode ORDER BY start_utc DESC, id DESC "
        "LIMIT ?",
        (limit,),
    ).fetchall()
    return [episode_from_row(r) for r in reversed(rows)]


def episodes_since(store, latest: Episode, days: int = 30) -> list[Episode]:
    """Episodes in the ``days`` before ``latest`` (for the doctor rules), oldest first."""
    end = int(latest.started_at.timestamp()) + 1
    return list(store.iter_episodes(end - days * 86400 - 1, end))


def pattern_insights(store, days: int = INSIGHT_DAYS, today: date | None = None) -> list:
    """The Patterns page's findings for the last ``days`` days, to rank tips by.

    Imported lazily so tips matching keeps working (without findings) if Patterns is absent.
    """
    from tracker import aggregates, insights

    today = today or date.today()
    data = aggregates.patterns(store.conn, aggregates.Period.last_days(days, today), today=today)
    return [f for f in insights.build(data, today) if f.key]


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
