"""Import at scale: the preview keeps no episodes (rows wait in an unnamed temporary file),
duplicates are found by content digests, the fast readers of our own CSV and JSON give exactly
what the general ones give, progress is reported and a cancel leaves the diary as it was."""

import io
import json
import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests.factories import make_episode
from tests.tracker.episode_strategies import unique_episodes
from tracker.diary import demo
from tracker.diary.episode import ValidationError, validate
from tracker.diary.progress import Cancelled, Progress
from tracker.interop import import_formats, import_source, importer
from tracker.interop.export_csv import write_csv
from tracker.interop.export_json import episode_to_dict, write_json
from tracker.interop.importer import commit_import, preview_import, preview_import_bytes
from tracker.store import Store, StoreError, episode_params, import_writes
from tracker.store.import_writes import content_digest, content_row

ROOT = Path(__file__).resolve().parents[3]


def _export(episodes, fmt) -> bytes:
    buffer = io.StringIO(newline="")
    (write_json if fmt == "json" else write_csv)(episodes, buffer)
    return buffer.getvalue().encode()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(episodes=unique_episodes())
def test_content_row_is_the_stored_content(episodes):
    for episode in episodes:
        assert content_row(episode) == tuple(episode_params(episode).values())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(episodes=unique_episodes())
def test_fast_readers_give_what_the_general_readers_give(episodes):
    text = _export(episodes, "csv").decode("utf-8-sig")
    header, records = import_formats.csv_records(text, "x.csv")
    columns = [c.strip().lower() for c in header]
    assert set(import_formats.CSV_COLUMNS) <= set(columns)  # our export: the fast reader reads it
    fast = import_formats._FastCsv(columns)
    for _, cells in records:
        values = dict(zip(columns, cells, strict=True))
        slow = import_formats._episode_from_strings(
            {k: import_formats.unguard_cell(v) for k, v in values.items()}
        )
        quick = fast.episode(cells) if "'" not in "".join(cells) else slow
        assert quick is None or quick == slow
        if quick is not None:
            assert quick.uid == slow.uid
    for episode in episodes:
        item = json.loads(json.dumps(episode_to_dict(episode)))
        quick = import_formats._fast_episode_from_json(item)
        assert quick is not None
        assert quick == import_formats._checked_episode_from_json(item)
        assert quick.uid == episode.uid


@pytest.mark.parametrize(
    "change, says",
    [
        ({"side": 5}, "side: expected text or null."),
        ({"site": "calf"}, "site: expected a list of codes."),
        ({"site": ["calf", 3]}, "site: expected a list of codes."),
        ({"id": True}, "id: expected a positive whole number or null."),
        ({"started_at": "2026-03-01T02:00:00"}, "has no UTC offset"),
    ],
)
def test_what_the_fast_json_reader_leaves_is_still_named(change, says):
    item = dict(episode_to_dict(make_episode()), **change)
    assert import_formats._fast_episode_from_json(item) is None
    assert says in import_formats._episode_from_json(item)
    assert import_formats._episode_from_json(item) == import_formats._checked_episode_from_json(
        item
    )


def test_validation_remembers_values_by_type_not_only_by_equality():
    validate(make_episode(severity=1, footwear_tight=True))  # 1 and True accepted...
    with pytest.raises(ValidationError, match="Severity"):
        validate(make_episode(severity=True))  # ...but True is no severity (True == 1)
    with pytest.raises(ValidationError, match="Tight"):
        validate(make_episode(footwear_tight=1))
    with pytest.raises(ValidationError, match="Severity"):
        validate(make_episode(severity=1.0))


def test_content_digests_tell_apart_what_the_store_tells_apart():
    base = make_episode()
    different = [
        base.replace(side="right" if base.side != "right" else "left"),
        base.replace(notes=base.notes + " "),
        base.replace(site=(*base.site, "foot") if "foot" not in base.site else ()),
        base.replace(duration_s=base.duration_s + 1),
    ]
    digests = {content_digest(content_row(e)) for e in [base, *different]}
    assert len(digests) == 5
    assert content_digest(content_row(base.replace(id=99, uid="x"))) in digests  # not content


def _preview_peak(store, path) -> tuple[int, object]:
    tracemalloc.start()
    try:
        preview = preview_import(store, path)
        return tracemalloc.get_traced_memory()[1], preview
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_the_preview_holds_no_episodes_and_leaves_no_file(store, tmp_path, fmt, monkeypatch):
    """Memory follows a piece of the file, not its rows: 15,000 more rows (15 MB and more as
    Episode objects) add only their digests (about 1.5 MB)."""
    monkeypatch.setattr(import_source, "CHUNK_BYTES", 64 * 1024)  # both files: many pieces
    episodes = list(demo.generate(20_000, seed=2))
    peaks = []
    for n in (5_000, 20_000):
        path = tmp_path / f"many-{n}.{fmt}"
        path.write_bytes(_export(episodes[:n], fmt))
        peak, preview = _preview_peak(store, path)
        assert preview.add_count > n * 0.99
        peaks.append(peak)
        preview.close()
    assert peaks[1] - peaks[0] < 5_000_000, peaks
    folder = Path(store.path).parent
    assert not [p for p in os.listdir(folder) if p.startswith(".import")]  # unnamed
    preview = preview_import(store, path)
    added = commit_import(store, preview, backup=False).added
    assert added == preview.add_count == store.count_episodes()
    preview.close()


