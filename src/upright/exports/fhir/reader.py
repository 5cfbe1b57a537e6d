"""Read a CarePlan bundle (e.g. from another Upright) into a plan draft (domain.plan_draft).

The bundle is first checked with the R4B models; then its one CarePlan is read: each activity's
`detail.instantiatesCanonical` names an ActivityDefinition in the bundle, whose Upright exercise code,
handout (`relatedArtifact.label`) and dose (`dosage[0]`) make one item. A Practitioner (or
PractitionerRole) as the CarePlan's author marks the doses as a clinician's. Every refusal names the
resource and the element; the draft is checked against the catalog by the caller's service."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from upright.domain.plan_draft import DraftItem, PlanDraft
from upright.errors import InvalidInput
from upright.exports.fhir.codes import (
    EACH_SIDE,
    EXERCISE_SYSTEM,
    PARAM_SYSTEM,
    PARAM_UNITS,
    POSITION_SYSTEM,
    UCUM,
    VARIANT_EXT,
    canonical,
)
from upright.exports.fhir.validation import validate_bundle

__all__ = ["read_plan_bundle"]

CLINICIANS = ("Practitioner", "PractitionerRole")
LEFT_OUT = ("cancelled", "stopped", "entered-in-error")  # activities that are not part of the plan
PLAN_STATUSES = ("active", "draft", "on-hold")


class _Entry:
    def __init__(self, index: int, full_url: str | None, resource: dict[str, Any]) -> None:
        self.index = index
        self.full_url = full_url
        self.resource = resource
        self.kind = str(resource.get("resourceType"))
        self.id = resource.get("id")

    @property
    def name(self) -> str:
        own = f"{self.kind}/{self.id}" if self.id else self.kind
        return f"{own} (entry[{self.index}])"

    def refuse(self, element: str, message: str) -> InvalidInput:
        return InvalidInput(f"{self.name} {element}", message)


def _entries(data: dict[str, Any]) -> list[_Entry]:
    return [
        _Entry(i, e.get("fullUrl"), e["resource"])
        for i, e in enumerate(data.get("entry", []))
        if isinstance(e.get("resource"), dict)
    ]


def _resolve(entries: list[_Entry], reference: str) -> _Entry | None:
    for e in entries:
        if reference in (e.full_url, f"{e.kind}/{e.id}"):
            return e
    return None


def _care_plan(entries: list[_Entry]) -> _Entry:
    plans = [e for e in entries if e.kind == "CarePlan"]
    if not plans:
        raise InvalidInput("Bundle entry", "there is no CarePlan in this bundle; Upright imports a CarePlan")
    if len(plans) > 1:
        active = [e for e in plans if e.resource.get("status") == "active"]
        if len(active) != 1:
            raise InvalidInput(
                "Bundle entry", f"there are {len(plans)} CarePlans and not exactly one is active; keep one"
            )
        return active[0]
    plan = plans[0]
    status = plan.resource.get("status")
    if status not in PLAN_STATUSES:
        raise plan.refuse(
            "status", f"the plan is {status!r}; Upright imports a plan that is {', '.join(PLAN_STATUSES)}"
        )
    return plan


def _author(entries: list[_Entry], plan: _Entry) -> str | None:
    author = plan.resource.get("author")
    ref = author.get("reference") if isinstance(author, dict) else None
    if not ref:
        return None
    found = _resolve(entries, ref)
    if found is None:
        raise plan.refuse("author.reference", f"{ref!r} is not in this bundle; include the author")
    if found.kind not in CLINICIANS:
        return None
    names = found.resource.get("name") or []
    first = names[0] if isinstance(names, list) and names else {}
    text = first.get("text") or " ".join([*first.get("given", []), first.get("family", "")]).strip()
    return str(text or (author.get("display") if isinstance(author, dict) else "") or "a clinician")


def _code(concept: object, system: str) -> tuple[int, str] | None:
    codings = concept.get("coding", []) if isinstance(concept, dict) else []
    for k, c in enumerate(codings):
        if c.get("system") == system and c.get("code"):
            return k, str(c["code"])
    return None


def _template(plan: _Entry) -> str | None:
    for url in plan.resource.get("instantiatesCanonical", []):
        prefix = canonical("PlanDefinition", "")
        if url.startswith(prefix):
            return str(url[len(prefix) :].split("|")[0]) or None
    return None


def _number(ad: _Entry, element: str, dose_and_rate: dict[str, Any], ucum: str) -> int:
    if "doseQuantity" not in dose_and_rate:
        raise ad.refuse(element, "give one number as doseQuantity (Upright keeps no dose range here)")
    qty = dose_and_rate["doseQuantity"]
    value = qty.get("value")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ad.refuse(f"{element}.doseQuantity.value", f"give a whole number; got {value!r}")
    if qty.get("code", ucum) != ucum or qty.get("system", UCUM) != UCUM:
        raise ad.refuse(
            f"{element}.doseQuantity.code", f"use the UCUM unit {ucum!r}; got {qty.get('code')!r}"
        )
    return value


def _item(ad: _Entry, exercise: str, code_element: str) -> DraftItem:
    res = ad.resource
    fields: dict[str, str] = {"exercise": code_element}
    handout = None
    for k, art in enumerate(res.get("relatedArtifact", [])):
        if art.get("type") == "derived-from" and art.get("label"):
            handout, fields["handout"] = str(art["label"]), f"relatedArtifact[{k}].label"
            break
    if handout is None:
        raise ad.refuse("relatedArtifact", "name the handout the dose comes from (type derived-from, label)")
    dosages = res.get("dosage") or [{}]
    dosage, numbers = dosages[0], {}
    for j, part in enumerate(dosage.get("doseAndRate", [])):
        element = f"dosage[0].doseAndRate[{j}]"
        found = _code(part.get("type"), PARAM_SYSTEM)
        if found is None or found[1] not in PARAM_UNITS:
            raise ad.refuse(f"{element}.type", f"name the part of the dose with system {PARAM_SYSTEM} "
                            f"and one of: {', '.join(PARAM_UNITS)}")  # fmt: skip
        param = found[1]
        if param in numbers:
            raise ad.refuse(f"{element}.type", f"{param} is given twice; give it once")
        numbers[param] = _number(ad, element, part, PARAM_UNITS[param][1])
        fields[param] = f"{element}.doseQuantity.value"
    each_side = _code(dosage.get("method"), EACH_SIDE[0]) is not None
    fields["each_side"] = "dosage[0].method"
    variant = None
    for k, ext in enumerate(dosage.get("extension", [])):
        if ext.get("url") == VARIANT_EXT:
            variant, fields["variant"] = ext.get("valueString"), f"dosage[0].extension[{k}].valueString"
    position = None
    for k, instruction in enumerate(dosage.get("additionalInstruction", [])):
        found = _code(instruction, POSITION_SYSTEM)
        if found is not None:
            position, fields["position"] = found[1], f"dosage[0].additionalInstruction[{k}]"
    return DraftItem(
        exercise=exercise,
        handout=handout,
        source=ad.name,
        hold_seconds=numbers.get("hold_seconds"),
        reps=numbers.get("reps"),
        sets=numbers.get("sets"),
        each_side=each_side,
        variant=variant,
        position=position,
        fields=fields,
    )


def _activity(entries: list[_Entry], plan: _Entry, k: int, activity: Mapping[str, Any]) -> DraftItem | None:
    detail = activity.get("detail")
    if not isinstance(detail, dict):
        raise plan.refuse(f"activity[{k}].detail", "give the activity's detail with instantiatesCanonical")
    if detail.get("status") in LEFT_OUT:
        return None
    urls = detail.get("instantiatesCanonical") or []
    if not urls:
        raise plan.refuse(
            f"activity[{k}].detail.instantiatesCanonical", "name the exercise's ActivityDefinition by its url"
        )
    url = str(urls[0]).split("|")[0]
    ad = next((e for e in entries if e.kind == "ActivityDefinition" and e.resource.get("url") == url), None)
    if ad is None:
        raise plan.refuse(
            f"activity[{k}].detail.instantiatesCanonical[0]",
            f"no ActivityDefinition with url {url!r} in this bundle",
        )
    found = _code(ad.resource.get("code"), EXERCISE_SYSTEM)
    if found is None:
        raise ad.refuse("code", f"no Upright exercise code (system {EXERCISE_SYSTEM}); Upright imports only "
                        "exercises from its catalog")  # fmt: skip
    return _item(ad, found[1], f"code.coding[{found[0]}].code")


def read_plan_bundle(data: object) -> PlanDraft:
    """The CarePlan in this bundle as a draft (not yet checked against the catalog)."""
    validate_bundle(data)
    assert isinstance(data, dict)
    entries = _entries(data)
    plan = _care_plan(entries)
    activities = plan.resource.get("activity") or []
    items = [item for k, a in enumerate(activities) if (item := _activity(entries, plan, k, a)) is not None]
    if not items:
        raise plan.refuse("activity", "the plan has no exercises to import")
    title = plan.resource.get("title") or "Imported plan"
    return PlanDraft(
        title=str(title)[:120], items=tuple(items), template=_template(plan), author=_author(entries, plan)
    )
