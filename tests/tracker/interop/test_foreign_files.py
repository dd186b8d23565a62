"""Other programs' files (tests/data/foreign/) import with a saved mapping, inventing nothing.

Each file has a mapping next to it (``NAME.mapping.json``, written as docs/example-mapping.json
is): the command line imports it with ``--map``. Fields the file does not have stay "not
recorded"; rows the row filter leaves out are counted; times without a zone are local time.
"""

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.factories import make_episode
from tracker.cli import main as cli
from tracker.interop.export_csv import write_csv
from tracker.interop.import_mapping import (
    AmbiguousDatesError,
    ColumnMapping,
    guess_mapping,
    sniff_table,
)
from tracker.interop.importer import NeedsMappingError, preview_import, preview_import_bytes
from tracker.store import Store

FOREIGN = Path(__file__).resolve().parents[2] / "data" / "foreign"
DOCS = Path(__file__).resolve().parents[3] / "docs"


def local(*parts) -> datetime:
    return datetime(*parts)


# file -> (rows read, left out by the filter, expected episodes as field dicts)
EXPECTED = {
    "generic_log.csv": (
        6,
        2,
        [
            dict(start=local(2026, 3, 1, 2, 30), duration_s=60, severity=7, notes="woke me up"),
            dict(start=local(2026, 3, 3, 23, 10), duration_s=60, severity=5, notes=""),
            dict(
                start=local(2026, 3, 5, 3, 45),
                duration_s=60,
                severity=8,
                notes="left calf, stretched it",
            ),
            dict(start=local(2026, 3, 6, 22, 0), duration_s=60, severity=2, notes="mild"),
        ],
    ),
    "bearable_export.csv": (
        5,
        3,
        [
            dict(
                utc=datetime(2026, 3, 2, 20, 5, tzinfo=UTC), duration_s=120, notes="calf at night"
            ),
            dict(utc=datetime(2026, 3, 4, 2, 15, tzinfo=UTC), duration_s=120, notes=""),
        ],
    ),
    "us_sheet.csv": (
        3,
        0,
        [
            dict(start=local(2026, 3, 1, 21, 5), duration_s=300, side="left", fluid_ml=1000),
            dict(start=local(2026, 3, 2, 0, 30), duration_s=150, side="right", fluid_ml=500),
            dict(start=local(2026, 3, 14, 11, 15), duration_s=60, side="both", fluid_ml=2000),
        ],
    ),
    "uk_sheet.csv": (
        3,
        0,
        [
            dict(start=local(2026, 3, 1, 2, 30), duration_s=180, side="left", severity=6),
            dict(start=local(2026, 3, 5, 23, 45), duration_s=60, side="right", severity=4),
            dict(start=local(2026, 3, 12, 6, 10), duration_s=120, side="left", severity=5),
        ],
    ),
    "european.csv": (
        3,
        0,
        [
            dict(start=local(2026, 3, 1, 2, 30), duration_s=90, severity=7, fluid_ml=1500),
            dict(start=local(2026, 3, 2, 21, 15), duration_s=46, severity=4, fluid_ml=250),
            dict(
                start=local(2026, 3, 3, 6, 0),
                duration_s=120,
                fluid_ml=2000,
                notes="Fuß überstreckt",
            ),
        ],
    ),
    "utf16_excel.txt": (
        2,
        0,
        [
            dict(
                start=local(2026, 3, 4, 1, 20),
                duration_s=120,
                site=("calf",),
                notes="café au lit, ünïcödé",
            ),
            dict(
                start=local(2026, 3, 5, 4, 40), duration_s=240, site=("toes",), notes="日本語のメモ"
            ),
        ],
    ),
    "windows1252.csv": (
        2,
        0,
        [
            dict(start=local(2026, 3, 7, 3, 0), duration_s=60, notes="café then cramp"),
            dict(
                start=local(2026, 3, 8, 4, 30),
                duration_s=75,
                notes="naïve stretch – crème for €5",
            ),
        ],
    ),
    "multi_symptom.csv": (
        4,
        2,
        [
            dict(start=local(2026, 3, 15, 2, 30), duration_s=180, severity=6, notes="both at once"),
            dict(start=local(2026, 3, 18, 23, 45), duration_s=90, severity=5),
        ],
    ),
}


