"""Recording a finished session (result + dose progression, one transaction) and reading history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from upright.catalog import Catalog
from upright.documents.fields import MAX_ID
from upright.documents.session_result import SessionResultIn, SessionResultOut
from upright.errors import NotFound
from upright.services.breaks import count_session_as_break
from upright.services.clinic_alerts import note_session
from upright.services.progression import apply_progression
from upright.services.session_results import result_out, submit_session_result
from upright.store import repositories as repo

__all__ = ["RecordedSession", "get_session", "is_stored", "list_sessions", "record_session"]


class RecordedSession:
    def __init__(self, result: SessionResultOut, *, created: bool, changes: list[dict[str, Any]]) -> None:
        self.result = result
        self.created = created
        self.changes = changes


def record_session(
    s: Session, person_id: int, data: SessionResultIn, *, catalog: Catalog, now: datetime
) -> RecordedSession:
    """Store the result once and, the first time only, move the plan's doses for next time. A session
    is also a break from work: the next break reminder comes a full gap later."""
    stored = submit_session_result(s, person_id, data, catalog=catalog, now=now)
    if not stored.created or stored.counted is None:
        return RecordedSession(stored.result, created=False, changes=[])
    count_session_as_break(s, person_id, now=now)
    # From here to the commit, this person's other results wait (the plan's row lock): each moves the
    # doses the one before left, and its alerts see the pain scores of the one before. Everything
    # that does not need that order is done above, so the wait is short (on SQLite the whole write
    # takes turns anyway).
    plan = repo.lock_plan(s, person_id, data.plan_id) if data.plan_id is not None else None
    changes = apply_progression(s, person_id, stored.counted, plan, catalog=catalog, now=now)
    # Alerts for the clinician, stored once, from the values just written.
    note_session(s, person_id, stored.result, stored.pains, now=now, words=catalog.vocabulary)
    return RecordedSession(stored.result, created=True, changes=changes)


def list_sessions(s: Session, person_id: int, *, limit: int = 100) -> Sequence[SessionResultOut]:
    return [result_out(r) for r in repo.list_sessions(s, person_id, limit=limit)]


def get_session(s: Session, person_id: int, session_id: int) -> SessionResultOut:
    row = repo.get_session(s, person_id, session_id) if 1 <= session_id <= MAX_ID else None
    if row is None:  # an id too large for the database names no session: 404, like any unknown id
        raise NotFound("session", str(session_id))
    return result_out(row)


def is_stored(s: Session, person_id: int, client_id: str) -> bool:
    """Whether a session with this client id is stored already (a form sent twice)."""
    return repo.find_session(s, person_id, client_id) is not None
