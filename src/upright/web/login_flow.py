"""Clinic mode: signing in and out, shared by the /login page and POST /api/auth/login.

A failed try is committed on its own (the throttle counts it) even though the request fails."""

from __future__ import annotations

from datetime import datetime

from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool

from upright.errors import InvalidInput
from upright.services.accounts import SignedInUser, signed_in_user
from upright.services.login import end_session, log_in, session_id_of, start_session
from upright.store import Database
from upright.web.security import SESSION_COOKIE, session_csrf

__all__ = ["clear_session_cookie", "set_session_cookie", "sign_in", "sign_out"]


def _client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _sign_in(
    database: Database, *, email: str, password: str, totp: str | None, address: str, now: datetime
) -> tuple[SignedInUser, str]:
    with database.write_sessions() as s:
        try:
            row = log_in(s, email=email, password=password, address=address, now=now, totp_code=totp)
            cookie = start_session(s, row, now=now)
            user = signed_in_user(row, session_id_of(cookie))
        except InvalidInput:
            s.commit()  # keep the counted failure
            raise
        except BaseException:
            s.rollback()
            raise
        s.commit()
        return user, cookie


async def sign_in(
    request: Request, *, email: str, password: str, totp: str | None, now: datetime
) -> tuple[SignedInUser, str]:
    """(the user, the new session's cookie value), or InvalidInput / TooManyTries. argon2 takes a
    moment on purpose: off the event loop."""
    return await run_in_threadpool(
        _sign_in,
        request.app.state.db,
        email=email,
        password=password,
        totp=totp,
        address=_client_address(request),
        now=now,
    )


def set_session_cookie(request: Request, response: Response, cookie: str) -> str:
    """Put the session cookie on the response; returns the session's CSRF token."""
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        httponly=True,
        samesite="strict",
        secure=request.app.state.settings.behind_tls or request.url.scheme == "https",
        path="/",
    )
    token: str = session_csrf(request.app.state.csrf_token, cookie)
    return token


def _sign_out(database: Database, cookie: str | None) -> None:
    with database.transaction() as s:
        end_session(s, cookie)


async def sign_out(request: Request) -> None:
    await run_in_threadpool(_sign_out, request.app.state.db, request.cookies.get(SESSION_COOKIE))


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
