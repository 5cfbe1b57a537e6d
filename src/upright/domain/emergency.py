"""The emergency number to show, from the person's country (ISO 3166 two-letter code).

Every emergency message names the number to call, as a frightened person should not have to look it
up. The country is a setting (`UPRIGHT_COUNTRY`); when it is not set, it comes from the locale
(`en_GB.UTF-8` -> GB). A country not listed gets 112, which works from mobile phones in most of the
world (GSM standard) and in every EU country."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

__all__ = ["DEFAULT_NUMBER", "EMERGENCY_NUMBERS", "country_from_locale", "emergency_number"]

DEFAULT_NUMBER: Final = "112"
# Sources: each country's official emergency services pages; the EU's 112 page (112 works in every
# EU country as well as the national numbers).
EMERGENCY_NUMBERS: Final[Mapping[str, str]] = {
    "US": "911", "CA": "911", "MX": "911", "PR": "911",
    "GB": "999", "IE": "112", "HK": "999", "SG": "995", "MY": "999",
    "AU": "000", "NZ": "111", "ZA": "112", "IN": "112",
    "JP": "119", "KR": "119", "CN": "120", "TW": "119",
    "BR": "192", "AR": "107", "CL": "131", "CO": "123",
    "CH": "144", "NO": "113", "IS": "112", "IL": "101", "TR": "112", "RU": "103", "UA": "103",
}  # fmt: skip


def emergency_number(country: str | None) -> str:
    """The number to call for an ambulance in this country (112 when not known)."""
    return EMERGENCY_NUMBERS.get((country or "").strip().upper(), DEFAULT_NUMBER)


def country_from_locale(locale: str | None) -> str | None:
    """The country part of a POSIX locale name: 'en_GB.UTF-8' -> 'GB'; 'C' or '' -> None."""
    if not locale:
        return None
    base = locale.split(".", 1)[0].split("@", 1)[0]
    if "_" not in base:
        return None
    country = base.split("_", 1)[1].upper()
    return country if len(country) == 2 and country.isalpha() else None
