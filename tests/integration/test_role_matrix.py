"""Clinic mode's role x route matrix, built from the app's own route table: every route is called by
an anonymous visitor, patient A, patient B, A's clinician, another clinician and an admin, and each
gets what the route's rule (web/access_rules.py) says. A route without a rule fails here."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.routing import Mount

from tests.clinic_helpers import add_user
from tests.conftest import TestClock
from tests.patient_fixtures import db_url
from upright.services.accounts import get_user
from upright.services.login import start_session
from upright.web.access_rules import RULES, Access, rule_key
from upright.web.clinic_gate import app_routes
from upright.web.security import session_csrf

pytestmark = pytest.mark.dateless

__all__ = ["db_url"]

ACTORS = ("anonymous", "patient_a", "patient_b", "clinician_of_a", "other_clinician", "admin")


@dataclass(frozen=True)
class Practice:
    app: FastAPI
    ids: dict[str, int]


@pytest.fixture
def practice(make_app: Callable[..., FastAPI], db_url: str, test_clock: TestClock) -> Iterator[Practice]:
    app = make_app(db_url, mode="clinic")
    now = test_clock.now()
    ids = {
        "clinician_of_a": add_user(app, "doc-a@example.org", role="clinician", now=now),
        "other_clinician": add_user(app, "doc-b@example.org", role="clinician", now=now),
        "admin": add_user(app, "admin@example.org", role="admin", now=now),
    }
    ids["patient_a"] = add_user(
        app, "pat-a@example.org", role="patient", clinician="doc-a@example.org", now=now
    )
    ids["patient_b"] = add_user(
        app, "pat-b@example.org", role="patient", clinician="doc-b@example.org", now=now
    )
    ids["target"] = add_user(app, "target@example.org", role="clinician", now=now)  # for the admin's changes
    yield Practice(app, ids)
    app.state.db.dispose()


def _route_keys(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path template) of every route of the app (HEAD is GET's)."""
    keys = set()
    for route in app_routes(app):
        if isinstance(route, Mount):
            continue
        for method in getattr(route, "methods", None) or ():
            if method != "HEAD":
                keys.add((method, route.path))
    return sorted(keys)


def test_every_route_has_a_rule_and_every_rule_a_route(practice: Practice) -> None:
    keys = {rule_key(m, p) for m, p in _route_keys(practice.app)}
    missing = sorted(keys - RULES.keys())
    assert not missing, f"add these to web/access_rules.py: {missing}"
    stale = sorted(RULES.keys() - keys)
    assert not stale, f"rules for routes that do not exist: {stale}"


def _path(template: str, ids: dict[str, int]) -> str:
    values = {
        "exercise_id": "chin-tuck",
        "program_id": "posture-and-neck-stretches",
        "session_id": "1",
        "patient_id": str(ids["patient_a"]),
        "user_id": str(ids["target"]),
        "alert_id": "1",  # none stored: a clinician gets 404 "No alert", the rule still lets them in
    }

    def fill(match: re.Match[str]) -> str:
        name = match.group(1).split(":")[0]
        assert name in values, f"the matrix test needs a value for {{{name}}}"
        return values[name]

    return re.sub(r"\{([^}]+)\}", fill, template)


def _call(practice: Practice, actor: str, method: str, path: str, *, clock: TestClock) -> Any:
    client = TestClient(practice.app, follow_redirects=False)
    headers: dict[str, str] = {}
    token = practice.app.state.csrf_token
    if actor != "anonymous":
        with practice.app.state.db.transaction() as s:  # a fresh session each time: no argon2 wait
            cookie = start_session(s, get_user(s, practice.ids[actor]), now=clock.now())
        client.cookies.set("upright_session", cookie)
        token = session_csrf(practice.app.state.csrf_token, cookie)
        headers["X-CSRF-Token"] = token
    if method == "GET":
        return client.get(path, headers=headers)
    if path.startswith("/api"):
        return client.request(method, path, json={}, headers=headers)
    return client.request(method, path, data={"csrf_token": token}, headers=headers)


def _expected(rule: Access, actor: str) -> str:
    """allowed | login | forbidden | not_found"""
    if rule is Access.PERSONAL_ONLY:
        return "not_found"
    if rule is Access.OPEN:
        return "allowed"
    if actor == "anonymous":
        return "login"
    role = actor.split("_")[0] if actor != "other_clinician" else "clinician"
    if rule is Access.SIGNED_IN:
        return "allowed"
    if rule is Access.PATIENT:
        return "allowed" if role == "patient" else "forbidden"
    if rule is Access.CLINICIAN:
        return "allowed" if role == "clinician" else "forbidden"
    if rule is Access.CLINICIAN_OF_PATIENT:
        if actor == "clinician_of_a":
            return "allowed"
        return "not_found" if role == "clinician" else "forbidden"
    assert rule is Access.ADMIN
    return "allowed" if role == "admin" else "forbidden"


def _got(response: Any, path: str) -> str:
    status = response.status_code
    if (status == 401 and "Log in first" in response.text) or (
        status == 303 and response.headers["location"] == "/login" and response.request.method == "GET"
    ):
        return "login"
    body = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
    if status == 403 and (body.get("error") == "NotAllowed" or "cannot open this" in response.text):
        return "forbidden"
    if status == 404 and ("No patient called" in response.text or "No page called" in response.text):
        return "not_found"
    assert status < 500, (path, status, response.text[:300])
    return "allowed"


def test_each_role_gets_what_each_route_rule_says(practice: Practice, test_clock: TestClock) -> None:
    wrong = []
    calls = 0
    for method, template in _route_keys(practice.app):
        rule = RULES[rule_key(method, template)]
        path = _path(template, practice.ids)
        for actor in ACTORS:
            got = _got(_call(practice, actor, method, path, clock=test_clock), path)
            calls += 1
            if got != _expected(rule, actor):
                wrong.append(f"{method} {template} as {actor}: {got}, rule says {_expected(rule, actor)}")
    assert not wrong, "\n".join(wrong)
    assert calls >= 6 * 80  # the whole table, not a sample


def test_a_route_without_a_rule_is_refused_to_everyone(practice: Practice, test_clock: TestClock) -> None:
    @practice.app.get("/api/new-thing-without-a-rule")
    def new_thing() -> dict[str, str]:
        return {"secret": "patients' data"}

    for actor in ACTORS:
        response = _call(practice, actor, "GET", "/api/new-thing-without-a-rule", clock=test_clock)
        assert response.status_code == 403 and "secret" not in response.text, actor
