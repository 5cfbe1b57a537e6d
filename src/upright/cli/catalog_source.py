"""The catalog as every command loads it: the built-in files, the clinic folders, and the parse cache."""

from __future__ import annotations

from upright.catalog import Catalog, load_catalog
from upright.config import get_settings

__all__ = ["cli_catalog"]


def cli_catalog() -> Catalog:
    settings = get_settings()
    return load_catalog(settings.extra_catalog_dirs, cache_file=settings.catalog_cache_file)
