"""Clinic care through clinic mode's API and pages, on SQLite and PostgreSQL: a clinician prescribes,
the patient sees "Set by ...", a session with pain 8 puts an alert on the panel, the clinician marks
it seen with a note. Only that patient's clinicians get in; everything else answers 404."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI

from tests.clinic_helpers import ClinicClient, add_user, signed_in
from tests.conftest import TestClock
from tests.patient_fixtures import db_url
from tests.patient_helpers import all_no, result_from_script
from upright.catalog import Catalog

__all__ = ["db_url"]

RX = {
    "items": [{"exercise": "chin-tuck", "reps": 8}, {"exercise": "shoulder-rolls"}],
    "per_week": 3,
    "start": "2026-03-04",
    "note": "Go slowly.",
}


@pytest.fixture
def clinic(make_app: Any, db_url: str, test_clock: TestClock) -> Iterator[dict[str, Any]]:
    app: FastAPI = make_app(db_url, mode="clinic")
    now = test_clock.now()
    add_user(app, "doc@example.org", role="clinician", name="Dr Ana Lee", now=now)
    add_user(app, "other@example.org", role="clinician", name="Dr Bo Kim", now=now)
    pat = add_user(
        app, "pat@example.org", role="patient", name="Pat Hill", clinician="doc@example.org", now=now
    )
    yield {"app": app, "patient": pat}
    app.state.db.dispose()


def _patient_ready(app: FastAPI, catalog: Catalog) -> ClinicClient:
    client = signed_in(app, "pat@example.org")
    assert client.post("/api/me/screenings", json=all_no(catalog)).status_code == 201
    assert (
        client.post(
            "/api/me/plan", json={"choice": "handout", "program": "posture-and-neck-stretches"}
        ).status_code
        == 201
    )
    return client


def test_prescribe_then_pain_8_then_alert_on_the_panel_then_seen_with_a_note(
    clinic: dict[str, Any], catalog: Catalog, test_clock: TestClock
) -> None:
    app, pid = clinic["app"], clinic["patient"]
    patient = _patient_ready(app, catalog)
    doc = signed_in(app, "doc@example.org")

    refused = doc.post(
        f"/api/clinic/patients/{pid}/prescriptions",
        json={**RX, "items": [{"exercise": "chin-tuck", "reps": 20}]},
    )
    assert (
        refused.status_code == 422
        and "override_reason" in refused.text
        and "items[0].dose.reps" in refused.text
    )
    made = doc.post(f"/api/clinic/patients/{pid}/prescriptions", json=RX)
    assert made.status_code == 201, made.text
    assert made.json()["version"] == 1 and made.json()["author"] == "Dr Ana Lee"
    assert [v["version"] for v in doc.get(f"/api/clinic/patients/{pid}/prescriptions").json()] == [1]

    assert "Set by Dr Ana Lee on 4 March 2026." in patient.get("/today").text
    mine = patient.get("/api/me/plan")
    assert mine.status_code == 200, mine.text
    plan = mine.json()
    assert plan["source"] == "prescribed" and plan["plan"]["inputs"] is None
    assert (
        plan["plan"]["prescribed"]["by"] == "Dr Ana Lee"
        and plan["plan"]["prescribed"]["note"] == "Go slowly."
    )
    assert [i["exercise"] for i in plan["plan"]["items"]] == ["chin-tuck", "shoulder-rolls"]
    script = patient.get("/api/me/session/script").json()
    assert script["targets"][0]["reps"] == 8
    result = result_from_script(script, now=test_clock.now(), pain=8)
    assert patient.post("/api/me/sessions", json=result).status_code == 201

    panel = doc.get("/api/clinic/patients").json()
    row = next(p for p in panel if p["id"] == pid)
    assert [a["kind"] for a in row["alerts"]] == ["severe-pain"]
    assert row["alerts"][0]["reason"] == "Pain 8/10 (severe)."
    assert row["adherence"] == pytest.approx(1 / 3) and row["pain"] == [8]
    assert "Pain 8/10 (severe)." in doc.get("/clinic").text

    alert_id = row["alerts"][0]["id"]
    other = signed_in(app, "other@example.org")
    assert other.post(f"/api/clinic/alerts/{alert_id}/seen", json={"note": "x"}).status_code == 404
    assert other.get(f"/api/clinic/patients/{pid}/prescriptions").status_code == 404
    assert other.get("/api/clinic/patients").json() == []
    seen = doc.post(f"/api/clinic/alerts/{alert_id}/seen", json={"note": "Called; rest two days."})
    assert seen.status_code == 200 and seen.json()["note"] == "Called; rest two days."
    row = next(p for p in doc.get("/api/clinic/patients").json() if p["id"] == pid)
    assert row["alerts"] == []
    page = doc.get(f"/clinic/patients/{pid}").text
    assert "Seen by Dr Ana Lee" in page and "Called; rest two days." in page


def test_clearance_by_the_clinician_gates_the_patients_first_session(
    clinic: dict[str, Any], catalog: Catalog, test_clock: TestClock
) -> None:
    app, pid = clinic["app"], clinic["patient"]
    patient = _patient_ready(app, catalog)
    doc = signed_in(app, "doc@example.org")
    hold = doc.post(f"/api/clinic/patients/{pid}/clearance", json={"kind": "hold", "note": "Scan first."})
    assert hold.status_code == 201
    assert patient.get("/api/me/session/script").status_code == 409
    assert doc.post(f"/api/clinic/patients/{pid}/clearance", json={"kind": "cleared"}).status_code == 422
    day = test_clock.now().date().isoformat()
    assert (
        doc.post(
            f"/api/clinic/patients/{pid}/clearance", json={"kind": "cleared", "start_on": day}
        ).status_code
        == 201
    )
    assert patient.get("/api/me/session/script").status_code == 200


def test_the_clinicians_pages_prescribe_and_print(clinic: dict[str, Any], catalog: Catalog) -> None:
    app, pid = clinic["app"], clinic["patient"]
    _patient_ready(app, catalog)
    doc = signed_in(app, "doc@example.org")
    builder = doc.get(f"/clinic/patients/{pid}/prescribe?from=healthy-upper-back")
    assert builder.status_code == 200 and "Prescribe for Pat Hill" in builder.text
    form = {"ex": ["chin-tuck"], "reps.chin-tuck": "30", "per_week": "3", "start": "2026-03-04", "weeks": "6"}
    refused = doc.post(f"/clinic/patients/{pid}/prescriptions", data=form)
    assert refused.status_code == 422 and "override_reason" in refused.text
    form["why.chin-tuck"] = "Strong and pain free for a month."
    form["times_per_day.chin-tuck"] = "4"
    saved = doc.post(f"/clinic/patients/{pid}/prescriptions", data=form, follow_redirects=False)
    assert saved.status_code == 303
    page = doc.get(f"/clinic/patients/{pid}").text
    assert "Version 1" in page and "beyond the handout: Strong and pain free for a month." in page
    assert "4 times a day" in page and "of 12 prescribed" in page  # 3 days, 4 full sessions a day
    assert (
        'name="times_per_day.chin-tuck" inputmode="numeric" size="2" value="4"'
        in doc.get(f"/clinic/patients/{pid}/prescribe").text
    )  # the builder starts from the current numbers
    assert doc.get(f"/clinic/patients/{pid}/handout").status_code == 200
    bundle = doc.get(f"/api/clinic/patients/{pid}/fhir").json()
    careplan = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "CarePlan")
    assert "author" in careplan
    names = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Practitioner"]
    assert any("Dr Ana Lee" in str(p) for p in names)
    assert signed_in(app, "other@example.org").get(f"/clinic/patients/{pid}").status_code == 404
