"""Fill a database quickly with plausible episodes for the Patterns benchmark and screenshots.

Rows go in with one ``executemany`` in one transaction: 100,000 episodes take about a second,
where saving them one by one through ``Store.add_episode`` would take minutes. The data has the
shape a real diary might have (mostly at night in bed, some after exercise in tight shoes,
fewer cramps lately) so that the charts and findings have something to show.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from tracker.store import Store

ZONE = ZoneInfo("Europe/Berlin")

_COLUMNS = (
    "started_at, start_utc, duration_s, side, site, severity, activity, hydration, fluid_ml, "
    "footwear, footwear_tight, relief, relief_effect, context, warning_signs, notes, "
    "created_at, updated_at"
)

_DAY_ACTIVITIES = (
    ("exercising", 18),
    ("after_exercise", 14),
    ("resting", 18),
    ("standing", 16),
    ("walking", 16),
    ("driving", 8),
    ("other", 4),
    ("in_bed", 6),
)
_DAY_FOOTWEAR = (
    ("flat", 30),
    ("athletic", 20),
    ("dress", 10),
    ("high_heels", 8),
    ("boots", 8),
    ("sandals", 8),
    ("socks_slippers", 10),
    ("barefoot", 6),
)
_SITES = (
    ("big_toe", 22),
    ("toes", 16),
    ("second_toe", 6),
    ("little_toe", 5),
    ("sole", 18),
    ("calf", 22),
    ("top_of_foot", 4),
    ("ankle", 4),
    ("other", 3),
)
_RELIEF_HELP = {  # chance of yes / partly; the rest is "no"
    "stretching": (0.6, 0.3),
    "pulling_toes": (0.55, 0.3),
    "massage": (0.35, 0.4),
    "walking": (0.4, 0.35),
    "heat": (0.25, 0.35),
    "cold": (0.2, 0.3),
    "drink": (0.1, 0.3),
    "pain_medicine": (0.15, 0.3),
}


def _pick(rng: random.Random, weighted) -> str:
    codes, weights = zip(*weighted, strict=True)
    return rng.choices(codes, weights)[0]


def _episode_row(rng: random.Random, day: date, stamp: str) -> tuple:
    night = rng.random() < 0.58
    if night:
        hour = rng.choice((22, 23, 23, 0, 1, 1, 2, 2, 3, 3, 4, 5))
        activity = "in_bed" if rng.random() < 0.85 else "resting"
        footwear = "barefoot" if rng.random() < 0.7 else "socks_slippers"
    else:
        hour = rng.choice(range(6, 22))
        activity = _pick(rng, _DAY_ACTIVITIES)
        footwear = "athletic" if activity in ("exercising", "after_exercise") else None
        footwear = footwear or _pick(rng, _DAY_FOOTWEAR)
    if activity == "in_bed" and footwear not in ("barefoot", "socks_slippers"):
        footwear = "barefoot"
    tight_chance = {"high_heels": 0.6, "dress": 0.45, "boots": 0.3, "athletic": 0.2}
    tight = rng.random() < tight_chance.get(footwear, 0.03)
    local = datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60))
    local = local.replace(tzinfo=ZONE)
    started = datetime.fromtimestamp(local.timestamp(), ZONE)  # normalise DST gaps
    hydration = _pick(rng, (("under", 30), ("normal", 50), ("well", 20)))
    severity = max(0, min(10, round(rng.gauss(5.5 if night else 4.5, 2))))
    duration = max(3, min(3600, int(rng.lognormvariate(4.1, 0.8))))
    sites = [_pick(rng, _SITES)]
    if rng.random() < 0.15:
        second = _pick(rng, _SITES)
        if second not in sites:
            sites.append(second)
    side = _pick(rng, (("left", 45), ("right", 40), ("both", 15)))
    relief, effect = (), None
    if rng.random() < 0.85:
        relief = tuple(rng.sample(sorted(_RELIEF_HELP), rng.choice((1, 1, 2))))
        yes, partly = _RELIEF_HELP[relief[0]]
        roll = rng.random()
        effect = "yes" if roll < yes else "partly" if roll < yes + partly else "no"
    fluid = rng.choice((None, None, 500, 750, 1000, 1500, 2000))
    return (
        started.isoformat(),
        int(started.timestamp()),
        duration,
        side,
        ";".join(sites),
        severity,
        activity,
        hydration,
        fluid,
        footwear,
        int(tight),
        ";".join(relief),
        effect,
        "",
        "",
        "",
        stamp,
        stamp,
    )


def fill(store: Store, episodes: int, *, days: int = 365, seed: int = 1, today=None) -> None:
    """Add ``episodes`` random episodes over the ``days`` up to ``today``, fewer lately."""
    rng = random.Random(seed)
    today = today or date.today()
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    rows = []
    for _ in range(episodes):
        # Density falls towards today (triangular, mode at the oldest day): "getting better".
        back = int(rng.triangular(0, days, days))
        rows.append(_episode_row(rng, today - timedelta(days=min(back, days - 1)), stamp))
    with store.transaction() as conn:
        conn.executemany(f"INSERT INTO episode ({_COLUMNS}) VALUES ({', '.join('?' * 18)})", rows)
