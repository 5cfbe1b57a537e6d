"""The person's program: make it with the engine (domain.planning), store it as produced, load it back.

A stored plan is plain JSON (`PlanRow.body`), so an old plan still reads after the catalog changes:
it names exercises by id and carries its doses with their handout ranges. The person chooses between
the engine's suggestion and a handout program (which the engine adapts to their conditions too).

The JSON shape of a plan is the engine's (`upright plan --json`, services.engine.plan_json): items
(exercise, dose, reason), excluded (exercise, reason), minutes, notes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from upright.catalog import Catalog
from upright.catalog.vocabulary import Vocabulary
from upright.documents.plan import ChoosePlanIn, StoredPlanDoc
from upright.domain.planning import Plan, PlanInputs, make_plan
from upright.domain.script import ScriptItem
from upright.errors import InvalidInput, NotFound, UnsafeForPatient
from upright.services.engine import check_items_suit, items_from_json
from upright.services.people import get_profile
from upright.store import repositories as repo
from upright.store.tables import PlanRow

__all__ = [
    "StoredPlan",
    "active_plan",
    "choose_plan",
    "get_plan",
    "plan_body",
    "plan_inputs_of",
    "preview_plans",
    "refit_active_plan",
    "script_items_of",
]


def plan_body(plan: Plan, words: Vocabulary) -> dict[str, Any]:
    """The plan as stored and as the API shows it: the engine's plan JSON, plus the dose changes made
    after sessions (services.progression), newest last."""
    return StoredPlanDoc.of(plan, words).model_dump(mode="json")


class StoredPlan:
    """A stored plan with its rows' facts; `items` are the exercise entries of the body."""

    def __init__(self, row: PlanRow) -> None:
        self.row = row
        self.id = row.id
        self.title = row.title
        self.source = row.source
        self.template_id = row.template_id
        self.body = row.body

    @property
    def items(self) -> list[dict[str, Any]]:
        return list(self.body.get("items", []))

    @property
    def minutes(self) -> float:
        return float(self.body.get("minutes", 0.0))


def plan_inputs_of(s: Session, person_id: int, template: str | None) -> PlanInputs:
    """The engine's inputs from this person's profile (a handout program's id, or None: the suggestion)."""
    p = get_profile(s, person_id)
    return PlanInputs(
        setting=p.setting,
        equipment=frozenset(p.equipment),
        conditions=tuple(p.conditions),
        minutes=float(p.minutes),
        focus=p.focus,
        template=template,
    )


def preview_plans(s: Session, person_id: int, *, catalog: Catalog) -> tuple[Plan, list[Plan]]:
    """The engine's suggestion and every handout program, each fitted to this person (not stored)."""
    suggested = make_plan(catalog, plan_inputs_of(s, person_id, None))
    handouts = [make_plan(catalog, plan_inputs_of(s, person_id, tid)) for tid in catalog.templates]
    return suggested, handouts


def choose_plan(
    s: Session, person_id: int, choice: ChoosePlanIn, *, catalog: Catalog, now: datetime
) -> StoredPlan:
    """Make the chosen plan from the person's profile and store it as their active plan."""
    if choice.choice == "handout":
        if not choice.program:
            raise InvalidInput("program", "choose one of the handout programs")
        if choice.program not in catalog.templates:
            known = ", ".join(sorted(catalog.templates))
            raise InvalidInput("program", f"there is no program {choice.program!r}; choose from: {known}")
    template = choice.program if choice.choice == "handout" else None
    plan = make_plan(catalog, plan_inputs_of(s, person_id, template))
    if not plan.items:
        raise InvalidInput("choice", "no exercise fits what you told us; please ask your doctor or therapist")
    row = PlanRow(
        person_id=person_id,
        created_at=now,
        source=choice.choice,
        template_id=template,
        title=plan.title[:120],
        body=plan_body(plan, catalog.vocabulary),
    )
    return StoredPlan(repo.add_plan(s, row))


def refit_active_plan(s: Session, person_id: int, *, catalog: Catalog, now: datetime) -> StoredPlan | None:
    """After a condition is added (in Settings or at a screening): when the active plan holds an
    exercise the person's conditions now rule out, make a new plan of the same kind (the suggestion,
    or the same handout program) that respects them, and store it as the active plan. Its `excluded`
    list carries each reason. Returns the new plan, or None when the old one still suits."""
    current = active_plan(s, person_id)
    if current is None:
        return None
    try:
        check_items_suit(
            catalog, script_items_of(current.items, catalog), get_profile(s, person_id).conditions
        )
    except UnsafeForPatient:
        choice = ChoosePlanIn(choice="handout" if current.source == "handout" else "suggested",
                              program=current.template_id if current.source == "handout" else None)  # fmt: skip
        return choose_plan(s, person_id, choice, catalog=catalog, now=now)
    return None


def active_plan(s: Session, person_id: int) -> StoredPlan | None:
    row = repo.active_plan(s, person_id)
    return StoredPlan(row) if row is not None else None


def get_plan(s: Session, person_id: int, plan_id: int) -> StoredPlan:
    row = repo.get_plan(s, person_id, plan_id)
    if row is None:
        raise NotFound("plan", str(plan_id))
    return StoredPlan(row)


def script_items_of(
    items: list[dict[str, Any]], catalog: Catalog, *, title: str = "Your session"
) -> list[ScriptItem]:
    """Stored plan items back into the script compiler's input, through the engine's own reader (which
    checks every dose against its handout's range again)."""
    return items_from_json(catalog, {"title": title, "items": items})[1]
