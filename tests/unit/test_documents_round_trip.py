"""Each document reads back what Upright writes today, field for field: the JSON scripts rely on keeps
its names and values (docs/ENGINE.md), and a model that lost or renamed a field fails here."""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import BaseModel

from upright.catalog import Catalog
from upright.documents.catalog import ExerciseDoc, ProgramDoc
from upright.documents.plan import DoseDoc, PlanDoc, PlanRequest, ProgramIn, StoredPlanDoc
from upright.documents.screening import ScreeningDetailsDoc, ScreeningRequest, ScreeningResultDoc
from upright.documents.script import ScriptDoc, StepDoc
from upright.domain.dose import set_dose, starting_dose
from upright.domain.planning import PlanInputs, make_plan
from upright.domain.screening import ScreeningAnswers, screen
from upright.domain.script import Step, compile_script
from upright.errors import InvalidInput
from upright.services.engine import items_from_json, plan_inputs

AT = datetime(2026, 3, 4, 10, 30, tzinfo=UTC)

# A dose exactly as `upright plan --json` printed it before the documents package existed.
DOSE_TODAY: dict[str, Any] = {
    "handout": "004_8bf3a7f3e9f2d7d5.txt",
    "variant": None,
    "hold_seconds": 5,
    "reps": 15,
    "sets": 1,
    "each_side": False,
    "range": {"hold_seconds": [5, 5], "reps": [5, 15], "sets": [1, 1]},
    "clinician_set": True,
    "given": True,
    "text": "Hold 5 seconds · 15 times",
}


def _again(model: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    """Through JSON text and the model, back to JSON."""
    out: dict[str, Any] = model.model_validate(json.loads(json.dumps(data))).model_dump(mode="json")
    return out


def test_todays_dose_json_reads_back_unchanged() -> None:
    assert _again(DoseDoc, DOSE_TODAY) == DOSE_TODAY


def test_a_planned_dose_prints_todays_field_names(catalog: Catalog) -> None:
    dose = set_dose(starting_dose(catalog.exercise("chin-tuck")), reps=15, clinician_set=True)
    printed = DoseDoc.of(dose, catalog.vocabulary).model_dump(mode="json")
    assert list(printed) == list(DOSE_TODAY)
    assert printed["range"]["reps"] == [5, 15] and printed["sets"] == 1


@pytest.mark.parametrize("setting", ["home", "work"])
def test_a_plan_round_trips(catalog: Catalog, setting: str) -> None:
    plan = make_plan(catalog, PlanInputs(setting=setting, equipment=frozenset({"mat"}), minutes=10))
    printed = PlanDoc.of(plan, catalog.vocabulary).model_dump(mode="json")
    assert list(printed) == [
        "title",
        "template",
        "inputs",
        "items",
        "excluded",
        "minutes",
        "seconds",
        "fits",
        "notes",
    ]
    assert _again(PlanDoc, printed) == printed
    stored = StoredPlanDoc.of(plan, catalog.vocabulary).model_dump(mode="json")
    # a plan of the person's own says no one else set it
    own = {"changes": [], "prescribed": None, "author": None}
    assert stored == {**printed, **own} and _again(StoredPlanDoc, stored) == stored
    # ...and plays: the same items and doses come back through the program reader
    _, items = items_from_json(catalog, ProgramIn.model_validate(printed))
    assert [(i.exercise.id, i.dose) for i in items] == [(p.exercise.id, p.dose) for p in plan.items]


def test_a_script_and_its_steps_round_trip(catalog: Catalog) -> None:
    _, items = items_from_json(catalog, "healthy-upper-back")
    script = compile_script(
        items,
        words=catalog.vocabulary,
        posture=catalog.posture,
        reminders=("Ask your doctor first.",),
        title="T",
    )
    printed = ScriptDoc.of(script, screened=True).model_dump(mode="json")
    assert _again(ScriptDoc, printed) == printed
    assert printed["total_seconds"] == sum(s["seconds"] for s in printed["steps"])
    assert printed["steps"][0]["details"] == list(script.steps[0].details)


def test_a_step_document_carries_every_field_of_the_domains_step() -> None:
    """A field added to domain.script.Step must be added to StepDoc too, or players never see it."""
    assert set(StepDoc.model_fields) == {f.name for f in fields(Step)}


def test_a_screening_result_round_trips_with_its_time_as_isoformat(catalog: Catalog) -> None:
    answers = ScreeningRequest.model_validate(
        {
            "answers": {q.id: "no" for q in catalog.screening},
            "cleared_by_clinician": "yes",
            "conditions": "knee-pain",
        }
    )
    assert answers.to_domain() == ScreeningAnswers(
        answers={q.id: False for q in catalog.screening}, cleared_by_clinician=True, conditions=("knee-pain",)
    )
    result = screen(catalog.screening, catalog.conditions, answers.to_domain(), at=AT)
    printed = ScreeningResultDoc.of(result).model_dump(mode="json")
    assert printed["screened_at"] == "2026-03-04T10:30:00+00:00"  # as datetime.isoformat() wrote it
    assert printed["outcome"] == "ok" and printed["can_start_session"] is True
    assert _again(ScreeningResultDoc, printed) == printed
    details = ScreeningDetailsDoc.of(result)
    assert [f.to_domain() for f in ScreeningDetailsDoc.model_validate(details.model_dump()).findings] == list(
        result.findings
    )


def test_catalog_documents_round_trip(catalog: Catalog) -> None:
    for ex in catalog.exercises.values():
        printed = ExerciseDoc.of(ex).model_dump(mode="json")
        assert _again(ExerciseDoc, printed) == printed
    for tpl in catalog.templates.values():
        printed = ProgramDoc.of(tpl, catalog).model_dump(mode="json")
        assert _again(ProgramDoc, printed) == printed
        # a handout program's JSON is a program too: `upright script` plays it at the handout's doses
        title, items = items_from_json(catalog, printed)
        assert title == tpl.title and [i.exercise.id for i in items] == list(tpl.items)


def test_plan_options_typed_as_people_type_them() -> None:
    request = PlanRequest.model_validate(
        {"equipment": ["band,mat"], "conditions": "knee-pain", "minutes": "7.5"}
    )
    assert (request.equipment, request.conditions, request.minutes) == (["band", "mat"], ["knee-pain"], 7.5)
    inputs = plan_inputs(request)
    assert inputs.equipment == frozenset({"resistance-band", "mat"}) and inputs.minutes == 7.5
    with pytest.raises(InvalidInput) as err:
        plan_inputs(minutes=True)
    assert (err.value.field, err.value.message) == ("minutes", "give the minutes as a number, like 15")
