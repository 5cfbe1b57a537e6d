"""Issue 11 over HTTP, on SQLite and PostgreSQL: only Upright's own address and pages can read or change
the data (Host check, Origin/Referer/Sec-Fetch-Site, the form token), odd input is a 4xx that names the
field, result endpoints store a resend once (also in parallel), and the answers carry the right headers."""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import TestClock
from tests.patient_fixtures import db_url
from tests.patient_helpers import FormClient, onboard, result_from_script
from upright.catalog import Catalog

__all__ = ["db_url"]

EVIL = "https://evil.example"


@pytest.fixture
def app(make_app: Any, db_url: str) -> Iterator[Any]:
    application = make_app(database_url=db_url)
    yield application
    application.state.db.dispose()


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    with FormClient(app, follow_redirects=False) as c:
        yield c


def _has_plan(client: TestClient) -> bool:
    return client.get("/api/me/plan").status_code == 200


# --- 1. DNS rebinding: the Host header -------------------------------------------------------------


def test_a_foreign_host_is_refused_before_any_handler(client: TestClient, catalog: Catalog) -> None:
    onboard(client, catalog)
    headers = {"Host": "evil.example:8201"}
    r = client.get("/api/me/export", headers=headers)
    assert r.status_code == 400 and r.json()["error"] == "BadHost"
    assert "session" not in r.text and "plan" not in r.text
    assert client.delete("/api/me", headers=headers).status_code == 400
    assert client.get("/today", headers=headers).status_code == 400
    assert _has_plan(client)  # nothing was deleted


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "[::1]:8000", "LOCALHOST", "127.0.0.1"])
def test_the_loopback_names_are_accepted(client: TestClient, host: str) -> None:
    assert client.get("/api/me/profile", headers={"Host": host}).status_code == 200


def test_the_port_must_match_once_the_server_knows_it(app: Any, client: TestClient) -> None:
    app.state.listen_port = 8000
    assert client.get("/api/me/profile", headers={"Host": "127.0.0.1:8000"}).status_code == 200
    assert client.get("/api/me/profile", headers={"Host": "127.0.0.1:8201"}).status_code == 400


def test_absolute_urls_never_come_from_the_request_host(client: TestClient) -> None:
    assert client.patch("/api/me/breaks/settings", json={"reminders_on": True}).status_code == 200
    feed = client.get("/calendar/breaks.ics", headers={"Host": "localhost:9999"})
    assert feed.status_code == 200
    assert "localhost:9999" not in feed.text and "127.0.0.1:8000/breaks" in feed.text.replace("\r\n ", "")
    page = client.get("/breaks", headers={"Host": "localhost:9999"})
    assert "localhost:9999" not in page.text
    # No trailing-slash redirect (Starlette builds its Location from the Host): a plain 404.
    r = client.get("/api/me/profile/", headers={"Host": "localhost:9999"})
    assert r.status_code == 404 and "location" not in r.headers


# --- 2. Cross-site writes -------------------------------------------------------------------------


def test_a_form_from_another_site_without_sec_fetch_site_is_refused(
    client: TestClient, catalog: Catalog
) -> None:
    onboard(client, catalog)
    r = client.post("/settings/delete", data={"confirm": "yes"}, headers={"Origin": EVIL})
    assert r.status_code == 403
    r = client.post("/checkin", data={"pain": "9"}, headers={"Origin": EVIL})
    assert r.status_code == 403
    r = client.post("/checkin", data={"pain": "9"}, headers={"Referer": EVIL + "/page"})
    assert r.status_code == 403
    r = client.post("/checkin", data={"pain": "9"}, headers={"Origin": "null"})
    assert r.status_code == 403
    r = client.post("/checkin", data={"pain": "9"}, headers={"Sec-Fetch-Site": "same-site"})
    assert r.status_code == 403
    assert _has_plan(client)
    assert client.get("/api/me/progress").json()["pain"] == []  # no pain 9 stored


