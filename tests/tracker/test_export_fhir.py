"""FHIR export: the Bundle parses with fhir.resources' R4B models and says what the IG asks."""

import io
from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import TZ, make_episode
from tests.tracker.episode_strategies import episodes
from tracker.export_fhir import write_fhir
from tracker.exporting import write_episodes


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
    assert bundle.type == "collection"
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
    assert "Swelling" in texts[0] and texts[1] == "<b>not markup</b> & more"


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


def test_empty_export_is_a_valid_bundle():
    assert len(_bundle([]).entry) == 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=st.lists(episodes, max_size=4))
def test_every_episode_gives_a_valid_bundle(items):
    bundle = _bundle(items)
    assert len(bundle.entry) == len(items) + 1