def test_the_commit_writes_what_the_preview_counted_even_if_the_file_changes(store, tmp_path):
    path = tmp_path / "a.json"
    episodes = [make_episode(notes=f"n{i}") for i in range(30)]
    path.write_bytes(_export(episodes, "json"))
    preview = preview_import(store, path)
    path.write_bytes(_export(episodes[:3], "json"))  # changed (or gone) before Import
    assert commit_import(store, preview, backup=False).added == 30
    assert sorted(e.notes for e in store.iter_episodes()) == sorted(e.notes for e in episodes)


def test_progress_goes_through_reading_and_saving(store, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "BLOCK_ROWS", 50)
    monkeypatch.setattr(import_source, "CHUNK_BYTES", 4096)
    path = tmp_path / "a.csv"
    path.write_bytes(_export(list(demo.generate(2000, seed=4)), "csv"))
    reports: list[tuple[int, int, str]] = []
    progress = Progress(lambda done, total, text: reports.append((done, total, text)), 0)
    preview = preview_import(store, path, progress=progress)
    reading = [r for r in reports if r[2] == "Reading the file…"]
    assert reading[-1][:2] == (path.stat().st_size,) * 2
    assert len({done for done, _, _ in reading}) > 2  # bytes read, as they were read
    reports.clear()
    commit_import(store, preview, backup=False, progress=progress)
    saving = [r for r in reports if r[2].startswith("Saving")]
    assert saving[-1][:2] == (preview.add_count,) * 2 and len(saving) > 10


def test_a_cancelled_commit_adds_nothing_and_the_diary_stays_sound(store, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "BLOCK_ROWS", 50)
    store.add_episode(make_episode())
    before = store.conn.execute("SELECT * FROM episode").fetchall()
    path = tmp_path / "a.json"
    path.write_bytes(_export(list(demo.generate(1000, seed=6)), "json"))
    preview = preview_import(store, path)
    progress = Progress()
    steps = []

    def count_then_cancel(done, total, text):
        steps.append(done)
        if len(steps) == 5:  # some blocks are written inside the transaction
            progress.cancel()

    progress = Progress(count_then_cancel, 0)
    with pytest.raises(Cancelled):
        commit_import(store, preview, backup=False, progress=progress)
    assert store.conn.execute("SELECT * FROM episode").fetchall() == before
    assert store.conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert commit_import(store, preview, backup=False).added == preview.add_count


