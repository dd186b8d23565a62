"""Validation rules: ranges and codes, each error naming its field, warnings that do not refuse."""

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tests.factories import make_episode
from tracker.diary import vocab
from tracker.diary.episode import (
    FIELD_LABELS,
    LONG_DURATION_S,
    MAX_DURATION_S,
    MAX_FLUID_ML,
    MAX_NOTES_CHARS,
    Episode,
    ValidationError,
    parse_started_at,
    validate,
)

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))

SINGLE = {
    "side": vocab.SIDES,
    "activity": vocab.ACTIVITIES,
    "hydration": vocab.HYDRATION,
    "footwear": vocab.FOOTWEAR,
}
MULTI = {
    "site": vocab.SITES,
    "relief": vocab.RELIEF,
    "context": vocab.CONTEXT,
    "warning_signs": vocab.WARNING_SIGNS,
}


def errors_of(episode) -> dict[str, str]:
    with pytest.raises(ValidationError) as info:
        validate(episode, NOW)
    for field, message in info.value.errors.items():
        assert message.startswith(FIELD_LABELS[field] + ":"), (field, message)
    return info.value.errors


def test_factory_episode_is_valid():
    assert validate(make_episode(), NOW) == []


@given(st.integers(min_value=-1000, max_value=MAX_DURATION_S * 2))
def test_duration_range_and_long_warning(seconds):
    episode = make_episode(duration_s=seconds)
    if 1 <= seconds <= MAX_DURATION_S:
        warnings = validate(episode, NOW)
        assert bool(warnings) == (seconds > LONG_DURATION_S)
        if warnings:
            assert "doctor" in warnings[0]
    else:
        assert set(errors_of(episode)) == {"duration_s"}


def test_duration_edges():
    assert validate(make_episode(duration_s=LONG_DURATION_S), NOW) == []
    assert len(validate(make_episode(duration_s=LONG_DURATION_S + 1), NOW)) == 1
    assert validate(make_episode(duration_s=1), NOW) == []
    assert "duration_s" in errors_of(make_episode(duration_s=0))
    assert "duration_s" in errors_of(make_episode(duration_s=90.5))
    assert "duration_s" in errors_of(make_episode(duration_s=True))


@given(st.integers(min_value=-50, max_value=60))
def test_severity_range(severity):
    episode = make_episode(severity=severity)
    if 0 <= severity <= 10:
        assert validate(episode, NOW) == []
    else:
        assert set(errors_of(episode)) == {"severity"}


def test_severity_rejects_bool_and_float():
    assert "severity" in errors_of(make_episode(severity=True))
    assert "severity" in errors_of(make_episode(severity=5.0))


@given(st.sampled_from(sorted(SINGLE)), st.text(max_size=20))
def test_single_codes(field, value):
    episode = make_episode(**{field: value})
    if value in SINGLE[field]:
        assert validate(episode, NOW) == []
    else:
        errors = errors_of(episode)
        assert set(errors) == {field}


@given(st.data())
def test_multi_codes_known_are_accepted(data):
    field = data.draw(st.sampled_from(sorted(MULTI)))
    codes = data.draw(st.lists(st.sampled_from(list(MULTI[field])), unique=True, min_size=1))
    assert validate(make_episode(**{field: tuple(codes)}), NOW) == []


@given(st.data())
def test_multi_codes_unknown_are_refused(data):
    field = data.draw(st.sampled_from(sorted(MULTI)))
    known = data.draw(st.lists(st.sampled_from(list(MULTI[field])), unique=True))
    unknown = data.draw(st.text(min_size=1, max_size=12))
    assume(unknown not in MULTI[field])
    errors = errors_of(make_episode(**{field: (*known, unknown)}))
    assert set(errors) == {field}
    assert unknown in errors[field]


def test_multi_codes_shape():
    assert "site" in errors_of(make_episode(site="calf"))
    assert "relief" in errors_of(make_episode(relief=["massage"]))
    assert "context" in errors_of(make_episode(context=("cold", "cold")))


@given(st.sampled_from([None, *vocab.RELIEF_EFFECT]) | st.text(max_size=8))
def test_relief_effect(value):
    episode = make_episode(relief=("massage",), relief_effect=value)
    if value is None or value in vocab.RELIEF_EFFECT:
        assert validate(episode, NOW) == []
    else:
        assert set(errors_of(episode)) == {"relief_effect"}


@given(st.none() | st.integers(min_value=-500, max_value=MAX_FLUID_ML + 500))
def test_fluid_range(ml):
    episode = make_episode(fluid_ml=ml)
    if ml is None or 0 <= ml <= MAX_FLUID_ML:
        assert validate(episode, NOW) == []
    else:
        assert set(errors_of(episode)) == {"fluid_ml"}


