"""The Episode record and the validation rules every way in (form, import, command line) shares."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tracker.diary import vocab

MIN_DURATION_S = 1
MAX_DURATION_S = 24 * 60 * 60
LONG_DURATION_S = 10 * 60
MAX_NOTES_CHARS = 50_000
MAX_FLUID_ML = 20_000
FUTURE_TOLERANCE = timedelta(minutes=5)


class ValidationError(ValueError):
    """One or more fields are wrong. ``errors`` maps each field name to a message for a person."""

    def __init__(self, errors: dict[str, str]):
        self.errors = dict(errors)
        super().__init__("; ".join(self.errors.values()))


@dataclass(frozen=True)
class Episode:
    """One cramp. Only the start and the duration are required: every descriptive field may be
    left "not recorded" (None, or an empty tuple for the lists), and analyses count it as
    missing, never as a fact."""

    started_at: datetime  # aware: local wall-clock time with its UTC offset
    duration_s: int
    side: str | None = None
    site: tuple[str, ...] = ()
    severity: int | None = None
    activity: str | None = None
    hydration: str | None = None
    footwear: str | None = None
    fluid_ml: int | None = None
    footwear_tight: bool = False
    relief: tuple[str, ...] = ()
    relief_effect: str | None = None
    context: tuple[str, ...] = ()
    warning_signs: tuple[str, ...] = ()
    notes: str = ""
    time_approximate: bool = False  # "Last night, around 3": the hour is a rough guess
    id: int | None = None
    created_at: str | None = field(default=None, compare=False)
    updated_at: str | None = field(default=None, compare=False)
    # Stable identifier (a UUID) kept in the diary; the store gives one on add when None.
    uid: str | None = field(default=None, compare=False)

    def replace(self, **changes) -> Episode:
        return dataclasses.replace(self, **changes)


FIELD_LABELS = {
    "started_at": "Start",
    "duration_s": "Duration",
    "side": "Side",
    "site": "Where",
    "severity": "Severity",
    "activity": "Activity",
    "hydration": "Hydration",
    "fluid_ml": "Fluid drunk",
    "footwear": "Footwear",
    "footwear_tight": "Tight or ill-fitting",
    "relief": "Relief tried",
    "relief_effect": "Did it help",
    "context": "Possible context",
    "warning_signs": "Warning signs",
    "notes": "Notes",
    "time_approximate": "Approximate time",
}

# Fields a quick log may leave out; None (or an empty list) means "not recorded".
OPTIONAL_FIELDS = ("side", "site", "severity", "activity", "hydration", "footwear")
NOT_RECORDED = "Not recorded"


def is_recorded(episode: Episode, name: str) -> bool:
    """Whether the person said something for this field (a list counts when it is not empty)."""
    value = getattr(episode, name)
    return value is not None and value != ()


_SINGLE_CODES = {
    "side": vocab.SIDES,
    "activity": vocab.ACTIVITIES,
    "hydration": vocab.HYDRATION,
    "footwear": vocab.FOOTWEAR,
}
_MULTI_CODES = {
    "site": vocab.SITES,
    "relief": vocab.RELIEF,
    "context": vocab.CONTEXT,
    "warning_signs": vocab.WARNING_SIGNS,
}


def format_duration(seconds: int) -> str:
    minutes, secs = divmod(int(seconds), 60)
    if minutes >= 60:
        hours, minutes = divmod(minutes, 60)
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    return f"{secs} s"


def validate(episode: Episode, now: datetime | None = None) -> list[str]:
    """Check every field; raise ValidationError naming each bad one, else return warnings.

    Warnings are things worth telling the person that do not stop the save.
    """
    errors: dict[str, str] = {}
    warnings: list[str] = []
    now = now or datetime.now().astimezone()

    start = episode.started_at
    if not isinstance(start, datetime) or start.tzinfo is None or start.utcoffset() is None:
        errors["started_at"] = "Start: needs a date and time with a UTC offset."
    elif start - now > FUTURE_TOLERANCE:
        errors["started_at"] = (
            f"Start: {start:%Y-%m-%d %H:%M} is in the future. Pick a time no later than now."
        )
    elif start.year < 1900:
        errors["started_at"] = "Start: the year must be 1900 or later."

    duration = episode.duration_s
    if isinstance(duration, bool) or not isinstance(duration, int):
        errors["duration_s"] = "Duration: enter a whole number of seconds."
    elif duration < MIN_DURATION_S:
        errors["duration_s"] = "Duration: must be at least 1 second."
    elif duration > MAX_DURATION_S:
        errors["duration_s"] = (
            f"Duration: {format_duration(duration)} is longer than 24 hours; check the minutes."
        )
    elif duration > LONG_DURATION_S:
        warnings.append(
            f"A cramp lasting {format_duration(duration)} is unusual (most last seconds to a few "
            "minutes). It is worth telling a doctor about."
        )

    severity = episode.severity
    if severity is not None and (
        isinstance(severity, bool) or not isinstance(severity, int) or not 0 <= severity <= 10
    ):
        errors["severity"] = (
            "Severity: choose a whole number from 0 (none) to 10 (worst imaginable)."
        )

    for name, vocabulary in _SINGLE_CODES.items():
        value = getattr(episode, name)
        if value is not None and value not in vocabulary:
            allowed = ", ".join(vocabulary)
            errors[name] = f"{FIELD_LABELS[name]}: '{value}' is not one of: {allowed}."

    for name, vocabulary in _MULTI_CODES.items():
        values = getattr(episode, name)
        if isinstance(values, str) or not isinstance(values, tuple):
            errors[name] = f"{FIELD_LABELS[name]}: expected a list of choices."
            continue
        unknown = [v for v in values if v not in vocabulary]
        if unknown:
            errors[name] = (
                f"{FIELD_LABELS[name]}: unknown choice(s) {', '.join(map(str, unknown))}; "
                f"allowed: {', '.join(vocabulary)}."
            )
        elif len(set(values)) != len(values):
            errors[name] = f"{FIELD_LABELS[name]}: a choice is listed twice."

    if episode.relief_effect is not None and episode.relief_effect not in vocab.RELIEF_EFFECT:
        errors["relief_effect"] = (
            f"Did it help: '{episode.relief_effect}' is not one of: yes, partly, no."
        )

    fluid = episode.fluid_ml
    if fluid is not None and (
        isinstance(fluid, bool) or not isinstance(fluid, int) or not 0 <= fluid <= MAX_FLUID_ML
    ):
        errors["fluid_ml"] = f"Fluid drunk: enter millilitres from 0 to {MAX_FLUID_ML}."

    if not isinstance(episode.footwear_tight, bool):
        errors["footwear_tight"] = "Tight or ill-fitting: must be yes or no."
    if not isinstance(episode.time_approximate, bool):
        errors["time_approximate"] = "Approximate time: must be yes or no."

    if not isinstance(episode.notes, str):
        errors["notes"] = "Notes: must be text."
    elif len(episode.notes) > MAX_NOTES_CHARS:
        errors["notes"] = (
            f"Notes: {len(episode.notes):,} characters is more than the "
            f"{MAX_NOTES_CHARS:,} allowed; shorten them."
        )

    if errors:
        raise ValidationError(errors)
    return warnings


def parse_started_at(text: str) -> datetime:
    """Parse ISO 8601 with offset; raise ValidationError naming the field otherwise."""
    try:
        value = datetime.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        raise ValidationError(
            {"started_at": f"Start: '{text}' is not a date and time like 2026-03-29T02:30+01:00."}
        ) from None
    if value.tzinfo is None:
        raise ValidationError(
            {"started_at": f"Start: '{text}' has no UTC offset (add one such as +01:00)."}
        )
    return value
