"""Tips and doctor checks with 100,000 episodes: the Tips page ranking, the doctor banner check
after a save, and the post-save suggestion. All must feel instant next to a save.

Run: .venv/bin/python benchmarks/bench_tips.py [--episodes N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

from bench_common import make_demo_db, print_table, target, timed

from tracker.advice import doctor_rules, knowledge, tips
from tracker.advice.profile import Profile, load_profile, save_profile
from tracker.store import Store


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=100_000)
    args = parser.parse_args(argv)
    kb_ms = timed(knowledge.load, 5)
    kb = knowledge.default()

    with tempfile.TemporaryDirectory(prefix="bench-tips-") as folder:
        path = Path(folder) / "bench.sqlite"
        make_demo_db(path, args.episodes)
        with Store.open(path) as store:
            today = date.today()
            profile = Profile(age_range="65_plus", conditions=("diabetes",))

            def page():
                episodes = tips.recent_episodes(store)
                findings = tips.pattern_insights(store, today=today)
                return tips.rank(kb, episodes, findings, profile)

            def banner():
                # what the banner runs after a save: the profile, then the one rule engine
                return doctor_rules.alerts_now(
                    store, load_profile(store), datetime.now().astimezone()
                )

            latest = tips.recent_episodes(store, 1)[0]
            page_ms = timed(page, 5)
            banner_ms = timed(banner, 20)
            save_profile(store, profile)
            older_ms = timed(banner, 20)
            suggest_ms = timed(lambda: tips.suggest(kb, latest), 50)
            shown = len(page())

    n = f"{args.episodes:,}"
    ok = print_table(
        f"Tips with {n} demo episodes (median ms)",
        [
            target("load and validate the knowledge base", kb_ms, 50, digits=1),
            target(f"Tips page: rank last 10 + 90-day findings ({shown} tips)", page_ms, 300),
            target("doctor banner check, no profile (14 days)", banner_ms, 50, digits=1),
            target("doctor banner check, older age (30 days)", older_ms, 80, digits=1),
            target("post-save suggestion", suggest_ms, 20, digits=2),
        ],
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
