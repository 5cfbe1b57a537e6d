"""/api/screening, /api/plan, /api/script: the same engine and shapes as the CLI, errors named by field."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from upright.catalog import Catalog
from upright.cli import app as cli


@pytest.fixture
def client(make_app: Callable[..., FastAPI]) -> TestClient:
    return TestClient(make_app())


def all_no(catalog: Catalog, **yes: bool) -> dict[str, bool]:
    return {q.id: yes.get(q.id.replace("-", "_"), False) for q in catalog.screening}


def test_questions_list_every_question_in_order_with_outcome_and_follows(
    client: TestClient, catalog: Catalog
) -> None:
    data = client.get("/api/screening/questions").json()
    assert [q["id"] for q in data] == [q.id for q in catalog.screening]
    for item in data:
        assert set(item) == {"id", "text", "group", "outcome", "follows"}
    by_id = {q["id"]: q for q in data}
    assert by_id["past-cancer-checked"]["follows"] == "past-cancer"
    assert by_id["past-cancer-checked"]["text"] == "Has a doctor checked this pain since it began?"
    assert by_id["chest-pain-now"] == {
        "id": "chest-pain-now", "text": by_id["chest-pain-now"]["text"], "group": "heart",
        "outcome": "emergency", "follows": None,
    }  # fmt: skip


def test_an_emergency_answer_alone_gets_its_outcome_not_a_422(client: TestClient) -> None:
    res = client.post("/api/screening", json={"answers": {"chest-pain-with-signs": True}})
    assert res.status_code == 422  # the old id is gone; the new one acts at once:
    res = client.post("/api/screening", json={"answers": {"chest-pain-now": True}})
    assert res.status_code == 200
    data = res.json()
    assert data["outcome"] == "emergency" and data["can_start_session"] is False
    assert data["reminders"] == [] and not any("gently" in r for r in data["reasons"])
    seek = client.post("/api/screening", json={"answers": {"fever-or-chills": True}}).json()
    assert seek["outcome"] == "seek_care_now"


def test_the_emergency_advice_names_the_number_of_the_country_setting(make_app: Any) -> None:
    with TestClient(make_app(country="GB")) as c:
        data = c.post("/api/screening", json={"answers": {"chest-pain-now": True}}).json()
    assert "999" in data["advice"]


def test_pain_and_places_count_at_screening(client: TestClient, catalog: Catalog) -> None:
    body = {"answers": all_no(catalog), "cleared_by_clinician": True, "pain": 8, "places": ["neck"]}
    data = client.post("/api/screening", json=body).json()
    assert data["outcome"] != "ok" and "You can start" not in data["advice"]
    assert "You said no to every warning sign." not in data["reasons"]
    chest = client.post("/api/screening", json={**body, "pain": 3, "places": ["chest"]}).json()
    assert any("chest" in r for r in chest["reasons"])
    bad = client.post("/api/screening", json={**body, "places": ["elbow"]})
    assert bad.status_code == 422 and bad.json()["field"] == "places[0]"
    bad = client.post("/api/screening", json={**body, "pain": 11})
    assert bad.status_code == 422 and bad.json()["field"] == "pain"


def test_screening_ok_with_clearance(client: TestClient, catalog: Catalog) -> None:
    body = {"answers": all_no(catalog), "cleared_by_clinician": True, "conditions": ["knee-pain"]}
    res = client.post("/api/screening", json=body)
    assert res.status_code == 200
    data = res.json()
    assert data["outcome"] == "ok" and data["can_start_session"] is True
    assert data["reasons"] and data["reminders"] == []
    assert data["conditions"] == ["knee-pain"]


def test_screening_emergency_blocks(client: TestClient, catalog: Catalog) -> None:
    body = {"answers": all_no(catalog, new_trouble_walking=True), "cleared_by_clinician": True}
    data = client.post("/api/screening", json=body).json()
    assert data["outcome"] == "emergency"
    assert data["can_start_session"] is False
    assert any("walking" in r for r in data["reasons"])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"conditions": ["bad-knee"]}, "condition"),
        ({"answers": {"night-pain": False}}, "answers.chest-pain-now"),
    ],
)
def test_screening_bad_input_names_the_field(
    client: TestClient, catalog: Catalog, change: dict[str, Any], field: str
) -> None:
    body = {"answers": all_no(catalog), **change}
    res = client.post("/api/screening", json=body)
    assert res.status_code == 422
    assert res.json()["field"] == field


def test_screening_refuses_unknown_fields(client: TestClient, catalog: Catalog) -> None:
    res = client.post("/api/screening", json={"answers": all_no(catalog), "mood": "fine"})
    assert res.status_code == 422
    assert res.json()["problems"][0]["field"] == "mood"


def test_plan_has_the_documented_shape(client: TestClient) -> None:
    res = client.post(
        "/api/plan",
        json={"equipment": ["band", "mat"], "conditions": ["knee-pain"], "minutes": 12, "focus": "mixed"},
    )
    assert res.status_code == 200
    data = res.json()
    assert {"items", "excluded", "minutes", "notes"} <= data.keys()
    assert data["minutes"] <= 12 and data["fits"] is True
    assert all({"exercise", "dose", "reason"} <= i.keys() for i in data["items"])
    knee = {x["exercise"]: x for x in data["excluded"] if x["rule"] == "condition:knee-pain"}
    assert {"childs-pose", "cat-camel", "bird-dog"} <= knee.keys()


def test_plan_matches_the_cli(client: TestClient) -> None:
    out = CliRunner().invoke(cli, ["plan", "--from", "healthy-upper-back", "--minutes", "20", "--json"])
    cli_plan = json.loads(out.stdout)
    api_plan = client.post("/api/plan", json={"template": "healthy-upper-back", "minutes": 20}).json()
    assert api_plan == cli_plan


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"conditions": ["bad-knee"]}, "condition"),
        ({"equipment": ["rope"]}, "equipment"),
        ({"minutes": 0}, "minutes"),
        ({"minutes": -1}, "minutes"),
        ({"template": "nope"}, "template"),
    ],
)
def test_plan_bad_input_names_the_field(client: TestClient, body: dict[str, Any], field: str) -> None:
    res = client.post("/api/plan", json=body)
    assert res.status_code == 422
    assert res.json()["field"] == field


def test_plan_rejects_unknown_focus_by_field(client: TestClient) -> None:
    res = client.post("/api/plan", json={"focus": "cardio"})
    assert res.status_code == 422
    assert res.json()["field"] == "focus"
    assert "stretch, strengthen, posture, mixed" in res.json()["message"]  # what to choose instead


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"minutes": "five"}, "minutes", "as a number, like 15"),
        ({"minutes": 1e9}, "minutes", "at most 180"),
        ({"minutes": None}, "minutes", "as a number"),
        ({"minutes": True}, "minutes", "as a number"),
        ({"setting": "office"}, "setting", "home, work"),
        ({"setting": 5}, "setting", "home, work"),
        ({"equipment": "rope"}, "equipment", "unknown equipment"),
        ({"equipment": {"mat": True}}, "equipment", "list of names"),
        ({"conditions": [3]}, "condition", "list of names"),
    ],
)
def test_plan_values_are_checked_by_the_engine_in_plain_words(
    client: TestClient, body: dict[str, Any], field: str, words: str
) -> None:
    """The same sentence as the CLI, with the field, not a generic type error."""
    res = client.post("/api/plan", json=body)
    assert res.status_code == 422
    assert res.json()["field"] == field and words in res.json()["message"]


@pytest.mark.parametrize("answers", [None, ["night-pain"], "no"])
def test_screening_answers_of_the_wrong_shape_name_the_field(client: TestClient, answers: object) -> None:
    res = client.post("/api/screening", json={"answers": answers})
    assert res.status_code == 422 and res.json()["field"] == "answers"


def test_screening_answer_maybe_is_not_a_no(client: TestClient, catalog: Catalog) -> None:
    body = {"answers": {**all_no(catalog), "night-pain": "maybe"}}
    res = client.post("/api/screening", json=body)
    assert res.status_code == 422 and res.json()["field"] == "answers.night-pain"


def test_script_refuses_an_exercise_the_screening_conditions_rule_out(
    client: TestClient, catalog: Catalog
) -> None:
    """Knee pain in the screening: a program with child's pose is refused, and says why."""
    screening = {"answers": all_no(catalog), "cleared_by_clinician": True, "conditions": ["knee-pain"]}
    res = client.post("/api/script", json={"program": "upper-back-program", "screening": screening})
    assert res.status_code == 422
    assert res.json()["error"] == "UnsafeForPatient"
    assert "Child's pose" in res.json()["message"] and "knee pain" in res.json()["message"]
    planned = client.post(
        "/api/plan",
        json={"template": "upper-back-program", "conditions": ["knee-pain"], "equipment": ["mat"]},
    ).json()
    ok = client.post("/api/script", json={"items": planned["items"], "screening": screening})
    assert ok.status_code == 200  # the plan made with the same conditions plays


