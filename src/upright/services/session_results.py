"""Storing what a player reports after a session: checked, idempotent, all or nothing.

A player (browser or terminal) makes an id for each session before it starts and sends the whole
result once at the end. Sending again with the same id and the same content is harmless: the stored
record comes back. The same id with other content is a Conflict. Every value is checked before
anything is written, so a bad value stores nothing.

Players report, per exercise, which parts of its block they finished (`steps_done`, the `part` of each
step in the script). `count_done` turns them into the done counts and status through the one domain
tally (domain.tally), against the block rebuilt from the exercise and the reported target, so the
count does not depend on which player sent it, nor on the plan having changed since. A result in the
older shape (done counts and status, no steps) is still taken and stored as sent."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from upright.catalog import Catalog
from upright.documents.session_result import (
    Done,
    ItemOut,
    ItemResult,
    ItemStatus,
    PainOut,
    SessionResultIn,
    SessionResultOut,
    Target,
)
from upright.domain.dose import DoseRange, PlannedDose
from upright.domain.script import ScriptItem, exercise_parts, known_exercise
from upright.domain.tally import tally_item
from upright.errors import Conflict, InvalidInput
from upright.services.screenings import require_not_stopped
from upright.store import repositories as repo
from upright.store.tables import SessionRow

__all__ = [
    "StoredPain",
    "Submitted",
    "content_hash",
    "count_done",
    "item_values",
    "pain_values",
    "result_out",
    "session_values",
    "submit_session_result",
]

CLOCK_SLACK = timedelta(hours=26)  # a device clock may be off, or in another time zone setting


def content_hash(data: SessionResultIn) -> str:
    """The same content always gives the same hash (times normalised to UTC by the model)."""
    canonical = json.dumps(data.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def result_out(row: SessionRow) -> SessionResultOut:
    """A stored record read back (a resend, the history)."""
    columns = ("person_id", "client_id", "content_hash", "plan_id", "program", "player", "started_at", "ended_at",
               "received_at", "outcome", "end_pain", "feeling", "planned_seconds", "active_seconds")  # fmt: skip
    item_columns = ("position", "exercise_id", "target_sets", "target_reps", "target_hold_seconds", "each_side",
                    "sets_done", "reps_done", "holds_done", "status")  # fmt: skip
    return _out(
        row.id,
        {c: getattr(row, c) for c in columns},
        [{c: getattr(i, c) for c in item_columns} for i in row.items],
        [
            StoredPain(p.id, p.taken_at, p.score, p.context, p.exercise_id, p.action, p.location, p.red_flag)
            for p in row.pain_reports
        ],
    )


def _dose_of(target: Target) -> PlannedDose:
    """The reported target as a dose, to rebuild the exercise's block as the player played it."""
    hold, reps, sets = target.hold_seconds, target.reps, target.sets
    return PlannedDose(
        handout="",
        hold_seconds=hold,
        reps=reps,
        sets=sets,
        each_side=target.each_side,
        range=DoseRange(
            hold_seconds=(hold, hold) if hold else None,
            reps=(reps, reps) if reps else None,
            sets=(sets, sets),
        ),
        clinician_set=True,
    )


def _counted(item: ItemResult, n: int, catalog: Catalog) -> ItemResult:
    exercise = known_exercise(catalog.exercises, item.exercise, field=f"items[{n}].exercise")
    if item.steps_done is None:
        return item
    script_item = ScriptItem(exercise, _dose_of(item.target))
    parts = len(exercise_parts(script_item))
    beyond = [p for p in item.steps_done if p >= parts]
    if beyond:
        raise InvalidInput(
            f"items[{n}].steps_done",
            f"part {beyond[0]} is not in this exercise: with this target it has parts 0 to {parts - 1}",
        )
    counted = tally_item(script_item, set(item.steps_done))
    done = Done(sets=counted.sets, reps=counted.reps, holds=counted.holds)
    if item.done is not None and item.done != done:
        raise InvalidInput(
            f"items[{n}].done", "does not match steps_done; leave done out and the server counts it"
        )
    status: ItemStatus = counted.status
    if item.status == "stopped_for_pain":
        status = item.status
    elif item.status is not None and item.status != status:
        raise InvalidInput(f"items[{n}].status", f"the steps done say {status!r}, not {item.status!r}")
    return item.model_copy(update={"done": done, "status": status})


