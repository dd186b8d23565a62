"""`python main.py demo ...` end to end, and clear errors (no traceback) for bad --db files."""

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.tracker.store.test_bad_files import damaged_page, newer_schema, other_app, text_file
from tracker.store import Store

ROOT = Path(__file__).resolve().parents[3]
ROWS = (
    "SELECT id, started_at, duration_s, side, site, severity, activity, hydration, fluid_ml, "
    "footwear, footwear_tight, relief, relief_effect, context, warning_signs, notes "
    "FROM episode ORDER BY id"
)


def run_main(*args, timeout=120):
    return subprocess.run(
        [sys.executable, "main.py", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def rows(path):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(ROWS).fetchall()
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_demo_fills_a_new_database(tmp_path):
    db = tmp_path / "sub" / "demo.sqlite"
    result = run_main("demo", "--db", db, "--episodes", 500, "--seed", 4)
    assert result.returncode == 0, result.stderr
    assert "500" in result.stdout and str(db) in result.stdout
    assert result.stderr == ""
    with Store.open(db) as store:
        assert store.count_episodes() == 500
        episodes = list(store.iter_episodes())
    assert sum(e.activity == "in_bed" for e in episodes) > 150
    # quick logs: stored as NULL ("not recorded"), read back as None, some times approximate
    assert 50 < sum(e.activity is None for e in episodes) < 200
    assert any(e.severity is None for e in episodes) and any(e.site == () for e in episodes)
    assert any(e.time_approximate for e in episodes)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_demo_is_reproducible(tmp_path):
    a, b, c = (tmp_path / f"{n}.sqlite" for n in "abc")
    for path in (a, b):
        result = run_main("demo", "--db", path, "--episodes", 300, "--seed", 11)
        assert result.returncode == 0, result.stderr
    assert run_main("demo", "--db", c, "--episodes", 300, "--seed", 12).returncode == 0
    assert rows(a) == rows(b)
    assert len(rows(a)) == 300
    assert rows(a) != rows(c)


def test_demo_until_pins_the_dates(tmp_path):
    a, b = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    for path in (a, b):
        result = run_main("demo", "--db", path, "--episodes", 50, "--until", "2025-01-01")
        assert result.returncode == 0, result.stderr
    assert rows(a) == rows(b)
    assert max(r[1] for r in rows(a)) < "2025-01-01"


def test_demo_refuses_a_database_with_episodes_unless_append(tmp_path):
    db = tmp_path / "demo.sqlite"
    assert run_main("demo", "--db", db, "--episodes", 20).returncode == 0
    before = rows(db)
    result = run_main("demo", "--db", db, "--episodes", 20)
    assert result.returncode != 0
    assert "already has 20 episodes" in result.stderr and "--append" in result.stderr
    assert "Traceback" not in result.stderr
    assert rows(db) == before
    result = run_main("demo", "--db", db, "--episodes", 20, "--seed", 5, "--append")
    assert result.returncode == 0, result.stderr
    assert len(rows(db)) == 40 and rows(db)[:20] == before


@pytest.mark.parametrize(
    "args, expected",
    [
        (("--episodes", 0), "--episodes"),
        (("--episodes", "many"), "invalid int"),
        (("--until", "yesterday"), "--until"),
        (("--until", "2999-01-01"), "--until"),
    ],
)
def test_demo_bad_arguments(tmp_path, args, expected):
    db = tmp_path / "x.sqlite"
    result = run_main("demo", "--db", db, *args)
    assert result.returncode != 0
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert not db.exists()


@pytest.mark.parametrize(
    "make, expected",
    [
        (text_file, "not a Cramp Tracker database"),
        (other_app, "another program"),
        (newer_schema, "newer version"),
        (damaged_page, "damaged"),
    ],
    ids=["text", "other-app", "newer-schema", "corrupt"],
)
def test_bad_db_clear_error_and_untouched(tmp_path, make, expected):
    db = tmp_path / "bad.sqlite"
    make(db)
    before = digest(db)
    result = run_main("demo", "--db", db, "--episodes", 5)
    assert result.returncode != 0
    assert expected in result.stderr and str(db) in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") <= 2
    assert digest(db) == before


def test_folder_as_db(tmp_path):
    result = run_main("demo", "--db", tmp_path, "--episodes", 5)
    assert result.returncode != 0
    assert "folder" in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_locked_db_clear_error(tmp_path):
    db = tmp_path / "locked.sqlite"
    with Store.open(db) as holder:
        result = run_main("demo", "--db", db, "--episodes", 5)
        assert holder.count_episodes() == 0
    assert result.returncode != 0
    assert "already open in another copy" in result.stderr and str(db) in result.stderr
    assert "Traceback" not in result.stderr
