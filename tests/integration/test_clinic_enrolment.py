"""Enrolment codes (issue 15): one use, 30 days, a new printout spends the old code, only the
patient's own clinicians may print again; and a clinician's list holds only their own patients."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI

from tests.clinic_helpers import ClinicClient, add_user, signed_in
from tests.conftest import TestClock
from tests.patient_fixtures import db_url

__all__ = ["db_url"]
PROGRAM = "posture-and-neck-stretches"


@pytest.fixture
def app(make_app: Callable[..., FastAPI], db_url: str, test_clock: TestClock) -> Iterator[FastAPI]:
    made = make_app(db_url, mode="clinic")
    add_user(made, "doc@example.org", role="clinician", now=test_clock.now())
    add_user(made, "other@example.org", role="clinician", now=test_clock.now())
    yield made
    made.state.db.dispose()


def _code(page_text: str) -> str:
    found = re.search(r'id="enrol-code">([^<]+)<', page_text)
    assert found is not None, page_text[:500]
    return found.group(1)


def _add(doc: ClinicClient, email: str = "robin@example.org") -> str:
    sheet = doc.post("/clinic/patients/new", data={"email": email, "name": "Robin Hill", "program": PROGRAM})
    assert sheet.status_code == 200
    return _code(sheet.text)


def _enrol(app: FastAPI, code: str, password: str = "robin's password") -> int:
    client = ClinicClient(app, follow_redirects=False)
    form = {"code": code, "password": password, "password_again": password}
    response = client.post("/enrol", data=form)
    return int(response.status_code)


def test_the_patient_finds_the_program_as_their_plan(app: FastAPI) -> None:
    doc = signed_in(app, "doc@example.org")
    code = _add(doc)
    assert _enrol(app, code) == 303
    patient = ClinicClient(app)
    assert patient.log_in("robin@example.org", "robin's password").status_code == 200
    assert patient.get("/api/me/plan").json()["template_id"] == PROGRAM
    assert _enrol(app, code, "another password") == 422  # spent


def test_bad_input_is_named_and_spends_nothing(app: FastAPI) -> None:
    code = _add(signed_in(app, "doc@example.org"))
    client = ClinicClient(app)
    short = client.post("/enrol", data={"code": code, "password": "short", "password_again": "short"})
    assert short.status_code == 422 and "at least 10 characters" in short.text
    differ = client.post(
        "/enrol", data={"code": code, "password": "one password", "password_again": "two passwords"}
    )
    assert differ.status_code == 422 and "not the same" in differ.text
    assert _enrol(app, code) == 303  # the code still works after those


def test_a_code_lasts_30_days(app: FastAPI, test_clock: TestClock) -> None:
    code = _add(signed_in(app, "doc@example.org"))
    test_clock.advance(days=30, minutes=1)
    assert _enrol(app, code) == 422


def test_printing_again_makes_a_new_code_and_spends_the_old(app: FastAPI) -> None:
    doc = signed_in(app, "doc@example.org")
    old = _add(doc)
    patient_id = doc.get("/api/clinic/patients").json()[0]["id"]
    form_page = doc.get("/clinic/patients/new")
    assert "Print a new code for Robin Hill" in form_page.text
    other = signed_in(app, "other@example.org")
    assert other.post(f"/clinic/patients/{patient_id}/enrolment", data={}).status_code == 404
    again = doc.post(f"/clinic/patients/{patient_id}/enrolment", data={})
    new = _code(again.text)
    assert new != old
    assert _enrol(app, old) == 422
    assert _enrol(app, new) == 303
    assert "Print a new code" not in doc.get("/clinic/patients/new").text  # started now


def test_a_clinician_lists_only_their_own_patients(app: FastAPI) -> None:
    doc = signed_in(app, "doc@example.org")
    _add(doc, "robin@example.org")
    other = signed_in(app, "other@example.org")
    _add(other, "kim@example.org")
    assert [p["email"] for p in doc.get("/api/clinic/patients").json()] == ["robin@example.org"]
    assert [p["email"] for p in other.get("/api/clinic/patients").json()] == ["kim@example.org"]
    taken = doc.post(
        "/clinic/patients/new", data={"email": "KIM@example.org", "name": "K", "program": PROGRAM}
    )
    assert taken.status_code == 409 and "already an account" in taken.text
    unknown = doc.post(
        "/clinic/patients/new", data={"email": "x@example.org", "name": "X", "program": "nope"}
    )
    assert unknown.status_code == 422 and "handout programs" in unknown.text
    assert [p["email"] for p in doc.get("/api/clinic/patients").json()] == [
        "robin@example.org"
    ]  # nothing half-made


def test_wrong_codes_from_one_address_are_throttled(app: FastAPI) -> None:
    from upright.services.login import ADDRESS_TRIES

    code = _add(signed_in(app, "doc@example.org"))
    for _ in range(ADDRESS_TRIES):
        assert _enrol(app, "aaaa-bbbb-cccc") == 422
    assert _enrol(app, code) == 429
