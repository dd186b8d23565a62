"""Demo data is reproducible, valid, and has the patterns the app is meant to find."""

import os
import subprocess
import sys
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from tracker.diary import demo
from tracker.diary.episode import LONG_DURATION_S, OPTIONAL_FIELDS, is_recorded, validate

ROOT = Path(__file__).resolve().parents[3]
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
    activities = Counter(e.activity for e in episodes if e.activity)
    assert activities.most_common(1)[0][0] == "in_bed"
    assert len(activities) == 8


def test_hydration_footwear_correlations(episodes):
    def share_under(activity):
        group = [e for e in episodes if e.activity == activity and e.hydration]
        return sum(e.hydration == "under" for e in group) / len(group)

    assert share_under("after_exercise") > share_under("resting") + 0.15
    rated = [e.hydration for e in episodes if e.hydration]
    assert Counter(rated)["under"] > 0.25 * len(rated)
    heels = [e for e in episodes if e.footwear == "high_heels"]
    assert heels and sum(e.footwear_tight for e in heels) > 0.3 * len(heels)
    assert not any(e.footwear_tight for e in episodes if e.footwear == "barefoot")
    in_bed = {e.footwear for e in episodes if e.activity == "in_bed" and e.footwear}
    assert in_bed == {"barefoot", "socks_slippers"}


def test_durations_severities_and_extras(episodes):
    durations = sorted(e.duration_s for e in episodes)
    in_range = sum(20 <= d <= 300 for d in durations)
    assert in_range > 0.9 * len(durations)
    assert 0 < sum(d > 600 for d in durations) < 0.05 * len(durations)
    assert {e.severity for e in episodes} == {*range(2, 10), None}
    warned = sum(bool(e.warning_signs) for e in episodes)
    assert 0 < warned < 0.08 * len(episodes)
    full = [e for e in episodes if all(is_recorded(e, n) for n in OPTIONAL_FIELDS)]
    assert all(e.relief for e in full)  # a full log always says what was tried
    assert {e.relief_effect for e in episodes} == {"yes", "partly", "no", None}
    noted = sum(bool(e.notes) for e in episodes)
    assert 0.05 * len(episodes) < noted < 0.25 * len(episodes)
    assert sum(e.fluid_ml is not None for e in episodes) > 0.25 * len(episodes)


def _recorded(episode):
    return [name for name in OPTIONAL_FIELDS if is_recorded(episode, name)]


def test_about_a_third_are_quick_logs_with_fields_not_recorded(episodes):
    quick = [e for e in episodes if len(_recorded(e)) < len(OPTIONAL_FIELDS)]
    assert 0.25 * len(episodes) < len(quick) < 0.35 * len(episodes)
    assert sum(len(_recorded(e)) <= 3 for e in quick) > 0.85 * len(quick)  # a few fields
    assert any(not _recorded(e) for e in quick)  # some only have the time and duration
    for name in OPTIONAL_FIELDS:
        share = sum(not is_recorded(e, name) for e in episodes) / len(episodes)
        assert 0.1 < share < 0.3, name
    assert all(e.fluid_ml is None and e.context == () and not e.notes for e in quick)
    assert not any(e.footwear_tight for e in episodes if e.footwear is None)


def test_approximate_times_are_night_quick_logs_on_the_half_hour(episodes):
    approximate = [e for e in episodes if e.time_approximate]
    assert 0.05 * len(episodes) < len(approximate) < 0.15 * len(episodes)
    assert all(e.started_at.minute in (0, 30) and e.started_at.second == 0 for e in approximate)
    assert all(len(_recorded(e)) < len(OPTIONAL_FIELDS) for e in approximate)
    assert all(e.activity in ("in_bed", None) for e in approximate)


def test_quick_logs_only_leave_out_what_the_full_episode_said(monkeypatch, episodes):
    monkeypatch.setattr(demo, "QUICK_LOG_SHARE", 0.0)
    full = list(demo.generate(4000, seed=7, until=UNTIL))
    assert all(len(_recorded(e)) == len(OPTIONAL_FIELDS) for e in full)
    assert not any(e.time_approximate for e in full)
    for quick, whole in zip(episodes, full, strict=True):
        for name in OPTIONAL_FIELDS:
            assert getattr(quick, name) in (getattr(whole, name), None, ())
        assert quick.duration_s == whole.duration_s
        assert quick.warning_signs == whole.warning_signs  # never dropped
        assert quick.started_at.replace(minute=0, second=0) == whole.started_at.replace(
            minute=0, second=0
        )


def test_local_offsets_follow_daylight_saving():
    """With a DST zone the offset differs between winter and summer episodes."""
    code = (
        "from datetime import date\n"
        "from tracker.diary import demo\n"
        "eps = demo.generate(600, 3, date(2026, 6, 1))\n"
        "print(sorted({e.started_at.strftime('%z') for e in eps}))\n"
    )
    env = {**os.environ, "TZ": "Europe/Berlin"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "['+0100', '+0200']"
