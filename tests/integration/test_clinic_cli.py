"""Clinic mode from the command line (issue 15): `upright clinic init`, `upright users add` (passwords
from standard input), and `upright demo`, which marks its data and refuses a database with real people."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from typer.testing import CliRunner

from tests.clinic_helpers import ClinicClient
from tests.patient_fixtures import db_url
from upright.cli import full_app
from upright.services.demo import DEMO_PASSWORD

__all__ = ["db_url"]


@pytest.fixture
def clinic_env(monkeypatch: pytest.MonkeyPatch, db_url: str) -> str:
    monkeypatch.setenv("UPRIGHT_MODE", "clinic")
    monkeypatch.setenv("UPRIGHT_DATABASE_URL", db_url)
    return db_url


def _run(*args: str, stdin: str = "") -> tuple[int, str]:
    result = CliRunner().invoke(full_app(), list(args), input=stdin)
    return result.exit_code, result.output


def test_init_then_users_then_they_log_in(clinic_env: str, make_app: Callable[..., FastAPI]) -> None:
    code, out = _run("clinic", "init", "--admin", "Boss@Example.org", stdin="the admin's password\n")
    assert code == 0 and "boss@example.org" in out
    code, out = _run("clinic", "init", "--admin", "second@example.org", stdin="another password\n")
    assert code == 1 and "has an admin already" in out
    assert (
        _run("users", "add", "--role", "clinician", "--email", "doc@example.org", stdin="doctor password\n")[
            0
        ]
        == 0
    )
    code, out = _run("users", "add", "--role", "patient", "--email", "pat@example.org",
                     "--clinician", "doc@example.org", stdin="patient password\n")  # fmt: skip
    assert code == 0 and "Added pat@example.org (patient)" in out
    code, out = _run("users", "add", "--role", "patient", "--email", "x@example.org", "--clinician",
                     "nobody@example.org", stdin="patient password\n")  # fmt: skip
    assert code == 1 and "no clinician with the email nobody@example.org" in out
    code, out = _run("users", "add", "--role", "nurse", "--email", "n@example.org", stdin="long enough pw\n")
    assert code == 1 and "patient, clinician or admin" in out
    code, out = _run("users", "add", "--role", "patient", "--email", "y@example.org", stdin="short\n")
    assert code == 1 and "at least 10 characters" in out
    code, out = _run("users", "list", "--json")
    assert [(u["email"], u["role"]) for u in json.loads(out)] == [
        ("boss@example.org", "admin"), ("doc@example.org", "clinician"), ("pat@example.org", "patient"),
    ]  # fmt: skip

    app = make_app(clinic_env, mode="clinic")
    doc = ClinicClient(app)
    assert doc.log_in("doc@example.org", "doctor password").status_code == 200
    assert [p["email"] for p in doc.get("/api/clinic/patients").json()] == ["pat@example.org"]
    assert ClinicClient(app).log_in("boss@example.org", "the admin's password").json()["role"] == "admin"
    app.state.db.dispose()


def test_the_commands_need_clinic_mode(monkeypatch: pytest.MonkeyPatch, db_url: str) -> None:
    monkeypatch.setenv("UPRIGHT_DATABASE_URL", db_url)
    code, out = _run(
        "users", "add", "--role", "clinician", "--email", "d@example.org", stdin="doctor password\n"
    )
    assert code == 1 and "UPRIGHT_MODE=clinic" in out


def test_demo_fills_an_empty_database_with_marked_data(
    clinic_env: str, make_app: Callable[..., FastAPI]
) -> None:
    code, out = _run("demo", "--patients", "6", "--weeks", "12")
    assert code == 0 and "6 patients" in out and "demo" in out.lower()
    users = json.loads(_run("users", "list", "--json")[1])
    assert all(u["demo"] and u["email"].endswith("@example.org") for u in users)
    assert sum(u["role"] == "patient" for u in users) == 6
    app = make_app(clinic_env, mode="clinic")
    doc = ClinicClient(app)
    clinician = next(u["email"] for u in users if u["role"] == "clinician")
    assert doc.log_in(clinician, DEMO_PASSWORD).status_code == 200
    panel = doc.get("/api/clinic/patients").json()
    assert len(panel) == 6 and all(p["name"].startswith("Demo ") for p in panel)
    detail = doc.get(f"/api/clinic/patients/{panel[0]['id']}").json()
    assert detail["plan_title"] and detail["last_session_at"]  # weeks of history behind them
    # A patient page shows 20 sessions, newest first, and pages back through the rest.
    pages = {p["id"]: doc.get(f"/clinic/patients/{p['id']}").text for p in panel}
    busy, first = next((pid, page) for pid, page in pages.items() if "Older sessions</a>" in page)
    second = doc.get(f"/clinic/patients/{busy}?page=2").text
    assert len(_session_days(first)) == 20 and "Newer sessions</a>" not in first
    assert _session_days(second) and "Older sessions, page 2" in second and "Newer sessions</a>" in second
    app.state.db.dispose()


def _session_days(page: str) -> list[str]:
    """The day column of the page's sessions table."""
    table = page.split('id="sessions-title"')[1].split("</table>")[0]
    return [row.split("</td>")[0] for row in table.split("<tr><td>")[1:]]


def test_demo_refuses_a_database_with_real_people(clinic_env: str) -> None:
    assert (
        _run("users", "add", "--role", "clinician", "--email", "real@clinic.org", stdin="a real password\n")[
            0
        ]
        == 0
    )
    code, out = _run("demo", "--patients", "2", "--weeks", "1")
    assert code == 1 and "real accounts or people" in out
    users = json.loads(_run("users", "list", "--json")[1])
    assert [u["email"] for u in users] == ["real@clinic.org"]  # nothing was added