def check_episodes(episodes, expected, mapped_fields):
    assert len(episodes) == len(expected)
    for episode, want in zip(episodes, expected, strict=True):
        if "start" in want:
            assert episode.started_at.tzinfo is not None  # local time of this computer
            assert episode.started_at.replace(tzinfo=None) == want["start"]
        else:
            assert episode.started_at == want["utc"]
        assert episode.duration_s == want["duration_s"]
        for name in ("side", "severity", "fluid_ml", "notes", "site"):
            if name in want:
                assert getattr(episode, name) == want[name], name
        # nothing invented: a field the mapping does not fill is not recorded
        for name in ("side", "severity", "activity", "hydration", "footwear", "fluid_ml"):
            if name not in mapped_fields:
                assert getattr(episode, name) is None, name
        if "site" not in mapped_fields:
            assert episode.site == ()


def mapping_for(name: str) -> ColumnMapping:
    return ColumnMapping.from_json((FOREIGN / (Path(name).stem + ".mapping.json")).read_text())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_foreign_file_imports_on_the_command_line(name, db_path, capsys):
    Store.open(db_path).close()
    map_file = FOREIGN / (Path(name).stem + ".mapping.json")
    argv = ["import", str(FOREIGN / name), "--db", str(db_path), "--map", str(map_file)]
    assert cli.run(argv) == 0
    out, _ = capsys.readouterr()
    rows, left_out, expected = EXPECTED[name]
    assert f"{rows} rows read from {name}: {len(expected)} to add" in out
    if left_out:
        assert f"{left_out} left out by the row filter" in out
    with Store.open(db_path) as diary:
        episodes = list(diary.iter_episodes())
    check_episodes(episodes, expected, set(mapping_for(name).columns))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_foreign_file_previews_with_its_notes(name):
    preview = preview_import(None, FOREIGN / name, mapping_for(name))
    rows, left_out, expected = EXPECTED[name]
    assert preview.rows_read == rows and preview.filtered_out == left_out
    assert not preview.bad_rows
    check_episodes(
        sorted(preview.to_add, key=lambda e: e.started_at),
        expected,
        set(mapping_for(name).columns),
    )


def test_the_preview_says_how_it_read_the_file():
    def notes(name):
        return " ".join(preview_import(None, FOREIGN / name, mapping_for(name)).notes)

    assert "Duration read as minutes (from the title 'Duration (min)')." in notes("us_sheet.csv")
    assert "Dates read month first" in notes("us_sheet.csv")
    assert "Read as Windows-1252" in notes("windows1252.csv")
    assert "Read as UTF-16" in notes("utf16_excel.txt")
    assert "decimal comma" in notes("european.csv")
    assert "Dates read day first" in notes("european.csv")
    assert "the same for every row, 1 minute " in notes("generic_log.csv")


def test_all_day_and_month_first_dates_need_a_date_order(db_path, capsys):
    mapping = mapping_for("uk_sheet.csv")
    unsure = ColumnMapping.from_json(mapping.to_json().replace('"dmy"', '""'))
    with pytest.raises(AmbiguousDatesError, match="fit both day-first and month-first"):
        preview_import(None, FOREIGN / "uk_sheet.csv", unsure)
    month_first = ColumnMapping.from_json(mapping.to_json().replace('"dmy"', '"mdy"'))
    preview = preview_import(None, FOREIGN / "uk_sheet.csv", month_first)
    assert preview.to_add[0].started_at.replace(tzinfo=None) == datetime(2026, 1, 3, 2, 30)


def test_a_foreign_file_without_a_mapping_asks_for_one(db_path, capsys):
    argv = ["import", str(FOREIGN / "us_sheet.csv"), "--db", str(db_path), "--dry-run"]
    assert cli.run(argv) == 2
    assert "--map MAPPING.json" in capsys.readouterr().err


def test_a_bad_mapping_file_is_named(db_path, tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"columns": {"mood": "Date"}}')
    argv = ["import", str(FOREIGN / "us_sheet.csv"), "--db", str(db_path), "--map", str(bad)]
    assert cli.run(argv) == 2
    assert "unknown field 'mood'" in capsys.readouterr().err


