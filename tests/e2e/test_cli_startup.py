"""`upright` starts fast because each run imports only what its command needs; the command table
(`cli/commands.py`) that makes this possible agrees with the commands themselves; help shows flags
without a value placeholder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.core import TyperGroup

from upright.cli import full_app
from upright.cli.commands import COMMANDS, top_help

pytestmark = pytest.mark.dateless

HEAVY = (
    "typer",
    "rich",
    "pydantic",
    "yaml",
    "sqlalchemy",
    "fastapi",
    "starlette",
    "uvicorn",
    "jinja2",
    "typst",
)
WEB_DB_PDF = ("sqlalchemy", "fastapi", "starlette", "uvicorn", "jinja2", "typst", "alembic", "psycopg")

# Prints which of the watched packages a run of `upright ARGS` imported.
PROBE = """
import json, sys
from upright.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print("\\n@@" + json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""


def imported(*args: str, tmp_path: Path) -> set[str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    out = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True)
    return set(json.loads(out.stdout.rsplit("@@", 1)[1]))


def test_top_level_help_imports_no_library_at_all(tmp_path: Path) -> None:
    assert imported("--help", tmp_path=tmp_path).isdisjoint(HEAVY)


@pytest.mark.parametrize(
    "args",
    [
        ["exercises", "--json"],
        ["exercise", "chin-tuck", "--json"],
        ["programs", "--json"],
        ["plan", "--json"],
        ["script", "healthy-upper-back", "--json"],
        ["serve", "--help"],
    ],
)
def test_catalog_and_engine_commands_leave_out_the_web_the_database_and_typst(
    args: list[str], tmp_path: Path
) -> None:
    assert imported(*args, tmp_path=tmp_path).isdisjoint(WEB_DB_PDF)


def test_json_output_needs_no_rich_and_a_warm_cache_no_yaml_parser(tmp_path: Path) -> None:
    imported("exercises", "--json", tmp_path=tmp_path)  # fills the parse cache
    # Another question (no kept answer for it), the catalog's files from the parse cache.
    assert imported("exercises", "--json", "--position", "sitting", tmp_path=tmp_path).isdisjoint(
        {"rich", "yaml"}
    )


def printed(*args: str, tmp_path: Path) -> tuple[bytes, set[str]]:
    """What `upright ARGS` printed (bytes) and which watched packages it imported."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    out = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, capture_output=True, check=True)
    text, _, modules = out.stdout.rpartition(b"\n@@")
    return text, set(json.loads(modules))


@pytest.mark.parametrize(
    "args",
    [
        ["exercises", "--json"],
        ["exercise", "chin-tuck", "--json"],
        ["programs", "--json"],
        ["program", "healthy-upper-back", "--json"],
    ],
)
def test_a_repeated_catalog_question_is_answered_byte_for_byte_without_typer_or_pydantic(
    args: list[str], tmp_path: Path
) -> None:
    fresh, _ = printed(*args, tmp_path=tmp_path)  # made by the command, and kept
    kept, modules = printed(*args, tmp_path=tmp_path)
    assert kept == fresh
    assert json.loads(kept)
    assert modules.isdisjoint(HEAVY)


@pytest.mark.parametrize("name", sorted({c.name for c in COMMANDS}))
def test_each_command_runs_with_only_its_own_module_loaded(name: str) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "upright.cli", name, "--help"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith(f"Usage: upright {name} "), out.stdout


def test_the_command_table_matches_the_commands() -> None:
    root = typer.main.get_command(full_app())
    assert isinstance(root, TyperGroup)
    ctx = typer.Context(root)
    real = {name: root.get_command(ctx, name) for name in root.list_commands(ctx)}
    assert [c.name for c in COMMANDS] == list(real)  # none missing, none extra, same order
    for command in COMMANDS:
        found = real[command.name]
        assert found is not None
        assert command.summary == found.get_short_help_str(limit=1000), command.name


def test_top_level_help_lists_every_command(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "upright.cli", "--help"], capture_output=True, text=True, check=True
    )
    assert out.stdout == top_help()
    for command in COMMANDS:
        assert f"  {command.name} " in out.stdout


def _every_command(group: TyperGroup, ctx: typer.Context, path: list[str]) -> list[list[str]]:
    found = []
    for name in group.list_commands(ctx):
        sub = group.get_command(ctx, name)
        assert sub is not None
        found.append([*path, name])
        if isinstance(sub, TyperGroup):
            found += _every_command(sub, typer.Context(sub, parent=ctx), [*path, name])
    return found


def test_no_help_shows_a_value_placeholder_for_a_flag() -> None:
    from typer.testing import CliRunner

    app = full_app()
    root = typer.main.get_command(app)
    assert isinstance(root, TyperGroup)
    paths = _every_command(root, typer.Context(root), [])
    assert len(paths) > len(COMMANDS)  # the groups' subcommands are checked too
    for path in paths:
        result = CliRunner().invoke(app, [*path, "--help"])
        assert result.exit_code == 0, path
        assert "<bool>" not in result.output, path
        assert "--help  " in result.output or "--help " in result.output
    exercises = CliRunner().invoke(app, ["exercises", "--help"]).output
    assert "--json " in exercises
    assert "--position <str>" in exercises  # options that take a value still say what kind


def test_no_help_imports_the_database_the_web_stack_or_typst(tmp_path: Path) -> None:
    """Asking how a command works costs no more than Typer: each command, and each sub-command of
    the groups (breaks, catalog), imports its heavy parts only when it runs."""
    root = typer.main.get_command(full_app())
    assert isinstance(root, TyperGroup)
    for path in _every_command(root, typer.Context(root), []):
        loaded = imported(*path, "--help", tmp_path=tmp_path) & set(WEB_DB_PDF)
        assert not loaded, f"upright {' '.join(path)} --help imports {sorted(loaded)}"


def test_version_is_the_installed_packages_and_imports_no_library(tmp_path: Path) -> None:
    from importlib.metadata import version

    out = subprocess.run(
        [sys.executable, "-m", "upright.cli", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout == f"upright {version('upright')}\n"
    assert imported("--version", tmp_path=tmp_path).isdisjoint(HEAVY)


def test_the_version_is_written_once_in_pyproject() -> None:
    import tomllib

    import upright

    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    assert upright.__version__ == tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
