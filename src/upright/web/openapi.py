"""The error answers every /api operation may give, documented once for the OpenAPI schema.

The shapes are what web/errors.py and web/security.py send; tests/e2e/test_api_fuzz.py checks every
answer against the schema (schemathesis), so a status that is not listed here fails the build."""

from __future__ import annotations

from typing import Any

from upright.documents.errors import ErrorOut

__all__ = ["ERROR_RESPONSES", "ErrorOut"]


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorOut, "description": description}


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _error("The Host header is not an address Upright runs at (DNS rebinding is refused)"),
    401: _error("Not logged in: remote access without the access code, or clinic mode without a session"),
    403: _error(
        "A change sent by a page on another site, a form or clinic API call without its token, "
        "or (clinic mode) a role that may not do this"
    ),
    404: _error("No record, program or exercise with this id"),
    405: _error("This method is not allowed here; the Allow header lists the ones that are"),
    409: _error("A conflict with what is stored (same client_id, other content) or a safety stop"),
    413: _error("The request body is over 1 MB"),
    422: _error("A value is missing, of the wrong type or out of range; `field` names it"),
    429: _error("Clinic mode: too many failed logins for this account or address; wait and try again"),
}
