"""The fast export (stored rows in blocks) writes exactly what the Episode writers write, and
an export in blocks reports its progress and can be cancelled without leaving a file."""

import io
import json
import random
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from tracker.diary import vocab
from tracker.diary.episode import Episode
from tracker.diary.progress import Cancelled, Progress
from tracker.interop import export_csv, export_json
from tracker.interop.exporting import Period, episodes_in_period, export_to_file, write_episodes
from tracker.store import Store, export_queries

ODD_TEXTS = (
    "",
    "plain",
    "=SUM(A1)",
    "+1",
    "-5",
    "@cmd",
    "\tTab first",
    "\rCR first",
    "\nLF first",
    "'already quoted",
    "''two",
    'quote " and, comma',
    "line1\r\nline2\nline3",
    "naïve café ✓ 🦶 ",
    "\u2028line sep\u2029",
    "back\\slash </script>",
    "\x00nul\x1f",
    "  spaces  ",
)
ZONES = [timezone(timedelta(minutes=m)) for m in (0, 60, -300, 345, -570, 840, -720)]


def _random_episode(rng: random.Random, index: int) -> Episode:
    def some(codes, optional=True):
        if optional and rng.random() < 0.3:
            return None
        return rng.choice(list(codes))

    def several(codes):
        return tuple(rng.sample(list(codes), rng.randint(0, min(3, len(codes)))))

    start = datetime(2020, 1, 1, tzinfo=rng.choice(ZONES)) + timedelta(
        seconds=rng.randint(0, 6 * 365 * 86400)
    )
    return Episode(
        started_at=start,
        duration_s=rng.randint(1, 7200),
        side=some(vocab.SIDES),
        site=several(vocab.SITES),
        severity=None if rng.random() < 0.3 else rng.randint(0, 10),
        activity=some(vocab.ACTIVITIES),
        hydration=some(vocab.HYDRATION),
        footwear=some(vocab.FOOTWEAR),
        fluid_ml=None if rng.random() < 0.4 else rng.randint(0, 5000),
        footwear_tight=rng.random() < 0.3,
        relief=several(vocab.RELIEF),
        relief_effect=some(vocab.RELIEF_EFFECT),
        context=several(vocab.CONTEXT),
        warning_signs=several(vocab.WARNING_SIGNS_OFFERED),
        notes=ODD_TEXTS[index % len(ODD_TEXTS)] + ("" if index % 3 else f" #{index}"),
        time_approximate=rng.random() < 0.2,
    )


@pytest.fixture
def odd_diary(store, db_path):
    """300 episodes with every field, odd notes and zones, plus stored values the app itself
    never writes but an old or imported diary may hold (a guarded-looking uid, fractions of a
    second, a list with an empty part)."""
    rng = random.Random(11)
    store.add_episodes([_random_episode(rng, i) for i in range(300)])
    raw = sqlite3.connect(db_path)
    with raw:
        raw.execute("UPDATE episode SET uid = '=not-a-uuid' WHERE id = 5")
        raw.execute("UPDATE episode SET uid = NULL WHERE id = 6")
        raw.execute(
            "UPDATE episode SET started_at = '2026-03-01T10:00:00.500000+01:00' WHERE id = 7"
        )
        raw.execute("UPDATE episode SET site = 'calf;;sole;' WHERE id = 8")
        raw.execute("UPDATE episode SET side = '=left' WHERE id = 10")
    raw.close()
    return store


def _episode_csv(store: Store, period: Period) -> str:
    buffer = io.StringIO(newline="")
    export_csv.write_csv(episodes_in_period(store, period), buffer)
    return buffer.getvalue()


def _episode_json(store: Store, period: Period) -> str:
    """The document as the first release wrote it: json.dumps for each episode."""
    buffer = io.StringIO(newline="")
    export_json.write_json(episodes_in_period(store, period), buffer)
    text = buffer.getvalue()
    lines = [
        json.dumps(export_json.episode_to_dict(e), ensure_ascii=False)
        for e in episodes_in_period(store, period)
    ]
    assert all(line in text for line in lines)
    return text


def _fast(store: Store, fmt: str, period: Period) -> str:
    buffer = io.StringIO(newline="")
    write_episodes(store, fmt, buffer, period)
    return buffer.getvalue()


def _without_stamp(text: str) -> str:
    return "\n".join(line for line in text.split("\n") if '"exported_at"' not in line)


PERIODS = [Period(), Period(datetime(2022, 1, 1).date(), datetime(2023, 6, 30).date())]


@pytest.mark.parametrize("period", PERIODS)
def test_fast_csv_is_byte_identical_to_the_episode_writer(odd_diary, period):
    expected = _episode_csv(odd_diary, period)
    assert _fast(odd_diary, "csv", period) == expected
    assert expected.count("\r\n") > (300 if period == Period() else 10)
    assert "'=not-a-uuid" in expected or period != Period()


@pytest.mark.parametrize("period", PERIODS)
def test_fast_json_is_byte_identical_to_the_episode_writer(odd_diary, period):
    expected = _without_stamp(_episode_json(odd_diary, period))
    assert _without_stamp(_fast(odd_diary, "json", period)) == expected
    assert json.loads(_fast(odd_diary, "json", period))["episodes"]


def test_fast_writers_agree_across_block_boundaries(odd_diary):
    blocks = list(export_queries.row_blocks(odd_diary, Period(), 7))
    assert len(blocks) == 43 and all(len(b) <= 7 for b in blocks)
    buffer = io.StringIO(newline="")
    export_json.write_json_rows(iter(blocks), buffer)
    assert _without_stamp(buffer.getvalue()) == _without_stamp(_episode_json(odd_diary, Period()))
    buffer = io.StringIO(newline="")
    export_csv.write_csv_rows(iter(blocks), buffer)
    assert buffer.getvalue() == _episode_csv(odd_diary, Period())


def test_empty_diary_documents_are_unchanged(store):
    for fmt, write in (("csv", export_csv.write_csv), ("json", export_json.write_json)):
        buffer = io.StringIO(newline="")
        write([], buffer)
        assert _without_stamp(_fast(store, fmt, Period())) == _without_stamp(buffer.getvalue())


def test_export_reports_progress_per_block(odd_diary, tmp_path, monkeypatch):
    monkeypatch.setattr(export_queries, "BLOCK_ROWS", 100)
    seen: list[tuple[int, int, str]] = []
    progress = Progress(lambda done, total, text: seen.append((done, total, text)), interval=0)
    count = export_to_file(odd_diary, "json", tmp_path / "all.json", progress=progress)
    assert count == 300
    assert seen == [(n, 300, "Exporting episodes…") for n in (0, 100, 200, 300)]


def _cancelling_after_first_block() -> Progress:
    progress = Progress(lambda done, total, text: done and progress.cancel(), interval=0)
    return progress


@pytest.mark.parametrize("fmt", ["csv", "json", "fhir"])
def test_cancelled_export_leaves_no_file_and_keeps_the_old_one(
    odd_diary, tmp_path, monkeypatch, fmt
):
    monkeypatch.setattr(export_queries, "BLOCK_ROWS", 50)
    old = tmp_path / "old.out"
    old.write_bytes(b"the export from last week\r\n")
    for target in (old, tmp_path / "new.out"):
        with pytest.raises(Cancelled):
            export_to_file(odd_diary, fmt, target, progress=_cancelling_after_first_block())
    assert old.read_bytes() == b"the export from last week\r\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "old.out"]
