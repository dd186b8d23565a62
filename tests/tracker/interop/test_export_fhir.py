"""FHIR export: the Bundle parses with fhir.resources' R4B models and says what the IG asks."""

import io
import json
import re
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import TZ, make_episode
from tests.tracker.episode_strategies import episodes
from tracker.diary.episode import Episode
from tracker.interop.export_fhir import write_fhir
from tracker.interop.exporting import write_episodes


def _bundle(items):
    from fhir.resources.R4B.bundle import Bundle

    buffer = io.StringIO()
    count = write_fhir(items, buffer)
    bundle = Bundle.model_validate_json(buffer.getvalue())
    assert count == len(items)
    return bundle


def _codes(concept):
    return {(c.system, c.code) for c in (concept.coding or [])}


def test_observation_follows_symptom_observation_pattern(store):
    store.add_episode(
        make_episode(
            started_at=datetime(2026, 3, 10, 2, 30, tzinfo=TZ),
            duration_s=150,
            site=("calf",),
            side="right",
            severity=8,
            activity="walking",
            footwear="high_heels",
            footwear_tight=True,
            hydration="under",
            fluid_ml=600,
            relief=("stretching",),
            relief_effect="yes",
            context=("cold",),
            warning_signs=("swelling",),
            notes="<b>not markup</b> & more",
        )
    )
    buffer = io.StringIO()
    write_episodes(store, "fhir", buffer)
    from fhir.resources.R4B.bundle import Bundle

    bundle = Bundle.model_validate_json(buffer.getvalue())
    assert bundle.type == "transaction"
    patient, entry = bundle.entry
    assert patient.resource.__resource_type__ == "Patient"
    obs = entry.resource
    assert obs.__resource_type__ == "Observation" and obs.status == "final"
    assert _codes(obs.code) == {("http://loinc.org", "75325-1")}
    assert _codes(obs.valueCodeableConcept) == {("http://snomed.info/sct", "55300003")}
    assert "symptom" in {c.code for c in obs.category[0].coding}
    assert obs.subject.reference == patient.fullUrl == obs.performer[0].reference
    assert obs.effectivePeriod.start.isoformat() == "2026-03-10T02:30:00+01:00"
    assert obs.effectivePeriod.end.isoformat() == "2026-03-10T02:32:30+01:00"
    assert obs.bodySite.text == "Right: Calf"
    assert _codes(obs.bodySite) == {("http://snomed.info/sct", "53840002")}
    by_code = {}
    for component in obs.component:
        key = component.code.coding[0].code if component.code.coding else component.code.text
        by_code.setdefault(key, []).append(component)
    assert by_code["72514-3"][0].valueInteger == 8
    assert _codes(by_code["64750-3"][0].valueCodeableConcept) == {
        ("http://snomed.info/sct", "24484000")
    }
    assert by_code["OTHEREVENT"][0].valueCodeableConcept.text == "Walking"
    assert by_code["Footwear at onset"][0].valueString == "High heels (tight or ill-fitting)"
    assert "600 ml" in by_code["Hydration"][0].valueString
    assert by_code["100752-5"][0].valueCodeableConcept.text == "Cold"
    assert by_code["100753-3"][0].valueCodeableConcept.text == "Stretching"
    texts = [n.text for n in obs.note]
    # markdown: escaped, so it shows as typed and no HTML reaches the clinic's screen
    assert "Swelling" in texts[0] and texts[1] == "\\<b\\>not markup\\</b\\> \\& more"
    duration = by_code["103335007"][0].valueQuantity
    assert (duration.value, duration.code, duration.system) == (
        150,
        "s",
        "http://unitsofmeasure.org",
    )
    assert _codes(by_code["272741003"][0].valueCodeableConcept) == {
        ("http://snomed.info/sct", "24028007")  # right
    }


def test_sites_are_coded_only_when_known():
    bundle = _bundle(
        [
            make_episode(site=("sole",)),
            make_episode(site=("big_toe", "little_toe")),
            make_episode(site=("sole", "top_of_foot", "toes")),
            make_episode(site=("calf", "ankle")),
            make_episode(site=("other",), side="both"),
        ]
    )
    sites = [e.resource.bodySite for e in bundle.entry[1:]]
    assert [s.text for s in sites][0] == "Left: Sole / arch"
    assert [_codes(s) for s in sites] == [
        {("http://snomed.info/sct", "56459004")},  # a part of the foot: coded as the foot
        {("http://snomed.info/sct", "29707007")},
        {("http://snomed.info/sct", "56459004")},
        set(),
        set(),
    ]


