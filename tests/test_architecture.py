"""The core stays free of Qt and pyplot; the UI never runs SQL."""

import importlib
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import tracker

ROOT = Path(__file__).resolve().parent.parent


def test_tracker_imports_without_qt_or_pyplot():
    modules = [m.name for m in pkgutil.walk_packages(tracker.__path__, "tracker.")]
    code = (
        "import sys\n"
        "blocked = ('PySide6', 'shiboken6', 'matplotlib.pyplot',"
        " 'matplotlib.backends.backend_qtagg')\n"
        "for name in blocked:\n"
        "    sys.modules[name] = None\n"
        "import importlib\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
        "print('ok', len(sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok")
    assert len(modules) >= 5


def test_ui_runs_no_sql():
    pattern = re.compile(r"\b(execute|executemany|executescript)\(|import sqlite3")
    offenders = [
        str(path)
        for path in (ROOT / "ui").rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_no_pyplot_anywhere():
    offenders = [
        str(path)
        for folder in ("tracker", "ui")
        for path in (ROOT / folder).rglob("*.py")
        if re.search(r"matplotlib\.pyplot|import pyplot", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_every_tracker_module_importable():
    for info in pkgutil.walk_packages(tracker.__path__, "tracker."):
        importlib.import_module(info.name)


def _sources(*folders: str):
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


def test_every_sql_statement_lives_in_the_store():
    # matplotlib's engine.execute(fig) (tracker/charts) is a layout engine, not SQL
    pattern = re.compile(r"(?<!engine)\.(execute|executemany|executescript)\(")
    offenders = [
        name
        for name, text in _sources("tracker", "ui")
        if not name.startswith("tracker/store/") and pattern.search(text)
    ]
    assert offenders == []


def test_only_the_store_touches_its_connection():
    pattern = re.compile(r"\.conn\b|\b(store|reader)\.db\b")
    offenders = [
        name
        for name, text in _sources("tracker", "ui")
        if not name.startswith("tracker/store/") and pattern.search(text)
    ]
    assert offenders == []
