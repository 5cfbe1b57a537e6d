"""The catalog as every command loads it: the composition root's (built-in files, clinic folders,
parse cache), for commands that need nothing else from it."""

from __future__ import annotations

from upright.catalog import Catalog
from upright.composition import Upright

__all__ = ["cli_catalog"]


def cli_catalog() -> Catalog:
    return Upright().catalog
