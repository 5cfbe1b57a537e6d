"""Map Upright's errors to HTTP once. API paths get JSON; pages get a readable HTML page."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from upright.documents.errors import problems as field_problems
from upright.errors import (
    CatalogError,
    Conflict,
    InvalidInput,
    LoginNeeded,
    NotAllowed,
    NotFound,
    SafetyStop,
    TooManyTries,
    UnsafeForPatient,
    UprightError,
)
from upright.web.security import security_headers
from upright.web.templating import templates

__all__ = ["STATUS", "error_answer", "install_error_handlers"]

log = logging.getLogger("upright.web")

STATUS: dict[type[UprightError], int] = {
    NotFound: 404,
    InvalidInput: 422,
    UnsafeForPatient: 422,
    SafetyStop: 409,
    Conflict: 409,
    CatalogError: 500,
    LoginNeeded: 401,
    NotAllowed: 403,
    TooManyTries: 429,
}


_WHERE = ("body", "query", "path")  # FastAPI's first place in `loc`: where the value came from
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
_HTTP_ERRORS = {
    404: "NotFound",
    405: "MethodNotAllowed",
    400: "BadRequest",
    401: "LoginNeeded",
    403: "NotAllowed",
    429: "TooManyTries",
}


def _status(exc: UprightError) -> int:
    for kind in type(exc).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    return 400


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or "application/json" in request.headers.get("accept", "")


def _clean(text: str) -> str:
    """A message that can always be sent: a lone surrogate someone typed becomes U+FFFD."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _answer(request: Request, status: int, body: dict[str, object], title: str) -> Response:
    """One error answer: JSON for the API and scripts, a readable page for a browser."""
    headers = {"Allow": str(body.pop("allow"))} if "allow" in body else None
    if _wants_json(request):
        return JSONResponse(body, status_code=status, headers=headers)
    return HTMLResponse(
        templates.get_template("error.html").render(request=request, title=title, message=body["message"]),
        status_code=status,
        headers=headers,
    )


def error_answer(request: Request, exc: UprightError) -> Response:
    """The answer for one of our errors outside a route (the clinic gate): the same as a route's."""
    body: dict[str, object] = {"error": type(exc).__name__, "message": _clean(str(exc))}
    if isinstance(exc, InvalidInput):
        body["field"] = _clean(exc.field)
    return _answer(request, _status(exc), body, "Something is not right")


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route takes at this path (Starlette's 405 names only the first route's).
    Asked of the routes themselves, so included routers count too."""
    allowed = []
    for method in METHODS:
        probe = {**request.scope, "method": method}
        if any(route.matches(probe)[0] is Match.FULL for route in request.app.router.routes):
            allowed.append(method)
    return allowed


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(UprightError)
    async def _upright(request: Request, exc: UprightError) -> Response:
        status = _status(exc)
        body: dict[str, object] = {"error": type(exc).__name__, "message": _clean(str(exc))}
        if isinstance(exc, InvalidInput):
            body["field"] = _clean(exc.field)
        if isinstance(exc, SafetyStop):
            body["outcome"] = exc.outcome
            body["reasons"] = exc.reasons
        return _answer(request, status, body, "Something is not right")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        body: dict[str, object] = {"error": _HTTP_ERRORS.get(exc.status_code, "Error"), "message": ""}
        if exc.status_code == 405:
            allowed = _allowed_methods(request)
            body["allow"] = ", ".join(allowed)
            body["message"] = f"{request.method} is not allowed here; use {' or '.join(allowed)}."
        elif exc.status_code == 404:
            body["message"] = "There is no page at this address."
        else:
            body["message"] = _clean(str(exc.detail))
        return _answer(request, exc.status_code, body, "Something is not right")

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        """A bug. The answer still carries the security headers (this runs outside our middleware)."""
        log.error("%s on %s %s", type(exc).__name__, request.method, request.url.path)
        response = _answer(
            request,
            500,
            {"error": "ServerError", "message": "Something went wrong inside Upright. Nothing was saved."},
            "Something went wrong",
        )
        for name, value in security_headers(request.url.path):
            response.headers.setdefault(name, value)
        return response

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errors = [{**e, "loc": tuple(p for p in e["loc"] if p not in _WHERE)} for e in exc.errors()]
        problems = [
            {"field": _clean(field), "message": _clean(message)}
            for field, message in field_problems(errors, dotted=True)  # type: ignore[arg-type]
        ]
        message = _clean("; ".join(f"{p['field']}: {p['message']}" for p in problems))
        if _wants_json(request):
            first_field = problems[0]["field"] if problems else "(request)"
            return JSONResponse(
                {"error": "InvalidInput", "field": first_field, "message": message, "problems": problems},
                status_code=422,
            )
        return HTMLResponse(
            templates.get_template("error.html").render(
                request=request, title="Please check what you entered", message=message
            ),
            status_code=422,
        )
