"""The knowledge from the handouts as checked data. See catalog/README.md for the file formats."""

from upright.catalog.load import BUILTIN_DIR, Catalog, builtin_catalog, load_catalog

__all__ = ["BUILTIN_DIR", "Catalog", "builtin_catalog", "load_catalog"]
