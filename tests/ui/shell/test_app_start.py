"""main.py started as a real process: opens and closes cleanly, refuses bad files clearly."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _run(*args, env_extra=None):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CRAMP_TRACKER_EXIT_AFTER_SHOW="1")
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_opens_and_closes_cleanly(tmp_path):
    db = tmp_path / "new" / "diary.sqlite"
    result = _run("--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert db.exists()
    assert oct(db.stat().st_mode & 0o777) == "0o600"


def test_default_location_is_per_user_app_data(tmp_path):
    result = _run(env_extra={"XDG_DATA_HOME": str(tmp_path), "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "cramp-tracker" / "cramps.sqlite").exists()


def test_refuses_a_file_that_is_not_a_database(tmp_path):
    bad = tmp_path / "notes.sqlite"
    bad.write_text("my shopping list\n" * 100)
    before = hashlib.sha256(bad.read_bytes()).hexdigest()
    result = _run("--db", str(bad))
    assert result.returncode == 1
    assert str(bad) in result.stderr and "not a Cramp Tracker database" in result.stderr
    assert "Traceback" not in result.stderr
    assert hashlib.sha256(bad.read_bytes()).hexdigest() == before


def test_what_runs_before_the_first_paint_imports_no_heavy_feature():
    """ui.shell.app, the window and the history (all built before the first paint) leave
    matplotlib, numpy and the feature packages to be imported after it."""
    code = (
        "import sys\n"
        "import ui.shell.app, ui.shell.main_window, ui.history.page\n"
        "heavy = ('matplotlib', 'numpy', 'tracker.analysis', 'tracker.charts', "
        "'tracker.advice', 'tracker.interop', 'tracker.report', 'ui.patterns', 'ui.tips', "
        "'ui.report', 'ui.data', 'ui.shell.integrity_check', 'PySide6.QtNetwork')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
