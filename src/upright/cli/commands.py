"""Which module holds each `upright` command, so a run imports only the module it needs.

`upright --help` is printed from this table alone (no Typer, no Rich, no command module), and
`upright NAME ...` imports just the module that registers NAME. Each loader below is an ordinary
import inside a function: the import stays visible to tools (mypy, import-linter, grep) and costs
nothing until the command runs.

A command that only reads the catalog is marked `keeps_json_answer`: its `--json` answer is kept
(cli/answers.py) and a repeated question is answered without Typer, Pydantic or the catalog's models.

To add a command: write `register(app)` in a module of `cli/` (as today), add a loader here and one
`Command` line per top-level name it registers, with the same one-line help as the command's
docstring (a test compares them and fails on a missing or extra line). Order: plain commands in the
order their modules appear here, then groups (`add_typer`), which is how Typer lists them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import typer

__all__ = ["COMMANDS", "HELP", "Command", "find", "new_root", "top_help", "version_line"]

HELP = "Upright: safe, guided exercise programs for upper back and neck pain."
VERSION_HELP = "Show the version and exit."
Register = Callable[["typer.Typer"], None]


def _catalog_cmds() -> Register:
    from upright.cli.catalog_cmds import register

    return register


def _serve_cmd() -> Register:
    from upright.cli.serve_cmd import register

    return register


def _handout_cmd() -> Register:
    from upright.cli.handout_cmd import register

    return register


def _engine_cmds() -> Register:
    from upright.cli.engine_cmds import register

    return register


def _session_cmd() -> Register:
    from upright.cli.session_cmd import register

    return register


def _breaks_cmd() -> Register:
    from upright.cli.breaks_cmd import register

    return register


def _export_cmd() -> Register:
    from upright.cli.export_cmd import register

    return register


def _data_cmds() -> Register:
    from upright.cli.data_cmds import register

    return register


def _demo_cmd() -> Register:
    from upright.cli.demo_cmd import register

    return register


def _clinic_cmds() -> Register:
    from upright.cli.clinic_cmds import register

    return register


class Command(NamedTuple):
    name: str
    summary: str  # the first line of the command's help, shown by `upright --help`
    loader: Callable[[], Register]  # imports the module and returns its register(app)
    # Reads only the catalog: its --json answer may be kept and given again (cli/answers.py).
    keeps_json_answer: bool = False


COMMANDS: tuple[Command, ...] = (
    Command("exercises", "List the exercises, filtered.", _catalog_cmds, keeps_json_answer=True),
    Command(
        "exercise",
        "Show one exercise: steps, do and don't cues, cautions and every handout's dose.",
        _catalog_cmds,
        keeps_json_answer=True,
    ),
    Command("programs", "List the handout programs.", _catalog_cmds, keeps_json_answer=True),
    Command(
        "program", "Show one handout program, in the handout's order.", _catalog_cmds, keeps_json_answer=True
    ),
    Command("serve", "Start the web app (what `make run` does).", _serve_cmd),
    Command("handout", "Make a printable PDF handout for a program or a personal plan.", _handout_cmd),
    Command(
        "screen", "Safety check before exercise: red flags, clearance, conditions, pain today.", _engine_cmds
    ),
    Command(
        "plan",
        "Make a personal program: each exercise with its dose and reason, and what was left out and why.",
        _engine_cmds,
    ),
    Command(
        "script",
        "Compile a program into the session timeline (every step with its seconds) and its total time.",
        _engine_cmds,
    ),
    Command(
        "session",
        "Play your session in the terminal: countdowns, reps, Ctrl+C if it hurts, a check-in at the end.",
        _session_cmd,
    ),
    Command(
        "export",
        "Export all your data: Upright's JSON, or a FHIR R4B bundle for a health record.",
        _export_cmd,
    ),
    Command(
        "backup",
        "Copy your data into one file, safely, even while Upright runs (SQLite; PostgreSQL: pg_dump).",
        _data_cmds,
    ),
    Command(
        "restore",
        "Put a backup back.",
        _data_cmds,
    ),
    Command(
        "import",
        "Bring in your data from an export (Settings, Download all my data) into an empty Upright.",
        _data_cmds,
    ),
    Command("demo", "Fill a clinic database with made-up demo clinicians, patients and history.", _demo_cmd),
    Command("catalog", "Check the exercise catalog.", _catalog_cmds),
    Command(
        "breaks",
        "Short break reminders during the work day, with a short routine from your program.",
        _breaks_cmd,
    ),
    Command("clinic", "Set up clinic mode: the practice's database and its first admin.", _clinic_cmds),
    Command("users", "Clinic mode accounts: add and list clinicians, patients and admins.", _clinic_cmds),
    Command("audit", "Clinic mode's audit log of every read and write of a patient's data.", _clinic_cmds),
)


def find(name: str) -> Command | None:
    return next((c for c in COMMANDS if c.name == name), None)


def new_root() -> typer.Typer:
    """An empty `upright` Typer app. Plain help (no Rich boxes): flags show no value placeholder
    (`--json`, not `--json <bool>`), it reads well in any terminal and screen reader, and Rich is
    imported only by commands that print tables."""
    import typer

    root = typer.Typer(
        name="upright",
        help=HELP,
        no_args_is_help=True,
        add_completion=False,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
    )

    def _show_version(wanted: bool) -> None:
        if wanted:
            typer.echo(version_line(), nl=False)
            raise typer.Exit()

    @root.callback()
    def _group(
        version: bool = typer.Option(
            False, "--version", help=VERSION_HELP, callback=_show_version, is_eager=True
        ),
    ) -> None:
        # Always a group, also when only one module (with one command, like `serve`) is loaded:
        # Typer would otherwise make that command the whole program and refuse its name as an argument.
        pass

    return root


def top_help(width: int = 80) -> str:
    """`upright --help`, from the table above (the same layout Click prints for each command)."""
    import textwrap  # here: the other commands never wrap text

    col = max(len(c.name) for c in COMMANDS) + 2
    lines = ["Usage: upright [OPTIONS] COMMAND [ARGS]...", "", f"  {HELP}", "", "Options:"]
    lines.append(f"  {'--version':<{col}}{VERSION_HELP}")
    lines.append(f"  {'--help':<{col}}Show this message and exit.")
    lines += ["", "Commands:"]
    for c in COMMANDS:
        wrapped = textwrap.wrap(c.summary, width=width - col - 2) or [""]
        lines.append(f"  {c.name:<{col}}{wrapped[0]}")
        lines += [f"  {'':<{col}}{rest}" for rest in wrapped[1:]]
    lines += ["", "Run `upright COMMAND --help` for the options of one command."]
    return "\n".join(lines) + "\n"


def version_line() -> str:
    """`upright --version`: the installed package's version (upright.__version__)."""
    import upright

    return f"upright {upright.__version__}\n"
