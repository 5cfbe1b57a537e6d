"""Dependencies for clinic routes: who is calling, with which role, for which of their patients.

The gate (web/clinic_gate.py) has already checked the route's rule and left the caller in
`request.state.user`; these only read it (and check the role or the link once more, so a route that
forgets its rule still refuses)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Request

from upright.errors import LoginNeeded, NotAllowed, NotFound
from upright.services.accounts import SignedInUser, get_user, is_linked
from upright.web.patient_deps import DbDep

__all__ = [
    "AdminDep",
    "CaredPatient",
    "CaredPatientDep",
    "ClinicianDep",
    "CurrentUser",
    "SignedInUser",
    "require_role",
]


def _current_user(request: Request) -> SignedInUser:
    user = getattr(request.state, "user", None)
    if not isinstance(user, SignedInUser):
        raise LoginNeeded("Log in first (at /login).")
    return user


CurrentUser = Annotated[SignedInUser, Depends(_current_user)]


def require_role(role: str) -> Callable[[SignedInUser], SignedInUser]:
    """A dependency giving the caller when their role is `role` (403 otherwise)."""

    def check(user: CurrentUser) -> SignedInUser:
        if user.role != role:
            raise NotAllowed(f"A {user.role} account cannot open this.")
        return user

    return check


ClinicianDep = Annotated[SignedInUser, Depends(require_role("clinician"))]
AdminDep = Annotated[SignedInUser, Depends(require_role("admin"))]


@dataclass(frozen=True)
class CaredPatient:
    """A patient of the calling clinician. `person_id` is their health data (the existing services)."""

    id: int
    email: str
    name: str
    person_id: int | None
    is_disabled: bool


def _cared_patient(
    clinician: ClinicianDep, db: DbDep, patient_id: Annotated[int, Path(ge=1, le=2**31 - 1)]
) -> CaredPatient:
    if not is_linked(db, clinician_id=clinician.id, patient_id=patient_id):
        raise NotFound("patient", str(patient_id))
    row = get_user(db, patient_id)
    return CaredPatient(row.id, row.email, row.name, row.person_id, row.is_disabled)


CaredPatientDep = Annotated[CaredPatient, Depends(_cared_patient)]
