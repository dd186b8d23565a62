"""FHIR R4 export for clinicians' systems: a Bundle of symptom Observations.

Each episode becomes one Observation shaped like the HL7 Symptoms IG's SymptomObservation: code
LOINC 75325-1 "Symptom", value SNOMED CT 55300003 "Cramp (finding)", effectivePeriod from the
start and the duration, severity as a component (the IG's LOINC 64750-3 with a SNOMED mild /
moderate / severe band, plus the 0-10 number as LOINC 72514-3), what the person was doing as an
"other events" component, footwear and hydration as text components, what was tried for relief
and possible context as alleviating / exacerbating factors, warning signs and notes as notes.

Body sites carry a SNOMED CT code only where we are sure of it; every site is always written as
text, with the side. R4 has no laterality element, so the side is also a coded component
(SNOMED CT 272741003 "Laterality" with 7771000 left, 24028007 right, 51440002 right and left),
and the duration a UCUM quantity (seconds, or minutes when whole).

The Bundle is a ``transaction`` a clinic's server can be sent again and again: each Observation
is a conditional create (``ifNoneExist``) on its identifier, the episode's stable uid kept in
the diary, so a second upload finds the first instead of duplicating it; its fullUrl is
``urn:uuid:<uid>``. The subject is either a Patient reference the person gives (``Patient/123``
from the clinic) or one placeholder Patient with no personal data, identified by the diary's own
uid, which the clinic links to its own record. Exporting twice gives the same bytes apart from
``Bundle.timestamp``.

The person's notes go out as they typed them: Annotation.text is markdown, so markup characters
are escaped and "<b>x</b>" is shown as those characters, never as bold text.

Medicines and supplements from the diary's list are MedicationStatements (status active while
taken, completed once stopped; effectivePeriod from the start to the stop day; the medication
and the dose as text, as the person typed them, never guessed into a code; category
"patientspecified"; a supplement says so in a note). Each is a conditional create on an
identifier made from the diary's uid, the name, the kind and the start date. Daily check-ins are
not exported here: no standard code fits their answers (fluids, shoes, stress as the person
rated them), so they are in the JSON export only.

A field the person did not record is left out (no component, no bodySite), never written as an
empty string or a guess: a clinician must be able to tell "not said" from a fact. A start time
the person marked as approximate is said so in the note.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any, TextIO

from tracker.diary import vocab
from tracker.diary.checkin import Medicine
from tracker.diary.episode import Episode, format_duration

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
SYMPTOMS_IG = "http://hl7.org/fhir/uv/symptoms"
PROFILE = f"{SYMPTOMS_IG}/StructureDefinition/SymptomObservation"
SYMPTOM_CATEGORY = f"{SYMPTOMS_IG}/CodeSystem/SymptomTemporary"
NAMESPACE = uuid.UUID("6f9b1c1e-3a7d-4c55-9d8e-2b8f0f6f2a41")  # for episodes without a uid
UCUM = "http://unitsofmeasure.org"
EPISODE_SYSTEM = "urn:cramp-tracker:episode"  # Observation.identifier: the episode's uid
DIARY_SYSTEM = "urn:cramp-tracker:diary"  # placeholder Patient.identifier: the diary's uid
PATIENT_REFERENCE = re.compile(r"(https?://\S+/)?Patient/[A-Za-z0-9\-.]{1,64}")
LATERALITY = ("272741003", "Laterality")
SIDE_CODES = {
    "left": ("7771000", "Left"),
    "right": ("24028007", "Right"),
    "both": ("51440002", "Right and left"),
}
DURATION = ("103335007", "Duration")
MEDICINE_SYSTEM = "urn:cramp-tracker:medicine"  # MedicationStatement.identifier
STATEMENT_CATEGORY = "http://terminology.hl7.org/CodeSystem/medication-statement-category"

SITE_CODES = {  # SNOMED CT body structures we are sure of; others are text only
    "toes": ("29707007", "Toe structure"),
    "big_toe": ("78883009", "Great toe structure"),
    "second_toe": ("55078004", "Second toe structure"),
    "third_toe": ("78132007", "Third toe structure"),
    "fourth_toe": ("80349001", "Fourth toe structure"),
    "little_toe": ("39915008", "Fifth toe structure"),
    "ankle": ("344001", "Ankle region structure"),
    "calf": ("53840002", "Calf of leg structure"),
}
FOOT = ("56459004", "Foot structure")
FOOT_PARTS = {"toes", *vocab.TOE_SITES, "sole", "top_of_foot"}
# SNOMED CT for each of vocab.SEVERITY_BANDS (which says where each band starts and ends).
SEVERITY_BANDS = {
    "mild": ("255604002", "Mild"),
    "moderate": ("6736007", "Moderate"),
    "severe": ("24484000", "Severe"),
}


def _coding(system: str, code: str, display: str) -> dict[str, Any]:
    return {"system": system, "code": code, "display": display}


def _concept(system: str, code: str, display: str, text: str | None = None) -> dict[str, Any]:
    concept: dict[str, Any] = {"coding": [_coding(system, code, display)]}
    if text:
        concept["text"] = text
    return concept


def body_site(episode: Episode) -> dict[str, Any] | None:
    """The site(s) as text with the side; coded when one known site, or a shared parent.

    None when neither the side nor the site was recorded.
    """
    sites = episode.site
    parts = [vocab.label(vocab.SIDES, episode.side), vocab.labels(vocab.SITES, sites)]
    text = ": ".join(p for p in parts if p)
    if not text:
        return None
    concept: dict[str, Any] = {"text": text}
    code = _site_code(sites)
    if code:
        concept["coding"] = [_coding(SNOMED, *code)]
    return concept


def _site_code(sites: tuple[str, ...]) -> tuple[str, str] | None:
    """The SNOMED code of one known site, or of the part of the foot all the sites are in."""
    if len(sites) == 1 and sites[0] in SITE_CODES:
        return SITE_CODES[sites[0]]
    if not sites:
        return None
    if all(s in vocab.TOE_SITES or s == "toes" for s in sites):
        return SITE_CODES["toes"]
    if all(s in FOOT_PARTS for s in sites):
        return FOOT
    return None


def duration_quantity(seconds: int) -> dict[str, Any]:
    """A UCUM quantity: whole minutes as min, anything else as s."""
    if seconds >= 60 and seconds % 60 == 0:
        return {"value": seconds // 60, "unit": "min", "system": UCUM, "code": "min"}
    return {"value": seconds, "unit": "s", "system": UCUM, "code": "s"}


_MARKDOWN_ANYWHERE = re.compile(r"([\\`*_\[\]<>&~|])")
_MARKDOWN_LINE_START = re.compile(r"^(\s*)([#+\-=>]|\d+(?=[.)]))", re.MULTILINE)


def markdown_text(text: str) -> str:
    """Escape what markdown (Annotation.text) would read as markup or HTML, so the note
    reads exactly as typed: CommonMark shows a backslash-escaped character as itself."""
    escaped = _MARKDOWN_ANYWHERE.sub(r"\\\1", text)
    return _MARKDOWN_LINE_START.sub(_escape_line_start, escaped)


def _escape_line_start(match: re.Match[str]) -> str:
    indent, mark = match.groups()
    if mark[0].isdigit():  # "1." or "1)" starts a list: escape the dot or parenthesis
        return f"{indent}{mark}\\"
    return f"{indent}\\{mark}"


def _text_component(name: str, value: str) -> dict[str, Any]:
    return {"code": {"text": name}, "valueString": value}


def episode_uid(episode: Episode) -> str:
    """The episode's stable uid; for one never saved, a UUID derived from its content."""
    if episode.uid:
        return episode.uid
    key = f"{episode.id}|{episode.started_at.isoformat()}|{episode.duration_s}"
    return str(uuid.uuid5(NAMESPACE, key))


