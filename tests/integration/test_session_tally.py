"""Session results counted by the server from the parts a player finished (domain.tally), on SQLite
and PostgreSQL; results in the older shape (done counts sent by the player) keep what they said."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import TestClock
from tests.patient_fixtures import db_url
from tests.patient_helpers import all_no, result_from_script
from upright.catalog import Catalog

__all__ = ["db_url"]


@pytest.fixture
def client(make_app: Any, db_url: str) -> Iterator[TestClient]:
    app = make_app(database_url=db_url)
    with TestClient(app) as c:
        yield c
    app.state.db.dispose()


def _head_rolls_first(client: TestClient, catalog: Catalog) -> dict[str, Any]:
    assert client.post("/api/me/screenings", json=all_no(catalog)).status_code == 201
    assert client.patch("/api/me/profile", json={"setting": "home", "equipment": ["mat"]}).status_code == 200
    plan = {"choice": "handout", "program": "upper-back-care-guide"}
    assert client.post("/api/me/plan", json=plan).status_code == 201
    script: dict[str, Any] = client.get("/api/me/session/script").json()
    assert script["targets"][0]["exercise"] == "head-rolls" and script["pain_threshold"] == 7
    return script


def _with_steps(script: dict[str, Any], result: dict[str, Any], last: int | None = None) -> dict[str, Any]:
    """The result as players send it now: the parts finished, no counts (up to step `last`)."""
    out = copy.deepcopy(result)
    for n, item in enumerate(out["items"]):
        item.pop("done")
        item.pop("status")
        item["steps_done"] = [
            s["part"]
            for s in script["steps"]
            if s["item"] == n and s["part"] is not None and (last is None or s["index"] <= last)
        ]
    return out


def _progress(client: TestClient) -> str:
    return " ".join(client.get("/progress").text.split())


def test_parts_are_counted_in_the_handouts_unit(
    client: TestClient, catalog: Catalog, test_clock: TestClock
) -> None:
    script = _head_rolls_first(client, catalog)
    result = _with_steps(script, result_from_script(script, now=test_clock.now()))
    r = client.post("/api/me/sessions", json=result)
    assert r.status_code == 201, r.text
    head_rolls = r.json()["items"][0]
    assert (head_rolls["status"], head_rolls["done"]) == ("done", {"sets": 3, "reps": 9, "holds": 18})
    assert "Done 9 times, 18 holds." in _progress(client)
    again = client.post("/api/me/sessions", json=result)  # a resend: the same record, stored once
    assert again.status_code == 200 and again.json()["id"] == r.json()["id"]
    assert len(client.get("/api/me/sessions").json()) == 1


def test_a_stop_part_way_and_a_pain_stop_keep_their_meaning(
    client: TestClient, catalog: Catalog, test_clock: TestClock
) -> None:
    script = _head_rolls_first(client, catalog)
    fourth_end = [s for s in script["steps"] if s["item"] == 0 and s["ends_rep"]][3]
    result = _with_steps(script, result_from_script(script, now=test_clock.now()), last=fourth_end["index"])
    result["outcome"] = "stopped_for_pain"
    result["items"][0]["status"] = "stopped_for_pain"  # the steps cannot show why it stopped
    r = client.post("/api/me/sessions", json=result)
    assert r.status_code == 201, r.text
    items = r.json()["items"]
    assert (items[0]["status"], items[0]["done"]) == ("stopped_for_pain", {"sets": 1, "reps": 4, "holds": 8})
    assert {i["status"] for i in items[1:]} == {"skipped"}


def test_results_in_the_older_shape_are_stored_and_shown_as_sent(
    client: TestClient, catalog: Catalog, test_clock: TestClock
) -> None:
    script = _head_rolls_first(client, catalog)
    result = result_from_script(script, now=test_clock.now())
    result["items"][0]["done"] = {"sets": 3, "reps": 18, "holds": 18}  # what the old web player sent
    assert client.post("/api/me/sessions", json=result).status_code == 201
    assert client.get("/api/me/sessions").json()[0]["items"][0]["done"]["reps"] == 18
    assert "Done 18 times, 18 holds." in _progress(client)


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda r: r["items"][0]["steps_done"].append(4000 - 1), "items[0].steps_done"),
        (lambda r: r["items"][0].__setitem__("done", {"sets": 3, "reps": 18, "holds": 18}), "items[0].done"),
        (lambda r: r["items"][0].__setitem__("status", "skipped"), "items[0].status"),
        (lambda r: r["items"][0].pop("steps_done"), "items.0"),
        (lambda r: r["items"][0].__setitem__("steps_done", [-1]), "items.0.steps_done.0"),
    ],
)
def test_steps_that_do_not_fit_get_a_clear_422_and_nothing_is_stored(
    client: TestClient, catalog: Catalog, test_clock: TestClock, mutate: Any, field: str
) -> None:
    script = _head_rolls_first(client, catalog)
    result = _with_steps(script, result_from_script(script, now=test_clock.now()))
    mutate(result)
    r = client.post("/api/me/sessions", json=result)
    assert r.status_code == 422, r.text
    assert field in r.json()["message"], r.json()
    assert client.get("/api/me/sessions").json() == []


def test_the_session_page_carries_the_script_the_api_gives(client: TestClient, catalog: Catalog) -> None:
    script = _head_rolls_first(client, catalog)
    page = client.get("/session").text
    found = re.search(r'<script type="application/json" id="p-script">(.*?)</script>', page, re.S)
    assert found is not None
    assert json.loads(found.group(1)) == script  # one compile, put in the page; player.js reads it there
