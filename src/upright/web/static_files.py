"""Which optional static files are present (another part of the app may add them later)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

__all__ = ["STATIC_DIR", "static_exists"]

STATIC_DIR = Path(__file__).resolve().parent / "static"


@cache
def static_exists(name: str) -> bool:
    return (STATIC_DIR / name).is_file()
