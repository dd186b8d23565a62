"""A demo diary with daily check-ins and medicines, whose cramps follow known effects.

So the exposure insights (tracker/analysis/exposure.py) have something true to find, and
something false not to find. Each day's cramps are Poisson, the same day's and the following
night's drawn apart, with these effects built in and no others:

- fewer fluids than usual: ``LOW_FLUIDS_NIGHT_RR`` times the cramps the following night;
- hard or new exercise: ``HARD_EXERCISE_DAY_RR`` times the cramps the same day;
- a medicine started at ``MEDICINE_START_SHARE`` of the span: ``MEDICINE_RR`` times all cramps
  from the day it was started;
- a supplement started and stopped earlier, and every other factor: no effect at all.

Answers are drawn independently of each other and of the date, so no factor stands in for
another. There is a check-in on about ``CHECKIN_SHARE`` of the days, each answer skipped now and
then ("not recorded"); "medicines as usual" is asked only while a medicine is taken. Episodes
reuse the look of demo.py's (durations, sites, relief, notes) without changing what
``demo.generate`` gives. The same arguments always give the same diary.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from tracker.diary import demo
from tracker.diary.checkin import CheckIn, Medicine
from tracker.diary.episode import Episode
from tracker.diary.vocab import is_night_hour

DEFAULT_DAYS = 730

# Cramps per day without any effect: the same day (06:00-21:59) and the night after.
BASE_DAY_RATE = 0.3
BASE_NIGHT_RATE = 0.45

LOW_FLUIDS_NIGHT_RR = 2.0
HARD_EXERCISE_DAY_RR = 2.0
MEDICINE_RR = 2.0

MEDICINE_NAME = "Blood pressure tablet (demo)"
MEDICINE_START_SHARE = 0.6
SUPPLEMENT_NAME = "Magnesium (demo)"
SUPPLEMENT_SPAN_SHARES = (0.2, 0.35)  # started and stopped; no effect

CHECKIN_SHARE = 0.85
SKIP_ANSWER = 0.06  # each answer of a check-in is left out with this chance

# question -> (code -> weight), drawn independently
ANSWER_WEIGHTS: Mapping[str, Mapping[str, float]] = {
    "fluids": {"less": 25, "usual": 55, "more": 20},
    "exercise": {"none": 40, "light": 40, "hard": 20},
    "long_still": {"yes": 35, "no": 65},
    "footwear": {"everyday": 55, "tight_heels": 12, "athletic": 18, "barefoot": 15},
    "stretched": {"yes": 40, "no": 60},
    "stress": {"low": 45, "medium": 40, "high": 15},
    "unwell": {"yes": 8, "no": 92},
    "medicines_as_usual": {"yes": 88, "no": 12},
}
_ANSWERS = {q: demo._Weighted(w) for q, w in ANSWER_WEIGHTS.items()}

_DAY_HOURS = demo._Weighted({h: 1 + (h >= 17) for h in range(6, 22)})
_NIGHT_HOURS = demo._Weighted({h: w for h, w in demo._NIGHT.items() if is_night_hour(h)})
_DAY_ACTIVITY = demo._Weighted(
    {"resting": 13, "standing": 8, "walking": 7, "exercising": 6, "after_exercise": 10,
     "driving": 5, "other": 5}
)  # fmt: skip
_EXERCISE_ACTIVITY = demo._Weighted({"exercising": 45, "after_exercise": 55})
_FOOTWEAR_CODES = {
    "everyday": "flat",
    "tight_heels": "high_heels",
    "athletic": "athletic",
    "barefoot": "barefoot",
}


@dataclass(frozen=True)
class DemoDiary:
    """Episodes, check-ins and medicines of the days ``first_day`` .. ``until`` - 1.

    ``counts`` is the truth the episodes were made from, per day: (same day, following night);
    a day without cramps is absent, as in the store's query.
    """

    episodes: tuple[Episode, ...]
    checkins: tuple[CheckIn, ...]
    medicines: tuple[Medicine, ...]
    first_day: date
    until: date
    counts: Mapping[date, tuple[int, int]]


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw: Knuth's product of uniforms for small means, else a normal guess fixed
    up by inversion from the mode (means here are small unless a benchmark scales them)."""
    if mean <= 0:
        return 0
    if mean < 30:
        limit, k, product = math.exp(-mean), 0, rng.random()
        while product > limit:
            k += 1
            product *= rng.random()
        return k
    return max(0, round(rng.gauss(mean, math.sqrt(mean))))


