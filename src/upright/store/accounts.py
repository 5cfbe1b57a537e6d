"""Clinic mode's accounts: users and their roles, which clinician cares for which patient, login
sessions, failed logins (throttling) and one-time enrolment codes. Created by 0006_clinic_accounts.

A clinic patient's health data is the `people` row named by `users.person_id`: every existing table
already hangs off a person, so nothing about health data changes for clinic mode.

    users ─┬─ people          (patients only, 1:1) the patient's health data
           ├─ care_links      clinician ↔ patient (many to many)
           ├─ login_sessions  server-side sessions (the cookie holds a random key; its hash is the id)
           └─ enrolment_codes one-time codes printed on a handout
    login_failures            recent failed logins by email and by address

Queries flush, never commit: the request or the command commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from upright.store.tables import Base

__all__ = [
    "ROLES",
    "CareLinkRow",
    "EnrolmentCodeRow",
    "LoginFailureRow",
    "LoginSessionRow",
    "UserRow",
]

ROLES = ("patient", "clinician", "admin")


class UserRow(Base):
    """A person who logs in. Patients point at their `people` row; clinicians and admins have none."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str | None] = mapped_column(String(255), default=None)  # None: not enrolled yet
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), unique=True, default=None
    )
    is_disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    totp_secret: Mapped[str | None] = mapped_column(String(64), default=None)  # None: no second factor
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)  # made by `upright demo`
    created_at: Mapped[datetime]
    password_changed_at: Mapped[datetime | None] = mapped_column(default=None)

    __table_args__ = (CheckConstraint("role IN ('patient', 'clinician', 'admin')", name="role_known"),)


class CareLinkRow(Base):
    """This clinician cares for this patient (a patient may have more than one clinician)."""

    __tablename__ = "care_links"

    clinician_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime]


class LoginSessionRow(Base):
    """A signed-in browser or script. The cookie carries a random key; only its SHA-256 is kept, so a
    copy of the database cannot be used to sign in."""

    __tablename__ = "login_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 hex of the cookie value
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]


class LoginFailureRow(Base):
    """A failed login, counted per email and per address over the last minutes (throttling works
    across server processes because it lives here, not in one process's memory)."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]

    __table_args__ = (
        Index("ix_login_failures_email_at", "email", "at"),
        Index("ix_login_failures_address_at", "address", "at"),
    )


class EnrolmentCodeRow(Base):
    """A one-time code printed on a patient's handout. Only its hash is kept; used once, then spent."""

    __tablename__ = "enrolment_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex of the code
    patient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    program_id: Mapped[str | None] = mapped_column(String(60), default=None)  # the handout program
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(default=None)
