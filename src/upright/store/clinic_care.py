"""Clinic care tables and their queries: prescriptions (versions), clearances and stored alerts.

    people ─┬─ prescriptions   one row per version (1, 2, 3 ...): what was asked, by whom, what changed
            ├─ clearances      "may start on <date>" or a hold; the newest decides
            └─ clinic_alerts   one row per person and event key (idempotent), with seen and a note

Alerts are written when the data arrives (services.clinic_alerts), not worked out on every read.
Created by migration 0007_clinic_care. Queries flush, never commit.

A row with no `author_id` was brought in from the patient's own export (services.data_import): it
is history. An imported clearance gates nothing (`latest_clearance` skips it): the clinician who set
it is not here to lift it. An imported alert's key is `import:<n>`, which no live event uses.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    Integer,
    Row,
    String,
    Table,
    UniqueConstraint,
    bindparam,
    func,
    select,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from upright.store.tables import Base

__all__ = [
    "ClearanceRow",
    "ClinicAlertRow",
    "PrescriptionRow",
    "add_alerts",
    "add_clearance",
    "add_prescription",
    "all_alerts",
    "all_clearances",
    "clearance_at",
    "get_alert",
    "latest_clearance",
    "latest_clearances",
    "latest_prescription",
    "latest_prescription_id",
    "latest_prescriptions",
    "list_alerts",
    "list_prescriptions",
    "open_alerts_for",
    "stored_keys",
]


class PrescriptionRow(Base):
    """One version of a clinician's prescription for a person."""

    __tablename__ = "prescriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]
    author_id: Mapped[int | None] = mapped_column(Integer, default=None)  # the clinician's account
    author_name: Mapped[str] = mapped_column(String(120))
    start_on: Mapped[date] = mapped_column(Date)
    per_week: Mapped[int] = mapped_column(Integer)  # sessions a week (days x times a day)
    body: Mapped[dict[str, Any]]  # items with doses and reasons, times a day, weeks, note, breaks
    summary: Mapped[dict[str, Any]]  # key -> short line (domain.prescription.summary)
    changes: Mapped[list[Any]]  # what changed from the version before, patient words
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="SET NULL"), default=None)

    __table_args__ = (UniqueConstraint("person_id", "version", name="uq_prescriptions_person_version"),)


class ClearanceRow(Base):
    """A clinician's word on when the person may start: cleared from a date, or a hold."""

    __tablename__ = "clearances"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]
    author_id: Mapped[int | None] = mapped_column(Integer, default=None)
    author_name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(8))  # cleared, hold
    start_on: Mapped[date | None] = mapped_column(Date, default=None)
    note: Mapped[str] = mapped_column(String(500), default="")

    __table_args__ = (Index("ix_clearances_person_created", "person_id", "created_at"),)


class ClinicAlertRow(Base):
    """An alert for the person's clinicians, stored once per event (`key`)."""

    __tablename__ = "clinic_alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))
    reason: Mapped[str] = mapped_column(String(500))
    at: Mapped[datetime]
    key: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime]
    seen_at: Mapped[datetime | None] = mapped_column(default=None)
    seen_by: Mapped[int | None] = mapped_column(Integer, default=None)
    seen_by_name: Mapped[str | None] = mapped_column(String(120), default=None)
    note: Mapped[str | None] = mapped_column(String(1000), default=None)

    __table_args__ = (
        UniqueConstraint("person_id", "key", name="uq_clinic_alerts_person_key"),
        Index("ix_clinic_alerts_person_seen", "person_id", "seen_at"),
    )


# ---- prescriptions -------------------------------------------------------------------------------


def add_prescription(s: Session, row: PrescriptionRow) -> PrescriptionRow:
    s.add(row)
    s.flush()
    return row


def latest_prescription_id(s: Session, person_id: int) -> int | None:
    """The id of the person's newest prescription (one column, one statement built once)."""
    return s.connection().execute(_LATEST_RX_ID, {"person_id": person_id}).scalar()


def latest_prescription(s: Session, person_id: int) -> PrescriptionRow | None:
    q = (
        select(PrescriptionRow)
        .where(PrescriptionRow.person_id == person_id)
        .order_by(PrescriptionRow.version.desc())
        .limit(1)
    )
    return s.scalars(q).first()


def list_prescriptions(s: Session, person_id: int) -> Sequence[PrescriptionRow]:
    """Newest version first."""
    q = (
        select(PrescriptionRow)
        .where(PrescriptionRow.person_id == person_id)
        .order_by(PrescriptionRow.version.desc())
    )
    return s.scalars(q).all()


def latest_prescriptions(s: Session, person_ids: Sequence[int]) -> dict[int, Any]:
    """(id, person_id, per_week, start_on) of the newest version for each of these people: one query
    for a whole panel, without the JSON bodies."""
    if not person_ids:
        return {}
    newest = (
        select(PrescriptionRow.person_id, func.max(PrescriptionRow.version).label("v"))
        .where(PrescriptionRow.person_id.in_(person_ids))
        .group_by(PrescriptionRow.person_id)
        .subquery()
    )
    q = select(
        PrescriptionRow.id, PrescriptionRow.person_id, PrescriptionRow.per_week, PrescriptionRow.start_on
    ).join(
        newest, (PrescriptionRow.person_id == newest.c.person_id) & (PrescriptionRow.version == newest.c.v)
    )
    return {r.person_id: r for r in s.execute(q)}


# ---- clearances ----------------------------------------------------------------------------------


def add_clearance(s: Session, row: ClearanceRow) -> ClearanceRow:
    s.add(row)
    s.flush()
    return row


