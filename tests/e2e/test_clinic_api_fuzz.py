"""Fuzzing clinic mode's own JSON API (/api/auth, /api/clinic) from a clinic server's OpenAPI schema,
signed in as a clinician with one patient: no server error, every status documented, bodies match.
(tests/e2e/test_api_fuzz.py fuzzes the personal API the same way.)"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings

from tests.conftest import TEST_START
from tests.e2e.test_api_fuzz import CHECKS, FUZZ_EXAMPLES

pytestmark = pytest.mark.dateless


def _clinic_app() -> tuple[FastAPI, dict[str, str]]:
    """A clinic app on its own SQLite file with a clinician (signed in: the headers) and a patient."""
    from upright.config import Settings
    from upright.services.accounts import add_user, find_user
    from upright.services.login import start_session
    from upright.web.app import create_app
    from upright.web.security import session_csrf

    folder = Path(tempfile.mkdtemp(prefix="upright-clinic-fuzz-"))
    app = create_app(
        Settings(database_url=f"sqlite:///{folder / 'fuzz.db'}", allowed_hosts="testserver", mode="clinic")
    )
    # Every request runs on the test clock (tests/conftest.py puts each test on it, starting at
    # TEST_START), so the clinician's session starts then too and is never idle during a case.
    now = TEST_START
    with app.state.db.transaction() as s:
        add_user(s, email="doc@example.org", role="clinician", password="a long enough password", now=now)
        add_user(s, email="pat@example.org", role="patient", clinician_email="doc@example.org", now=now)
        doctor = find_user(s, "doc@example.org")
        assert doctor is not None
        cookie = start_session(s, doctor, now=now)
    headers = {
        "Cookie": f"upright_session={cookie}",
        "X-CSRF-Token": session_csrf(app.state.csrf_token, cookie),
    }
    return app, headers


APP, SIGNED_IN = _clinic_app()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP).include(path_regex="^/api/(auth|clinic)/")


@schema.parametrize()
@settings(
    max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)
def test_every_clinic_operation_answers_within_its_schema(case: schemathesis.Case) -> None:
    if case.path == "/api/auth/logout":
        case.call_and_validate(checks=CHECKS)  # anonymous: signing out the fuzzing session would end it
        return
    case.call_and_validate(headers=SIGNED_IN, checks=CHECKS)
