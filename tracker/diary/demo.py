"""Realistic, reproducible demo episodes, so every feature can be shown and measured.

The same seed and end date always give the same episodes. The patterns are the ones the
articles describe, so charts and insights have something true to find: cramps mostly at night
in bed, more often when under-hydrated or just after exercise, some in tight or high-heeled
shoes, mostly lasting seconds to a few minutes, slowly becoming more frequent over two years.

About a third are quick logs, as people really write them at 3 a.m. or the next morning: the
time and the duration plus a few fields, the rest "not recorded", and for night cramps often an
approximate time. Which episodes are quick logs is drawn from a second random stream, so the
fully recorded fields are the same as they would be without quick logs.
"""

from __future__ import annotations

import math
import os
import random
from bisect import bisect
from collections.abc import Iterator, Mapping
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from tracker.diary.episode import MULTI_FIELDS, OPTIONAL_FIELDS, Episode

if TYPE_CHECKING:
    from tracker.store import Store

SPAN_DAYS = 730

# activity at onset -> weight; night cramps dominate
ACTIVITY_WEIGHTS = {
    "in_bed": 46,
    "resting": 13,
    "standing": 8,
    "walking": 7,
    "exercising": 6,
    "after_exercise": 10,
    "driving": 5,
    "other": 5,
}

# activity -> (hour -> weight) for the local hour the cramp started
_NIGHT = {22: 3, 23: 6, 0: 9, 1: 11, 2: 13, 3: 13, 4: 11, 5: 8, 6: 5, 7: 2}
HOUR_WEIGHTS = {
    "in_bed": _NIGHT,
    "resting": {12: 1, 13: 2, 14: 2, 15: 2, 16: 2, 17: 3, 18: 4, 19: 5, 20: 6, 21: 6, 22: 4},
    "standing": {h: 3 if 9 <= h <= 17 else 1 for h in range(7, 21)},
    "walking": {h: 3 if 11 <= h <= 18 else 1 for h in range(7, 22)},
    "exercising": {6: 2, 7: 3, 8: 2, 12: 1, 17: 3, 18: 4, 19: 3, 20: 1},
    "after_exercise": {7: 2, 8: 3, 9: 2, 13: 1, 18: 3, 19: 4, 20: 3, 21: 2},
    "driving": {7: 2, 8: 3, 9: 1, 12: 1, 16: 2, 17: 3, 18: 2, 21: 1},
    "other": {h: 1 for h in range(7, 23)},
}

# activity -> footwear weights
FOOTWEAR_WEIGHTS = {
    "in_bed": {"barefoot": 62, "socks_slippers": 38},
    "resting": {
        "socks_slippers": 40,
        "barefoot": 28,
        "flat": 18,
        "dress": 5,
        "high_heels": 4,
        "sandals": 5,
    },
    "standing": {
        "flat": 30,
        "dress": 16,
        "high_heels": 14,
        "boots": 10,
        "athletic": 12,
        "sandals": 10,
        "barefoot": 8,
    },
    "walking": {
        "athletic": 30,
        "flat": 26,
        "boots": 12,
        "dress": 10,
        "high_heels": 10,
        "sandals": 12,
    },
    "exercising": {"athletic": 86, "barefoot": 10, "sandals": 4},
    "after_exercise": {"athletic": 50, "socks_slippers": 26, "barefoot": 20, "sandals": 4},
    "driving": {
        "flat": 36,
        "dress": 20,
        "boots": 14,
        "athletic": 16,
        "high_heels": 8,
        "sandals": 6,
    },
    "other": {"flat": 30, "barefoot": 20, "socks_slippers": 20, "athletic": 15, "boots": 15},
}
TIGHT_CHANCE = {"high_heels": 0.5, "dress": 0.3, "boots": 0.2, "athletic": 0.1, "flat": 0.08}

# activity -> hydration weights (well, normal, under): exercise leaves people under-hydrated
HYDRATION_WEIGHTS = {
    "exercising": (10, 35, 55),
    "after_exercise": (8, 32, 60),
    "in_bed": (15, 50, 35),
}
DEFAULT_HYDRATION = (20, 52, 28)
FLUID_RANGE = {"under": (200, 1200), "normal": (900, 2000), "well": (1800, 3200)}

SITE_WEIGHTS = {
    "big_toe": 20, "toes": 17, "sole": 18, "calf": 20, "second_toe": 5, "third_toe": 3,
    "fourth_toe": 3, "little_toe": 5, "top_of_foot": 4, "ankle": 3, "other": 2,
}  # fmt: skip
RELIEF_BY_SITE = {
    "calf": {
        "stretching": 40,
        "walking": 25,
        "massage": 20,
        "heat": 8,
        "pain_medicine": 3,
        "drink": 4,
    },
    "toes": {
        "pulling_toes": 40,
        "stretching": 20,
        "massage": 18,
        "walking": 10,
        "cold": 8,
        "drink": 4,
    },
    "foot": {"stretching": 30, "massage": 28, "walking": 18, "cold": 10, "heat": 8, "drink": 6},
}
CONTEXT_BY_ACTIVITY = {
    "in_bed": {"poor_sleep": 0.15, "cold": 0.12, "alcohol": 0.05},
    "resting": {"long_sitting_standing": 0.3, "crossed_legs": 0.2},
    "standing": {"long_sitting_standing": 0.45},
    "exercising": {"hard_exercise": 0.6},
    "after_exercise": {"hard_exercise": 0.65},
    "driving": {"long_sitting_standing": 0.5},
}
ANY_CONTEXT = {"stress": 0.07, "missed_meals": 0.04, "new_medicine": 0.015}

