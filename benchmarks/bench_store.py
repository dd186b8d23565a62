"""Store speed with 100,000 episodes: one save, the history query, a filtered history query.

Run: .venv/bin/python benchmarks/bench_store.py [--episodes N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

from bench_common import make_demo_db, p95, print_table, target, timed

from tests.factories import make_episode
from tracker.store import HistoryFilter, Store


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=100_000)
    parser.add_argument("--saves", type=int, default=200)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-store-") as folder:
        path = Path(folder) / "bench.sqlite"
        fill_s = make_demo_db(path, args.episodes)
        with Store.open(path) as store:
            now = datetime.now().astimezone().replace(microsecond=0)
            counter = iter(range(10**9))

            def save_one():
                store.add_episode(make_episode(started_at=now - timedelta(minutes=next(counter))))

            saves = timed(save_one, args.saves)
            history = timed(store.history_rows, 5)
            by_severity = timed(lambda: store.history_rows(sort_key="severity"), 5)
            text = timed(lambda: store.history_rows(HistoryFilter(text="wedding")), 5)
            month_ago = (date.today() - timedelta(days=29)).isoformat()
            recent = timed(lambda: store.history_rows(HistoryFilter(date_from=month_ago)), 5)
            both = timed(
                lambda: store.history_rows(HistoryFilter(date_from=month_ago, text="toe")), 5
            )
            total = store.count_episodes()

    n = f"{args.episodes:,}"
    ok = print_table(
        f"Store with {n} demo episodes (median ms; {total:,} rows at the end)",
        [
            (f"fill {n} demo episodes (one transaction)", f"{fill_s * 1000:.0f}", "", None),
            target(f"save one episode, median of {args.saves}", saves, 5, digits=2),
            ("save one episode, 95th percentile", f"{p95(saves):.2f}", "", None),
            target("history_rows, all, newest first", history, 300),
            target("history_rows, all, by severity", by_severity, 300),
            target("filter: notes contain 'wedding'", text, 150),
            target("filter: last 30 days", recent, 150),
            target("filter: last 30 days + 'toe'", both, 150),
        ],
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