def _checkin(
    rng: random.Random, day: date, on_medicine: bool, last_night: int
) -> tuple[CheckIn, dict[str, str]]:
    """A day's check-in (answers sometimes skipped) and the true answers behind it."""
    truth = {q: w.draw(rng) for q, w in _ANSWERS.items() if q != "medicines_as_usual"}
    if on_medicine:
        truth["medicines_as_usual"] = _ANSWERS["medicines_as_usual"].draw(rng)
    given: dict[str, Any] = {
        q: (a if rng.random() >= SKIP_ANSWER else None) for q, a in truth.items()
    }
    if rng.random() >= SKIP_ANSWER:
        given["night_cramps"] = "yes" if last_night else "none"
        if rng.random() >= SKIP_ANSWER:
            given["sleep_disturbance"] = (
                min(10, 1 + 2 * last_night + rng.randrange(3)) if last_night else 0
            )
    return CheckIn(day=day, **given), truth


def _episode(rng: random.Random, day: date, night: bool, truth: Mapping[str, str]) -> Episode:
    if night:
        hour = _NIGHT_HOURS.draw(rng)
        when = day + timedelta(days=1) if hour < 12 else day
        activity = "in_bed"
    else:
        hour = _DAY_HOURS.draw(rng)
        when = day
        activity = (
            _EXERCISE_ACTIVITY.draw(rng)
            if truth.get("exercise") == "hard"
            else _DAY_ACTIVITY.draw(rng)
        )
    duration = demo._duration(rng)
    hydration = (
        "under"
        if truth.get("fluids") == "less"
        else ("well" if truth.get("fluids") == "more" else "normal")
    )
    footwear = "barefoot" if night else _FOOTWEAR_CODES.get(truth.get("footwear", ""), "flat")
    sites = demo._sites(rng)
    relief = demo._relief(rng, sites, activity)
    severity = 3 + 1.3 * math.log(duration / 40) + rng.gauss(0, 1.2)
    return Episode(
        started_at=demo._local(when, hour, rng),
        duration_s=duration,
        side=demo._SIDE.draw(rng),
        site=sites,
        severity=min(9, max(2, round(severity))),
        activity=activity,
        hydration=hydration,
        footwear=footwear,
        footwear_tight=truth.get("footwear") == "tight_heels" and not night,
        relief=relief,
        relief_effect=None if relief == ("nothing",) else demo._EFFECT.draw(rng),
        context=("hard_exercise",) if activity in ("exercising", "after_exercise") else (),
        notes=demo._notes(rng),
    )


def generate_diary(
    days: int = DEFAULT_DAYS,
    seed: int = 1,
    until: date | None = None,
    *,
    rate_scale: float = 1.0,
    episodes: bool = True,
) -> DemoDiary:
    """A diary of ``days`` days ending the day before ``until`` (default today).

    ``rate_scale`` multiplies every cramp rate (a benchmark's 100,000 episodes in 10 years);
    ``episodes=False`` leaves the episodes out (the counts, check-ins and medicines are the
    same: episodes come from a random stream of their own).
    """
    if days < 1:
        raise ValueError("a demo diary needs at least one day")
    rng = random.Random(f"check-ins {seed}")
    episode_rng = random.Random(f"check-in episodes {seed}")
    until = until or date.today()
    first_day = until - timedelta(days=days)
    medicine_day = first_day + timedelta(days=int(days * MEDICINE_START_SHARE))
    supplement_from, supplement_to = (
        first_day + timedelta(days=int(days * share)) for share in SUPPLEMENT_SPAN_SHARES
    )
    medicines = (
        Medicine(SUPPLEMENT_NAME, "supplement", supplement_from, supplement_to, "300 mg"),
        Medicine(MEDICINE_NAME, "medicine", medicine_day, None, "1 a day"),
    )
    checkins: list[CheckIn] = []
    counts: dict[date, tuple[int, int]] = {}
    made: list[Episode] = []
    last_night = 0
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        on_medicine = any(m.taken_on(day) for m in medicines)
        checkin, truth = _checkin(rng, day, on_medicine, last_night)
        if rng.random() < CHECKIN_SHARE:
            checkins.append(checkin)
        day_rate = BASE_DAY_RATE * rate_scale
        night_rate = BASE_NIGHT_RATE * rate_scale
        if truth["exercise"] == "hard":
            day_rate *= HARD_EXERCISE_DAY_RR
        if truth["fluids"] == "less":
            night_rate *= LOW_FLUIDS_NIGHT_RR
        if day >= medicine_day:
            day_rate *= MEDICINE_RR
            night_rate *= MEDICINE_RR
        same_day, night = _poisson(rng, day_rate), _poisson(rng, night_rate)
        last_night = night
        if same_day or night:
            counts[day] = (same_day, night)
        if episodes:
            day_episodes = [_episode(episode_rng, day, False, truth) for _ in range(same_day)]
            day_episodes += [_episode(episode_rng, day, True, truth) for _ in range(night)]
            made.extend(sorted(day_episodes, key=lambda e: e.started_at))
    return DemoDiary(
        episodes=tuple(made),
        checkins=tuple(checkins),
        medicines=medicines,
        first_day=first_day,
        until=until,
        counts=counts,
    )
