"""A clinician's clearance: "may start on <date>", or a hold on exercise.

The handouts say the doctor or therapist decides when to start. Once a clinician has said so, their
word replaces the patient's own answer to "Has your doctor or therapist said you can start?": the
reminder "no doctor has cleared you yet" goes, and a hold or a later start date stops every session
(the first one included) until the date comes or the hold is lifted. The newest clearance decides.
Without one, the patient's own answer stands (domain.screening)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from upright.domain.screening import CLEARANCE_REMINDER

__all__ = [
    "Clearance",
    "ClearanceKind",
    "clearance_stop",
    "is_cleared_by_clinician",
    "reminders_after_clearance",
]

ClearanceKind = Literal["cleared", "hold"]


@dataclass(frozen=True)
class Clearance:
    kind: ClearanceKind
    start_on: date | None  # "cleared": the first day exercise may start; "hold": None
    by: str  # the clinician's name, as the patient sees it
    note: str = ""


def _day(d: date) -> str:
    return f"{d:%A} {d.day} {d:%B %Y}"


def clearance_stop(clearance: Clearance | None, *, today: date) -> str | None:
    """Why no session may start today (a sentence for the patient), or None when it may."""
    if clearance is None:
        return None
    if clearance.kind == "hold":
        return f"{clearance.by} has put your exercise on hold. Please ask them before you start again."
    if clearance.start_on is not None and today < clearance.start_on:
        return f"{clearance.by} says you may start on {_day(clearance.start_on)}. Please wait until then."
    return None


def is_cleared_by_clinician(clearance: Clearance | None, *, today: date) -> bool:
    """A clinician has cleared the patient to exercise from today (their word, not the patient's)."""
    return (
        clearance is not None
        and clearance.kind == "cleared"
        and clearance_stop(clearance, today=today) is None
    )


def reminders_after_clearance(
    reminders: tuple[str, ...], clearance: Clearance | None, *, today: date
) -> tuple[str, ...]:
    """The session's reminders, without "no doctor or therapist has said you can start" once a
    clinician has (their word replaces the patient's own answer)."""
    if not is_cleared_by_clinician(clearance, today=today):
        return reminders
    return tuple(r for r in reminders if r != CLEARANCE_REMINDER)
