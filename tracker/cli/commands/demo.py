"""Fill a database with realistic demo episodes (same seed, same data).

Used to show and measure every feature without typing hundreds of cramps by hand. With
``--checkins DAYS`` the diary also gets daily check-ins and medicines over the last DAYS days,
with cramps that follow known effects (tracker.diary.demo_checkins), for the insights on the
Tips page; the ``--episodes`` cramps are then added as before (demo.generate, unchanged).
"""

from __future__ import annotations

import argparse
import time
from datetime import date, timedelta

from tracker.cli.main import CommandError
from tracker.diary import demo, demo_checkins
from tracker.store import Store

DEFAULT_EPISODES = 400
MAX_EPISODES = 2_000_000
MAX_CHECKIN_DAYS = 36_500


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", required=True, help="database file to fill (created if missing)")
    parser.add_argument(
        "--episodes", type=int, default=DEFAULT_EPISODES, help="how many (default %(default)s)"
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed (default %(default)s)")
    parser.add_argument(
        "--until",
        metavar="YYYY-MM-DD",
        help="last day covered is the day before this (default today); pins the dates",
    )
    parser.add_argument(
        "--append", action="store_true", help="add to a database that already has episodes"
    )
    parser.add_argument(
        "--checkins",
        type=int,
        default=0,
        metavar="DAYS",
        help="also add daily check-ins, medicines and their cramps over the last DAYS days "
        "(default %(default)s: none)",
    )


def run(args: argparse.Namespace) -> int:
    if not 0 < args.episodes <= MAX_EPISODES:
        raise CommandError(f"--episodes must be between 1 and {MAX_EPISODES:,}.")
    if not 0 <= args.checkins <= MAX_CHECKIN_DAYS:
        raise CommandError(f"--checkins must be between 0 and {MAX_CHECKIN_DAYS:,} days.")
    until = None
    if args.until:
        try:
            until = date.fromisoformat(args.until)
        except ValueError:
            raise CommandError(f"--until: '{args.until}' is not a date like 2026-03-29.") from None
        if until > date.today():
            raise CommandError("--until cannot be later than today (episodes must be in the past).")
    began = time.perf_counter()
    with Store.open(args.db) as store:
        existing = store.count_episodes()
        if existing and not args.append:
            raise CommandError(
                f"'{store.path}' already has {existing:,} episodes; demo data would mix with them. "
                "Use another file, or add --append to add demo episodes anyway."
            )
        added = store.add_episodes(demo.generate(args.episodes, args.seed, until))
        extra = ""
        if args.checkins:
            # Check-in days end two days before ``until``: no night's cramp lies ahead of now.
            diary = demo_checkins.generate_diary(
                args.checkins, args.seed, (until or date.today()) - timedelta(days=1)
            )
            added += store.add_episodes(diary.episodes)
            checkins = store.add_checkins(diary.checkins, replace=False)
            for medicine in diary.medicines:
                store.add_medicine(medicine)
            extra = f", {checkins:,} check-ins and {len(diary.medicines)} medicines"
        total = store.count_episodes()
        path = store.path
    elapsed = time.perf_counter() - began
    print(
        f"Added {added:,} demo episodes{extra} to '{path}' ({total:,} in total) in {elapsed:.1f} s."
    )
    return 0
