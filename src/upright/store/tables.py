"""The tables. Every row with health data hangs off a person, so clinic mode can add accounts later
without moving data. Relationships are lazy="raise": a query says what it loads, or it fails loudly.

    people ─┬─ profiles        (1:1) setting, equipment, conditions, minutes, reminders, voice
            ├─ screenings      answers, outcome, reasons (newest one decides if a session may start)
            ├─ plans           the chosen program as the engine produced it (one is active)
            ├─ sessions ─┬─ session_items  per exercise: target next to what was done
            │            └─ pain_reports   "This hurts" and check-in scores
            └─ pain_reports    (also check-ins outside a session)
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    FetchedValue,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = [
    "Base",
    "PainReportRow",
    "PersonRow",
    "PlanRow",
    "ProfileRow",
    "ScreeningRow",
    "SessionItemRow",
    "SessionRow",
    "UTCDateTime",
]

# Stable constraint names, so later migrations can alter them on SQLite and PostgreSQL alike.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on every backend (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; pass an aware UTC time")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
    }


class PersonRow(Base):
    """A person whose data this is. Personal mode has exactly one, with key 'local'."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    # New (random) in the same transaction as any write to this person's rows, made by the database's
    # triggers (migration 0008, store/migrations/person_revision.py): the Today page's cache key.
    revision: Mapped[int] = mapped_column(BigInteger, server_default=FetchedValue())

    profile: Mapped[ProfileRow | None] = relationship(back_populates="person", lazy="raise", uselist=False)


class ProfileRow(Base):
    """What the person told us at onboarding and in Settings."""

    __tablename__ = "profiles"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    setting: Mapped[str] = mapped_column(String(16), default="home")
    equipment: Mapped[list[Any]] = mapped_column(default=list)
    conditions: Mapped[list[Any]] = mapped_column(default=list)
    minutes: Mapped[int] = mapped_column(Integer, default=15)
    focus: Mapped[str] = mapped_column(String(16), default="mixed")
    sessions_per_week: Mapped[int] = mapped_column(Integer, default=3)
    reminders_on: Mapped[bool] = mapped_column(Boolean, default=False)
    reminder_time: Mapped[str | None] = mapped_column(String(5), default=None)  # "HH:MM", local time
    voice_on: Mapped[bool] = mapped_column(Boolean, default=True)
    bell_on: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime]

    person: Mapped[PersonRow] = relationship(back_populates="profile", lazy="raise")

    __table_args__ = (
        CheckConstraint("minutes BETWEEN 1 AND 180", name="minutes_range"),
        CheckConstraint("sessions_per_week BETWEEN 1 AND 14", name="sessions_per_week_range"),
    )


class ScreeningRow(Base):
    """One completed screening. The newest one decides whether a session may start."""

    __tablename__ = "screenings"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    taken_at: Mapped[datetime]
    answers: Mapped[dict[str, Any]]  # question id -> answer, exactly as given
    outcome: Mapped[str] = mapped_column(String(24))
    reasons: Mapped[list[Any]]  # patient words
    blocks_sessions: Mapped[bool] = mapped_column(Boolean)  # emergency / seek_care_now
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)  # anything else the engine returned

    # migrations 0010, 0012: in the order the newest are read (time, then id)
    __table_args__ = (Index("ix_screenings_person_taken", "person_id", "taken_at", "id"),)


class PlanRow(Base):
    """A program the person chose: the engine's suggestion or a handout's, stored as produced."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]
    source: Mapped[str] = mapped_column(String(16))  # suggested, handout, imported (FHIR) or prescribed
    template_id: Mapped[str | None] = mapped_column(String(60), default=None)
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[dict[str, Any]]  # items (exercise, dose, reason), excluded, minutes, notes
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (Index("ix_plans_person_active", "person_id", "is_active"),)


class SessionRow(Base):
    """One guided session as the player reported it. `client_id` makes a resend harmless."""

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    client_id: Mapped[str] = mapped_column(String(64))
    content_hash: Mapped[str] = mapped_column(String(64))
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="SET NULL"), default=None)
    program: Mapped[str | None] = mapped_column(String(60), default=None)  # handout id when played directly
    player: Mapped[str] = mapped_column(String(16), default="web")  # web or terminal
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime]
    received_at: Mapped[datetime]
    outcome: Mapped[str] = mapped_column(String(24))  # completed, ended_early, stopped_for_pain
    end_pain: Mapped[int | None] = mapped_column(Integer, default=None)
    feeling: Mapped[str | None] = mapped_column(String(16), default=None)  # easier, as_expected, harder
    planned_seconds: Mapped[int | None] = mapped_column(Integer, default=None)  # the script's length
    active_seconds: Mapped[int | None] = mapped_column(Integer, default=None)  # time played, pauses left out

    items: Mapped[list[SessionItemRow]] = relationship(
        back_populates="session",
        lazy="raise",
        order_by="SessionItemRow.position",
        cascade="all, delete-orphan",
    )
    pain_reports: Mapped[list[PainReportRow]] = relationship(
        back_populates="session",
        lazy="raise",
        order_by="PainReportRow.taken_at",
        cascade="all, delete-orphan",
    )

    __table_args__ = (
        UniqueConstraint("person_id", "client_id", name="uq_sessions_person_client"),
        Index("ix_sessions_person_started", "person_id", "started_at", "id"),  # migration 0012
        CheckConstraint("end_pain IS NULL OR end_pain BETWEEN 0 AND 10", name="end_pain_range"),
    )


class SessionItemRow(Base):
    """One exercise in a session: the target next to what was done."""

    __tablename__ = "session_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    exercise_id: Mapped[str] = mapped_column(String(60))
    target_sets: Mapped[int] = mapped_column(Integer, default=1)
    target_reps: Mapped[int | None] = mapped_column(Integer, default=None)
    target_hold_seconds: Mapped[int | None] = mapped_column(Integer, default=None)
    each_side: Mapped[bool] = mapped_column(Boolean, default=False)
    reps_done: Mapped[int] = mapped_column(Integer, default=0)
    holds_done: Mapped[int] = mapped_column(Integer, default=0)
    sets_done: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(24))  # done, partial, skipped, stopped_for_pain

    session: Mapped[SessionRow] = relationship(back_populates="items", lazy="raise")

    __table_args__ = (
        CheckConstraint("reps_done >= 0 AND holds_done >= 0 AND sets_done >= 0", name="done_not_negative"),
    )


class PainReportRow(Base):
    """A pain score 0-10: during a session ("This hurts"), at its end, or a check-in on its own."""

    __tablename__ = "pain_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), default=None, index=True
    )
    taken_at: Mapped[datetime]
    score: Mapped[int] = mapped_column(Integer)
    context: Mapped[str] = mapped_column(String(16))  # during, end, check-in
    exercise_id: Mapped[str | None] = mapped_column(String(60), default=None)
    location: Mapped[str | None] = mapped_column(String(32), default=None)  # a fixed choice, never free text
    action: Mapped[str | None] = mapped_column(String(16), default=None)  # continue, skip, end
    red_flag: Mapped[bool] = mapped_column(Boolean, default=False)  # a warning sign reported with it

    session: Mapped[SessionRow | None] = relationship(back_populates="pain_reports", lazy="raise")

    __table_args__ = (
        CheckConstraint("score BETWEEN 0 AND 10", name="score_range"),
        Index("ix_pain_reports_person_taken", "person_id", "taken_at", "id"),  # migration 0012
    )