def count_done(data: SessionResultIn, catalog: Catalog) -> SessionResultIn:
    """The result with every exercise's done counts and status worked out from its `steps_done`."""
    items = [_counted(item, n, catalog) for n, item in enumerate(data.items)]
    return data.model_copy(update={"items": items})


def _check_references(
    s: Session, person_id: int, data: SessionResultIn, catalog: Catalog, now: datetime
) -> None:
    """Every reference names something that exists. The plan is only looked up here, not locked: the
    steps that move its doses lock it later (sessions.record_session), so results of one person wait
    for each other only for those steps, not for the whole write."""
    for i, report in enumerate(data.pain_reports):
        if report.exercise is not None:
            known_exercise(catalog.exercises, report.exercise, field=f"pain_reports[{i}].exercise")
    if data.plan_id is not None and not repo.has_plan(s, person_id, data.plan_id):
        raise InvalidInput("plan_id", f"there is no plan {data.plan_id} for you")
    if data.program is not None and data.program not in catalog.templates:
        raise InvalidInput("program", f"there is no program called {data.program!r}")
    if data.started_at > now + CLOCK_SLACK:
        raise InvalidInput("started_at", "this time is in the future; check the clock on your device")


def _same_or_conflict(
    s: Session, person_id: int, client_id: str, stored_hash: str, digest: str
) -> SessionResultOut:
    if stored_hash != digest:
        raise Conflict(
            "A different session result was already saved with this client_id. Make a new id for a new session."
        )
    existing = repo.find_session(s, person_id, client_id)  # a resend (rare): the whole stored record
    assert existing is not None
    return result_out(existing)


@dataclass(frozen=True)
class StoredPain:
    """A pain score as just stored: the columns the alert rules read (services.checkins.PainLike) and
    its new id, so nothing needs to read it back."""

    id: int
    taken_at: datetime
    score: int
    context: str
    exercise_id: str | None
    action: str | None
    location: str | None
    red_flag: bool


@dataclass(frozen=True)
class Submitted:
    """A stored result. A new one also carries what the steps after it read (the counted result and
    the new pain scores), so none of them reads back what was just written."""

    result: SessionResultOut
    created: bool
    counted: SessionResultIn | None = None
    pains: tuple[StoredPain, ...] = ()


def item_values(n: int, item: ItemResult) -> dict[str, Any]:
    """The `session_items` row of one counted exercise (without its session id)."""
    if item.done is None or item.status is None:  # count_done fills both in
        raise InvalidInput(f"items[{n}].done", "was not counted; send steps_done or done")
    return {
        "position": n,
        "exercise_id": item.exercise,
        "target_sets": item.target.sets,
        "target_reps": item.target.reps,
        "target_hold_seconds": item.target.hold_seconds,
        "each_side": item.target.each_side,
        "sets_done": item.done.sets,
        "reps_done": item.done.reps,
        "holds_done": item.done.holds,
        "status": item.status,
    }


def session_values(person_id: int, data: SessionResultIn, digest: str, now: datetime) -> dict[str, Any]:
    """The `sessions` row of a result (`digest`: its content_hash; `now`: when it arrived)."""
    return {
        "person_id": person_id,
        "client_id": data.client_id,
        "content_hash": digest,
        "plan_id": data.plan_id,
        "program": data.program,
        "player": data.player,
        "started_at": data.started_at,
        "ended_at": data.ended_at,
        "received_at": now,
        "outcome": data.outcome,
        "end_pain": data.check_in.pain,
        "feeling": data.check_in.feeling,
        "planned_seconds": data.planned_seconds,
        "active_seconds": data.active_seconds,
    }