Component = dict[str, Any]


def _duration_components(episode: Episode) -> list[Component]:
    return [
        {
            "code": _concept(SNOMED, *DURATION),
            "valueQuantity": duration_quantity(episode.duration_s),
        }
    ]


def _side_components(episode: Episode) -> list[Component]:
    if episode.side is None:
        return []
    return [
        {
            "code": _concept(SNOMED, *LATERALITY),
            "valueCodeableConcept": _concept(SNOMED, *SIDE_CODES[episode.side]),
        }
    ]


def _severity_components(episode: Episode) -> list[Component]:
    if episode.severity is None:
        return []
    band = vocab.severity_band(episode.severity)
    return [
        {
            "code": _concept(LOINC, "64750-3", "Severity of symptoms"),
            "valueCodeableConcept": _concept(
                SNOMED, *SEVERITY_BANDS[band], text=f"{episode.severity}/10 ({band})"
            ),
        },
        {
            "code": _concept(
                LOINC,
                "72514-3",
                "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
            ),
            "valueInteger": episode.severity,
        },
    ]


def _activity_components(episode: Episode) -> list[Component]:
    if episode.activity is None:
        return []
    return [
        {
            "code": _concept(SYMPTOM_CATEGORY, "OTHEREVENT", "Other Events"),
            "valueCodeableConcept": {"text": vocab.label(vocab.ACTIVITIES, episode.activity)},
        }
    ]


