"""A finished session as a player sends it (POST /api/me/sessions, the terminal player, a break
routine's result) and as Upright gives it back (the API, Progress, `upright sessions --json`).

The server counts what was done from `steps_done` (services.session_results, through domain.tally);
the older shape (done counts and status, no steps) is still taken."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from upright.catalog.schema import MAX_HOLD_SECONDS, MAX_REPS, MAX_SETS
from upright.documents.fields import ClientId, Count, Flag, Id, Location, Pain, Slug
from upright.documents.plan import DoseChangeDoc

__all__ = [
    "CheckIn",
    "Done",
    "ItemOut",
    "ItemResult",
    "ItemStatus",
    "PainOut",
    "PainReport",
    "RecordedOut",
    "SessionResultIn",
    "SessionResultOut",
    "Target",
]

MAX_SESSION = timedelta(hours=24)  # a paused session may sit for a while before its check-in


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Target(_In):
    sets: int = Field(1, strict=True, ge=1, le=MAX_SETS)
    reps: int | None = Field(None, strict=True, ge=1, le=MAX_REPS)
    hold_seconds: int | None = Field(None, strict=True, ge=1, le=MAX_HOLD_SECONDS)
    each_side: Flag = False


class Done(_In):
    sets: Count = 0
    reps: Count = 0
    holds: Count = 0


MAX_PARTS = 4000  # more than any exercise block can have (sets x reps x sides x phases, with rests)
ItemStatus = Literal["done", "partial", "skipped", "stopped_for_pain"]


class ItemResult(_In):
    """One exercise: the target from the script next to what was done.

    Send `steps_done` (the script's `part` numbers of this exercise that were finished): the server
    counts them. `status` is then only needed for "stopped_for_pain" (the steps cannot show it).
    Without `steps_done`, send `done` and `status` yourself (the older shape)."""

    exercise: Slug
    target: Target
    steps_done: list[Annotated[int, Field(strict=True, ge=0, lt=MAX_PARTS)]] | None = Field(
        None, max_length=MAX_PARTS, description="The parts of this exercise (`part` in the script) finished"
    )
    done: Done | None = None
    status: ItemStatus | None = None

    @model_validator(mode="after")
    def _steps_or_counts(self) -> ItemResult:
        if self.steps_done is None and (self.done is None or self.status is None):
            raise ValueError("give steps_done, or give both done and status")
        return self


class PainReport(_In):
    """A "This hurts" stop during the session: the score and what the person chose next."""

    at: AwareDatetime
    score: Pain
    exercise: Slug | None = None
    action: Literal["continue", "skip", "end"] | None = None


class CheckIn(_In):
    """The end-of-session check-in."""

    pain: Pain | None = None
    feeling: Literal["easier", "as_expected", "harder"] | None = None
    location: Location | None = None


class SessionResultIn(_In):
    client_id: ClientId = Field(description="Made by the player before the session starts (a UUID is fine)")
    plan_id: Id | None = Field(None, description="The plan played, if any")
    program: Slug | None = Field(None, description="The handout program played, when no plan was used")
    player: Literal["web", "terminal"] = "web"
    started_at: AwareDatetime
    ended_at: AwareDatetime
    outcome: Literal["completed", "ended_early", "stopped_for_pain"]
    planned_seconds: int | None = Field(None, strict=True, ge=0, le=6 * 3600)
    active_seconds: int | None = Field(None, strict=True, ge=0, le=6 * 3600)
    items: list[ItemResult] = Field(default_factory=list, max_length=60)
    pain_reports: list[PainReport] = Field(default_factory=list, max_length=60)
    check_in: CheckIn = Field(default_factory=CheckIn)

    @model_validator(mode="after")
    def _times(self) -> SessionResultIn:
        if self.ended_at < self.started_at:
            raise ValueError("ended_at is before started_at")
        if self.ended_at - self.started_at > MAX_SESSION:
            raise ValueError("a session cannot last more than 24 hours")
        return self


class ItemOut(BaseModel):
    exercise: str
    status: str
    target: Target
    done: Done


class PainOut(BaseModel):
    at: datetime
    score: int
    context: str
    exercise: str | None
    action: str | None
    location: str | None


class SessionResultOut(BaseModel):
    id: int
    client_id: str
    plan_id: int | None
    program: str | None
    player: str
    started_at: datetime
    ended_at: datetime
    received_at: datetime
    outcome: str
    end_pain: int | None
    feeling: str | None
    planned_seconds: int | None
    active_seconds: int | None
    items: list[ItemOut]
    pain_reports: list[PainOut]


class RecordedOut(SessionResultOut):
    """The stored session and the dose changes it made for next time (POST /api/me/sessions)."""

    dose_changes: list[DoseChangeDoc]
