"""The daily check-in and the medicine list: the facts about days, not about cramps.

A check-in is about one local calendar day (``day``) and the night that ended on its morning
(``night_cramps``, ``sleep_disturbance``). Every answer may be ``None``: "not recorded", never
"no". A day without a check-in is missing, never a day without the factor.

Codes are what we store and export; they never change once released. Labels may be reworded.
Each factor comes from the articles (see ``FACTORS``: the tip factor it supports).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from tracker.diary import vocab
from tracker.diary.vocab import Vocabulary


def _vocab(*pairs: tuple[str, str]) -> Vocabulary:
    return MappingProxyType(dict(pairs))


FLUIDS = _vocab(("less", "Less than usual"), ("usual", "As usual"), ("more", "More than usual"))
EXERCISE = _vocab(("none", "None"), ("light", "Light"), ("hard", "Hard or new to me"))
YES_NO = _vocab(("yes", "Yes"), ("no", "No"))
DAY_FOOTWEAR = _vocab(
    ("everyday", "Everyday shoes"),
    ("tight_heels", "Tight shoes or high heels"),
    ("athletic", "Athletic shoes"),
    ("barefoot", "Barefoot or slippers"),
)
STRESS = _vocab(("low", "Low"), ("medium", "Medium"), ("high", "High"))
NIGHT_CRAMPS = _vocab(("none", "None"), ("yes", "Yes"))

SLEEP_DISTURBANCE_MIN = vocab.SLEEP_DISTURBANCE_MIN
SLEEP_DISTURBANCE_MAX = vocab.SLEEP_DISTURBANCE_MAX


@dataclass(frozen=True)
class Question:
    """One check-in answer: its field, its wording and its codes."""

    name: str
    label: str
    vocabulary: Vocabulary


# The day's questions, in the order the form asks them.
DAY_QUESTIONS: tuple[Question, ...] = (
    Question("fluids", "Fluids today", FLUIDS),
    Question("exercise", "Exercise", EXERCISE),
    Question("long_still", "Long sitting or standing", YES_NO),
    Question("footwear", "Shoes worn most", DAY_FOOTWEAR),
    Question("stretched", "Stretched", YES_NO),
    Question("stress", "Stress", STRESS),
    Question("unwell", "Unwell", YES_NO),
    Question("medicines_as_usual", "Medicines or supplements as usual", YES_NO),
)
QUESTIONS_BY_NAME = {q.name: q for q in DAY_QUESTIONS}


@dataclass(frozen=True)
class Factor:
    """A yes/no exposure derived from one answer, compared between days with and without it.

    ``exposed`` is the set of codes that count as "with"; every other recorded code counts as
    "without"; ``None`` (not recorded) is left out of both groups. ``tip_factor`` names the tip
    factor (resources/tips.json ``factors``) the insight supports.
    """

    key: str
    question: str
    exposed: frozenset[str]
    label: str  # "days with fewer fluids than usual"
    tip_factor: str


FACTORS: tuple[Factor, ...] = (
    Factor("low_fluids", "fluids", frozenset({"less"}), "days with fewer fluids", "hydration"),
    Factor(
        "hard_exercise",
        "exercise",
        frozenset({"hard"}),
        "days with hard or new exercise",
        "exercise_stretching",
    ),
    Factor(
        "long_still",
        "long_still",
        frozenset({"yes"}),
        "days with long sitting or standing",
        "sitting_circulation",
    ),
    Factor(
        "tight_shoes",
        "footwear",
        frozenset({"tight_heels"}),
        "days in tight shoes or high heels",
        "footwear",
    ),
    Factor(
        "no_stretch",
        "stretched",
        frozenset({"no"}),
        "days without stretching",
        "exercise_stretching",
    ),
    Factor(
        "high_stress", "stress", frozenset({"high"}), "days of high stress", "medical_conditions"
    ),
    Factor("unwell", "unwell", frozenset({"yes"}), "days when unwell", "medical_conditions"),
    Factor(
        "medicines_changed",
        "medicines_as_usual",
        frozenset({"no"}),
        "days when medicines were not taken as usual",
        "medicines",
    ),
)
FACTORS_BY_KEY = {f.key: f for f in FACTORS}


@dataclass(frozen=True)
class CheckIn:
    """One day's check-in. ``None`` everywhere means "not recorded"."""

    day: date
    fluids: str | None = None
    exercise: str | None = None
    long_still: str | None = None
    footwear: str | None = None
    stretched: str | None = None
    stress: str | None = None
    unwell: str | None = None
    medicines_as_usual: str | None = None
    # About the night that ended on this day's morning.
    night_cramps: str | None = None
    sleep_disturbance: int | None = None
    notes: str = ""

    def answer(self, name: str) -> str | None:
        value = getattr(self, name)
        return None if value is None else str(value)

    def exposure(self, factor: Factor) -> bool | None:
        """True with the factor, False without, None when not recorded."""
        code = self.answer(factor.question)
        if code is None:
            return None
        return code in factor.exposed

    def is_empty(self) -> bool:
        """Whether nothing at all was recorded (such a check-in is not stored)."""
        return (
            all(getattr(self, q.name) is None for q in DAY_QUESTIONS)
            and self.night_cramps is None
            and self.sleep_disturbance is None
            and not self.notes.strip()
        )