def test_a_mapping_naming_a_missing_column_says_which():
    mapping = ColumnMapping.from_json('{"columns": {"date": "Day", "duration_s": "Secs"}}')
    with pytest.raises(NeedsMappingError.__mro__[1], match="'Day', 'Secs'"):
        preview_import(None, FOREIGN / "us_sheet.csv", mapping)


def test_the_documented_example_is_the_generic_log_mapping():
    example = json.loads((DOCS / "example-mapping.json").read_text())
    assert example == json.loads((FOREIGN / "generic_log.mapping.json").read_text())
    ColumnMapping.from_json((DOCS / "example-mapping.json").read_text())


def test_mapping_json_round_trip():
    table = sniff_table((FOREIGN / "us_sheet.csv").read_text())
    mapping = guess_mapping(table.header, table.delimiter)
    assert mapping.duration_unit == "minutes"
    mapping = ColumnMapping(
        columns=mapping.columns,
        defaults={"activity": "in_bed", "duration_s": "2"},
        delimiter=",",
        duration_unit="minutes",
        filter_column=3,
        filter_text="left",
        date_order="mdy",
        decimal=",",
    )
    text = mapping.to_json(table.header)
    assert '"Duration (min)"' in text  # columns saved by title, for the next file
    assert ColumnMapping.from_json(text).bind(table.header) == mapping
    assert ColumnMapping.from_json(mapping.to_json()) == mapping  # by number when no header


def test_sep_line_and_guessed_units():
    table = sniff_table((FOREIGN / "european.csv").read_text(encoding="utf-8"))
    assert table.delimiter == ";" and table.header[0] == "Datum"
    mapping = guess_mapping(["Date", "Dauer (s)"])
    assert mapping.columns == {"date": 0, "duration_s": 1}
    assert mapping.duration_unit == "seconds"
    assert guess_mapping(["When", "Duration (min)"]).duration_unit == "minutes"


def test_a_duration_title_without_a_unit_is_read_as_seconds_and_says_so():
    data = b"Date,Duration\n2026-03-01 02:30,5\n"
    table = sniff_table(data.decode())
    preview = preview_import_bytes(None, data, "d.csv", guess_mapping(table.header))
    assert preview.to_add[0].duration_s == 5
    assert "the title 'Duration' does not name a unit" in preview.notes[0]


def test_numbers_with_the_files_separators():
    comma = b"Date;Duration;Fluid\n2026-03-01 02:30;2,5;1.500\n"
    point = b'Date,Duration,Fluid\n2026-03-01 02:30,2.5,"1,500"\n'
    for data, delimiter in ((comma, ";"), (point, ",")):
        mapping = ColumnMapping(
            columns={"started_at": 0, "duration_s": 1, "fluid_ml": 2},
            delimiter=delimiter,
            duration_unit="minutes",
        )
        (episode,) = preview_import_bytes(None, data, "n.csv", mapping).to_add
        assert episode.duration_s == 150 and episode.fluid_ml == 1500


def test_our_csv_with_a_column_added_in_a_spreadsheet_loses_its_guard(store):
    buffer = io.StringIO(newline="")
    write_csv([make_episode(notes="=SUM(A1)")], buffer)
    lines = buffer.getvalue().splitlines()
    assert "'=SUM(A1)" in lines[1]
    data = "\r\n".join([lines[0] + ",mood", lines[1] + ",ok", ""]).encode()
    with pytest.raises(NeedsMappingError):
        preview_import_bytes(store, data, "ours.csv")
    table = sniff_table(data.decode("utf-8-sig"))
    mapping = guess_mapping(table.header, table.delimiter)
    (episode,) = preview_import_bytes(store, data, "ours.csv", mapping).to_add
    assert episode.notes == "=SUM(A1)"


def test_our_csv_with_the_newer_trailing_columns_is_ours(store):
    header = "id,started_at,duration_s,notes,local_date,local_time,uid"
    row = "7,2026-03-01T02:30:00+01:00,60,'=x,2026-03-01,02:30:00,abc-123"
    preview = preview_import_bytes(store, f"{header}\n{row}\n".encode(), "new.csv")
    assert preview.kind == "csv"
    (episode,) = preview.to_add
    assert episode.notes == "=x" and episode.duration_s == 60
    if hasattr(episode, "uid"):
        assert episode.uid == "abc-123"
