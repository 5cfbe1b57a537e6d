"""This install's secrets: the form token, the calendar feed token and remote access (an access code,
stored only as an argon2 hash, and the key its login cookie carries).

Made once and kept in the database (store.install), so forms and calendar subscriptions keep working
across restarts. A new access code makes a new cookie key: every device has to log in again."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy.orm import Session

from upright.errors import InvalidInput
from upright.services.secret_hash import hash_secret, secret_matches
from upright.store.install import get_secret, set_secret

__all__ = [
    "MIN_ACCESS_CODE",
    "InstallSecrets",
    "access_code_matches",
    "has_access_code",
    "install_secrets",
    "new_access_code",
    "set_access_code",
    "tokens_match",
]

MIN_ACCESS_CODE = 12  # characters; a made-up code (new_access_code) is longer


@dataclass(frozen=True)
class InstallSecrets:
    csrf_token: str  # in every form (web/security.py checks it)
    calendar_token: str  # in the calendar feed's address (a calendar app cannot log in)
    login_key: str  # the login cookie's value, when remote access is on


def _made_once(s: Session, name: str) -> str:
    value = get_secret(s, name)
    if value is None:
        value = secrets.token_urlsafe(32)
        set_secret(s, name, value)
    return value


def install_secrets(s: Session) -> InstallSecrets:
    """This install's tokens, made the first time they are needed."""
    return InstallSecrets(_made_once(s, "csrf"), _made_once(s, "calendar"), _made_once(s, "login"))


def new_access_code() -> str:
    """A long random code that is still easy to type: 6 groups of 4 letters and digits."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i look-alikes
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(6))


def set_access_code(s: Session, code: str) -> None:
    """Store the code's hash (never the code) and a new login key (old logins end)."""
    if len(code) < MIN_ACCESS_CODE:
        raise InvalidInput(
            "UPRIGHT_ACCESS_CODE", f"the access code must have at least {MIN_ACCESS_CODE} characters"
        )
    set_secret(s, "access_hash", hash_secret(code))
    set_secret(s, "login", secrets.token_urlsafe(32))


def has_access_code(s: Session) -> bool:
    return get_secret(s, "access_hash") is not None


def access_code_matches(s: Session, code: str) -> bool:
    stored = get_secret(s, "access_hash")
    if stored is None:
        return False
    return secret_matches(stored, code)


def tokens_match(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())
