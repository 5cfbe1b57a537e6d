"""Annotated dependencies shared by routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from upright.catalog import Catalog
from upright.config import Settings

__all__ = ["CatalogDep", "SettingsDep"]


def _catalog(request: Request) -> Catalog:
    catalog: Catalog = request.app.state.catalog
    return catalog


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


CatalogDep = Annotated[Catalog, Depends(_catalog)]
SettingsDep = Annotated[Settings, Depends(_settings)]
