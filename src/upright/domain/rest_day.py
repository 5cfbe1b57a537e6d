"""Whether exercise is advised right now, or the person should rest: one rule for every door.

Used by the break reminders (no prompt, no routine while resting) and by anything that offers
exercise. Pure: the caller gathers what happened today (in the person's own day) and passes it in.

    a screening says emergency or get care now   -> rest until a new check clears it
    a pain score of SEVERE_PAIN or more today    -> rest for the rest of the day
    a session stopped for pain today             -> rest for the rest of the day

Every answer carries its cause (an id, for code and tests) and one calm sentence for the person.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal

from upright.domain.progress import SEVERE_PAIN

__all__ = ["REST_SENTENCES", "RestAdvice", "RestCause", "rest_advice"]

RestCause = Literal["safety-stop", "severe-pain", "stopped-for-pain"]

REST_SENTENCES: Final[dict[RestCause, str]] = {
    "safety-stop": "Your safety check says not to exercise now. Rest, and follow its advice.",
    "severe-pain": "Your pain was high today, so rest for the rest of the day. No exercise breaks today.",
    "stopped-for-pain": "You stopped a session for pain today, so rest for the rest of the day.",
}


@dataclass(frozen=True)
class RestAdvice:
    cause: RestCause
    sentence: str


def rest_advice(
    *, is_safety_stop: bool, pain_scores_today: Iterable[int], stopped_for_pain_today: bool
) -> RestAdvice | None:
    """None when exercise may go ahead; otherwise the first cause that applies, most serious first."""
    cause: RestCause | None = None
    if is_safety_stop:
        cause = "safety-stop"
    elif any(score >= SEVERE_PAIN for score in pain_scores_today):
        cause = "severe-pain"
    elif stopped_for_pain_today:
        cause = "stopped-for-pain"
    return RestAdvice(cause, REST_SENTENCES[cause]) if cause else None