def test_script_from_a_plan_round_trip(client: TestClient) -> None:
    plan = client.post("/api/plan", json={"minutes": 8}).json()
    res = client.post("/api/script", json={"title": plan["title"], "items": plan["items"]})
    assert res.status_code == 200
    script = res.json()
    assert script["total_seconds"] == plan["seconds"] == sum(s["seconds"] for s in script["steps"])
    assert script["steps"][0]["kind"] == "get-ready" and script["steps"][-1]["kind"] == "pain-check"


def test_script_from_a_program_id_with_a_clearance_reminder(client: TestClient, catalog: Catalog) -> None:
    body = {"program": "upper-back-program", "screening": {"answers": all_no(catalog)}}
    script = client.post("/api/script", json=body).json()
    assert script["screened"] is True
    assert script["reminders"] and script["reminders"][0] in script["steps"][1]["say"]


def test_script_refused_after_seek_care_now(client: TestClient, catalog: Catalog) -> None:
    body = {
        "program": "upper-back-program",
        "screening": {"answers": all_no(catalog, fever_or_chills=True), "cleared_by_clinician": True},
    }
    res = client.post("/api/script", json=body)
    assert res.status_code == 409
    data = res.json()
    assert data["outcome"] == "seek_care_now" and data["reasons"]


def test_script_dose_outside_the_handout_range_needs_a_clinician(client: TestClient) -> None:
    item = {"exercise": "chin-tuck", "dose": {"reps": 12}}
    res = client.post("/api/script", json={"items": [item]})
    assert res.status_code == 422 and res.json()["field"] == "items[0].dose.reps"
    item["dose"]["clinician_set"] = True  # type: ignore[index]
    res = client.post("/api/script", json={"items": [item]})
    assert res.status_code == 200
    assert len([s for s in res.json()["steps"] if s["phase"] == "tuck"]) == 12


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"items": [{"exercise": "moonwalk"}]}, "items[0].exercise"),
        ({"items": []}, "items"),
        ({"program": "nope"}, "program"),
        ({"items": [{"exercise": "chin-tuck", "position": "kneeling"}]}, "items[0].position"),
    ],
)
def test_script_bad_input_names_the_field(client: TestClient, body: dict[str, Any], field: str) -> None:
    res = client.post("/api/script", json=body)
    assert res.status_code == 422
    assert res.json()["field"] == field


def test_engine_endpoints_are_in_the_openapi_schema(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    for path in ("/api/screening", "/api/plan", "/api/script"):
        assert "post" in schema["paths"][path]
    assert {"ScreeningRequest", "PlanRequest", "ScriptRequest"} <= schema["components"]["schemas"].keys()