MEDICINE_KINDS = _vocab(("medicine", "Medicine"), ("supplement", "Supplement"))


@dataclass(frozen=True)
class Medicine:
    """A medicine or supplement taken from ``started_on`` until ``stopped_on`` (None: still)."""

    name: str
    kind: str
    started_on: date
    stopped_on: date | None = None
    dose: str = ""
    id: int | None = field(default=None, compare=False)

    def taken_on(self, day: date) -> bool:
        return self.started_on <= day and (self.stopped_on is None or day <= self.stopped_on)


NAME_MAX = 120
DOSE_MAX = 120
NOTES_MAX = 2000


def validate_checkin(checkin: CheckIn, today: date) -> list[str]:
    """Every problem with a check-in, worded for the person; empty when it can be saved."""
    problems: list[str] = []
    if checkin.day > today:
        problems.append("A check-in is about a day that has begun; pick today or an earlier day.")
    for question in DAY_QUESTIONS:
        code = getattr(checkin, question.name)
        if code is not None and code not in question.vocabulary:
            problems.append(f"{question.label}: '{code}' is not one of the choices.")
    if checkin.night_cramps is not None and checkin.night_cramps not in NIGHT_CRAMPS:
        problems.append(f"Cramps last night: '{checkin.night_cramps}' is not one of the choices.")
    sd = checkin.sleep_disturbance
    if sd is not None and (
        isinstance(sd, bool)
        or not isinstance(sd, int)
        or not SLEEP_DISTURBANCE_MIN <= sd <= SLEEP_DISTURBANCE_MAX
    ):
        problems.append(
            f"Sleep disturbance is a whole number from {SLEEP_DISTURBANCE_MIN} "
            f"(not at all) to {SLEEP_DISTURBANCE_MAX} (could not sleep)."
        )
    if len(checkin.notes) > NOTES_MAX:
        problems.append(f"Notes are limited to {NOTES_MAX} characters.")
    return problems


def validate_medicine(medicine: Medicine, today: date) -> list[str]:
    """Every problem with a medicine entry, worded for the person."""
    problems: list[str] = []
    name = medicine.name.strip()
    if not name:
        problems.append("Give the medicine or supplement a name.")
    elif len(name) > NAME_MAX:
        problems.append(f"A name is limited to {NAME_MAX} characters.")
    if medicine.kind not in MEDICINE_KINDS:
        problems.append("Choose whether it is a medicine or a supplement.")
    if medicine.started_on > today:
        problems.append("The start date is in the future; enter the day you started.")
    if medicine.stopped_on is not None:
        if medicine.stopped_on < medicine.started_on:
            problems.append("The stop date is before the start date.")
        if medicine.stopped_on > today:
            problems.append("The stop date is in the future; leave it empty while you take it.")
    if len(medicine.dose) > DOSE_MAX:
        problems.append(f"The dose is limited to {DOSE_MAX} characters.")
    return problems
