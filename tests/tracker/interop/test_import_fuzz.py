"""Import fuzzing: thousands of malformed files never raise past the importer and never leave a
partial import (the diary holds exactly what it held plus the rows the preview accepted)."""

import csv
import io
import json
import tempfile
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import TZ, make_episode
from tests.tracker.episode_strategies import STARTS
from tracker.interop.export_csv import CSV_COLUMNS
from tracker.interop.exporting import write_episodes
from tracker.interop.import_mapping import ColumnMapping
from tracker.interop.importer import ImportFileError, commit_import, preview_import_bytes
from tracker.store import Store

FUZZ = settings(
    max_examples=700,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def fuzz_store():
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "fuzz.sqlite")
        store.add_episode(make_episode())
        yield store
        store.close()


def _valid_exports():
    with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder) / "v.sqlite") as s:
        for day in range(1, 4):
            s.add_episode(
                make_episode(
                    started_at=datetime(2025, 2, day, 3, 0, tzinfo=TZ),
                    site=("calf", "sole"),
                    relief=("massage",),
                    notes=f'note {day}, with "quotes"\nand =lines',
                )
            )
        out = {}
        for fmt in ("csv", "json"):
            buffer = io.StringIO(newline="")
            write_episodes(s, fmt, buffer)
            out[fmt] = buffer.getvalue().encode()
        return out


VALID = _valid_exports()


@st.composite
def mutated(draw):
    """A valid export with bytes flipped, inserted, deleted or cut off."""
    data = bytearray(VALID[draw(st.sampled_from(["csv", "json"]))])
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
        pos = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "flip" and data:
            data[pos] = draw(st.integers(0, 255))
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=8))
        elif op == "delete":
            del data[pos : pos + draw(st.integers(1, 40))]
        else:
            del data[pos:]
    return bytes(data)


CELL = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "left", "calf", "in_bed", "normal", "barefoot", "5", "-1", "1e9", "'="]),
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(["2026-03-01T02:00:00+01:00", "2026-03-01", "9999-99-99T", "NaN"]),
)


@st.composite
def our_csv_with_random_cells(draw):
    rows = draw(st.lists(st.lists(CELL, min_size=0, max_size=20), max_size=6))
    lines = [",".join(CSV_COLUMNS)]
    for row in rows:
        buffer = io.StringIO(newline="")
        csv.writer(buffer).writerow(row)
        lines.append(buffer.getvalue().rstrip("\r\n"))
    return "\n".join(lines).encode(draw(st.sampled_from(["utf-8", "utf-8-sig"])))


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=10)
    | st.sampled_from(["\ud800", "x\udfff", "2026-01-01T00:00:00+00:00"]),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = ["id", "started_at", "duration_s", "side", "site", "severity", "activity", "hydration"]
FIELDS += ["footwear", "fluid_ml", "footwear_tight", "relief", "relief_effect", "notes"]
FIELDS += ["context", "warning_signs", "time_approximate"]


@st.composite
def our_json_with_random_values(draw):
    base = json.loads(VALID["json"])
    for item in base["episodes"]:
        # a fresh start each time, so rows are not all duplicates of an earlier example's
        item["started_at"] = draw(STARTS).isoformat()
        if draw(st.integers(0, 4)) == 0:  # JSON can carry lone surrogates; SQLite cannot
            item["notes"] = draw(st.text(st.characters(categories=["Cs"]), min_size=1, max_size=3))
        for name in draw(st.lists(st.sampled_from(FIELDS), max_size=4)):
            if draw(st.booleans()):
                item[name] = draw(JSON_VALUES)
            else:
                item.pop(name, None)
    if draw(st.booleans()):
        base["episodes"].append(draw(JSON_VALUES))
    if draw(st.integers(0, 9)) == 0:
        base["format_version"] = draw(JSON_VALUES)
    return json.dumps(base).encode()


def _check(store, data, mapping=None):
    before = store.count_episodes()
    try:
        preview = preview_import_bytes(store, data, "fuzz", mapping)
    except ImportFileError as exc:
        assert str(exc)
        assert store.count_episodes() == before
        return
    result = commit_import(store, preview, backup=False)
    assert result.added + result.skipped == len(preview.to_add)
    assert store.count_episodes() == before + result.added
    assert store.conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    with store.transaction() as conn:  # back to the one original episode for the next example
        conn.execute("DELETE FROM episode WHERE id != (SELECT MIN(id) FROM episode)")


@FUZZ
@given(data=st.binary(max_size=600))
def test_random_bytes(fuzz_store, data):
    _check(fuzz_store, data)


@FUZZ
@given(data=mutated())
def test_mutated_exports(fuzz_store, data):
    _check(fuzz_store, data)


@FUZZ
@given(data=our_csv_with_random_cells())
def test_csv_with_random_cells(fuzz_store, data):
    _check(fuzz_store, data)


@FUZZ
@given(data=our_json_with_random_values())
def test_json_with_random_values(fuzz_store, data):
    _check(fuzz_store, data)


@FUZZ
@given(
    data=st.one_of(mutated(), our_csv_with_random_cells(), st.binary(max_size=300)),
    columns=st.dictionaries(
        st.sampled_from(
            ["started_at", "date", "time", "duration_s", "duration_min", "side", "severity"]
            + ["site", "time_approximate", "footwear_tight"]
        ),
        st.integers(0, 20),
        max_size=8,
    ),
    # no fixed values at all is the default now: the fields are "not recorded"
    defaults=st.dictionaries(st.sampled_from(["site", "severity", "activity"]), CELL, max_size=3),
)
def test_mapped_csv(fuzz_store, data, columns, defaults):
    mapping = ColumnMapping(columns=columns, defaults=defaults)
    _check(fuzz_store, data, mapping)
