"""Check a bundle against the FHIR R4B models of `fhir.resources` (structure, types, cardinality).

Both ways use it: an export is checked before it leaves (a failure there is a bug in Upright), and an
import is refused with a message that names the resource and the element, e.g.
`CarePlan (entry[1]) activity[0].detail.status: Field required`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

from upright.errors import InvalidInput

__all__ = ["element_path", "validate_bundle"]


def element_path(loc: Sequence[str | int]) -> str:
    """('activity', 0, 'detail', 'status') -> 'activity[0].detail.status'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def _where(data: Mapping[str, Any], loc: Sequence[str | int]) -> tuple[str, str]:
    """(resource, element) for an error location inside a Bundle."""
    if len(loc) >= 3 and loc[0] == "entry" and isinstance(loc[1], int) and loc[2] == "resource":
        entries = data.get("entry")
        resource: Any = None
        if isinstance(entries, list) and loc[1] < len(entries) and isinstance(entries[loc[1]], Mapping):
            resource = entries[loc[1]].get("resource")
        kind = resource.get("resourceType", "resource") if isinstance(resource, Mapping) else "resource"
        rid = resource.get("id") if isinstance(resource, Mapping) else None
        name = f"{kind}/{rid}" if isinstance(rid, str) else str(kind)
        return f"{name} (entry[{loc[1]}])", element_path(loc[3:]) or "(the resource)"
    return "Bundle", element_path(loc) or "(the bundle)"


def _refuse(data: Mapping[str, Any], exc: ValidationError, prefix: tuple[str | int, ...]) -> InvalidInput:
    first = exc.errors()[0]
    resource, element = _where(data, (*prefix, *first["loc"]))
    count = exc.error_count()
    more = f" ({count - 1} more problem{'s' if count > 2 else ''} after this one)" if count > 1 else ""
    return InvalidInput(f"{resource} {element}", f"{first['msg']}{more}")


def validate_bundle(data: object) -> None:
    """Check the bundle with the R4B models, or raise InvalidInput naming the first bad resource and
    element. Each resource is checked with its own model (twice as fast as through Bundle's), and the
    bundle's own elements with Bundle's model."""
    if not isinstance(data, Mapping) or data.get("resourceType") != "Bundle":
        raise InvalidInput(
            "Bundle", 'the file must be a FHIR Bundle (a JSON object with "resourceType": "Bundle")'
        )
    entries = data.get("entry") or []
    shell = dict(data)
    if isinstance(entries, list):
        shell["entry"] = [
            {k: v for k, v in e.items() if k != "resource"} if isinstance(e, Mapping) else e for e in entries
        ]
    try:
        Bundle.model_validate(shell)
    except ValidationError as exc:
        raise _refuse(data, exc, ()) from None
    for i, entry in enumerate(entries):
        resource = entry.get("resource")
        if resource is None:
            continue
        kind = resource.get("resourceType") if isinstance(resource, Mapping) else None
        try:
            model = get_fhir_model_class(str(kind))
        except (KeyError, ValueError):
            raise InvalidInput(
                f"entry[{i}].resource.resourceType", f"{kind!r} is not a FHIR R4B resource type"
            ) from None
        try:
            model.model_validate(resource)
        except ValidationError as exc:
            raise _refuse(data, exc, ("entry", i, "resource")) from None
