"""Annotated dependencies shared by routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from upright.catalog import Catalog
from upright.config import Settings

__all__ = ["CatalogDep", "SettingsDep", "public_origin"]


# Async on purpose, like every dependency that does no I/O: FastAPI runs a plain `def` dependency in a
# worker thread, a hop that cost more than the work on every request.
async def _catalog(request: Request) -> Catalog:
    catalog: Catalog = request.app.state.catalog
    return catalog


async def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


CatalogDep = Annotated[Catalog, Depends(_catalog)]
SettingsDep = Annotated[Settings, Depends(_settings)]


def public_origin(request: Request) -> str:
    """Upright's own address for absolute links (the calendar feed), from the settings and the port
    `upright serve` listens on, never from the request's Host header."""
    settings: Settings = request.app.state.settings
    port = request.app.state.listen_port or settings.port
    host = settings.host
    if host in ("0.0.0.0", "::", ""):
        host = settings.extra_hosts[0] if settings.extra_hosts else "127.0.0.1"
    if ":" in host:
        host = f"[{host.strip('[]')}]"
    return f"http://{host}:{port}"
