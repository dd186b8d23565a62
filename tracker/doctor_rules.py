"""When the articles say to see a doctor, checked against the latest episode, the recent log and
the optional profile.

Each rule carries its own polite message and the article(s) it comes from. Rules never diagnose:
they repeat what the articles advise and say why it applies to this person's log. Time windows
count back from the latest episode's start, not from "now", so a result does not change merely
because the app was opened a day later.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from tracker import vocab
from tracker.episode import Episode
from tracker.profile import Profile

NOT_DIAGNOSIS = "This app does not diagnose; it only repeats what its source articles advise."

WEEK = timedelta(days=7)
RECENT = timedelta(days=30)
FREQUENT_PER_WEEK = 4  # cramps within 7 days that count as "frequent"
NOT_IMPROVING_MIN = 2  # cramps in the earlier week before "not better after a week" applies
INTENSE_SEVERITY = 8  # 0-10 rating from which a cramp counts as "especially intense"
WALKING_ACTIVITIES = frozenset({"walking", "exercising"})
WALKING_MIN = 2  # walking/running cramps within 30 days before the circulation rule applies
DOCTOR_CONDITIONS = frozenset({"diabetes", "kidney_disease", "liver_disease"})


@dataclass(frozen=True)
class DoctorAlert:
    rule_id: str
    title: str
    message: str
    sources: tuple[str, ...]
    tip_id: str


@dataclass(frozen=True)
class _Context:
    latest: Episode
    recent: tuple[Episode, ...]  # within RECENT before latest, including latest
    profile: Profile

    def count_between(self, older: timedelta, newer: timedelta) -> int:
        """Episodes that started in (latest - older, latest - newer]."""
        top = self.latest.started_at - newer
        bottom = self.latest.started_at - older
        return sum(1 for e in self.recent if bottom < e.started_at <= top)


@dataclass(frozen=True)
class DoctorRule:
    id: str
    title: str
    tip_id: str
    sources: tuple[str, ...]
    check: Callable[[_Context], str | None]  # the reason text when the rule applies


def _sign(code: str, what: str) -> Callable[[_Context], str | None]:
    def check(ctx: _Context) -> str | None:
        if code in ctx.latest.warning_signs:
            return what
        return None

    return check


def _swelling(ctx: _Context) -> str | None:
    signs = [s for s in ("swelling", "discolouration") if s in ctx.latest.warning_signs]
    if not signs:
        return None
    noted = " and ".join(vocab.label(vocab.WARNING_SIGNS, s).lower() for s in signs)
    return (
        f"You noted {noted} with this cramp. Feet that are swollen or change colour should be "
        "checked by a doctor."
    )


def _not_improving(ctx: _Context) -> str | None:
    last_week = ctx.count_between(WEEK, timedelta(0))
    week_before = ctx.count_between(2 * WEEK, WEEK)
    if week_before >= NOT_IMPROVING_MIN and last_week >= week_before:
        return (
            f"You logged {last_week} cramps in the past 7 days and {week_before} in the 7 days "
            "before, so they have not eased within a week. The source advises seeing a doctor "
            "when cramps do not get better within about a week."
        )
    return None


def _frequent(ctx: _Context) -> str | None:
    last_week = ctx.count_between(WEEK, timedelta(0))
    if last_week >= FREQUENT_PER_WEEK:
        return (
            f"You logged {last_week} cramps in the past 7 days. Frequent or persistent cramps are "
            "worth talking over with a health professional."
        )
    return None


def _intense(ctx: _Context) -> str | None:
    if ctx.latest.severity is not None and ctx.latest.severity >= INTENSE_SEVERITY:
        return (
            f"You rated this cramp {ctx.latest.severity} out of 10. Especially intense cramps are "
            "worth mentioning to a doctor."
        )
    return None


def _walking_older(ctx: _Context) -> str | None:
    """The latest cramp came on while walking (or did not say what the person was doing), and
    at least WALKING_MIN cramps in the last 30 days were recorded as walking or exercising.

    An activity left "not recorded" neither counts as walking nor rules the pattern out.
    """
    latest = ctx.latest.activity
    if not ctx.profile.is_older or (latest is not None and latest not in WALKING_ACTIVITIES):
        return None
    walking = sum(1 for e in ctx.recent if e.activity in WALKING_ACTIVITIES)
    if walking < WALKING_MIN:
        return None
    age = vocab.label(vocab.AGE_RANGES, ctx.profile.age_range).lower()
    return (
        f"Your profile gives your age as {age}, and {walking} of your cramps in the last 30 days "
        "came on while walking or exercising. In older people this can be an early sign of a "
        "circulation problem such as peripheral artery disease, so it is worth telling a doctor."
    )


def _known_condition(ctx: _Context) -> str | None:
    found = [c for c in ctx.profile.conditions if c in DOCTOR_CONDITIONS]
    if not found:
        return None
    names = " and ".join(vocab.label(vocab.CONDITIONS, c).lower() for c in found)
    return (
        f"Your profile mentions {names}. People with a condition like this are advised to see a "
        "doctor about their cramps."
    )


RULES: tuple[DoctorRule, ...] = (
    DoctorRule(
        "hard_to_walk",
        "Pain that makes walking hard",
        "doctor-hard-to-walk",
        ("a002",),
        _sign(
            "hard_to_walk",
            "You noted that this cramp made walking hard. When cramps hurt enough to make walking "
            "or daily life difficult, the source advises seeing a doctor.",
        ),
    ),
    DoctorRule(
        "fever_injury",
        "Fever or a visible injury",
        "doctor-fever-injury",
        ("a002",),
        _sign(
            "fever_injury",
            "You noted a fever or a visible injury with this cramp. Cramps with signs of infection "
            "or an injury to the foot should be seen by a doctor.",
        ),
    ),
    DoctorRule(
        "swelling",
        "Swollen or discoloured feet",
        "doctor-swelling",
        ("a002",),
        _swelling,
    ),
    DoctorRule(
        "numbness",
        "Numb feet",
        "doctor-numbness",
        ("a002",),
        _sign(
            "numbness",
            "You noted numbness with this cramp. Numb feet are a reason to have a doctor look at "
            "them.",
        ),
    ),
    DoctorRule(
        "not_improving",
        "Not better after a week",
        "doctor-not-improving",
        ("a002",),
        _not_improving,
    ),
    DoctorRule(
        "frequent",
        "Frequent cramps",
        "doctor-frequent",
        ("a001", "a003"),
        _frequent,
    ),
    DoctorRule("intense", "Especially intense cramp", "doctor-frequent", ("a001",), _intense),
    DoctorRule(
        "walking_older",
        "Cramps when walking, in older age",
        "doctor-walking-older",
        ("a001",),
        _walking_older,
    ),
    DoctorRule(
        "known_condition",
        "A known medical condition",
        "doctor-known-condition",
        ("a002",),
        _known_condition,
    ),
)


def history_days(profile: Profile | None) -> int:
    """How far back ``evaluate`` needs episodes: two weeks, or 30 days for the walking rule."""
    return RECENT.days if profile is not None and profile.is_older else (2 * WEEK).days


def _same(a: Episode, b: Episode) -> bool:
    return a is b or (a.id is not None and a.id == b.id)


def evaluate(
    latest: Episode | None, history: Sequence[Episode], profile: Profile | None = None
) -> list[DoctorAlert]:
    """Every rule that applies to ``latest``, given the episodes logged before and around it.

    ``history`` may hold any episodes; only those within 30 days before ``latest`` count, and
    ``latest`` itself always counts once.
    """
    if latest is None:
        return []
    start = latest.started_at - RECENT
    recent = [
        e for e in history if start < e.started_at <= latest.started_at and not _same(e, latest)
    ]
    recent.append(latest)
    ctx = _Context(latest=latest, recent=tuple(recent), profile=profile or Profile())
    alerts = []
    for rule in RULES:
        message = rule.check(ctx)
        if message:
            alerts.append(DoctorAlert(rule.id, rule.title, message, rule.sources, rule.tip_id))
    return alerts
