"""One mapper from a Pydantic validation error to Upright's field-named error (InvalidInput), for the
API, the CLI and every file Upright reads. Pure: no web or CLI types.

The field is written as a person reads it: `items[0].dose.reps`, `answers.night-pain`. The message is
our own sentence where a model gives one (a `ValueError` in a validator, or `field_error` for a field
named otherwise than its key), else Pydantic's words, lower-cased, without the final full stop."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from upright.errors import InvalidInput

__all__ = ["ErrorOut", "Problem", "field_error", "field_path", "invalid_input", "parse", "problems"]

M = TypeVar("M", bound=BaseModel)

NAMED = "upright_field"  # the error type of `field_error`: its context names the field


class Problem(BaseModel):
    field: str
    message: str


class ErrorOut(BaseModel):
    """What went wrong, in a sentence (`message`), and where (`field`, when one value is at fault)."""

    error: str
    message: str
    field: str | None = None
    problems: list[Problem] | None = None
    outcome: str | None = None  # a safety stop: the screening outcome
    reasons: list[str] | None = None  # a safety stop: why, in the person's words


def field_error(field: str, message: str) -> PydanticCustomError:
    """Raise this in a validator when the field a person knows differs from the key (the CLI's
    --condition for `conditions`)."""
    return PydanticCustomError(NAMED, "{message}", {"field": field, "message": message})


def field_path(loc: Sequence[str | int], *, dotted: bool = False) -> str:
    """("items", 0, "dose", "reps") -> "items[0].dose.reps" (files, the CLI), or "items.0.dose.reps"
    with `dotted` (the JSON API's request errors, as it has always named them)."""
    out = ""
    for part in loc:
        if isinstance(part, int) and not dotted:
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _message(err: ErrorDetails) -> str:
    if err["type"] == NAMED:
        return str((err.get("ctx") or {})["message"])
    if err["type"] == "value_error":  # our own sentence, from a validator
        return str(err["msg"]).removeprefix("Value error, ")
    msg = str(err["msg"]).rstrip(".")
    return msg[:1].lower() + msg[1:]


def _field(err: ErrorDetails, whole: str, dotted: bool) -> str:
    if err["type"] == NAMED:
        return str((err.get("ctx") or {})["field"])
    # Pydantic notes which member of a union (or which validator) it tried; a person never typed those.
    loc = [p for p in err["loc"] if isinstance(p, int) or not _is_internal(p)]
    return field_path(loc, dotted=dotted) or whole


def _is_internal(part: str) -> bool:
    """A step Pydantic adds to `loc` that no one typed: a validator, a union member, a dict key's
    own check ("[key]"); the names of the members of unions our models use."""
    return part == "[key]" or part.startswith(_INTERNAL_PREFIXES) or part in _UNION_MEMBERS


_INTERNAL_PREFIXES = ("function-", "union[", "list[", "dict[", "nullable[", "tuple[")
_UNION_MEMBERS = {"int", "str", "float", "bool", "none"}


def problems(
    errors: Sequence[ErrorDetails], *, whole: str = "(request)", dotted: bool = False
) -> list[tuple[str, str]]:
    """(field, message) for each error, in order; `whole` names a problem with the document itself."""
    return [(_field(e, whole, dotted), _message(e)) for e in errors]


def invalid_input(exc: ValidationError, *, whole: str = "(request)", prefix: str = "") -> InvalidInput:
    """The first problem as InvalidInput (`prefix` places a nested document: "plans[0].plan")."""
    field, message = problems(exc.errors(), whole=whole)[0]
    if prefix:
        field = prefix if field == whole else f"{prefix}{'' if field.startswith('[') else '.'}{field}"
    return InvalidInput(field, message)


def parse(model: type[M], data: Any, *, whole: str = "(request)") -> M:
    """`data` checked by `model`, or InvalidInput naming the first wrong field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid_input(exc, whole=whole) from None
