"""What the Tips page's "What goes with your cramps" shows, gathered in one call for a worker.

The store's check-ins, its cramps per day and night (``Store.cramps_by_day``) and its medicine
list go into tracker.analysis.exposure; the result is ordered for reading: the comparisons
that are clear after Holm's correction first, then those with no clear difference, then those
that need more check-ins. Each line carries the tips it supports and their sources, so the page
only turns it into HTML. Ten years of check-ins and 100,000 episodes take well under 300 ms
(benchmarks/bench_insights_ui.py), read on the worker's own connection (``Store.reader``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tracker.advice.knowledge import KnowledgeBase, Source, Tip
from tracker.analysis.exposure import (
    FactorInsight,
    FactorReport,
    MedicineChange,
    factor_insights,
    medicine_changes,
)
from tracker.store import Store

TIPS_PER_INSIGHT = 3  # tip links under each insight (the first ones of the knowledge base)


@dataclass(frozen=True)
class ExposureView:
    """One diary's exposure insights at one moment (``report`` None: no check-in at all)."""

    today: date
    checkin_days: int
    report: FactorReport | None
    medicines: tuple[MedicineChange, ...]

    @property
    def clear(self) -> tuple[FactorInsight, ...]:
        return () if self.report is None else self.report.clear

    @property
    def unclear(self) -> tuple[FactorInsight, ...]:
        """Compared, with no clear difference."""
        if self.report is None:
            return ()
        return tuple(i for i in self.report.shown if not i.clear)

    @property
    def waiting(self) -> tuple[FactorInsight, ...]:
        """Not compared yet: too few check-ins, days in a group, or cramps."""
        if self.report is None:
            return ()
        return tuple(i for i in self.report.insights if not i.shown)

    @property
    def tests(self) -> int:
        return 0 if self.report is None else self.report.tests


def gather(store: Store, kb: KnowledgeBase, today: date) -> ExposureView:
    """Read the check-ins, cramps per day and medicines of ``store`` and compare them."""
    checkins = store.all_checkins()
    medicines = store.medicines()
    if not checkins and not medicines:
        return ExposureView(today, 0, None, ())
    cramps = store.cramps_by_day()
    report = factor_insights(checkins, cramps, kb) if checkins else None
    changes: tuple[MedicineChange, ...] = ()
    if medicines:
        known = [c.day for c in checkins] + list(cramps)
        first_day = min(known) if known else today
        changes = tuple(medicine_changes(medicines, cramps, first_day, today))
    return ExposureView(today, len({c.day for c in checkins}), report, changes)


# Which kinds of tip an insight links to first: what to do, then what may be behind it.
_KIND_ORDER = {"prevention": 0, "cause": 1, "doctor": 2, "relief": 3}


def supported_tips(kb: KnowledgeBase, tip_ids: tuple[str, ...]) -> list[Tip]:
    """Up to TIPS_PER_INSIGHT of the tips ``tip_ids`` names, prevention first, then causes."""
    known = {t.id: t for t in kb.tips}
    tips = [known[i] for i in tip_ids if i in known]
    tips.sort(key=lambda t: _KIND_ORDER.get(t.kind, len(_KIND_ORDER)))  # stable: kb order kept
    return tips[:TIPS_PER_INSIGHT]


def cited_sources(
    kb: KnowledgeBase, tips: list[Tip], source_ids: tuple[str, ...] = ()
) -> list[Source]:
    """The articles behind ``tips`` and ``source_ids``, each once, in the order met."""
    found: dict[str, Source] = {}
    for source_id in source_ids:
        if source_id in kb.sources:
            found.setdefault(source_id, kb.sources[source_id])
    for tip in tips:
        for source in kb.sources_of(tip):
            found.setdefault(source.id, source)
    return list(found.values())
