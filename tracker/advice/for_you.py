"""What the Tips page's "For you" shows, gathered from a diary in one call, for a worker thread.

The ranking reads the last episodes, the profile, the doctor rules' five weeks and the Patterns
findings over INSIGHT_DAYS days. The findings cost the most (eleven grouped queries over about
150,000 rows in a dense diary of a million episodes, seconds), so the Tips page gathers in a
thread on its own read-only connection (``Store.reader``). After a save, edit, delete or undo
the findings' aggregates are updated by the episodes that changed (``aggregates.apply_changes``,
as Patterns does) instead of read again; the result is the same as a fresh read.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from tracker.advice import doctor_rules, tips
from tracker.advice.knowledge import KnowledgeBase
from tracker.advice.profile import load_profile
from tracker.store import Store

if TYPE_CHECKING:
    from tracker.analysis.aggregates import PatternData
    from tracker.store.episodes import Change

FOR_YOU_LIMIT = 12


@dataclass(frozen=True)
class ForYou:
    """The "For you" tips of one diary at one moment, and what the summary line says."""

    episodes: int  # recent episodes the ranking used (at most tips.RECENT_EPISODES)
    findings: int  # Patterns findings with a key that fed the ranking
    profile_empty: bool
    matches: tuple[tips.TipMatch, ...]
    today: date
    # The findings' aggregates (None with no episodes), to update by the next changes.
    data: PatternData | None = None


def insight_data(
    store: Store,
    today: date,
    kept: PatternData | None = None,
    changes: Sequence[Change] | None = None,
) -> PatternData:
    """The Patterns aggregates of the last INSIGHT_DAYS days to ``today``; with ``kept`` (those
    of the same days) and the ``changes`` made since, ``kept`` updated by them."""
    from tracker.analysis import aggregates  # lazily, as tips.pattern_insights

    period = aggregates.Period.last_days(tips.INSIGHT_DAYS, today)
    if kept is not None and changes is not None and kept.period == period:
        updated = aggregates.apply_changes(store, kept, changes)
        if updated is not None:
            return updated
    return aggregates.patterns(store, period, today=today)


def gather(
    kb: KnowledgeBase,
    store: Store,
    now: datetime,
    kept: PatternData | None = None,
    changes: Sequence[Change] | None = None,
    limit: int = FOR_YOU_LIMIT,
    shared: Hashable | None = None,
) -> ForYou:
    """Everything "For you" shows, as of ``now`` (aware, local). ``kept``/``changes``: the
    aggregates of an earlier ``gather`` (its ``data``, same day) and the changes since it.
    ``shared``: the window's ``Store.state_key()``, so the doctor banner's check of the same state
    and this share one evaluation of the rules."""
    today = now.date()
    episodes = tips.recent_episodes(store)
    profile = load_profile(store)
    data = insight_data(store, today, kept, changes) if episodes else None
    findings = tips.keyed_findings(data, today) if data is not None else []
    # The banner's reasons, from the same rule engine, rank their doctor advice first here.
    alerts = doctor_rules.alerts_now(store, profile, now, shared)
    matches = tips.rank(kb, episodes, findings, profile, alerts=alerts)[:limit]
    return ForYou(len(episodes), len(findings), profile.is_empty, tuple(matches), today, data)
