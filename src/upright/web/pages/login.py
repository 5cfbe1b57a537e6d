"""/login: the access code page for remote access. Personal use on this computer never sees it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from upright.services.access import access_code_matches
from upright.web.patient_deps import DbDep
from upright.web.remote import LOGIN_COOKIE
from upright.web.templating import templates

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
LOGIN_DAYS = 30


def _page(request: Request, *, error: str | None = None, code: int = 200) -> Response:
    return templates.TemplateResponse(
        request, "login.html", {"title": "Log in", "error": error}, status_code=code
    )


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> Response:
    if not request.app.state.needs_login:
        return RedirectResponse("/today", status_code=303)
    return _page(request)


@router.post("/login", response_class=HTMLResponse)
async def log_in(
    request: Request, db: DbDep, access_code: Annotated[str, Form(max_length=200)] = ""
) -> Response:
    if not request.app.state.needs_login:
        return RedirectResponse("/today", status_code=303)
    # argon2 takes a moment on purpose (guessing is slow); off the event loop.
    if not await run_in_threadpool(access_code_matches, db, access_code):
        return _page(request, error="That access code is not right. Check it and try again.", code=401)
    response = RedirectResponse("/today", status_code=303)
    response.set_cookie(
        LOGIN_COOKIE,
        request.app.state.login_key,
        max_age=LOGIN_DAYS * 24 * 3600,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response
