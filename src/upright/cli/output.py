"""Shared output helpers: JSON for scripts, Rich for people, one way to report errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar, cast

import typer

from upright.errors import UprightError

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["console", "err_console", "exits_on_error", "print_json"]


class _ConsoleOnFirstUse:
    """A Rich Console made the first time something is printed: importing Rich costs more than a
    whole `--json` command, which never needs it."""

    def __init__(self, *, stderr: bool) -> None:
        self._stderr = stderr
        self._console: Console | None = None

    def __getattr__(self, name: str) -> Any:
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=self._stderr)
        return getattr(self._console, name)


console = cast("Console", _ConsoleOnFirstUse(stderr=False))
err_console = cast("Console", _ConsoleOnFirstUse(stderr=True))
P = ParamSpec("P")
R = TypeVar("R")


def print_json(data: Any, document: Any = None) -> None:
    """Plain JSON on stdout (no colour codes), so `| jq` and json.loads work. With `document` (a model
    of upright.documents), the data is checked by it first: `--json` prints what the API answers."""
    if document is not None:
        data = document.model_validate(data).model_dump(mode="json")
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
