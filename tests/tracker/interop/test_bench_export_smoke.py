"""benchmarks/bench_export.py still runs to the end and prints its table (tiny size); its
targets are checked by the benchmark itself, not here (a shared machine is too noisy)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_bench_export_runs():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_export.py"), "--episodes", "300"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode in (0, 1), result.stderr  # 1 = a target missed, still a table
    assert "Traceback" not in result.stderr
    for measure in ("export csv: peak RSS", "export json", "UI thread: longest gap", "restore"):
        assert measure in result.stdout, result.stdout
