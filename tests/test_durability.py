"""Killing the app mid-save never damages the file or loses a save that had returned.

A child process saves episodes in a loop and prints each id after ``add_episode`` returns; we
SIGKILL it at a random moment, 25 times on the same file, and check the database each time.
"""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tracker.store import Store

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 25

CHILD = """
import random, sys
from datetime import datetime, timedelta, timezone
from tracker.diary.episode import Episode
from tracker.store import Store

rng = random.Random(int(sys.argv[2]))
store = Store.open(sys.argv[1])
start = datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=1)))
print("ready", flush=True)
while True:
    saved = store.add_episode(Episode(
        started_at=start + timedelta(minutes=rng.randrange(400_000)),
        duration_s=rng.randint(1, 900), side="left", site=("big_toe", "calf"),
        severity=rng.randint(0, 10), activity="in_bed", hydration="under", footwear="barefoot",
        notes="x" * rng.randrange(0, 6000),
    ))
    print(saved.id, flush=True)
"""


def check(db: Path, printed: set[int], note: str) -> None:
    conn = sqlite3.connect(db)  # a normal connection, so a leftover WAL is recovered
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok", note
        stored = {row[0] for row in conn.execute("SELECT id FROM episode")}
    finally:
        conn.close()
    missing = printed - stored
    assert not missing, f"{note}: saves that returned are missing: {sorted(missing)[:10]}"


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_sigkill_during_saves_loses_nothing(tmp_path):
    db = tmp_path / "durable.sqlite"
    seed = int.from_bytes(os.urandom(4), "little")
    rng = random.Random(seed)
    printed: set[int] = set()
    began = time.monotonic()
    for round_no in range(ROUNDS):
        note = f"round {round_no}, seed {seed}"
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(db), str(rng.randrange(1 << 30))],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            first = child.stdout.readline()
            assert first == "ready\n", f"{note}: child failed: {child.stderr.read()}"
            time.sleep(rng.uniform(0.0, 0.12))
            child.send_signal(signal.SIGKILL)
            output = child.stdout.read()
        finally:
            child.kill()
            child.wait(timeout=30)
            child.stdout.close()
            child.stderr.close()
        assert child.returncode == -signal.SIGKILL, note
        # only whole lines: each print is one write, but be strict about a cut-off last line
        lines = output.split("\n")[:-1]
        printed.update(int(line) for line in lines)
        check(db, printed, note)
    elapsed = time.monotonic() - began
    assert len(printed) > ROUNDS, "the child should have saved something most rounds"
    with Store.open(db) as store:  # the app itself opens the file after all those kills
        assert store.count_episodes() >= len(printed)
    assert elapsed < 60, f"took {elapsed:.1f} s"
    print(f"{ROUNDS} kills, {len(printed)} saves confirmed, {elapsed:.1f} s")
