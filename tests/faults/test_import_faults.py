"""Import under faults: broken quotes, near-duplicates, huge files, refused rows, full disks.

Each refusal is checked twice: the message says what is wrong and what to do, and the diary is
exactly as it was (the same rows; for the command line, the same bytes on disk).
"""

import errno
import hashlib
import io
import json
import os
import shutil
import tracemalloc
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.factories import TZ, make_episode
from tracker.cli import main as cli
from tracker.diary.episode import Episode
from tracker.interop import import_formats, import_mapping, import_source, importer
from tracker.interop.export_csv import CSV_COLUMNS, write_csv
from tracker.interop.export_json import episode_to_dict, write_json
from tracker.interop.import_formats import QUOTE_NOT_CLOSED
from tracker.interop.import_mapping import ColumnMapping, guess_mapping, sniff_table
from tracker.interop.importer import (
    BadRow,
    ImportFileError,
    ImportSource,
    ImportWriteError,
    NeedsMappingError,
    commit_import,
    preview_import,
    preview_import_bytes,
)
from tracker.store import Store, backup
from tracker.store.backup import BackupError

# The CSV header of the first release: notes is the last column.
OLD_HEADER = (
    "id,started_at,duration_s,side,site,severity,activity,hydration,fluid_ml,footwear,"
    "footwear_tight,relief,relief_effect,context,warning_signs,notes"
)
OLD_ROW = ",2026-03-{day:02d}T02:00:00+01:00,60,left,calf,5,in_bed,normal,,barefoot,0,,,,,{notes}"


def _rows_digest(store) -> str:
    """Every stored row, so 'nothing was written' does not depend on WAL checkpoints."""
    rows = store.conn.execute("SELECT * FROM episode ORDER BY id").fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _file_digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _old_csv(notes_by_day: dict[int, str], days=range(1, 13)) -> bytes:
    lines = [OLD_HEADER]
    lines += [OLD_ROW.format(day=d, notes=notes_by_day.get(d, f"n{d}")) for d in days]
    return ("\r\n".join(lines) + "\r\n").encode()


def _json_doc(episodes, **header) -> bytes:
    document = {"format": "cramp-tracker-episodes", "format_version": 2, **header}
    document["episodes"] = [episode_to_dict(e) for e in episodes]
    return json.dumps(document).encode()


def _days(n, **fields):
    start = datetime(2025, 1, 1, 3, 0, tzinfo=TZ)
    return [make_episode(started_at=start + timedelta(hours=i), **fields) for i in range(n)]


# --------------------------------------------------------------------------- a. broken quotes
def test_unclosed_quote_is_a_bad_row_and_the_rows_after_it_import(store):
    # Before: "3 rows read ... 0 with problems", and rows 4 to 12 were inside one note.
    data = _old_csv({3: '"oops, forgot the closing quote'})
    preview = preview_import_bytes(store, data, "diary.csv")
    assert preview.rows_read == 12
    assert preview.bad_rows == [BadRow(4, QUOTE_NOT_CLOSED)]
    assert (
        preview.bad_rows[0]
        .describe()
        .startswith('Line 4: a quote (") is never closed, so this row was skipped')
    )
    assert "1 with problems" in preview.summary()
    assert [e.notes for e in preview.to_add] == [f"n{d}" for d in range(1, 13) if d != 3]
    assert commit_import(store, preview, backup=False).added == 11


def test_quote_in_a_middle_cell_of_the_current_format(store):
    header = ",".join(CSV_COLUMNS)
    row = ",2026-03-{:02d}T02:00:00+01:00,60,{},calf,5,in_bed,normal,,barefoot,0,,,,,,0,"
    lines = [header] + [row.format(d, '"left' if d == 2 else "left") for d in range(1, 6)]
    preview = preview_import_bytes(store, "\n".join(lines).encode(), "now.csv")
    assert [(b.line, b.reason) for b in preview.bad_rows] == [(3, QUOTE_NOT_CLOSED)]
    assert len(preview.to_add) == 4


