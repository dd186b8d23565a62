"""The doctor summary's daily check-ins, medicines and sleep (issue 16), as plain data.

- Factors: each factor's cramp rate on check-in days of the period with and without it
  (tracker.analysis.exposure.factor_insights over the period's check-ins), with the rate ratio,
  its 95% interval and whether it is clear after Holm's correction; or how many more check-ins
  it needs. Only when the period has check-ins. Worded as association, never cause.
- Medicines: every medicine or supplement taken on a day of the period (a timeline), and the
  before/after comparison of each start or stop within the period, with the doctor sentence and
  the article it comes from (exposure.MEDICINE_SOURCE_IDS).
- Sleep: the average and range of the 0-10 sleep disturbance, from morning check-ins (about the
  night before) and from night episodes, each counted apart.

Cramps per day come from one grouped query over the whole diary (``Store.cramps_by_day``,
about 45 ms at 100,000 episodes), so the summary stays within its time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from tracker.advice import knowledge
from tracker.analysis import aggregates, exposure
from tracker.diary.checkin import Medicine
from tracker.diary.periods import Period
from tracker.store import Store, export_queries
from tracker.store import report_queries as queries


@dataclass(frozen=True)
class SleepFigures:
    """The 0-10 sleep disturbance of ``count`` nights (or episodes) that rated it."""

    count: int
    mean: float
    low: int
    high: int


def sleep_figures(values: Iterable[tuple[int, int]]) -> SleepFigures | None:
    """From (value, how many) pairs; None when nothing was rated."""
    pairs = [(v, n) for v, n in values if n]
    count = sum(n for _, n in pairs)
    if not count:
        return None
    mean = sum(v * n for v, n in pairs) / count
    return SleepFigures(count, mean, min(v for v, _ in pairs), max(v for v, _ in pairs))


@dataclass(frozen=True)
class MedicineLine:
    """One row of the medicine timeline."""

    medicine: Medicine

    @property
    def kind(self) -> str:
        return "Supplement" if self.medicine.kind == "supplement" else "Medicine"

    @property
    def started(self) -> str:
        return self.medicine.started_on.isoformat()

    @property
    def stopped(self) -> str:
        stop = self.medicine.stopped_on
        return "still taken" if stop is None else stop.isoformat()


@dataclass
class CheckinSection:
    """Everything the summary says about check-ins, medicines and sleep in its period."""

    checkin_days: int = 0  # days of the period with a check-in
    period_days: int = 0
    factors: exposure.FactorReport | None = None  # None: no check-ins in the period
    medicines: list[MedicineLine] = field(default_factory=list)
    changes: list[exposure.MedicineChange] = field(default_factory=list)
    change_source: str = ""  # the citation behind the medicines' doctor sentence
    sleep_checkins: SleepFigures | None = None  # mornings' check-ins (the night before)
    sleep_episodes: SleepFigures | None = None  # episodes that rated it

    @property
    def empty(self) -> bool:
        return not (
            self.checkin_days
            or self.medicines
            or self.sleep_checkins is not None
            or self.sleep_episodes is not None
        )


def build_checkin_section(
    store: Store, period: Period, kb: knowledge.KnowledgeBase | None = None
) -> CheckinSection:
    """The section for a closed ``period`` (both ends known)."""
    first, last = period.first, period.last
    assert first is not None and last is not None
    section = CheckinSection(period_days=period.days or 0)
    checkins = store.checkins_between(first, last)
    section.checkin_days = len(checkins)
    medicines = export_queries.medicines_in_period(store, period)
    section.medicines = [MedicineLine(m) for m in medicines]
    cramps = store.cramps_by_day() if checkins or medicines else {}
    kb = kb or knowledge.default()
    if checkins:
        section.factors = exposure.factor_insights(checkins, cramps, kb)
        section.sleep_checkins = sleep_figures(
            (c.sleep_disturbance, 1) for c in checkins if c.sleep_disturbance is not None
        )
    if medicines:
        found, _ = aggregates.date_span(store, Period(None, last))
        diary_first = min(date.fromisoformat(found) if found else first, first)
        if checkins:
            diary_first = min(diary_first, checkins[0].day)
        changes = exposure.medicine_changes(medicines, cramps, diary_first, last)
        section.changes = [c for c in changes if first <= c.on <= last]
        section.change_source = "; ".join(
            kb.sources[s].citation() for s in exposure.MEDICINE_SOURCE_IDS if s in kb.sources
        )
    section.sleep_episodes = sleep_figures(queries.sleep_disturbance_counts(store, period))
    return section