def test_footwear_tight_must_be_bool():
    assert validate(make_episode(footwear_tight=True), NOW) == []
    assert "footwear_tight" in errors_of(make_episode(footwear_tight="yes"))


@given(st.integers(min_value=-3 * 24 * 3600, max_value=3600))
def test_future_start_more_than_five_minutes_refused(offset_s):
    episode = make_episode(started_at=NOW + timedelta(seconds=offset_s))
    if offset_s <= 300:
        assert validate(episode, NOW) == []
    else:
        errors = errors_of(episode)
        assert set(errors) == {"started_at"}
        assert "future" in errors["started_at"]


@given(st.integers(min_value=-14 * 60, max_value=14 * 60))
def test_future_check_uses_the_instant_not_the_wall_clock(offset_min):
    """The same instant written in any zone is judged the same."""
    zone = timezone(timedelta(minutes=offset_min))
    assert validate(make_episode(started_at=NOW.astimezone(zone)), NOW) == []
    later = (NOW + timedelta(minutes=6)).astimezone(zone)
    assert "started_at" in errors_of(make_episode(started_at=later))


def test_start_needs_an_offset():
    assert "started_at" in errors_of(make_episode(started_at=datetime(2026, 3, 1, 2, 0)))
    assert "started_at" in errors_of(make_episode(started_at="2026-03-01T02:00:00+01:00"))


def test_notes_long_accepted_and_over_max_refused():
    assert validate(make_episode(notes="é🦶 note " * 2_500), NOW) == []  # 22,500 chars
    assert validate(make_episode(notes="x" * MAX_NOTES_CHARS), NOW) == []
    errors = errors_of(make_episode(notes="x" * (MAX_NOTES_CHARS + 1)))
    assert set(errors) == {"notes"}
    assert "notes" in errors_of(make_episode(notes=None))


def test_every_bad_field_reported_at_once():
    errors = errors_of(
        make_episode(duration_s=0, severity=11, side="middle", site=("knee",), fluid_ml=-1)
    )
    assert set(errors) == {"duration_s", "severity", "side", "site", "fluid_ml"}


@given(
    st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2100, 1, 1)),
    st.integers(min_value=-14 * 60, max_value=14 * 60),
)
def test_parse_started_at_round_trip(moment, offset_min):
    value = moment.replace(microsecond=0, tzinfo=timezone(timedelta(minutes=offset_min)))
    assert parse_started_at(value.isoformat()) == value
    assert parse_started_at(value.isoformat()).utcoffset() == value.utcoffset()


@pytest.mark.parametrize("text", ["", "yesterday", "2026-03-29 02:30", "2026-13-01T00:00+01:00"])
def test_parse_started_at_refuses(text):
    with pytest.raises(ValidationError) as info:
        parse_started_at(text)
    assert set(info.value.errors) == {"started_at"}
    assert info.value.errors["started_at"].startswith("Start:")


def test_only_time_and_duration_are_required():
    """A quick log: every descriptive field "not recorded" is valid."""
    from tracker.diary.episode import OPTIONAL_FIELDS, is_recorded

    bare = Episode(started_at=NOW - timedelta(hours=1), duration_s=30)
    assert validate(bare, NOW) == []
    assert not any(is_recorded(bare, name) for name in OPTIONAL_FIELDS)
    assert errors_of(bare.replace(severity=11)) and errors_of(bare.replace(side="middle"))
    assert "time_approximate" in errors_of(bare.replace(time_approximate="yes"))


def test_multi_values_join_and_split_with_one_separator():
    from tracker.diary.vocab import MULTI_SEPARATOR, join_multi, split_multi

    assert join_multi(("calf", "sole")) == f"calf{MULTI_SEPARATOR}sole" == "calf;sole"
    assert split_multi("calf;sole") == ("calf", "sole")
    assert split_multi("") == split_multi(None) == split_multi(";;") == ()
    assert split_multi(join_multi(())) == ()


def test_field_declaration_is_the_one_list_the_others_derive_from():
    import dataclasses

    from tracker.diary.episode import (
        FIELD_NAMES,
        FIELDS,
        MULTI_FIELDS,
        OPTIONAL_FIELDS,
        Episode,
    )

    stored = [f.name for f in dataclasses.fields(Episode)]
    assert sorted(FIELD_NAMES) == sorted(
        n for n in stored if n not in ("id", "created_at", "updated_at", "uid")
    )
    assert OPTIONAL_FIELDS == ("side", "site", "severity", "activity", "hydration", "footwear")
    assert MULTI_FIELDS == ("site", "relief", "context", "warning_signs")
    assert all(f.vocabulary for f in FIELDS if f.kind in ("single", "multi"))
    assert [f.name for f in FIELDS if f.required] == ["started_at", "duration_s"]
