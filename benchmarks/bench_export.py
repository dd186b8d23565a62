"""Export, backup and restore of a big diary: time, peak memory, and the UI thread's longest
stall while the export dialog exports in its worker.

Run: .venv/bin/python benchmarks/bench_export.py [--episodes N] [--db DIARY] [--fhir]

--db uses a copy of an existing diary (e.g. /work/benchdata/demo_1M.sqlite; the file itself is
never written); otherwise a demo diary of N episodes (default 100,000) is made. Each measure
runs in a fresh child process, so its peak RSS is its own. Targets (issue 11): an export of
1,000,000 episodes in under 15 s (scaled to N, at least 1 s), and under 250 MB peak RSS; the
UI thread never waits more than 50 ms while the dialog exports. Exits 1 when one is missed.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_common import ROOT, make_demo_db, peak_rss_mb, print_table

EXPORT_S_PER_MILLION = 15.0
RSS_LIMIT_MB = 250
STALL_LIMIT_MS = 50
TICK_MS = 5
IDLE_S = 2.0


def _usage() -> tuple[float, float]:
    """(CPU seconds, peak RSS in MB) of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime, peak_rss_mb()


# ----------------------------------------------------------------------------- in a child
def _child(kind: str, db: Path, out: Path) -> dict[str, float]:
    from tracker.store import Store

    if kind in ("csv", "json", "fhir"):
        from tracker.interop.exporting import export_to_file

        with Store.open(db, readonly=True) as store:
            began = time.perf_counter()
            count = export_to_file(store, kind, out)
            secs = time.perf_counter() - began
        return {"secs": secs, "count": count, "mb": out.stat().st_size / 1e6}
    if kind == "backup":
        from tracker.store.backup import backup_to

        with Store.open(db, readonly=True) as store:
            began = time.perf_counter()
            backup_to(store, out)
            return {"secs": time.perf_counter() - began}
    if kind == "restore":
        from tracker.store.backup import restore_database

        store = Store.open(db)
        began = time.perf_counter()
        store = restore_database(store, out)
        secs = time.perf_counter() - began
        count = store.count_episodes()
        store.close()
        return {"secs": secs, "count": count}
    if kind == "dialog":
        return _dialog_stall(db, out)
    raise SystemExit(f"unknown measure {kind}")


def _dialog_stall(db: Path, out: Path) -> dict[str, float]:
    """Export through the real dialog (offscreen) while a 5 ms timer records how late each of
    its ticks came: the longest gap is the longest the UI thread was kept from its events."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from tracker.store import Store
    from ui.data.export_dialog import ExportDialog

    app = QApplication.instance() or QApplication([])
    store = Store.open(db)  # as the app holds it: open for writing
    dialog = ExportDialog(store)
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("csv"))
    dialog.path_edit.setText(str(out))
    dialog.show()
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append((now - last[0]) * 1000)
        last[0] = now

    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(tick)
    timer.start()
    idle_until = time.perf_counter() + IDLE_S  # the same ticks with no work: the machine's own
    while time.perf_counter() < idle_until:
        app.processEvents()
        time.sleep(0.001)
    idle = sorted(gaps[1:])
    gaps.clear()
    began = time.perf_counter()
    ended: list[float] = []
    dialog.accepted.connect(lambda: ended.append(time.perf_counter()))
    dialog.rejected.connect(lambda: ended.append(time.perf_counter()))
    dialog.export()
    while not ended and dialog.task is not None:
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    secs = (ended[0] if ended else time.perf_counter()) - began
    dialog.close()
    store.close()
    return {
        "secs": secs,
        "max_gap": max(gaps, default=0.0),
        "p99_gap": _p99(gaps),
        "idle_max_gap": max(idle, default=0.0),
        "idle_p99_gap": _p99(idle),
    }


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.99 * (len(ordered) - 1))] if ordered else 0.0


def _measure(kind: str, db: Path, out: Path) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--db", str(db), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------------- the table
def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--episodes", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="an existing diary to use a copy of")
    parser.add_argument("--fhir", action="store_true", help="also time the FHIR export")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = _child(args.child, args.db, args.out)
        cpu, rss = _usage()
        print(json.dumps({**result, "cpu": cpu, "rss": rss}))
        return 0

    rows: list[tuple[str, str, str, bool | None]] = []
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        db = folder / "big.sqlite"
        if args.db:
            shutil.copyfile(args.db, db)  # never write to the given diary
            from tracker.store import Store

            with Store.open(db) as store:
                n = store.count_episodes()
            rows.append((f"copy of {args.db.name} ({n:,} episodes)", "", "", None))
        else:
            n = args.episodes
            secs = make_demo_db(db, n)
            rows.append((f"demo diary with {n:,} episodes", f"{secs:.1f} s", "", None))
        limit = max(1.0, EXPORT_S_PER_MILLION * n / 1_000_000)
        for fmt in ("csv", "json", *(("fhir",) if args.fhir else ())):
            got = _measure(fmt, db, folder / f"all.{fmt}")
            timed = fmt != "fhir"  # FHIR streams too, with no time target
            rows.append(
                (
                    f"export {fmt} ({got['count']:,} rows, {got['mb']:.0f} MB; "
                    f"cpu {got['cpu']:.1f} s)",
                    f"{got['secs']:.2f} s",
                    f"< {limit:.1f} s" if timed else "",
                    got["secs"] < limit if timed else None,
                )
            )
            rows.append(
                (
                    f"export {fmt}: peak RSS",
                    f"{got['rss']:.0f} MB",
                    f"< {RSS_LIMIT_MB} MB",
                    got["rss"] < RSS_LIMIT_MB,
                )
            )
        got = _measure("dialog", db, folder / "dialog.csv")
        rows.append(("export csv through the dialog (worker)", f"{got['secs']:.2f} s", "", None))
        rows.append(
            (
                f"  UI thread: longest gap between {TICK_MS} ms ticks "
                f"(p99 {got['p99_gap']:.0f} ms)",
                f"{got['max_gap']:.0f} ms",
                f"< {STALL_LIMIT_MS} ms",
                got["max_gap"] < STALL_LIMIT_MS,
            )
        )
        rows.append(
            (
                f"  the same with no work (the machine's own; p99 {got['idle_p99_gap']:.0f} ms)",
                f"{got['idle_max_gap']:.0f} ms",
                "",
                None,
            )
        )
        copy = folder / "copy.sqlite"
        got = _measure("backup", db, copy)
        rows.append(("backup (backup API, quick_check)", f"{got['secs']:.2f} s", "", None))
        got = _measure("restore", db, copy)
        rows.append(
            ("restore (check, copy, check, safety copy, swap)", f"{got['secs']:.2f} s", "", None)
        )
    ok = print_table(f"Export / backup / restore with {n:,} episodes", rows)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
