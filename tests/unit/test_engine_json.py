"""Plan and program JSON in and out of services/engine: doses survive the round trip exactly."""

from __future__ import annotations

import json

import pytest

from upright.catalog import Catalog
from upright.domain.dose import next_dose, set_dose, starting_dose
from upright.domain.planning import PlanInputs, make_plan
from upright.errors import InvalidInput
from upright.services.engine import dose_json, items_from_json, plan_json, screening_answers


def test_a_plan_round_trips_through_json(catalog: Catalog) -> None:
    plan = make_plan(catalog, PlanInputs(equipment=frozenset({"mat"}), minutes=10))
    data = json.loads(json.dumps(plan_json(plan, catalog.vocabulary)))
    title, items = items_from_json(catalog, data)
    assert title == plan.title
    assert [(i.exercise.id, i.dose, i.where) for i in items] == [
        (p.exercise.id, p.dose, p.position) for p in plan.items
    ]


def test_progressed_and_clinician_doses_round_trip(catalog: Catalog) -> None:
    ex = catalog.exercise("childs-pose")
    grown = next_dose(
        starting_dose(ex, "000_7b31e79e88543bd0.txt"), pain=1, baseline=3, stopped_for_pain=False
    ).after
    clinician = set_dose(starting_dose(catalog.exercise("chin-tuck")), reps=15, clinician_set=True)
    data = {
        "items": [
            {"exercise": "childs-pose", "dose": dose_json(grown, catalog.vocabulary)},
            {"exercise": "chin-tuck", "dose": dose_json(clinician, catalog.vocabulary)},
        ]
    }
    _, items = items_from_json(catalog, json.loads(json.dumps(data)))
    assert items[0].dose == grown and grown.hold_seconds == 20
    assert items[1].dose == clinician and clinician.range.reps == (5, 15)


def test_a_range_that_is_not_the_handouts_is_refused(catalog: Catalog) -> None:
    data = {
        "items": [{"exercise": "chin-tuck", "dose": {"handout": "004_8bf3a7f3e9f2d7d5.txt", "reps": [5, 20]}}]
    }
    with pytest.raises(InvalidInput) as err:
        items_from_json(catalog, data)
    assert err.value.field == "items[0].dose.reps"


def test_items_need_only_an_exercise(catalog: Catalog) -> None:
    _, items = items_from_json(catalog, {"items": [{"exercise": "shoulder-rolls"}]})
    assert items[0].dose == starting_dose(catalog.exercise("shoulder-rolls"))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ([1, 2], "answers"),
        ({"answers": {"night-pain": "maybe"}}, "answers.night-pain"),
        ({"answers": {}, "cleared_by_clinician": 3}, "cleared_by_clinician"),
        ({"answers": {}, "conditions": [1]}, "conditions"),
        ({"answers": {}, "mood": "ok"}, "mood"),
        ({}, "answers"),
    ],
)
def test_answers_file_shape_errors_name_the_field(data: object, field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        screening_answers(data)
    assert err.value.field == field
