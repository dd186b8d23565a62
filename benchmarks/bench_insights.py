"""Factor insights and medicines before/after over 10 years of check-ins and 100,000 episodes.

The pure part only: the check-ins, medicines and per-day cramp counts are given in memory (the
store's query that reads them is measured with the store). Target: both together < 300 ms.

Also honesty: the same check-ins against as many cramps that cluster (a gamma-distributed level
per week and per day) and have nothing to do with them. No comparison may come out "clear"
there: a Poisson-only interval made most of them clear (benchmarks/bench_insights_ui.py shows
the same on demo_100k).

Run: .venv/bin/python benchmarks/bench_insights.py [--days N] [--episodes N] [--repeat N]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta

from bench_common import print_table, target, timed

from tracker.advice import knowledge
from tracker.analysis.exposure import factor_insights, medicine_changes
from tracker.diary import demo_checkins

TARGET_MS = 300


def clustered_counts(
    first_day: date, days: int, cramps: int, seed: int = 1
) -> dict[date, tuple[int, int]]:
    """About ``cramps`` cramps over ``days`` days, unrelated to any check-in, that cluster:
    each day's rate is a weekly and a daily gamma level (shape 2 and 0.5, mean 1)."""
    rng = random.Random(f"clustered {seed}")
    mean = cramps / days
    counts = {}
    week = 1.0
    for offset in range(days):
        if offset % 7 == 0:
            week = rng.gammavariate(2.0, 0.5)
        level = mean * week * rng.gammavariate(0.5, 2.0)
        day = demo_checkins._poisson(rng, 0.4 * level)
        night = demo_checkins._poisson(rng, 0.6 * level)
        if day or night:
            counts[first_day + timedelta(days=offset)] = (day, night)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=3650)
    parser.add_argument("--episodes", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args(argv)

    until = date(2026, 6, 1)
    probe = demo_checkins.generate_diary(args.days, seed=1, until=until, episodes=False)
    natural = sum(a + b for a, b in probe.counts.values())
    diary = demo_checkins.generate_diary(
        args.days,
        seed=1,
        until=until,
        rate_scale=args.episodes / max(natural, 1),
        episodes=False,
    )
    cramps = sum(a + b for a, b in diary.counts.values())

    began = time.perf_counter()
    knowledge.default()
    kb_ms = (time.perf_counter() - began) * 1000

    def both() -> None:
        factor_insights(diary.checkins, diary.counts)
        medicine_changes(diary.medicines, diary.counts, diary.first_day, diary.until)

    factors_ms = timed(lambda: factor_insights(diary.checkins, diary.counts), args.repeat)
    medicines_ms = timed(
        lambda: medicine_changes(diary.medicines, diary.counts, diary.first_day, diary.until),
        args.repeat,
    )
    both_ms = timed(both, args.repeat)
    null_counts = clustered_counts(diary.first_day, args.days, args.episodes)
    null_report = factor_insights(diary.checkins, null_counts)
    null_clear = len(null_report.clear)
    dispersions = sorted(i.comparison.dispersion for i in null_report.shown if i.comparison)
    null_dispersion = dispersions[len(dispersions) // 2] if dispersions else 1.0
    ok = print_table(
        f"Insights: {len(diary.checkins):,} check-ins over {args.days:,} days, "
        f"{cramps:,} cramps on {len(diary.counts):,} days, {len(diary.medicines)} medicines "
        f"(median of {args.repeat})",
        [
            ("tips knowledge base, first load (ms)", f"{kb_ms:.1f}", "", None),
            ("factor insights (ms)", f"{sorted(factors_ms)[len(factors_ms) // 2]:.1f}", "", None),
            (
                "medicines before/after (ms)",
                f"{sorted(medicines_ms)[len(medicines_ms) // 2]:.1f}",
                "",
                None,
            ),
            target("factor insights + medicines (ms)", both_ms, TARGET_MS, digits=1),
            (
                "no effect, clustered cramps: dispersion (median)",
                f"{null_dispersion:.1f}",
                "",
                None,
            ),
            (
                f"no effect, clustered cramps: clear of {null_report.tests} shown",
                f"{null_clear}",
                "0",
                null_clear == 0,
            ),
        ],
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
