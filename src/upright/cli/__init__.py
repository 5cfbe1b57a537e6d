"""The `upright` command. Each command group lives in its own module; `cli/commands.py` says which.

Conventions: every command that prints data takes `--json` (stable field names, for scripts);
errors print one plain sentence and exit non-zero (1 for bad input or data, 2 for usage).

Start-up speed matters (`upright --help` should answer at once): this module imports nothing heavy.
`main()` prints the top-level help from the command table, answers a read-only catalog command's
`--json` from its kept answer (cli/answers.py), or imports only the module of the command being run. `app` (the whole tree, for tests and tools) is built on first use."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from upright.cli.commands import COMMANDS, find, new_root, top_help, version_line

if TYPE_CHECKING:
    import typer

__all__ = ["app", "full_app", "main"]


def full_app() -> typer.Typer:
    """Every command, registered once per module (in the order of the command table)."""
    root = new_root()
    seen: set[object] = set()
    for command in COMMANDS:
        if command.loader not in seen:
            seen.add(command.loader)
            command.loader()(root)
    return root


def main(argv: list[str] | None = None) -> None:
    """Errors in settings or in the database address are one line and exit 1, never a traceback.
    (The error types are imported only when something fails: `upright --help` stays light.)"""
    try:
        _run(argv)
    except Exception as exc:
        from pydantic import ValidationError

        from upright.cli.output import err_console
        from upright.errors import UprightError

        if isinstance(exc, UprightError):
            err_console.print(f"[bold red]Error:[/] {exc}", highlight=False, soft_wrap=True)
            raise SystemExit(1) from None
        if isinstance(exc, ValidationError):  # a UPRIGHT_* variable has a value it cannot use
            problem = exc.errors()[0]
            name = "UPRIGHT_" + str(problem["loc"][0]).upper() if problem["loc"] else "a UPRIGHT_ setting"
            err_console.print(
                f"[bold red]Error:[/] {name}: {problem['msg']}", highlight=False, soft_wrap=True
            )
            raise SystemExit(1) from None
        raise


def _run(argv: list[str] | None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args in ([], ["--help"]):
        sys.stdout.write(top_help())
        sys.exit(0 if args else 2)  # like Click: no command at all is a usage error
    if args == ["--version"]:
        sys.stdout.write(version_line())
        return
    command = find(args[0])
    if command is None:  # an unknown name or option: the whole tree gives Click's message and suggestions
        full_app()(args=args, prog_name="upright")
        return

    def run() -> None:
        root = new_root()
        command.loader()(root)
        root(args=args, prog_name="upright")

    if command.keeps_json_answer:
        from upright.cli.answers import answer, wanted

        if wanted(args):
            answer(args, run)
            return
    run()


def __getattr__(name: str) -> typer.Typer:
    if name == "app":
        return full_app()
    raise AttributeError(name)
