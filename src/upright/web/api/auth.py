"""Clinic mode: POST /api/auth/login starts a session (a cookie), POST /api/auth/logout ends it,
GET /api/auth/me says who is signed in. Scripts send the `csrf_token` from the login's answer as the
X-CSRF-Token header on every change."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from upright.documents.accounts import AccountOut, LoginIn, LoginOut
from upright.web.accounts_deps import CurrentUser
from upright.web.login_flow import clear_session_cookie, set_session_cookie, sign_in, sign_out
from upright.web.openapi import ERROR_RESPONSES
from upright.web.patient_deps import NowDep

__all__ = ["router"]

router = APIRouter(prefix="/api/auth", tags=["accounts"], responses=ERROR_RESPONSES)


@router.post("/login", response_model=LoginOut, summary="Log in (starts a session cookie)")
async def login(body: LoginIn, request: Request, response: Response, now: NowDep) -> LoginOut:
    user, cookie = await sign_in(request, email=body.email, password=body.password, totp=body.totp, now=now)
    token = set_session_cookie(request, response, cookie)
    return LoginOut(id=user.id, email=user.email, name=user.name, role=user.role, csrf_token=token)


@router.post("/logout", status_code=204, summary="Log out (ends this session)")
async def logout(request: Request, user: CurrentUser) -> Response:
    await sign_out(request)
    response = Response(status_code=204)
    clear_session_cookie(response)
    return response


@router.get("/me", response_model=AccountOut, summary="Who is logged in")
def me(user: CurrentUser) -> AccountOut:
    return AccountOut(id=user.id, email=user.email, name=user.name, role=user.role)