def test_a_cancelled_preview_stops_reading(store, tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(_export(list(demo.generate(3000, seed=7)), "csv"))
    progress = Progress(lambda *a: progress.cancel(), 0)
    with pytest.raises(Cancelled):
        preview_import(store, path, progress=progress)


def test_reimport_into_the_source_finds_every_row_a_duplicate(tmp_path):
    with Store.open(tmp_path / "d.sqlite") as diary:
        diary.add_episodes(demo.generate(3000, seed=8))
        data = _export(list(diary.iter_episodes()), "json")
        preview = preview_import_bytes(diary, data, "again.json")
        assert preview.add_count == 0 and preview.duplicate_count == 3000
        assert commit_import(diary, preview).added == 0
        assert diary.count_episodes() == 3000


def test_the_import_benchmark_runs():
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_import.py"), "--episodes", "300"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "into empty diary: preview (300 to add" in result.stdout
    assert "into source diary: preview (0 to add, 300 duplicates)" in result.stdout


def test_a_worker_connection_writes_beside_the_open_store(tmp_path):
    with Store.open(tmp_path / "d.sqlite") as main:
        main.add_episode(make_episode())
        revision = main.revision
        worker = main.for_worker()
        try:
            path = tmp_path / "a.json"
            path.write_bytes(_export([make_episode(notes=f"n{i}") for i in range(5)], "json"))
            preview = preview_import(worker, path)
            assert commit_import(worker, preview, backup=False).added == 5
        finally:
            worker.close()
        assert main.count_episodes() == 6  # the window's connection sees the import
        assert main.changes_since(revision) == []  # ...but was not told yet
        main.written_elsewhere()
        assert main.changes_since(revision) is None  # now every page reads again
        main.add_episode(make_episode(notes="after"))  # the lock is still the window's
    with Store.open(tmp_path / "d.sqlite", readonly=True) as reader:
        with pytest.raises(StoreError, match="read-only"):
            reader.for_worker()


def _schema(store):
    return store.conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()


def test_a_big_import_builds_the_query_indexes_again_as_they_were(store, tmp_path, monkeypatch):
    monkeypatch.setattr(import_writes, "BULK_ROWS", 100)
    monkeypatch.setattr(importer, "BLOCK_ROWS", 100)
    schema = _schema(store)
    path = tmp_path / "a.json"
    path.write_bytes(_export(list(demo.generate(1000, seed=9)), "json"))
    preview = preview_import(store, path)
    dropped = []
    real = import_writes._drop_indexes

    def recording(conn, uid):
        statements = real(conn, uid)
        dropped.append(statements)
        return statements

    monkeypatch.setattr(import_writes, "_drop_indexes", recording)
    progress = Progress(lambda done, total, text: done > 300 and progress.cancel(), 0)
    with pytest.raises(Cancelled):  # cancelled while the indexes are gone
        commit_import(store, preview, backup=False, progress=progress)
    assert len(dropped[0]) >= 6 and _schema(store) == schema and store.count_episodes() == 0
    assert "episode_uid" in dropped[0][-1]  # the uid's too, built again last
    assert commit_import(store, preview, backup=False).added == preview.add_count
    assert _schema(store) == schema  # every index back, defined as before
    assert store.conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    plan = store.conn.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM episode WHERE severity = 3 ORDER BY start_utc"
    ).fetchall()
    assert "episode_severity" in str(plan)


def _rows(store):
    columns = ", ".join(import_writes.EPISODE_COLUMNS)  # uid last
    return store.conn.execute(f"SELECT {columns} FROM episode ORDER BY id").fetchall()


def _import_both_ways(tmp_path, monkeypatch, data: bytes, diary_episodes=()):
    """The same file imported into the same diary in bulk (indexes dropped, uid index built
    again at the end) and row by row; returns both tables and how many bulk attempts failed."""
    path = tmp_path / "a.csv"
    path.write_bytes(data)
    tables, repeated = [], []
    real = import_writes._insert_rows

    def counting(*args, **kwargs):
        try:
            return real(*args, **kwargs)
        except import_writes._UidRepeated:
            repeated.append(1)
            raise

    monkeypatch.setattr(import_writes, "_insert_rows", counting)
    for bulk_rows in (100, 10**9):
        monkeypatch.setattr(import_writes, "BULK_ROWS", bulk_rows)
        with Store.open(tmp_path / f"d{bulk_rows}.sqlite") as diary:
            diary.add_episodes(list(diary_episodes))
            preview = preview_import(diary, path)
            assert commit_import(diary, preview, backup=False).added == preview.add_count
            tables.append(_rows(diary))
            assert diary.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert "episode_uid" in str(diary.conn.execute("PRAGMA index_list(episode)").fetchall())
    return tables, len(repeated)


def _uid_at(row) -> str:
    return row[-1]


def _stored(tmp_path, count, seed):
    """Demo episodes as a diary stores them: each with its id and uid."""
    with Store.open(tmp_path / "src.sqlite") as source:
        source.add_episodes(list(demo.generate(count, seed=seed)))
        return [import_writes.episode_from_row(row) for row in _rows(source)]


def test_a_bulk_import_gives_a_fresh_uid_where_the_diary_has_the_files(tmp_path, monkeypatch):
    episodes = _stored(tmp_path, 600, seed=4)
    diary = [e.replace(notes="edited", id=None) for e in episodes[:50]]  # same uids, new content
    data = _export(episodes, "csv")
    (bulk, slow), repeated = _import_both_ways(tmp_path, monkeypatch, data, diary)
    assert repeated == 0  # the diary's uids were found before the uid index was dropped
    file_uids = {e.uid for e in episodes}
    known = [
        [(*row[:-3], _uid_at(row) if _uid_at(row) in file_uids else "fresh") for row in table]
        for table in (bulk, slow)
    ]
    assert known[0] == known[1] and len(bulk) == 650  # the same but for fresh uids, timestamps
    uids = [_uid_at(row) for row in bulk]
    assert len(set(uids)) == len(uids)
    assert sum(uid in file_uids for uid in uids) == 600  # the diary's 50, and 550 of the file


def test_a_file_repeating_a_uid_is_imported_as_row_by_row(tmp_path, monkeypatch):
    episodes = _stored(tmp_path, 400, seed=6)
    twin = episodes[10].uid
    episodes = [e.replace(uid=twin) if i % 50 == 7 else e for i, e in enumerate(episodes)]
    (bulk, slow), repeated = _import_both_ways(tmp_path, monkeypatch, _export(episodes, "csv"))
    assert repeated == 1  # the bulk attempt failed on the uid index, rolled back, went on
    assert len(bulk) == len(slow) == 400
    assert [row[:-3] for row in bulk] == [row[:-3] for row in slow]  # all but uids, timestamps
    assert [_uid_at(row) == twin for row in bulk] == [_uid_at(row) == twin for row in slow]
    assert sum(_uid_at(row) == twin for row in bulk) == 1
    assert len({_uid_at(row) for row in bulk}) == 400
