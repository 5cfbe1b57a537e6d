"""Clinic accounts: add people with a role, link clinicians and patients, passwords (argon2id), reset
and disable. A patient's health data is their own `people` row (users.person_id), made with the account.

Only the request or the command commits; these functions flush."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from upright.errors import Conflict, InvalidInput, LoginNeeded, NotAllowed, NotFound
from upright.services.secret_hash import hash_secret, secret_matches
from upright.store import repositories as repo
from upright.store.accounts import ROLES, CareLinkRow, UserRow
from upright.store.tables import PersonRow

__all__ = [
    "MIN_PASSWORD",
    "Role",
    "SignedInUser",
    "add_user",
    "check_password",
    "find_user",
    "get_user",
    "hash_password",
    "is_linked",
    "link",
    "list_patients_of",
    "list_users",
    "normal_email",
    "person_of_patient",
    "set_disabled",
    "set_password",
    "signed_in_user",
]

Role = Literal["patient", "clinician", "admin"]
MIN_PASSWORD = 10  # characters
MAX_PASSWORD = 200
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@cache
def _dummy_hash() -> str:
    """Verified against when the email is unknown, so an unknown email takes as long as a wrong
    password (made on first use: importing this module stays quick)."""
    return hash_secret("not a password anyone has")


@dataclass(frozen=True)
class SignedInUser:
    """Who is calling (plain values: safe to keep between requests, unlike a database row)."""

    id: int
    email: str
    name: str
    role: str
    person_id: int | None  # patients: their health data; None for clinicians and admins
    session_id: str = ""  # the login session's id ("" for commands run on the server)


def signed_in_user(row: UserRow, session_id: str = "") -> SignedInUser:
    return SignedInUser(row.id, row.email, row.name, row.role, row.person_id, session_id)


def normal_email(email: str) -> str:
    value = email.strip().lower()
    if not EMAIL.match(value) or len(value) > 254:
        raise InvalidInput("email", "give an email address like name@example.org")
    return value


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput("password", f"the password needs at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise InvalidInput("password", f"the password can have at most {MAX_PASSWORD} characters")
    return hash_secret(password)


def check_password(row: UserRow | None, password: str) -> bool:
    """Slow on purpose (argon2id), and just as slow for an unknown account."""
    stored = row.password_hash if row is not None and row.password_hash else _dummy_hash()
    ok = secret_matches(stored, password[:MAX_PASSWORD])
    return ok and row is not None and row.password_hash is not None


def find_user(s: Session, email: str) -> UserRow | None:
    return s.scalar(select(UserRow).where(UserRow.email == email.strip().lower()))


def get_user(s: Session, user_id: int) -> UserRow:
    row = s.get(UserRow, user_id)
    if row is None:
        raise NotFound("account", str(user_id))
    return row


def add_user(
    s: Session,
    *,
    email: str,
    role: str,
    now: datetime,
    name: str = "",
    password: str | None = None,
    clinician_email: str | None = None,
    is_demo: bool = False,
    password_hash: str | None = None,
) -> UserRow:
    """A new account. A patient gets their own `people` row; `clinician_email` links them to a
    clinician. Without a password a patient can only enrol with a printed code. `password_hash`: a
    password hashed already (hash_password), for many accounts with one password (the demo's)."""
    if role not in ROLES:
        raise InvalidInput("role", "the role must be patient, clinician or admin")
    address = normal_email(email)
    if find_user(s, address) is not None:
        raise Conflict(f"There is already an account for {address}.")
    clinician = None
    if clinician_email is not None:
        if role != "patient":
            raise InvalidInput("clinician", "only a patient has a clinician")
        clinician = find_user(s, clinician_email)
        if clinician is None or clinician.role != "clinician":
            raise InvalidInput("clinician", f"there is no clinician with the email {clinician_email.strip()}")
    clean_name = name.strip()[:120] or address.split("@")[0]
    row = UserRow(
        email=address,
        name=clean_name,
        role=role,
        password_hash=hash_password(password) if password is not None else password_hash,
        is_demo=is_demo,
        created_at=now,
        password_changed_at=now if password is not None or password_hash is not None else None,
    )
    s.add(row)
    s.flush()
    if role == "patient":
        person = repo.ensure_person(s, f"user:{row.id}", now=now)
        row.person_id = person.id
        s.flush()
    if clinician is not None:
        link(s, clinician_id=clinician.id, patient_id=row.id, now=now)
    return row


def link(s: Session, *, clinician_id: int, patient_id: int, now: datetime) -> None:
    """This clinician now cares for this patient (again is harmless)."""
    if s.get(CareLinkRow, (clinician_id, patient_id)) is None:
        s.add(CareLinkRow(clinician_id=clinician_id, patient_id=patient_id, created_at=now))
        s.flush()


def is_linked(s: Session, *, clinician_id: int, patient_id: int) -> bool:
    return s.get(CareLinkRow, (clinician_id, patient_id)) is not None


def list_patients_of(s: Session, clinician_id: int) -> list[UserRow]:
    """The clinician's patients, by name (disabled accounts too: their history still matters)."""
    query = (
        select(UserRow)
        .join(CareLinkRow, CareLinkRow.patient_id == UserRow.id)
        .where(CareLinkRow.clinician_id == clinician_id)
        .order_by(func.lower(UserRow.name), UserRow.id)
    )
    return list(s.scalars(query))


def list_users(s: Session) -> list[UserRow]:
    return list(s.scalars(select(UserRow).order_by(UserRow.role, func.lower(UserRow.email))))


def set_password(s: Session, row: UserRow, password: str, *, now: datetime) -> None:
    """A new password ends every login session of the account (a reset locks out whoever had it)."""
    from upright.services.login import end_sessions_of

    row.password_hash = hash_password(password)
    row.password_changed_at = now
    end_sessions_of(s, row.id)
    s.flush()


def set_disabled(s: Session, row: UserRow, *, is_disabled: bool) -> None:
    from upright.services.login import end_sessions_of

    row.is_disabled = is_disabled
    if is_disabled:
        end_sessions_of(s, row.id)
    s.flush()


def person_of_patient(s: Session, user: object, *, now: datetime) -> PersonRow:
    """The signed-in patient's health data. Made again when the patient deleted all their data."""
    if not isinstance(user, SignedInUser):
        raise LoginNeeded("Log in first (at /login).")
    if user.role != "patient":
        raise NotAllowed(f"A {user.role} account has no exercise data of its own.")
    person = repo.ensure_person(s, f"user:{user.id}", now=now)
    row = s.get(UserRow, user.id)
    if row is not None and row.person_id != person.id:
        row.person_id = person.id
        s.flush()
    return person
