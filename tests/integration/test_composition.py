"""The composition root (upright/composition.py) makes settings -> catalog -> database one way for
the web app and every command."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect

from upright.catalog import Catalog
from upright.composition import Upright
from upright.config import Settings
from upright.errors import CatalogError, InvalidInput
from upright.web.app import create_app

pytestmark = pytest.mark.dateless


def test_the_root_loads_the_catalog_once_and_opens_a_migrated_database(tmp_path: Path) -> None:
    root = Upright(Settings(database_url=f"sqlite:///{tmp_path / 'one.db'}"))
    assert root.catalog is root.catalog  # loaded once per root
    assert "chin-tuck" in root.catalog.exercises and "chin-tuck" in root.catalog.poses
    with root.database() as db:
        assert "people" in inspect(db.engine).get_table_names()


def test_the_web_app_is_made_from_the_same_root(tmp_path: Path, catalog: Catalog) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'web.db'}")
    app = create_app(settings, catalog=catalog)
    assert app.state.settings is settings and app.state.catalog is catalog
    app.state.db.dispose()


def test_clinic_folders_and_a_bad_database_stop_the_root_with_a_named_problem(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="catalog folder does not exist"):
        _ = Upright(Settings(catalog_dirs=str(tmp_path / "missing"))).catalog
    with pytest.raises(InvalidInput) as err:
        Upright(Settings(database_url="nosuch://x")).open_database()
    assert err.value.field == "UPRIGHT_DATABASE_URL"
