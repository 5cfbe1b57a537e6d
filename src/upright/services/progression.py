"""After a stored session: move each exercise's dose one step (domain.dose.next_dose) and say why.

Rules (the engine's; applied here to the stored plan):
- stopped for pain on an exercise -> step back;
- pain at the end >= 2 over the person's usual level -> step back everything that was done;
- an exercise done in full with pain at or below the usual level -> one step up (hold, reps, sets);
- skipped or partly done without pain -> stays the same; no end pain score -> nothing changes.

The usual level (baseline) is the first pain score the person gave: at onboarding, or else at the end
of their first session. It could move into the engine's progress module when that has one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row
from sqlalchemy.orm import Session

from upright.catalog import Catalog
from upright.documents.plan import DoseChangeDoc, PlanChangesDoc
from upright.documents.session_result import SessionResultIn
from upright.domain.dose import PAIN_RISE_STEP_BACK, next_dose
from upright.services.engine import dose_json, items_from_json
from upright.store import repositories as repo

__all__ = ["KEEP_CHANGES", "apply_progression", "pain_baseline"]

KEEP_CHANGES = 10  # the plan keeps its last few dose changes (the sessions keep the whole history)


def pain_baseline(s: Session, person_id: int) -> int | None:
    """The person's usual pain: their first recorded score outside a "This hurts" stop."""
    return repo.first_pain_score(s, person_id, ("check-in", "end"))


def apply_progression(
    s: Session,
    person_id: int,
    result: SessionResultIn,
    plan: Row[Any] | None,
    *,
    catalog: Catalog,
    now: datetime,
) -> list[dict[str, Any]]:
    """Update the played plan's doses for next time; returns the changes (each with its reason).

    `plan` is the played plan, its row locked (repositories.lock_plan): (id, source, is_active, body)."""
    pain = result.check_in.pain
    if plan is None or pain is None:
        return []
    if not plan.is_active or plan.source == "prescribed":
        return []  # a clinician's doses stay as they set them
    baseline = pain_baseline(s, person_id)
    baseline = pain if baseline is None else baseline
    rose = pain - baseline >= PAIN_RISE_STEP_BACK
    hurt = {p.exercise for p in result.pain_reports if p.exercise}
    done = {i.exercise: i.status for i in result.items}
    body = dict(plan.body)
    items = [dict(i) for i in body.get("items", [])]
    moving = []  # (item, stopped for pain) for each exercise whose dose may move
    for item in items:
        ex = item["exercise"]
        status = done.get(ex)
        stopped = ex in hurt or status == "stopped_for_pain"
        if status is None and not stopped:
            continue  # not reached in this session
        if not (stopped or status == "done" or rose):
            continue  # skipped or partly done without pain: keep the dose
        moving.append((item, stopped))
    # Each stored dose read back through the engine's checks (it still traces to its handout), all at once.
    current = items_from_json(catalog, {"items": [item for item, _ in moving]})[1] if moving else []
    changes: list[DoseChangeDoc] = []
    for (item, stopped), script_item in zip(moving, current, strict=True):
        ex = item["exercise"]
        change = next_dose(script_item.dose, pain=pain, baseline=baseline, stopped_for_pain=stopped)
        if change.direction != "same":
            item["dose"] = dose_json(change.after, catalog.vocabulary)
        changes.append(
            DoseChangeDoc(
                exercise=ex, name=item.get("name", ex), direction=change.direction, reason=change.reason
            )
        )
    history = list(body.get("changes", []))
    history.append(PlanChangesDoc(at=now, session=result.client_id, changes=changes).model_dump(mode="json"))
    body["items"] = items
    body["changes"] = history[-KEEP_CHANGES:]
    repo.set_plan_body(s, person_id, plan.id, body)
    return [c.model_dump(mode="json") for c in changes]