def all_clearances(s: Session, person_id: int) -> Sequence[ClearanceRow]:
    """Every clearance, imported ones too, oldest first (for the patient's export)."""
    q = (
        select(ClearanceRow)
        .where(ClearanceRow.person_id == person_id)
        .order_by(ClearanceRow.created_at, ClearanceRow.id)
    )
    return s.scalars(q).all()


def latest_clearance(s: Session, person_id: int) -> ClearanceRow | None:
    """The newest clearance a clinician set here (an imported one is history, not a decision)."""
    q = (
        select(ClearanceRow)
        .where(ClearanceRow.person_id == person_id, ClearanceRow.author_id.is_not(None))
        .order_by(ClearanceRow.created_at.desc(), ClearanceRow.id.desc())
        .limit(1)
    )
    return s.scalars(q).first()


def clearance_at(
    s: Session, person_id: int, at: datetime
) -> Row[str, date | None, str, str, datetime] | None:
    """The clinician's word in force at `at`: the newest clearance set here by then, as plain values
    (kind, start_on, author_name, note, created_at). Every stored session asks (one statement built
    once, no ORM object)."""
    return s.connection().execute(_CLEARANCE_AT, {"person_id": person_id, "at": at}).first()


_CLEARANCE_AT = (
    select(ClearanceRow.kind, ClearanceRow.start_on, ClearanceRow.author_name, ClearanceRow.note,
           ClearanceRow.created_at)
    .where(
        ClearanceRow.person_id == bindparam("person_id"),
        ClearanceRow.author_id.is_not(None),
        ClearanceRow.created_at <= bindparam("at"),
    )
    .order_by(ClearanceRow.created_at.desc(), ClearanceRow.id.desc())
    .limit(1)
)  # fmt: skip


def latest_clearances(s: Session, person_ids: Sequence[int]) -> dict[int, ClearanceRow]:
    if not person_ids:
        return {}
    newest = (
        select(func.max(ClearanceRow.id).label("id"))
        .where(ClearanceRow.person_id.in_(person_ids), ClearanceRow.author_id.is_not(None))
        .group_by(ClearanceRow.person_id)
        .subquery()
    )
    q = select(ClearanceRow).where(ClearanceRow.id.in_(select(newest.c.id)))
    return {r.person_id: r for r in s.scalars(q)}


# ---- alerts --------------------------------------------------------------------------------------


def add_alerts(s: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Store each alert row (services.clinic_alerts.alert_values) unless its person has one with its
    key already: one statement for all of them. Safe when two requests store the same event at once:
    the database keeps one (ON CONFLICT DO NOTHING). Returns how many were new."""
    if not rows:
        return 0
    table = ClinicAlertRow.__table__
    assert isinstance(table, Table)
    insert = pg_insert if s.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(table).on_conflict_do_nothing(index_elements=["person_id", "key"]).returning(table.c.id)
    s.flush()
    return len(s.connection().execute(stmt, list(rows)).all())  # a row back: it was stored


def stored_keys(s: Session, person_ids: Sequence[int], keys: Sequence[str]) -> set[tuple[int, str]]:
    """Which of these (person, key) alerts are stored already (one query)."""
    if not person_ids or not keys:
        return set()
    q = select(ClinicAlertRow.person_id, ClinicAlertRow.key).where(
        ClinicAlertRow.person_id.in_(person_ids), ClinicAlertRow.key.in_(set(keys))
    )
    return {(pid, key) for pid, key in s.execute(q)}


def get_alert(s: Session, alert_id: int, *, for_update: bool = False) -> ClinicAlertRow | None:
    q = select(ClinicAlertRow).where(ClinicAlertRow.id == alert_id)
    if for_update:
        q = q.with_for_update()
    return s.scalars(q).first()


def all_alerts(s: Session, person_id: int) -> Sequence[ClinicAlertRow]:
    """Every alert, oldest first (for the patient's export)."""
    q = (
        select(ClinicAlertRow)
        .where(ClinicAlertRow.person_id == person_id)
        .order_by(ClinicAlertRow.at, ClinicAlertRow.created_at, ClinicAlertRow.id)
    )
    return s.scalars(q).all()


def list_alerts(s: Session, person_id: int, *, limit: int = 200) -> Sequence[ClinicAlertRow]:
    """Open ones first, then newest first."""
    q = (
        select(ClinicAlertRow)
        .where(ClinicAlertRow.person_id == person_id)
        .order_by(ClinicAlertRow.seen_at.is_not(None), ClinicAlertRow.at.desc(), ClinicAlertRow.id.desc())
        .limit(limit)
    )
    return s.scalars(q).all()


def open_alerts_for(s: Session, person_ids: Sequence[int]) -> dict[int, list[ClinicAlertRow]]:
    """Every open (not yet seen) alert of these people, newest first, in one query."""
    out: dict[int, list[ClinicAlertRow]] = {p: [] for p in person_ids}
    if not person_ids:
        return out
    q = (
        select(ClinicAlertRow)
        .where(ClinicAlertRow.person_id.in_(person_ids), ClinicAlertRow.seen_at.is_(None))
        .order_by(ClinicAlertRow.at.desc(), ClinicAlertRow.id.desc())
    )
    for r in s.scalars(q):
        out[r.person_id].append(r)
    return out


_LATEST_RX_ID = (
    select(PrescriptionRow.id)
    .where(PrescriptionRow.person_id == bindparam("person_id"))
    .order_by(PrescriptionRow.version.desc())
    .limit(1)
)