def test_stray_quote_closed_by_a_later_rows_quote(store):
    # The csv module would close the stray quote at row 6's own quoted note and swallow 4 and 5.
    data = _old_csv({3: '"oops', 6: '"said ""hi"" twice"'}, days=range(1, 8))
    preview = preview_import_bytes(store, data, "q.csv")
    assert [b.line for b in preview.bad_rows] == [4]
    assert [e.notes for e in preview.to_add] == ["n1", "n2", "n4", "n5", 'said "hi" twice', "n7"]


def test_unclosed_quote_past_the_csv_field_limit(store):
    # Before: the whole file was refused ("field larger than field limit").
    data = _old_csv({2: '"runaway'}, days=range(1, 29)) + b"\r\n".join(
        OLD_ROW.format(day=1, notes=f"{i:04d}" + "x" * 100).encode() for i in range(3000)
    )
    preview = preview_import_bytes(store, data, "big.csv")
    assert [(b.line, b.reason) for b in preview.bad_rows] == [(3, QUOTE_NOT_CLOSED)]
    assert len(preview.to_add) == 27 + 3000


def test_unclosed_quote_on_the_last_line(store):
    data = _old_csv({}, days=range(1, 4)) + OLD_ROW.format(day=4, notes='"no end').encode()
    preview = preview_import_bytes(store, data, "end.csv")
    assert [(b.line, b.reason) for b in preview.bad_rows] == [(5, QUOTE_NOT_CLOSED)]
    assert len(preview.to_add) == 3


def test_notes_with_line_breaks_and_quotes_still_import(store):
    notes = 'first line\nsecond, with "quotes"\r\nthird'
    buffer = io.StringIO(newline="")
    write_csv([make_episode(notes=notes), make_episode(duration_s=30)], buffer)
    preview = preview_import_bytes(store, buffer.getvalue().encode(), "ok.csv")
    assert preview.bad_rows == [] and [e.notes for e in preview.to_add] == [notes, ""]


def test_unclosed_quote_in_a_mapped_spreadsheet(store):
    sheet = (
        "Date;Duration;Side;Notes\n"
        "2025-02-01 02:30;90;left;fine\n"
        '2025-02-02 02:30;90;left;"woke me up\n'
        "2025-02-03 02:30;90;left;fine\n"
        "2025-02-04 02:30;90;right;\n"
    )
    table = sniff_table(sheet)
    mapping = guess_mapping(table.header, table.delimiter)
    preview = preview_import_bytes(store, sheet.encode(), "sheet.csv", mapping)
    assert [(b.line, b.reason) for b in preview.bad_rows] == [(3, QUOTE_NOT_CLOSED)]
    assert len(preview.to_add) == 3


def test_a_file_of_unclosed_quotes_is_refused(store, monkeypatch):
    monkeypatch.setattr(import_formats, "MAX_QUOTE_PROBLEMS", 3)
    store.add_episode(make_episode())
    before = _rows_digest(store)
    data = _old_csv({d: '"x' for d in range(2, 12, 2)})
    with pytest.raises(ImportFileError, match=r"more than 3 rows have a quote \(\"\)"):
        preview_import_bytes(store, data, "quotes.csv")
    assert _rows_digest(store) == before


def test_unclosed_quote_in_the_header(store):
    data = b'started_at,"duration_s\n2026-03-01T02:00:00+01:00,60\n'
    with pytest.raises(ImportFileError) as caught:
        preview_import_bytes(store, data, "h.csv")
    assert "line 1: the first row cannot be read as CSV" in str(caught.value)
    assert 'a quote (") in it is never closed' in str(caught.value)
    assert store.count_episodes() == 0


# --------------------------------------------------------------------------- b. duplicates
def test_same_start_and_duration_on_the_other_side_is_another_episode(store):
    store.add_episode(make_episode(side="left"))
    rows = [make_episode(side="left"), make_episode(side="right"), make_episode(side="both")]
    rows += [make_episode(side="right")]  # the same as row 2: a duplicate within the file
    preview = preview_import_bytes(store, _json_doc(rows), "sides.json")
    assert [e.side for e in preview.to_add] == ["right", "both"]
    assert preview.duplicate_lines == [1, 4]
    assert commit_import(store, preview, backup=False).added == 2
    assert sorted(e.side for e in store.iter_episodes()) == ["both", "left", "right"]


