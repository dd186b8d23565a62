"""CSV export: the exact columns, order, quoting, formula guard and the command line."""

import csv
import io
import os
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.factories import make_episode
from tracker.cli import main as cli
from tracker.diary.episode import Episode
from tracker.interop.export_csv import (
    CSV_COLUMNS,
    EXPORT_COLUMNS,
    episode_row,
    guard_cell,
    unguard_cell,
    write_csv,
)
from tracker.interop.exporting import Period, episodes_in_period, export_to_file
from tracker.store import Store

ROOT = Path(__file__).resolve().parents[3]
TZ = timezone(timedelta(hours=1))


def _fill(store):
    store.add_episode(
        make_episode(
            started_at=datetime(2026, 3, 12, 23, 50, tzinfo=TZ),
            site=("big_toe", "sole"),
            relief=("stretching", "massage"),
            relief_effect="partly",
            context=("cold", "poor_sleep"),
            warning_signs=("numbness",),
            fluid_ml=750,
            footwear_tight=True,
            notes='=HYPERLINK("http://evil")',
        )
    )
    store.add_episode(
        make_episode(started_at=datetime(2026, 3, 1, 4, 0, tzinfo=TZ), notes='line1\nline2, "q"')
    )
    store.add_episode(make_episode(started_at=datetime(2026, 3, 20, 8, 0, tzinfo=TZ), notes="-5"))


def _export_text(store, period=None) -> str:
    """The export without its byte-order mark (which every export starts with)."""
    buffer = io.StringIO(newline="")
    write_csv(episodes_in_period(store, period or Period()), buffer)
    text = buffer.getvalue()
    assert text.startswith("\ufeff") and not text.startswith("\ufeff\ufeff")
    return text[1:]


def test_header_order_and_oldest_first(store):
    _fill(store)
    text = _export_text(store)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert tuple(rows[0]) == EXPORT_COLUMNS
    assert tuple(rows[0][: len(CSV_COLUMNS)]) == CSV_COLUMNS  # the contract is a prefix
    assert rows[0][-3:] == ["local_date", "local_time", "uid"]
    assert [r[1] for r in rows[1:]] == [
        "2026-03-01T04:00:00+01:00",
        "2026-03-12T23:50:00+01:00",
        "2026-03-20T08:00:00+01:00",
    ]
    assert text.startswith("id,started_at,duration_s,side,site,severity,")
    # schema 6 appended sleep disturbance after the approximate-time flag
    assert rows[0][len(CSV_COLUMNS) - 2 : len(CSV_COLUMNS)] == [
        "time_approximate",
        "sleep_disturbance",
    ]
    assert text.endswith("\r\n")  # RFC 4180 line ends


def test_multi_valued_codes_and_numbers(store):
    _fill(store)
    rows = list(csv.DictReader(io.StringIO(_export_text(store), newline="")))
    row = rows[1]
    assert row["site"] == "big_toe;sole"
    assert row["relief"] == "stretching;massage"
    assert row["context"] == "cold;poor_sleep"
    assert row["warning_signs"] == "numbness"
    assert row["fluid_ml"] == "750"
    assert row["footwear_tight"] == "1"
    assert row["relief_effect"] == "partly"
    assert rows[0]["fluid_ml"] == "" and rows[0]["relief_effect"] == ""
    assert rows[0]["notes"] == 'line1\nline2, "q"'


def test_not_recorded_fields_are_empty_cells_and_flags_are_0_or_1(store):
    store.add_episode(
        Episode(
            started_at=datetime(2026, 3, 5, 3, 0, tzinfo=TZ),
            duration_s=45,
            time_approximate=True,
        )
    )
    store.add_episode(make_episode(started_at=datetime(2026, 3, 6, 3, 0, tzinfo=TZ)))
    text = _export_text(store)
    quick, full = list(csv.DictReader(io.StringIO(text, newline="")))
    for name in ("side", "site", "severity", "activity", "hydration", "footwear"):
        assert quick[name] == "", name
    assert quick["time_approximate"] == "1" and quick["footwear_tight"] == "0"
    assert full["time_approximate"] == "0"
    assert full["severity"] == "6" and full["side"] == "left"
    assert quick["sleep_disturbance"] == "" and full["sleep_disturbance"] == ""
    assert "2026-03-05T03:00:00+01:00,45,,,,,,,,0,,,,,,1,,2026-03-05,03:00:00," in text
    assert "None" not in text


def test_severity_stays_a_number(store):
    store.add_episode(make_episode(severity=0))
    row = episode_row(next(episodes_in_period(store)))
    assert row[CSV_COLUMNS.index("severity")] == 0
    assert row[CSV_COLUMNS.index("time_approximate")] == 0


