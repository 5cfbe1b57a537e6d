"""A stored plan is checked again against the person's conditions each time a session starts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.patient_fixtures import db_url
from tests.patient_helpers import all_no
from upright.catalog import Catalog

__all__ = ["db_url"]


@pytest.fixture
def client(make_app: Any, db_url: str) -> Iterator[TestClient]:
    app = make_app(database_url=db_url)
    with TestClient(app) as c:
        yield c
    app.state.db.dispose()


def test_knee_pain_added_later_stops_an_old_plan_with_kneeling(client: TestClient, catalog: Catalog) -> None:
    assert client.post("/api/me/screenings", json=all_no(catalog)).status_code == 201
    profile = {"minutes": 30, "setting": "home", "equipment": ["mat", "wall"]}
    assert client.patch("/api/me/profile", json=profile).status_code == 200
    assert (
        client.post("/api/me/plan", json={"choice": "handout", "program": "healthy-upper-back"}).status_code
        == 201
    )
    script = client.get("/api/me/session/script").json()
    assert "childs-pose" in {t["exercise"] for t in script["targets"]}
    assert client.patch("/api/me/profile", json={"conditions": ["knee-pain"]}).status_code == 200
    refused = client.get("/api/me/session/script")
    assert refused.status_code == 422
    message = refused.json()["message"]
    assert "Child's pose does not suit you" in message
    assert "knee pain" in message
    # A new plan made with the condition plays again, without the kneeling stretch.
    assert (
        client.post("/api/me/plan", json={"choice": "handout", "program": "healthy-upper-back"}).status_code
        == 201
    )
    again = client.get("/api/me/session/script")
    assert again.status_code == 200
    assert "childs-pose" not in {t["exercise"] for t in again.json()["targets"]}


def test_answering_the_safety_questions_again_keeps_my_conditions_ticked(
    client: TestClient, catalog: Catalog
) -> None:
    assert client.patch("/api/me/profile", json={"conditions": ["knee-pain"]}).status_code == 200
    html = client.get("/screening").text
    box = html[html.index('value="knee-pain"') - 200 : html.index('value="knee-pain"') + 60]
    assert "checked" in box
