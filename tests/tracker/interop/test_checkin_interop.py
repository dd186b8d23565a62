"""Check-ins and medicines in export and import (issue 16): JSON format 3, their own CSVs,
FHIR MedicationStatements, the period, re-import, conflicts and cancel."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from datetime import date

import pytest

from tracker.diary.checkin import CheckIn, Medicine
from tracker.diary.demo_checkins import generate_diary
from tracker.diary.periods import Period
from tracker.diary.progress import Cancelled, Progress
from tracker.interop import importer
from tracker.interop.checkin_io import side_paths
from tracker.interop.exporting import export_diary, export_to_file
from tracker.interop.importer import commit_import, preview_import
from tracker.store import Store, export_queries

UNTIL = date(2026, 1, 1)


@pytest.fixture
def demo_store(tmp_path):
    diary = generate_diary(120, seed=3, until=UNTIL)
    store = Store.open(tmp_path / "demo" / "demo.sqlite")
    store.add_episodes(diary.episodes)
    store.add_checkins(diary.checkins, today=UNTIL)
    for medicine in diary.medicines:
        store.add_medicine(medicine, today=UNTIL)
    yield store
    store.close()


@pytest.fixture
def empty(tmp_path):
    store = Store.open(tmp_path / "new" / "new.sqlite")
    yield store
    store.close()


def _import(store, path, **kw):
    preview = preview_import(store, path)
    try:
        return preview, commit_import(store, preview, backup=False, **kw)
    finally:
        preview.close()


def test_json_round_trip_gives_identical_checkins_and_medicines(demo_store, empty, tmp_path):
    path = tmp_path / "all.json"
    outcome = export_diary(demo_store, "json", path)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["format_version"] == 3
    assert len(document["checkins"]) == outcome.checkins == demo_store.count_checkins() > 50
    assert [m["name"] for m in document["medicines"]] == [m.name for m in demo_store.medicines()]
    preview, result = _import(empty, path)
    assert preview.rows_read == outcome.episodes
    assert result.checkins_added == outcome.checkins and result.medicines_added == 2
    assert empty.all_checkins() == demo_store.all_checkins()
    assert empty.medicines() == demo_store.medicines()
    assert [m.dose for m in empty.medicines()] == [m.dose for m in demo_store.medicines()]
    # a second import finds them all there and adds nothing
    preview, result = _import(empty, path)
    assert preview.checkins_same == outcome.checkins and preview.medicine_duplicates == 2
    assert (result.checkins_added, result.medicines_added) == (0, 0)


def test_a_day_the_diary_has_with_other_answers_is_kept_and_reported(demo_store, empty, tmp_path):
    path = tmp_path / "all.json"
    export_diary(demo_store, "json", path)
    first = demo_store.all_checkins()[0]
    mine = CheckIn(day=first.day, fluids="more" if first.fluids != "more" else "less")
    empty.save_checkin(mine, today=UNTIL)
    preview, result = _import(empty, path)
    assert preview.checkin_conflicts == [first.day]
    assert empty.get_checkin(first.day) == mine
    assert result.checkins_added == demo_store.count_checkins() - 1
    assert "1 days the diary already has with other answers" in preview.summary()


def test_the_period_keeps_its_days_checkins_and_the_medicines_taken_in_it(demo_store, tmp_path):
    medicines = demo_store.medicines()
    assert any(m.stopped_on is not None and m.stopped_on < date(2025, 12, 1) for m in medicines)
    period = Period(date(2025, 12, 1), date(2025, 12, 31))
    path = tmp_path / "dec.json"
    export_diary(demo_store, "json", path, period)
    document = json.loads(path.read_text(encoding="utf-8"))
    days = {item["day"] for item in document["checkins"]}
    expected = {c.day.isoformat() for c in demo_store.checkins_between(period.first, period.last)}
    assert days == expected and days and all(d.startswith("2025-12") for d in days)
    taken = [
        m.name
        for m in medicines
        if m.started_on <= period.last and (m.stopped_on is None or m.stopped_on >= period.first)
    ]
    assert [m["name"] for m in document["medicines"]] == taken
    assert len(taken) < len(medicines)  # the supplement stopped before December is left out
    assert len(export_queries.medicines_in_period(demo_store, Period())) == len(medicines)


def test_an_older_format_without_checkins_still_imports(empty, tmp_path):
    path = tmp_path / "v2.json"
    path.write_text(
        json.dumps(
            {
                "format": "cramp-tracker-episodes",
                "format_version": 2,
                "episodes": [{"started_at": "2025-03-01T02:00:00+01:00", "duration_s": 60}],
            }
        ),
        encoding="utf-8",
    )
    preview, result = _import(empty, path)
    assert result.added == 1 and preview.checkins_read == 0
    assert preview.checkin_summary() == ""


def test_bad_checkins_and_medicines_are_named_and_skipped(empty, tmp_path):
    path = tmp_path / "odd.json"
    document = {
        "format": "cramp-tracker-episodes",
        "format_version": 3,
        "episodes": [],
        "checkins": [
            {"day": "2025-05-01", "fluids": "lots"},
            {"day": "2025-05-02", "sleep_disturbance": 11},
            {"day": "yesterday", "fluids": "less"},
            {"day": "2025-05-03", "fluids": "less", "sleep_disturbance": 4},
        ],
        "medicines": [
            {"name": "", "kind": "medicine", "started_on": "2025-01-01"},
            {"name": "Quinine", "kind": "medicine", "started_on": "2025-01-01", "dose": "1"},
        ],
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    preview, result = _import(empty, path)
    reasons = [bad.describe() for bad in preview.bad_rows]
    assert reasons[0].startswith("Check-in 1: Fluids today: 'lots'")
    assert reasons[1].startswith("Check-in 2: Sleep disturbance is a whole number")
    assert reasons[2].startswith("Check-in 3: The day 'yesterday'")
    assert reasons[3] == "Medicine 1: Give the medicine or supplement a name."
    assert empty.all_checkins() == [CheckIn(date(2025, 5, 3), fluids="less", sleep_disturbance=4)]
    assert [m.name for m in empty.medicines()] == ["Quinine"]
    assert (result.checkins_added, result.medicines_added) == (1, 1)


def test_a_cancelled_import_adds_no_checkins_or_medicines(demo_store, empty, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "BLOCK_ROWS", 20)
    path = tmp_path / "all.json"
    export_diary(demo_store, "json", path)
    preview = preview_import(empty, path)
    steps = []

    def cancel_later(done, total, text):
        steps.append(done)
        if len(steps) == 3:
            progress.cancel()

    progress = Progress(cancel_later, 0)
    with pytest.raises(Cancelled):
        commit_import(empty, preview, backup=False, progress=progress)
    assert empty.all_checkins() == [] and empty.medicines() == []
    assert export_queries.count_in_period(empty, Period()) == 0
    preview.close()


def test_csv_export_writes_checkins_and_medicines_beside_it_and_they_import(
    demo_store, empty, tmp_path
):
    path = tmp_path / "out" / "diary.csv"
    path.parent.mkdir()
    outcome = export_diary(demo_store, "csv", path)
    checkins_path, medicines_path = side_paths(path)
    assert outcome.files == (path, checkins_path, medicines_path)
    assert checkins_path.name == "diary-checkins.csv" and medicines_path.exists()
    assert "check-ins" in outcome.describe() and str(checkins_path) in outcome.describe()
    # the episodes' CSV is as before: the same bytes as an export without check-ins
    plain = tmp_path / "plain.csv"
    export_to_file(demo_store, "csv", plain)
    assert path.read_bytes() == plain.read_bytes()
    rows = list(csv.DictReader(io.StringIO(checkins_path.read_text(encoding="utf-8-sig"))))
    assert len(rows) == demo_store.count_checkins()
    for side in (checkins_path, medicines_path):
        preview, _ = _import(empty, side)
        assert preview.kind in ("checkins csv", "medicines csv")
    assert empty.all_checkins() == demo_store.all_checkins()
    assert empty.medicines() == demo_store.medicines()


def test_csv_without_checkins_chosen_writes_one_file(demo_store, tmp_path):
    path = tmp_path / "diary.csv"
    outcome = export_diary(demo_store, "csv", path, with_checkins=False)
    assert outcome.files == (path,) and sorted(p.name for p in tmp_path.iterdir()) == [
        "demo",
        "diary.csv",
    ]


def test_cancelled_csv_export_leaves_none_of_its_files(demo_store, tmp_path, monkeypatch):
    monkeypatch.setattr(export_queries, "BLOCK_ROWS", 10)
    out = tmp_path / "out"
    out.mkdir()
    progress = Progress(lambda done, total, text: progress.cancel() if done else None, 0)
    with pytest.raises(Cancelled):
        export_diary(demo_store, "csv", out / "diary.csv", progress=progress)
    assert list(out.iterdir()) == []


def test_formula_like_checkin_notes_are_guarded_in_csv_and_come_back(empty, tmp_path):
    empty.save_checkin(CheckIn(date(2025, 2, 1), notes="=1+1"), today=UNTIL)
    empty.add_medicine(Medicine("@home mix", "supplement", date(2025, 1, 1)), today=UNTIL)
    path = tmp_path / "x.csv"
    checkins_path, medicines_path = export_diary(empty, "csv", path).files[1:]
    assert "'=1+1" in checkins_path.read_text(encoding="utf-8-sig")
    assert "'@home mix" in medicines_path.read_text(encoding="utf-8-sig")
    other = Store.open(tmp_path / "o" / "o.sqlite")
    try:
        _import(other, checkins_path)
        _import(other, medicines_path)
        assert other.all_checkins() == empty.all_checkins()
        assert [m.name for m in other.medicines()] == ["@home mix"]
    finally:
        other.close()


def test_fhir_has_medicines_as_medication_statements(demo_store, tmp_path):
    from fhir.resources.R4B.bundle import Bundle

    path = tmp_path / "x.fhir.json"
    outcome = export_diary(demo_store, "fhir", path)
    bundle = Bundle.model_validate_json(path.read_text(encoding="utf-8"))
    statements = [
        e.resource for e in bundle.entry if e.resource.__resource_type__ == "MedicationStatement"
    ]
    medicines = demo_store.medicines()
    assert outcome.medicines == len(statements) == len(medicines) and outcome.checkins == 0
    for statement, medicine in zip(statements, medicines, strict=True):
        assert statement.medicationCodeableConcept.text == medicine.name
        assert statement.status == ("active" if medicine.stopped_on is None else "completed")
        assert statement.effectivePeriod.start.isoformat() == medicine.started_on.isoformat()
        assert statement.dosage[0].text == medicine.dose
    # the same identifiers on a second export: a clinic's server finds them again
    again = tmp_path / "y.fhir.json"
    export_diary(demo_store, "fhir", again)
    ids = lambda p: [e["request"] for e in json.loads(p.read_text())["entry"]]  # noqa: E731
    assert ids(path) == ids(again)


def test_a_file_of_checkins_only_is_not_refused_as_empty(empty, tmp_path):
    path = tmp_path / "c.json"
    document = {
        "format": "cramp-tracker-episodes",
        "format_version": 3,
        "episodes": [],
        "checkins": [
            dataclasses.asdict(CheckIn(date(2025, 1, 2), stress="high")) | {"day": "2025-01-02"}
        ],
        "medicines": [],
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    preview, result = _import(empty, path)
    assert result.checkins_added == 1 and result.describe() == "Imported 0 episodes and 1 check-in."
