"""Words every player and stop screen shares, so the browser and the terminal say the same thing.

Plain words, short sentences (reading grade 5 or lower)."""

from __future__ import annotations

from typing import Final

__all__ = ["FEELINGS", "HIGH_PAIN", "HIGH_PAIN_ADVICE", "PAIN_ADVICE", "STOP_WORDS"]

STOP_WORDS: Final[dict[str, dict[str, object]]] = {
    "emergency": {
        "title": "Call your emergency number now",
        "lines": [
            "Call 911 in the US, 112 in Europe, or 999 in the UK.",
            "Do not exercise. Do not drive yourself.",
        ],
    },
    "seek_care_now": {
        "title": "Get medical care today",
        "lines": [
            "Call your doctor now, or go to urgent care.",
            "Do not exercise until a doctor has seen you.",
        ],
    },
}

HIGH_PAIN: Final = 7  # from this score on, the player does not offer to go on
PAIN_ADVICE: Final[tuple[str, ...]] = (
    "Ease off. Move less far, or go more slowly.",
    "Some stretch or soreness is normal at first. Sharp pain, or pain that keeps growing, is not.",
    "Get care now if you have chest pain, trouble breathing, new weakness or numbness, "
    "or pain so bad you cannot move.",
)
HIGH_PAIN_ADVICE: Final = (
    "Your pain is high. Please end the session for today. "
    "Call your doctor or therapist if it does not settle."
)
FEELINGS: Final[dict[str, str]] = {
    "easier": "Easier than I thought",
    "as_expected": "About right",
    "harder": "Harder than I thought",
}
