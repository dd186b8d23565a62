"""The Episode record and the validation rules every way in (form, import, command line) shares."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

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
    # How much the cramp disturbed sleep, 0-10 (clinical cramp diaries ask it of night cramps).
    sleep_disturbance: int | None = None
    id: int | None = None
    created_at: str | None = field(default=None, compare=False)
    updated_at: str | None = field(default=None, compare=False)
    # Stable identifier (a UUID) kept in the diary; the store gives one on add when None.
    uid: str | None = field(default=None, compare=False)

    def replace(self, **changes: Any) -> Episode:
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class FieldSpec:
    """One recorded field of an episode: the single declaration every list of fields derives
    from (labels, validation, the export columns, import, column mapping).

    ``kind``: "datetime" (the start), "int", "single" (one code of ``vocabulary`` or None),
    "multi" (a tuple of codes, stored joined by vocab.MULTI_SEPARATOR), "bool" or "text".
    ``required``: every episode has it (the start and the duration). ``optional``: a quick log
    may leave it out (None or an empty tuple means "not recorded"). ``bounds``: inclusive
    limits of an "int". ``hint``: what validation says after the label for a wrong value of an
    int, bool or text field.
    """

    name: str
    label: str
    kind: str
    vocabulary: Mapping[str, str] | None = None
    required: bool = False
    optional: bool = False
    bounds: tuple[int, int] | None = None
    hint: str = ""


# The recorded fields, in the order of the store's columns, the exports and the form's labels.
FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("started_at", "Start", "datetime", required=True),
    FieldSpec(
        "duration_s", "Duration", "int", required=True, bounds=(MIN_DURATION_S, MAX_DURATION_S)
    ),
    FieldSpec("side", "Side", "single", vocab.SIDES, optional=True),
    FieldSpec("site", "Where", "multi", vocab.SITES, optional=True),
    FieldSpec(
        "severity",
        "Severity",
        "int",
        optional=True,
        bounds=(0, 10),
        hint="choose a whole number from 0 (none) to 10 (worst imaginable).",
    ),
    FieldSpec("activity", "Activity", "single", vocab.ACTIVITIES, optional=True),
    FieldSpec("hydration", "Hydration", "single", vocab.HYDRATION, optional=True),
    FieldSpec(
        "fluid_ml",
        "Fluid drunk",
        "int",
        bounds=(0, MAX_FLUID_ML),
        hint=f"enter millilitres from 0 to {MAX_FLUID_ML}.",
    ),
    FieldSpec("footwear", "Footwear", "single", vocab.FOOTWEAR, optional=True),
    FieldSpec("footwear_tight", "Tight or ill-fitting", "bool", hint="must be yes or no."),
    FieldSpec("relief", "Relief tried", "multi", vocab.RELIEF),
    FieldSpec("relief_effect", "Did it help", "single", vocab.RELIEF_EFFECT),
    FieldSpec("context", "Possible context", "multi", vocab.CONTEXT),
    FieldSpec("warning_signs", "Warning signs", "multi", vocab.WARNING_SIGNS),
    FieldSpec("notes", "Notes", "text", hint="must be text."),
    FieldSpec("time_approximate", "Approximate time", "bool", hint="must be yes or no."),
    # Not "optional" (a quick log's field): asked of night cramps only, so a day cramp without
    # it is not a gap worth counting; None is "not recorded" all the same. Added in schema 6.
    FieldSpec(
        "sleep_disturbance",
        "Sleep disturbance (0-10)",
        "int",
        bounds=(vocab.SLEEP_DISTURBANCE_MIN, vocab.SLEEP_DISTURBANCE_MAX),
        hint="choose a whole number from 0 (not at all) to 10 (could not sleep).",
    ),
)
FIELD_SPECS: Mapping[str, FieldSpec] = MappingProxyType({f.name: f for f in FIELDS})
FIELD_NAMES = tuple(FIELD_SPECS)
FIELD_LABELS: Mapping[str, str] = MappingProxyType({f.name: f.label for f in FIELDS})


def fields_of_kind(kind: str) -> tuple[str, ...]:
    """The names of the fields of one kind ("single", "multi", "int", "bool"...), in order."""
    return tuple(f.name for f in FIELDS if f.kind == kind)


INT_FIELDS = fields_of_kind("int")  # duration_s, severity, fluid_ml, sleep_disturbance
SINGLE_FIELDS = fields_of_kind("single")  # side, activity, hydration, footwear, relief_effect
MULTI_FIELDS = fields_of_kind("multi")  # site, relief, context, warning_signs
BOOL_FIELDS = fields_of_kind("bool")  # footwear_tight, time_approximate
# Fields a quick log may leave out; None (or an empty list) means "not recorded".
OPTIONAL_FIELDS = tuple(f.name for f in FIELDS if f.optional)
NOT_RECORDED = "Not recorded"


def is_recorded(episode: Episode, name: str) -> bool:
    """Whether the person said something for this field (a list counts when it is not empty)."""
    value = getattr(episode, name)
    return value is not None and value != ()


def format_duration(seconds: int) -> str:
    minutes, secs = divmod(int(seconds), 60)
    if minutes >= 60:
        hours, minutes = divmod(minutes, 60)
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    return f"{secs} s"


# --------------------------------------------------------------------------- validation
# Each check returns the message for a wrong value (label included), or None when it is fine.
_Check = Callable[[FieldSpec, Any, datetime], "str | None"]


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_start(spec: FieldSpec, start: Any, now: datetime) -> str | None:
    if not isinstance(start, datetime) or start.tzinfo is None or start.utcoffset() is None:
        return f"{spec.label}: needs a date and time with a UTC offset."
    if start - now > FUTURE_TOLERANCE:
        return (
            f"{spec.label}: {start:%Y-%m-%d %H:%M} is in the future. Pick a time no later than now."
        )
    if start.year < 1900:
        return f"{spec.label}: the year must be 1900 or later."
    return None


def _check_duration(spec: FieldSpec, duration: Any, now: datetime) -> str | None:
    if not _is_int(duration):
        return f"{spec.label}: enter a whole number of seconds."
    if duration < MIN_DURATION_S:
        return f"{spec.label}: must be at least 1 second."
    if duration > MAX_DURATION_S:
        return (
            f"{spec.label}: {format_duration(duration)} is longer than 24 hours; check the minutes."
        )
    return None


def _check_int(spec: FieldSpec, value: Any, now: datetime) -> str | None:
    low, high = spec.bounds or (0, 0)
    if value is None or (_is_int(value) and low <= value <= high):
        return None
    return f"{spec.label}: {spec.hint}"


def _check_single(spec: FieldSpec, value: Any, now: datetime) -> str | None:
    vocabulary = spec.vocabulary or {}
    if value is None or value in vocabulary:
        return None
    return f"{spec.label}: '{value}' is not one of: {', '.join(vocabulary)}."


def _check_multi(spec: FieldSpec, values: Any, now: datetime) -> str | None:
    vocabulary = spec.vocabulary or {}
    if isinstance(values, str) or not isinstance(values, tuple):
        return f"{spec.label}: expected a list of choices."
    unknown = [v for v in values if v not in vocabulary]
    if unknown:
        return (
            f"{spec.label}: unknown choice(s) {', '.join(map(str, unknown))}; "
            f"allowed: {', '.join(vocabulary)}."
        )
    if len(set(values)) != len(values):
        return f"{spec.label}: a choice is listed twice."
    return None


def _check_bool(spec: FieldSpec, value: Any, now: datetime) -> str | None:
    return None if isinstance(value, bool) else f"{spec.label}: {spec.hint}"


def _check_text(spec: FieldSpec, text: Any, now: datetime) -> str | None:
    if not isinstance(text, str):
        return f"{spec.label}: {spec.hint}"
    if len(text) > MAX_NOTES_CHARS:
        return (
            f"{spec.label}: {len(text):,} characters is more than the "
            f"{MAX_NOTES_CHARS:,} allowed; shorten them."
        )
    return None


_CHECKS: Mapping[str, _Check] = MappingProxyType(
    {
        "datetime": _check_start,
        "int": _check_int,
        "single": _check_single,
        "multi": _check_multi,
        "bool": _check_bool,
        "text": _check_text,
    }
)
_SPECIAL_CHECKS: Mapping[str, _Check] = MappingProxyType({"duration_s": _check_duration})
# The order validation lists its messages in (ValidationError's text, an import's bad row),
# unchanged from earlier versions: one message per field, each field once.
_MESSAGE_ORDER = (
    "started_at",
    "duration_s",
    "severity",
    *(name for name in SINGLE_FIELDS if name != "relief_effect"),
    *MULTI_FIELDS,
    "relief_effect",
    "fluid_ml",
    *BOOL_FIELDS,
    "notes",
    "sleep_disturbance",
)
assert sorted(_MESSAGE_ORDER) == sorted(FIELD_NAMES), "every field is checked exactly once"
# (name, declaration, check, the "not recorded" value that needs no check) in message order,
# worked out once: validate runs for every imported row, so its loop does no lookups.
_NOT_RECORDED_VALUE: Mapping[str, object] = MappingProxyType(
    {"int": None, "single": None, "multi": ()}
)
_NO_SHORTCUT = object()
# Values a check accepted, by value with their exact type (so True is never taken for 1): an
# import repeats the same few codes and numbers a million times, and one lookup replaces the
# call. Only for checks that depend on the value alone (not the start: it depends on now; not
# the notes: they seldom repeat); at most _ACCEPTED_LIMIT values per field.
_ACCEPTED_KINDS = frozenset(("int", "single", "multi", "bool"))
_ACCEPTED_LIMIT = 100_000
_PLAN: tuple[tuple[str, FieldSpec, _Check, object, dict[Any, type] | None], ...] = tuple(
    (
        name,
        spec,
        _SPECIAL_CHECKS.get(name) or _CHECKS[spec.kind],
        _NO_SHORTCUT
        if name in _SPECIAL_CHECKS
        else _NOT_RECORDED_VALUE.get(spec.kind, _NO_SHORTCUT),
        {} if spec.kind in _ACCEPTED_KINDS else None,
    )
    for name, spec in ((name, FIELD_SPECS[name]) for name in _MESSAGE_ORDER)
)


def _warnings(episode: Episode) -> list[str]:
    duration = episode.duration_s
    if LONG_DURATION_S < duration <= MAX_DURATION_S:
        return [
            f"A cramp lasting {format_duration(duration)} is unusual (most last seconds to a few "
            "minutes). It is worth telling a doctor about."
        ]
    return []


def validate(episode: Episode, now: datetime | None = None) -> list[str]:
    """Check every field; raise ValidationError naming each bad one, else return warnings.

    Warnings are things worth telling the person that do not stop the save.
    """
    now = now or datetime.now().astimezone()
    errors: dict[str, str] = {}
    values = vars(episode)  # (a dict lookup is cheaper than getattr, a million times over)
    for name, spec, check, not_recorded, accepted in _PLAN:
        value = values[name]
        if value is not_recorded or (not_recorded == () and value == ()):
            continue  # nothing recorded: nothing to check
        if accepted is not None:
            try:
                if accepted.get(value) is type(value):
                    continue  # accepted before
            except TypeError:  # not hashable (a list where a tuple belongs): checked below
                accepted = None
        message = check(spec, value, now)
        if message is not None:
            errors[name] = message
        elif accepted is not None and len(accepted) < _ACCEPTED_LIMIT:
            accepted[value] = type(value)
    if errors:
        raise ValidationError(errors)
    return _warnings(episode)


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