QUICK_LOG_SHARE = 0.3
# field -> chance a quick log still records it (the rest are left "not recorded")
QUICK_KEEP = {
    "side": 0.5,
    "site": 0.45,
    "severity": 0.55,
    "activity": 0.3,
    "hydration": 0.1,
    "footwear": 0.15,
}
# a quick log of a night cramp written down the next morning: "around 3"
APPROXIMATE_CHANCE = 0.5

NOTES = (
    "Woke me up; had to stand on the cold floor before it let go.",
    "Toe curled under and locked for a while.",
    "Happened right after the long run. Forgot my water bottle.",
    "Calf knot still sore the next morning.",
    "New shoes, a size too small I think.",
    "Wore heels all evening at the wedding.",
    "Drank an electrolyte drink afterwards, seemed to help.",
    "Second one tonight.",
    "Long drive, foot on the pedal for 3 hours.",
    "Only about 50% as bad as last week.",
    "Stretched the toes back (pull_toes trick from the physio) and it eased.",
    "Had a glass of wine with dinner.",
    "Pulled my toes back; massaged the arch. Much better after ~2 min.",
    "Crampe au gros orteil, très douloureuse 😣",
    "Mentioned this to the GP; she said to keep logging.",
    "Hot day, barely drank anything before 4 pm.",
)
LONG_NOTE = (
    "Long night. The cramp started in the arch and spread to the toes; I got up, walked around "
    "the kitchen and stretched against the wall. It came back twice. "
)


class _Weighted:
    """A fixed weighted choice, precomputed so drawing 100,000 times stays fast."""

    def __init__(self, weights: Mapping[Any, float]):
        self.keys = list(weights)
        self.cum = list(accumulate(weights.values()))
        self.total = self.cum[-1]

    def draw(self, rng: random.Random) -> Any:
        return self.keys[bisect(self.cum, rng.random() * self.total)]


_ACTIVITY = _Weighted(ACTIVITY_WEIGHTS)
_HOURS = {a: _Weighted(w) for a, w in HOUR_WEIGHTS.items()}
_FOOTWEAR = {a: _Weighted(w) for a, w in FOOTWEAR_WEIGHTS.items()}
_SITES = _Weighted(SITE_WEIGHTS)
_RELIEF = {k: _Weighted(w) for k, w in RELIEF_BY_SITE.items()}
_HYDRATION = {
    a: _Weighted(dict(zip(("well", "normal", "under"), w, strict=True)))
    for a, w in {**{a: DEFAULT_HYDRATION for a in ACTIVITY_WEIGHTS}, **HYDRATION_WEIGHTS}.items()
}
_SITE_ORDER = {code: i for i, code in enumerate(SITE_WEIGHTS)}
_SIDE = _Weighted({"left": 42, "right": 40, "both": 18})
_EFFECT = _Weighted({"yes": 55, "partly": 30, "no": 10, None: 5})
_SIGN = _Weighted(
    {
        "numbness": 30,
        "swelling": 25,
        "hard_to_walk": 30,
        "discolouration": 10,
        "fever": 2,
        "visible_injury": 3,
    }
)


def _day_weights() -> list[float]:
    """Slowly more cramps over two years, and a few more in summer (heat, sweating)."""
    return [
        (0.6 + 0.8 * d / SPAN_DAYS) * (1 + 0.2 * math.cos(2 * math.pi * (d - 190) / 365))
        for d in range(SPAN_DAYS)
    ]


def _duration(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.015:
        return rng.randint(601, 1800)  # the rare long cramp worth telling a doctor about
    if roll < 0.04:
        return rng.randint(300, 600)
    while True:
        seconds = int(math.exp(rng.gauss(math.log(75), 0.75)))
        if 20 <= seconds <= 300:
            return seconds


def _sites(rng: random.Random) -> tuple[str, ...]:
    count = 1 if rng.random() < 0.78 else (2 if rng.random() < 0.85 else 3)
    chosen = {_SITES.draw(rng) for _ in range(count)}
    return tuple(sorted(chosen, key=_SITE_ORDER.__getitem__))


def _relief(rng: random.Random, sites: tuple[str, ...], activity: str) -> tuple[str, ...]:
    if rng.random() < 0.07:
        return ("nothing",)
    if "calf" in sites:
        table = _RELIEF["calf"]
    elif any(s.endswith("toe") or s == "toes" for s in sites):
        table = _RELIEF["toes"]
    else:
        table = _RELIEF["foot"]
    chosen = {table.draw(rng) for _ in range(1 if rng.random() < 0.6 else 2)}
    if activity == "in_bed" and rng.random() < 0.15:
        chosen.add("cold")  # standing on a cold floor at night
    return tuple(sorted(chosen))


def _context(rng: random.Random, activity: str, hour: int) -> tuple[str, ...]:
    chances = {**CONTEXT_BY_ACTIVITY.get(activity, {}), **ANY_CONTEXT}
    if hour >= 19 and "alcohol" not in chances:
        chances["alcohol"] = 0.04
    return tuple(code for code, p in sorted(chances.items()) if rng.random() < p)


def _warning_signs(rng: random.Random, duration: int) -> tuple[str, ...]:
    chance = 0.15 if duration > 600 else 0.02
    if rng.random() >= chance:
        return ()
    return (_SIGN.draw(rng),)


def _notes(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.002:
        return LONG_NOTE * rng.randint(10, 40)
    if roll < 0.12:
        return rng.choice(NOTES)
    return ""


def _local(day: date, hour: int, rng: random.Random) -> datetime:
    """Wall-clock time in the machine's zone; astimezone() picks that day's offset (DST)."""
    naive = datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)))
    return naive.astimezone()


