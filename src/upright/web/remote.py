"""Remote access (`upright serve --allow-remote`): every request needs the login cookie, except the
login page itself, static files and the calendar feed (it carries its own token: a calendar app
cannot log in). Pure ASGI middleware, installed only when Upright listens beyond loopback."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import Headers
from starlette.requests import cookie_parser
from starlette.responses import JSONResponse, RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from upright.services.access import tokens_match

__all__ = ["CALENDAR_PATH", "LOGIN_COOKIE", "LoginMiddleware", "is_logged_in"]

LOGIN_COOKIE = "upright_login"
CALENDAR_PATH = "/calendar/breaks.ics"
OPEN_PATHS = ("/login", CALENDAR_PATH)


def is_logged_in(scope: Scope) -> bool:
    state: Any = scope["app"].state
    cookies = cookie_parser(Headers(scope=scope).get("cookie", ""))
    return tokens_match(cookies.get(LOGIN_COOKIE), state.login_key)


class LoginMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if (
            scope["type"] != "http"
            or path in OPEN_PATHS
            or path.startswith("/static/")
            or is_logged_in(scope)
        ):
            await self.app(scope, receive, send)
            return
        if path.startswith("/api") or scope["method"] not in ("GET", "HEAD"):
            response: Any = JSONResponse(
                {"error": "LoginNeeded", "message": "Log in with your access code first (at /login)."},
                status_code=401,
            )
        else:
            response = RedirectResponse("/login", status_code=303)  # relative: never built from the Host
        await response(scope, receive, send)