def pain_values(person_id: int, data: SessionResultIn) -> list[dict[str, Any]]:
    """The `pain_reports` rows of a result (without their session id): each "This hurts" stop, then
    the end-of-session score. Every row has every column, so a batch of them inserts as one."""
    during = [
        {"person_id": person_id, "taken_at": p.at, "score": p.score, "context": "during",
         "exercise_id": p.exercise, "action": p.action, "location": None, "red_flag": False}
        for p in data.pain_reports
    ]  # fmt: skip
    if data.check_in.pain is None:
        return during
    end = {"person_id": person_id, "taken_at": data.ended_at, "score": data.check_in.pain, "context": "end",
           "exercise_id": None, "action": None, "location": data.check_in.location, "red_flag": False}  # fmt: skip
    return [*during, end]


def _out(session_id: int, session: dict[str, Any], items: Sequence[dict[str, Any]],
         pains: Sequence[StoredPain]) -> SessionResultOut:  # fmt: skip
    """The record as stored (times in UTC, as the database gives them back), from the values written."""
    return SessionResultOut(
        id=session_id,
        **{k: session[k] for k in _PLAIN},
        **{k: session[k].astimezone(UTC) for k in ("started_at", "ended_at", "received_at")},
        items=[
            ItemOut(
                exercise=i["exercise_id"],
                status=i["status"],
                target=Target(
                    sets=i["target_sets"],
                    reps=i["target_reps"],
                    hold_seconds=i["target_hold_seconds"],
                    each_side=i["each_side"],
                ),
                done=Done(sets=i["sets_done"], reps=i["reps_done"], holds=i["holds_done"]),
            )
            for i in items
        ],
        pain_reports=[
            PainOut(
                at=p.taken_at.astimezone(UTC),
                score=p.score,
                context=p.context,
                exercise=p.exercise_id,
                action=p.action,
                location=p.location,
            )
            for p in sorted(pains, key=lambda p: p.taken_at)  # stable: ties keep the order written
        ],
    )


_PLAIN = ("client_id", "plan_id", "program", "player", "outcome", "end_pain", "feeling", "planned_seconds",
          "active_seconds")  # fmt: skip


def submit_session_result(
    s: Session, person_id: int, data: SessionResultIn, *, catalog: Catalog, now: datetime
) -> Submitted:
    """Store a session result once: the record, and whether it was new.

    A handful of statements in the caller's one transaction: the stored hash for this client id, the
    plan's id, the newest screening's outcome, then one INSERT each for the session, its exercises
    and its pain scores. Raises InvalidInput (a value names its field), Conflict (same id, other
    content), SafetyStop (the newest screening says emergency or seek care now)."""
    digest = content_hash(data)
    stored_hash = repo.session_hash(s, person_id, data.client_id)
    if stored_hash is not None:
        return Submitted(_same_or_conflict(s, person_id, data.client_id, stored_hash, digest), created=False)
    data = count_done(data, catalog)
    _check_references(s, person_id, data, catalog, now)
    require_not_stopped(s, person_id)  # while a stop stands, no exercise is recorded (409 with its reason)
    session = session_values(person_id, data, digest, now)
    items = [item_values(n, item) for n, item in enumerate(data.items)]
    pains = pain_values(person_id, data)
    try:
        session_id, pain_ids = repo.insert_session(s, session, items, pains)
    except IntegrityError:
        # Another request stored this id between our look and our write: compare with theirs.
        s.rollback()
        stored_hash = repo.session_hash(s, person_id, data.client_id)
        if stored_hash is None:
            raise
        return Submitted(_same_or_conflict(s, person_id, data.client_id, stored_hash, digest), created=False)
    stored = tuple(
        StoredPain(id=pain_id, **{k: v for k, v in p.items() if k != "person_id"})
        for pain_id, p in zip(pain_ids, pains, strict=True)
    )
    return Submitted(_out(session_id, session, items, stored), True, data, stored)