def _quick_log(episode: Episode, rng: random.Random) -> Episode:
    """What a hurried entry keeps of the full episode: time, duration and a few fields."""
    dropped: dict[str, object] = {
        name: () if name in MULTI_FIELDS else None  # "not recorded"
        for name in OPTIONAL_FIELDS
        if rng.random() >= QUICK_KEEP[name]
    }
    changes = {**dropped, "fluid_ml": None, "context": (), "notes": ""}
    if "footwear" in dropped:
        changes["footwear_tight"] = False
    if rng.random() < 0.6:
        changes.update(relief=(), relief_effect=None)
    if episode.activity == "in_bed" and rng.random() < APPROXIMATE_CHANCE:
        start = episode.started_at
        changes["started_at"] = start.replace(minute=30 * (start.minute >= 30), second=0)
        changes["time_approximate"] = True
    return episode.replace(**changes)


def generate(count: int, seed: int = 1, until: date | None = None) -> Iterator[Episode]:
    """``count`` episodes over the ~2 years before ``until`` (default today), oldest first."""
    rng = random.Random(seed)
    quick_rng = random.Random(f"quick logs {seed}")  # its own stream: see the module docstring
    until = until or date.today()
    first = until - timedelta(days=SPAN_DAYS)
    day_cum = list(accumulate(_day_weights()))
    days = sorted(bisect(day_cum, rng.random() * day_cum[-1]) for _ in range(count))
    for d in days:
        activity = _ACTIVITY.draw(rng)
        hour = _HOURS[activity].draw(rng)
        footwear = _FOOTWEAR[activity].draw(rng)
        hydration = _HYDRATION[activity].draw(rng)
        duration = _duration(rng)
        severity = 3 + 1.3 * math.log(duration / 40) + rng.gauss(0, 1.2)
        severity += 0.6 if hydration == "under" else 0
        severity += 0.4 if activity == "in_bed" else 0
        sites = _sites(rng)
        relief = _relief(rng, sites, activity)
        if relief == ("nothing",):
            effect = None
        else:
            effect = _EFFECT.draw(rng)
        fluid = None
        if rng.random() < 0.45:
            low, high = FLUID_RANGE[hydration]
            fluid = rng.randrange(low, high + 1, 50)
        episode = Episode(
            started_at=_local(first + timedelta(days=d), hour, rng),
            duration_s=duration,
            side=_SIDE.draw(rng),
            site=sites,
            severity=min(9, max(2, round(severity))),
            activity=activity,
            hydration=hydration,
            footwear=footwear,
            fluid_ml=fluid,
            footwear_tight=rng.random() < TIGHT_CHANCE.get(footwear, 0.0),
            relief=relief,
            relief_effect=effect,
            context=_context(rng, activity, hour),
            warning_signs=_warning_signs(rng, duration),
            notes=_notes(rng),
        )
        if quick_rng.random() < QUICK_LOG_SHARE:
            episode = _quick_log(episode, quick_rng)
        yield episode


EXAMPLE_EPISODES = 400


def create_example_diary(
    path: str | os.PathLike[str], count: int = EXAMPLE_EPISODES, until: date | None = None
) -> Store:
    """A fresh example diary at ``path``, returned open (a tracker.store.Store).

    For "Explore with example data": a file of its own, never the person's diary. An example
    made earlier is replaced, so its two years always end yesterday. Raises StoreError (e.g.
    DatabaseLockedError when another copy of the app shows it) or OSError.
    """
    from pathlib import Path

    from tracker.store import SIDE_SUFFIXES, DatabaseLockedError, Store, StoreError

    path = Path(path)
    if path.exists():
        try:
            Store.open(path).close()  # refuses while another copy has it open
        except DatabaseLockedError:
            raise
        except StoreError:
            pass  # unreadable: replaced all the same, it is only an example
    for name in (path.name, *(path.name + s for s in SIDE_SUFFIXES)):  # with any leftovers
        (path.parent / name).unlink(missing_ok=True)
    store = Store.open(path)
    try:
        store.add_episodes(generate(count, until=until))
    except BaseException:
        store.close()
        raise
    return store
