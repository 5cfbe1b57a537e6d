"""Clinic mode: /enrol, where a patient types (or scans) the code from their printed handout and sets
a password. Then they are logged in and find their program waiting (services/enrolment.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from upright.errors import InvalidInput, TooManyTries
from upright.services.enrolment import enrol
from upright.services.login import start_session
from upright.store import Database
from upright.web.login_flow import set_session_cookie
from upright.web.patient_deps import NowDep
from upright.web.templating import templates

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _page(
    request: Request, *, code: str = "", error: str | None = None, field: str = "", status: int = 200
) -> Response:
    return templates.TemplateResponse(
        request,
        "enrol.html",
        {"title": "Start with your code", "code": code, "error": error, "field": field},
        status_code=status,
    )


@router.get("/enrol", response_class=HTMLResponse)
def enrol_page(request: Request, code: Annotated[str, Query(max_length=40)] = "") -> Response:
    return _page(request, code=code)


def _enrol(database: Database, *, code: str, password: str, address: str, now: datetime) -> str:
    """The new session's cookie value. A wrong code is committed as a failed try, then raised."""
    with database.write_sessions() as s:
        try:
            patient = enrol(s, code=code, password=password, address=address, now=now)
            cookie = start_session(s, patient, now=now)
        except InvalidInput:
            s.commit()
            raise
        except BaseException:
            s.rollback()
            raise
        s.commit()
        return cookie


@router.post("/enrol", response_class=HTMLResponse)
async def enrol_post(
    request: Request,
    now: NowDep,
    code: Annotated[str, Form(max_length=40)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    password_again: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    if password != password_again:
        return _page(
            request, code=code, field="password_again", status=422,
            error="The two passwords are not the same. Type the same password twice.",
        )  # fmt: skip
    address = request.client.host if request.client else "unknown"
    try:
        cookie = await run_in_threadpool(
            _enrol, request.app.state.db, code=code, password=password, address=address, now=now
        )
    except InvalidInput as exc:
        return _page(request, code=code, error=exc.message, field=exc.field, status=422)
    except TooManyTries as exc:
        return _page(request, code=code, error=str(exc), field="code", status=429)
    response = RedirectResponse("/today", status_code=303)
    set_session_cookie(request, response, cookie)
    return response
