"""The clinician's panel: their patients, each with open alerts, adherence, recent pain and last
session, sorted by need (domain.clinic_alerts.panel_order). A few queries for the whole panel.

Reading the panel also stores the too-little-exercise alerts that are due (no event arrives when a
patient does nothing); each is stored once per week or gap, so reading again adds nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from upright.documents.clinic import AlertOut
from upright.domain.clinic_alerts import PanelEntry, panel_order
from upright.services.accounts import list_patients_of
from upright.services.clinic_alerts import PanelFacts, alert_out, note_idle, panel_facts
from upright.store import clinic_care as store
from upright.store import repositories as repo
from upright.store.accounts import UserRow

__all__ = ["PanelRow", "panel", "person_for_care"]


@dataclass(frozen=True)
class PanelRow(PanelEntry):
    user_id: int
    email: str
    name: str
    is_enrolled: bool
    is_disabled: bool
    alerts: tuple[AlertOut, ...]
    pains: tuple[int, ...]


def panel(s: Session, clinician_id: int, *, now: datetime) -> list[PanelRow]:
    users = list_patients_of(s, clinician_id)
    people = [u.person_id for u in users if u.person_id is not None]
    facts = panel_facts(s, people, now=now)
    note_idle(s, facts, now=now)
    open_alerts = store.open_alerts_for(s, people)
    empty = PanelFacts(0, None, None, (), None, None)
    rows = []
    for u in users:
        f = facts.get(u.person_id, empty) if u.person_id is not None else empty
        mine = tuple(alert_out(a) for a in open_alerts.get(u.person_id or 0, []))
        rows.append(
            PanelRow(
                person_id=u.person_id or 0, open_kinds=tuple(a.kind for a in mine), adherence=f.adherence,
                last_session=f.last_session, user_id=u.id, email=u.email, name=u.name,
                is_enrolled=u.password_hash is not None, is_disabled=u.is_disabled, alerts=mine, pains=f.pains,
            )
        )  # fmt: skip
    return panel_order(rows)


def person_for_care(s: Session, patient_id: int, person_id: int | None, *, now: datetime) -> int:
    """The patient's health-data person. A patient who deleted all their data has none: a new, empty
    one is made (as at their next login), so a prescription or clearance waits for them."""
    if person_id is not None:
        return person_id
    person = repo.ensure_person(s, f"user:{patient_id}", now=now)
    row = s.get(UserRow, patient_id)
    if row is not None:
        row.person_id = person.id
        s.flush()
    return person.id
