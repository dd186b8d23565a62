"""Hypothesis strategies for valid episodes with every field varied (shared by export tests)."""

from datetime import datetime, timedelta, timezone

from hypothesis import strategies as st

from tracker.diary import vocab
from tracker.diary.episode import Episode

TRICKY_NOTES = st.sampled_from(
    [
        "",
        "=SUM(A1:A3)",
        "+1",
        "-2",
        "@cmd",
        "\tindented",
        "\rcarriage",
        "\nnewline first",
        "'quoted already",
        "''=both",
        'comma, "quotes" and\nnewlines\r\n',
        "emoji 🦶💧 and ünïcödé",
        ";semi;colons;",
        "x" * 2000,
    ]
)
NOTES = st.one_of(
    TRICKY_NOTES,
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=200),
    st.builds(lambda a, b: a + b, TRICKY_NOTES, st.text(max_size=30)),
)


def _subset(vocabulary, min_size=0):
    return st.lists(
        st.sampled_from(list(vocabulary)), min_size=min_size, unique=True, max_size=4
    ).map(tuple)


OFFSETS = st.integers(-12 * 4, 14 * 4).map(lambda q: timezone(timedelta(minutes=15 * q)))
STARTS = st.builds(
    lambda naive, tz: naive.replace(tzinfo=tz),
    st.datetimes(datetime(1990, 1, 1), datetime(2025, 12, 31)).map(
        lambda d: d.replace(microsecond=0)
    ),
    OFFSETS,
)

episodes = st.builds(
    Episode,
    started_at=STARTS,
    duration_s=st.integers(1, 24 * 3600),
    # None / () is "not recorded": every descriptive field may be left out.
    side=st.none() | st.sampled_from(list(vocab.SIDES)),
    site=_subset(vocab.SITES),
    severity=st.none() | st.integers(0, 10),
    activity=st.none() | st.sampled_from(list(vocab.ACTIVITIES)),
    hydration=st.none() | st.sampled_from(list(vocab.HYDRATION)),
    footwear=st.none() | st.sampled_from(list(vocab.FOOTWEAR)),
    fluid_ml=st.none() | st.integers(0, 20_000),
    footwear_tight=st.booleans(),
    relief=_subset(vocab.RELIEF),
    relief_effect=st.none() | st.sampled_from(list(vocab.RELIEF_EFFECT)),
    context=_subset(vocab.CONTEXT),
    warning_signs=_subset(vocab.WARNING_SIGNS),
    notes=NOTES,
    time_approximate=st.booleans(),
    sleep_disturbance=st.none() | st.integers(0, 10),
)


def unique_episodes(max_size=8):
    """Lists with no two episodes at the same instant and duration (those are duplicates)."""
    return st.lists(
        episodes,
        min_size=1,
        max_size=max_size,
        unique_by=lambda e: (int(e.started_at.timestamp()), e.duration_s),
    )
