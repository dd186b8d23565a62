"""Check-ins with 100,000 episodes and ten years of daily check-ins: cramps per day and night,
saving a check-in, reading them all, the calendar strip's days, the medicine list.

Run: .venv/bin/python benchmarks/bench_checkins.py [--db DEMO.sqlite] [--episodes N]
``--db`` is copied first (never written); without it a demo diary of N episodes is made.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from bench_common import make_demo_db, print_table, target, timed

from tracker.diary.checkin import DAY_QUESTIONS, CheckIn, Medicine
from tracker.store import Store

DEFAULT_DB = Path("/work/benchdata/demo_100k.sqlite")
YEARS_OF_CHECKINS = 10


def ten_years(today: date, seed: int = 4) -> list[CheckIn]:
    rng = random.Random(seed)
    return [
        CheckIn(
            day=today - timedelta(days=n),
            night_cramps=rng.choice([None, "none", "yes"]),
            sleep_disturbance=rng.choice([None, *range(11)]),
            **{q.name: rng.choice([None, *q.vocabulary]) for q in DAY_QUESTIONS},
        )
        for n in range(YEARS_OF_CHECKINS * 365)
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB if DEFAULT_DB.exists() else None)
    parser.add_argument("--episodes", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)

    today = date.today()
    with tempfile.TemporaryDirectory(prefix="bench-checkins-") as folder:
        path = Path(folder) / "bench.sqlite"
        if args.db is not None:
            shutil.copyfile(args.db, path)  # the demo diary itself is never written
        else:
            make_demo_db(path, args.episodes)
        with Store.open(path) as store:
            store.add_checkins(ten_years(today), today=today)
            for i in range(12):
                store.add_medicine(
                    Medicine(f"Medicine {i}", "medicine", today - timedelta(days=300 * i)),
                    today=today,
                )
            episodes, checkins = store.count_episodes(), store.count_checkins()
            by_day = timed(store.cramps_by_day, args.repeat)
            counter = iter(range(10**9))

            def save_one():
                day = today - timedelta(days=next(counter) % 3650)
                store.save_checkin(CheckIn(day=day, fluids="less", stress="high"), today=today)

            saves = timed(save_one, 100)
            every = timed(store.all_checkins, args.repeat)
            strip = timed(lambda: store.checkin_days(today - timedelta(days=34), today), 50)
            month = timed(lambda: store.checkins_between(today - timedelta(days=30), today), 50)
            meds = timed(store.medicines, 50)

    ok = print_table(
        f"Check-ins: {episodes:,} episodes, {checkins:,} check-ins (median ms)",
        [
            target("cramps_by_day (every episode, one query)", by_day, 150, digits=1),
            target("save one check-in (median of 100)", saves, 50, digits=2),
            target(f"all_checkins ({checkins:,}, packed)", every, 100, digits=1),
            target("checkin_days, 5 weeks (calendar strip)", strip, 5, digits=2),
            target("checkins_between, 31 days", month, 5, digits=2),
            target("medicines (12)", meds, 5, digits=2),
        ],
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
