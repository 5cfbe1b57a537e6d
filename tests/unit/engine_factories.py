"""Plain factory functions for small, hand-made catalogs in the engine tests (schema models, no files)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from upright.catalog import Catalog
from upright.catalog.schema import (
    Condition,
    Exercise,
    HandoutTemplate,
    Phase,
    PostureChecklist,
    ScreeningQuestion,
)

HANDOUT = "004_8bf3a7f3e9f2d7d5.txt"
OTHER_HANDOUT = "000_7b31e79e88543bd0.txt"


def phases(*, hold: bool = True, sides: bool = False) -> list[Phase]:
    if sides:
        return [
            Phase(key="go-right", say="Go right.", seconds=2, side="right"),
            Phase(key="hold-right", say="Hold it.", hold=True, side="right"),
            Phase(key="go-left", say="Go left.", seconds=2, side="left"),
            Phase(key="hold-left", say="Hold it.", hold=True, side="left"),
        ]
    out = [Phase(key="move", say="Move slowly.", seconds=3, breath="in")]
    if hold:
        out.append(Phase(key="hold", say="Hold it.", hold=True))
    out.append(Phase(key="back", say="Come back.", seconds=2, breath="out"))
    return out


def exercise(ex_id: str = "test-move", **overrides: Any) -> Exercise:
    """An exercise with one dose; pass `dose={...}` to change the numbers, any field to change it."""
    dose: dict[str, Any] = {
        "handout": HANDOUT,
        "name_in_handout": "Test",
        "hold_seconds": [5, 15],
        "reps": [3, 6],
    }
    dose.update(overrides.pop("dose", {}))
    data: dict[str, Any] = {
        "id": ex_id,
        "name": ex_id.replace("-", " ").capitalize(),
        "purpose": "Helps you test.",
        "category": "stretch",
        "regions": ["neck"],
        "position": "sitting",
        "equipment": ["none"],
        "desk_friendly": True,
        "steps": ["Sit tall."],
        "phases": phases(hold=dose.get("hold_seconds") is not None),
        "doses": [dose],
    }
    data.update(overrides)
    return Exercise.model_validate(data)


def condition(cond_id: str = "knee-pain", **overrides: Any) -> Condition:
    data: dict[str, Any] = {
        "id": cond_id,
        "label": "I have knee pain.",
        "reason": "You said you have knee pain.",
        "excludes_positions": ["kneeling", "hands-and-knees"],
        "source": "test",
    }
    data.update(overrides)
    return Condition.model_validate(data)


def question(q_id: str, outcome: str, group: str = "organs", **extra: object) -> ScreeningQuestion:
    return ScreeningQuestion(
        id=q_id,
        group=group,  # type: ignore[arg-type]
        question=f"Question {q_id}?",
        outcome=outcome,  # type: ignore[arg-type]
        reason=f"Reason {q_id}.",
        source="test",
        **extra,  # type: ignore[arg-type]
    )


def small_catalog(
    exercises: Iterable[Exercise],
    *,
    conditions: Iterable[Condition] = (),
    screening: Iterable[ScreeningQuestion] = (),
    templates: Iterable[HandoutTemplate] = (),
    posture: PostureChecklist | None = None,
) -> Catalog:
    return Catalog(
        exercises={e.id: e for e in exercises},
        templates={t.id: t for t in templates},
        rules={},
        conditions={c.id: c for c in conditions},
        screening=tuple(screening),
        posture=posture,
    )


POSTURE = PostureChecklist(
    title="Your neutral posture",
    intro="Stand like this.",
    checks=("Feet under hips.", "Shoulders down.", "Chin level."),
    handout=HANDOUT,
)