def test_formula_guard_visible_in_raw_text(store):
    _fill(store)
    text = _export_text(store)
    assert '"\'=HYPERLINK(""http://evil"")"' in text
    # notes, time_approximate, sleep_disturbance (not recorded), date, time
    assert ",'-5,0,,2026-03-20,08:00:00," in text
    # numbers are never prefixed
    assert ",'9" not in text and ",'1" not in text


@pytest.mark.parametrize(
    "raw, guarded",
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("\nx", "'\nx"),
        ("'quoted", "''quoted"),
        ("plain = text", "plain = text"),
        ("", ""),
    ],
)
def test_guard_and_unguard(raw, guarded):
    assert guard_cell(raw) == guarded
    assert unguard_cell(guarded) == raw


def test_period_is_inclusive_local_dates(store):
    _fill(store)
    period = Period(date(2026, 3, 12), date(2026, 3, 12))
    rows = list(csv.DictReader(io.StringIO(_export_text(store, period), newline="")))
    assert [r["started_at"] for r in rows] == ["2026-03-12T23:50:00+01:00"]


def test_export_to_file_is_atomic_on_failure(store, tmp_path, monkeypatch):
    _fill(store)
    out = tmp_path / "out.csv"
    out.write_text("previous export", encoding="utf-8")

    import tracker.interop.export_csv as export_csv

    def broken(row):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export_csv, "stored_row_cells", broken)
    with pytest.raises(OSError):
        export_to_file(store, "csv", out)
    assert out.read_text(encoding="utf-8") == "previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "out.csv"]


def test_cli_export_to_stdout_while_store_is_open_for_writing(store, db_path):
    _fill(store)  # the fixture keeps the writing lock, like the running app
    result = subprocess.run(
        [sys.executable, "main.py", "export", "--db", str(db_path), "--format", "csv"],
        cwd=ROOT,
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode("utf-8")
    assert text.startswith("\ufeff" + ",".join(EXPORT_COLUMNS) + "\r\n")
    assert len(list(csv.reader(io.StringIO(text, newline="")))) == 4


def test_cli_export_to_file_with_period(store, db_path, tmp_path, capsys):
    _fill(store)
    out = tmp_path / "march.csv"
    code = cli.run(
        [
            "export",
            "--db",
            str(db_path),
            "--out",
            str(out),
            "--from",
            "2026-03-10",
            "--to",
            "2026-03-31",
        ]
    )
    assert code == 0
    assert "Exported 2 episodes" in capsys.readouterr().err
    with open(out, encoding="utf-8", newline="") as fh:
        assert len(list(csv.reader(fh))) == 3
    assert oct(os.stat(out).st_mode & 0o777) == oct(0o600)


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--from", "2026-02-30"], "--from: '2026-02-30' is not a date"),
        (["--from", "2026-03-02", "--to", "2026-03-01"], "--from is later than --to"),
        (["--out", "/nonexistent-folder/x.csv"], "does not exist"),
    ],
)
def test_cli_user_mistakes_are_one_line(store, db_path, capsys, argv, message):
    assert cli.run(["export", "--db", str(db_path), *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_cli_missing_database(tmp_path, capsys):
    assert cli.run(["export", "--db", str(tmp_path / "nope.sqlite")]) == 2
    assert "There is no database" in capsys.readouterr().err
    assert not (tmp_path / "nope.sqlite").exists()


def test_readonly_export_leaves_file_unchanged(db_path):
    with Store.open(db_path) as s:
        _fill(s)
    before = db_path.read_bytes()
    with Store.open(db_path, readonly=True) as s:
        _export_text(s)
    assert db_path.read_bytes() == before


def test_file_starts_with_a_utf8_bom_and_spreadsheets_see_date_and_time(store, tmp_path):
    store.add_episode(
        make_episode(started_at=datetime(2026, 3, 29, 1, 5, 9, tzinfo=TZ), notes="naïve café")
    )
    out = tmp_path / "diary.csv"
    export_to_file(store, "csv", out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfid,started_at,")
    assert "naïve café".encode() in raw
    # LibreOffice / Excel read a BOM file as UTF-8; so does Python's utf-8-sig
    with open(out, encoding="utf-8-sig", newline="") as fh:
        [row] = list(csv.DictReader(fh))
    assert row["notes"] == "naïve café"
    assert row["started_at"] == "2026-03-29T01:05:09+01:00"
    assert date.fromisoformat(row["local_date"]) == date(2026, 3, 29)
    assert row["local_time"] == "01:05:09"
    assert row["uid"] == next(episodes_in_period(store)).uid and len(row["uid"]) == 36
    # the local wall clock, not UTC: 00:30 at +05:00 is still the 29th
    far = timezone(timedelta(hours=5))
    row = episode_row(make_episode(started_at=datetime(2026, 3, 29, 0, 30, tzinfo=far)))
    assert row[len(CSV_COLUMNS) :] == ["2026-03-29", "00:30:00", ""]