@pytest.mark.parametrize(
    "change",
    [
        {"severity": 2},
        {"notes": "other"},
        {"site": ("calf",)},
        {"time_approximate": True},
        {"fluid_ml": 250},
    ],
)
def test_any_other_field_makes_another_episode(store, change):
    store.add_episode(make_episode())
    preview = preview_import_bytes(store, _json_doc([make_episode(**change)]), "x.json")
    assert len(preview.to_add) == 1 and preview.duplicate_count == 0


def test_csv_rows_are_compared_by_every_field_too(store):
    buffer = io.StringIO(newline="")
    write_csv([make_episode(side="left"), make_episode(side="right")] * 2, buffer)
    preview = preview_import_bytes(store, buffer.getvalue().encode(), "twice.csv")
    assert [e.side for e in preview.to_add] == ["left", "right"]
    assert preview.duplicate_lines == [4, 5]


def test_commit_checks_the_diary_again_by_every_field(store):
    preview = preview_import_bytes(
        store, _json_doc([make_episode(side="left"), make_episode(side="right")]), "x.json"
    )
    store.add_episode(make_episode(side="left"))  # written meanwhile, in another window
    store.add_episode(make_episode(side="both"))  # same moment, not the same episode
    result = commit_import(store, preview, backup=False)
    assert (result.added, result.skipped) == (1, 1)
    assert sorted(e.side for e in store.iter_episodes()) == ["both", "left", "right"]


def test_many_episodes_at_one_moment_are_compared_quickly(store):
    # All at one start and duration: comparing each with every earlier one took 11 s for 3,000.
    rows = [make_episode(notes=f"note {i}") for i in range(3000)]
    data = _json_doc(rows)
    preview = preview_import_bytes(store, data, "moment.json")
    assert len(preview.to_add) == 3000
    commit_import(store, preview, backup=False)
    again = preview_import_bytes(store, data, "moment.json")
    assert again.to_add == [] and again.duplicate_count == 3000


# --------------------------------------------------------------------------- c. big files
def _full_episode(i: int) -> Episode:
    return make_episode(
        started_at=datetime(2020, 1, 1, 3, 0, tzinfo=TZ) + timedelta(minutes=5 * i),
        id=i + 1,
        site=("calf", "sole"),
        fluid_ml=250,
        relief=("stretching", "massage"),
        relief_effect="partly",
        notes="woke me up, stretched the calf for a minute",
        created_at="2024-01-01T00:00:00+00:00",
        updated_at="2024-01-01T00:00:00+00:00",
    )


def test_the_limits_let_our_export_of_the_most_episodes_back_in():
    # Before: 100 MiB, about 230,000 of our JSON episodes; the row limit is 1,000,000.
    buffer = io.StringIO()
    write_json([_full_episode(0)], buffer)
    line = next(x for x in buffer.getvalue().splitlines() if '"started_at"' in x)
    assert len(line.encode()) * import_formats.MAX_ROWS * 3 < import_source.MAX_FILE_BYTES


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_read_in_tiny_pieces_gives_the_same_episodes(store, monkeypatch, fmt):
    monkeypatch.setattr(import_source, "CHUNK_BYTES", 5)
    episodes = [
        _full_episode(i).replace(notes=note)
        for i, note in enumerate(["é€😀 over the pieces", 'a "quote"\r\nline', "\r", "x\ny", ""])
    ]
    buffer = io.StringIO(newline="")
    (write_json if fmt == "json" else write_csv)(episodes, buffer)
    preview = preview_import_bytes(store, buffer.getvalue().encode(), f"x.{fmt}")
    assert preview.bad_rows == [] and preview.to_add == episodes


@pytest.mark.parametrize("chunk", [3, 1 << 20])
@pytest.mark.parametrize(
    "text",
    [
        '{"format": "cramp-tracker-episodes", "format_version": 2,\n "episodes": [\n {"b" 2}]}',
        '{"format": "cramp-tracker-episodes", "format_version": 2, "episodes": [1,]}',
        '{"format": "cramp-tracker-episodes", "format_version": 2, "episodes": []} x',
        '{"format": "cramp-tracker-episodes", "format_version": 2, "episodes": [{"a": "b',
    ],
)
def test_json_errors_name_the_place_json_loads_names(store, monkeypatch, chunk, text):
    monkeypatch.setattr(import_source, "CHUNK_BYTES", chunk)
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    with pytest.raises(ImportFileError) as caught:
        preview_import_bytes(store, text.encode(), "broken.json")
    where = f"line {expected.value.lineno}, column {expected.value.colno}"
    assert f"'broken.json' is not valid JSON ({where}: {expected.value.msg})." == str(caught.value)


