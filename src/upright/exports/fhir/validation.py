"""Check a bundle against the FHIR R4B models of `fhir.resources` (structure, types, cardinality).

Both ways use it: an export is checked before it leaves (a failure there is a bug in Upright), and an
import is refused with a message that names the resource and the element, e.g.
`CarePlan (entry[1]) activity[0].detail.status: Field required`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

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


def validate_bundle(data: object) -> Bundle:
    """The bundle as R4B models, or InvalidInput naming the first bad resource and element."""
    if not isinstance(data, Mapping) or data.get("resourceType") != "Bundle":
        raise InvalidInput(
            "Bundle", 'the file must be a FHIR Bundle (a JSON object with "resourceType": "Bundle")'
        )
    try:
        return Bundle.model_validate(dict(data))
    except ValidationError as exc:
        first = exc.errors()[0]
        resource, element = _where(data, first["loc"])
        count = exc.error_count()
        more = f" ({count - 1} more problem{'s' if count > 2 else ''} after this one)" if count > 1 else ""
        raise InvalidInput(f"{resource} {element}", f"{first['msg']}{more}") from None
