"""Run the terminal player on a tiny real-time script in a pseudo-terminal (for test_terminal_ctrl_c).

Prints the result as one JSON line at the end. Real sleep and clock: Ctrl+C arrives as a real SIGINT."""

from __future__ import annotations

import json
import sys
import time

from rich.console import Console

from upright.catalog import builtin_vocabulary
from upright.cli.terminal_player import TerminalPlayer


def _step(
    n: int, kind: str, show: str, seconds: float, item: int | None, **extra: object
) -> dict[str, object]:
    return {
        "n": n, "kind": kind, "show": show, "say": show, "seconds": seconds, "item": item,
        "exercise_name": "Shoulder rolls" if item == 0 else "Chin tuck", "details": [], "rep": extra.get("rep"),
        "reps": extra.get("reps"), "set": extra.get("set"), "sets": extra.get("sets"), "side": None,
        "sides": None, "side_name": None, "needs_answer": kind == "pain-check", "part": extra.get("part"),
        "ends_rep": extra.get("part") is not None,
    }  # fmt: skip


def script(step_seconds: float) -> dict[str, object]:
    steps = [
        _step(0, "exercise", "Shoulder rolls", step_seconds, 0),
        _step(1, "move", "Roll up", step_seconds, 0, rep=1, reps=2, set=1, sets=1, part=0),
        _step(2, "move", "Roll up", step_seconds, 0, rep=2, reps=2, set=1, sets=1, part=1),
        _step(3, "exercise", "Chin tuck", step_seconds, 1),
        _step(4, "hold", "Hold", step_seconds, 1, rep=1, reps=1, set=1, sets=1, part=0),
        _step(5, "pain-check", "How is your pain?", 0.0, None),
    ]
    targets = [
        {"exercise": "shoulder-rolls", "name": "Shoulder rolls", "sets": 1, "reps": 2, "hold_seconds": None,
         "each_side": False},
        {"exercise": "chin-tuck", "name": "Chin tuck", "sets": 1, "reps": 1, "hold_seconds": 1,
         "each_side": False},
    ]  # fmt: skip
    return {"title": "Tiny session", "steps": steps, "targets": targets, "total_seconds": 5 * step_seconds,
            "plan_id": None, "program": None, "pain_threshold": 7}  # fmt: skip


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    console = Console(force_terminal=True, width=80)
    player = TerminalPlayer(
        script=script(seconds),
        console=console,
        sleep=time.sleep,
        clock=time.monotonic,
        words=builtin_vocabulary(),
    )
    result = player.play()
    print("RESULT " + json.dumps(result.model_dump(mode="json")), flush=True)


if __name__ == "__main__":
    main()