def test_keys_in_another_order_are_read(store):
    # jq -S sorts the keys: the episodes come before the format.
    document = json.loads(_json_doc(_days(3)))
    data = json.dumps(document, sort_keys=True, indent=2).encode()
    assert data.index(b'"episodes"') < data.index(b'"format"')
    preview = preview_import_bytes(store, data, "sorted.json")
    assert len(preview.to_add) == 3
    wrong = data.replace(b'"cramp-tracker-episodes"', b'"something-else"')
    with pytest.raises(ImportFileError, match="not a Cramp Tracker export"):
        preview_import_bytes(store, wrong, "sorted.json")


@pytest.fixture
def few_rows_allowed(monkeypatch):
    """MAX_ROWS 50, and a count of the rows turned into episodes."""
    monkeypatch.setattr(import_formats, "MAX_ROWS", 50)
    monkeypatch.setattr(importer, "MAX_ROWS", 50)
    built = []
    real = import_mapping.episode_from_cells

    def counting(*args):
        built.append(1)
        return real(*args)

    monkeypatch.setattr(import_mapping, "episode_from_cells", counting)
    return built


def _foreign_sheet(days: int) -> bytes:
    rows = [f"2026-{1 + d // 28:02d}-{1 + d % 28:02d} 02:30;{d % 5 + 1}" for d in range(days)]
    return "\n".join(["Date;Minutes", *rows, ""]).encode()


FOREIGN_MAPPING = ColumnMapping(
    columns={"started_at": 0, "duration_s": 1}, delimiter=";", duration_unit="minutes"
)


def test_another_programs_sheet_with_too_many_rows_is_refused_before_any_episode_is_built(
    store, tmp_path, few_rows_allowed
):
    store.add_episode(make_episode())
    before = _rows_digest(store)
    path = tmp_path / "many.csv"
    path.write_bytes(_foreign_sheet(51))
    with pytest.raises(ImportFileError) as caught:
        preview_import(store, path, FOREIGN_MAPPING)
    assert str(caught.value).startswith("'many.csv' has more than 50 rows")
    assert few_rows_allowed == []  # counted while reading, not after building 50 episodes
    assert _rows_digest(store) == before
    path.write_bytes(_foreign_sheet(50))
    assert preview_import(store, path, FOREIGN_MAPPING).add_count == 50


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_our_own_export_has_no_row_limit(store, tmp_path, few_rows_allowed, fmt):
    """A diary of more episodes than MAX_ROWS exports, and that export imports back whole."""
    buffer = io.StringIO(newline="")
    (write_json if fmt == "json" else write_csv)(_days(60), buffer)
    data = buffer.getvalue().encode()
    preview = preview_import_bytes(store, data, f"many.{fmt}")
    assert preview.add_count == preview.rows_read == 60 and preview.bad_count == 0
    one_line = _json_doc(_days(60))  # one line: nothing counts lines to refuse it either
    assert preview_import_bytes(store, one_line, "one-line.json").add_count == 60
    assert commit_import(store, preview, backup=False).added == 60
    assert store.count_episodes() == 60


def test_json_preview_memory_follows_the_episodes_not_the_file(store):
    n = 10_000
    buffer = io.StringIO()
    write_json((_full_episode(i) for i in range(n)), buffer)
    data = buffer.getvalue().encode()
    del buffer
    tracemalloc.start()
    try:
        preview = preview_import_bytes(store, data, "big.json")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(preview.to_add) == n
    # Measured: about 900 bytes an episode (the file has about 500); parsing the whole
    # document first took 2,600.
    assert peak / n < 1_500


# --------------------------------------------------------------------------- d. command line
def _write_csv_file(path, episodes, extra_lines=()):
    buffer = io.StringIO(newline="")
    write_csv(episodes, buffer)
    path.write_text(buffer.getvalue() + "".join(extra_lines), newline="")


