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

from upright import clock
from upright.catalog import Catalog
from upright.cli.catalog_source import cli_catalog
from upright.cli.output import console, exits_on_error, print_json
from upright.domain.planning import FOCUSES, SETTINGS
from upright.domain.screening import BLOCKING, CHEST_PLACE, HEART_AGAIN, ScreeningResult, decided_stop
from upright.errors import InvalidInput
from upright.services.engine import (
    build_script,
    plan_inputs,
    plan_json,
    questions_json,
    run_plan,
    run_screening,
    screening_json,
    screening_questions_json,
    script_json,
)
from upright.services.safety_words import stop_words

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
    """Ask the questions in the terminal, in order; each needs a y or an n (Enter is not a "no").
    A follow-up comes only after a "yes"; an answer that means emergency or seek care ends the
    questions at once, so the next thing on the screen is the stop."""
    q = questions_json(catalog)
    console.print("[bold]Safety questions.[/] Answer each one with y (yes) or n (no).\n")
    answers = _ask_signs(catalog, q["questions"], {})
    if decided_stop(catalog.screening, answers, combined=catalog.screening_combined):
        return {"answers": answers}
    cleared = typer.confirm(q["clearance"]["text"], default=None)
    console.print("\n[bold]Do any of these apply to you?[/]")
    conditions = [c["id"] for c in q["conditions"] if typer.confirm(c["label"], default=None)]
    pain = _ask_pain()
    places = _ask_places(q["places"]) if pain else []
    if CHEST_PLACE in places:  # chest pain can come from the heart: ask those again, plainly
        console.print(f"\n[bold]{HEART_AGAIN}[/]", highlight=False)
        heart = [item for item in q["questions"] if item["group"] == "heart"]
        answers.update(_ask_signs(catalog, heart, answers))
    out: dict[str, Any] = {"answers": answers, "cleared_by_clinician": cleared, "conditions": conditions}
    return {**out, "pain": pain, "places": places}


def _ask_signs(catalog: Catalog, items: list[dict[str, Any]], before: dict[str, bool]) -> dict[str, bool]:
    answers: dict[str, bool] = dict(before)
    for item in items:
        if item["follows"] is not None and answers.get(item["follows"]) is not True:
            continue
        answers[item["id"]] = typer.confirm(item["text"], default=None)
        if decided_stop(catalog.screening, answers, combined=catalog.screening_combined):
            break
    return answers


def _ask_pain() -> int | None:
    while True:
        text = typer.prompt(
            "How bad is your pain today? 0 is no pain, 10 is the worst (Enter to skip)",
            default="", show_default=False,
        ).strip()  # fmt: skip
        if not text:
            return None
        if text.isdigit() and 0 <= int(text) <= 10:
            return int(text)
        console.print("Please type a whole number from 0 to 10.")


def _ask_places(places: list[dict[str, str]]) -> list[str]:
    for n, place in enumerate(places, 1):
        console.print(f"  {n}. {place['label']}", highlight=False)
    while True:
        text = typer.prompt("Where does it hurt? Type the numbers, like 1 3 (Enter to skip)",
                            default="", show_default=False)  # fmt: skip
        picks = text.replace(",", " ").split()
        if all(p.isdigit() and 1 <= int(p) <= len(places) for p in picks):
            return list(dict.fromkeys(places[int(p) - 1]["id"] for p in picks))
        console.print(f"Please type numbers from 1 to {len(places)}.")


def _show_questions(catalog: Catalog, *, as_json: bool) -> None:
    items = screening_questions_json(catalog)
    if as_json:
        print_json(items)
        return
    from rich.table import Table  # only for the table view (the JSON view stays light)

    table = Table(title="Safety questions, in the order asked")
    for column in ("id", "question", "group", "a yes means", "asked after a yes to"):
        table.add_column(column)
    for item in items:
        table.add_row(item["id"], item["text"], item["group"], item["outcome"], item["follows"] or "")
    console.print(table)


def _show_screening(result: ScreeningResult) -> None:
    data = screening_json(result)
    console.print(f"\n[{OUTCOME_STYLE[result.outcome]}]{result.advice}[/]")
    for reason in data["reasons"]:
        console.print(f"  • {reason}", highlight=False)
    if result.outcome in BLOCKING:
        for line in stop_words(result.outcome)["lines"]:  # type: ignore[attr-defined]
            console.print(f"[bold]{line}[/]", highlight=False)
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
        list_questions: bool = typer.Option(
            False,
            "--questions",
            help="List every question in the order asked (id, text, group, outcome, follows).",
        ),
    ) -> None:
        """Safety check before exercise: red flags, clearance, conditions, pain today. Prints the outcome
        and stores nothing; `upright session` uses the screening stored by the web app (/screening)."""
        cat = cli_catalog()
        if list_questions:
            _show_questions(cat, as_json=as_json)
            return
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
            None,
            help="What you have: band, anchor, dumbbells, mat, chair (comma-separate or repeat). "
            "At home a wall and a doorway are assumed.",
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
        data = plan_json(run_plan(cat, inputs), cat.vocabulary)
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
