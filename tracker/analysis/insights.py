"""Plain-language findings from the Patterns aggregates, true to the data and honest about doubt.

Rules every finding keeps:
- nothing is said from fewer than MIN_EPISODES episodes;
- a share always comes with its count ("7 of 9 (78%)");
- a field left "not recorded" is missing, never a fact: a share of it is taken among the
  episodes where it was recorded ("5 of the 8 cramps where you recorded hydration"), and
  nothing is said about it unless at least MIN_EPISODES recorded it;
- a comparison of two periods says whether the difference is larger than chance (exact test),
  in plain words ("could easily be chance", "unlikely to be chance alone"); the exact figures
  (rate ratio, its 95% interval, p-value) go in the finding's ``details``, one click away;
- activity, footwear and hydration are associations in the person's own log, never causes;
- each finding about a situation carries a stable key from tracker.analysis.insight_keys, so the
  tips page can offer the advice that fits it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tracker.analysis import insight_keys as keys
from tracker.analysis.aggregates import PatternData, Trend
from tracker.analysis.stats import (
    RateComparison,
    binom_test,
    clopper_pearson,
    compare_rates,
    share_text,
)
from tracker.diary import vocab

MIN_EPISODES = 5
TOO_FEW_TEXT = "Log at least 5 episodes to see patterns."
# A situation is worth a finding when it covers at least this share and this many episodes.
MIN_SHARE = 0.2
MIN_COUNT = 3
NIGHT_FROM = f"{vocab.NIGHT_START_HOUR:02d}:00"  # "22:00"
NIGHT_TO = f"{vocab.NIGHT_END_HOUR:02d}:00"  # "06:00"
SEVERE_LOW, SEVERE_HIGH = vocab.SEVERITY_BANDS["severe"]
ASSOCIATION_NOTE = (
    "These are patterns in your own log: they show what often came with your cramps, "
    "not what causes them."
)


@dataclass(frozen=True)
class Insight:
    text: str
    key: str | None = None  # an insight_keys constant when tips can match it
    kind: str = "finding"  # "finding", "trend" or "note"
    details: str = ""  # the exact figures behind a plain "chance" wording, shown on request


# How a finding names the cramps that recorded a field, when some did not.
RECORDED_WORDS = {
    "activity": "cramps where you recorded what you were doing",
    "footwear": "cramps where you recorded your footwear",
    "fit": "cramps where you recorded your shoes or their fit",
    "hydration": "cramps where you recorded hydration",
    "severity": "cramps you rated",
}
TOO_FEW_RECORDED_NAMES = {
    "activity": "activity",
    "footwear": "footwear",
    "hydration": "hydration",
    "severity": "severity",
}


def _share(part: int, whole: int, total: int, name: str) -> str:
    """'5 of 10 cramps (50%)'; when some cramps left the field out, says the share is of those
    that recorded it: '5 of the 8 cramps where you recorded hydration (63%)'."""
    if whole == total:
        return share_text(part, whole, "cramps")
    return f"{part} of the {whole} {RECORDED_WORDS[name]} ({round(100 * part / whole)}%)"


def _p_text(p: float) -> str:
    """The exact p-value for the details line (never in a finding's plain text)."""
    return "p < 0.001" if p < 0.001 else f"p = {p:.2g}"


def _period_name(trend: Trend, today: date) -> str:
    if trend.recent.last == today:
        return f"the last {trend.days} days"
    return f"the {trend.days} days to {trend.recent.last:%d %b %Y}"


def _ratio_text(result: RateComparison) -> str:
    if result.rate_ratio == float("inf"):
        return "rate ratio not defined (no cramps in the earlier period)"
    high = "infinity" if result.ci_high == float("inf") else f"{result.ci_high:.3g}"
    return (
        f"rate ratio {result.rate_ratio:.3g} "
        f"(95% confidence interval {result.ci_low:.3g} to {high})"
    )


def trend_insight(trend: Trend, today: date) -> Insight | None:
    """More or fewer cramps lately, with an exact test of whether that is more than chance.

    The text says it in words; ``details`` gives the rate ratio, its interval and the p-value."""
    recent, earlier = trend.recent_count, trend.earlier_count
    if recent + earlier < MIN_EPISODES:
        return None
    result = compare_rates(recent, trend.days, earlier, trend.days)
    name = _period_name(trend, today)
    counts = f"{name} ({recent}) than in the {trend.days} days before ({earlier})"
    details = (
        f"{recent} cramps in {trend.days} days against {earlier} in the {trend.days} days "
        f"before: {_ratio_text(result)}, {_p_text(result.p_value)} (exact test of two counts; "
        "below 0.05 is usually taken as more than chance)."
    )
    if not result.significant:
        return Insight(
            f"About as many cramps in {name} ({recent}) as in the {trend.days} days before "
            f"({earlier}): a difference this small could easily be chance.",
            None,
            "trend",
            details,
        )
    if recent > earlier:
        return Insight(
            f"Cramps were more frequent in {counts}. A rise this large is unlikely to be "
            "chance alone.",
            keys.TREND_UP,
            "trend",
            details,
        )
    return Insight(
        f"Cramps were less frequent in {counts}: you seem to be getting better. A fall this "
        "large is unlikely to be chance alone.",
        keys.TREND_DOWN,
        "trend",
        details,
    )


def _peak_window(hours: list[int], width: int = 3) -> tuple[int, int]:
    """Start hour and count of the busiest run of ``width`` hours (wrapping past midnight)."""
    best = max(range(24), key=lambda h: sum(hours[(h + i) % 24] for i in range(width)))
    return best, sum(hours[(best + i) % 24] for i in range(width))


def time_insight(data: PatternData) -> Insight:
    total, night = data.total, data.night
    p_night = len(vocab.NIGHT_HOURS) / 24
    if night / total >= 0.5:
        p = binom_test(night, total, p_night)
        beyond = (
            "unlikely to be chance alone, as night is only a third of the day"
            if p < 0.05 and night / total > p_night
            else "with so few episodes this could easily be chance"
        )
        in_bed = f", {data.night_in_bed} of them in bed" if data.night_in_bed else ""
        if in_bed and data.night_activity_not_recorded:
            # The rest are not "not in bed": say how many are unknown.
            in_bed += f" and {data.night_activity_not_recorded} with no activity recorded"
        return Insight(
            f"Most of your cramps started at night: {share_text(night, total, 'cramps')} began "
            f"between "
            f"{NIGHT_FROM} and {NIGHT_TO}{in_bed} ({beyond}).",
            keys.TIME_NIGHT,
            details=(
                f"{night} of {total} cramps at night, where chance alone would put about a "
                f"third ({round(100 * p_night)}%): {_p_text(p)} (exact binomial test; below "
                "0.05 is usually taken as more than chance)."
            ),
        )
    start, n = _peak_window(data.hours)
    return Insight(
        f"Your cramps most often started between {start:02d}:00 and {(start + 3) % 24:02d}:00: "
        f"{share_text(n, total, 'cramps')}. {share_text(night, total, 'cramps')} started at "
        f"night ({NIGHT_FROM}-{NIGHT_TO})."
    )


_ACTIVITY_GROUPS = (
    (("exercising", "after_exercise"), "during or just after exercise", keys.ACTIVITY_EXERCISE),
    (("resting", "driving"), "while resting, sitting or driving", keys.ACTIVITY_SITTING),
    (("walking",), "while walking", keys.ACTIVITY_WALKING),
)


def situation_insights(data: PatternData) -> list[Insight]:
    """Activity at onset, among the cramps where the activity was recorded."""
    recorded = data.recorded("activity")
    if recorded < MIN_EPISODES:
        return []
    out = []
    top = max(data.activity, key=lambda code: data.activity[code])
    out.append(
        Insight(
            f"In your log, the most common situation at onset was "
            f"'{vocab.label(vocab.ACTIVITIES, top).lower()}': "
            f"{_share(data.activity[top], recorded, data.total, 'activity')}."
        )
    )
    for codes, words, key in _ACTIVITY_GROUPS:
        n = sum(data.activity.get(c, 0) for c in codes)
        if n >= MIN_COUNT and n / recorded >= MIN_SHARE:
            share = _share(n, recorded, data.total, "activity")
            out.append(Insight(f"In your log, {share} came {words}.", key))
    return out


def footwear_insights(data: PatternData) -> list[Insight]:
    """Shoe type among the cramps that recorded it; tightness among those that say anything
    about the shoes (a type recorded, or "tight" ticked without one: see PatternData)."""
    total, out = data.total, []
    recorded = data.recorded("footwear")
    worn = {code: fit + tight for code, (fit, tight) in data.footwear.items()}
    if recorded >= MIN_EPISODES:
        top = max(worn, key=lambda code: worn[code])
        out.append(
            Insight(
                f"Most common footwear when a cramp started: "
                f"{vocab.label(vocab.FOOTWEAR, top).lower()}, "
                f"{_share(worn[top], recorded, total, 'footwear')}."
            )
        )
    tight, tight_whole = data.tight, data.tight_recorded
    if tight_whole >= MIN_EPISODES and tight >= MIN_COUNT and tight / tight_whole >= 0.1:
        out.append(
            Insight(
                f"In your log, {_share(tight, tight_whole, total, 'fit')} came while "
                "wearing shoes you marked tight or ill-fitting.",
                keys.FOOTWEAR_TIGHT,
            )
        )
    heels = worn.get("high_heels", 0)
    if recorded >= MIN_EPISODES and heels >= MIN_COUNT and heels / recorded >= 0.1:
        out.append(
            Insight(
                f"In your log, {_share(heels, recorded, total, 'footwear')} came in high heels.",
                keys.FOOTWEAR_HIGH_HEELS,
            )
        )
    return out


def hydration_insight(data: PatternData) -> Insight | None:
    recorded = data.recorded("hydration")
    under = data.hydration.get("under", 0)
    if recorded >= MIN_EPISODES and under >= MIN_COUNT and under / recorded >= 0.25:
        return Insight(
            f"In your log, {_share(under, recorded, data.total, 'hydration')} came when you "
            "felt under-hydrated.",
            keys.HYDRATION_LOW,
        )
    return None


def severity_insight(data: PatternData) -> Insight | None:
    rated = data.recorded("severity")
    severe = sum(data.severity[SEVERE_LOW : SEVERE_HIGH + 1])
    if rated >= MIN_EPISODES and severe >= MIN_COUNT and severe / rated >= 0.3:
        return Insight(
            f"{_share(severe, rated, data.total, 'severity')} were severe "
            f"({SEVERE_LOW} to {SEVERE_HIGH} of 10).",
            keys.SEVERITY_HIGH,
        )
    return None


def too_few_recorded_note(data: PatternData) -> Insight | None:
    """Say which situations were left out too often to look for a pattern in them."""
    names = [
        words
        for name, words in TOO_FEW_RECORDED_NAMES.items()
        if data.recorded(name) < MIN_EPISODES
    ]
    if not names:
        return None
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    return Insight(
        f"Too few cramps with {listed} recorded to look for a pattern in "
        f"{'it' if len(names) == 1 else 'them'} (at least {MIN_EPISODES} needed).",
        None,
        "note",
    )


def relief_insight(data: PatternData) -> Insight | None:
    """The relief that most surely helped, among methods tried at least MIN_COUNT times.

    Methods are ranked by the lower end of the 95% interval of their "helped" share, so 4 of 5
    tries does not beat 50 of 66: a few lucky tries are not yet evidence.
    """
    scored = []
    for method, effects in data.relief.items():
        # A try whose effect was not recorded is no evidence either way: left out.
        tries = sum(effects.get(e, 0) for e in ("yes", "partly", "no"))
        if tries >= MIN_COUNT and effects.get("yes", 0):
            low, _ = clopper_pearson(effects["yes"], tries)
            scored.append((low, effects["yes"], tries, effects.get("unknown", 0), method))
    if not scored:
        return None
    _, helped, tries, unknown, method = max(scored)
    share = (
        f"{helped} of the {tries} tries where you recorded whether it helped "
        f"({round(100 * helped / tries)}%)"
        if unknown
        else share_text(helped, tries, "tries")
    )
    return Insight(
        f"What helped most reliably: {vocab.label(vocab.RELIEF, method).lower()} helped fully "
        f"in {share}."
    )


def build(data: PatternData, today: date | None = None) -> list[Insight]:
    """Findings for one period, most useful first; a single line when there is too little data."""
    today = today or date.today()
    if data.total < MIN_EPISODES:
        return [
            Insight(
                f"{TOO_FEW_TEXT} This range has {data.total} "
                f"episode{'' if data.total == 1 else 's'}.",
                None,
                "note",
            )
        ]
    found: list[Insight | None] = []
    if data.trend is not None:
        found.append(trend_insight(data.trend, today))
    found.append(time_insight(data))
    found += situation_insights(data)
    found += footwear_insights(data)
    found += [hydration_insight(data), severity_insight(data), relief_insight(data)]
    found.append(too_few_recorded_note(data))
    out = [f for f in found if f is not None]
    out.append(Insight(ASSOCIATION_NOTE, None, "note"))
    return out
