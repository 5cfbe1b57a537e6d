"""Static files: which optional ones are present, and their versioned URLs.

Every page links a static file through `static_url("app.css")` -> "/static/app.css?v=<content hash>".
A request that names the current version may be cached for a year (the URL changes when the file
does); any other request must revalidate. Figures get the same treatment through FIGURES_VERSION.
Pages themselves are never stored by a browser or a proxy (`no-store`, set in web/security.py for
every answer outside /static that names no policy of its own): they carry health data."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from fastapi import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

__all__ = [
    "FIGURES_VERSION",
    "LONG_CACHE",
    "STATIC_DIR",
    "VersionedStaticFiles",
    "figure_url",
    "static_exists",
    "static_url",
    "static_version",
]

STATIC_DIR = Path(__file__).resolve().parent / "static"
LONG_CACHE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


@cache
def static_exists(name: str) -> bool:
    return (STATIC_DIR / name).is_file()


@cache
def static_version(name: str) -> str:
    """The first 12 hex digits of the file's SHA-256: changes exactly when the file does."""
    return hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest()[:12]


def static_url(name: str) -> str:
    return f"/static/{name}?v={static_version(name)}"


def _figures_version() -> str:
    """Figures are drawn from the pose files by the code in upright/figures: a hash of both."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted([*(root / "catalog" / "poses").glob("*.yaml"), *(root / "figures").glob("*.py")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


FIGURES_VERSION = _figures_version()


def figure_url(exercise_id: str = "{id}") -> str:
    """/figures/<id>.svg?v=...; the player fills in {id} itself."""
    return f"/figures/{exercise_id}.svg?v={FIGURES_VERSION}"


class VersionedStaticFiles(StaticFiles):
    """StaticFiles that lets a browser keep a file for a year when the URL names its current version."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            query = dict(
                part.split("=", 1)
                for part in scope.get("query_string", b"").decode().split("&")
                if "=" in part
            )
            is_current = static_exists(path) and query.get("v") == static_version(path)
            response.headers["Cache-Control"] = LONG_CACHE if is_current else REVALIDATE
        return response
