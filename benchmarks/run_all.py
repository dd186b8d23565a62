"""Run every benchmark (benchmarks/bench_*.py) one after another and print all their tables.

Run: .venv/bin/python benchmarks/run_all.py [--full]   (or `make bench`). The start-up and
all-actions benchmarks run at 10,000 and 100,000 episodes; with --full (or BENCH_FULL=1) also at
1,000,000 (and import and export 1M), which takes several minutes. The demo diaries of
/work/benchdata are used (copied) when they are there. Run a single script directly to change
its sizes. Exits non-zero if any target was missed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHDATA = Path("/work/benchdata")  # ready-made demo diaries, copied before use
SIZES = {10_000: "demo_10k.sqlite", 100_000: "demo_100k.sqlite"}
FULL_SIZES = {**SIZES, 1_000_000: "demo_1M.sqlite"}


def runs(script: str, sizes: dict[int, str]) -> list[list[str]]:
    """The argument lists ``script`` runs with: one per size for the sized benchmarks."""
    if script == "bench_startup.py":
        return [["--episodes", *map(str, sizes)]]
    if script == "bench_actions.py":
        return [
            ["--db", str(BENCHDATA / name)]
            if (BENCHDATA / name).exists()
            else ["--episodes", str(n)]
            for n, name in sizes.items()
        ]
    if script in ("bench_import.py", "bench_export.py") and 1_000_000 in sizes:
        return [[], ["--episodes", "1000000"]]  # the 1M targets: import < 30 s, export < 15 s
    return [[]]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    full = "--full" in args or os.environ.get("BENCH_FULL") == "1"
    sizes = FULL_SIZES if full else SIZES
    env = {**os.environ}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    failed = []
    for script in sorted(HERE.glob("bench_*.py")):
        if script.name == "bench_common.py":
            continue
        for extra in runs(script.name, sizes):
            name = " ".join([script.name, *extra])
            print(f"\n=== {name} ===", flush=True)
            began = time.perf_counter()
            command = [sys.executable, str(script), *extra]
            result = subprocess.run(command, cwd=HERE.parent, env=env)
            print(f"({name} took {time.perf_counter() - began:.1f} s)", flush=True)
            if result.returncode != 0:
                failed.append(name)
    if failed:
        print(f"\nTargets missed (or errors) in: {', '.join(failed)}")
        return 1
    print("\nAll benchmark targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
