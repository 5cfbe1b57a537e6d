"""Whether exercise is advised today, and why not: one rule for Today, the player and the API.

No exercise today after: a safety stop (emergency or seek care now) that still stands; any pain score
of 7 or more today (a check-in, "This hurts" in a session, the end of a session, the screening's own
score); or a session stopped for pain today. A later, lower check-in is welcome, but it does not undo
the day: pain that high is a reason to rest and watch, not to try again an hour later (CLINICAL.md
sections 3 and 4; handouts 000, 001, 002: pain is a reason to stop)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from upright.domain.progress import SEVERE_PAIN

__all__ = ["REST_AFTER_HIGH_PAIN", "REST_AFTER_PAIN_STOP", "REST_AFTER_SAFETY_STOP", "exercise_not_advised"]

REST_AFTER_SAFETY_STOP: Final = "A safety check said not to exercise. Please do what it says first."
REST_AFTER_HIGH_PAIN: Final = (
    "You said your pain was {score} out of 10 today. That is high, so there is no more exercise today. "
    "Rest, and try again tomorrow. Call your doctor or therapist if it does not settle."
)
REST_AFTER_PAIN_STOP: Final = (
    "You stopped a session today because it hurt. So there is no more exercise today. "
    "Rest, and try again tomorrow."
)


def exercise_not_advised(
    *, is_safety_stop: bool, pain_scores_today: Sequence[int], stopped_for_pain_today: bool
) -> str | None:
    """Why no exercise is advised today (patient words), or None when it is."""
    if is_safety_stop:
        return REST_AFTER_SAFETY_STOP
    worst = max(pain_scores_today, default=0)
    if worst >= SEVERE_PAIN:
        return REST_AFTER_HIGH_PAIN.format(score=worst)
    if stopped_for_pain_today:
        return REST_AFTER_PAIN_STOP
    return None
