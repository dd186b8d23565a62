"""Demo data is reproducible, valid, and has the patterns the app is meant to find."""

import os
import subprocess
import sys
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from tracker import demo
from tracker.episode import LONG_DURATION_S, validate

ROOT = Path(__file__).resolve().parents[2]
UNTIL = date(2026, 6, 1)


@pytest.fixture(scope="module")
def episodes():
    return list(demo.generate(4000, seed=7, until=UNTIL))


def test_same_seed_same_data_and_other_seed_differs(episodes):
    again = list(demo.generate(4000, seed=7, until=UNTIL))
    assert again == episodes
    assert [e.started_at.isoformat() for e in again] == [e.started_at.isoformat() for e in episodes]
    assert list(demo.generate(4000, seed=8, until=UNTIL)) != episodes


def test_every_episode_valid(episodes):
    now = datetime.combine(UNTIL, datetime.min.time()).astimezone()
    long_ones = sum(bool(validate(e, now)) for e in episodes)
    assert 0 < long_ones == sum(e.duration_s > LONG_DURATION_S for e in episodes)


def test_spread_over_two_years_oldest_first_with_rising_trend(episodes):
    starts = [e.started_at for e in episodes]
    assert starts[0].date() >= UNTIL - timedelta(days=demo.SPAN_DAYS)
    assert starts[-1].date() < UNTIL
    assert (starts[-1] - starts[0]).days > 700
    days = [(UNTIL - s.date()).days for s in starts]
    first_year = sum(d > 365 for d in days)
    assert first_year < len(days) - first_year  # more recently than a year ago


def test_night_cramps_most_common_but_spread_over_the_day(episodes):
    hours = Counter(e.started_at.hour for e in episodes)
    night = sum(hours[h] for h in (0, 1, 2, 3, 4, 5))
    assert night > 0.3 * len(episodes)
    assert len(hours) == 24
    activities = Counter(e.activity for e in episodes)
    assert activities.most_common(1)[0][0] == "in_bed"
    assert len(activities) == 8


def test_hydration_footwear_correlations(episodes):
    def share_under(activity):
        group = [e for e in episodes if e.activity == activity]
        return sum(e.hydration == "under" for e in group) / len(group)

    assert share_under("after_exercise") > share_under("resting") + 0.15
    assert Counter(e.hydration for e in episodes)["under"] > 0.25 * len(episodes)
    heels = [e for e in episodes if e.footwear == "high_heels"]
    assert heels and sum(e.footwear_tight for e in heels) > 0.3 * len(heels)
    assert not any(e.footwear_tight for e in episodes if e.footwear == "barefoot")
    in_bed = {e.footwear for e in episodes if e.activity == "in_bed"}
    assert in_bed == {"barefoot", "socks_slippers"}


def test_durations_severities_and_extras(episodes):
    durations = sorted(e.duration_s for e in episodes)
    in_range = sum(20 <= d <= 300 for d in durations)
    assert in_range > 0.9 * len(durations)
    assert 0 < sum(d > 600 for d in durations) < 0.05 * len(durations)
    assert {e.severity for e in episodes} == set(range(2, 10))
    warned = sum(bool(e.warning_signs) for e in episodes)
    assert 0 < warned < 0.08 * len(episodes)
    assert sum(bool(e.relief) for e in episodes) == len(episodes)
    assert {e.relief_effect for e in episodes} == {"yes", "partly", "no", None}
    noted = sum(bool(e.notes) for e in episodes)
    assert 0.05 * len(episodes) < noted < 0.25 * len(episodes)
    assert sum(e.fluid_ml is not None for e in episodes) > 0.3 * len(episodes)


def test_local_offsets_follow_daylight_saving():
    """With a DST zone the offset differs between winter and summer episodes."""
    code = (
        "from datetime import date\n"
        "from tracker import demo\n"
        "eps = demo.generate(600, 3, date(2026, 6, 1))\n"
        "print(sorted({e.started_at.strftime('%z') for e in eps}))\n"
    )
    env = {**os.environ, "TZ": "Europe/Berlin"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "['+0100', '+0200']"
