"""`upright screen`, `upright plan`, `upright script`: the rules engine from the terminal.

Each prints for people by default and stable JSON with --json (the same shapes as /api/screening,
/api/plan and /api/script). A screening that blocks sessions still exits 0: the check itself worked;
read `can_start_session` (or the red headline). Bad input exits 1 with one sentence naming the field."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Optional

import typer

from upright.catalog import Catalog
from upright.cli import clock
from upright.cli.catalog_source import cli_catalog
from upright.cli.output import console, exits_on_error, print_json
from upright.domain.planning import FOCUSES, SETTINGS
from upright.domain.screening import ScreeningResult
from upright.errors import InvalidInput
from upright.services.engine import (
    build_script,
    plan_inputs,
    plan_json,
    questions_json,
    run_plan,
    run_screening,
    screening_json,
    script_json,
)

__all__ = ["register"]

OUTCOME_STYLE = {
    "emergency": "bold white on red",
    "seek_care_now": "bold red",
    "call_clinician": "bold yellow",
    "see_clinician_soon": "bold yellow",
    "ok": "bold green",
}


def _read_json(source: str, field: str) -> Any:
    """JSON from a file path, or from standard input for '-'."""
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(field, f"cannot read {source}: {exc.strerror or exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(field, f"{source} is not valid JSON (line {exc.lineno}: {exc.msg})") from None


def _ask(catalog: Catalog) -> dict[str, Any]:
    """Ask every question in the terminal; each one needs a y or an n (pressing Enter is not a "no")."""
    q = questions_json(catalog)
    console.print("[bold]Safety questions.[/] Answer each one with y (yes) or n (no).\n")
    answers = {item["id"]: typer.confirm(item["text"], default=None) for item in q["questions"]}
    cleared = typer.confirm(q["clearance"]["text"], default=None)
    console.print("\n[bold]Do any of these apply to you?[/]")
    conditions = [c["id"] for c in q["conditions"] if typer.confirm(c["label"], default=None)]
    return {"answers": answers, "cleared_by_clinician": cleared, "conditions": conditions}


def _show_screening(result: ScreeningResult) -> None:
    data = screening_json(result)
    console.print(f"\n[{OUTCOME_STYLE[result.outcome]}]{result.advice}[/]")
    for reason in data["reasons"]:
        console.print(f"  • {reason}", highlight=False)
    if not data["can_start_session"]:
        console.print("[bold]No session can start until a new check clears you.[/]")


def _minutes(seconds: float) -> str:
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"


def register(app: typer.Typer) -> None:
    @app.command()
    @exits_on_error
    def screen(
        answers: Optional[str] = typer.Option(  # noqa: UP045 (Typer needs Optional here)
            None, "--answers", metavar="FILE.json", help="Answers file (docs/ENGINE.md); '-' reads stdin."
        ),
        as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
    ) -> None:
        """Safety check before exercise: red flags, clinician clearance, conditions."""
        cat = cli_catalog()
        data = _read_json(answers, "answers") if answers else _ask(cat)
        result = run_screening(cat, data, at=clock.now())
        if as_json:
            print_json(screening_json(result))
        else:
            _show_screening(result)

    @app.command()
    @exits_on_error
    def plan(
        setting: str = typer.Option("home", help=f"Where you exercise: {' or '.join(SETTINGS)}."),
        equipment: Optional[list[str]] = typer.Option(  # noqa: UP045
            None, help="What you have: band, dumbbells, mat, wall, doorway, ... (comma-separate or repeat)."
        ),
        condition: Optional[list[str]] = typer.Option(  # noqa: UP045
            None, help="Conditions to respect, e.g. knee-pain (comma-separate or repeat)."
        ),
        minutes: str = typer.Option(  # text, so "five" gets our own message (exit 1), not a usage error
            "15", help="Minutes you have for one session: more than 0, at most 180."
        ),
        focus: str = typer.Option("mixed", help=f"One of: {', '.join(FOCUSES)}."),
        template: Optional[str] = typer.Option(  # noqa: UP045
            None,
            "--from",
            metavar="TEMPLATE_ID",
            help="Start from a handout program (see `upright programs`).",
        ),
        as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
    ) -> None:
        """Make a personal program: each exercise with its dose and reason, and what was left out and why."""
        cat = cli_catalog()
        inputs = plan_inputs(
            setting=setting,
            equipment=equipment,
            conditions=condition,
            minutes=minutes,
            focus=focus,
            template=template,
        )
        data = plan_json(run_plan(cat, inputs))
        if as_json:
            print_json(data)
            return
        console.print(
            f"[bold]{data['title']}[/]: about {_minutes(data['seconds'])} of your {inputs.minutes:g} minutes"
        )
        from rich.table import Table

        table = Table("#", "exercise", "dose", "why")
        for i, item in enumerate(data["items"], 1):
            table.add_row(str(i), item["name"], item["dose"]["text"], item["reason"])
        console.print(table)
        if data["excluded"]:
            console.print("[bold]Left out[/]")
            for x in data["excluded"]:
                sub = f" (instead: {x['substitute']})" if x["substitute"] else ""
                console.print(f"  • {x['name']}: {x['reason']}{sub}", highlight=False)
        for note in data["notes"]:
            console.print(f"[bold yellow]Note:[/] {note}", highlight=False)

    @app.command()
    @exits_on_error
    def script(
        program: str = typer.Argument(
            ..., metavar="PROGRAM_OR_PLAN", help="A plan/program JSON file, or a program id."
        ),
        answers: Optional[str] = typer.Option(  # noqa: UP045
            None,
            "--answers",
            metavar="FILE.json",
            help="Screening answers: a blocking outcome stops the script.",
        ),
        as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
    ) -> None:
        """Compile a program into the session timeline (every step with its seconds) and its total time."""
        cat = cli_catalog()
        source: Any = _read_json(program, "program") if program == "-" or Path(program).is_file() else program
        if isinstance(source, str) and source.endswith(".json"):
            raise InvalidInput("program", f"no file called {source}")
        screening = run_screening(cat, _read_json(answers, "answers"), at=clock.now()) if answers else None
        compiled = build_script(cat, source, screening=screening)
        if as_json:
            print_json(script_json(compiled, screened=screening is not None))
            return
        from rich.table import Table

        table = Table("at", "secs", "step", "say", title=compiled.title)
        for step in compiled.steps:
            table.add_row(_minutes(step.start), f"{step.seconds:g}", step.kind, step.say)
        console.print(table)
        console.print(f"Total: {_minutes(compiled.total_seconds)} ({compiled.total_seconds:g} seconds)")
