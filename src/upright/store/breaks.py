"""Break tables and their queries: a person's break settings (one row) and break events (a log).

    people ─┬─ break_settings  (1:1) work days and hours, gap, limits, time zone
            ├─ break_events    prompted / taken / natural / postponed / skipped / paused / resumed
            └─ routine_results one row per break-routine result a player sent (its key and content)

The event log is the truth: the current state and the statistics are replayed from it
(domain.breaks). Rows only ever get added, never changed, so the desktop loop and the web page can
write at the same time. Created by migration 0002_breaks. Queries flush, never commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    bindparam,
    select,
    true,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from upright.store.tables import Base, PersonRow

__all__ = [
    "EVENT_KINDS",
    "BreakEventRow",
    "BreakSettingsRow",
    "RoutineResultRow",
    "add_break_event",
    "add_routine_result",
    "break_events_since",
    "find_break_event",
    "find_routine_result",
    "get_break_settings",
    "lock_breaks",
    "reminders_on",
    "save_break_settings",
]

EVENT_KINDS = ("prompted", "taken", "natural", "postponed", "skipped", "paused", "resumed")


class BreakSettingsRow(Base):
    """The person's break habits, as typed (domain.break_settings checks them)."""

    __tablename__ = "break_settings"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    every_minutes: Mapped[int] = mapped_column(Integer)
    start: Mapped[str] = mapped_column(String(5))  # "HH:MM" local time
    end: Mapped[str] = mapped_column(String(5))
    days: Mapped[str] = mapped_column(String(40))  # "mon-fri"
    days_off: Mapped[list[Any]]  # ISO dates
    postpone_minutes: Mapped[int] = mapped_column(Integer)
    max_postpones: Mapped[int] = mapped_column(Integer)
    natural_minutes: Mapped[int] = mapped_column(Integer)
    at_hand: Mapped[list[Any]]  # equipment at the desk
    timezone: Mapped[str] = mapped_column(String(64))  # IANA name, e.g. Europe/Paris
    # Opt-in (migration 0003): rows saved before then were people who chose breaks, so they start on.
    reminders_on: Mapped[bool] = mapped_column(Boolean, server_default=true())
    updated_at: Mapped[datetime]

    __table_args__ = (CheckConstraint("every_minutes BETWEEN 30 AND 60", name="every_minutes_range"),)


class BreakEventRow(Base):
    """One thing that happened to a break. `client` says which player recorded it (web, terminal)."""

    __tablename__ = "break_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime]
    until: Mapped[datetime | None] = mapped_column(default=None)
    exercises: Mapped[list[Any]] = mapped_column(default=list)
    idle_seconds: Mapped[int] = mapped_column(Integer, default=0)
    client: Mapped[str] = mapped_column(String(16), default="web")
    client_id: Mapped[str | None] = mapped_column(
        String(64), default=None
    )  # a player's result id: stored once

    __table_args__ = (
        Index("ix_break_events_person_at", "person_id", "at"),
        UniqueConstraint("person_id", "client_id", name="uq_break_events_person_client"),
        CheckConstraint(
            "kind IN ('prompted', 'taken', 'natural', 'postponed', 'skipped', 'paused', 'resumed')",
            name="kind_known",
        ),
    )


class RoutineResultRow(Base):
    """A break routine's result as the player sent it: the key makes a resend harmless, the hash
    tells a resend from other content under the same key. Migration 0004_trust."""

    __tablename__ = "routine_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    client_id: Mapped[str] = mapped_column(String(64))
    content_hash: Mapped[str] = mapped_column(String(64))
    taken: Mapped[bool] = mapped_column(Boolean)
    received_at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("person_id", "client_id", name="uq_routine_results_person_client"),)


def add_routine_result(s: Session, row: RoutineResultRow) -> RoutineResultRow:
    s.add(row)
    s.flush()
    return row


def find_routine_result(s: Session, person_id: int, client_id: str) -> RoutineResultRow | None:
    q = select(RoutineResultRow).where(
        RoutineResultRow.person_id == person_id, RoutineResultRow.client_id == client_id
    )
    return s.scalars(q).one_or_none()


def lock_breaks(s: Session, person_id: int) -> None:
    """Hold the person's row until the transaction ends, so two writers of break events (two tabs, the
    web page and `upright breaks`, two servers) read and extend the log one after the other; otherwise
    both could read "waiting" and both record the same break. PostgreSQL locks the row (NO KEY UPDATE:
    rows that only point at the person may still be added); SQLite's writers already take turns when
    the transaction begins (Database.write_sessions)."""

    s.execute(select(PersonRow.id).where(PersonRow.id == person_id).with_for_update(key_share=True))


def reminders_on(s: Session, person_id: int) -> bool:
    """Whether the person has break reminders on (one column; no settings saved: off)."""
    return bool(s.connection().execute(_REMINDERS_ON, {"person_id": person_id}).scalar())


def get_break_settings(s: Session, person_id: int) -> BreakSettingsRow | None:
    return s.get(BreakSettingsRow, person_id)


def save_break_settings(s: Session, person_id: int, *, now: datetime, **values: Any) -> BreakSettingsRow:
    row = s.get(BreakSettingsRow, person_id)
    if row is None:
        row = BreakSettingsRow(person_id=person_id, updated_at=now, **values)
        s.add(row)
    else:
        for name, value in values.items():
            setattr(row, name, value)
        row.updated_at = now
    s.flush()
    return row


def add_break_event(s: Session, row: BreakEventRow) -> BreakEventRow:
    s.add(row)
    s.flush()
    return row


def find_break_event(s: Session, person_id: int, client_id: str) -> BreakEventRow | None:
    q = select(BreakEventRow).where(
        BreakEventRow.person_id == person_id, BreakEventRow.client_id == client_id
    )
    return s.scalars(q).one_or_none()


def break_events_since(s: Session, person_id: int, since: datetime | None = None) -> Sequence[BreakEventRow]:
    """Oldest first (the order the state machine replays them); all of them when `since` is None."""
    q = select(BreakEventRow).where(BreakEventRow.person_id == person_id)
    if since is not None:
        q = q.where(BreakEventRow.at >= since)
    return s.scalars(q.order_by(BreakEventRow.at, BreakEventRow.id)).all()


_REMINDERS_ON = select(BreakSettingsRow.reminders_on).where(
    BreakSettingsRow.person_id == bindparam("person_id")
)
