"""Run every benchmark (benchmarks/bench_*.py) one after another and print all their tables.

Run: .venv/bin/python benchmarks/run_all.py   (or `make bench`). Extra arguments are not passed
on; run a single script directly to change its sizes. Exits non-zero if any target was missed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    env = {**os.environ}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    failed = []
    for script in sorted(HERE.glob("bench_*.py")):
        if script.name == "bench_common.py":
            continue
        print(f"\n=== {script.name} ===", flush=True)
        began = time.perf_counter()
        result = subprocess.run([sys.executable, str(script)], cwd=HERE.parent, env=env)
        print(f"({script.name} took {time.perf_counter() - began:.1f} s)", flush=True)
        if result.returncode != 0:
            failed.append(script.name)
    if failed:
        print(f"\nTargets missed (or errors) in: {', '.join(failed)}")
        return 1
    print("\nAll benchmark targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