def _raw_observations(items) -> list[dict]:
    buffer = io.StringIO()
    write_fhir(items, buffer)
    _bundle(items)  # and it validates
    return [e["resource"] for e in json.loads(buffer.getvalue())["entry"][1:]]


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_not_recorded_fields_are_left_out():
    quick = Episode(started_at=datetime(2026, 3, 10, 2, 30, tzinfo=TZ), duration_s=40)
    [obs] = _raw_observations([quick])
    assert "bodySite" not in obs
    assert obs["component"] == [  # only the duration, which is always recorded
        {
            "code": {
                "coding": [
                    {"system": "http://snomed.info/sct", "code": "103335007", "display": "Duration"}
                ]
            },
            "valueQuantity": {
                "value": 40,
                "unit": "s",
                "system": "http://unitsofmeasure.org",
                "code": "s",
            },
        }
    ]
    assert obs["note"] == [{"text": "Cramp lasting 40 s."}]
    assert "" not in set(_strings(obs)) and "None" not in json.dumps(obs)


def test_partly_recorded_episode_says_only_what_was_recorded():
    base = Episode(started_at=datetime(2026, 3, 10, 2, 30, tzinfo=TZ), duration_s=40)
    side_only, site_only, tight, fluid, severity, approximate = _raw_observations(
        [
            base.replace(side="left"),
            base.replace(site=("calf",)),
            base.replace(footwear_tight=True, activity="in_bed"),
            base.replace(fluid_ml=400),
            base.replace(severity=2),
            base.replace(time_approximate=True),
        ]
    )
    assert side_only["bodySite"] == {"text": "Left"}
    assert site_only["bodySite"]["text"] == "Calf"
    assert site_only["bodySite"]["coding"][0]["code"] == "53840002"

    def components(obs):
        return {
            c["code"].get("text") or c["code"]["coding"][0]["code"]: c
            for c in obs.get("component", [])
            if c["code"].get("coding", [{}])[0].get("code") != "103335007"  # always there
        }

    assert set(components(tight)) == {"OTHEREVENT", "Footwear at onset"}
    assert components(tight)["Footwear at onset"]["valueString"] == "Tight or ill-fitting"
    assert components(fluid) == {
        "Hydration": {
            "code": {"text": "Hydration"},
            "valueString": "400 ml drunk that day so far",
        }
    }
    assert set(components(severity)) == {"64750-3", "72514-3"}
    assert components(severity)["72514-3"]["valueInteger"] == 2
    assert "bodySite" not in severity and components(approximate) == {}
    assert set(components(side_only)) == {"272741003"}
    assert "The start time is approximate." in approximate["note"][0]["text"]
    assert "approximate" not in severity["note"][0]["text"]


def test_empty_export_is_a_valid_bundle():
    assert len(_bundle([]).entry) == 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=st.lists(episodes, max_size=4))
def test_every_episode_gives_a_valid_bundle(items):
    bundle = _bundle(items)
    assert len(bundle.entry) == len(items) + 1
    for episode, obs in zip(items, _raw_observations(items), strict=True):
        assert "" not in set(_strings(obs))  # never an empty string for "not recorded"
        assert ("bodySite" in obs) == bool(episode.side or episode.site)
        codes = [c["code"].get("coding", [{}])[0].get("code") for c in obs.get("component", [])]
        assert ("72514-3" in codes) == (episode.severity is not None)
        assert ("OTHEREVENT" in codes) == (episode.activity is not None)


def _export(store, **options) -> str:
    buffer = io.StringIO()
    write_episodes(store, "fhir", buffer, **options)
    return buffer.getvalue()


def _without_timestamp(text: str) -> dict:
    document = json.loads(text)
    assert document.pop("timestamp")
    return document