def _situation_components(episode: Episode) -> list[Component]:
    """Footwear and hydration at onset, as text."""
    texts = (
        ("Footwear at onset", _footwear_text(episode)),
        ("Hydration", _hydration_text(episode)),
    )
    return [_text_component(name, text) for name, text in texts if text]


def _factor_components(episode: Episode) -> list[Component]:
    """What made it worse (the context) and what relieved it (relief that helped)."""
    helped = episode.relief if episode.relief_effect in ("yes", "partly") else ()
    factors = [
        *((LOINC_WORSE, vocab.label(vocab.CONTEXT, code)) for code in episode.context),
        *((LOINC_BETTER, vocab.label(vocab.RELIEF, code)) for code in helped),
    ]
    return [
        {"code": _concept(LOINC, *loinc), "valueCodeableConcept": {"text": text}}
        for loinc, text in factors
    ]


LOINC_WORSE = ("100752-5", "Exacerbating factors - Reported")
LOINC_BETTER = ("100753-3", "Alleviating factors - Reported")
# The Observation's components, in order.
_COMPONENTS: tuple[Callable[[Episode], list[Component]], ...] = (
    _duration_components,
    _side_components,
    _severity_components,
    _activity_components,
    _situation_components,
    _factor_components,
)


def _summary_note(episode: Episode) -> str:
    notes = [f"Cramp lasting {format_duration(episode.duration_s)}."]
    if episode.time_approximate:
        notes.append("The start time is approximate.")
    if episode.relief:
        effect = vocab.label(vocab.RELIEF_EFFECT, episode.relief_effect) or "effect not recorded"
        notes.append(f"Relief tried: {vocab.labels(vocab.RELIEF, episode.relief)} ({effect}).")
    if episode.warning_signs:
        notes.append(
            "Warning signs noticed: " + vocab.labels(vocab.WARNING_SIGNS, episode.warning_signs)
        )
    return " ".join(notes)


def observation(episode: Episode, patient_ref: str) -> dict[str, Any]:
    start = episode.started_at
    end = start + timedelta(seconds=episode.duration_s)
    components = [c for part in _COMPONENTS for c in part(episode)]
    note = [{"text": _summary_note(episode)}]
    if episode.notes.strip():
        note.append({"text": markdown_text(episode.notes)})

    resource = {
        "resourceType": "Observation",
        "identifier": [{"system": EPISODE_SYSTEM, "value": episode_uid(episode)}],
        "meta": {"profile": [PROFILE]},
        "status": "final",
        "category": [_concept(SYMPTOM_CATEGORY, "symptom", "Symptom")],
        "code": _concept(LOINC, "75325-1", "Symptom"),
        "subject": {"reference": patient_ref},
        "effectivePeriod": {"start": start.isoformat(), "end": end.isoformat()},
        "performer": [{"reference": patient_ref}],
        "valueCodeableConcept": _concept(SNOMED, "55300003", "Cramp (finding)", text="Cramp"),
        "note": note,
    }
    site = body_site(episode)
    if site:
        resource["bodySite"] = site
    resource["component"] = components
    if episode.created_at:
        resource["issued"] = episode.created_at
    return resource


def _footwear_text(episode: Episode) -> str:
    footwear = vocab.label(vocab.FOOTWEAR, episode.footwear)
    if episode.footwear_tight:
        return f"{footwear} (tight or ill-fitting)" if footwear else "Tight or ill-fitting"
    return footwear


def _hydration_text(episode: Episode) -> str:
    parts = []
    if episode.hydration is not None:
        parts.append(vocab.label(vocab.HYDRATION, episode.hydration) + " (self-rated)")
    if episode.fluid_ml is not None:
        parts.append(f"{episode.fluid_ml} ml drunk that day so far")
    return "; ".join(parts)