def test_json_writes_from_another_site_are_refused(client: TestClient) -> None:
    r = client.patch("/api/me/profile", json={"minutes": 5}, headers={"Origin": EVIL})
    assert r.status_code == 403 and r.json()["error"] == "CrossSite"
    assert client.delete("/api/me", headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert client.get("/api/me/profile").json()["minutes"] != 5


def test_our_own_pages_may_write(client: TestClient, catalog: Catalog) -> None:
    onboard(client, catalog)
    same = {
        "Origin": "http://testserver",
        "Sec-Fetch-Site": "same-origin",
        "Referer": "http://testserver/today",
    }
    assert client.post("/checkin", data={"pain": "3"}, headers=same).status_code == 303
    assert client.patch("/api/me/profile", json={"minutes": 10}, headers=same).status_code == 200


def test_a_form_without_the_install_token_is_refused(app: Any, catalog: Catalog) -> None:
    with TestClient(app, follow_redirects=False) as plain:
        onboard(plain, catalog)
        assert plain.post("/checkin", data={"pain": "4"}).status_code == 403
        assert plain.post("/checkin", data={"pain": "4", "csrf_token": "guess"}).status_code == 403
        r = plain.post("/settings/delete", data={"confirm": "yes", "csrf_token": app.state.csrf_token})
        assert r.status_code == 200 and "deleted" in r.text
        assert not _has_plan(plain)


def test_every_form_carries_the_token(client: TestClient, catalog: Catalog) -> None:
    onboard(client, catalog)
    token = client.app.state.csrf_token  # type: ignore[attr-defined]
    pages = ["/setup", "/screening", "/choose-program", "/today", "/session", "/settings", "/settings/delete",
             "/breaks", "/breaks/routine"]  # fmt: skip
    seen = 0
    for path in pages:
        html = client.get(path).text
        for form in re.findall(r'<form method="post".*?</form>', html, re.S):
            seen += 1
            assert f'name="csrf_token" value="{token}"' in form, (path, form[:80])
    assert seen >= 6


def test_the_token_stays_the_same_after_a_restart(make_app: Any, db_url: str) -> None:
    first = make_app(database_url=db_url)
    token = first.state.csrf_token
    first.state.db.dispose()
    second = make_app(database_url=db_url)
    assert second.state.csrf_token == token and len(token) >= 32
    second.state.db.dispose()


# --- 6. Result endpoints store a resend once --------------------------------------------------------


def _routine_result(
    client_id: str, *, now: datetime, outcome: str = "stopped_for_pain", score: int = 6
) -> dict[str, Any]:
    at = now - timedelta(minutes=1)
    return {
        "client_id": client_id,
        "started_at": (at - timedelta(minutes=1)).isoformat(),
        "ended_at": at.isoformat(),
        "outcome": outcome,
        "items": [],
        "pain_reports": [{"at": at.isoformat(), "score": score, "exercise": None, "action": "end"}],
    }


def _pain_count(client: TestClient) -> int:
    return len(client.get("/api/me/export").json()["pain_reports"])


def test_a_resent_routine_result_stores_its_pain_once(
    client: TestClient, catalog: Catalog, test_clock: TestClock
) -> None:
    onboard(client, catalog)
    before = _pain_count(client)
    body = _routine_result("routine-" + uuid.uuid4().hex[:12], now=test_clock.now())
    answers = [client.post("/api/me/breaks/routine/done", json=body) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert len({a.json()["taken"] for a in answers}) == 1
    assert _pain_count(client) == before + 1
    other = {**body, "pain_reports": [{**body["pain_reports"][0], "score": 2}]}
    r = client.post("/api/me/breaks/routine/done", json=other)
    assert r.status_code == 409 and r.json()["error"] == "Conflict"
    assert _pain_count(client) == before + 1


def test_the_same_results_sent_in_parallel_are_stored_once(
    client: TestClient, catalog: Catalog, test_clock: TestClock
) -> None:
    script = onboard(client, catalog)
    before = _pain_count(client)
    routine = _routine_result("parallel-" + uuid.uuid4().hex[:12], now=test_clock.now(), outcome="completed")
    session = result_from_script(script, now=test_clock.now())
    answers: list[tuple[str, int]] = []

    def send(url: str, body: dict[str, Any]) -> None:
        answers.append((url, client.post(url, json=body).status_code))

    threads = [threading.Thread(target=send, args=("/api/me/breaks/routine/done", routine)) for _ in range(6)]
    threads += [threading.Thread(target=send, args=("/api/me/sessions", session)) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(code for url, code in answers if "routine" in url) == [200] * 6
    assert sorted(code for url, code in answers if "sessions" in url) == [200] * 5 + [201]
    export = client.get("/api/me/export").json()
    assert len([s for s in export["sessions"] if s["client_id"] == session["client_id"]]) == 1
    assert _pain_count(client) == before + 2  # the routine's one report, the session's check-in
    taken = [e for e in export["breaks"]["events"] if e["kind"] == "taken"]
    assert len(taken) == 1


# --- 7 and 8. Odd input: a 4xx naming the field, never a 500 ----------------------------------------


def test_huge_ids_are_unknown_and_huge_numbers_out_of_range(
    client: TestClient, catalog: Catalog, test_clock: TestClock
) -> None:
    script = onboard(client, catalog)
    for big in (2**31, 2**63, 2**70, -(2**63) - 1):
        r = client.get(f"/api/me/sessions/{big}")
        assert r.status_code == 404, (big, r.text)
    body = result_from_script(script, now=test_clock.now())
    body["plan_id"] = 2**63
    r = client.post("/api/me/sessions", json=body)
    assert r.status_code == 422 and r.json()["field"] == "plan_id"
    r = client.patch("/api/me/breaks/settings", json={"every": 2**64})
    assert r.status_code == 422 and "every" in r.json()["field"]
    r = client.post("/api/me/breaks/events", json={"kind": "natural", "idle_seconds": 2**63})
    assert r.status_code == 422


def test_a_lone_surrogate_is_a_422(client: TestClient) -> None:
    raw = b'{"at_hand": ["\\ud800"]}'
    r = client.patch("/api/me/breaks/settings", content=raw, headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and r.json()["field"].startswith("at_hand")
    r = client.patch("/api/me/breaks/settings", json={"at_hand": ["rocket"]})
    assert r.status_code == 422 and r.json()["field"].startswith("at_hand")
    raw = b'{"timezone": "Europe/\\udc00Paris"}'
    r = client.patch("/api/me/breaks/settings", content=raw, headers={"Content-Type": "application/json"})
    assert r.status_code == 422


def test_a_body_over_one_megabyte_is_a_413(client: TestClient) -> None:
    big = b'{"days_off": [' + b'"2025-01-01",' * 100_000 + b'"2025-01-02"]}'
    r = client.patch("/api/me/breaks/settings", content=big, headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and r.json()["error"] == "TooLarge"

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield b'{"days_off": ['
        for _ in range(100_000):
            yield b'"2025-01-01",'
        yield b'"2025-01-02"]}'

    r = client.patch(
        "/api/me/breaks/settings", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 413


def test_lists_and_strings_have_bounds(client: TestClient) -> None:
    r = client.patch("/api/me/breaks/settings", json={"days_off": ["2025-01-01"] * 401})
    assert r.status_code == 422
    r = client.patch("/api/me/profile", json={"conditions": ["knee-pain"] * 61})
    assert r.status_code == 422
    r = client.patch("/api/me/breaks/settings", json={"timezone": "x" * 65})
    assert r.status_code == 422


def test_one_rule_per_field_with_strict_types(
    client: TestClient, catalog: Catalog, test_clock: TestClock
) -> None:
    script = onboard(client, catalog)
    body = result_from_script(script, now=test_clock.now())
    body["check_in"]["location"] = "kitchen"
    r = client.post("/api/me/sessions", json=body)
    assert r.status_code == 422 and r.json()["field"] == "check_in.location"
    r2 = client.post("/api/me/checkins", json={"pain": 3, "location": "kitchen"})
    assert r2.status_code == 422 and r2.json()["field"] == "location"
    assert r.json()["problems"][0]["message"] == r2.json()["problems"][0]["message"]
    for pain in ("5", True, 5.5):
        r = client.post("/api/me/checkins", json={"pain": pain})
        assert r.status_code == 422 and r.json()["field"] == "pain", pain
    body = result_from_script(script, now=test_clock.now())
    body["check_in"]["pain"] = "5"
    assert client.post("/api/me/sessions", json=body).status_code == 422
    assert client.get("/api/me/progress").json()["pain"] == []


def test_the_screening_form_refuses_a_bad_pain_value(client: TestClient, catalog: Catalog) -> None:
    form = {q.id: "no" for q in catalog.screening}
    form["cleared-by-clinician"] = "yes"
    form["pain"] = "eleven"
    r = client.post("/screening", data=form)
    assert r.status_code == 422 and "from 0 to 10" in r.text
    assert client.get("/api/me/screenings/latest").status_code == 404  # nothing stored


# --- 10 and 11. Headers, 405 ---------------------------------------------------------------------------


def test_patient_pages_are_not_cached_and_static_files_may_be(client: TestClient) -> None:
    for path in ("/today", "/api/me/profile", "/progress"):
        r = client.get(path)
        assert r.headers["cache-control"] == "no-store", path
        assert "default-src 'self'" in r.headers["content-security-policy"]
    assert client.get("/static/app.css").headers.get("cache-control") != "no-store"


def test_a_500_still_carries_the_security_headers(app: Any) -> None:
    def broken() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/api/broken-on-purpose", broken)
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/api/broken-on-purpose")
    assert r.status_code == 500
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["cache-control"] == "no-store"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "a bug" not in r.text


def test_405_lists_every_allowed_method(client: TestClient) -> None:
    r = client.put("/api/me/sessions", json={})
    assert r.status_code == 405
    assert r.headers["allow"] == "GET, POST"
    r = client.post("/api/me/profile", json={})
    assert r.status_code == 405 and r.headers["allow"] == "GET, PATCH"
