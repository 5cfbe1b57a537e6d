"""Clinic care on SQLite and PostgreSQL: a prescription becomes the patient's plan ("Set by ..."),
a dose beyond the handout needs a reason, clearance gates the first session, alerts are stored once
per event and can be marked seen with a note.

The clinician side is called through its services here (the accounts come with clinic mode); the
patient side through the patient's own API and pages, as a patient would."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.conftest import TestClock
from tests.patient_fixtures import db_url
from tests.patient_helpers import FormClient, all_no, onboard, result_from_script
from upright.catalog import Catalog
from upright.documents.clinic import ClearanceIn
from upright.documents.export import canonical, parse_export
from upright.documents.prescription import PrescriptionIn
from upright.errors import InvalidInput
from upright.services import clinic_alerts as alerts
from upright.services.clearance import set_clearance
from upright.services.data_import import import_data
from upright.services.my_data import export_all_data
from upright.services.prescriptions import list_prescriptions, prescribe
from upright.store import clinic_care as store
from upright.store import repositories as repo

__all__ = ["db_url"]


@pytest.fixture
def app(make_app: Any, db_url: str) -> Iterator[FastAPI]:
    application: FastAPI = make_app(database_url=db_url)
    yield application
    application.state.db.dispose()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


def _person(app: FastAPI) -> int:
    with app.state.db.transaction() as s:
        row = repo.find_person(s, repo.LOCAL_PERSON)
        assert row is not None
        return row.id


def _prescribe(app: FastAPI, catalog: Catalog, test_clock: TestClock, body: dict[str, Any]) -> Any:
    with app.state.db.transaction() as s:
        return prescribe(
            s, _person(app), PrescriptionIn.model_validate(body), author_id=None, author_name="Dr Ana Lee",
            catalog=catalog, now=test_clock.now(),
        )  # fmt: skip


RX = {
    "items": [{"exercise": "chin-tuck", "reps": 8}, {"exercise": "shoulder-rolls"}],
    "per_week": 3,
    "start": "2026-03-04",
    "note": "Go slowly. Stop if it hurts.",
}


def _alerts(app: FastAPI) -> list[store.ClinicAlertRow]:
    with app.state.db.transaction() as s:
        return list(store.list_alerts(s, _person(app)))


def test_a_prescription_becomes_the_plan_today_and_the_player_show_who_set_it(
    client: TestClient, app: FastAPI, catalog: Catalog, test_clock: TestClock
) -> None:
    onboard(client, catalog)
    out = _prescribe(app, catalog, test_clock, RX)
    assert out.version == 1 and out.changes == ["New plan from your doctor or therapist."]
    today = client.get("/today").text
    assert "Set by Dr Ana Lee on 4 March 2026." in today
    assert "New plan from your doctor or therapist." in today
    script = client.get("/api/me/session/script").json()
    assert [t["exercise"] for t in script["targets"]] == ["chin-tuck", "shoulder-rolls"]
    assert script["targets"][0]["reps"] == 8
    assert "Set by Dr Ana Lee" in client.get("/session").text

    test_clock.advance(days=1)
    second = _prescribe(app, catalog, test_clock, {**RX, "items": [{"exercise": "chin-tuck", "reps": 10}]})
    assert second.version == 2
    assert any(c.startswith("Changed: Chin tuck") for c in second.changes), second.changes
    assert any(c.startswith("Taken out: Shoulder rolls") for c in second.changes)
    today = client.get("/today").text
    assert "Set by Dr Ana Lee on 5 March 2026." in today and "Taken out: Shoulder rolls" in today
    with app.state.db.transaction() as s:
        assert [v.version for v in list_prescriptions(s, _person(app))] == [2, 1]


def test_a_dose_beyond_the_handout_range_is_refused_without_a_reason_and_nothing_is_stored(
    client: TestClient, app: FastAPI, catalog: Catalog, test_clock: TestClock
) -> None:
    onboard(client, catalog)
    plan_before = client.get("/api/me/plan").json()
    with pytest.raises(InvalidInput) as err:
        _prescribe(app, catalog, test_clock, {**RX, "items": [{"exercise": "chin-tuck", "reps": 20}]})
    assert err.value.field == "items[0].dose.reps" and "override_reason" in err.value.message
    assert client.get("/api/me/plan").json() == plan_before
    with app.state.db.transaction() as s:
        assert list_prescriptions(s, _person(app)) == []
    out = _prescribe(app, catalog, test_clock, {
        **RX, "items": [{"exercise": "chin-tuck", "reps": 20, "override_reason": "Managed 10 easily for a month."}],
    })  # fmt: skip
    assert out.items[0]["override_reason"] == "Managed 10 easily for a month."
    assert client.get("/api/me/session/script").json()["targets"][0]["reps"] == 20


def test_clearance_gates_the_first_session_and_replaces_the_patients_own_answer(
    client: TestClient, app: FastAPI, catalog: Catalog, test_clock: TestClock
) -> None:
    assert (
        client.post("/api/me/screenings", json={**all_no(catalog), "cleared_by_clinician": False}).status_code
        == 201
    )
    assert (
        client.post(
            "/api/me/plan", json={"choice": "handout", "program": "posture-and-neck-stretches"}
        ).status_code
        == 201
    )
    start_on = test_clock.now().date() + timedelta(days=2)
    with app.state.db.transaction() as s:
        set_clearance(s, _person(app), ClearanceIn(kind="cleared", start_on=start_on), author_id=1,
                      author_name="Dr Ana Lee", now=test_clock.now())  # fmt: skip
    refused = client.get("/api/me/session/script")
    assert refused.status_code == 409
    assert "Dr Ana Lee says you may start on" in refused.text
    assert "Dr Ana Lee says you may start on" in client.get("/today").text
    assert client.get("/session", follow_redirects=False).headers["location"] == "/today"

    test_clock.advance(days=2)
    script = client.get("/api/me/session/script")
    assert script.status_code == 200
    assert not any("No doctor or therapist has said" in r for r in script.json()["reminders"])

    with app.state.db.transaction() as s:
        set_clearance(s, _person(app), ClearanceIn(kind="hold", note="Wait for the scan."), author_id=1,
                      author_name="Dr Ana Lee", now=test_clock.now())  # fmt: skip
    held = client.get("/api/me/session/script")
    assert held.status_code == 409 and "on hold" in held.text


def test_a_session_with_pain_8_stores_its_alerts_once_even_when_sent_again(
    client: TestClient, app: FastAPI, catalog: Catalog, test_clock: TestClock
) -> None:
    onboard(client, catalog)
    _prescribe(app, catalog, test_clock, RX)
    script = client.get("/api/me/session/script").json()
    result = result_from_script(script, now=test_clock.now(), pain=8)
    result["outcome"] = "stopped_for_pain"
    assert client.post("/api/me/sessions", json=result).status_code == 201
    assert client.post("/api/me/sessions", json=result).status_code in (200, 201)  # a resend
    kinds = sorted(a.kind for a in _alerts(app))
    assert kinds == ["severe-pain", "stopped-for-pain"]
    severe = next(a for a in _alerts(app) if a.kind == "severe-pain")
    assert severe.reason == "Pain 8/10 (severe)." and severe.seen_at is None

    with app.state.db.transaction() as s:
        seen = alerts.mark_seen(s, severe.id, alerts.SeenIn(note="Called her; resting two days."), by_id=None,
                                by_name="Dr Ana Lee", now=test_clock.now())  # fmt: skip
    assert seen.seen_by == "Dr Ana Lee" and seen.note == "Called her; resting two days."
    with app.state.db.transaction() as s:
        still_open = store.open_alerts_for(s, [_person(app)])[_person(app)]
    assert [a.kind for a in still_open] == ["stopped-for-pain"]


def test_a_good_session_leaves_the_clinicians_doses_as_they_set_them(
    client: TestClient, app: FastAPI, catalog: Catalog, test_clock: TestClock
) -> None:
    onboard(client, catalog)
    _prescribe(app, catalog, test_clock, RX)
    before = _plan_items(app)
    script = client.get("/api/me/session/script").json()
    r = client.post("/api/me/sessions", json=result_from_script(script, now=test_clock.now(), pain=0))
    assert r.status_code == 201 and r.json()["dose_changes"] == []
    assert _plan_items(app) == before


def _plan_items(app: FastAPI) -> list[Any]:
    with app.state.db.transaction() as s:
        plan = repo.active_plan(s, _person(app))
        assert plan is not None and plan.source == "prescribed"
        return list(plan.body["items"])


def test_check_ins_and_screenings_raise_their_alerts_once_each(
    client: TestClient, app: FastAPI, catalog: Catalog, test_clock: TestClock
) -> None:
    onboard(client, catalog)
    test_clock.advance(hours=1)
    assert client.post("/api/me/checkins", json={"pain": 3, "location": "upper-back"}).status_code == 201
    test_clock.advance(hours=1)
    assert client.post("/api/me/checkins", json={"pain": 3, "location": "neck"}).status_code == 201
    assert [a.kind for a in _alerts(app)] == ["new-location"]
    flagged = all_no(catalog)
    flagged["answers"][catalog.screening[0].id] = True
    test_clock.advance(hours=1)
    assert client.post("/api/me/screenings", json=flagged).status_code == 201
    red = [a for a in _alerts(app) if a.kind == "red-flag"]
    assert len(red) == 1 and red[0].reason.startswith("Screening outcome")


def test_the_panel_facts_and_idle_alerts_for_a_quiet_week(
    client: TestClient, app: FastAPI, catalog: Catalog, test_clock: TestClock
) -> None:
    onboard(client, catalog)
    _prescribe(app, catalog, test_clock, {**RX, "start": test_clock.now().date().isoformat()})
    script = client.get("/api/me/session/script").json()
    result = result_from_script(script, now=test_clock.now())
    assert client.post("/api/me/sessions", json=result).status_code == 201
    test_clock.advance(days=8)
    pid = _person(app)
    with app.state.db.transaction() as s:
        facts = alerts.panel_facts(s, [pid], now=test_clock.now())
        assert facts[pid].adherence == 0.0 and facts[pid].pains == (2,)
        assert facts[pid].last_session == datetime.fromisoformat(result["started_at"])
        assert alerts.note_idle(s, facts, now=test_clock.now()) == 2
        assert alerts.note_idle(s, facts, now=test_clock.now()) == 0  # stored once
    kinds = {a.kind: a.reason for a in _alerts(app)}
    assert kinds["low-adherence"].startswith("Did 1 of 3 sessions")
    assert "No session for 8 days" in kinds["no-session"]
    assert date.fromisoformat(RX["start"]) <= test_clock.now().date()


def test_work_breaks_in_a_prescription_set_the_work_day_and_the_break_moves(
    client: TestClient, app: FastAPI, catalog: Catalog, test_clock: TestClock
) -> None:
    onboard(client, catalog)
    breaks = {"start": "08:00", "end": "16:00", "every_minutes": 40, "exercises": ["chin-tuck"]}
    _prescribe(app, catalog, test_clock, {**RX, "breaks": breaks})
    settings = client.get("/api/me/breaks/settings").json()
    assert (settings["start"], settings["end"], settings["every"]) == ("08:00", "16:00", 40)
    assert settings["reminders_on"] is False  # reminders stay the patient's own choice
    routine = client.get("/api/me/breaks/routine").json()
    assert {i["exercise"] for i in routine.get("items", [])} <= {"chin-tuck"}
    with pytest.raises(InvalidInput) as err:
        _prescribe(app, catalog, test_clock, {**RX, "breaks": {**breaks, "every_minutes": 5}})
    assert err.value.field == "breaks.every_minutes"


def test_a_session_sent_during_a_hold_is_kept_and_the_clinician_is_told_once(
    client: TestClient, app: FastAPI, catalog: Catalog, test_clock: TestClock
) -> None:
    script = onboard(client, catalog)
    forms = FormClient(app, follow_redirects=False)
    page = forms.get("/session").text  # the no-JavaScript page, opened before the hold
    form = {
        name: re.findall(rf'name="{name}" value="([^"]+)"', page)[0] for name in ("client_id", "started_at")
    }
    test_clock.advance(minutes=20)
    with app.state.db.transaction() as s:
        set_clearance(s, _person(app), ClearanceIn(kind="hold", note="Wait for the scan."), author_id=1,
                      author_name="Dr Ana Lee", now=test_clock.now())  # fmt: skip
    # The session done on that page is still kept: it was started before the hold (no alert).
    logged = forms.post("/session/log", data={**form, "how_much": "all", "pain": "2"})
    assert logged.headers["location"] == "/progress" and _alerts(app) == []
    test_clock.advance(hours=2)
    result = result_from_script(script, now=test_clock.now())  # e.g. a script, or an outbox sending late
    sent = client.post("/api/me/sessions", json=result)
    assert sent.status_code == 201  # never lost; the patient is not told off
    assert client.post("/api/me/sessions", json=result).status_code == 200  # a resend: still one alert
    held = [a for a in _alerts(app) if a.kind == "hold-session"]
    assert len(held) == 1
    assert "while the hold set by Dr Ana Lee" in held[0].reason and "Wait for the scan." in held[0].reason
    assert [x["client_id"] for x in client.get("/api/me/sessions").json()] == [
        result["client_id"],
        form["client_id"],
    ]
    assert "Dr Ana Lee has put your exercise on hold" in client.get("/today").text  # calm, the same words
    # A session done before the hold, arriving after it: no alert (it was not done during the hold).
    early = result_from_script(script, now=test_clock.now(), started=test_clock.now() - timedelta(days=1))
    assert client.post("/api/me/sessions", json=early).status_code == 201
    assert len([a for a in _alerts(app) if a.kind == "hold-session"]) == 1


def test_a_clinic_patients_records_go_out_with_their_data_and_come_back_as_history(
    client: TestClient, app: FastAPI, catalog: Catalog, test_clock: TestClock
) -> None:
    onboard(client, catalog)
    _prescribe(app, catalog, test_clock, {
        **RX, "items": [{"exercise": "chin-tuck", "reps": 20, "override_reason": "Managed 10 easily for a month."}],
    })  # fmt: skip
    test_clock.advance(days=1)
    _prescribe(app, catalog, test_clock, {**RX, "items": [{"exercise": "chin-tuck", "reps": 8}]})
    script = client.get("/api/me/session/script").json()
    assert (
        client.post(
            "/api/me/sessions", json=result_from_script(script, now=test_clock.now(), pain=8)
        ).status_code
        == 201
    )
    severe = next(a for a in _alerts(app) if a.kind == "severe-pain")
    with app.state.db.transaction() as s:
        alerts.mark_seen(s, severe.id, alerts.SeenIn(note="Called her."), by_id=1, by_name="Dr Ana Lee",
                         now=test_clock.now())  # fmt: skip
        set_clearance(s, _person(app), ClearanceIn(kind="hold", note="Wait for the scan."), author_id=1,
                      author_name="Dr Ana Lee", now=test_clock.now())  # fmt: skip
    exported = client.get("/api/me/export").json()
    clinic = exported["clinic"]
    assert [(p["version"], p["author"]) for p in clinic["prescriptions"]] == [
        (1, "Dr Ana Lee"),
        (2, "Dr Ana Lee"),
    ]
    assert (
        clinic["prescriptions"][0]["body"]["items"][0]["override_reason"] == "Managed 10 easily for a month."
    )
    assert [(c["kind"], c["note"]) for c in clinic["clearances"]] == [("hold", "Wait for the scan.")]
    seen = next(a for a in clinic["alerts"] if a["kind"] == "severe-pain")
    assert (seen["seen_by"], seen["note"]) == ("Dr Ana Lee", "Called her.")
    assert "key" not in seen and "author_id" not in clinic["prescriptions"][0]  # no ids of the clinic's

    # Into another person's empty Upright (as on a new computer): history, no clinician accounts, no hold.
    with app.state.db.transaction() as s:
        person = repo.ensure_person(s, "elsewhere", now=test_clock.now())
        report = import_data(s, person.id, exported, now=test_clock.now())
        assert "2 plan versions from your doctor or therapist" in report.summary()
        assert "From your file: Dr Ana Lee has put your exercise on hold." in " ".join(report.notes)
        assert store.latest_clearance(s, person.id) is None  # history: it stops nothing here
        assert [(v.version, v.author) for v in list_prescriptions(s, person.id)] == [
            (2, "Dr Ana Lee"),
            (1, "Dr Ana Lee"),
        ]
        again = export_all_data(s, person.id, now=test_clock.now())
    assert canonical(parse_export(again)) == canonical(parse_export(exported))


def test_times_a_day_per_exercise_reach_the_patient_and_adherence_counts_full_sessions(
    client: TestClient, app: FastAPI, catalog: Catalog, test_clock: TestClock
) -> None:
    onboard(client, catalog)
    out = _prescribe(app, catalog, test_clock, {**RX, "start": test_clock.now().date().isoformat()})
    # Chin tuck: the handout's "several times a day" (3); shoulder rolls: the handout says nothing (1).
    assert [(i["exercise"], i["times_per_day"]) for i in out.items] == [
        ("chin-tuck", 3),
        ("shoulder-rolls", 1),
    ]
    assert (out.times_per_day, out.sessions_per_week) == (1, 3)
    for page in ("/today", "/session"):  # the "Set by ..." box
        assert "Chin tuck: 3 times a day" in client.get(page).text, page
    assert "Set by Dr Ana Lee: 3 times a day." in client.get("/my-plan/print").text  # the handout
    assert "Shoulder rolls: once a day" in client.get("/today").text
    script = client.get("/api/me/session/script").json()
    assert (
        client.post("/api/me/sessions", json=result_from_script(script, now=test_clock.now())).status_code
        == 201
    )
    with app.state.db.transaction() as s:
        facts = alerts.panel_facts(s, [_person(app)], now=test_clock.now())[_person(app)]
        assert facts.adherence == pytest.approx(1 / 3)  # one full session of the 3 a week
        # A version saved before items had their own number: each item has the prescription's.
        row = store.latest_prescription(s, _person(app))
        assert row is not None
        row.body = {**row.body, "times_per_day": 2, "items": [
            {k: v for k, v in i.items() if k != "times_per_day"} for i in row.body["items"]]}  # fmt: skip
        s.flush()
        assert [i["times_per_day"] for i in list_prescriptions(s, _person(app))[0].items] == [2, 2]
