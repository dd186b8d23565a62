"""Stable keys that tie a Patterns finding to the tips that fit it.

The Patterns page (tracker/analysis/insights.py) tags each finding with one of these keys; the tips
matcher (tracker/advice/tips.py) maps each key to advice from the articles. Keys are stored nowhere,
but both sides import them from here so a typo is an ImportError, not a silent miss.

A finding should carry a key only when it is about that situation being common in the user's
own log (an association, never a cause), among the episodes that recorded that situation: a
field left "not recorded" never counts towards a key, and a key needs at least
insights.MIN_EPISODES episodes that recorded the field.
"""

from __future__ import annotations

from types import MappingProxyType

# Situations at onset (from the episode fields).
HYDRATION_LOW = "hydration.low"  # many cramps while under-hydrated (or little fluid drunk)
FOOTWEAR_TIGHT = "footwear.tight"  # many cramps in tight or ill-fitting shoes
FOOTWEAR_HIGH_HEELS = "footwear.high_heels"  # many cramps in high heels
TIME_NIGHT = "time.night"  # many cramps at night or in bed
ACTIVITY_EXERCISE = "activity.exercise"  # many cramps during or just after exercise
ACTIVITY_SITTING = "activity.sitting"  # many cramps while resting, sitting or driving
ACTIVITY_WALKING = "activity.walking"  # many cramps while walking
CONTEXT_CROSSED_LEGS = "context.crossed_legs"
CONTEXT_LONG_SITTING = "context.long_sitting"  # context "long sitting or standing"
CONTEXT_NEW_MEDICINE = "context.new_medicine"
CONTEXT_COLD = "context.cold"
CONTEXT_STRESS = "context.stress"
CONTEXT_MISSED_MEALS = "context.missed_meals"
CONTEXT_PREGNANCY = "context.pregnancy"

# Whole-log findings.
TREND_UP = "trend.up"  # more cramps recently than in the period before (beyond chance)
FREQUENCY_HIGH = "frequency.high"  # cramps on many days of the range
SEVERITY_HIGH = "severity.high"  # many severe (7-10) cramps
WARNING_SIGNS = "warning.signs"  # warning signs (numbness, swelling, ...) were logged

DESCRIPTIONS = MappingProxyType(
    {
        HYDRATION_LOW: "cramps while under-hydrated",
        FOOTWEAR_TIGHT: "cramps in tight or ill-fitting shoes",
        FOOTWEAR_HIGH_HEELS: "cramps in high heels",
        TIME_NIGHT: "cramps at night or in bed",
        ACTIVITY_EXERCISE: "cramps during or just after exercise",
        ACTIVITY_SITTING: "cramps while sitting or resting",
        ACTIVITY_WALKING: "cramps while walking",
        CONTEXT_CROSSED_LEGS: "cramps after sitting with crossed legs",
        CONTEXT_LONG_SITTING: "cramps after long sitting or standing",
        CONTEXT_NEW_MEDICINE: "cramps after starting a new medicine",
        CONTEXT_COLD: "cramps when cold",
        CONTEXT_STRESS: "cramps at times of stress",
        CONTEXT_MISSED_MEALS: "cramps after missed meals",
        CONTEXT_PREGNANCY: "cramps during pregnancy",
        TREND_UP: "cramps becoming more frequent",
        FREQUENCY_HIGH: "frequent cramps",
        SEVERITY_HIGH: "many severe cramps",
        WARNING_SIGNS: "warning signs logged with cramps",
    }
)

ALL_KEYS: tuple[str, ...] = tuple(DESCRIPTIONS)

# Appended by Patterns. Fewer cramps lately (beyond chance) is good news with no tip behind it,
# so it is not in ALL_KEYS, which lists the keys the tips must cover.
TREND_DOWN = "trend.down"
