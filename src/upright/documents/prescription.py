"""A clinician's prescription as clients send it and read it back (/api/clinic/patients/{id}/prescriptions):
the exercises and doses, how often, from when, work breaks, and what changed from the last version.
services.prescriptions checks it against the handouts (domain.prescription) and stores it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from upright.documents.fields import Slug, SmallInt
from upright.domain.prescription import MAX_NOTE

__all__ = ["BreaksIn", "PrescriptionIn", "PrescriptionItemIn", "PrescriptionOut"]

Reason = Annotated[str, StringConstraints(max_length=300)]


HHMM = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PrescriptionItemIn(_In):
    exercise: Slug
    handout: Annotated[str, StringConstraints(max_length=60)] | None = Field(
        None, description="The handout file the dose comes from (default: the gentlest that has it)"
    )
    hold_seconds: SmallInt | None = None
    reps: SmallInt | None = None
    sets: SmallInt | None = None
    position: Slug | None = None
    variant: Slug | None = None
    override_reason: Reason | None = Field(None, description="Why a number goes beyond the handout's range")
    times_per_day: SmallInt | None = Field(
        None,
        description="Times a day for this exercise (default: the prescription's times_per_day, "
        "else the handout's own, else 1)",
    )


class BreaksIn(_In):
    start: HHMM = Field(description="Work day start, HH:MM")
    end: HHMM = Field(description="Work day end, HH:MM")
    every_minutes: SmallInt = Field(description="Minutes between breaks, 15 to 120")
    exercises: Annotated[list[Slug], Field(max_length=30)] = Field(default_factory=list)


class PrescriptionIn(_In):
    items: Annotated[list[PrescriptionItemIn], Field(max_length=30)]
    per_week: SmallInt = Field(description="Days a week")
    times_per_day: SmallInt | None = Field(
        None, description="Times a day for every item that gives none of its own (default: the handout's)"
    )
    start: date = Field(description="The first day, YYYY-MM-DD")
    weeks: SmallInt = Field(6, description="How many weeks")
    note: Annotated[str, StringConstraints(max_length=MAX_NOTE)] = ""
    override_reason: Reason | None = Field(
        None, description="For every item beyond its range without its own"
    )
    breaks: BreaksIn | None = None


class PrescriptionOut(BaseModel):
    id: int
    version: int
    created_at: datetime
    author: str
    start: date
    per_week: int = Field(description="Days a week")
    times_per_day: int = Field(description="Full sessions a day: the times a day every item shares")
    sessions_per_week: int = Field(description="Full sessions a week (adherence counts against it)")
    weeks: int
    note: str
    items: list[dict[str, Any]]
    breaks: dict[str, Any] | None
    changes: list[str]
    excluded: list[dict[str, str]]
