"""The places a person can say it hurts (check-ins and screening share them)."""

from __future__ import annotations

__all__ = ["LOCATIONS"]

# Where it hurts: fixed choices, so no free text with health details is ever stored or logged.
LOCATIONS: dict[str, str] = {
    "neck": "Neck",
    "upper-back": "Upper back",
    "mid-back": "Middle of the back",
    "low-back": "Low back",
    "left-shoulder": "Left shoulder",
    "right-shoulder": "Right shoulder",
    "left-arm": "Left arm or hand",
    "right-arm": "Right arm or hand",
    "chest": "Chest",
    "head": "Head",
    "other": "Somewhere else",
}
