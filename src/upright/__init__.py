"""Upright: safe, guided exercise programs for upper back and neck pain.

`upright.__version__` is the installed package's version, read from its metadata, so the version is
written once (pyproject.toml). It is read on first use: `upright --help` imports nothing it does not
need."""

from __future__ import annotations

__all__ = ["__version__"]


def __getattr__(name: str) -> str:
    if name == "__version__":
        from importlib.metadata import version

        return version("upright")
    raise AttributeError(f"module 'upright' has no attribute {name!r}")
