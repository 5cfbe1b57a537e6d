"""`upright handout PROGRAM_ID|PLAN.json -o FILE.pdf [--paper a4|letter] [--date YYYY-MM-DD]`."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import typer

from upright import clock
from upright.cli.catalog_source import cli_catalog
from upright.cli.output import console, exits_on_error
from upright.errors import InvalidInput
from upright.files import write_private
from upright.services.safety_words import emergency_number

__all__ = ["register"]


def _program_ref(arg: str) -> str | dict[str, Any]:
    """A path to a plan file (from `upright plan --json`) or a program id from the catalog."""
    path = Path(arg)
    if not (arg.endswith(".json") or path.is_file()):
        return arg
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput("plan", f"there is no file {arg}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput("plan", f"cannot read {arg}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise InvalidInput("plan", f"{arg} is not valid JSON (line {exc.lineno}): {exc.msg}") from None
    if not isinstance(data, dict):
        raise InvalidInput("plan", f"{arg} must hold one JSON object, as `upright plan --json` prints it")
    return data


def _date(value: str | None) -> date:
    if value is None:
        return clock.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput("date", f"write the date as YYYY-MM-DD, not {value!r}") from None


def register(app: typer.Typer) -> None:
    @app.command()
    @exits_on_error
    def handout(
        program: str = typer.Argument(
            ..., metavar="PROGRAM_ID|PLAN.json", help="A program id or a plan file."
        ),
        output: Path = typer.Option(..., "-o", "--output", help="Where to write the PDF.", dir_okay=False),
        paper: str = typer.Option("letter", "--paper", help="Paper size: a4 or letter."),
        on: str | None = typer.Option(
            None, "--date", help="Date printed on the handout, YYYY-MM-DD (default: today)."
        ),
    ) -> None:
        """Make a printable PDF handout for a program or a personal plan."""
        from upright.exports.handout import check_paper, handout_pdf  # Typst: only when a PDF is made

        size = check_paper(paper)
        catalog = cli_catalog()
        pdf = handout_pdf(
            _program_ref(program), catalog, on=_date(on), paper=size, emergency_number=emergency_number()
        )
        try:
            write_private(output, pdf)
        except OSError as exc:
            raise InvalidInput("output", f"cannot write {output}: {exc.strerror or exc}") from None
        # soft_wrap: a long path must stay whole so it can be copied
        console.print(f"Wrote {output} ({size}, {len(pdf) // 1024} KB).", highlight=False, soft_wrap=True)
