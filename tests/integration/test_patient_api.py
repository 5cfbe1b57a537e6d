"""The patient's JSON API (/api/me) on SQLite and PostgreSQL: onboarding, the safety gate, session
results stored once, clear 4xx messages with nothing half-stored, progression, export and delete."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import TestClock
from tests.patient_fixtures import db_url
from tests.patient_helpers import all_no, onboard, result_from_script, with_yes
from upright.catalog import Catalog

__all__ = ["db_url"]


@pytest.fixture
def client(make_app: Any, db_url: str) -> Iterator[TestClient]:
    app = make_app(database_url=db_url)
    with TestClient(app) as c:
        yield c
    app.state.db.dispose()


def _sessions(client: TestClient) -> list[dict[str, Any]]:
    response = client.get("/api/me/sessions")
    assert response.status_code == 200
    data: list[dict[str, Any]] = response.json()
    return data


def test_a_new_person_has_default_settings_and_can_change_them(client: TestClient) -> None:
    assert client.get("/api/me/profile").json()["minutes"] == 15
    r = client.patch("/api/me/profile", json={"minutes": 20, "equipment": ["band"], "setting": "work"})
    assert r.status_code == 200
    assert r.json()["equipment"] == ["resistance-band"]
    assert client.get("/api/me/profile").json()["minutes"] == 20


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"minutes": 0}, "minutes"),
        ({"equipment": ["rocket"]}, "equipment"),
        ({"conditions": ["nope"]}, "condition"),
        ({"reminder_time": "25:00"}, "reminder_time"),
    ],
)
def test_bad_profile_values_name_their_field_and_change_nothing(
    client: TestClient, change: dict[str, Any], field: str
) -> None:
    r = client.patch("/api/me/profile", json={"minutes": 30, **change})
    assert r.status_code == 422
    assert field in r.json()["message"]
    assert client.get("/api/me/profile").json()["minutes"] == 15


def test_no_session_before_a_screening(client: TestClient) -> None:
    r = client.get("/api/me/session/script")
    assert r.status_code == 409
    assert r.json()["outcome"] == "not_screened"


def test_a_missing_screening_answer_is_named(client: TestClient, catalog: Catalog) -> None:
    data = all_no(catalog)
    del data["answers"]["night-pain"]
    r = client.post("/api/me/screenings", json=data)
    assert r.status_code == 422
    assert r.json()["field"] == "answers.night-pain"


@pytest.mark.parametrize(
    ("question", "outcome"), [("chest-pain-now", "emergency"), ("pain-stops-moving", "seek_care_now")]
)
def test_emergency_and_seek_care_now_stop_every_session_until_a_new_screening_clears(
    client: TestClient, catalog: Catalog, question: str, outcome: str
) -> None:
    onboard(client, catalog)
    r = client.post("/api/me/screenings", json=with_yes(catalog, question))
    assert r.status_code == 201
    assert r.json()["outcome"] == outcome and r.json()["blocks_sessions"] is True
    stopped = client.get("/api/me/session/script")
    assert stopped.status_code == 409
    assert stopped.json()["outcome"] == outcome
    assert client.get("/api/me/session/script", params={"program": "healthy-upper-back"}).status_code == 409
    assert client.get("/api/me/today").json()["can_start"] is False
    assert client.post("/api/me/screenings", json=all_no(catalog)).status_code == 201
    assert client.get("/api/me/session/script").status_code == 200


def test_no_session_is_recorded_while_a_stop_stands(
    client: TestClient, catalog: Catalog, test_clock: TestClock
) -> None:
    script = onboard(client, catalog)
    now = test_clock.now()
    stored = result_from_script(script, now=now, started=now - timedelta(hours=2))
    assert client.post("/api/me/sessions", json=stored).status_code == 201
    client.post("/api/me/screenings", json={"answers": {"chest-pain-now": True}})  # acts at once
    for started in (now + timedelta(seconds=5), now - timedelta(hours=1)):
        r = client.post("/api/me/sessions", json=result_from_script(script, now=now, started=started))
        assert r.status_code == 409
        body = r.json()
        assert body["outcome"] == "emergency"
        assert any("ambulance" in reason for reason in body["reasons"])  # the stop's own reason
        assert not any("gently" in reason for reason in body["reasons"])
    # a resend of what was stored before the stop is still answered as stored, not duplicated
    assert client.post("/api/me/sessions", json=stored).status_code in (200, 201)
    assert len(_sessions(client)) == 1


def test_the_script_is_the_engines_timeline_with_targets(client: TestClient, catalog: Catalog) -> None:
    script = onboard(client, catalog)
    kinds = [s["kind"] for s in script["steps"]]
    assert kinds[0] == "get-ready" and kinds[-1] == "pain-check"
    assert "hold" in kinds
    played = {s["exercise"] for s in script["steps"] if s["exercise"]}
    assert played == {t["exercise"] for t in script["targets"]}
    assert script["plan_id"] is not None
    assert script["total_seconds"] == pytest.approx(sum(s["seconds"] for s in script["steps"]))


def test_plan_options_offer_the_suggestion_and_all_five_handouts(
    client: TestClient, catalog: Catalog
) -> None:
    client.patch("/api/me/profile", json={"conditions": ["knee-pain"]})
    options = client.get("/api/me/plan/options").json()
    assert len(options["handouts"]) == 5
    assert options["suggested"]["items"]
    healthy = next(h for h in options["handouts"] if h["program"] == "healthy-upper-back")
    planned = {i["exercise"] for i in healthy["items"]}
    assert "childs-pose" not in planned
    assert any(x["rule"] == "condition:knee-pain" for x in healthy["excluded"])


def test_a_result_is_stored_once_when_sent_again(
    client: TestClient, catalog: Catalog, test_clock: TestClock
) -> None:
    result = result_from_script(onboard(client, catalog), now=test_clock.now())
    first = client.post("/api/me/sessions", json=result)
    assert first.status_code == 201
    again = client.post("/api/me/sessions", json=result)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert len(_sessions(client)) == 1


def test_the_same_id_with_other_content_is_a_conflict(
    client: TestClient, catalog: Catalog, test_clock: TestClock
) -> None:
    result = result_from_script(onboard(client, catalog), now=test_clock.now())
    assert client.post("/api/me/sessions", json=result).status_code == 201
    changed = copy.deepcopy(result)
    changed["check_in"]["pain"] = 7
    r = client.post("/api/me/sessions", json=changed)
    assert r.status_code == 409
    assert "client_id" in r.json()["message"]
    assert _sessions(client)[0]["end_pain"] == 2


def test_the_answer_is_the_stored_record_with_each_pain_score_in_its_place(
    client: TestClient, catalog: Catalog, test_clock: TestClock
) -> None:
    """The answer is built from the values written, not read back: it must be what the history and
    a resend give, the pain scores in time order each with its own exercise, the times in UTC."""
    script = onboard(client, catalog)
    result = result_from_script(script, now=test_clock.now(), pain=3)
    start = datetime.fromisoformat(result["started_at"])
    first, second = script["targets"][0]["exercise"], script["targets"][1]["exercise"]
    result["pain_reports"] = [  # sent out of order, the later one in another offset
        {"at": (start + timedelta(seconds=40)).astimezone(timezone(timedelta(hours=2))).isoformat(),
         "score": 8, "exercise": second, "action": "skip"},
        {"at": (start + timedelta(seconds=10)).isoformat(), "score": 3, "exercise": first, "action": "continue"},
    ]  # fmt: skip
    r = client.post("/api/me/sessions", json=result)
    assert r.status_code == 201, r.text
    answer = {k: v for k, v in r.json().items() if k != "dose_changes"}
    stored = client.get(f"/api/me/sessions/{answer['id']}").json()
    assert answer == stored
    pains = [(p["exercise"], p["score"], p["context"], p["action"]) for p in stored["pain_reports"]]
    assert pains == [(first, 3, "during", "continue"), (second, 8, "during", "skip"), (None, 3, "end", None)]
    again = client.post("/api/me/sessions", json=result)
    assert again.status_code == 200
    assert {k: v for k, v in again.json().items() if k != "dose_changes"} == stored


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda r: r["check_in"].__setitem__("pain", 11), "check_in.pain"),
        (lambda r: r["items"][0]["done"].__setitem__("reps", -1), "items.0.done.reps"),
        (lambda r: r["items"][0].__setitem__("exercise", "moon-walk"), "items[0].exercise"),
        (lambda r: r["pain_reports"].append({"at": r["started_at"], "score": 12}), "pain_reports.0.score"),
        (lambda r: r.__setitem__("ended_at", "2020-01-01T00:00:00+00:00"), "ended_at"),
        (lambda r: r.__setitem__("plan_id", 999999), "plan_id"),
    ],
)
def test_out_of_range_values_get_a_clear_422_and_nothing_is_stored(
    client: TestClient, catalog: Catalog, mutate: Any, field: str, test_clock: TestClock
) -> None:
    result = result_from_script(onboard(client, catalog), now=test_clock.now())
    mutate(result)
    r = client.post("/api/me/sessions", json=result)
    assert r.status_code == 422, r.text
    assert field in r.json()["message"]
    assert _sessions(client) == []
    assert client.get("/api/me/progress").json()["pain"] == []


def test_a_good_session_moves_the_dose_up_one_step_and_today_says_why(
    client: TestClient, catalog: Catalog, test_clock: TestClock
) -> None:
    client.post("/api/me/checkins", json={"pain": 3})  # the usual level
    script = onboard(client, catalog)
    before = client.get("/api/me/plan").json()["plan"]["items"]
    r = client.post("/api/me/sessions", json=result_from_script(script, now=test_clock.now(), pain=2))
    assert r.status_code == 201
    changes = r.json()["dose_changes"]
    assert changes and all(c["direction"] in ("up", "same") for c in changes)
    after = client.get("/api/me/plan").json()["plan"]["items"]
    moved = [(b["dose"], a["dose"]) for b, a in zip(before, after, strict=True) if b["dose"] != a["dose"]]
    assert moved, "at least one dose should grow after a good session"
    today = client.get("/api/me/today").json()
    assert today["dose_changes"] and today["last_pain"]["score"] == 2
    assert today["done_today"] == 1 and today["streak_days"] == 1


def test_a_pain_stop_steps_that_exercise_back(
    client: TestClient, catalog: Catalog, test_clock: TestClock
) -> None:
    client.post("/api/me/checkins", json={"pain": 2})
    script = onboard(client, catalog, program="healthy-upper-back")
    earlier = test_clock.now() - timedelta(hours=2)
    first = client.post(
        "/api/me/sessions", json=result_from_script(script, now=test_clock.now(), pain=2, started=earlier)
    )  # grow first
    assert first.status_code == 201
    script = client.get("/api/me/session/script").json()
    result = result_from_script(script, now=test_clock.now(), pain=5)
    hurt = result["items"][0]["exercise"]
    result["items"][0]["status"] = "stopped_for_pain"
    result["outcome"] = "stopped_for_pain"
    result["pain_reports"] = [{"at": result["started_at"], "score": 6, "exercise": hurt, "action": "end"}]
    r = client.post("/api/me/sessions", json=result)
    assert r.status_code == 201
    change = next(c for c in r.json()["dose_changes"] if c["exercise"] == hurt)
    assert change["direction"] == "down"
    assert "stopped for pain" in change["reason"]
    history = _sessions(client)
    assert history[0]["outcome"] == "stopped_for_pain"
    assert [p["context"] for p in history[0]["pain_reports"]] == ["during", "end"]


def test_a_warning_sign_at_a_check_in_asks_for_a_new_screening(client: TestClient, catalog: Catalog) -> None:
    onboard(client, catalog)
    assert client.post("/api/me/checkins", json={"pain": 4, "red_flag": True}).status_code == 201
    r = client.get("/api/me/session/script")
    assert r.status_code == 409 and r.json()["outcome"] == "screening_needed"
    assert any(a["kind"] == "red-flag" for a in client.get("/api/me/today").json()["alerts"])
    client.post("/api/me/screenings", json=all_no(catalog))
    assert client.get("/api/me/session/script").status_code == 200


def test_check_in_values_are_checked(client: TestClient) -> None:
    assert client.post("/api/me/checkins", json={"pain": 11}).status_code == 422
    r = client.post("/api/me/checkins", json={"pain": 3, "location": "elbow-of-doom"})
    assert r.status_code == 422 and r.json()["field"] == "location"


def test_export_has_everything_and_delete_removes_everything(
    client: TestClient, catalog: Catalog, test_clock: TestClock
) -> None:
    script = onboard(client, catalog)
    client.post("/api/me/sessions", json=result_from_script(script, now=test_clock.now()))
    exported = client.get("/api/me/export")
    assert exported.status_code == 200
    assert "attachment" in exported.headers["content-disposition"]
    data = exported.json()
    assert len(data["sessions"]) == 1 and len(data["screenings"]) == 1 and len(data["plans"]) == 1
    assert data["pain_reports"][0]["score"] == 2
    assert set(data["breaks"]) == {"settings", "events"}  # the workday breaks' rows are in it too
    assert client.delete("/api/me").status_code == 204
    empty = client.get("/api/me/export").json()
    assert empty["sessions"] == [] and empty["screenings"] == [] and empty["plans"] == []
    assert empty["pain_reports"] == [] and empty["breaks"]["events"] == []
    assert client.get("/api/me/session/script").json()["outcome"] == "not_screened"


def test_a_write_from_another_site_is_refused(client: TestClient) -> None:
    r = client.delete("/api/me", headers={"Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 403
    assert client.delete("/api/me", headers={"Sec-Fetch-Site": "same-origin"}).status_code == 204


def test_every_patient_endpoint_is_in_the_openapi_schema(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/me/profile",
        "/api/me/screenings",
        "/api/me/plan",
        "/api/me/session/script",
        "/api/me/sessions",
        "/api/me/checkins",
        "/api/me/today",
        "/api/me/progress",
        "/api/me/export",
        "/api/me",
    ):
        assert path in paths, path


def test_the_same_result_sent_at_once_from_many_clients_is_stored_once(
    make_app: Any, db_url: str, catalog: Catalog, test_clock: TestClock
) -> None:
    """Real server, real threads: a resend racing the first send still stores one session."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    from tests.conftest import LiveServer

    server = LiveServer(make_app(database_url=db_url)).start()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            http.post("/api/me/screenings", json=all_no(catalog)).raise_for_status()
            http.post("/api/me/plan", json={"choice": "suggested"}).raise_for_status()
            result = result_from_script(http.get("/api/me/session/script").json(), now=test_clock.now())

        def send(_: int) -> tuple[int, int]:
            with httpx.Client(base_url=server.url, timeout=30) as h:
                r = h.post("/api/me/sessions", json=result)
                return r.status_code, r.json()["id"]

        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(send, range(16)))
        assert {code for code, _ in answers} <= {200, 201}
        assert sorted(code for code, _ in answers).count(201) == 1
        assert len({ident for _, ident in answers}) == 1
        with httpx.Client(base_url=server.url) as http:
            assert len(http.get("/api/me/sessions").json()) == 1
    finally:
        server.stop()