def _conditional(resource_type: str, system: str, value: str) -> dict[str, Any]:
    return {
        "method": "POST",
        "url": resource_type,
        "ifNoneExist": f"identifier={system}|{value}",
    }


def placeholder_patient(diary_uid: str) -> dict[str, Any]:
    """The Bundle entry of a Patient with no personal data, the same for every export."""
    return {
        "fullUrl": f"urn:uuid:{diary_uid}",
        "resource": {
            "resourceType": "Patient",
            "identifier": [{"system": DIARY_SYSTEM, "value": diary_uid}],
            "text": {
                "status": "generated",
                "div": '<div xmlns="http://www.w3.org/1999/xhtml">The person who kept this '
                "cramp diary (no personal data exported).</div>",
            },
        },
        "request": _conditional("Patient", DIARY_SYSTEM, diary_uid),
    }


def is_patient_reference(text: str) -> bool:
    """``Patient/123`` or an absolute ``https://server/fhir/Patient/123``."""
    return PATIENT_REFERENCE.fullmatch(text) is not None


def medicine_uid(medicine: Medicine, diary_uid: str) -> str:
    """The same for the same medicine of the same diary, export after export."""
    key = f"{diary_uid}|{medicine.name}|{medicine.kind}|{medicine.started_on.isoformat()}"
    return str(uuid.uuid5(NAMESPACE, key))


def medication_statement(medicine: Medicine, patient_ref: str, uid: str) -> dict[str, Any]:
    """A medicine or supplement from the list, as the person entered it (text, no code)."""
    period = {"start": medicine.started_on.isoformat()}
    if medicine.stopped_on is not None:
        period["end"] = medicine.stopped_on.isoformat()
    resource: dict[str, Any] = {
        "resourceType": "MedicationStatement",
        "identifier": [{"system": MEDICINE_SYSTEM, "value": uid}],
        "status": "active" if medicine.stopped_on is None else "completed",
        "category": _concept(STATEMENT_CATEGORY, "patientspecified", "Patient Specified"),
        "medicationCodeableConcept": {"text": medicine.name},
        "subject": {"reference": patient_ref},
        "effectivePeriod": period,
    }
    if medicine.dose:
        resource["dosage"] = [{"text": medicine.dose}]
    if medicine.kind == "supplement":
        resource["note"] = [{"text": "A supplement (as recorded in the cramp diary)."}]
    return resource


def write_fhir(
    episodes: Iterable[Episode],
    out: TextIO,
    *,
    patient_ref: str | None = None,
    diary_uid: str | None = None,
    medicines: Iterable[Medicine] = (),
) -> int:
    """Write a FHIR R4 transaction Bundle as JSON, one entry at a time.

    ``patient_ref`` (``Patient/123``) names the clinic's own record; without it the Bundle
    holds the diary's placeholder Patient (``diary_uid``, from the store's settings).
    """
    out.write('{"resourceType": "Bundle", "type": "transaction", ')
    out.write(f'"timestamp": {json.dumps(datetime.now(UTC).isoformat(timespec="seconds"))}')
    separator = ', "entry": [\n'  # no entry at all: no empty list, which FHIR forbids
    if patient_ref is None:
        patient = placeholder_patient(diary_uid or str(uuid.uuid5(NAMESPACE, "diary")))
        patient_ref = patient["fullUrl"]
        out.write(separator + json.dumps(patient, ensure_ascii=False))
        separator = ",\n"
    count = 0
    diary = diary_uid or str(uuid.uuid5(NAMESPACE, "diary"))
    for episode in episodes:
        uid = episode_uid(episode)
        entry = {
            "fullUrl": f"urn:uuid:{uid}",
            "resource": observation(episode, patient_ref),
            "request": _conditional("Observation", EPISODE_SYSTEM, uid),
        }
        out.write(separator + json.dumps(entry, ensure_ascii=False))
        separator = ",\n"
        count += 1
    for medicine in medicines:
        uid = medicine_uid(medicine, diary)
        entry = {
            "fullUrl": f"urn:uuid:{uid}",
            "resource": medication_statement(medicine, patient_ref, uid),
            "request": _conditional("MedicationStatement", MEDICINE_SYSTEM, uid),
        }
        out.write(separator + json.dumps(entry, ensure_ascii=False))
        separator = ",\n"
    out.write("}\n" if separator.startswith(", ") else "\n]}\n")
    return count
