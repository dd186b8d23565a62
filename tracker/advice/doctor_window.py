"""The machinery behind the doctor rules: judge rules over windows of days, for a day or a period.

A rule applies on day ``d`` (an ordinal of a local calendar date) when the episodes dated
``d - window + 1`` .. ``d`` meet its threshold. Evaluating a period is the union over its days,
so what applies on any single day is always part of the period's answer. The rules themselves,
their thresholds and wording, are in tracker/advice/doctor_rules.py.
"""

from __future__ import annotations

import gc
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from tracker.advice.profile import Profile

WEEK = 7  # days

Figures = tuple[int, ...]  # the numbers a rule's message quotes (counts, weeks, ...)


class Cramp(Protocol):
    """What the rules read of an episode: an Episode, or the light row the banner's check reads
    (tracker.store.doctor_queries.CrampRow), so checking today does not build full Episodes."""

    @property
    def id(self) -> int | None: ...
    @property
    def started_at(self) -> datetime: ...
    @property
    def duration_s(self) -> int: ...
    @property
    def severity(self) -> int | None: ...
    @property
    def activity(self) -> str | None: ...
    @property
    def warning_signs(self) -> tuple[str, ...]: ...
    @property
    def time_approximate(self) -> bool: ...


@dataclass(frozen=True)
class DoctorAlert:
    rule_id: str
    title: str
    message: str
    sources: tuple[str, ...]
    tip_id: str
    episodes: tuple[Cramp, ...] = field(default=(), repr=False)  # that triggered it, by start
    first_date: date | None = None  # local date of the first of them
    last_date: date | None = None

    @property
    def episode_ids(self) -> tuple[int, ...]:
        return tuple(e.id for e in self.episodes if e.id is not None)

    @property
    def latest_episode_id(self) -> int | None:
        """What a dismissal is tied to: a newer triggering cramp brings the reason back."""
        ids = self.episode_ids
        return ids[-1] if ids else None


class Diary:
    """Episodes by local day, with cumulative counts so a window count costs two bisections.

    The same episode given twice (same id, or the same unsaved object) counts once.
    """

    def __init__(self, episodes: Iterable[Cramp]):
        # a stored id, or the object itself when unsaved (ints and tuples never clash)
        unique: dict[object, Cramp] = {}
        for e in episodes:
            unique.setdefault(e.id if e.id is not None else ("object", id(e)), e)
        self.by_day: dict[int, list[Cramp]] = {}
        for e in sorted(unique.values(), key=lambda e: (e.started_at, e.id or 0)):
            self.by_day.setdefault(day_of(e), []).append(e)
        self.days = sorted(self.by_day)
        self._relevant: dict[object, dict[int, list[Cramp]]] = {None: self.by_day}
        self._index: dict[object, tuple[list[int], list[int]]] = {}

    def relevant_by_day(self, relevant: Callable[[Cramp], bool] | None) -> dict[int, list[Cramp]]:
        """The episodes for which ``relevant`` holds (None: all), by day (days with none left
        out); worked out once per ``relevant``."""
        found = self._relevant.get(relevant)
        if found is None:
            found = {}
            for day, episodes in self.by_day.items():
                kept = [e for e in episodes if relevant(e)]  # type: ignore[misc]  # not None
                if kept:
                    found[day] = kept
            self._relevant[relevant] = found
        return found

    def count(self, first: int, last: int, relevant: Callable[[Cramp], bool] | None = None) -> int:
        """Episodes dated ``first``..``last`` for which ``relevant`` holds (None: all)."""
        if relevant not in self._index:
            days, cum = [], [0]
            by_day = self.relevant_by_day(relevant)
            for day in self.days:
                if day in by_day:
                    days.append(day)
                    cum.append(cum[-1] + len(by_day[day]))
            self._index[relevant] = (days, cum)
        days, cum = self._index[relevant]
        return cum[bisect_right(days, last)] - cum[bisect_left(days, first)]

    def days_with_cramps(self, first: int, last: int) -> int:
        return bisect_right(self.days, last) - bisect_left(self.days, first)

    def span(self, first: int, last: int) -> tuple[int, int] | None:
        """The first and last day with a cramp within ``first``..``last``, if any."""
        lo, hi = bisect_left(self.days, first), bisect_right(self.days, last)
        return (self.days[lo], self.days[hi - 1]) if lo < hi else None

    def weeks(self, day: int, n: int) -> list[int]:
        """Cramps in each of the ``n`` 7-day blocks ending on ``day``, oldest first."""
        return [self.count(day - WEEK * k - WEEK + 1, day - WEEK * k) for k in reversed(range(n))]


