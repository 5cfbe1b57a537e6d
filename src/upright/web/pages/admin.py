"""Clinic mode, for admins: accounts (add, link a patient to one more clinician, reset a password,
disable or enable) and the audit log with its chain check. Admins see no health data."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, Response

from upright.errors import Conflict, InvalidInput
from upright.services import audit
from upright.services.accounts import (
    add_user,
    find_user,
    get_user,
    link,
    list_users,
    set_disabled,
    set_password,
)
from upright.web.accounts_deps import AdminDep
from upright.web.patient_deps import DbDep, NowDep
from upright.web.templating import templates

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
UserId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _page(
    request: Request, db: DbDep, *, message: str | None = None, error: str | None = None,
    values: dict[str, str] | None = None, status: int = 200,
) -> Response:  # fmt: skip
    return templates.TemplateResponse(
        request,
        "admin/accounts.html",
        {
            "title": "Accounts",
            "users": list_users(db),
            "message": message,
            "error": error,
            "values": values or {},
        },
        status_code=status,
    )


@router.get("/admin", response_class=HTMLResponse)
def accounts_page(request: Request, admin: AdminDep, db: DbDep) -> Response:
    return _page(request, db)


@router.post("/admin/users", response_class=HTMLResponse)
def add_account(
    request: Request,
    admin: AdminDep,
    db: DbDep,
    now: NowDep,
    email: Annotated[str, Form(max_length=254)] = "",
    name: Annotated[str, Form(max_length=120)] = "",
    role: Annotated[str, Form(max_length=16)] = "",
    clinician: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    values = {"email": email, "name": name, "role": role, "clinician": clinician}
    if role != "patient" and not password:
        return _page(request, db, error="Give a first password (clinicians and admins log in with it).",
                     values=values, status=422)  # fmt: skip
    try:
        row = add_user(db, email=email, name=name, role=role, now=now, password=password or None,
                       clinician_email=clinician.strip() or None)  # fmt: skip
    except (InvalidInput, Conflict) as exc:
        db.rollback()
        message = exc.message if isinstance(exc, InvalidInput) else str(exc)
        return _page(
            request, db, error=message, values=values, status=422 if isinstance(exc, InvalidInput) else 409
        )
    return _page(request, db, message=f"Added {row.email} ({row.role}).")


@router.post("/admin/links", response_class=HTMLResponse)
def add_link(
    request: Request,
    admin: AdminDep,
    db: DbDep,
    now: NowDep,
    patient: Annotated[str, Form(max_length=254)] = "",
    clinician: Annotated[str, Form(max_length=254)] = "",
) -> Response:
    p, c = find_user(db, patient), find_user(db, clinician)
    if p is None or p.role != "patient":
        return _page(request, db, error=f"There is no patient with the email {patient}.", status=422)
    if c is None or c.role != "clinician":
        return _page(request, db, error=f"There is no clinician with the email {clinician}.", status=422)
    link(db, clinician_id=c.id, patient_id=p.id, now=now)
    return _page(request, db, message=f"{c.email} now cares for {p.email}.")


@router.post("/admin/users/{user_id}/password", response_class=HTMLResponse)
def reset_password(
    request: Request,
    admin: AdminDep,
    db: DbDep,
    now: NowDep,
    user_id: UserId,
    password: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    row = get_user(db, user_id)
    try:
        set_password(db, row, password, now=now)
    except InvalidInput as exc:
        return _page(request, db, error=exc.message, status=422)
    return _page(request, db, message=f"New password set for {row.email}. Their devices are logged out.")


@router.post("/admin/users/{user_id}/disabled", response_class=HTMLResponse)
def disable(
    request: Request,
    admin: AdminDep,
    db: DbDep,
    user_id: UserId,
    disabled: Annotated[str, Form(max_length=3)] = "yes",
) -> Response:
    row = get_user(db, user_id)
    if row.id == admin.id:
        return _page(request, db, error="You cannot disable your own account.", status=422)
    set_disabled(db, row, is_disabled=disabled == "yes")
    state = "disabled" if row.is_disabled else "enabled again"
    return _page(request, db, message=f"{row.email} is {state}.")


@router.get("/admin/audit", response_class=HTMLResponse)
def audit_page(request: Request, admin: AdminDep, db: DbDep) -> Response:
    checked, broken = audit.verify(db)
    names = {u.id: u.email for u in list_users(db)}
    return templates.TemplateResponse(
        request,
        "admin/audit.html",
        {
            "title": "Audit log",
            "rows": audit.recent(db, limit=300),
            "checked": checked,
            "broken": broken,
            "names": names,
        },
    )
