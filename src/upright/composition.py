"""The composition root: settings -> catalog -> database, made the same way for the web app and for
every command. Nothing else loads the catalog for a run or opens its database.

    root = Upright()                  # the settings from UPRIGHT_* variables
    root = Upright(Settings(...))     # or these (tests, `upright serve` after its flags)
    root.catalog                      # loaded and checked on first use (with the parse cache)
    root.open_database()              # opened and migrated: the caller disposes of it
    with root.database() as db: ...   # the same, disposed of at the end (commands)

The web app (web/app.py) makes one at start and keeps its catalog and database for its life; a
command makes one per run. Each part is made only when asked for, so `upright exercises` never
imports the database layer. Time is not here: it has one reader of its own (upright/clock.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING

from upright.config import Settings, get_settings

if TYPE_CHECKING:
    from upright.catalog import Catalog
    from upright.store import Database

__all__ = ["Upright"]


class Upright:
    """One run's settings, catalog and database."""

    def __init__(self, settings: Settings | None = None, *, catalog: Catalog | None = None) -> None:
        self.settings = settings or get_settings()
        if catalog is not None:
            self.__dict__["catalog"] = catalog  # a catalog given (tests): cached_property returns it
        from upright.services.safety_words import use_emergency_number

        use_emergency_number(self.settings.effective_emergency_number)  # named in every emergency message

    @cached_property
    def catalog(self) -> Catalog:
        """The built-in catalog and the clinic folders (UPRIGHT_CATALOG_DIRS), checked; a broken file
        is a CatalogError naming its file and field. Parsed files are cached by content."""
        from upright.catalog import load_catalog

        return load_catalog(self.settings.extra_catalog_dirs, cache_file=self.settings.catalog_cache_file)

    def open_database(self) -> Database:
        """The database at UPRIGHT_DATABASE_URL, migrated. A database that cannot be reached is one
        line naming the setting (InvalidInput)."""
        from upright.store import open_database

        return open_database(self.settings.effective_database_url)

    @contextmanager
    def database(self) -> Iterator[Database]:
        """The database for one command: opened, migrated, and disposed of when the command ends."""
        db = self.open_database()
        try:
            yield db
        finally:
            db.dispose()