def test_transaction_can_be_sent_twice_without_duplicates(store):
    """Each entry is a conditional create on a stable identifier, so a server that already has
    it keeps one copy; two exports are identical apart from the timestamp."""
    from fhir.resources.R4B.bundle import Bundle

    first = store.add_episode(make_episode(duration_s=120, side="both"))
    store.add_episode(make_episode(started_at=datetime(2026, 3, 11, 8, 0, tzinfo=TZ)))
    one, two = _export(store), _export(store)
    assert _without_timestamp(one) == _without_timestamp(two)
    assert one.split('"entry"')[1] == two.split('"entry"')[1]  # byte-identical entries
    bundle = Bundle.model_validate_json(one)
    assert bundle.type == "transaction" and bundle.id is None
    patient, obs, _ = bundle.entry
    diary = store.diary_uid()
    assert patient.fullUrl == f"urn:uuid:{diary}"
    assert patient.request.method == "POST" and patient.request.url == "Patient"
    assert patient.request.ifNoneExist == f"identifier=urn:cramp-tracker:diary|{diary}"
    assert patient.resource.identifier[0].value == diary
    assert obs.fullUrl == f"urn:uuid:{first.uid}"
    assert obs.request.method == "POST" and obs.request.url == "Observation"
    assert obs.request.ifNoneExist == f"identifier=urn:cramp-tracker:episode|{first.uid}"
    assert [(i.system, i.value) for i in obs.resource.identifier] == [
        ("urn:cramp-tracker:episode", first.uid)
    ]
    assert obs.resource.id is None  # a create: the server gives the id
    assert obs.resource.subject.reference == patient.fullUrl
    components = {c.code.coding[0].code: c for c in obs.resource.component if c.code.coding}
    assert components["103335007"].valueQuantity.value == 2
    assert components["103335007"].valueQuantity.code == "min"
    assert components["272741003"].valueCodeableConcept.coding[0].code == "51440002"


def test_a_clinic_patient_reference_replaces_the_placeholder(store, db_path, tmp_path):
    from fhir.resources.R4B.bundle import Bundle

    from tracker.cli import main as cli
    from tracker.interop.exporting import ExportError

    saved = store.add_episode(make_episode())
    bundle = Bundle.model_validate_json(_export(store, patient="Patient/123"))
    [obs] = bundle.entry
    assert obs.resource.subject.reference == "Patient/123"
    assert obs.resource.performer[0].reference == "Patient/123"
    assert obs.fullUrl == f"urn:uuid:{saved.uid}"
    for bad in ("123", "Patient/", "Observation/1", "Patient/1 2"):
        with pytest.raises(ExportError, match="not a Patient reference"):
            _export(store, patient=bad)
    with pytest.raises(ExportError, match="only used by the FHIR"):
        write_episodes(store, "csv", io.StringIO(), patient="Patient/1")
    out = tmp_path / "clinic.fhir.json"
    store.close()
    argv = ["export", "--db", str(db_path), "--format", "fhir", "--out", str(out)]
    assert cli.run([*argv, "--patient", "Patient/abc-1"]) == 0
    [obs] = json.loads(out.read_text(encoding="utf-8"))["entry"]
    assert obs["resource"]["subject"] == {"reference": "Patient/abc-1"}
    assert cli.run([*argv, "--patient", "nobody"]) == 2


def test_empty_export_with_a_patient_reference_has_no_empty_entry_list():
    from fhir.resources.R4B.bundle import Bundle

    buffer = io.StringIO()
    assert write_fhir([], buffer, patient_ref="Patient/1") == 0
    assert "entry" not in json.loads(buffer.getvalue())
    Bundle.model_validate_json(buffer.getvalue())


@pytest.mark.parametrize(
    "typed, escaped",
    [
        ("<b>x</b>", "\\<b\\>x\\</b\\>"),
        ("a_b *c* `d` [e](f) & g | h ~ i \\ j", None),
        (
            "- not a list\n1. nor this\n# nor a heading",
            "\\- not a list\n1\\. nor this\n\\# nor a heading",
        ),
        ("Woke me up. Drank water (a lot)!", "Woke me up. Drank water (a lot)!"),
    ],
)
def test_notes_are_plain_text_in_markdown(typed, escaped):
    from tracker.interop.export_fhir import markdown_text

    text = markdown_text(typed)
    if escaped is not None:
        assert text == escaped
    # CommonMark: a backslash before ASCII punctuation shows that character; removing the
    # escapes gives back exactly what was typed
    assert re.sub(r"\\([!-/:-@[-`{-~])", r"\1", text) == typed
