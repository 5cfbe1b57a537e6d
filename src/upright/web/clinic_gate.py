"""Clinic mode: every request passes here before any router (pure ASGI, inside TrustMiddleware).

It finds the route the request will reach, looks up its rule (web/access_rules.py), finds the login
session from the cookie (in the database: several server processes share it), refuses what the rule
does not allow, writes the audit row for a patient's data, and leaves the caller in
`scope["state"]["user"]` for the dependencies in web/accounts_deps.py.

Anonymous: a page answers 303 to /login, the JSON API and a form post 401. Wrong role: 403. A clinician asking for a
patient who is not theirs: 404 (they learn nothing about who else exists). No rule: 403 (fail closed)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.requests import Request, cookie_parser
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Match, Mount
from starlette.types import ASGIApp, Receive, Scope, Send

from upright import clock
from upright.errors import LoginNeeded, NotAllowed, NotFound, UprightError
from upright.services import audit
from upright.services.accounts import SignedInUser, is_linked
from upright.services.login import user_of_session
from upright.store import Database
from upright.web.access_rules import AUDITED, RULES, Access, rule_key
from upright.web.patient_deps import side_write_turn
from upright.web.security import SESSION_COOKIE

__all__ = ["ClinicGate", "app_routes", "find_rule_key"]

ROLE_OF: dict[Access, str] = {
    Access.PATIENT: "patient",
    Access.CLINICIAN: "clinician",
    Access.CLINICIAN_OF_PATIENT: "clinician",
    Access.ADMIN: "admin",
}
NEED_LOGIN = "Log in first (at /login)."


def app_routes(app: Any) -> Iterator[BaseRoute]:
    """Every route of the app, with included routers opened up (they are included without a prefix:
    their routes carry their full paths)."""
    for route in app.router.routes:
        original = getattr(route, "original_router", None)
        yield from (original.routes if original is not None else [route])


def find_rule_key(app: Any, scope: Scope) -> tuple[str, dict[str, Any]] | None:
    """("METHOD /path/{template}", path parameters) of the route this request reaches; ("MOUNT /static",
    {}) for static files; None when no route takes it (the router answers 404 or 405)."""
    for route in app_routes(app):
        match, child = route.matches(scope)
        if match is Match.FULL:
            if isinstance(route, Mount):
                return f"MOUNT {route.path}", {}
            return rule_key(scope["method"], getattr(route, "path", "")), dict(child.get("path_params", {}))
    return None


@dataclass(frozen=True)
class _Decision:
    user: SignedInUser | None
    error: UprightError | None = None


def _decide(
    db: Database, *, cookie: str | None, rule: Access, key: str, params: dict[str, Any], now: datetime
) -> _Decision:
    """One short write transaction: the session (marked seen), the role and the link, and the audit row."""
    with db.write_sessions() as s:
        try:
            user = user_of_session(s, cookie, now=now)
            decision = _judge(s, user, rule=rule, key=key, params=params, now=now)
            s.commit()
            return decision
        except BaseException:
            s.rollback()
            raise


def _judge(
    s: Any, user: SignedInUser | None, *, rule: Access, key: str, params: dict[str, Any], now: datetime
) -> _Decision:
    if user is None:
        return _Decision(None, LoginNeeded(NEED_LOGIN))
    if rule is Access.SIGNED_IN:
        return _Decision(user)
    if user.role != ROLE_OF[rule]:
        return _Decision(user, NotAllowed(f"A {user.role} account cannot open this."))
    patient_id: int | None = None
    if rule is Access.PATIENT:
        patient_id = user.id
    elif rule is Access.CLINICIAN_OF_PATIENT:
        raw = str(params.get("patient_id", ""))
        if not raw.isdigit() or not is_linked(s, clinician_id=user.id, patient_id=int(raw)):
            return _Decision(user, NotFound("patient", raw))
        patient_id = int(raw)
    if rule in AUDITED:
        action: audit.Action = "read" if key.startswith("GET ") else "write"
        audit.record(s, actor=user, action=action, what=key, patient_id=patient_id, now=now)
    return _Decision(user)


class ClinicGate:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        app = scope["app"]
        found = find_rule_key(app, scope)
        if found is None or found[0].startswith("MOUNT "):
            await self.app(scope, receive, send)  # static files, or the router's own 404 / 405
            return
        key, params = found
        rule = RULES.get(key)
        if rule is Access.OPEN:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        if rule is None or rule is Access.PERSONAL_ONLY:
            error: UprightError = (
                NotAllowed("This address has no access rule yet, so nobody may use it.")
                if rule is None
                else NotFound("page", scope.get("path", ""))
            )
            await self._refuse(request, error)(scope, receive, send)
            return
        cookie = cookie_parser(Headers(scope=scope).get("cookie", "")).get(SESSION_COOKIE)
        async with side_write_turn(app):  # a write: the session seen, the audit row
            decision = await run_in_threadpool(
                _decide, app.state.db, cookie=cookie, rule=rule, key=key, params=params, now=clock.now()
            )
        if decision.error is not None:
            await self._refuse(request, decision.error)(scope, receive, send)
            return
        scope.setdefault("state", {})["user"] = decision.user
        await self.app(scope, receive, send)

    @staticmethod
    def _refuse(request: Request, error: UprightError) -> Response:
        from upright.web.errors import error_answer

        path = request.url.path
        if (
            isinstance(error, LoginNeeded)
            and not path.startswith("/api")
            and request.method in ("GET", "HEAD")
        ):
            return RedirectResponse("/login", status_code=303)  # relative: never built from the Host
        return error_answer(request, error)
