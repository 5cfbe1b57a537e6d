"""The knowledge from the handouts as checked data. See catalog/README.md for the file formats."""

from upright.catalog.load import (
    BUILTIN_DIR,
    Catalog,
    builtin_catalog,
    builtin_vocabulary,
    load_catalog,
    load_vocabulary,
)
from upright.catalog.vocabulary import Vocabulary

__all__ = [
    "BUILTIN_DIR",
    "Catalog",
    "Vocabulary",
    "builtin_catalog",
    "builtin_vocabulary",
    "load_catalog",
    "load_vocabulary",
]
