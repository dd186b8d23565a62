"""Factor insights and medicines before/after over 10 years of check-ins and 100,000 episodes.

The pure part only: the check-ins, medicines and per-day cramp counts are given in memory (the
store's query that reads them is measured with the store). Target: both together < 300 ms.

Run: .venv/bin/python benchmarks/bench_insights.py [--days N] [--episodes N] [--repeat N]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date

from bench_common import print_table, target, timed

from tracker.advice import knowledge
from tracker.analysis.exposure import factor_insights, medicine_changes
from tracker.diary import demo_checkins

TARGET_MS = 300


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
        ],
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