def test_import_exits_1_when_rows_were_refused(db_path, tmp_path, capsys):
    Store.open(db_path).close()
    bad = ",yesterday,60" + "," * (len(CSV_COLUMNS) - 3) + "\r\n"
    _write_csv_file(tmp_path / "some-bad.csv", _days(2), [bad])
    assert cli.run(["import", str(tmp_path / "some-bad.csv"), "--db", str(db_path)]) == 1
    out, err = capsys.readouterr()
    assert "3 rows read from some-bad.csv: 2 to add" in out and "1 with problems" in out
    assert "Line 4: Start: 'yesterday'" in out
    assert "Added 2 episodes" in out
    assert "1 row with problems was not imported" in err
    with Store.open(db_path) as diary:
        assert diary.count_episodes() == 2


def test_import_of_only_bad_rows_exits_1_and_writes_nothing(db_path, tmp_path, capsys):
    with Store.open(db_path) as diary:
        diary.add_episode(make_episode())
    before = _file_digest(db_path)
    (tmp_path / "bad.csv").write_text(OLD_HEADER + "\n1,2,3\n,,\n4,5\n")
    assert cli.run(["import", str(tmp_path / "bad.csv"), "--db", str(db_path)]) == 1
    out, err = capsys.readouterr()
    assert "0 to add" in out and "2 with problems" in out and "Added 0 episodes" in out
    assert "2 rows with problems were not imported" in err
    assert _file_digest(db_path) == before
    assert not (db_path.parent / "backups").exists()


