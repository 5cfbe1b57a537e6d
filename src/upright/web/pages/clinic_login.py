"""Clinic mode: /login (email and password, and a code from an app for clinicians who turned it on)
and /logout. Personal mode keeps its own access-code /login (pages/login.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from upright.errors import InvalidInput, TooManyTries
from upright.web.login_flow import clear_session_cookie, set_session_cookie, sign_in, sign_out
from upright.web.patient_deps import NowDep
from upright.web.templating import templates

__all__ = ["HOME_OF", "router"]

router = APIRouter(include_in_schema=False)
HOME_OF = {"patient": "/today", "clinician": "/clinic", "admin": "/admin"}


def _page(request: Request, *, error: str | None = None, email: str = "", code: int = 200) -> Response:
    return templates.TemplateResponse(
        request, "clinic_login.html", {"title": "Log in", "error": error, "email": email}, status_code=code
    )


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> Response:
    return _page(request)


@router.post("/login", response_class=HTMLResponse)
async def log_in(
    request: Request,
    now: NowDep,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    totp: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    try:
        user, cookie = await sign_in(request, email=email, password=password, totp=totp or None, now=now)
    except InvalidInput as exc:
        return _page(request, error=exc.message, email=email, code=401)
    except TooManyTries as exc:
        return _page(request, error=str(exc), email=email, code=429)
    response = RedirectResponse(HOME_OF.get(user.role, "/"), status_code=303)
    set_session_cookie(request, response, cookie)
    return response


@router.post("/logout", response_class=HTMLResponse)
async def log_out(request: Request) -> Response:
    await sign_out(request)
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(response)
    return response
