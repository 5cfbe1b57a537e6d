"""A stored plan is checked again against the person's conditions each time a session starts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.patient_fixtures import db_url
from tests.patient_helpers import FormClient, all_no
from upright.catalog import Catalog

__all__ = ["db_url"]


@pytest.fixture
def client(make_app: Any, db_url: str) -> Iterator[TestClient]:
    app = make_app(database_url=db_url)
    with TestClient(app) as c:
        yield c
    app.state.db.dispose()


def test_knee_pain_added_later_makes_a_new_plan_that_respects_it(
    client: TestClient, catalog: Catalog
) -> None:
    assert client.post("/api/me/screenings", json=all_no(catalog)).status_code == 201
    profile = {"minutes": 30, "setting": "home", "equipment": ["mat", "wall"]}
    assert client.patch("/api/me/profile", json=profile).status_code == 200
    assert (
        client.post("/api/me/plan", json={"choice": "handout", "program": "healthy-upper-back"}).status_code
        == 201
    )
    script = client.get("/api/me/session/script").json()
    assert "childs-pose" in {t["exercise"] for t in script["targets"]}
    old_plan = client.get("/api/me/plan").json()["id"]
    assert client.patch("/api/me/profile", json={"conditions": ["knee-pain"]}).status_code == 200
    plan = client.get("/api/me/plan").json()
    assert (
        plan["id"] != old_plan and plan["template_id"] == "healthy-upper-back"
    )  # the same program, refitted
    left_out = {x["exercise"]: x["reason"] for x in plan["plan"]["excluded"]}
    assert "knee pain" in left_out["childs-pose"]  # with its reason
    again = client.get("/api/me/session/script")
    assert again.status_code == 200
    assert "childs-pose" not in {t["exercise"] for t in again.json()["targets"]}


def test_a_condition_ticked_in_settings_shows_the_new_plan_and_its_reasons(
    make_app: Any, db_url: str, catalog: Catalog
) -> None:
    app = make_app(database_url=db_url)
    with FormClient(app, follow_redirects=False) as c:
        c.post("/api/me/screenings", json=all_no(catalog))
        c.patch("/api/me/profile", json={"minutes": 30, "equipment": ["mat"]})
        c.post("/api/me/plan", json={"choice": "handout", "program": "posture-and-neck-stretches"})
        assert "chin-tuck" in {t["exercise"] for t in c.get("/api/me/session/script").json()["targets"]}
        form = {"setting": "home", "minutes": "30", "focus": "mixed", "sessions_per_week": "3",
                "equipment": "mat", "condition": "dizzy-with-neck-moves"}  # fmt: skip
        r = c.post("/settings", data=form)
        assert r.status_code == 303 and r.headers["location"] == "/settings?saved=1&new_plan=1"
        page = c.get(r.headers["location"]).text
        assert "You have a new program" in page and "moves your head" in page
        played = {t["exercise"] for t in c.get("/api/me/session/script").json()["targets"]}
        assert not played & {"head-rolls", "chin-tuck", "cervical-flexion", "lateral-flexion"}
    app.state.db.dispose()


def test_dizziness_at_screening_refits_the_plan(client: TestClient, catalog: Catalog) -> None:
    client.post("/api/me/screenings", json=all_no(catalog))
    client.post("/api/me/plan", json={"choice": "handout", "program": "posture-and-neck-stretches"})
    answers = all_no(catalog)
    answers["answers"]["dizzy-with-neck-moves"] = True
    result = client.post("/api/me/screenings", json=answers).json()
    assert result["outcome"] == "see_clinician_soon" and "dizzy-with-neck-moves" in result["conditions"]
    played = {t["exercise"] for t in client.get("/api/me/session/script").json()["targets"]}
    assert "head-rolls" not in played and "chin-tuck" not in played


def test_answering_the_safety_questions_again_keeps_my_conditions_ticked(
    client: TestClient, catalog: Catalog
) -> None:
    assert client.patch("/api/me/profile", json={"conditions": ["knee-pain"]}).status_code == 200
    html = client.get("/screening").text
    box = html[html.index('value="knee-pain"') - 200 : html.index('value="knee-pain"') + 60]
    assert "checked" in box
