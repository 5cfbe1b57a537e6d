"""Clinic mode logins (issue 15): sessions in the database with safe cookies, CSRF tokens per session
for forms and the JSON API, throttling per account and per address, the clinicians' 15-minute idle
logoff, disabled accounts and password changes, the second step (TOTP), and personal mode untouched."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pyotp
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.clinic_helpers import PASSWORD, ClinicClient, add_practice, add_user, signed_in
from tests.conftest import TestClock
from tests.patient_fixtures import db_url
from upright.services.login import ACCOUNT_TRIES, ADDRESS_TRIES

__all__ = ["db_url"]


@pytest.fixture
def app(make_app: Callable[..., FastAPI], db_url: str, test_clock: TestClock) -> Iterator[FastAPI]:
    made = make_app(db_url, mode="clinic")
    add_practice(made, now=test_clock.now())
    yield made
    made.state.db.dispose()


def test_login_sets_a_safe_cookie_and_logout_ends_the_session_everywhere(app: FastAPI) -> None:
    client = ClinicClient(app)
    response = client.log_in("Pat@Example.org")  # email in any case
    assert response.status_code == 200 and response.json()["role"] == "patient"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    value = client.cookies["upright_session"]
    assert client.get("/api/me/profile").status_code == 200
    assert client.post("/api/auth/logout").status_code == 204
    again = TestClient(app)  # the old cookie, replayed from elsewhere, opens nothing any more
    again.cookies.set("upright_session", value)
    assert again.get("/api/me/profile").status_code == 401


def test_the_cookie_is_secure_behind_tls(make_app: Callable[..., FastAPI], test_clock: TestClock) -> None:
    app = make_app(mode="clinic", behind_tls=True)
    add_user(app, "doc@example.org", role="clinician", now=test_clock.now())
    response = ClinicClient(app).log_in("doc@example.org")
    assert "Secure" in response.headers["set-cookie"]


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(app: FastAPI) -> None:
    client = TestClient(app)
    wrong = client.post("/api/auth/login", json={"email": "pat@example.org", "password": "not it at all"})
    nobody = client.post("/api/auth/login", json={"email": "nobody@example.org", "password": "not it at all"})
    assert wrong.status_code == nobody.status_code == 422
    assert wrong.json()["message"] == nobody.json()["message"]
    assert client.get("/api/me/profile").status_code == 401


def test_anonymous_pages_go_to_login_and_the_api_answers_401(app: FastAPI) -> None:
    client = TestClient(app, follow_redirects=False)
    assert client.get("/today").headers["location"] == "/login"
    assert client.get("/exercises").headers["location"] == "/login"
    response = client.get("/api/me/today")
    assert response.status_code == 401 and response.json()["error"] == "LoginNeeded"
    assert client.get("/login").status_code == 200


def test_the_login_page_signs_in_and_goes_to_the_role_home(app: FastAPI) -> None:
    client = TestClient(app, follow_redirects=False)
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    form = {"email": "doc@example.org", "password": PASSWORD, "csrf_token": token.group(1)}
    response = client.post("/login", data=form)
    assert response.status_code == 303 and response.headers["location"] == "/clinic"  # the panel
    bad = TestClient(app).post("/login", data={**form, "password": "wrong password"})
    assert bad.status_code == 401 and "do not match" in bad.text


def test_a_form_needs_the_token_of_its_own_session(app: FastAPI) -> None:
    pat = signed_in(app, "pat@example.org")
    other = signed_in(app, "doc@example.org")
    # The install's token (what a form had before login) and another session's token are refused.
    for token in (app.state.csrf_token, other.csrf):
        response = pat.post("/settings", data={"minutes": "20", "csrf_token": token})
        assert response.status_code == 403
    page = pat.get("/settings")
    assert f'value="{pat.csrf}"' in page.text  # the page carries this session's token
    accepted = pat.post("/settings", data={"minutes": "20"})  # with its own token: the form is read
    assert accepted.status_code != 403 and "out of date" not in accepted.text


def test_a_json_change_needs_the_header_token(app: FastAPI) -> None:
    pat = signed_in(app, "pat@example.org")
    del pat.headers["X-CSRF-Token"]
    refused = pat.patch("/api/me/profile", json={"minutes": 20})
    assert refused.status_code == 403 and "X-CSRF-Token" in refused.json()["message"]
    assert (
        pat.patch("/api/me/profile", json={"minutes": 20}, headers={"X-CSRF-Token": pat.csrf}).status_code
        == 200
    )
    assert pat.get("/api/me/profile").status_code == 200  # reading needs none


def test_throttling_per_account_then_it_lifts(app: FastAPI, test_clock: TestClock) -> None:
    client = TestClient(app)
    for _ in range(ACCOUNT_TRIES):
        assert (
            client.post(
                "/api/auth/login", json={"email": "pat@example.org", "password": "guess guess"}
            ).status_code
            == 422
        )
    paused = client.post("/api/auth/login", json={"email": "pat@example.org", "password": PASSWORD})
    assert paused.status_code == 429 and "Wait 15 minutes" in paused.json()["message"]
    # Other accounts from the same address still work (the address limit is higher).
    assert ClinicClient(app).log_in("doc@example.org").status_code == 200
    test_clock.advance(minutes=16)
    assert ClinicClient(app).log_in("pat@example.org").status_code == 200


def test_throttling_per_address_across_accounts(app: FastAPI) -> None:
    client = TestClient(app)
    for n in range(ADDRESS_TRIES):
        client.post("/api/auth/login", json={"email": f"guess{n}@example.org", "password": "guess guess"})
    assert ClinicClient(app).log_in("doc@example.org").status_code == 429


def test_a_clinician_is_logged_off_after_15_idle_minutes_a_patient_is_not(
    app: FastAPI, test_clock: TestClock
) -> None:
    doc = signed_in(app, "doc@example.org")
    pat = signed_in(app, "pat@example.org")
    test_clock.advance(minutes=14)
    assert doc.get("/api/clinic/patients").status_code == 200  # activity keeps it alive
    test_clock.advance(minutes=14)
    assert doc.get("/api/clinic/patients").status_code == 200
    test_clock.advance(minutes=15, seconds=30)
    assert doc.get("/api/clinic/patients").status_code == 401
    page = doc.get("/clinic/patients/new", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login"
    assert pat.get("/api/me/profile").status_code == 200  # patients stay logged in longer


def test_disabling_an_account_ends_its_sessions_and_its_logins(app: FastAPI) -> None:
    pat = signed_in(app, "pat@example.org")
    admin = signed_in(app, "admin@example.org")
    pat_id = pat.get("/api/auth/me").json()["id"]
    assert admin.post(f"/admin/users/{pat_id}/disabled", data={"disabled": "yes"}).status_code == 200
    assert pat.get("/api/me/profile").status_code == 401
    assert ClinicClient(app).log_in("pat@example.org").status_code == 422
    assert admin.post(f"/admin/users/{pat_id}/disabled", data={"disabled": "no"}).status_code == 200
    assert ClinicClient(app).log_in("pat@example.org").status_code == 200


def test_changing_the_password_logs_out_other_devices(app: FastAPI) -> None:
    phone = signed_in(app, "pat@example.org")
    laptop = signed_in(app, "pat@example.org")
    form = {"current": PASSWORD, "new": "a brand new password", "new_again": "a brand new password"}
    wrong = laptop.post("/account/password", data={**form, "current": "not my password"})
    assert wrong.status_code == 422 and "current password is not right" in wrong.text
    done = laptop.post("/account/password", data=form)
    assert done.status_code == 200 and "Your password is changed" in done.text
    assert laptop.get("/api/me/profile").status_code == 200  # this browser got a new session
    assert phone.get("/api/me/profile").status_code == 401
    assert ClinicClient(app).log_in("pat@example.org", "a brand new password").status_code == 200


def test_an_admin_resets_a_password(app: FastAPI) -> None:
    admin = signed_in(app, "admin@example.org")
    doc_id = signed_in(app, "doc@example.org").get("/api/auth/me").json()["id"]
    short = admin.post(f"/admin/users/{doc_id}/password", data={"password": "short"})
    assert short.status_code == 422 and "at least 10 characters" in short.text
    assert (
        admin.post(f"/admin/users/{doc_id}/password", data={"password": "reset by the admin"}).status_code
        == 200
    )
    assert ClinicClient(app).log_in("doc@example.org", "reset by the admin").status_code == 200


def test_a_clinician_turns_on_the_second_step(app: FastAPI, test_clock: TestClock) -> None:
    doc = signed_in(app, "doc@example.org")
    start = doc.post("/account/totp", data={"action": "start"})
    secret = re.search(r'name="secret" value="([A-Z2-7]+)"', start.text)
    assert secret is not None and "data:image/svg+xml" in start.text  # the QR code, drawn here
    wrong = doc.post("/account/totp", data={"action": "confirm", "secret": secret.group(1), "code": "000000"})
    assert wrong.status_code == 422
    code = pyotp.TOTP(secret.group(1)).at(test_clock.now())
    on = doc.post("/account/totp", data={"action": "confirm", "secret": secret.group(1), "code": code})
    assert on.status_code == 200 and "second step is on" in on.text
    assert ClinicClient(app).log_in("doc@example.org").status_code == 422  # the password alone is not enough
    now_code = pyotp.TOTP(secret.group(1)).at(test_clock.now())
    assert ClinicClient(app).log_in("doc@example.org", totp=now_code).status_code == 200


def test_personal_mode_has_no_accounts(make_app: Callable[..., FastAPI]) -> None:
    client = TestClient(make_app())
    assert client.get("/api/me/profile").status_code == 200  # no login
    assert (
        client.post("/api/auth/login", json={"email": "a@example.org", "password": "x" * 12}).status_code
        == 404
    )
    assert client.get("/api/clinic/patients").status_code == 404
    assert client.get("/admin").status_code == 404
