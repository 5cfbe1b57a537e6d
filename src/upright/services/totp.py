"""The optional second step for clinicians: a 6-digit code from an authenticator app (TOTP, RFC 6238,
with pyotp). Time is an argument, like everywhere else."""

from __future__ import annotations

from datetime import datetime

__all__ = ["new_totp_secret", "totp_matches", "totp_uri"]


def new_totp_secret() -> str:
    import pyotp

    return str(pyotp.random_base32())


def totp_uri(secret: str, email: str) -> str:
    """What the QR code holds, for the authenticator app to read."""
    import pyotp

    return str(pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name="Upright"))


def totp_matches(secret: str | None, code: str | None, *, now: datetime) -> bool:
    """The code is the one for now (or 30 seconds either side: clocks drift)."""
    import pyotp

    if not secret or not code:
        return False
    try:
        return bool(pyotp.TOTP(secret).verify(code.strip().replace(" ", ""), for_time=now, valid_window=1))
    except (ValueError, TypeError):  # not a base32 secret (a changed form)
        return False
