"""Small helpers the benchmark scripts share: demo databases, timing, and the result table."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

# Bytecode is cached, as for an installed app (pip compiles it): this machine's shell sets
# PYTHONDONTWRITEBYTECODE, and a module compiled from source in a worker thread (matplotlib's
# warm-up) holds the interpreter, and so the window, while it compiles.
sys.dont_write_bytecode = False

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def make_demo_db(path: Path, episodes: int, seed: int = 1) -> float:
    """Fill a new database with demo episodes the way `main.py demo` does; return seconds."""
    from tracker.diary import demo
    from tracker.store import Store

    began = time.perf_counter()
    with Store.open(path) as store:
        store.add_episodes(demo.generate(episodes, seed))
    return time.perf_counter() - began


def upgraded_copy(source: Path, target: Path) -> None:
    """Copy a ready-made diary (the source is never written) and open the copy once for
    writing, so it is upgraded to the current schema: the demo diaries in /work/benchdata may
    be of an older one, which a read-only open refuses."""
    import shutil

    from tracker.store import Store

    shutil.copyfile(source, target)
    with Store.open(target):
        pass


def timed(func: Callable[[], object], repeat: int) -> list[float]:
    """Run ``func`` ``repeat`` times; return each duration in milliseconds."""
    results = []
    for _ in range(repeat):
        began = time.perf_counter()
        func()
        results.append((time.perf_counter() - began) * 1000)
    return results


def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def target(name: str, values: list[float] | float, limit: float, digits: int = 0) -> tuple:
    """A table row for a median (or single value) that must stay below ``limit``."""
    value = median(values) if isinstance(values, list) else values
    return (name, f"{value:.{digits}f}", f"< {limit}", value < limit)


def print_table(title: str, rows: list[tuple[str, str, str, bool | None]]) -> bool:
    """Print ``(measure, value, target, ok)`` rows; return True when every target is met."""
    headers = ("measure", "value", "target", "ok")
    cells = [
        (name, value, target, "" if ok is None else ("yes" if ok else "NO"))
        for name, value, target, ok in rows
    ]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    line = "  ".join("-" * w for w in widths)
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print(line)
    for cell in cells:
        print("  ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True)))
    return all(ok is not False for *_, ok in rows)


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB: VmHWM from /proc/self/status, which starts
    afresh at exec. (getrusage's ru_maxrss does not: a child started by a benchmark that made a
    1M-episode demo in memory would report the parent's peak as its own.)"""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