@contextmanager
def collections_paused() -> Iterator[None]:
    """No cyclic garbage collection while tens of thousands of rows are read and indexed.

    They hold no cycles (reference counting frees them), but each batch of new objects
    counts towards a full collection, which walks every object of the process with the GIL
    held: measured, 80-95 ms at once during a year's check of a dense diary, while the UI
    thread waited for the GIL. Collection is process-wide: it resumes afterwards unless it
    was off already."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def day_of(e: Cramp) -> int:
    """The episode's local calendar date (its own wall clock), as an ordinal."""
    return e.started_at.toordinal()


def as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


@dataclass(frozen=True)
class DoctorRule:
    id: str
    title: str
    advice: str  # what the article(s) say, in our own words
    reading: str  # how we turn that into a threshold on the diary
    tip_id: str
    sources: tuple[str, ...]
    window: int  # days: the episodes that trigger it lie within this many days
    applies: Callable[[Diary, int, Profile], Figures | None]  # figures when it applies
    describe: Callable[[Sequence[Cramp], Figures, Profile], str]
    relevant: Callable[[Cramp], bool] | None = None  # which episodes trigger it (None: all)


def evaluate_period(
    rules: Sequence[DoctorRule],
    history: Iterable[Cramp],
    profile: Profile,
    start: date | datetime,
    end: date | datetime,
) -> list[DoctorAlert]:
    """Every rule that applied on any day from ``start`` to ``end`` (inclusive), in ``rules``
    order, with the relevant episodes of its window on every day it applied.

    The message quotes the largest figures of any day it applied (each is true of that day).
    """
    diary = Diary(history)
    first, last = as_date(start).toordinal(), as_date(end).toordinal()
    longest = max(rule.window for rule in rules)
    applied: dict[str, list[int]] = {rule.id: [] for rule in rules}
    figures: dict[str, Figures] = {}
    for day in _candidate_days(diary, first, last, longest):
        for rule in rules:
            found = rule.applies(diary, day, profile)
            if found is not None:
                applied[rule.id].append(day)
                figures[rule.id] = max(figures.get(rule.id, found), found)
    alerts = []
    for rule in rules:
        episodes = _triggers(diary, rule, applied[rule.id])
        if episodes:
            alerts.append(_alert(rule, episodes, figures[rule.id], profile))
    return alerts


def _candidate_days(diary: Diary, first: int, last: int, window: int) -> Iterator[int]:
    """Days of the period on which a rule can apply: each rule needs a cramp in its window."""
    start = first
    for day in diary.days:
        lo, hi = max(day, start), min(day + window - 1, last)
        if lo <= hi:
            yield from range(lo, hi + 1)
            start = hi + 1


def _triggers(diary: Diary, rule: DoctorRule, days: list[int]) -> tuple[Cramp, ...]:
    """The relevant episodes inside the rule's window on any of ``days`` (ascending), by local
    date."""
    spans: list[list[int]] = []  # the windows of ``days`` merged: [first, last], ascending
    for day in days:
        first = day - rule.window + 1
        if spans and first <= spans[-1][1] + 1:
            spans[-1][1] = day
        else:
            spans.append([first, day])
    found: list[Cramp] = []
    by_day = diary.relevant_by_day(rule.relevant)
    for first, last in spans:
        lo, hi = bisect_left(diary.days, first), bisect_right(diary.days, last)
        for day in diary.days[lo:hi]:
            found.extend(by_day.get(day, ()))
    return tuple(found)


def _alert(
    rule: DoctorRule, episodes: tuple[Cramp, ...], figures: Figures, profile: Profile
) -> DoctorAlert:
    return DoctorAlert(
        rule.id,
        rule.title,
        rule.describe(episodes, figures, profile),
        rule.sources,
        rule.tip_id,
        episodes,
        episodes[0].started_at.date(),  # in local-date order (see _triggers)
        episodes[-1].started_at.date(),
    )
