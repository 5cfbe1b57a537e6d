"""Clinic care as clinicians' clients see it: a clearance, a stored alert and its "seen" note, and the
patient list (/api/clinic/...)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

__all__ = [
    "AlertOut",
    "ClearanceIn",
    "ClearanceOut",
    "OpenAlertOut",
    "PatientDetailOut",
    "PatientOut",
    "SeenIn",
]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClearanceIn(_In):
    kind: Literal["cleared", "hold"]
    start_on: date | None = Field(None, description="With 'cleared': the first day exercise may start")
    note: Annotated[str, StringConstraints(max_length=500)] = ""


class ClearanceOut(BaseModel):
    kind: str
    start_on: date | None
    note: str
    by: str
    at: datetime


class SeenIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    note: Annotated[str, StringConstraints(max_length=1000)] = ""


class AlertOut(BaseModel):
    id: int
    kind: str
    reason: str
    at: datetime
    seen_at: datetime | None = None
    seen_by: str | None = None
    note: str | None = None


class OpenAlertOut(BaseModel):
    id: int
    kind: str = Field(description="red-flag, severe-pain, stopped-for-pain, pain-rising, new-location, "
                      "no-improvement, low-adherence or no-session")  # fmt: skip
    reason: str
    at: datetime


class PatientBase(BaseModel):
    id: int
    email: str
    name: str
    is_enrolled: bool  # has set a password
    is_disabled: bool


class PatientOut(PatientBase):
    alerts: list[OpenAlertOut] = Field(description="Open alerts, newest first, each with its reason")
    adherence: float | None = Field(
        description="Share (0 to 1) of the prescribed sessions done in the last 7 days; null: no prescription"
    )
    last_session_at: datetime | None
    pain: list[int] = Field(description="The last few pain scores, oldest first")


class PatientDetailOut(PatientBase):
    plan_title: str | None
    last_session_at: str | None
