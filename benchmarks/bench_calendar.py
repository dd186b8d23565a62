"""The check-in calendar's cost at 100,000 episodes and ten years of check-ins (issue 16).

Targets: the calendar's data for "All time" (cramps per day, the check-in days, the medicines,
the diary's first day) under 200 ms in the worker; after a check-in save, every kept range
takes the new check-ins on the UI thread (``aggregates.with_checkins``) under 50 ms; the
calendar of ten years built and drawn in the worker under 300 ms. Exits 1 when one is missed.

    .venv/bin/python benchmarks/bench_calendar.py [--db /work/benchdata/demo_100k.sqlite]

The diary is copied first (the source is never written); check-ins and medicines are added to
the copy.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_common import make_demo_db, print_table, target, timed, upgraded_copy  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/work/benchdata/demo_100k.sqlite"))
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    from tracker.analysis import aggregates
    from tracker.charts import render
    from tracker.charts.catalog import CHARTS
    from tracker.charts.style import LIGHT
    from tracker.diary import demo_checkins
    from tracker.diary.periods import Period, preset_period
    from tracker.store import Store
    from tracker.store import pattern_queries as queries

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "diary.sqlite"
        if args.db.exists():
            upgraded_copy(args.db, path)
        else:
            make_demo_db(path, 100_000)
        today = date.today()
        with Store.open(path) as store:
            made = demo_checkins.generate_diary(3650, seed=1, until=today, episodes=False)
            store.add_checkins(made.checkins, today=today)
            for medicine in made.medicines:
                store.add_medicine(medicine, today=today)
            episodes = aggregates.count(store, Period())
            checkins = store.count_checkins()
        store = Store.open(path)
        reader = store.reader()
        try:
            everything = Period()
            through = today.isoformat()

            def calendar_data() -> None:
                aggregates.checkin_marks(reader, everything, through)
                queries.day_counts(reader, everything)
                queries.diary_first_day(reader)

            data_ms = timed(calendar_data, args.repeat)
            kept = [
                aggregates.patterns(store, p, today=today)
                for p in [preset_period(k, today) for k in ("30d", "3m", "12m")] + [everything]
            ]
            with_ms = timed(lambda: aggregates.with_checkins(store, kept), args.repeat)
            draw = dict((key, function) for key, _title, function in CHARTS)["calendar"]
            draw_ms = timed(
                lambda: render.build_and_render(draw, kept[-1], LIGHT, 911, 330),
                max(5, args.repeat // 3),
            )
        finally:
            reader.close()
            store.close()
    rows = [
        target("calendar data, All time, worker (ms)", data_ms, 200),
        target("check-ins into 4 kept ranges, UI thread (ms)", with_ms, 50),
        target("calendar of all time built and drawn, worker (ms)", draw_ms, 300),
    ]
    title = f"Check-in calendar: {episodes:,} episodes, {checkins:,} check-ins (medians)"
    return 0 if print_table(title, rows) else 1


if __name__ == "__main__":
    sys.exit(main())
