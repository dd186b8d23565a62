"""Every controlled vocabulary of an episode, in one place.

Codes are what we store and export; they never change once released. Labels are what people
read and may be reworded freely.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

Vocabulary = MappingProxyType[str, str]


def _vocab(*pairs: tuple[str, str]) -> Vocabulary:
    return MappingProxyType(dict(pairs))


SIDES = _vocab(("left", "Left"), ("right", "Right"), ("both", "Both"))

# Body sites. The five toe codes say which toe when the person knows; "toes" when they do not.
TOE_SITES = _vocab(
    ("big_toe", "Big toe"),
    ("second_toe", "Second toe"),
    ("third_toe", "Third (middle) toe"),
    ("fourth_toe", "Fourth toe"),
    ("little_toe", "Little toe"),
)
SITES = _vocab(
    ("toes", "Toes (not sure which)"),
    *TOE_SITES.items(),
    ("sole", "Sole / arch"),
    ("top_of_foot", "Top of foot"),
    ("ankle", "Ankle"),
    ("calf", "Calf"),
    ("other", "Other"),
)

ACTIVITIES = _vocab(
    ("in_bed", "Asleep or in bed"),
    ("resting", "Resting or sitting"),
    ("standing", "Standing"),
    ("walking", "Walking"),
    ("exercising", "Exercising or sports"),
    ("after_exercise", "Just after exercise"),
    ("driving", "Driving"),
    ("other", "Other"),
)

HYDRATION = _vocab(
    ("well", "Well hydrated"),
    ("normal", "Normal"),
    ("under", "Under-hydrated"),
)

FOOTWEAR = _vocab(
    ("barefoot", "Barefoot"),
    ("socks_slippers", "Socks or slippers"),
    ("athletic", "Athletic shoes"),
    ("flat", "Flat everyday shoes"),
    ("dress", "Dress shoes"),
    ("high_heels", "High heels"),
    ("boots", "Boots"),
    ("sandals", "Sandals or flip-flops"),
)

RELIEF = _vocab(
    ("stretching", "Stretching"),
    ("pulling_toes", "Pulling toes back"),
    ("massage", "Massage"),
    ("heat", "Heat"),
    ("cold", "Cold or cold floor"),
    ("walking", "Walking"),
    ("drink", "Drink or electrolytes"),
    ("pain_medicine", "Pain medicine"),
    ("nothing", "Nothing"),
)

RELIEF_EFFECT = _vocab(("yes", "Helped"), ("partly", "Partly helped"), ("no", "Did not help"))

CONTEXT = _vocab(
    ("hard_exercise", "Hard or new exercise"),
    ("long_sitting_standing", "Long sitting or standing"),
    ("crossed_legs", "Crossed legs"),
    ("cold", "Cold"),
    ("poor_sleep", "Poor sleep"),
    ("stress", "Stress"),
    ("missed_meals", "Missed meals"),
    ("alcohol", "Alcohol"),
    ("new_medicine", "New medicine"),
    ("pregnancy", "Pregnancy"),
)

# Warning signs offered for a new entry. A fever and a visible injury call for different advice
# (the fever/infection doctor advice; injury first aid and a doctor), so they are two signs.
WARNING_SIGNS_OFFERED = _vocab(
    ("numbness", "Numbness"),
    ("swelling", "Swelling"),
    ("discolouration", "Discolouration"),
    ("fever", "Fever"),
    ("visible_injury", "Visible injury to the foot"),
    ("hard_to_walk", "Hard to walk afterwards"),
)
# Stored by earlier versions, still valid, readable and exportable, but no longer offered. An
# old "fever_injury" says only "a fever or a visible injury": both are possible, neither is
# assumed, so advice for it covers both and never gives injury first aid alone.
LEGACY_WARNING_SIGNS = _vocab(
    ("fever_injury", "Fever or visible injury (older entry)"),
)
# Every code an episode may hold, with its label: validation, import, export, history, reports.
WARNING_SIGNS = _vocab(*WARNING_SIGNS_OFFERED.items(), *LEGACY_WARNING_SIGNS.items())

# Named periods, one name each, offered by History, Patterns, the doctor summary and export
# (tracker/diary/periods.py says which dates each covers). "days" count days, "months" calendar
# months.
PERIODS = _vocab(
    ("7d", "Last 7 days"),
    ("30d", "Last 30 days"),
    ("3m", "Last 3 months"),
    ("6m", "Last 6 months"),
    ("12m", "Last 12 months"),
    ("all", "All time"),
    ("custom", "Choose dates…"),
)

# Anchors of the 0-10 numeric pain rating scale.
SEVERITY_ANCHORS = MappingProxyType({0: "none", 5: "moderate", 10: "worst imaginable"})

ML_PER_GLASS = 250


def label(vocabulary: Mapping[str, str], code: str | None) -> str:
    """The human label of a code; unknown codes are shown as they are rather than hidden."""
    if code is None:
        return ""
    return vocabulary.get(code, code)


def labels(vocabulary: Mapping[str, str], codes: tuple[str, ...]) -> str:
    return ", ".join(label(vocabulary, c) for c in codes)


# The 0-10 rating in three bands (inclusive limits): charts, history filters, reports and FHIR
# group by these, and nowhere else says 3/6/7.
SEVERITY_BANDS: MappingProxyType[str, tuple[int, int]] = MappingProxyType(
    {"mild": (0, 3), "moderate": (4, 6), "severe": (7, 10)}
)


def severity_band(severity: int) -> str:
    """mild 0-3, moderate 4-6, severe 7-10: the bands charts and reports group by."""
    for band, (_low, high) in SEVERITY_BANDS.items():
        if severity <= high:
            return band
    return "severe"


# Night: a cramp that started from 22:00 up to (not including) 06:00 local time.
# How much cramps disturbed a night's sleep: the 0-10 scale clinical cramp diaries use.
SLEEP_DISTURBANCE_MIN = 0
SLEEP_DISTURBANCE_MAX = 10

NIGHT_START_HOUR = 22
NIGHT_END_HOUR = 6
NIGHT_HOURS = frozenset(h for h in range(24) if h >= NIGHT_START_HOUR or h < NIGHT_END_HOUR)


def is_night_hour(hour: int) -> bool:
    """Whether a local start hour counts as night (22:00-05:59)."""
    return hour in NIGHT_HOURS


# Fields with several codes (site, relief, context, warning signs) are stored and exported as
# one text joined by this separator.
MULTI_SEPARATOR = ";"


def join_multi(codes: Iterable[str]) -> str:
    """The codes of a multi-value field as one text: ("calf", "sole") -> "calf;sole"."""
    return MULTI_SEPARATOR.join(codes)


def split_multi(text: str | None) -> tuple[str, ...]:
    """The codes in a text made by ``join_multi``; empty parts (and None) give nothing."""
    return tuple(filter(None, text.split(MULTI_SEPARATOR))) if text else ()


# Tips knowledge base (resources/tips.json): what a tip is for, and what it relates to.
TIP_KINDS = _vocab(
    ("relief", "Relief during a cramp"),
    ("prevention", "Prevention"),
    ("cause", "Possible cause to discuss"),
    ("doctor", "When to see a doctor"),
)
TIP_FACTORS = _vocab(
    ("hydration", "Hydration"),
    ("minerals_diet", "Minerals and diet"),
    ("footwear", "Footwear"),
    ("exercise_stretching", "Exercise and stretching"),
    ("sitting_circulation", "Sitting and circulation"),
    ("night_sleep", "Night and sleep"),
    ("medicines", "Medicines"),
    ("medical_conditions", "Medical conditions"),
    ("injury", "Injury"),
    ("age", "Age"),
)

# Optional, local-only profile (tracker/advice/profile.py). Every answer may be left out.
AGE_RANGES = _vocab(
    ("under_30", "Under 30"),
    ("30_49", "30 to 49"),
    ("50_64", "50 to 64"),
    ("65_plus", "65 or older"),
)
OLDER_AGE_RANGES = frozenset({"50_64", "65_plus"})
# Conditions the source articles name in connection with cramps, offered in the profile dialog.
CONDITIONS_OFFERED = _vocab(
    ("diabetes", "Diabetes"),
    ("kidney_disease", "Kidney disease"),
    ("liver_disease", "Liver disease"),
    ("circulation", "Poor circulation or peripheral artery disease (PAD)"),
    ("neuropathy", "Nerve damage (neuropathy)"),
    ("multiple_sclerosis", "Multiple sclerosis"),
    ("parkinsons", "Parkinson's disease"),
    ("stroke_brain_injury", "Stroke or brain injury"),
    ("lower_back", "Lower back (lumbar) problem or trapped nerve"),
    ("arthritis", "Arthritis"),
    ("restless_legs", "Restless legs syndrome"),
    ("flat_feet", "Flat feet"),
    ("pregnancy", "Pregnancy"),
)
# Stored by earlier versions: kept and understood, shown only to a profile that already has it.
LEGACY_CONDITIONS = _vocab(
    ("nervous_system", "Multiple sclerosis, Parkinson's or past stroke (older answer)"),
)
# Every condition code a stored profile may hold, with its label.
CONDITIONS = _vocab(*CONDITIONS_OFFERED.items(), *LEGACY_CONDITIONS.items())

# How each condition reads inside a sentence ("Your profile mentions ..."); labels are for lists.
_CONDITION_PHRASES = MappingProxyType(
    {
        "circulation": "poor circulation or peripheral artery disease",
        "parkinsons": "Parkinson's disease",
        "stroke_brain_injury": "a stroke or brain injury",
        "lower_back": "a lower back (lumbar) problem or trapped nerve",
        "nervous_system": "multiple sclerosis, Parkinson's disease or a past stroke",
    }
)


def condition_phrase(code: str) -> str:
    """A condition as it reads mid-sentence: 'kidney disease', "Parkinson's disease"."""
    if code in _CONDITION_PHRASES:
        return _CONDITION_PHRASES[code]
    text = label(CONDITIONS, code)
    return text[:1].lower() + text[1:]
