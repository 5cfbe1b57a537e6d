"""The `upright` command. Each command group lives in its own module and registers itself here.

Conventions: every command that prints data takes `--json` (stable field names, for scripts);
errors print one plain sentence and exit non-zero (1 for bad input or data, 2 for usage)."""

from __future__ import annotations

import importlib

import typer

__all__ = ["app", "main"]

app = typer.Typer(
    name="upright",
    help="Upright: safe, guided exercise programs for upper back and neck pain.",
    no_args_is_help=True,
    add_completion=False,
)

# Each module defines `register(app)`; add a line here when a new command group arrives.
COMMAND_MODULES = (
    "upright.cli.catalog_cmds",
    "upright.cli.serve_cmd",
    "upright.cli.handout_cmd",
    "upright.cli.engine_cmds",
    "upright.cli.breaks_cmd",
    "upright.cli.session_cmd",
    "upright.cli.export_cmd",
)

for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def main() -> None:
    """Errors in settings or in the database address are one line and exit 1, never a traceback."""
    from pydantic import ValidationError

    from upright.cli.output import err_console
    from upright.errors import UprightError

    try:
        app()
    except UprightError as exc:
        err_console.print(f"[bold red]Error:[/] {exc}", highlight=False, soft_wrap=True)
        raise SystemExit(1) from None
    except ValidationError as exc:  # pydantic-settings: a UPRIGHT_* variable has a value it cannot use
        problem = exc.errors()[0]
        name = "UPRIGHT_" + str(problem["loc"][0]).upper() if problem["loc"] else "a UPRIGHT_ setting"
        err_console.print(f"[bold red]Error:[/] {name}: {problem['msg']}", highlight=False, soft_wrap=True)
        raise SystemExit(1) from None
