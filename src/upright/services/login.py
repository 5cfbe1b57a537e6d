"""Clinic logins: check a password (and a TOTP code when the account has one), throttle guessing per
account and per address, and keep server-side sessions in the database (so several server processes
share them and a logout or an idle limit holds everywhere).

The cookie carries a random key; the database keeps only its SHA-256. Clinicians are logged off
after CLINICIAN_IDLE without a request; patients and admins after PATIENT_IDLE."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from upright.errors import InvalidInput, TooManyTries
from upright.services.accounts import SignedInUser, check_password, find_user, signed_in_user
from upright.services.totp import totp_matches
from upright.store.accounts import LoginFailureRow, LoginSessionRow, UserRow

__all__ = [
    "ACCOUNT_TRIES",
    "ADDRESS_TRIES",
    "CLINICIAN_IDLE",
    "PATIENT_IDLE",
    "THROTTLE_WINDOW",
    "check_throttle",
    "end_session",
    "end_sessions_of",
    "log_in",
    "record_failure",
    "session_id_of",
    "start_session",
    "user_of_session",
]

CLINICIAN_IDLE: Final = timedelta(minutes=15)
PATIENT_IDLE: Final = timedelta(days=30)
THROTTLE_WINDOW: Final = timedelta(minutes=15)
ACCOUNT_TRIES: Final = 5  # failed logins for one email within the window, then a pause
ADDRESS_TRIES: Final = 20  # failed logins from one address within the window (many emails)
WRONG: Final = "That email and password do not match an account. Check them and try again."


def session_id_of(cookie: str) -> str:
    return hashlib.sha256(cookie.encode()).hexdigest()


def _idle_limit(role: str) -> timedelta:
    return CLINICIAN_IDLE if role == "clinician" else PATIENT_IDLE


def check_throttle(s: Session, *, email: str | None, address: str, now: datetime) -> None:
    """TooManyTries when this account (unless None) or this address failed too often in the window."""
    since = now - THROTTLE_WINDOW
    by_email = 0
    if email is not None:
        by_email = (
            s.scalar(select(func.count()).where(LoginFailureRow.email == email, LoginFailureRow.at > since))
            or 0
        )
    by_address = (
        s.scalar(select(func.count()).where(LoginFailureRow.address == address, LoginFailureRow.at > since))
        or 0
    )
    if by_email >= ACCOUNT_TRIES or by_address >= ADDRESS_TRIES:
        minutes = int(THROTTLE_WINDOW.total_seconds() // 60)
        raise TooManyTries(
            f"Too many wrong tries. Wait {minutes} minutes, then try again, or ask the practice to reset "
            "your password."
        )


def record_failure(s: Session, *, email: str, address: str, now: datetime) -> None:
    s.add(LoginFailureRow(email=email[:254], address=address[:64], at=now))
    s.flush()


def log_in(
    s: Session, *, email: str, password: str, address: str, now: datetime, totp_code: str | None = None
) -> UserRow:
    """The account for these credentials, or InvalidInput (a failure is counted; the caller commits
    it even though the login failed) or TooManyTries. A disabled account gets the same answer as a
    wrong password, so nobody learns which accounts exist."""
    email = email.strip().lower()[:254]
    check_throttle(s, email=email, address=address, now=now)
    row = find_user(s, email)
    if not check_password(row, password) or row is None or row.is_disabled:
        record_failure(s, email=email, address=address, now=now)
        raise InvalidInput("password", WRONG)
    if row.totp_secret is not None and not totp_matches(row.totp_secret, totp_code, now=now):
        record_failure(s, email=email, address=address, now=now)
        raise InvalidInput("totp", "Type the 6-digit code from your authenticator app.")
    s.execute(delete(LoginFailureRow).where(LoginFailureRow.email == email))
    return row


def start_session(s: Session, user: UserRow, *, now: datetime) -> str:
    """A new login session; returns the cookie value (shown once, never stored)."""
    cookie = secrets.token_urlsafe(32)
    s.add(LoginSessionRow(id=session_id_of(cookie), user_id=user.id, created_at=now, last_seen_at=now))
    s.flush()
    return cookie


def user_of_session(s: Session, cookie: str | None, *, now: datetime) -> SignedInUser | None:
    """The signed-in user for this cookie, or None when there is none, it ended, it idled out or the
    account is disabled. A live session is marked seen now (that is what keeps it alive)."""
    if not cookie:
        return None
    session_id = session_id_of(cookie)
    found = s.execute(
        select(LoginSessionRow, UserRow)
        .join(UserRow, UserRow.id == LoginSessionRow.user_id)
        .where(LoginSessionRow.id == session_id)
    ).first()
    if found is None:
        return None
    session, user = found
    if user.is_disabled or now - session.last_seen_at > _idle_limit(user.role):
        s.delete(session)
        s.flush()
        return None
    if now - session.last_seen_at > timedelta(seconds=30):  # fewer writes: idle limits are minutes
        session.last_seen_at = now
        s.flush()
    return signed_in_user(user, session_id)


def end_session(s: Session, cookie: str | None) -> None:
    if cookie:
        s.execute(delete(LoginSessionRow).where(LoginSessionRow.id == session_id_of(cookie)))


def end_sessions_of(s: Session, user_id: int) -> None:
    s.execute(delete(LoginSessionRow).where(LoginSessionRow.user_id == user_id))
