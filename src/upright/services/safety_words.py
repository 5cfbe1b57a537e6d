"""Words every player and stop screen shares, so the browser and the terminal say the same thing.

Plain words, short sentences (reading grade 5 or lower)."""

from __future__ import annotations

from typing import Final

from upright.config import get_settings

__all__ = [
    "HIGH_PAIN",
    "HIGH_PAIN_ADVICE",
    "PAIN_ADVICE",
    "STOP_WORDS",
    "emergency_number",
    "pain_advice",
    "stop_words",
    "use_emergency_number",
]

# The number every emergency message names. The app sets it once at start from its settings (a
# country setting, default from the locale); a command reads the settings when it was not set.
_NUMBER: list[str] = []


def use_emergency_number(number: str) -> None:
    _NUMBER[:] = [number]


def emergency_number() -> str:
    return _NUMBER[0] if _NUMBER else get_settings().effective_emergency_number


STOP_WORDS: Final[dict[str, dict[str, object]]] = {
    "emergency": {
        "title": "Call {number} now",
        "lines": [
            "Call {number} for an ambulance now. It is the emergency number.",
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


def stop_words(outcome: str) -> dict[str, object]:
    """The stop screen's title and lines for this outcome, with the emergency number filled in."""
    words = STOP_WORDS.get(outcome, STOP_WORDS["seek_care_now"])
    number = emergency_number()
    lines = [str(line).format(number=number) for line in words["lines"]]  # type: ignore[attr-defined]
    return {"title": str(words["title"]).format(number=number), "lines": lines}


HIGH_PAIN: Final = 7  # from this score on, the player does not offer to go on
PAIN_ADVICE: Final[tuple[str, ...]] = (
    "Ease off. Move less far, or go more slowly.",
    "Some stretch or soreness is normal at first. Sharp pain, or pain that keeps growing, is not.",
    "Get care now if you have new weakness or numbness, or pain so bad you cannot move.",
    "Chest pain or trouble breathing? Call {number} now.",
)


def pain_advice() -> tuple[str, ...]:
    """What to do when it hurts, with the emergency number filled in."""
    number = emergency_number()
    return tuple(line.format(number=number) for line in PAIN_ADVICE)


HIGH_PAIN_ADVICE: Final = (
    "Your pain is high. Please end the session for today. "
    "Call your doctor or therapist if it does not settle."
)
