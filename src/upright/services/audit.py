"""The audit trail: one row for every read and write of a patient's data (who, what, when), chained by
hashes so a changed, removed or inserted row is found (`verify`).

Appending locks the one `audit_head` row (SELECT ... FOR UPDATE on PostgreSQL; SQLite has one writer
at a time anyway), so rows from several server processes form one chain."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from upright.services.accounts import SignedInUser
from upright.store.audit import GENESIS, AuditHeadRow, AuditRow

__all__ = ["Action", "Broken", "recent", "record", "row_hash", "verify"]

Action = Literal["read", "write"]


def row_hash(
    prev_hash: str,
    *,
    row_id: int,
    at: datetime,
    actor_id: int | None,
    actor_email: str,
    action: str,
    what: str,
    patient_id: int | None,
) -> str:
    """SHA-256 over the previous hash and this row's values (a fixed JSON form: same on every backend)."""
    values = {
        "id": row_id,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor_email": actor_email,
        "action": action,
        "what": what,
        "patient_id": patient_id,
    }
    text = prev_hash + json.dumps(values, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _head(s: Session) -> AuditHeadRow:
    """The head row, locked until the transaction ends (migration 0006 made it)."""
    head = s.scalar(select(AuditHeadRow).where(AuditHeadRow.id == 1).with_for_update())
    if head is None:
        raise RuntimeError("the audit log's head row is missing: the database was changed by hand")
    return head


def record(
    s: Session,
    *,
    actor: SignedInUser | None,
    action: Action,
    what: str,
    patient_id: int | None,
    now: datetime,
) -> None:
    """Append one row (flushes; the caller's transaction commits it). `actor` None: a command run on
    the server. `patient_id` is the patient's users.id. `what` names the route or the deed, never
    health details."""
    head = _head(s)
    row_id = head.last_id + 1
    at = now.astimezone(UTC)
    email = actor.email if actor is not None else "server command"
    actor_id = actor.id if actor is not None else None
    digest = row_hash(
        head.last_hash,
        row_id=row_id,
        at=at,
        actor_id=actor_id,
        actor_email=email,
        action=action,
        what=what[:200],
        patient_id=patient_id,
    )
    s.add(
        AuditRow(
            id=row_id,
            at=at,
            actor_id=actor_id,
            actor_email=email,
            action=action,
            what=what[:200],
            patient_id=patient_id,
            prev_hash=head.last_hash,
            hash=digest,
        )
    )
    head.last_id, head.last_hash = row_id, digest
    s.flush()


@dataclass(frozen=True)
class Broken:
    """Where the chain breaks and why, in words."""

    row_id: int
    reason: str


def verify(s: Session) -> tuple[int, Broken | None]:
    """(rows checked, the first break or None). Checks each row's hash, its link to the row before,
    that ids run 1, 2, 3 ... without a gap, and that the head names the last row."""
    prev, expected_id, count = GENESIS, 1, 0
    for row in s.scalars(select(AuditRow).order_by(AuditRow.id).execution_options(yield_per=1000)):
        if row.id != expected_id:
            return count, Broken(expected_id, f"row {expected_id} is missing")
        if row.prev_hash != prev:
            return count, Broken(row.id, f"row {row.id} does not follow the row before it")
        digest = row_hash(
            prev,
            row_id=row.id,
            at=row.at,
            actor_id=row.actor_id,
            actor_email=row.actor_email,
            action=row.action,
            what=row.what,
            patient_id=row.patient_id,
        )
        if digest != row.hash:
            return count, Broken(row.id, f"row {row.id} was changed after it was written")
        prev, expected_id, count = row.hash, expected_id + 1, count + 1
    head = s.get(AuditHeadRow, 1)
    if head is None:
        return count, Broken(count + 1, "the chain's head row is missing")
    if head.last_id != count or head.last_hash != prev:
        return count, Broken(count + 1, f"rows after row {count} are missing")
    return count, None


def recent(s: Session, *, limit: int = 200, before_id: int | None = None) -> list[AuditRow]:
    query = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(AuditRow.id < before_id)
    return list(s.scalars(query))
