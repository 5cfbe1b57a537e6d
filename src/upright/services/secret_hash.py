"""argon2id hashes of the secrets people type: clinic passwords and a personal install's access code.

Slow on purpose: RFC 9106's low-memory setting (argon2-cffi's default), so a stolen database is
costly to guess from. A stored hash carries its own parameters, so hashes made with another setting
(an older install, or the test suite, which hashes with argon2's cheapest parameters because it
checks who may log in, not how slow a guess is) still verify."""

from __future__ import annotations

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = ["PARAMETERS", "hash_secret", "secret_matches"]

PARAMETERS = profiles.RFC_9106_LOW_MEMORY
_hasher = PasswordHasher.from_parameters(PARAMETERS)


def hash_secret(text: str) -> str:
    return _hasher.hash(text)


def secret_matches(stored: str, text: str) -> bool:
    try:
        return _hasher.verify(stored, text)
    except (VerificationError, InvalidHashError):
        return False
