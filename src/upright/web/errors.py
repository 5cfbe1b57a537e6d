"""Map Upright's errors to HTTP once. API paths get JSON; pages get a readable HTML page."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response

from upright.errors import (
    CatalogError,
    Conflict,
    InvalidInput,
    NotFound,
    SafetyStop,
    UnsafeForPatient,
    UprightError,
)
from upright.web.templating import templates

__all__ = ["STATUS", "install_error_handlers"]

STATUS: dict[type[UprightError], int] = {
    NotFound: 404,
    InvalidInput: 422,
    UnsafeForPatient: 422,
    SafetyStop: 409,
    Conflict: 409,
    CatalogError: 500,
}


def _status(exc: UprightError) -> int:
    for kind in type(exc).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    return 400


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or "application/json" in request.headers.get("accept", "")


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(UprightError)
    async def _upright(request: Request, exc: UprightError) -> Response:
        status = _status(exc)
        body: dict[str, object] = {"error": type(exc).__name__, "message": str(exc)}
        if isinstance(exc, InvalidInput):
            body["field"] = exc.field
        if isinstance(exc, SafetyStop):
            body["outcome"] = exc.outcome
            body["reasons"] = exc.reasons
        if _wants_json(request):
            return JSONResponse(body, status_code=status)
        return templates.TemplateResponse(
            request,
            "error.html",
            {"title": "Something is not right", "message": str(exc)},
            status_code=status,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for err in exc.errors():
            loc = [str(p) for p in err["loc"] if p not in ("body", "query", "path")]
            problems.append({"field": ".".join(loc) or "(request)", "message": err["msg"]})
        message = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
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
