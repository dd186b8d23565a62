"""Import of our JSON and CSV: round trips, preview, duplicates, bad rows, all-or-nothing."""

import csv
import io
import json
import tempfile
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests.factories import TZ, make_episode
from tests.tracker.episode_strategies import unique_episodes
from tracker.cli import main as cli
from tracker.diary.episode import Episode
from tracker.interop import import_source
from tracker.interop.export_csv import CSV_COLUMNS
from tracker.interop.exporting import write_episodes
from tracker.interop.importer import (
    ImportFileError,
    ImportSource,
    NeedsMappingError,
    commit_import,
    preview_import_bytes,
)
from tracker.store import Store, backup_dir, import_writes


def _export(store, fmt) -> bytes:
    buffer = io.StringIO(newline="")
    write_episodes(store, fmt, buffer)
    return buffer.getvalue().encode("utf-8")


def _import(store, data: bytes, **kw):
    preview = preview_import_bytes(store, data, "test")
    return preview, commit_import(store, preview, backup=kw.get("backup", False))


@pytest.mark.parametrize("fmt", ["json", "csv"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(original=unique_episodes())
def test_round_trip_gives_back_identical_episodes(fmt, original):
    with tempfile.TemporaryDirectory() as folder:
        with Store.open(Path(folder) / "a.sqlite") as a, Store.open(Path(folder) / "b.sqlite") as b:
            a.add_episodes(original)
            saved = list(a.iter_episodes())
            data = _export(a, fmt)
            preview, result = _import(b, data)
            assert preview.bad_rows == [] and preview.duplicate_count == 0
            assert result.added == len(saved)
            restored = list(b.iter_episodes())
            assert restored == saved  # every field, ids included
            if fmt == "json":
                assert [(e.created_at, e.updated_at) for e in restored] == [
                    (e.created_at, e.updated_at) for e in saved
                ]


def test_csv_shows_guard_and_import_removes_it(store, tmp_path):
    store.add_episode(make_episode(notes="=cmd|' /C calc'!A0"))
    store.add_episode(make_episode(started_at=datetime(2026, 3, 11, 1, 0, tzinfo=TZ), notes="'x"))
    data = _export(store, "csv")
    assert b"'=cmd|' /C calc'!A0" in data and b",''x,0," in data
    with Store.open(tmp_path / "other.sqlite") as other:
        _import(other, data)
        assert [e.notes for e in other.iter_episodes()] == ["=cmd|' /C calc'!A0", "'x"]


def test_duplicates_are_skipped_in_store_and_within_file(store):
    store.add_episode(make_episode())
    rows = [
        make_episode(),  # every field the same as the stored one: a duplicate
        make_episode(side="right"),  # same start and duration, other leg: another cramp
        make_episode(duration_s=91),
        make_episode(duration_s=91, notes="twice in the file"),  # other notes: kept
        make_episode(duration_s=91),  # the same as row 3: a duplicate within the file
    ]
    payload = {
        "format": "cramp-tracker-episodes",
        "format_version": 1,
        "episodes": [_as_json(e) for e in rows],
    }
    preview = preview_import_bytes(store, json.dumps(payload).encode(), "dup.json")
    assert len(preview.to_add) == 3 and preview.duplicate_count == 2
    assert preview.duplicate_lines == [1, 5]
    assert commit_import(store, preview, backup=False).added == 3
    assert store.count_episodes() == 4


def _as_json(episode):
    from tracker.interop.export_json import episode_to_dict

    return episode_to_dict(episode)


# The CSV header of the first release: every field always filled in, no time_approximate.
OLD_HEADER = (
    "id,started_at,duration_s,side,site,severity,activity,hydration,fluid_ml,footwear,"
    "footwear_tight,relief,relief_effect,context,warning_signs,notes"
)


def test_bad_rows_have_line_numbers_and_reasons(store):
    header = OLD_HEADER
    good = "{id},2026-03-0{d}T02:00:00+01:00,60,left,calf,5,in_bed,normal,,barefoot,0,,,,,{notes}"
    text = "\r\n".join(
        [
            header,
            good.format(id="", d=1, notes='"two\nlines"'),  # lines 2-3
            good.format(id="", d=2, notes="").replace(",5,", ",11,"),  # line 4: severity
            good.format(id="", d=3, notes="").replace("left", "middle"),  # line 5: side
            "1,2,3",  # line 6: ragged
            good.format(id="", d=4, notes="").replace("2026-03-04T02:00:00+01:00", "yesterday"),
            good.format(id="", d=5, notes="").replace(",60,", ",0,"),  # line 8: duration
        ]
    )
    preview = preview_import_bytes(store, text.encode(), "bad.csv")
    assert len(preview.to_add) == 1 and preview.to_add[0].notes == "two\nlines"
    reasons = {b.line: b.reason for b in preview.bad_rows}
    assert sorted(reasons) == [4, 5, 6, 7, 8]
    assert "Severity" in reasons[4]
    assert "Side" in reasons[5] and "middle" in reasons[5]
    assert "3 cells" in reasons[6]
    assert "Start" in reasons[7]
    assert "Duration" in reasons[8]
    assert preview.bad_rows[0].describe().startswith("Line 4: Severity")


def test_json_lone_surrogate_in_notes_is_a_bad_row(store):
    episode = _as_json(make_episode())
    text = json.dumps(
        {"format": "cramp-tracker-episodes", "format_version": 1, "episodes": [episode]}
    )
    text = text.replace('"notes": ""', '"notes": "a\\ud800b"')
    preview = preview_import_bytes(store, text.encode(), "s.json")
    assert preview.to_add == [] and "not valid text" in preview.bad_rows[0].reason


def test_warnings_do_not_stop_a_row(store):
    text = (
        OLD_HEADER + "\n,2026-03-01T02:00:00+01:00,900,left,calf,5,in_bed,normal,,barefoot,0,,,,,\n"
    )
    preview = preview_import_bytes(store, text.encode(), "long.csv")
    assert len(preview.to_add) == 1 and "unusual" in preview.warnings[0].reason


def test_ids_kept_when_free_and_renumbered_when_taken(store):
    store.add_episode(make_episode(id=5, started_at=datetime(2026, 1, 1, tzinfo=TZ)))
    episodes = [
        make_episode(id=5, started_at=datetime(2026, 1, 2, tzinfo=TZ)),
        make_episode(id=9, started_at=datetime(2026, 1, 3, tzinfo=TZ)),
        make_episode(id=None, started_at=datetime(2026, 1, 4, tzinfo=TZ)),
    ]
    payload = {"format": "cramp-tracker-episodes", "format_version": 1}
    payload["episodes"] = [_as_json(e) for e in episodes]
    _import(store, json.dumps(payload).encode())
    by_day = {e.started_at.day: e.id for e in store.iter_episodes()}
    assert by_day[1] == 5 and by_day[3] == 9
    assert len(set(by_day.values())) == 4


def test_commit_is_all_or_nothing(store, monkeypatch):
    store.add_episode(make_episode())
    before = store.count_episodes()
    data = _export_of_many(5)
    preview = preview_import_bytes(store, data, "many.json")
    assert len(preview.to_add) == 5
    real = import_writes._insert

    def failing(*args, **kwargs):
        real(*args, **kwargs)  # the rows are written...
        raise RuntimeError("disk on fire")  # ...then the disk fails before the commit

    monkeypatch.setattr(import_writes, "_insert", failing)
    with pytest.raises(RuntimeError):
        commit_import(store, preview, backup=False)
    assert store.count_episodes() == before
    monkeypatch.setattr(import_writes, "_insert", real)
    assert commit_import(store, preview, backup=False).added == 5


def _export_of_many(n) -> bytes:
    episodes = [
        _as_json(make_episode(started_at=datetime(2025, 5, d, 3, 0, tzinfo=TZ)))
        for d in range(1, n + 1)
    ]
    return json.dumps(
        {"format": "cramp-tracker-episodes", "format_version": 1, "episodes": episodes}
    ).encode()


def test_commit_takes_backup_first(store):
    store.add_episode(make_episode())
    preview = preview_import_bytes(store, _export_of_many(2), "x.json")
    result = commit_import(store, preview)
    assert result.backup_path and result.backup_path.parent == backup_dir(store.path)
    with Store.open(result.backup_path, readonly=True) as copy:
        assert copy.count_episodes() == 1
    assert store.count_episodes() == 3


BIG_JUNK = 50 * 1024 * 1024


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"  \r\n\n ", "empty"),
        (",".join(CSV_COLUMNS).encode() + b"\r\n", "no episodes"),
        (
            b'{"format": "cramp-tracker-episodes", "format_version": 1, "episodes": []}',
            "no episodes",
        ),
        (b'{"format": "cramp-tracker-episodes", "format_version": 7, "episodes": []}', "newer"),
        (b'{"format": "something-else"}', "not a Cramp Tracker export"),
        (b'{"format": "cramp-tracker-episodes", "episodes": [', "not valid JSON"),
        (b"[" * 100_000, "not a Cramp Tracker export"),
        (
            b'{"format": "cramp-tracker-episodes", "format_version": 2, "episodes": ['
            + b"[" * 100_000,
            "too deeply nested",
        ),
        (b"\x00\x01\x02\x03" * 100, "binary"),
        (b"PK\x03\x04rest-of-zip", "Excel"),
        (b"SQLite format 3\x00" + b"\x00" * 100, "Restore from backup"),
        # UTF-16 and Windows-1252 are read (tests/tracker/interop/test_foreign_files.py); bytes that
        # are neither UTF-8 nor Windows-1252 are still named.
        ("id,notes\n1,café\n".encode("utf-16"), "not a Cramp Tracker CSV"),
        (b"id,started_at\n1,caf\x81\xe9\n", "not UTF-8"),
        (b"name;age\nbob;3\n", "not a Cramp Tracker CSV"),
        (b'a,"b\n' + b"x" * 200_000, "cannot be read as CSV"),
    ],
)
def test_malformed_files_get_clear_messages(store, data, message):
    store.add_episode(make_episode())
    with pytest.raises(ImportFileError) as info:
        preview_import_bytes(store, data, "bad-file")
    assert message in str(info.value)
    assert store.count_episodes() == 1