def test_results_sent_at_once_each_move_the_doses_in_turn(
    make_app: Any, db_url: str, catalog: Catalog, test_clock: TestClock
) -> None:
    """Real server, real threads: eight different results of one plan at once. Each moves the doses
    from where the one before left them (the plan's row lock), so no result's dose step is lost."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    from tests.conftest import LiveServer

    server = LiveServer(make_app(database_url=db_url)).start()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            http.post("/api/me/screenings", json=all_no(catalog)).raise_for_status()
            http.post("/api/me/plan", json={"choice": "suggested"}).raise_for_status()
            script = http.get("/api/me/session/script").json()
        results = [result_from_script(script, now=test_clock.now(), pain=1) for _ in range(8)]

        def send(result: dict[str, Any]) -> int:
            with httpx.Client(base_url=server.url, timeout=30) as h:
                return h.post("/api/me/sessions", json=result).status_code

        with ThreadPoolExecutor(max_workers=8) as pool:
            assert list(pool.map(send, results)) == [201] * 8
        with httpx.Client(base_url=server.url) as http:
            plan = http.get("/api/me/plan").json()["plan"]
        # Each result appended its dose changes to the plan it read: a result that read the plan
        # before another's write, and wrote after it, would have dropped the other's changes.
        assert sorted(c["session"] for c in plan["changes"]) == sorted(r["client_id"] for r in results)
    finally:
        server.stop()
