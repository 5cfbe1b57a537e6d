"""Passwords and access codes are kept as argon2id hashes at RFC 9106's low-memory setting."""

from __future__ import annotations

from argon2 import Type, extract_parameters, profiles

from upright.services import secret_hash


def test_production_hashes_are_argon2id_at_the_rfc_9106_low_memory_setting() -> None:
    assert secret_hash.PARAMETERS == profiles.RFC_9106_LOW_MEMORY
    assert secret_hash.PARAMETERS.type is Type.ID
    assert secret_hash.PARAMETERS.memory_cost >= 64 * 1024 and secret_hash.PARAMETERS.time_cost >= 3


def test_a_hash_made_with_other_parameters_still_verifies() -> None:
    made = secret_hash.hash_secret("a long enough password")  # the suite's cheap setting
    assert extract_parameters(made).type is Type.ID
    assert secret_hash.secret_matches(made, "a long enough password")
    assert not secret_hash.secret_matches(made, "a long enough passworD")
    assert not secret_hash.secret_matches("not a hash", "a long enough password")
