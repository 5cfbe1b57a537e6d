"""Enrolment from the printed handout: a clinician adds a patient and picks a handout program; the
printout carries a one-time code (and its QR code). The patient types or scans the code, sets a
password, and finds the program waiting as their plan.

Only the code's SHA-256 is kept. A code works once, for ENROLMENT_DAYS; printing again makes a new
code and spends the old ones. Failed tries count towards the login throttle of the address."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from upright.catalog import Catalog
from upright.documents.plan import ChoosePlanIn
from upright.errors import InvalidInput
from upright.services.accounts import add_user, get_user, set_password
from upright.services.login import check_throttle, record_failure
from upright.services.plans import choose_plan
from upright.store.accounts import EnrolmentCodeRow, UserRow

__all__ = [
    "ENROLMENT_DAYS",
    "add_patient_with_program",
    "enrol",
    "new_enrolment_code",
    "normal_code",
]

ENROLMENT_DAYS: Final = 30
ALPHABET: Final = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i look-alikes
ENROL_THROTTLE_KEY: Final = "(enrolment code)"  # counted like a login email, per address
BAD_CODE: Final = (
    "That code does not work. Check it against your paper. A code works once, for 30 days; "
    "your doctor or therapist can print a new one."
)


def normal_code(code: str) -> str:
    """What a person typed, as stored: lower case, no spaces or dashes (they may type either)."""
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _hash(code: str) -> str:
    return hashlib.sha256(normal_code(code).encode()).hexdigest()


def new_enrolment_code(
    s: Session, *, patient_id: int, program_id: str | None, created_by: int | None, now: datetime
) -> str:
    """A new code for this patient (shown once, printed); older unused codes stop working."""
    s.execute(
        update(EnrolmentCodeRow)
        .where(EnrolmentCodeRow.patient_id == patient_id, EnrolmentCodeRow.used_at.is_(None))
        .values(used_at=now)
    )
    code = "-".join("".join(secrets.choice(ALPHABET) for _ in range(4)) for _ in range(3))
    s.add(
        EnrolmentCodeRow(
            code_hash=_hash(code),
            patient_id=patient_id,
            program_id=program_id,
            created_by=created_by,
            created_at=now,
            expires_at=now + timedelta(days=ENROLMENT_DAYS),
        )
    )
    s.flush()
    return code


def add_patient_with_program(
    s: Session,
    *,
    clinician_id: int,
    email: str,
    name: str,
    program_id: str,
    catalog: Catalog,
    now: datetime,
) -> tuple[UserRow, str]:
    """A new patient of this clinician, with the handout program as their plan; (the account, its code)."""
    if program_id not in catalog.templates:
        raise InvalidInput("program", "choose one of the handout programs")
    clinician = get_user(s, clinician_id)
    patient = add_user(s, email=email, name=name, role="patient", now=now, clinician_email=clinician.email)
    assert patient.person_id is not None
    choose_plan(
        s, patient.person_id, ChoosePlanIn(choice="handout", program=program_id), catalog=catalog, now=now
    )
    code = new_enrolment_code(
        s, patient_id=patient.id, program_id=program_id, created_by=clinician_id, now=now
    )
    return patient, code


def enrol(s: Session, *, code: str, password: str, address: str, now: datetime) -> UserRow:
    """Spend the code and set the patient's password; the account, ready to log in. A wrong code is
    counted against the address (the caller commits that even though this raises)."""
    check_throttle(s, email=None, address=address, now=now)  # one code guessed per address, not per code
    row = s.scalar(
        select(EnrolmentCodeRow).where(EnrolmentCodeRow.code_hash == _hash(code)).with_for_update()
    )
    patient = s.get(UserRow, row.patient_id) if row is not None else None
    if (
        row is None
        or row.used_at is not None
        or row.expires_at <= now
        or patient is None
        or patient.is_disabled
    ):
        record_failure(s, email=ENROL_THROTTLE_KEY, address=address, now=now)
        raise InvalidInput("code", BAD_CODE)
    set_password(s, patient, password, now=now)  # checks the length before anything is spent
    row.used_at = now
    s.flush()
    return patient
