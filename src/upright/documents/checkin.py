"""A pain check-in outside a session (POST /api/me/checkins, the Today page's form): the score, where
it hurts, and whether a warning sign came up since the last check."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from upright.documents.fields import Flag, Location, Pain

__all__ = ["CheckInIn", "CheckInOut"]


class CheckInIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pain: Pain
    location: Location | None = None
    red_flag: Flag = Field(
        False, description="A warning sign since the last check (asks for a new screening)"
    )


class CheckInOut(BaseModel):
    taken_at: datetime
    pain: int
    location: str | None
    red_flag: bool
