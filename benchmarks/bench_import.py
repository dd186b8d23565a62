"""Import of our own CSV and JSON exports: preview and commit time and peak memory.

Each measurement runs in a fresh Python process (so its peak RSS is its own), for both formats:
the preview and the commit into an empty diary (everything is added), and the preview and the
commit into the diary the file was exported from (everything is a duplicate, nothing added).

    python benchmarks/bench_import.py                     # 100,000 episodes
    python benchmarks/bench_import.py --episodes 1000000  # the issue's 1M target
    python benchmarks/bench_import.py --csv a.csv --json a.json --db source.sqlite

Without --db the demo diary of that size from /work/benchdata is copied (never written), or
made. The commit is timed without the safety copy taken before it (bench_export.py times
backups). Process CPU seconds are shown beside each time: on a shared machine they say more
than the wall clock. Exits 1 when a target is missed (1M: < 30 s and < 300 MB for each step).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_common import ROOT, make_demo_db, median, peak_rss_mb, print_table, upgraded_copy

BENCHDATA = Path("/work/benchdata")
LIMIT_S = 30.0
LIMIT_MB = 300.0


def _child(args: argparse.Namespace) -> int:
    """One import in this process; prints its times, counts and peak RSS as JSON."""
    from tracker.interop.importer import commit_import, preview_import
    from tracker.store import Store

    cpu = time.process_time()
    with Store.open(args.db) as store:
        began = time.perf_counter()
        preview = preview_import(store, args.file)
        preview_s = time.perf_counter() - began
        commit_s = 0.0
        added = 0
        if args.step == "commit":
            began = time.perf_counter()
            added = commit_import(store, preview, backup=False).added
            commit_s = time.perf_counter() - began
        counts = {
            "to_add": _count(preview, "add_count", "to_add"),
            "duplicates": _count(preview, "duplicate_count", "duplicates"),
            "bad": len(preview.bad_rows),
        }
    peak_mb = peak_rss_mb()
    times = {"preview_s": preview_s, "commit_s": commit_s, "cpu_s": time.process_time() - cpu}
    print(json.dumps(times | {"added": added, "rss_mb": peak_mb} | counts))
    return 0


def _count(preview: object, name: str, old: str) -> int:
    """A count of the preview (also from versions that listed every row)."""
    value = getattr(preview, name, None)
    return int(value) if value is not None else len(getattr(preview, old))


def _run_child(step: str, db: Path, file: Path) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", step, "--db", str(db), "--file", str(file)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    if done.returncode:
        raise SystemExit(f"{step} of {file.name} failed:\n{done.stderr}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _source_db(folder: Path, n: int, given: str | None) -> Path:
    db = folder / "source.sqlite"
    demo = (
        BENCHDATA / f"demo_{n // 1000}k.sqlite" if n < 1_000_000 else BENCHDATA / "demo_1M.sqlite"
    )
    original = Path(given) if given else demo
    if original.exists():
        upgraded_copy(original, db)  # never written: the copy is
    else:
        make_demo_db(db, n)
    return db


def _export(db: Path, fmt: str, out: Path) -> Path:
    from tracker.interop.exporting import export_to_file
    from tracker.store import Store

    with Store.open(db, readonly=True) as store:
        export_to_file(store, fmt, out)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=100_000)
    parser.add_argument("--csv", help="our CSV export to import (default: exported here)")
    parser.add_argument("--json", help="our JSON export to import (default: exported here)")
    parser.add_argument("--db", help="the diary the files came from (default: the demo diary)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each step (median)")
    parser.add_argument("--child", choices=("preview", "commit"), help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        args.step = args.child
        return _child(args)

    n = args.episodes
    rows: list[tuple[str, str, str, bool | None]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = _source_db(folder, n, args.db)
        files = {}
        for fmt in ("csv", "json"):
            given = getattr(args, fmt)
            files[fmt] = Path(given) if given else _export(source, fmt, folder / f"all.{fmt}")
        for fmt, file in files.items():
            size = file.stat().st_size / 1e6
            for into in ("empty", "source"):
                for step in ("preview", "commit"):
                    runs = []
                    for _ in range(args.repeat):
                        db = folder / f"into-{into}.sqlite"
                        for leftover in folder.glob(f"into-{into}.sqlite*"):
                            leftover.unlink()
                        if into == "source":
                            shutil.copyfile(source, db)
                        runs.append(_run_child(step, db, file))
                    secs = median([r[f"{step}_s"] for r in runs])
                    peak = median([r["rss_mb"] for r in runs])
                    last = runs[-1]
                    what = f"{fmt} ({size:.0f} MB) into {into} diary: {step}" + (
                        f" ({int(last['to_add']):,} to add, {int(last['duplicates']):,} duplicates)"
                        if step == "preview"
                        else f" (added {int(last['added']):,}, after a preview of "
                        f"{median([r['preview_s'] for r in runs]):.1f} s)"
                    )
                    limit_s = LIMIT_S * max(1.0, n / 1_000_000)
                    cpu = median([r.get("cpu_s", 0.0) for r in runs])
                    rows.append(
                        (
                            f"{what}, time s (process CPU {cpu:.1f} s)",
                            f"{secs:.1f}",
                            f"< {limit_s:.0f}",
                            secs < limit_s,
                        )
                    )
                    rows.append(
                        (what + ", peak MB", f"{peak:.0f}", f"< {LIMIT_MB:.0f}", peak < LIMIT_MB)
                    )
    load = os.getloadavg()[0]
    ok = print_table(f"Import of our own exports, {n:,} episodes (load {load:.1f})", rows)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
