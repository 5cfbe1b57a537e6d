"""The person's profile (GET and PATCH /api/me/profile, onboarding and Settings, the export): where
they exercise, what they have, their conditions, time, focus, reminders, voice and bell."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from upright.documents.fields import Flag, SlugList

__all__ = ["ProfileIn", "ProfileOut"]


class ProfileIn(BaseModel):
    """Any subset of the profile; fields left out keep their value."""

    model_config = ConfigDict(extra="forbid")

    setting: Literal["home", "work"] | None = None
    equipment: (
        Annotated[list[Annotated[str, StringConstraints(max_length=60)]], Field(max_length=20)] | None
    ) = Field(None, description="What you have, e.g. resistance-band, dumbbells")
    conditions: SlugList | None = Field(None, description="Condition ids, e.g. knee-pain")
    minutes: int | None = Field(None, strict=True, ge=1, le=180, description="Minutes you have for a session")
    focus: Literal["mixed", "stretch", "strengthen", "posture"] | None = None
    sessions_per_week: int | None = Field(None, strict=True, ge=1, le=14)
    reminders_on: Flag | None = None
    reminder_time: Annotated[str, StringConstraints(max_length=5)] | None = Field(
        None, description="HH:MM, your local time"
    )
    voice_on: Flag | None = None
    bell_on: Flag | None = None


class ProfileOut(BaseModel):
    setting: str
    equipment: list[str]
    conditions: list[str]
    minutes: int
    focus: str
    sessions_per_week: int
    reminders_on: bool
    reminder_time: str | None
    voice_on: bool
    bell_on: bool
