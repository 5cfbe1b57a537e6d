"""Shared output helpers: JSON for scripts, Rich for people, one way to report errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

import typer
from rich.console import Console

from upright.errors import UprightError

__all__ = ["console", "err_console", "exits_on_error", "print_json"]

console = Console()
err_console = Console(stderr=True)
P = ParamSpec("P")
R = TypeVar("R")


def print_json(data: Any) -> None:
    """Plain JSON on stdout (no colour codes), so `| jq` and json.loads work."""
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def exits_on_error(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn Upright's own errors into one readable message and exit code 1."""

    @wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except UprightError as exc:
            err_console.print(f"[bold red]Error:[/] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None

    return wrapper
