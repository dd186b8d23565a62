"""Building valid episodes for tests with only the fields a test cares about."""

from datetime import datetime, timedelta, timezone

from tracker.diary.episode import Episode

TZ = timezone(timedelta(hours=1))


def make_episode(**overrides) -> Episode:
    values = dict(
        started_at=datetime(2026, 3, 10, 2, 30, tzinfo=TZ),
        duration_s=90,
        side="left",
        site=("big_toe",),
        severity=6,
        activity="in_bed",
        hydration="normal",
        footwear="barefoot",
    )
    values.update(overrides)
    return Episode(**values)
