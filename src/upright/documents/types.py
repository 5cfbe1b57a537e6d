"""Field types shared by the documents: each says what it accepts in plain words."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, StringConstraints

__all__ = ["YES", "IdList", "Pair", "Stamp", "Text", "YesNo", "id_list", "yes_no"]

YES = {"yes": True, "y": True, "true": True, "no": False, "n": False, "false": False}

Text = Annotated[str, StringConstraints(max_length=2000)]

# A time as Upright has always written it in JSON: datetime.isoformat() ("+00:00", never "Z").
Stamp = Annotated[datetime, PlainSerializer(lambda d: d.isoformat(), return_type=str, when_used="json")]

Pair = tuple[int, int]  # [low, high] in JSON


def yes_no(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in YES:
        return YES[value.strip().lower()]
    raise ValueError(f"answer yes or no (true or false); got {value!r}")


def id_list(value: object, example: str = "knee-pain") -> list[str]:
    """A list of ids, or one comma-separated string of them, stripped; blanks dropped."""
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValueError(f'give a list of names, like ["{example}"]')
    return [v.strip() for v in value if v.strip()]


def _ids(value: Any) -> list[str]:
    return id_list(value)


YesNo = Annotated[bool, BeforeValidator(yes_no)]
IdList = Annotated[list[Annotated[str, StringConstraints(max_length=60)]], BeforeValidator(_ids)]
