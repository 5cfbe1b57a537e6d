"""One rule per field, used by every model that takes it (API bodies, the pages' forms, the CLI).

Types are strict: pain `"5"` or `true` is not the number 5. Numbers and lists have bounds, so a
huge number is a 422 that names the field, never a database overflow."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, StrictBool, StringConstraints

from upright.catalog.schema import EQUIPMENT
from upright.catalog.vocabulary import PLACES

__all__ = [
    "MAX_ID",
    "PLACES",
    "ClientId",
    "Count",
    "Equipment",
    "Flag",
    "Id",
    "Location",
    "Pain",
    "Slug",
    "SlugList",
    "SmallInt",
]

MAX_ID = 2**31 - 1  # ids are 32-bit on PostgreSQL; anything larger names no record


def _known_location(value: str) -> str:
    if value not in PLACES:
        raise ValueError("choose one of: " + ", ".join(PLACES))
    return value


def _known_equipment(value: str) -> str:
    if value not in EQUIPMENT:
        raise ValueError("choose from: " + ", ".join(EQUIPMENT))
    return value


ClientId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{8,64}$")]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=60)]
SlugList = Annotated[list[Slug], Field(max_length=60)]
Id = Annotated[int, Field(strict=True, ge=1, le=MAX_ID)]
Pain = Annotated[int, Field(strict=True, ge=0, le=10, description="0 = no pain, 10 = the worst pain")]
Count = Annotated[int, Field(strict=True, ge=0, le=1000)]
SmallInt = Annotated[int, Field(strict=True, ge=-100_000, le=100_000)]  # the domain checks the real range
Flag = StrictBool
Location = Annotated[
    str,
    StringConstraints(max_length=60),
    AfterValidator(_known_location),
    Field(description="One of: " + ", ".join(PLACES)),
]
Equipment = Annotated[
    str,
    StringConstraints(max_length=60),
    AfterValidator(_known_equipment),
    Field(description="One of: " + ", ".join(EQUIPMENT)),
]
