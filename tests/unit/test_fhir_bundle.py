"""FHIR R4B mapping without a database: every resource validates with fhir.resources' R4B models,
codes and units are the standard ones, and a CarePlan bundle reads back to the same program; bad
bundles are refused with a message naming the resource and element (issue 17)."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class

from upright.catalog import Catalog
from upright.domain.plan_draft import draft_items
from upright.domain.planning import PlanInputs, make_plan, script_items
from upright.errors import InvalidInput
from upright.exports.fhir import person_bundle, read_plan_bundle
from upright.services.fhir_exchange import FhirHistory
from upright.services.plans import plan_body
from upright.store.tables import PlanRow

NOW = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)
PROGRAM = "posture-and-neck-stretches"
SNOMED, LOINC, UCUM = "http://snomed.info/sct", "http://loinc.org", "http://unitsofmeasure.org"


def bundle_for(catalog: Catalog, program: str = PROGRAM, *, author: str | None = None) -> dict[str, Any]:
    plan = make_plan(catalog, PlanInputs(template=program, minutes=30))
    row = PlanRow(id=7, person_id=1, created_at=NOW, source="handout", template_id=program,
                  title=plan.title, body=plan_body(plan, catalog.vocabulary), is_active=True)  # fmt: skip
    history = FhirHistory(
        id_seed="unit-test", plan=row, plan_items=script_items(plan.items), plan_author=author,
        sessions_per_week=3, screenings=[], sessions=[], pain=[], places={},
    )  # fmt: skip
    return person_bundle(history, catalog=catalog, now=NOW)


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def definition(bundle: dict[str, Any], exercise: str) -> dict[str, Any]:
    return next(r for r in resources(bundle, "ActivityDefinition") if r["url"].endswith("/" + exercise))


def dose_part(ad: dict[str, Any], part: str) -> dict[str, Any]:
    for d in ad["dosage"][0].get("doseAndRate", []):
        if d["type"]["coding"][0]["code"] == part:
            return d
    raise AssertionError(f"{ad['title']} has no {part}")


@pytest.fixture(scope="module")
def bundle(catalog: Catalog) -> dict[str, Any]:
    return bundle_for(catalog)


def test_every_resource_validates_with_its_r4b_model(bundle: dict[str, Any]) -> None:
    assert bundle["type"] == "collection"
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds.count("ActivityDefinition") == 4 and kinds.count("CarePlan") == 1
    assert {"Patient", "PlanDefinition", "Questionnaire"} <= set(kinds)
    for entry in bundle["entry"]:
        model = get_fhir_model_class(entry["resource"]["resourceType"])
        model.model_validate(entry["resource"])  # raises on anything R4B does not allow
        assert entry["fullUrl"] == f"urn:uuid:{entry['resource']['id']}"


def test_the_patient_is_anonymous(bundle: dict[str, Any]) -> None:
    (patient,) = resources(bundle, "Patient")
    assert set(patient) == {"resourceType", "id", "active"}


def test_activity_definitions_carry_code_steps_dose_units_and_handout(
    bundle: dict[str, Any], catalog: Catalog
) -> None:
    ad = definition(bundle, "chin-tuck")
    codings = {(c["system"], c["code"]) for c in ad["code"]["coding"]}
    assert (SNOMED, "229065009") in codings
    assert ad["title"] == "Chin tuck"
    assert catalog.exercises["chin-tuck"].steps[0] in ad["description"]
    assert ad["relatedArtifact"][0]["label"] == "004_8bf3a7f3e9f2d7d5.txt"
    hold, reps = dose_part(ad, "hold_seconds")["doseQuantity"], dose_part(ad, "reps")["doseQuantity"]
    assert (hold["value"], hold["system"], hold["code"]) == (5, UCUM, "s")
    assert (reps["value"], reps["system"], reps["code"]) == (5, UCUM, "{repetitions}")
    assert dose_part(ad, "sets")["doseQuantity"]["code"] == "{sets}"
    assert ad["dosage"][0]["text"] == "Hold 5 seconds · 5 times"
    assert "method" not in ad["dosage"][0]
    # times per day: a number where the handout gives one, its words otherwise
    squeeze = definition(bundle, "shoulder-squeeze-breathing")
    assert squeeze["dosage"][0]["timing"]["repeat"] == {"frequency": 2, "period": 1, "periodUnit": "d"}
    assert ad["dosage"][0]["timing"]["code"]["text"] == "several times a day"
    assert definition(bundle, "lateral-flexion")["dosage"][0]["method"]["coding"][0]["code"] == "each-side"


def test_care_plan_points_at_the_definitions_and_the_program(bundle: dict[str, Any]) -> None:
    (plan,) = resources(bundle, "CarePlan")
    (program,) = resources(bundle, "PlanDefinition")
    assert (plan["status"], plan["intent"]) == ("active", "plan")
    assert plan["instantiatesCanonical"] == [program["url"]]
    urls = [a["detail"]["instantiatesCanonical"][0] for a in plan["activity"]]
    assert urls == [r["url"] for r in resources(bundle, "ActivityDefinition")]
    assert plan["activity"][0]["detail"]["scheduledTiming"]["repeat"] == {
        "frequency": 3,
        "period": 1,
        "periodUnit": "wk",
    }
    assert plan["subject"]["reference"] == f"urn:uuid:{resources(bundle, 'Patient')[0]['id']}"
    assert "author" not in plan
    assert [a["definitionCanonical"].rsplit("/", 1)[1] for a in program["action"]] == [
        "chin-tuck", "cervical-flexion", "lateral-flexion", "shoulder-squeeze-breathing",
    ]  # fmt: skip


def test_the_questionnaire_follows_the_catalog(bundle: dict[str, Any], catalog: Catalog) -> None:
    (q,) = resources(bundle, "Questionnaire")
    flags = next(i for i in q["item"] if i["linkId"] == "red-flags")
    assert [i["linkId"] for i in flags["item"]] == [s.id for s in catalog.screening]
    assert [i["text"] for i in flags["item"]] == [s.question for s in catalog.screening]
    conditions = next(i for i in q["item"] if i["linkId"] == "conditions")
    assert [i["linkId"] for i in conditions["item"]] == list(catalog.conditions)


def test_exporting_twice_gives_the_same_bundle(catalog: Catalog, bundle: dict[str, Any]) -> None:
    assert bundle_for(catalog) == bundle


def test_a_bundle_reads_back_to_the_same_program(catalog: Catalog) -> None:
    for program in catalog.templates:
        plan = make_plan(catalog, PlanInputs(template=program, minutes=60))
        draft = read_plan_bundle(bundle_for(catalog, program))
        items = draft_items(draft, catalog)
        assert [(i.exercise.id, i.dose, i.where) for i in items] == [
            (i.exercise.id, i.dose, i.position) for i in plan.items
        ]
        assert draft.template == program and draft.author is None


# ---- refusals -----------------------------------------------------------------------------------


def _refused(catalog: Catalog, data: object) -> InvalidInput:
    with pytest.raises(InvalidInput) as info:
        draft_items(read_plan_bundle(data), catalog)
    return info.value


def _entry_of(bundle: dict[str, Any], kind: str, exercise: str | None = None) -> tuple[int, dict[str, Any]]:
    for k, e in enumerate(bundle["entry"]):
        r = e["resource"]
        if r["resourceType"] == kind and (exercise is None or r["url"].endswith("/" + exercise)):
            return k, r
    raise AssertionError(kind)


def test_an_unknown_exercise_is_refused_by_resource_and_element(
    catalog: Catalog, bundle: dict[str, Any]
) -> None:
    data = copy.deepcopy(bundle)
    k, ad = _entry_of(data, "ActivityDefinition", "cervical-flexion")
    ad["code"]["coding"][1]["code"] = "moon-walk"
    err = _refused(catalog, data)
    assert err.field == f"ActivityDefinition/{ad['id']} (entry[{k}]) code.coding[1].code"
    assert "moon-walk" in err.message


def test_a_dose_outside_the_handout_range_needs_a_clinician_author(
    catalog: Catalog, bundle: dict[str, Any]
) -> None:
    data = copy.deepcopy(bundle)
    k, ad = _entry_of(data, "ActivityDefinition", "chin-tuck")
    dose_part(ad, "reps")["doseQuantity"]["value"] = 25
    err = _refused(catalog, data)
    assert (
        err.field == f"ActivityDefinition/{ad['id']} (entry[{k}]) dosage[0].doseAndRate[1].doseQuantity.value"
    )
    assert "outside the handout's range 5 to 10" in err.message and "no clinician" in err.message
    # the same dose, set by a clinician named as the plan's author, is taken as theirs
    authored = bundle_for(catalog, author="Dr. Ana Ruiz")
    _, ad = _entry_of(authored, "ActivityDefinition", "chin-tuck")
    dose_part(ad, "reps")["doseQuantity"]["value"] = 25
    (practitioner,) = resources(authored, "Practitioner")
    assert practitioner["name"] == [{"text": "Dr. Ana Ruiz"}]
    draft = read_plan_bundle(authored)
    assert draft.author == "Dr. Ana Ruiz"
    chin = draft_items(draft, catalog)[0].dose
    assert (chin.reps, chin.clinician_set, chin.range.reps) == (25, True, (5, 25))


def test_a_patient_as_author_is_not_a_clinician(catalog: Catalog, bundle: dict[str, Any]) -> None:
    data = copy.deepcopy(bundle)
    _, plan = _entry_of(data, "CarePlan")
    plan["author"] = {"reference": plan["subject"]["reference"]}
    _, ad = _entry_of(data, "ActivityDefinition", "chin-tuck")
    dose_part(ad, "hold_seconds")["doseQuantity"]["value"] = 60
    assert "only your doctor or therapist" in _refused(catalog, data).message


@pytest.mark.parametrize(
    ("change", "element", "words"),
    [
        (lambda b: b["entry"][_entry_of(b, "CarePlan")[0]]["resource"].pop("subject"), "subject", "Field required"),
        (lambda b: b["entry"][_entry_of(b, "CarePlan")[0]]["resource"]["activity"][0]["detail"].update(
            scheduledTiming={"repeat": {"frequency": "often"}}),
         "activity[0].detail.scheduledTiming.repeat.frequency", "integer"),
    ],
)  # fmt: skip
def test_an_invalid_resource_is_refused_by_resource_and_element(
    catalog: Catalog, bundle: dict[str, Any], change: Any, element: str, words: str
) -> None:
    data = copy.deepcopy(bundle)
    change(data)
    k, plan = _entry_of(data, "CarePlan")
    err = _refused(catalog, data)
    assert err.field == f"CarePlan/{plan['id']} (entry[{k}]) {element}"
    assert words in err.message


def test_wrong_units_each_side_and_missing_parts_are_refused(
    catalog: Catalog, bundle: dict[str, Any]
) -> None:
    data = copy.deepcopy(bundle)
    _, ad = _entry_of(data, "ActivityDefinition", "chin-tuck")
    dose_part(ad, "hold_seconds")["doseQuantity"]["code"] = "min"
    err = _refused(catalog, data)
    assert err.field.endswith("dosage[0].doseAndRate[0].doseQuantity.code") and "'s'" in err.message

    data = copy.deepcopy(bundle)
    _, ad = _entry_of(data, "ActivityDefinition", "lateral-flexion")
    del ad["dosage"][0]["method"]
    err = _refused(catalog, data)
    assert err.field.endswith("dosage[0].method") and "each side" in err.message

    data = copy.deepcopy(bundle)
    k, plan = _entry_of(data, "CarePlan")
    plan["activity"][2]["detail"]["instantiatesCanonical"] = ["https://elsewhere.example/AD/x"]
    err = _refused(catalog, data)
    assert err.field == f"CarePlan/{plan['id']} (entry[{k}]) activity[2].detail.instantiatesCanonical[0]"

    data = copy.deepcopy(bundle)
    data["entry"] = [e for e in data["entry"] if e["resource"]["resourceType"] != "CarePlan"]
    assert "no CarePlan" in _refused(catalog, data).message

    data = copy.deepcopy(bundle)
    _, ad = _entry_of(data, "ActivityDefinition", "chin-tuck")
    ad["dosage"][0]["doseAndRate"].append(copy.deepcopy(dose_part(ad, "reps")))
    assert "given twice" in _refused(catalog, data).message

    data = copy.deepcopy(bundle)
    data["entry"][0]["resource"]["resourceType"] = "Exercise"
    err = _refused(catalog, data)
    assert err.field == "entry[0].resource.resourceType" and "not a FHIR R4B resource type" in err.message

    assert _refused(catalog, {"resourceType": "Patient"}).field == "Bundle"
    assert _refused(catalog, [1, 2]).field == "Bundle"


def test_the_sample_bundle_in_the_docs_is_valid_and_reads_back(catalog: Catalog) -> None:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "FHIR.md").read_text(encoding="utf-8")
    sample = json.loads(text.split("```json\n", 1)[1].split("\n```", 1)[0])
    for entry in sample["entry"]:
        get_fhir_model_class(entry["resource"]["resourceType"]).model_validate(entry["resource"])
    (item,) = draft_items(read_plan_bundle(sample), catalog)
    assert (item.exercise.id, item.dose.each_side) == ("lateral-flexion", True)