@pytest.mark.parametrize("ascii_only", [False, True])
def test_fifty_megabytes_of_junk(store, ascii_only):
    import random

    rng = random.Random(3)
    if ascii_only:
        data = bytes(rng.choice(b"abc,;\"'\n\r=1") for _ in range(1000)) * (BIG_JUNK // 1000)
    else:
        data = rng.randbytes(BIG_JUNK)
    try:
        preview = preview_import_bytes(store, data, "junk")
    except ImportFileError as exc:
        assert "junk" in str(exc)
    else:
        assert preview.to_add == []
    assert store.count_episodes() == 0


def test_file_size_is_capped_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(import_source, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "huge.csv"
    path.write_bytes(b"x" * 2000)
    with pytest.raises(ImportFileError, match="'huge.csv' is larger than 1,000 bytes"):
        ImportSource.from_path(path)
    with pytest.raises(ImportFileError, match="folder"):
        ImportSource.from_path(tmp_path)
    with pytest.raises(ImportFileError, match="Cannot read"):
        ImportSource.from_path(tmp_path / "missing.csv")


def test_import_command_dry_run_then_real(db_path, tmp_path, capsys):
    with Store.open(tmp_path / "src.sqlite") as src:
        src.add_episode(make_episode())  # the same in every field as the one in dest
        src.add_episode(make_episode(duration_s=30, notes="from the old computer"))
        (tmp_path / "all.json").write_bytes(_export(src, "json"))
    with Store.open(db_path) as dest:
        dest.add_episode(make_episode())  # already there: a duplicate
    assert cli.run(["import", str(tmp_path / "all.json"), "--db", str(db_path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "1 to add, 1 duplicates" in out and "nothing was written" in out
    assert "Not recorded" not in out
    with Store.open(db_path) as dest:
        assert dest.count_episodes() == 1
    assert cli.run(["import", str(tmp_path / "all.json"), "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "Added 1 episodes" in out and "before the import is saved" in out
    with Store.open(db_path) as dest:
        assert dest.count_episodes() == 2


def test_import_command_names_fields_not_recorded(db_path, tmp_path, capsys):
    with Store.open(tmp_path / "src.sqlite") as src:
        src.add_episode(QUICK)
        src.add_episode(make_episode())
        (tmp_path / "all.csv").write_bytes(_export(src, "csv"))
    Store.open(db_path).close()
    assert cli.run(["import", str(tmp_path / "all.csv"), "--db", str(db_path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert (
        "Not recorded (kept empty, not guessed): Side in 1, Where in 1, Severity in 1, "
        "Activity in 1, Hydration in 1, Footwear in 1." in out
    )


def test_import_command_refuses_junk_without_traceback(db_path, tmp_path, capsys):
    (tmp_path / "junk.csv").write_bytes(b"\xff\xfe\x00junk" * 10)
    Store.open(db_path).close()
    assert cli.run(["import", str(tmp_path / "junk.csv"), "--db", str(db_path)]) == 2
    err = capsys.readouterr().err
    assert "Nothing was imported" in err and "Traceback" not in err


# --------------------------------------------------------------------------- not recorded
QUICK = Episode(started_at=datetime(2026, 3, 2, 3, 0, tzinfo=TZ), duration_s=60)


def test_old_csv_export_imports_exactly_as_before(store):
    text = (
        OLD_HEADER
        + "\r\n7,2026-03-01T02:00:00+01:00,90,right,calf;sole,4,in_bed,under,500,"
        + "high_heels,1,stretching,yes,cold,numbness,'=old\r\n"
    )
    preview = preview_import_bytes(store, text.encode(), "old.csv")
    assert preview.bad_rows == []
    assert preview.to_add == [
        Episode(
            started_at=datetime(2026, 3, 1, 2, 0, tzinfo=TZ),
            duration_s=90,
            side="right",
            site=("calf", "sole"),
            severity=4,
            activity="in_bed",
            hydration="under",
            fluid_ml=500,
            footwear="high_heels",
            footwear_tight=True,
            relief=("stretching",),
            relief_effect="yes",
            context=("cold",),
            warning_signs=("numbness",),
            notes="=old",
            time_approximate=False,
            id=7,
        )
    ]


def test_old_json_export_imports_exactly_as_before(store):
    old = {  # format 1: every key present, no time_approximate
        "id": 3,
        "started_at": "2026-03-01T02:00:00+01:00",
        "duration_s": 90,
        "side": "left",
        "site": ["big_toe"],
        "severity": 6,
        "activity": "in_bed",
        "hydration": "normal",
        "fluid_ml": None,
        "footwear": "barefoot",
        "footwear_tight": False,
        "relief": [],
        "relief_effect": None,
        "context": [],
        "warning_signs": [],
        "notes": "",
        "created_at": "2026-03-01T08:00:00+00:00",
        "updated_at": "2026-03-01T08:00:00+00:00",
    }
    payload = {"format": "cramp-tracker-episodes", "format_version": 1, "episodes": [old]}
    preview = preview_import_bytes(store, json.dumps(payload).encode(), "old.json")
    [episode] = preview.to_add
    assert episode == make_episode(started_at=datetime(2026, 3, 1, 2, 0, tzinfo=TZ), id=3)
    assert episode.time_approximate is False
    assert episode.created_at == "2026-03-01T08:00:00+00:00"


def test_json_writes_null_for_not_recorded_and_time_approximate(store):
    store.add_episode(QUICK.replace(time_approximate=True))
    document = json.loads(_export(store, "json"))
    assert document["format_version"] == 3
    [item] = document["episodes"]
    for name in ("side", "severity", "activity", "hydration", "footwear"):
        assert item[name] is None, name
    assert item["site"] == [] and item["time_approximate"] is True


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_quick_log_round_trip_keeps_none(store, tmp_path, fmt):
    store.add_episode(QUICK)
    store.add_episode(QUICK.replace(duration_s=61, severity=0, side="both", time_approximate=True))
    with Store.open(tmp_path / "other.sqlite") as other:
        _import(other, _export(store, fmt))
        assert list(other.iter_episodes()) == list(store.iter_episodes())
        quick, partial = other.iter_episodes()
        assert quick.side is None and quick.severity is None and quick.site == ()
        assert partial.severity == 0 and partial.hydration is None and partial.time_approximate


def test_csv_empty_cells_and_missing_columns_are_not_recorded(store):
    text = (
        "started_at,duration_s,side,severity,notes\r\n"
        "2026-03-01T02:00:00+01:00,30,,,\r\n"
        "2026-03-02T02:00:00+01:00,40, left ,3,x\r\n"
    )
    preview = preview_import_bytes(store, text.encode(), "short.csv")
    assert preview.kind == "csv" and preview.bad_rows == []
    first, second = preview.to_add
    assert first == Episode(started_at=datetime(2026, 3, 1, 2, 0, tzinfo=TZ), duration_s=30)
    assert second.side == "left" and second.severity == 3 and second.activity is None
    assert preview.not_recorded_counts() == {
        "Side": 1,
        "Where": 2,
        "Severity": 1,
        "Activity": 2,
        "Hydration": 2,
        "Footwear": 2,
    }


def test_json_nulls_and_missing_keys_are_not_recorded(store):
    items = [
        {"started_at": "2026-03-01T02:00:00+01:00", "duration_s": 30},
        {
            "started_at": "2026-03-02T02:00:00+01:00",
            "duration_s": 30,
            "side": None,
            "site": None,
            "severity": None,
            "time_approximate": True,
        },
    ]
    payload = {"format": "cramp-tracker-episodes", "format_version": 2, "episodes": items}
    preview = preview_import_bytes(store, json.dumps(payload).encode(), "n.json")
    assert preview.bad_rows == []
    first, second = preview.to_add
    assert first == Episode(started_at=datetime(2026, 3, 1, 2, 0, tzinfo=TZ), duration_s=30)
    assert second.site == () and second.side is None and second.time_approximate is True


@pytest.mark.parametrize(
    "item, message",
    [
        ({"time_approximate": "yes"}, "Approximate time"),
        ({"time_approximate": 1}, "Approximate time"),
        ({"side": 3}, "side: expected text or null"),
        ({"site": "calf"}, "site: expected a list"),
        ({"severity": "5"}, "Severity"),
        ({"duration_s": None}, "Duration"),
        ({"started_at": None}, "started_at"),
    ],
)
def test_json_wrong_types_are_bad_rows(store, item, message):
    base = {"started_at": "2026-03-01T02:00:00+01:00", "duration_s": 30, **item}
    payload = {"format": "cramp-tracker-episodes", "format_version": 2, "episodes": [base]}
    preview = preview_import_bytes(store, json.dumps(payload).encode(), "t.json")
    assert preview.to_add == [] and message in preview.bad_rows[0].reason


def test_json_without_start_or_duration_is_a_bad_row(store):
    payload = {"format": "cramp-tracker-episodes", "format_version": 2, "episodes": [{}]}
    preview = preview_import_bytes(store, json.dumps(payload).encode(), "t.json")
    assert "missing field(s): duration_s, started_at" in preview.bad_rows[0].reason


def test_csv_time_approximate_must_be_yes_or_no(store):
    text = (
        ",".join(CSV_COLUMNS) + "\r\n"
        ",2026-03-01T02:00:00+01:00,30,,,,,,,,0,,,,,,maybe,\r\n"
        ",2026-03-02T02:00:00+01:00,30,,,,,,,,0,,,,,,true,\r\n"
    )
    preview = preview_import_bytes(store, text.encode(), "f.csv")
    [bad] = preview.bad_rows
    assert bad.line == 2 and "Approximate time" in bad.reason
    assert preview.to_add[0].time_approximate is True


def test_csv_with_unknown_columns_needs_mapping_and_says_which(store):
    text = "started_at,duration_s,pain\n2026-03-01T02:00:00+01:00,30,4\n"
    with pytest.raises(NeedsMappingError, match="columns it does not know: pain"):
        preview_import_bytes(store, text.encode(), "x.csv")


def test_our_json_keeps_episode_uids_when_free_and_never_collides(tmp_path):
    """A diary moved by export/import keeps each episode's uid (a clinic system recognises it);
    importing the same file into a diary that has those uids gives fresh ones, never a clash."""
    with Store.open(tmp_path / "a.sqlite") as a, Store.open(tmp_path / "b.sqlite") as b:
        a.add_episode(make_episode())
        a.add_episode(make_episode(started_at=datetime(2026, 3, 11, 1, 0, tzinfo=TZ)))
        original = {e.started_at: e.uid for e in a.iter_episodes()}
        data = _export(a, "json")
        _import(b, data)
        assert {e.started_at: e.uid for e in b.iter_episodes()} == original
        # the same episodes changed a little are not duplicates; their uids are taken: fresh ones
        changed = data.replace(b'"severity": 6', b'"severity": 5')
        _import(b, changed)
        uids = [e.uid for e in b.iter_episodes()]
        assert len(uids) == 4 and len(set(uids)) == 4


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_export_from_before_sleep_disturbance_imports_it_as_not_recorded(store, fmt):
    """Schema 6 added sleep disturbance: a file exported before it (no such column or key)
    still imports, every other value exact, sleep disturbance not recorded."""
    with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder) / "a.sqlite") as a:
        a.add_episode(make_episode(notes="night", sleep_disturbance=6))
        a.add_episode(make_episode(started_at=datetime(2026, 3, 11, 1, 0, tzinfo=TZ)))
        saved = list(a.iter_episodes())
        data = _export(a, fmt).decode("utf-8")
    assert "sleep_disturbance" in data
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(data.lstrip("\ufeff"), newline="")))
        at = rows[0].index("sleep_disturbance")
        assert rows[1][at] == "6"
        old = "".join(",".join(r[:at] + r[at + 1 :]) + "\r\n" for r in rows)
    else:
        payload = json.loads(data)
        assert payload["episodes"][0]["sleep_disturbance"] == 6
        for item in payload["episodes"]:
            del item["sleep_disturbance"]
        old = json.dumps(payload)
    assert "sleep_disturbance" not in old
    preview = preview_import_bytes(store, old.encode(), f"old.{fmt}")
    assert preview.bad_rows == []
    assert preview.to_add == [e.replace(sleep_disturbance=None) for e in saved]


def test_csv_sleep_disturbance_out_of_range_is_a_bad_row(store):
    header = ",".join(CSV_COLUMNS)
    text = (
        f"{header}\r\n"
        ",2026-03-01T02:00:00+01:00,30,,,,,,,,0,,,,,,0,11\r\n"
        ",2026-03-02T02:00:00+01:00,30,,,,,,,,0,,,,,,0,4\r\n"
    )
    preview = preview_import_bytes(store, text.encode(), "f.csv")
    [bad] = preview.bad_rows
    assert bad.line == 2 and "Sleep disturbance (0-10): choose a whole number" in bad.reason
    assert [e.sleep_disturbance for e in preview.to_add] == [4]


def test_a_csv_from_before_sleep_disturbance_takes_the_fast_reading(store, monkeypatch):
    """A million-row export from schema 5 still reads at the fast path's speed: no row of it
    falls back to the general (slower) reading."""
    from tracker.interop import import_formats

    with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder) / "a.sqlite") as a:
        a.add_episode(make_episode(notes="x"))
        rows = list(csv.reader(io.StringIO(_export(a, "csv").decode().lstrip("\ufeff"))))
        saved = list(a.iter_episodes())
    at = rows[0].index("sleep_disturbance")
    old = "".join(",".join(r[:at] + r[at + 1 :]) + "\r\n" for r in rows)

    def general(values):
        raise AssertionError("the general reading was used")

    monkeypatch.setattr(import_formats, "_episode_from_strings", general)
    preview = preview_import_bytes(store, old.encode(), "old.csv")
    assert preview.bad_rows == [] and preview.to_add == saved


def test_a_json_from_before_sleep_disturbance_takes_the_fast_reading(store, monkeypatch):
    from tracker.interop import import_formats

    with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder) / "a.sqlite") as a:
        a.add_episode(make_episode(notes="x"))
        payload = json.loads(_export(a, "json"))
        saved = list(a.iter_episodes())
    del payload["episodes"][0]["sleep_disturbance"]

    def general(item):
        raise AssertionError("the general reading was used")

    monkeypatch.setattr(import_formats, "_checked_episode_from_json", general)
    preview = preview_import_bytes(store, json.dumps(payload).encode(), "old.json")
    assert preview.bad_rows == [] and preview.to_add == saved
