"""Bringing in a spreadsheet diary: guessing columns, lenient conversion, defaults, validation."""

from datetime import datetime

import pytest

from tracker.diary.episode import Episode
from tracker.interop.import_mapping import (
    ColumnMapping,
    episode_from_cells,
    guess_mapping,
    sniff_table,
)
from tracker.interop.importer import (
    ImportFileError,
    NeedsMappingError,
    commit_import,
    preview_import_bytes,
)

SHEET = (
    "Date;Time;Duration;Where;Side;Pain;Notes\n"
    "01.02.2025;02:30;1:30;Calf, Sole / arch;L;7/10;woke me up\n"
    "2025-02-03;23:10;45;big toe;Right;3;=cold floor\n"
    "2025-02-04;;2:00;knee;left;4;\n"
)


def test_sniff_and_guess():
    table = sniff_table(SHEET)
    assert table.delimiter == ";"
    assert table.header[:3] == ["Date", "Time", "Duration"]
    assert len(table.rows) == 3
    mapping = guess_mapping(table.header, table.delimiter)
    assert mapping.columns == {
        "date": 0,
        "time": 1,
        "duration_s": 2,
        "site": 3,
        "side": 4,
        "severity": 5,
        "notes": 6,
    }
    assert mapping.problems() == []  # start and duration found: nothing else is required
    assert mapping.not_recorded() == ["Activity", "Hydration", "Footwear"]
    assert mapping.describe() == (
        "Not recorded (no column): Activity, Hydration, Footwear. These stay empty, not "
        "guessed. An empty cell means 'not recorded' for that episode."
    )


def test_only_start_and_duration_are_required():
    assert ColumnMapping(columns={"date": 0}).problems() == ["Choose the column with the duration."]
    assert ColumnMapping(columns={"duration_s": 1}).problems() == [
        "Choose the column with the start date (and time)."
    ]
    assert ColumnMapping(columns={"started_at": 0, "duration_min": 1}).problems() == []


def test_describe_names_fixed_values():
    mapping = ColumnMapping(
        columns={"started_at": 0, "duration_s": 1, "side": 2},
        defaults={"activity": "in_bed", "severity": "4"},
    )
    text = mapping.describe()
    assert "The same value for every row: Severity = 4/10; Activity = Asleep or in bed." in text
    assert "Not recorded (no column): Where, Hydration, Footwear." in text
    assert "Side" not in text


def test_guess_understands_common_titles():
    mapping = guess_mapping(["When", "Minutes", "How bad", "Shoes", "Comment", "Location"])
    assert mapping.columns == {
        "started_at": 0,
        "duration_min": 1,
        "severity": 2,
        "footwear": 3,
        "notes": 4,
        "site": 5,
    }


def _mapping():
    table = sniff_table(SHEET)
    guessed = guess_mapping(table.header, table.delimiter)
    return ColumnMapping(
        columns=guessed.columns,
        defaults={"activity": "other", "hydration": "normal", "footwear": "barefoot"},
        delimiter=";",
    )


def test_preview_of_a_mapped_sheet(store):
    with pytest.raises(NeedsMappingError):
        preview_import_bytes(store, SHEET.encode(), "sheet.csv")
    preview = preview_import_bytes(store, SHEET.encode(), "sheet.csv", _mapping())
    assert preview.kind == "mapped csv"
    first, second = preview.to_add
    assert first.started_at.replace(tzinfo=None) == datetime(2025, 2, 1, 2, 30)
    assert first.started_at.utcoffset() is not None  # the computer's zone was attached
    assert first.duration_s == 90 and first.site == ("calf", "sole") and first.side == "left"
    assert first.severity == 7 and first.activity == "other"
    assert second.notes == "=cold floor" and second.site == ("big_toe",) and second.duration_s == 45
    [bad] = preview.bad_rows
    assert bad.line == 4 and "knee" in bad.reason
    assert commit_import(store, preview, backup=False).added == 2


def test_incomplete_mapping_is_refused(store):
    with pytest.raises(ImportFileError, match="duration"):
        preview_import_bytes(store, SHEET.encode(), "s.csv", ColumnMapping(columns={"date": 0}))


