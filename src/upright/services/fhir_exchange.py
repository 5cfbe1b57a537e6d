"""FHIR in and out for one person (the mapping itself is in exports/fhir; docs/FHIR.md).

Out: `person_history` gathers what the bundle is made from (the active plan read through the engine,
screenings, sessions, pain scores). In: `import_plan` turns a checked plan draft into the person's
active plan: every exercise known, every dose inside its handout's range unless a clinician wrote the
plan, nothing the person's conditions rule out. It stores one plan row or nothing; importing the same
plan again changes nothing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from upright.catalog import Catalog
from upright.domain.plan_draft import PlanDraft, draft_items
from upright.domain.planning import Plan, PlanInputs, PlanItem
from upright.domain.script import ScriptItem, compile_script
from upright.errors import NotFound
from upright.services.engine import check_items_suit
from upright.services.people import get_profile
from upright.services.plans import StoredPlan, plan_body, script_items_of
from upright.store import repositories as repo
from upright.store.tables import PainReportRow, PlanRow, ScreeningRow, SessionRow

__all__ = ["IMPORTED", "FhirHistory", "ImportResult", "import_plan", "person_history"]

IMPORTED = "imported"  # PlanRow.source of a plan that came in from a file


@dataclass(frozen=True)
class FhirHistory:
    """Everything exports.fhir.person_bundle needs (it satisfies exports.fhir.PersonHistory)."""

    id_seed: str
    plan: PlanRow | None
    plan_items: Sequence[ScriptItem]
    plan_author: str | None
    sessions_per_week: int
    screenings: Sequence[ScreeningRow]
    sessions: Sequence[SessionRow]
    pain: Sequence[PainReportRow]
    places: Mapping[str, str]


def _author(body: Mapping[str, Any]) -> str | None:
    author = body.get("author")
    return str(author["name"]) if isinstance(author, Mapping) and author.get("name") else None


def person_history(s: Session, person_id: int, *, catalog: Catalog) -> FhirHistory:
    person = repo.get_person(s, person_id)
    if person is None:
        raise NotFound("person", str(person_id))
    plan = repo.active_plan(s, person_id)
    items = script_items_of(list(plan.body.get("items", [])), catalog) if plan is not None else []
    return FhirHistory(
        id_seed=f"{person.key}|{person.created_at.isoformat()}",
        plan=plan,
        plan_items=items,
        plan_author=_author(plan.body) if plan is not None else None,
        sessions_per_week=get_profile(s, person_id).sessions_per_week,
        screenings=repo.list_screenings(s, person_id),
        sessions=list(reversed(repo.list_sessions(s, person_id))),
        pain=repo.pain_reports(s, person_id),
        places=catalog.vocabulary.places,
    )


@dataclass(frozen=True)
class ImportResult:
    plan: StoredPlan
    created: bool  # False: the same plan was already the active one


def _same_program(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    def key(body: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        return [(i["exercise"], i.get("position"), sorted(i["dose"].items())) for i in body.get("items", [])]

    return key(a) == key(b) and a.get("author") == b.get("author")


def import_plan(
    s: Session, person_id: int, draft: PlanDraft, *, catalog: Catalog, now: datetime
) -> ImportResult:
    """Check the draft and store it as the person's active plan (InvalidInput or UnsafeForPatient
    for the first problem; then nothing is stored)."""
    items = draft_items(draft, catalog)
    profile = get_profile(s, person_id)
    check_items_suit(catalog, items, profile.conditions)
    template = draft.template if draft.template in catalog.templates else None
    reason = (
        f"{draft.author} set this in your care plan." if draft.author else "It is in the plan you brought in."
    )
    plan = Plan(
        inputs=PlanInputs(
            setting=profile.setting,
            equipment=frozenset(profile.equipment),
            conditions=tuple(profile.conditions),
            minutes=float(profile.minutes),
            focus=profile.focus,
            template=template,
        ),
        title=draft.title,
        items=tuple(PlanItem(i.exercise, i.dose, i.where, reason) for i in items),
        excluded=(),
        seconds=compile_script(
            items, words=catalog.vocabulary, posture=catalog.posture, title=draft.title
        ).total_seconds,
    )
    body = plan_body(plan, catalog.vocabulary)
    if draft.author:
        body["author"] = {"role": "clinician", "name": draft.author}
    current = repo.active_plan(s, person_id)
    if current is not None and current.title == plan.title[:120] and _same_program(current.body, body):
        return ImportResult(StoredPlan(current), created=False)
    row = PlanRow(
        person_id=person_id,
        created_at=now,
        source=IMPORTED,
        template_id=template,
        title=plan.title[:120],
        body=body,
    )
    return ImportResult(StoredPlan(repo.add_plan(s, row)), created=True)
