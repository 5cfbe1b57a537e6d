"""Helpers for clinic mode tests: make accounts, and clients signed in as them.

app = make_app(db_url, mode="clinic")
add_user(app, "doc@example.org", role="clinician", now=test_clock.now())
add_user(app, "pat@example.org", role="patient", clinician="doc@example.org", now=...)
client = signed_in(app, "pat@example.org")   # JSON writes carry X-CSRF-Token, forms csrf_token
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

__all__ = ["PASSWORD", "ClinicClient", "add_practice", "add_user", "signed_in"]

PASSWORD = "a long enough password"


def add_user(
    app: FastAPI,
    email: str,
    *,
    role: str,
    now: datetime,
    clinician: str | None = None,
    name: str = "",
    password: str | None = PASSWORD,
) -> int:
    """A new account (straight into the database, as `upright users add` does); its users.id."""
    from upright.services.accounts import add_user as add

    with app.state.db.transaction() as s:
        row = add(s, email=email, role=role, now=now, name=name, password=password, clinician_email=clinician)
        return row.id


def add_practice(app: FastAPI, *, now: datetime) -> None:
    """The small practice most clinic tests need: a clinician, their patient, and an admin."""
    add_user(app, "doc@example.org", role="clinician", now=now)
    add_user(app, "pat@example.org", role="patient", clinician="doc@example.org", now=now)
    add_user(app, "admin@example.org", role="admin", now=now)


class ClinicClient(TestClient):
    """A TestClient that sends its login session's token: as the X-CSRF-Token header on every request
    (JSON writes need it) and as the csrf_token field of every form post (as a browser would)."""

    csrf: str = ""

    def post(self, url: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        data = kwargs.get("data")
        if isinstance(data, dict) and "csrf_token" not in data:
            kwargs["data"] = {**data, "csrf_token": self.csrf or self.app.state.csrf_token}  # type: ignore[attr-defined]
        return super().post(url, *args, **kwargs)

    def log_in(self, email: str, password: str = PASSWORD, **extra: Any) -> Any:
        response = super().post("/api/auth/login", json={"email": email, "password": password, **extra})
        if response.status_code == 200:
            self.csrf = response.json()["csrf_token"]
            self.headers["X-CSRF-Token"] = self.csrf
        return response


def signed_in(app: FastAPI, email: str, password: str = PASSWORD) -> ClinicClient:
    client = ClinicClient(app)
    response = client.log_in(email, password)
    assert response.status_code == 200, response.text
    return client