def test_fields_without_a_column_are_not_recorded(store):
    table = sniff_table(SHEET)
    preview = preview_import_bytes(
        store, SHEET.encode(), "sheet.csv", guess_mapping(table.header, table.delimiter)
    )
    first, second = preview.to_add
    assert first.side == "left" and first.severity == 7  # from their columns
    for episode in (first, second):
        assert episode.activity is None and episode.hydration is None
        assert episode.footwear is None and episode.fluid_ml is None
        assert episode.relief == () and not episode.time_approximate
    assert preview.not_recorded_counts() == {"Activity": 2, "Hydration": 2, "Footwear": 2}
    assert commit_import(store, preview, backup=False).added == 2
    stored = sorted(store.iter_episodes(), key=lambda e: e.started_at)
    assert [e.activity for e in stored] == [None, None]


def test_empty_cells_in_mapped_columns_are_not_recorded():
    mapping = ColumnMapping(
        columns={"started_at": 0, "duration_s": 1, "side": 2, "site": 3, "severity": 4}
        | {"activity": 5, "hydration": 6, "footwear": 7, "relief_effect": 8, "fluid_ml": 9}
    )
    episode = episode_from_cells(mapping, ["2025-01-01 03:00", "90", "", " ", "", "", "", ""])
    assert isinstance(episode, Episode)
    assert (episode.side, episode.site, episode.severity) == (None, (), None)
    assert (episode.activity, episode.hydration, episode.footwear) == (None, None, None)
    assert episode.relief_effect is None and episode.fluid_ml is None


def test_fixed_value_is_still_possible():
    mapping = ColumnMapping(
        columns={"started_at": 0, "duration_s": 1}, defaults={"activity": "in_bed", "site": "calf"}
    )
    episode = episode_from_cells(mapping, ["2025-01-01 03:00", "90"])
    assert episode.activity == "in_bed" and episode.site == ("calf",) and episode.side is None


@pytest.mark.parametrize("text, expected", [("yes", True), ("approx", True), ("", False)])
def test_approximate_time_column(text, expected):
    mapping = ColumnMapping(columns={"started_at": 0, "duration_s": 1, "time_approximate": 2})
    assert (
        episode_from_cells(mapping, ["2025-01-01 03:00", "90", text]).time_approximate is expected
    )


def test_bad_approximate_time_is_a_reason():
    mapping = ColumnMapping(columns={"started_at": 0, "duration_s": 1, "time_approximate": 2})
    reason = episode_from_cells(mapping, ["2025-01-01 03:00", "90", "around 3"])
    assert isinstance(reason, str) and "Approximate time" in reason


@pytest.mark.parametrize(
    "cells, expected",
    [
        (["2025-01-01 03:00", "90"], 90),
        (["2025-01-01 03:00", "1:02:03"], 3723),
        (["2025-01-01 03:00", "2 min"], 120),
        (["2025-01-01 03:00", "1,5 min"], 90),
        (["2025-01-01 03:00", "30s"], 30),
    ],
)
def test_duration_spellings(cells, expected):
    mapping = ColumnMapping(
        columns={"started_at": 0, "duration_s": 1},
        defaults={"side": "left", "site": "calf", "severity": "5", "activity": "other"}
        | {"hydration": "normal", "footwear": "barefoot"},
    )
    assert episode_from_cells(mapping, cells).duration_s == expected


def test_minutes_column():
    mapping = ColumnMapping(
        columns={"started_at": 0, "duration_min": 1},
        defaults={"side": "both", "site": "toes", "severity": "2", "activity": "in_bed"}
        | {"hydration": "under", "footwear": "socks_slippers"},
    )
    episode = episode_from_cells(mapping, ["2025-01-01T03:00:00+02:00", "3"])
    assert episode.duration_s == 180 and episode.started_at.utcoffset().total_seconds() == 7200


def test_bad_cells_are_reasons_not_exceptions():
    mapping = ColumnMapping(
        columns={"started_at": 0, "duration_s": 1, "severity": 2},
        defaults={"side": "left", "site": "calf", "activity": "other"}
        | {"hydration": "normal", "footwear": "barefoot"},
    )
    reason = episode_from_cells(mapping, ["soon", "9" * 5000, "x"])
    assert isinstance(reason, str)
    assert "Start" in reason and "Duration" in reason and "Severity" in reason
