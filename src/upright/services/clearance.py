"""A clinician's clearance: "may start on <date>", or a hold (domain.clearance), stored and read back.

The newest clearance decides whether a session may start (`require_clearance`: the player and the break
routine ask it), and replaces the patient's own answer to the clearance question
(domain.clearance.reminders_after_clearance)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal, Protocol

from sqlalchemy.orm import Session

from upright.documents.clinic import ClearanceIn, ClearanceOut
from upright.domain.clearance import Clearance, clearance_stop
from upright.errors import InvalidInput, SafetyStop
from upright.store import clinic_care as store

__all__ = ["ClearanceLike", "clearance_from", "clearance_of", "require_clearance", "set_clearance"]


def set_clearance(
    s: Session, person_id: int, data: ClearanceIn, *, author_id: int, author_name: str, now: datetime
) -> ClearanceOut:
    """Store a clinician's clearance. `author_id` is their account: a clearance with none came in with
    an import and gates nothing (store.clinic_care)."""
    if data.kind == "cleared" and data.start_on is None:
        raise InvalidInput("start_on", "say from which day the patient may start")
    if data.kind == "hold" and data.start_on is not None:
        raise InvalidInput("start_on", "a hold has no start day; clear the patient when they may start")
    row = store.add_clearance(
        s,
        store.ClearanceRow(
            person_id=person_id, created_at=now, author_id=author_id, author_name=author_name[:120],
            kind=data.kind, start_on=data.start_on, note=data.note.strip(),
        ),
    )  # fmt: skip
    return ClearanceOut(
        kind=row.kind, start_on=row.start_on, note=row.note, by=row.author_name, at=row.created_at
    )


class ClearanceLike(Protocol):
    """What a clinician's word is read from: a ClearanceRow, or the plain values of store.clearance_at."""

    @property
    def kind(self) -> str: ...
    @property
    def start_on(self) -> date | None: ...
    @property
    def author_name(self) -> str: ...
    @property
    def note(self) -> str: ...


def clearance_from(row: ClearanceLike | None) -> Clearance | None:
    if row is None:
        return None
    kind: Literal["cleared", "hold"] = "hold" if row.kind == "hold" else "cleared"
    return Clearance(kind, row.start_on, row.author_name, row.note)


def clearance_of(s: Session, person_id: int) -> Clearance | None:
    """The clinician's word in force now (the newest set here)."""
    return clearance_from(store.latest_clearance(s, person_id))


def require_clearance(s: Session, person_id: int, *, today: date) -> None:
    """Raise SafetyStop("not_cleared") while a clinician's hold stands or their start day is to come."""
    stop = clearance_stop(clearance_of(s, person_id), today=today)
    if stop is not None:
        raise SafetyStop("not_cleared", [stop])