def test_dry_run_previews_against_a_diary_that_does_not_exist_yet(tmp_path, capsys):
    db = tmp_path / "new" / "diary.sqlite"
    _write_csv_file(tmp_path / "all.csv", _days(3))
    assert cli.run(["import", str(tmp_path / "all.csv"), "--db", str(db), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"There is no diary at '{db}' yet" in out
    assert "3 rows read from all.csv: 3 to add, 0 duplicates" in out
    assert "Dry run: nothing was written and no diary was created." in out
    assert not db.parent.exists()


def test_dry_run_exits_1_when_rows_would_be_refused(db_path, tmp_path, capsys):
    with Store.open(db_path) as diary:
        diary.add_episode(make_episode())
    before = _file_digest(db_path)
    _write_csv_file(tmp_path / "x.csv", _days(2), [",soon,60" + "," * 14 + "\r\n"])
    assert cli.run(["import", str(tmp_path / "x.csv"), "--db", str(db_path), "--dry-run"]) == 1
    assert "Dry run: nothing was written." in capsys.readouterr().out
    assert _file_digest(db_path) == before


# --------------------------------------------------------------------------- e. messages
@pytest.mark.parametrize(
    "header, says",
    [
        ("started_at,duration_s,", "column 3 of its first row has no name"),
        ("id,notes", "it has no duration_s or started_at column"),
        ("started_at,duration_s,notes,notes", "the column notes is named twice"),
        ("started_at,duration_s,mood", "columns it does not know: mood"),
    ],
)
def test_a_header_that_is_not_ours_says_what_is_wrong(store, header, says):
    with pytest.raises(NeedsMappingError) as caught:
        preview_import_bytes(store, f"{header}\n2026-03-01T02:00:00+01:00,60,,\n".encode(), "h")
    assert says in str(caught.value)
    assert ": )" not in str(caught.value) and ", )" not in str(caught.value)


def test_size_cap_is_said_in_the_unit_people_read(db_path, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(import_source, "MAX_FILE_BYTES", 100_000_000)
    with Store.open(db_path) as diary:
        diary.add_episode(make_episode())
    before = _file_digest(db_path)
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as fh:
        fh.truncate(150_000_000)  # sparse: takes no space
    assert cli.run(["import", str(huge), "--db", str(db_path)]) == 2
    err = capsys.readouterr().err
    assert "'huge.json' is larger than 100 MB" in err and "Nothing was imported" in err
    assert "104" not in err and "105" not in err
    assert _file_digest(db_path) == before


def test_full_disk_while_saving_says_so(store):
    store.add_episode(make_episode())
    preview = preview_import_bytes(store, _json_doc(_days(3000)), "many.json")
    before = _rows_digest(store)
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own "disk is full"
    with pytest.raises(ImportWriteError) as caught:
        commit_import(store, preview, backup=False)
    message = str(caught.value)
    assert message.startswith("Nothing was imported: the episodes could not be saved because")
    assert "is full. Your diary is as it was. Free some space" in message
    assert "damaged" not in message
    assert _rows_digest(store) == before


def test_full_disk_while_taking_the_safety_copy_says_so(store, monkeypatch):
    store.add_episode(make_episode())
    preview = preview_import_bytes(store, _json_doc(_days(3)), "x.json")
    before = _rows_digest(store)

    def full(store, target):
        try:
            raise OSError(errno.ENOSPC, "No space left on device")
        except OSError as exc:
            raise BackupError(f"Could not write the backup '{target}' ({exc}).") from None

    monkeypatch.setattr(backup, "backup_to", full)
    with pytest.raises(ImportWriteError) as caught:
        commit_import(store, preview)
    assert str(caught.value).startswith(
        "Nothing was imported: the safety copy of your diary (taken before every import) could "
        "not be written because the disk holding"
    )
    assert "damaged" not in str(caught.value)
    assert _rows_digest(store) == before


def test_a_line_far_too_long_for_a_table(store, monkeypatch):
    monkeypatch.setattr(import_source, "MAX_LINE_CHARS", 1000)
    data = (OLD_HEADER + "\n" + "x" * 5000 + "\n").encode()
    with pytest.raises(ImportFileError, match="'long.csv', line 2: the line is longer than 1,000"):
        preview_import_bytes(store, data, "long.csv")
    assert store.count_episodes() == 0


def test_empty_required_cells_say_they_are_empty(store):
    data = OLD_HEADER + "\n,,60" + "," * 13 + "\n,2026-03-01T02:00:00+01:00," + "," * 13 + "\n"
    preview = preview_import_bytes(store, data.encode(), "gaps.csv")
    reasons = [b.reason for b in preview.bad_rows]
    assert reasons == [
        "Start: the cell is empty; every row needs a date and time.",
        "Duration: the cell is empty; every row needs one.",
    ]


@pytest.mark.parametrize("chunk", [7, 1 << 20])
def test_a_byte_that_is_not_utf8_far_into_the_file_is_named_with_its_line(
    store, monkeypatch, chunk
):
    monkeypatch.setattr(import_source, "CHUNK_BYTES", chunk)
    store.add_episode(make_episode())
    before = _rows_digest(store)
    good = [OLD_ROW.format(day=1, notes=f"n{i}") for i in range(1000)]
    data = "\n".join([OLD_HEADER, *good, ""]).encode() + OLD_ROW.format(day=2, notes="café").encode(
        "latin-1"
    )
    assert len(data) > import_source.HEAD_BYTES
    with pytest.raises(ImportFileError) as caught:
        preview_import_bytes(store, data, "latin.csv")
    assert str(caught.value).startswith(
        "'latin.csv' is not UTF-8 text (unexpected byte 0xe9 on line 1002)."
    )
    assert _rows_digest(store) == before


def test_a_pipe_is_refused_without_waiting_for_it(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(ImportFileError, match="is not a regular file"):
        ImportSource.from_path(fifo)


def test_source_reads_a_file_again_for_each_preview(tmp_path):
    path = tmp_path / "again.csv"
    _write_csv_file(path, _days(2))
    source = ImportSource.from_path(path)
    assert source.name == "again.csv" and source.size == path.stat().st_size
    assert list(source.text_chunks()) == list(source.text_chunks())


@pytest.mark.parametrize("fixture", ["v1", "v2"])
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_our_export_of_an_upgraded_diary_is_all_duplicates(tmp_path, fixture, fmt):
    # Rows written by older versions compare equal to the same rows read back from an export.
    path = tmp_path / "old.sqlite"
    shutil.copy(Path(__file__).parent.parent / "fixtures" / f"{fixture}.sqlite", path)
    with Store.open(path) as diary:
        buffer = io.StringIO(newline="")
        (write_json if fmt == "json" else write_csv)(diary.iter_episodes(), buffer)
        preview = preview_import_bytes(diary, buffer.getvalue().encode(), f"x.{fmt}")
        assert preview.to_add == [] and preview.duplicate_count == diary.count_episodes() > 0
