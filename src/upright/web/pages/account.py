"""Clinic mode: /account, where anyone signed in changes their password, and a clinician turns the
second step (a 6-digit code from an authenticator app, TOTP) on or off."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from upright.errors import InvalidInput
from upright.services.accounts import check_password, get_user, set_password
from upright.services.login import start_session
from upright.services.totp import new_totp_secret, totp_matches, totp_uri
from upright.web.accounts_deps import ClinicianDep, CurrentUser
from upright.web.login_flow import set_session_cookie
from upright.web.patient_deps import DbDep, NowDep
from upright.web.templating import templates

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _page(
    request: Request, db: DbDep, user: CurrentUser, *, message: str | None = None,
    error: str | None = None, field: str = "", new_secret: str | None = None, status: int = 200,
) -> Response:  # fmt: skip
    row = get_user(db, user.id)
    qr = None
    if new_secret is not None:
        import segno

        qr = str(segno.make(totp_uri(new_secret, row.email), error="m").svg_data_uri(scale=4, border=2))
    return templates.TemplateResponse(
        request,
        "account.html",
        {
            "title": "Your account",
            "account": row,
            "has_totp": row.totp_secret is not None,
            "message": message,
            "error": error,
            "field": field,
            "new_secret": new_secret,
            "qr_uri": qr,
        },
        status_code=status,
    )


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, db: DbDep, user: CurrentUser) -> Response:
    return _page(request, db, user)


@router.post("/account/password", response_class=HTMLResponse)
def change_password(
    request: Request,
    db: DbDep,
    user: CurrentUser,
    now: NowDep,
    current: Annotated[str, Form(max_length=200)] = "",
    new: Annotated[str, Form(max_length=200)] = "",
    new_again: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    row = get_user(db, user.id)
    if not check_password(row, current):
        return _page(
            request, db, user, error="Your current password is not right.", field="current", status=422
        )
    if new != new_again:
        return _page(request, db, user, error="The two new passwords are not the same.", field="new_again",
                     status=422)  # fmt: skip
    try:
        set_password(db, row, new, now=now)  # ends every session of the account, this one too
    except InvalidInput as exc:
        return _page(request, db, user, error=exc.message, field="new", status=422)
    cookie = start_session(db, row, now=now)  # ... so this browser gets a new one
    response = _page(request, db, user, message="Your password is changed. Other devices are logged out.")
    set_session_cookie(request, response, cookie)
    return response


@router.post("/account/totp", response_class=HTMLResponse)
def second_step(
    request: Request,
    db: DbDep,
    clinician: ClinicianDep,
    now: NowDep,
    action: Annotated[str, Form(max_length=10)] = "",
    secret: Annotated[str, Form(max_length=64)] = "",
    code: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """start: show a new secret and its QR code; confirm: store it once a code from it matches; off."""
    row = get_user(db, clinician.id)
    if action == "start":
        return _page(request, db, clinician, new_secret=new_totp_secret())
    if action == "confirm":
        if not totp_matches(secret, code, now=now):
            return _page(request, db, clinician, new_secret=secret or new_totp_secret(), field="code",
                         error="That code does not match. Type the 6 digits your app shows now.",
                         status=422)  # fmt: skip
        row.totp_secret = secret
        db.flush()
        return _page(
            request, db, clinician, message="The second step is on. You will need a code at every login."
        )
    if action == "off":
        row.totp_secret = None
        db.flush()
        return _page(request, db, clinician, message="The second step is off.")
    raise InvalidInput("action", "choose start, confirm or off")
