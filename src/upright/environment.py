"""What Upright reads from the process environment, in a module that imports no library, so the
command line can use it before deciding what else to import (cli/answers.py).

config.Settings builds on these; every other module takes its values from Settings."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["ENV_PREFIX", "cache_folder", "folder_list", "upright_variables"]

ENV_PREFIX = "UPRIGHT_"


def upright_variables() -> dict[str, str]:
    """The UPRIGHT_* variables by setting name (UPRIGHT_CATALOG_DIRS -> catalog_dirs), any case."""
    return {
        key[len(ENV_PREFIX) :].lower(): value
        for key, value in os.environ.items()
        if key.upper().startswith(ENV_PREFIX)
    }


def folder_list(value: str) -> list[Path]:
    """Folders separated by the OS path separator (":" on Linux); empty parts are left out."""
    return [Path(p) for p in value.split(os.pathsep) if p.strip()]


def cache_folder() -> Path:
    """The user cache folder (~/.cache/upright on Linux): only what Upright can always make again
    (the catalog's parse cache, the catalog commands' answers); safe to delete at any time."""
    from platformdirs import user_cache_path

    return user_cache_path("upright", appauthor=False)
